"""A head (or ensemble of heads), windowed or staggered, read back from the ONNX file `export_head` wrote, as the torch
model it was exported from, so that a shipped model can teach a new head (`train --teacher models/computer.onnx`) and
be judged after the run folders that trained it are gone. Checked against training's forward pass (the tiny heads'
goldens), against heads exported and read back, and against the C# runtime on the shipped model
(training/tests/test_head_import.py)."""
from __future__ import annotations

import json

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from .head import CONTRACT, EmbeddingHead, HeadConfig, HeadEnsemble


def is_model_file(source: str) -> bool:
    """Whether a teacher or judged source names a model file (read here) rather than a training run folder."""
    return source.endswith(".onnx")


def _torch_gates(w: np.ndarray, hidden: int) -> np.ndarray:
    """ONNX orders a GRU's gates (update, reset, hidden); torch (reset, update, new): staggered_export's inverse."""
    z, r, n = w[:hidden], w[hidden:2 * hidden], w[2 * hidden:]
    return np.concatenate([r, z, n])


def _tensors(model: onnx.ModelProto) -> dict[str, np.ndarray]:
    """Initializers by name; the exporter writes a tensor equal to an earlier one (the ensemble's shared
    normalisation) as an Identity of it."""
    tensors = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    for node in model.graph.node:
        if node.op_type == "Identity" and node.input[0] in tensors:
            tensors[node.output[0]] = tensors[node.input[0]]
    return tensors


def _config(path: str, meta: dict[str, str]) -> tuple[HeadConfig, int]:
    if meta.get("wakeword.contract") != CONTRACT:
        raise ValueError(f"{path} is not a head on the speech embedding (contract "
                         f"{meta.get('wakeword.contract', 'missing')}, not {CONTRACT})")
    try:
        cfg = HeadConfig(embedding_dim=int(meta["model.embedding_dim"]), window=int(meta["model.window_steps"]),
                         gru_hidden=int(meta["model.gru_hidden"]), gru_layers=int(meta["model.gru_layers"]),
                         dropout=_dropout(meta), stagger=int(meta.get("model.stagger", "0")))
        return cfg, int(meta.get("model.heads", "1"))
    except KeyError as e:
        raise ValueError(f"{path} has no {e.args[0]} in its metadata") from None


def _dropout(meta: dict[str, str]) -> float:
    """The dropout the heads trained with, as their run folders record it (an evaluated head does not use it, but
    heads read from a file and from run folders then make one ensemble); 0 where the summary does not say."""
    try:
        summary = json.loads(meta.get("training.summary", "{}"))
        head = summary["runs"][0]["head"] if "runs" in summary else summary["head"]
        return float(head["dropout"])
    except (ValueError, KeyError, IndexError, TypeError):
        return 0.0


def _gru_weights(node: onnx.NodeProto, tensors: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
    if attrs.get("linear_before_reset") != 1:
        raise ValueError(f"GRU {node.name} is not torch's kind (linear_before_reset {attrs.get('linear_before_reset')})")
    return tuple(np.array(tensors[name][0]) for name in node.input[1:4])


def _unpack(w: np.ndarray, r: np.ndarray, b: np.ndarray, k: int, h: int, heads: int, layer: int):
    """Head k's W, R, B out of a packed layer (staggered_export._packed_layer's inverse)."""
    units = heads * h
    rows = np.concatenate([np.arange(g * units + k * h, g * units + (k + 1) * h) for g in range(3)])
    own = slice(k * h, (k + 1) * h)
    wk = w[rows] if layer == 0 else w[rows, own]
    return wk, r[rows, own], np.concatenate([b[rows], b[3 * units + rows]])


def _load_gru_layer(head: EmbeddingHead, layer: int, w: np.ndarray, r: np.ndarray, b: np.ndarray) -> None:
    h = head.cfg.gru_hidden
    gru = head.gru
    with torch.no_grad():
        getattr(gru, f"weight_ih_l{layer}").copy_(torch.from_numpy(_torch_gates(w, h)))
        getattr(gru, f"weight_hh_l{layer}").copy_(torch.from_numpy(_torch_gates(r, h)))
        getattr(gru, f"bias_ih_l{layer}").copy_(torch.from_numpy(_torch_gates(b[:3 * h], h)))
        getattr(gru, f"bias_hh_l{layer}").copy_(torch.from_numpy(_torch_gates(b[3 * h:], h)))


def _load_staggered(path: str, model: onnx.ModelProto, cfg: HeadConfig, count: int, tensors: dict[str, np.ndarray]):
    """A staggered file keeps the input normalisation folded into the first layer's weights: each head is read back
    with mean 0 and std 1 and those weights, which scores the same."""
    grus = [n for n in model.graph.node if n.op_type == "GRU"]
    gemms = [n for n in model.graph.node if n.op_type == "Gemm"]
    if len(grus) != cfg.gru_layers or len(gemms) != 1:
        raise ValueError(f"{path} has {len(grus)} GRU nodes and {len(gemms)} output layers, not the {cfg.gru_layers} "
                         f"and 1 of a staggered file export_head writes")
    layers = [_gru_weights(node, tensors) for node in grus]
    out_w, out_b = (np.array(tensors[name]) for name in gemms[0].input[1:3])
    h = cfg.gru_hidden
    if layers[0][1].shape != (3 * count * h, count * h) or out_w.shape != (count * h, count):
        raise ValueError(f"{path} holds GRU layers of {layers[0][1].shape[1]} units, not the {count} x {h} its "
                         f"metadata says")
    heads = []
    for k in range(count):
        head = EmbeddingHead(cfg)
        with torch.no_grad():
            for layer, (w, r, b) in enumerate(layers):
                _load_gru_layer(head, layer, *_unpack(w, r, b, k, h, count, layer))
            head.out.weight.copy_(torch.from_numpy(out_w[k * h:(k + 1) * h, k][None]))
            head.out.bias.copy_(torch.from_numpy(out_b[k:k + 1]))
        heads.append(head.eval())
    return heads[0] if count == 1 else HeadEnsemble(heads).eval()


def load_head_file(path: str):
    """The model of a `wakeword-head-v1` file: one EmbeddingHead, or a HeadEnsemble of `model.heads` heads."""
    model = onnx.load(path)
    cfg, count = _config(path, {p.key: p.value for p in model.metadata_props})
    tensors = _tensors(model)
    if cfg.stagger:
        return _load_staggered(path, model, cfg, count, tensors)
    # torch's exporter writes the heads in the order they run, each head's layers in order.
    grus = [n for n in model.graph.node if n.op_type == "GRU"]
    if len(grus) != count * cfg.gru_layers:
        raise ValueError(f"{path} has {len(grus)} GRU layers, not the {count} x {cfg.gru_layers} its metadata says")
    heads = []
    for i in range(count):
        prefix = f"model.heads.{i}." if count > 1 else "model."
        head = EmbeddingHead(cfg)
        try:
            with torch.no_grad():
                for name in ("emb_mean", "emb_std", "out.weight", "out.bias"):
                    target = head.get_parameter(name) if "." in name else head.get_buffer(name)
                    target.copy_(torch.from_numpy(np.array(tensors[prefix + name])))
        except KeyError as e:
            raise ValueError(f"{path} has no tensor {e.args[0]}: not a file export_head wrote") from None
        for layer in range(cfg.gru_layers):
            _load_gru_layer(head, layer, *_gru_weights(grus[i * cfg.gru_layers + layer], tensors))
        heads.append(head.eval())
    return heads[0] if count == 1 else HeadEnsemble(heads).eval()
