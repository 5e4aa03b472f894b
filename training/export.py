"""Export a trained TriggerModel to the ONNX contract of models/README.md (atomically: no partial file on failure)."""
from __future__ import annotations

import json
import os

import onnx
import torch

from .features import FeatureSpec
from .model import TriggerModel
from .onnx_file import export_atomic

CONTRACT = "wakeword-gru-v1"


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


def set_threshold(path: str, threshold: float) -> str:
    """Rewrites an exported model's recommended threshold (detector.threshold) in place, atomically; returns the old
    value."""
    proto = onnx.load(path)
    old = None
    for p in proto.metadata_props:
        if p.key == "detector.threshold":
            old, p.value = p.value, f"{threshold:.4f}"
    if old is None:
        raise ValueError(f"{path} has no detector.threshold metadata: not a wake-word model")
    onnx.save(proto, path + ".tmp")
    os.replace(path + ".tmp", path)
    return old


def export_onnx(model: TriggerModel, path: str, metadata: dict[str, str]) -> None:
    c = model.cfg
    feats = torch.zeros(1, 3 * c.stride, c.mel_bins)
    conv_state, gru_state = model.zero_state(1)
    export_atomic(_Probs(model.eval()), (feats, conv_state, gru_state), path,
                  ["features", "conv_state", "gru_state"], ["probs", "conv_state_out", "gru_state_out"],
                  {"features": {1: "T"}, "probs": {1: "steps"}}, metadata)
