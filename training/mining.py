"""Hard-negative mining: the speech that training may read, scored by the model being trained, and the utterances it
takes for the word kept apart, so that the rest of training shows them (in fresh mixes) far more often.

The pool is every negative utterance training already owns: the synthesized negatives, the real negative recordings
of the train split and the training-only Debian speech (data.TRAINING_SPEECH_SOURCES). None of it is benchmark or
calibration audio, so mining never touches what the benchmark measures. Each utterance is scored inside a stream,
as the service hears it: after other utterances, over real (training-part) noise at 20, 10 or 5 dB SNR.
"""
from __future__ import annotations

import numpy as np
import torch

from .audio import SR
from .bank import Bank
from .features import FeatureSpec, LogMel
from .mixing import NoiseReader, at_level, unit_std
from .model import TriggerModel
from .timing import first_step_after, last_step_by

MINING_SNRS_DB = (20.0, 10.0, 5.0)
# How long after an utterance's end an output still belongs to it: the labels' held ones start at the word end and
# the model reacts within a few steps.
TAIL_S = 0.5
# Utterances per scored segment: bounds the memory of one featurizer call (about 10 minutes of audio).
SEGMENT_UTTERANCES = 200


def mining_pool(bank: Bank) -> list[np.ndarray]:
    return list(bank.neg) + list(bank.real_neg) + list(bank.speech)


def _noise_source(bank: Bank, rng) -> np.ndarray:
    if bank.noise:
        return np.concatenate([unit_std(n) for n in bank.noise]).astype(np.float32)
    return rng.standard_normal(60 * SR).astype(np.float32)


def score_utterances(model: TriggerModel, pool: list[np.ndarray], noise: np.ndarray, spec: FeatureSpec, seed: int,
                     log=print) -> np.ndarray:
    """Highest trigger probability of each utterance (from its start to TAIL_S after its end) in streams of the pool
    over noise. One fresh model state per segment of SEGMENT_UTTERANCES utterances."""
    rng = np.random.default_rng(seed)
    featurize = LogMel(spec)
    stride = model.cfg.stride
    best = np.zeros(len(pool), np.float32)
    bed = NoiseReader(noise, rng)
    model.eval()
    for s0 in range(0, len(pool), SEGMENT_UTTERANCES):
        idx = range(s0, min(len(pool), s0 + SEGMENT_UTTERANCES))
        parts, spans, pos = [], [], 0
        for i in idx:
            u = pool[i]
            level = 10 ** (rng.uniform(-30, -14) / 20)
            gap = int(rng.uniform(0.3, 1.0) * SR)
            seg = np.concatenate([np.zeros(gap, np.float32), at_level(u, level)])
            seg = seg + bed.take(len(seg)) * level * 10 ** (-MINING_SNRS_DB[i % len(MINING_SNRS_DB)] / 20)
            parts.append(seg.astype(np.float32))
            spans.append((pos + gap, pos + len(seg)))
            pos += len(seg)
        audio = np.clip(np.concatenate(parts + [np.zeros(int(TAIL_S * SR) + SR, np.float32)]), -1, 1)
        with torch.no_grad():
            feats = featurize(torch.from_numpy(audio).unsqueeze(0))
            usable = (feats.shape[1] // stride) * stride
            c, h = model.zero_state(1)
            probs = model(feats[:, :usable], c, h)[0][0].numpy()
        for i, (a, b) in zip(idx, spans):
            j0 = max(0, int(last_step_by(a, stride, spec)))
            j1 = min(len(probs), int(first_step_after(b + int(TAIL_S * SR), stride, spec)) + 1)
            best[i] = float(probs[j0:j1].max()) if j1 > j0 else 0.0
        log(f"  mining: scored {idx.stop}/{len(pool)} utterances")
    return best


def mine(model: TriggerModel, bank: Bank, spec: FeatureSpec, seed: int, min_prob: float, cap: int, log=print) -> dict:
    """The utterances of the pool that the model scores at least `min_prob`, highest first, at most `cap`."""
    pool = mining_pool(bank)
    if not pool:
        raise ValueError("hard-negative mining has no negative utterances to score")
    rng = np.random.default_rng(seed)
    scores = score_utterances(model, pool, _noise_source(bank, rng), spec, seed, log)
    order = np.argsort(-scores, kind="stable")
    keep = [int(i) for i in order[:cap] if scores[i] >= min_prob]
    n_tts, n_real = len(bank.neg), len(bank.real_neg)
    origin = lambda i: "tts" if i < n_tts else ("real" if i < n_tts + n_real else "speech")
    by_origin = {k: sum(1 for i in keep if origin(i) == k) for k in ("tts", "real", "speech")}
    stats = {"pool": len(pool), "kept": len(keep), "min_prob": min_prob, "cap": cap, "by_origin": by_origin,
             "above": {str(t): int(np.sum(scores >= t)) for t in (0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.98)}}
    log(f"mining: {len(keep)} hard negatives of {len(pool)} utterances (>= {min_prob}; {by_origin}); "
        f"at or above 0.5/0.9/0.98: {stats['above']['0.5']}/{stats['above']['0.9']}/{stats['above']['0.98']}")
    return {"audio": [pool[i] for i in keep], "scores": [float(scores[i]) for i in keep], "stats": stats}
