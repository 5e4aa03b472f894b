"""The head path on tiny settings: synthesize, embed, train a few steps, export bound to the shipped front end, and
score it with the real C# runtime (front end + head on ONNX Runtime) against torch."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf
import torch

from training.frontend import export as fe_export
from training.frontend import weights
from training.frontend.speech_embedding import SpeechEmbedding
from training.head import CONTRACT, EmbeddingHead, HeadConfig

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))


# The staggered head (the default: its own graph, one embedding per call) and the windowed one; the cache is shared.
HEADS = {"windowed": ["--window", "16", "--stagger", "0"], "staggered": []}


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("head-cache")


@pytest.fixture(scope="module", params=list(HEADS))
def head_run(request, tmp_path_factory, cache_dir):
    d = tmp_path_factory.mktemp("head")
    out = d / "word.onnx"
    r = subprocess.run([sys.executable, "-m", "training", "train", "--word", "computer", "--smoke", "--no-real-data",
                        "--steps", "6", "--batch", "4", "--scale", "0.02", "--clips", "12", "--read-hours", "0.01",
                        "--no-neighbours", "--no-real-speech", "--cache", str(cache_dir), "--out", str(out),
                        "--run-dir", str(d / "run"), *HEADS[request.param]],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "step 6/6" in r.stdout
    return out, d / "run"


def test_the_head_names_the_shipped_front_end(head_run):
    import onnx
    out, _ = head_run
    meta = {p.key: p.value for p in onnx.load(str(out)).metadata_props}
    assert meta["wakeword.contract"] == CONTRACT
    assert meta["frontend.kind"] == "speech_embedding"
    assert meta["frontend.sha256"] == weights.sha256_of(fe_export.DEFAULT_PATH)
    summary = json.loads(meta["training.summary"])
    assert summary["steps"] == 6 and summary["clips"] == 12
    assert "read-text" in summary["negative_hours"]


def test_the_csharp_runtime_scores_the_head_as_torch_does(head_run, wakeword_cli):
    out, run = head_run
    wav = os.path.join(ROOT, "tests", "data", "audio", "computer_real_1.wav")
    r = subprocess.run([wakeword_cli, "detect", wav, "--model", str(out), "--scores", "--json"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    ort = np.array([json.loads(line)["prob"] for line in r.stdout.splitlines() if '"type":"score"' in line.replace(" ", "")])
    summary = json.loads(open(run / "summary.json").read())
    head = EmbeddingHead(HeadConfig.from_dict(summary["head"]))
    head.load_state_dict(torch.load(str(run / "last.pt"))["model"])
    a, _ = sf.read(wav, dtype="float32")
    expected = head.score(SpeechEmbedding.from_npm().embed_clips(torch.from_numpy(a[None]))[0].numpy())
    assert len(ort) == len(expected) == len(a) // 1280
    np.testing.assert_allclose(ort, expected, atol=1e-3)
    assert np.std(expected) > 0
