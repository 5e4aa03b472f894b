"""A small numpy interpreter for the ops our exported graph uses.

Debian has no onnxruntime for Python, so training checks the exported file with this independent implementation of
the ONNX operator semantics (the C# tests then check the same file with ONNX Runtime against goldens made here).
"""
from __future__ import annotations

import numpy as np
import onnx
from onnx import numpy_helper


def _sig(x):
    return 1.0 / (1.0 + np.exp(-x))


class OnnxReference:
    def __init__(self, path: str):
        self.path = path
        self.model = onnx.load(path)
        g = self.model.graph
        self.init = {t.name: numpy_helper.to_array(t) for t in g.initializer}
        self.meta = {p.key: p.value for p in self.model.metadata_props}
        self.inputs = [i.name for i in g.input if i.name not in self.init]
        self.outputs = [o.name for o in g.output]

    @property
    def features(self):
        from .features import FeatureSpec
        return FeatureSpec.from_metadata(self.meta, self.path)

    @property
    def frames_per_step(self) -> int:
        return int(self.meta["model.frames_per_step"])

    def zero_state(self) -> tuple[np.ndarray, np.ndarray]:
        """(conv_state, gru_state) of a stream's start, shaped from the contract metadata."""
        m = self.meta
        conv = np.zeros((1, int(m["model.context_frames"]), int(m["feature.mel_bins"])), np.float32)
        gru = np.zeros((int(m["model.gru_layers"]), 1, int(m["model.gru_hidden"])), np.float32)
        return conv, gru

    def score(self, feats: np.ndarray, chunk_steps: int = 3000) -> np.ndarray:
        """Probabilities for a whole stream of frames [T, F], fed in chunks with the state carried; frames that do not
        complete a step are left out."""
        fps = self.frames_per_step
        usable = (len(feats) // fps) * fps
        conv, gru = self.zero_state()
        out = []
        for s in range(0, usable, chunk_steps * fps):
            p, conv, gru = self.run({"features": feats[None, s:min(usable, s + chunk_steps * fps)],
                                     "conv_state": conv, "gru_state": gru})
            out.append(p[0])
        return np.concatenate(out) if out else np.zeros(0, np.float32)

    def run(self, feeds: dict) -> list[np.ndarray]:
        env = dict(self.init)
        env.update({k: np.asarray(v) for k, v in feeds.items()})
        for node in self.model.graph.node:
            a = {x.name: onnx.helper.get_attribute_value(x) for x in node.attribute}
            ins = [env[n] if n else None for n in node.input]
            outs = getattr(self, "_" + node.op_type)(ins, a)
            for name, val in zip(node.output, outs):
                if name:
                    env[name] = val
        return [env[o] for o in self.outputs]

    def _Constant(self, i, a):
        return [numpy_helper.to_array(a["value"])]

    def _Concat(self, i, a):
        return [np.concatenate(i, axis=a["axis"])]

    def _Shape(self, i, a):
        return [np.array(i[0].shape, dtype=np.int64)]

    def _Gather(self, i, a):
        return [np.take(i[0], i[1], axis=a.get("axis", 0))]

    def _Unsqueeze(self, i, a):
        return [np.expand_dims(i[0], tuple(int(x) for x in i[1]))]

    def _Squeeze(self, i, a):
        return [np.squeeze(i[0], axis=tuple(int(x) for x in i[1])) if len(i) > 1 and i[1] is not None else np.squeeze(i[0])]

    def _Slice(self, i, a):
        data, starts, ends = i[0], i[1], i[2]
        axes = i[3] if len(i) > 3 and i[3] is not None else range(len(starts))
        steps = i[4] if len(i) > 4 and i[4] is not None else [1] * len(starts)
        sl = [slice(None)] * data.ndim
        for s, e, ax, st in zip(starts, ends, axes, steps):
            n = data.shape[ax]
            e = min(int(e), n) if e >= 0 else int(e)
            sl[int(ax)] = slice(int(s), e, int(st))
        return [data[tuple(sl)]]

    def _Sub(self, i, a):
        return [i[0] - i[1]]

    def _Add(self, i, a):
        return [i[0] + i[1]]

    def _Mul(self, i, a):
        return [i[0] * i[1]]

    def _Div(self, i, a):
        return [i[0] / i[1]]

    def _Cast(self, i, a):
        return [i[0].astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[a["to"]])]

    def _Expand(self, i, a):
        return [i[0] * np.ones(tuple(int(d) for d in i[1]), i[0].dtype)]

    def _Identity(self, i, a):
        return [i[0]]

    def _ReduceMean(self, i, a):
        return [np.mean(i[0], axis=tuple(a["axes"]), keepdims=bool(a.get("keepdims", 1)))]

    def _Gemm(self, i, a):
        assert not a.get("transA", 0) and not a.get("transB", 0)
        return [a.get("alpha", 1.0) * (i[0] @ i[1]) + a.get("beta", 1.0) * i[2]]

    def _Relu(self, i, a):
        return [np.maximum(i[0], 0)]

    def _Sigmoid(self, i, a):
        return [_sig(i[0])]

    def _MatMul(self, i, a):
        return [i[0] @ i[1]]

    def _Transpose(self, i, a):
        return [np.transpose(i[0], a.get("perm"))]

    def _Conv(self, i, a):
        x, w = i[0], i[1]
        b = i[2] if len(i) > 2 and i[2] is not None else 0
        k, s = w.shape[2], a.get("strides", [1])[0]
        assert a.get("pads", [0, 0]) == [0, 0] and a.get("dilations", [1])[0] == 1 and a.get("group", 1) == 1
        steps = (x.shape[2] - k) // s + 1
        idx = np.arange(k)[None, :] + s * np.arange(steps)[:, None]
        patches = x[:, :, idx]  # [B, Cin, steps, k]
        y = np.einsum("bcsk,ock->bos", patches, w)
        return [y + np.reshape(b, (1, -1, 1))]

    def _GRU(self, i, a):
        x, w, r, b = i[0], i[1], i[2], i[3]
        h = i[5] if len(i) > 5 and i[5] is not None else np.zeros((1, x.shape[1], r.shape[2]), x.dtype)
        assert a.get("direction", b"forward") in (b"forward", "forward") and a.get("linear_before_reset", 0) == 1
        H = r.shape[2]
        wz, wr, wh = w[0, :H], w[0, H:2 * H], w[0, 2 * H:]
        rz, rr, rh = r[0, :H], r[0, H:2 * H], r[0, 2 * H:]
        bw, br = b[0, :3 * H], b[0, 3 * H:]
        xs = x @ w[0].T + bw  # [T, B, 3H]: the input projection for all steps at once
        ht = h[0]
        ys = np.empty((x.shape[0], 1, x.shape[1], H), x.dtype)
        for t in range(x.shape[0]):
            hr = ht @ r[0].T + br
            z = _sig(xs[t, :, :H] + hr[:, :H])
            rg = _sig(xs[t, :, H:2 * H] + hr[:, H:2 * H])
            n = np.tanh(xs[t, :, 2 * H:] + rg * hr[:, 2 * H:])
            ht = (1 - z) * n + z * ht
            ys[t, 0] = ht
        return [ys, ht[None]]
