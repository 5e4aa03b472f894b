"""The whole training path on tiny settings: synthesize, train a few steps, export, reload, stream, metadata."""
import json
import shutil
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

from training.export import CONTRACT
from training.features import FeatureSpec, LogMel, log_mel_reference
from training.onnx_ref import OnnxReference

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "training", *args], cwd=ROOT, capture_output=True, text=True, env=env,
                          timeout=170)


@pytest.fixture(scope="module")
def smoke_model(tmp_path_factory):
    d = tmp_path_factory.mktemp("smoke")
    out = d / "word.onnx"
    data = d / "data"  # a tiny real-data folder is optional; the smoke run uses synthesized speech only
    r = run_cli("train", "--frontend", "logmel", "--word", "computer", "--smoke", "--no-real-data", "--steps", "6", "--batch", "4",
                "--scale", "0.03", "--eval-every", "6", "--workers", "0", "--max-pool", "0.5", "--out", str(out), "--run-dir", str(d / "run"))
    assert r.returncode == 0, r.stderr[-3000:]
    assert "step 6/6" in r.stdout  # progress was shown
    assert "step 3: max-pooling loss from here on" in r.stdout  # both losses ran: held ones, then max pool
    return out


def test_smoke_run_exports_a_contract_model(smoke_model):
    ref = OnnxReference(str(smoke_model))
    m = ref.meta
    assert m["wakeword.contract"] == CONTRACT
    assert m["wakeword.word"] == "computer"
    for k, v in FeatureSpec().metadata().items():
        assert m[k] == v
    assert 0.0 < float(m["detector.threshold"]) < 1.0
    assert int(m["detector.held_ones_steps"]) == 12
    summary = json.loads(m["training.summary"])
    assert summary["steps"] == 6 and summary["tts"]["positives"] > 0
    assert ref.inputs == ["features", "conv_state", "gru_state"]
    assert ref.outputs == ["probs", "conv_state_out", "gru_state_out"]


def test_streaming_in_chunks_equals_one_call(smoke_model):
    ref = OnnxReference(str(smoke_model))
    fps = ref.frames_per_step
    rng = np.random.default_rng(0)
    feats = rng.normal(-5, 3, size=(1, 60 * fps, 40)).astype(np.float32)
    zero = ref.zero_state()
    whole = ref.run({"features": feats, "conv_state": zero[0], "gru_state": zero[1]})[0][0]
    parts, conv, gru, s = [], *zero, 0
    for n in [1, 2, 7, 1, 13, 36]:
        p, conv, gru = ref.run({"features": feats[:, s:s + n * fps], "conv_state": conv, "gru_state": gru})
        parts.append(p[0])
        s += n * fps
    assert s == feats.shape[1]
    np.testing.assert_allclose(np.concatenate(parts), whole, atol=1e-5)
    assert np.std(whole) > 0  # a model that ignores its input would pass the equality trivially


def test_exported_graph_matches_torch(tmp_path):
    from training.export import contract_metadata, export_onnx
    from training.model import ModelConfig, TriggerModel
    torch.manual_seed(0)
    model = TriggerModel(ModelConfig(conv_channels=16, gru_hidden=24, gru_layers=2)).eval()
    path = tmp_path / "m.onnx"
    export_onnx(model, str(path), contract_metadata(model, FeatureSpec(), "computer", "0", 0.5, 12, 1.0, {}))
    feats = torch.randn(1, 30, 40) * 3
    c, h = model.zero_state()
    with torch.no_grad():
        expected = model(feats, c, h)
    got = OnnxReference(str(path)).run({"features": feats.numpy(), "conv_state": c.numpy(), "gru_state": h.numpy()})
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e.numpy(), atol=1e-5)


def test_torch_featurizer_equals_reference():
    rng = np.random.default_rng(1)
    audio = rng.uniform(-0.5, 0.5, 8000).astype(np.float32)
    ref = log_mel_reference(audio)
    got = LogMel()(torch.from_numpy(audio)[None])[0].numpy()
    assert got.shape == ref.shape == (FeatureSpec().frame_count(8000), 40)
    np.testing.assert_allclose(got, ref, atol=2e-3)


def test_featurizer_streams_without_edge_effects():
    audio = np.random.default_rng(2).uniform(-0.5, 0.5, 16000)
    spec = FeatureSpec()
    whole = log_mel_reference(audio)
    cut = 37 * spec.hop_samples
    second = log_mel_reference(audio[cut:])
    np.testing.assert_allclose(whole[37:], second, atol=1e-9)


def test_onnx_runtime_in_the_service_gives_the_reference_probabilities(smoke_model, wakeword_cli):
    """Debian has no onnxruntime for Python: reload the smoke model with ONNX Runtime through the real `wakeword` CLI
    (C# featurizer + ORT) and compare its per-step probabilities with the numpy reference of the same file."""
    import soundfile as sf
    wav = os.path.join(ROOT, "tests", "data", "golden", "featurizer.wav")
    r = subprocess.run([wakeword_cli, "detect", wav, "--model", str(smoke_model), "--scores", "--json"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    ort = [json.loads(line)["prob"] for line in r.stdout.splitlines() if '"type":"score"' in line.replace(" ", "")]
    pcm, rate = sf.read(wav, dtype="int16")
    feats = log_mel_reference(pcm.astype(np.float64) / 32768.0).astype(np.float32)
    expected = OnnxReference(str(smoke_model)).score(feats)
    assert len(ort) == len(expected) > 10
    np.testing.assert_allclose(np.array(ort), expected, atol=2e-4)
