"""Writes the front end the C# runtime runs: models/frontends/speech_embedding.onnx, the streaming SpeechEmbedding as
one ONNX graph (audio + state in, embeddings + state out), written by the project's own export from the checked npm
weights. Heads name it by kind and by the sha256 of this file, so a head never runs on other front-end weights."""
from __future__ import annotations

import json
import os
import tempfile

import onnx
import torch

from . import speech_embedding as se
from . import weights

CONTRACT = "wakeword-frontend-v1"
KIND = "speech_embedding"
OPSET = 17
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
    audio = torch.zeros(1, 2 * se.SAMPLES_PER_STEP)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".onnx", dir=directory)
    os.close(fd)
    try:
        with torch.no_grad():
            torch.onnx.export(_Streaming(model).eval(), (audio, *state), tmp, opset_version=OPSET,
                              input_names=["audio", *names], output_names=["embeddings", *[n + "_out" for n in names]],
                              dynamic_axes={"audio": {1: "samples"}, "embeddings": {1: "steps"}},
                              do_constant_folding=True)
        proto = onnx.load(tmp)
        del proto.metadata_props[:]
        for k, v in sorted(metadata().items()):
            e = proto.metadata_props.add()
            e.key, e.value = k, v
        proto.producer_name = "wakeword-training"
        proto.producer_version = ""
        onnx.checker.check_model(proto)
        onnx.save(proto, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    digest = weights.sha256_of(path)
    log(f"wrote {path} (sha256 {digest})")
    return digest
