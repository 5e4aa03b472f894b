"""Export a trained TriggerModel to the ONNX contract of models/README.md (atomically: no partial file on failure)."""
from __future__ import annotations

import json
import os
import tempfile

import onnx
import torch

from .features import FeatureSpec
from .model import TriggerModel

CONTRACT = "wakeword-gru-v1"
OPSET = 17


class _Probs(torch.nn.Module):
    def __init__(self, model: TriggerModel):
        super().__init__()
        self.model = model

    def forward(self, features, conv_state, gru_state):
        return self.model(features, conv_state, gru_state)


def contract_metadata(model: TriggerModel, spec: FeatureSpec, word: str, version: str, threshold: float,
                      held_ones_steps: int, refractory_s: float, summary: dict) -> dict[str, str]:
    c = model.cfg
    meta = {
        "wakeword.contract": CONTRACT,
        "wakeword.word": word,
        "wakeword.version": version,
        "model.frames_per_step": str(c.stride),
        "model.context_frames": str(c.context_frames),
        "model.gru_layers": str(c.gru_layers),
        "model.gru_hidden": str(c.gru_hidden),
        "detector.threshold": f"{threshold:.4f}",
        "detector.held_ones_steps": str(held_ones_steps),
        "detector.refractory_s": f"{refractory_s:g}",
        "training.summary": json.dumps(summary, sort_keys=True),
    }
    meta.update(spec.metadata())
    return meta


def export_onnx(model: TriggerModel, path: str, metadata: dict[str, str]) -> None:
    model = model.eval()
    c = model.cfg
    feats = torch.zeros(1, 3 * c.stride, c.mel_bins)
    conv_state, gru_state = model.zero_state(1)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".onnx", dir=directory)
    os.close(fd)
    try:
        with torch.no_grad():
            torch.onnx.export(
                _Probs(model).eval(), (feats, conv_state, gru_state), tmp, opset_version=OPSET,
                input_names=["features", "conv_state", "gru_state"],
                output_names=["probs", "conv_state_out", "gru_state_out"],
                dynamic_axes={"features": {1: "T"}, "probs": {1: "steps"}}, do_constant_folding=True)
        proto = onnx.load(tmp)
        del proto.metadata_props[:]
        for k, v in sorted(metadata.items()):
            entry = proto.metadata_props.add()
            entry.key, entry.value = k, v
        proto.producer_name = "wakeword-training"
        onnx.checker.check_model(proto)
        onnx.save(proto, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
