"""Writes the front end the C# runtime runs: models/frontends/speech_embedding.onnx, the streaming SpeechEmbedding as
one ONNX graph (audio + state in, embeddings + state out), written by the project's own export from the checked npm
weights. Heads name it by kind and by the sha256 of this file, so a head never runs on other front-end weights."""
from __future__ import annotations

import json
import os

import torch

from . import speech_embedding as se
from . import weights
from ..onnx_file import export_atomic, save_atomic

CONTRACT = "wakeword-frontend-v1"
KIND = "speech_embedding"
ROOT = weights.ROOT
DEFAULT_PATH = os.path.join(ROOT, "models", "frontends", f"{KIND}.onnx")


class _Streaming(torch.nn.Module):
    def __init__(self, m: se.SpeechEmbedding):
        super().__init__()
        self.m = m

    def forward(self, audio, *state):
        emb, new = self.m(audio, list(state))
        return (emb, *new)


def state_names(model: se.SpeechEmbedding) -> list[str]:
    return [f"state_{i:02d}" for i in range(len(model.zero_state(1)))]


def metadata() -> dict[str, str]:
    return {
        "wakeword.contract": CONTRACT,
        "frontend.kind": KIND,
        "frontend.sample_rate": str(se.SAMPLE_RATE),
        "frontend.samples_per_step": str(se.SAMPLES_PER_STEP),
        "frontend.embedding_dim": str(se.EMBEDDING_DIM),
        "frontend.warmup_steps": str(se.WARMUP_STEPS),
        "frontend.source": json.dumps({"npm": weights.NPM_PACKAGE, "sha256": weights.SHA256}, sort_keys=True),
        "frontend.license": "Apache-2.0: Google's speech_embedding (TFHub), ONNX conversion by openWakeWord "
                            "(Apache-2.0); see NOTICE",
    }


def export(path: str = DEFAULT_PATH, model: se.SpeechEmbedding | None = None, log=print) -> str:
    """Writes the graph atomically and returns its sha256."""
    model = model or se.SpeechEmbedding.from_npm()
    state = model.zero_state(1)
    names = state_names(model)
    export_atomic(_Streaming(model), (torch.zeros(1, 2 * se.SAMPLES_PER_STEP), *state), path, ["audio", *names],
                  ["embeddings", *[n + "_out" for n in names]], {"audio": {1: "samples"}, "embeddings": {1: "steps"}},
                  metadata())
    digest = weights.sha256_of(path)
    log(f"wrote {path} (sha256 {digest})")
    return digest


def rebind(head_path: str, frontend_path: str = DEFAULT_PATH, log=print) -> str:
    """Binds a head file to the front end at frontend_path by rewriting its `frontend.sha256`, the graph untouched.
    Only for a front-end change that leaves the embeddings the head was judged on as they were (say which check showed
    it): the runtime refuses a head whose front end's hash differs, so a changed front end otherwise means a retrain."""
    import onnx
    proto = onnx.load(head_path)
    meta = {p.key: p.value for p in proto.metadata_props}
    if "frontend.sha256" not in meta:
        raise ValueError(f"{head_path}: no 'frontend.sha256' in its metadata: not a head on a front end")
    digest = weights.sha256_of(frontend_path)
    old, meta["frontend.sha256"] = meta["frontend.sha256"], digest
    save_atomic(proto, head_path, meta)
    log(f"{head_path}: frontend.sha256 {old[:12]}... -> {digest[:12]}...")
    return digest
