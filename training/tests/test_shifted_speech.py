"""Shifted speech: copies of the real-speech negatives at other speeds, as other voices."""
import numpy as np

from training.head_data import SHIFT_MAX, SHIFT_MIN, shifted_segments

SR = 16000


def tone(hz, seconds=1.0):
    return np.sin(2 * np.pi * hz * np.arange(int(seconds * SR)) / SR).astype(np.float32)


def peak_hz(x):
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return np.argmax(spectrum) * SR / len(x)


def test_every_copy_moves_pitch_by_its_speed_up_or_down_never_by_less_than_the_minimum():
    segments = [tone(200), tone(300), tone(450)]
    out = shifted_segments(segments, copies=8, seed=3)
    assert len(out) == 8 * len(segments)
    ratios = []
    for i, y in enumerate(out):
        x = segments[i % len(segments)]
        factor = len(x) / len(y)  # faster speech is shorter
        ratios.append(factor)
        assert SHIFT_MIN - 0.01 <= max(factor, 1 / factor) <= SHIFT_MAX + 0.01, factor
        assert abs(peak_hz(y) / peak_hz(x) - factor) < 0.02, (peak_hz(y), peak_hz(x), factor)
    assert min(ratios) < 1 < max(ratios)  # both ways: higher and lower voices


def test_the_same_seed_gives_the_same_copies_and_another_seed_others():
    segments = [tone(220), tone(330)]
    a, b, c = (shifted_segments(segments, 2, s) for s in (1, 1, 2))
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert any(len(x) != len(y) for x, y in zip(a, c))
