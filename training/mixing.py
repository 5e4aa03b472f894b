"""Levels and noise beds, written once: every clip and stream that training, evaluation, the accuracy benchmark,
mining and the test fixtures make sets its levels and lays its noise with these.

Each function keeps the arithmetic and the random draws its callers had, so a seed still makes the same audio to the
bit: the banks, benchmark streams and embeddings cached on disk were made from it. That is also why two levels exist
(`at_level` in the input's precision, `file_level` in float64 with the floor under the root) and two ways to pick a
stretch of noise (`random_stretch`, `stretch` from a start the caller draws).
"""
from __future__ import annotations

import numpy as np

from .audio import SR

# Keeps silence (an all-zero clip or noise file) from dividing by zero.
FLOOR = 1e-9


def rms(x: np.ndarray, dtype=None):
    """Root mean square; dtype=np.float64 sums a float32 signal in double precision."""
    return np.sqrt(np.mean(np.square(x, dtype=dtype)))


def at_level(x: np.ndarray, level: float = 1.0, dtype=None) -> np.ndarray:
    """x scaled to RMS `level` (linear)."""
    return x / (rms(x, dtype) + FLOOR) * level


def unit_std(x: np.ndarray) -> np.ndarray:
    """x scaled to standard deviation 1 (noise beds and finished mixes, whose offset does not count as loudness)."""
    return x / (np.std(x) + FLOOR)


def at_std(x: np.ndarray, std: float) -> np.ndarray:
    """x scaled to standard deviation `std` (a finished clip at its input level)."""
    return x * (std / (np.std(x) + FLOOR))


def file_rms(x: np.ndarray) -> float:
    """RMS in float64 with the floor under the root: the level of the accuracy benchmark's recordings and noise."""
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64)) + 1e-12))


def stretch(src: np.ndarray, start: int, n: int) -> np.ndarray:
    """n samples of src from `start`, running on around its end (a new array)."""
    return np.take(src, start + np.arange(n), mode="wrap")


def random_stretch(src: np.ndarray, n: int, rng) -> np.ndarray:
    """n samples of src from a random start, running on around its end. The start is drawn over as many copies of src
    as cover n plus one."""
    copies = int(np.ceil(n / len(src))) + 1
    return stretch(src, int(rng.integers(0, len(src) * copies - n)), n)


class NoiseReader:
    """Continuous noise, read on from where the last read stopped (from a random start, around the end)."""

    def __init__(self, src: np.ndarray, rng):
        self.src = src
        self.pos = int(rng.integers(0, len(src)))

    def take(self, n: int) -> np.ndarray:
        out = stretch(self.src, self.pos, n)
        self.pos = (self.pos + n) % len(self.src)
        return out


def recorded_or_colored_bed(noise: list[np.ndarray], n: int, rng) -> np.ndarray:
    """A stretch of a random real noise recording (60%) or generated colored noise; unit standard deviation."""
    if noise and rng.random() < 0.6:
        src = noise[rng.integers(len(noise))]
        x = stretch(src, int(rng.integers(len(src))), n)
    else:
        x = colored_noise(n, rng, float(rng.choice([0.0, 1.0, 2.0])))
    return unit_std(x).astype(np.float32)


def held_out_bed(noise: list[np.ndarray], n: int, rng) -> np.ndarray:
    """A random stretch of all the (held-out) noise recordings joined; unit standard deviation. Without recordings,
    quiet white noise."""
    if not noise:
        return rng.standard_normal(n).astype(np.float32) * 0.01
    return unit_std(random_stretch(np.concatenate(noise), n, rng))


# ---- generated backgrounds ----

def colored_noise(n, rng, exponent):
    """Noise whose power falls as 1/f^exponent (0 white, 1 pink, 2 brown); unit standard deviation."""
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(spec.size, dtype=np.float64)
    f[0] = 1
    x = np.fft.irfft(spec / f ** (exponent / 2), n)
    return unit_std(x).astype(np.float32)


def tones(n, rng):
    """Short decaying notes with harmonics (music, beeps); unit standard deviation."""
    t = np.arange(n) / SR
    x = np.zeros(n, np.float64)
    note = int(SR * rng.uniform(0.15, 0.5))
    for s in range(0, n, note):
        f0 = 110 * 2 ** (rng.integers(0, 36) / 12)
        seg = slice(s, min(n, s + note))
        for h in range(1, 4):
            x[seg] += np.sin(2 * np.pi * f0 * h * t[seg]) / h * np.exp(-3 * (t[seg] - t[s]))
    return unit_std(x).astype(np.float32)


def babble(n, rng, pool):
    """3-6 voices from the pool talking at once, each on and on; unit standard deviation."""
    x = np.zeros(n, np.float32)
    for _ in range(int(rng.integers(3, 7))):
        pos = 0
        while pos < n:
            u = pool[rng.integers(len(pool))]
            m = min(len(u), n - pos)
            x[pos:pos + m] += u[:m] * rng.uniform(0.5, 1.0)
            pos += m + int(rng.integers(0, SR // 4))
    return unit_std(x)


def room_impulse(rng):
    """A room's impulse response: a direct path and an exponentially decaying tail (RT60 0.15-0.8 s); unit energy."""
    rt60 = rng.uniform(0.15, 0.8)
    n = int(rt60 * SR)
    t = np.arange(n) / SR
    h = rng.standard_normal(n) * np.exp(-6.9 * t / rt60)
    h[0] = 1.0 / rng.uniform(0.3, 1.0)  # direct path relative to the reverberant tail
    return (h / np.sqrt(np.sum(h ** 2))).astype(np.float32)
