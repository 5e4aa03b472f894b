"""Goldens for the C# tests: a WAV and its log-mel frames (featurizer parity), and a model forward pass."""
from __future__ import annotations

import json
import os

import numpy as np
import soundfile as sf

from .features import FeatureSpec, log_mel_reference
from .onnx_ref import OnnxReference


def golden_audio(seconds=1.5, seed=3) -> np.ndarray:
    """A chirp, two tones and noise: exercises every mel band; quantised to 16-bit so the WAV holds exactly this."""
    rng = np.random.default_rng(seed)
    n = int(16000 * seconds)
    t = np.arange(n) / 16000
    x = 0.3 * np.sin(2 * np.pi * (100 * t + 2500 * t ** 2)) + 0.1 * np.sin(2 * np.pi * 440 * t)
    x += 0.05 * rng.standard_normal(n)
    x[: n // 10] *= 0.001  # a near-silent start: exercises the log floor
    return np.round(np.clip(x, -1, 1) * 32767).astype(np.int16)


def write_goldens(model_path: str, out_dir: str, log=print) -> None:
    os.makedirs(out_dir, exist_ok=True)
    spec = FeatureSpec()
    pcm = golden_audio()
    sf.write(os.path.join(out_dir, "featurizer.wav"), pcm, 16000, subtype="PCM_16")
    feats = log_mel_reference(pcm.astype(np.float64) / 32768.0, spec)
    with open(os.path.join(out_dir, "featurizer_logmel.json"), "w") as f:
        json.dump({"sample_rate": 16000, "mel_bins": spec.mel_bins, "frames": int(feats.shape[0]),
                   "note": "float64 numpy reference (training/features.py log_mel_reference) of featurizer.wav / 32768",
                   "data": [round(float(v), 6) for v in feats.ravel()]}, f)
    ref = OnnxReference(model_path)
    fps = ref.frames_per_step
    usable = (feats.shape[0] // fps) * fps
    x = feats[:usable].astype(np.float32)
    probs = ref.score(x)
    name = os.path.splitext(os.path.basename(model_path))[0]
    with open(os.path.join(out_dir, f"{name}_forward.json"), "w") as f:
        json.dump({"model": os.path.basename(model_path), "frames": usable, "mel_bins": spec.mel_bins,
                   "frames_per_step": fps, "features": [round(float(v), 6) for v in x.ravel()],
                   "probs": [float(v) for v in probs]}, f)
    log(f"wrote goldens for {model_path} to {out_dir}")


DETECTOR_STEP_S = 0.03  # 3 frames of 10 ms: the shipped models' step
DETECTOR_SETTINGS = [(t, c, r) for t in (0.5, 0.8) for c in (1, 2, 4) for r in (0.0, 0.09, 0.5, 0.9, 1.0)]


def detector_probabilities(steps=3000, seed=11) -> np.ndarray:
    """Noise under the thresholds, bursts of 1-40 steps over them, a few NaN: every branch of the trigger rule."""
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.0, 0.6, steps).astype(np.float32)
    j = 0
    while j < steps:
        j += int(rng.integers(3, 60))
        n = int(rng.integers(1, 41))
        p[j:j + n] = rng.uniform(0.45, 1.0, len(p[j:j + n]))
        j += n
    p[rng.integers(0, steps, 12)] = np.nan
    return p


def write_detector_golden(path: str, log=print) -> None:
    """The events of training/detector.py for DETECTOR_SETTINGS; the C# TriggerDetector must give the same."""
    from . import detector
    probs = detector_probabilities()
    cases = []
    for threshold, consecutive, refractory_s in DETECTOR_SETTINGS:
        refr = detector.refractory_steps(refractory_s, DETECTOR_STEP_S)
        cases.append({"threshold": threshold, "consecutive_steps": consecutive, "refractory_s": refractory_s,
                      "refractory_steps": refr,
                      "events": detector.detect(probs, threshold, refr, consecutive).tolist()})
    with open(path, "w") as f:
        json.dump({"note": "python3 -m training goldens --detector writes this; null is NaN",
                   "step_s": DETECTOR_STEP_S,
                   "probabilities": [None if np.isnan(v) else float(v) for v in probs], "cases": cases}, f)
    log(f"wrote {len(cases)} detector cases to {path}")


TIMING_CASES = [(400, 160, 16000, 3), (400, 160, 16000, 1), (512, 128, 8000, 4), (320, 160, 16000, 2)]


def write_timing_golden(path: str, log=print) -> None:
    """Step timing for several feature specs and frames per step: when steps are available, and where a word's held
    ones start; the C# StepTiming must give the same numbers."""
    from . import timing
    cases = []
    for window, hop, rate, fps in TIMING_CASES:
        spec = FeatureSpec(sample_rate=rate, window_samples=window, hop_samples=hop)
        steps = np.arange(0, 200, 7)
        samples = np.array([0, 1, window - 1, window, window + hop * fps - 1, 4799, 4800, 4801, 16000, 160001, 1234567])
        cases.append({"window_samples": window, "hop_samples": hop, "sample_rate": rate, "frames_per_step": fps,
                      "step_seconds": timing.step_seconds(fps, spec),
                      "steps": steps.tolist(), "sample_available": timing.sample_available(steps, fps, spec).tolist(),
                      "samples": samples.tolist(),
                      "first_step_after": timing.first_step_after(samples, fps, spec).tolist(),
                      "last_step_by": timing.last_step_by(samples, fps, spec).tolist()})
    with open(path, "w") as f:
        json.dump({"note": "python3 -m training goldens --timing (training/timing.py)", "cases": cases}, f)
    log(f"wrote {path}")


def write_head_goldens(out_dir: str, models_dir: str, log=print) -> None:
    """Tiny heads (seeded weights, normalised on the golden audio) for the C# tests, bound to the shipped front end, and
    their forward passes over that audio's embeddings: a windowed head (tiny_head: one GRU layer of 16), a staggered
    one (tiny_staggered_head: the same layer, three copies over a window of 18) and a staggered ensemble, its heads
    packed in one GRU node per layer (tiny_staggered_ensemble: three heads of two layers of 8, four copies over 12)."""
    from .head import HeadConfig
    _tiny_head_golden(HeadConfig(gru_hidden=16, gru_layers=1, dropout=0.0, window=16, stagger=0), "tiny_head",
                      out_dir, models_dir, log)
    _tiny_head_golden(HeadConfig(gru_hidden=16, gru_layers=1, dropout=0.0, window=18, stagger=3), "tiny_staggered_head",
                      out_dir, models_dir, log)
    _tiny_head_golden(HeadConfig(gru_hidden=8, gru_layers=2, dropout=0.0, window=12, stagger=4),
                      "tiny_staggered_ensemble", out_dir, models_dir, log, heads=3)
    # The same graph declaring 3 embeddings per call, which it cannot take: the loader must refuse it by name.
    import onnx
    bad = onnx.load(os.path.join(models_dir, "tiny_staggered_head.onnx"))
    bad.graph.input[0].type.tensor_type.shape.dim[1].dim_value = 3
    # In a folder of its own: a models folder holds one broken model, which the CLI's folder test counts.
    os.makedirs(os.path.join(models_dir, "invalid"), exist_ok=True)
    onnx.save(bad, os.path.join(models_dir, "invalid", "bad_head_three_steps.onnx"))


def _tiny_head_golden(cfg, name: str, out_dir: str, models_dir: str, log, heads: int = 1) -> None:
    import torch
    from .frontend import export as fe_export
    from .frontend.speech_embedding import SpeechEmbedding
    from .frontend.weights import sha256_of
    from .head import EmbeddingHead, HeadEnsemble, export_head, head_metadata
    torch.manual_seed(7)
    fe = SpeechEmbedding.from_npm()
    pcm, _ = sf.read(os.path.join(os.path.dirname(out_dir), "audio", "computer_real_1.wav"), dtype="int16")
    emb = fe.embed_clips(torch.from_numpy(pcm.astype(np.float32)[None] / 32768.0))[0]
    members = []
    for _ in range(heads):
        member = EmbeddingHead(cfg)
        member.eval()
        member.emb_mean.copy_(emb.mean(0))
        member.emb_std.copy_(emb.std(0) + 1e-3)
        with torch.no_grad():
            for p in member.gru.parameters():
                p.mul_(3.0)  # livelier than the default init, so the test sees probabilities move
        members.append(member)
    head = members[0] if heads == 1 else HeadEnsemble(members).eval()
    frontend_path = fe_export.DEFAULT_PATH
    meta = head_metadata(head, "computer", "0.0.1", sha256_of(frontend_path), 0.5, 5, 1.0,
                         {"note": "tests only: seeded weights, never trained"})
    path = os.path.join(models_dir, f"{name}.onnx")
    export_head(head, path, meta)
    probs = head.score(emb.numpy())
    with open(os.path.join(out_dir, f"{name}_forward.json"), "w") as f:
        json.dump({"model": f"{name}.onnx", "audio": "tests/data/audio/computer_real_1.wav",
                   "note": "python3 -m training goldens --head: torch front end (streaming form) then the head",
                   "embeddings": [round(float(v), 5) for v in emb.numpy().ravel()], "embedding_dim": int(emb.shape[1]),
                   "probs": [float(v) for v in probs]}, f)
    log(f"wrote {path} and {out_dir}/{name}_forward.json")
