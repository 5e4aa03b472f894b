"""A windowed head (or ensemble of heads) read back from the ONNX file `export_head` wrote, as the torch model it was
exported from, so that a shipped model can teach a new head (`train --teacher models/computer.onnx`) after the run
folders that trained it are gone. Checked against training's forward pass (the tiny head's golden) and against
heads exported and read back (training/tests/test_head_import.py)."""
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
    if meta.get("model.stagger", "0") != "0":
        raise ValueError(f"{path} is a staggered head, whose file keeps no torch layout to read back: give the run "
                         f"folder that trained it")
    try:
        cfg = HeadConfig(embedding_dim=int(meta["model.embedding_dim"]), window=int(meta["model.window_steps"]),
                         gru_hidden=int(meta["model.gru_hidden"]), gru_layers=int(meta["model.gru_layers"]),
                         dropout=_dropout(meta), stagger=0)
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


def _load_gru_layer(head: EmbeddingHead, layer: int, node: onnx.NodeProto, tensors: dict[str, np.ndarray]) -> None:
    attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
    if attrs.get("linear_before_reset") != 1:
        raise ValueError(f"GRU {node.name} is not torch's kind (linear_before_reset {attrs.get('linear_before_reset')})")
    h = head.cfg.gru_hidden
    w, r, b = (np.array(tensors[name][0]) for name in node.input[1:4])
    gru = head.gru
    with torch.no_grad():
        getattr(gru, f"weight_ih_l{layer}").copy_(torch.from_numpy(_torch_gates(w, h)))
        getattr(gru, f"weight_hh_l{layer}").copy_(torch.from_numpy(_torch_gates(r, h)))
        getattr(gru, f"bias_ih_l{layer}").copy_(torch.from_numpy(_torch_gates(b[:3 * h], h)))
        getattr(gru, f"bias_hh_l{layer}").copy_(torch.from_numpy(_torch_gates(b[3 * h:], h)))


def load_head_file(path: str):
    """The model of a windowed `wakeword-head-v1` file: one EmbeddingHead, or a HeadEnsemble of `model.heads` heads."""
    model = onnx.load(path)
    cfg, count = _config(path, {p.key: p.value for p in model.metadata_props})
    tensors = _tensors(model)
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
            _load_gru_layer(head, layer, grus[i * cfg.gru_layers + layer], tensors)
        heads.append(head.eval())
    return heads[0] if count == 1 else HeadEnsemble(heads).eval()
