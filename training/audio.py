"""Small audio helpers: reading, resampling, trimming."""
from __future__ import annotations

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

SR = 16000


def resample_to(audio: np.ndarray, rate: int, target: int = SR) -> np.ndarray:
    if rate == target:
        return audio.astype(np.float32)
    g = np.gcd(int(rate), int(target))
    return resample_poly(audio, target // g, rate // g).astype(np.float32)


def read_audio(path: str) -> np.ndarray:
    audio, rate = sf.read(path, dtype="float32", always_2d=True)
    return resample_to(audio.mean(axis=1), rate)


def speech_bounds(x: np.ndarray, rel: float = 0.35, max_below_peak_db: float = 45.0) -> tuple[int, int] | None:
    """(start, end) samples of the region louder than the noise floor by `rel` of the floor-to-peak range (10 ms
    frames), so room noise in real recordings is not taken for speech. None if silent."""
    hop = SR // 100
    n = len(x) // hop
    if n == 0:
        return None
    frames = x[: n * hop].reshape(n, hop)
    db = 10 * np.log10(np.mean(frames.astype(np.float64) ** 2, axis=1) + 1e-12)
    peak, floor = db.max(), np.percentile(db, 10)
    if peak < -70:
        return None
    thr = max(floor + rel * (peak - floor), peak - max_below_peak_db)
    active = np.nonzero(db > thr)[0]
    return int(active[0] * hop), int(min(len(x), (active[-1] + 1) * hop))


def trim(x: np.ndarray, lead_s: float = 0.05, tail_s: float = 0.02) -> np.ndarray | None:
    """Cut silence around speech, so the utterance ends where the word ends (the label position)."""
    b = speech_bounds(x)
    if b is None:
        return None
    s = max(0, b[0] - int(lead_s * SR))
    e = min(len(x), b[1] + int(tail_s * SR))
    return x[s:e].astype(np.float32)
