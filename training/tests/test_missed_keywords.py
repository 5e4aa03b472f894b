"""training/scripts/missed-keywords.py: a model's threshold at a false-accept rate comes from its judge rows (by the
rule calibration picks with, scoring.lowest_threshold_row), a keyword's best probability is taken over exactly the
judge's hit window, and the pitch estimate sorts voices."""
import importlib.util
import os

import numpy as np

from training import head_judge as hj
from training.accuracy import scoring

spec = importlib.util.spec_from_file_location(
    "missed_keywords", os.path.join(os.path.dirname(__file__), "..", "scripts", "missed-keywords.py"))
mk = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mk)


def test_the_threshold_is_the_lowest_whose_rate_is_at_or_under_the_target():
    rows = [{"threshold": 0.5, "fa_per_hour": 3.0}, {"threshold": 0.8, "fa_per_hour": 0.5},
            {"threshold": 0.9, "fa_per_hour": 0.2}, {"threshold": 0.95, "fa_per_hour": 0.6}]
    assert scoring.lowest_threshold_row(rows, 0.5)["threshold"] == 0.8
    assert scoring.lowest_threshold_row(rows, 0.3)["threshold"] == 0.9
    assert scoring.lowest_threshold_row(rows, 0.1) is None


def test_a_keywords_best_probability_is_taken_over_the_judges_hit_window_only():
    t = lambda j: hj.se.step_available_sample(j) / hj.se.SAMPLE_RATE  # noqa: E731
    probs = np.zeros(400, np.float32)
    start, end = t(100), t(120)
    last = max(j for j in range(400) if t(j) <= end + scoring.HIT_AFTER_END_S)
    probs[99], probs[last + 1] = 0.99, 0.98  # just outside, on either side
    probs[110] = 0.4
    assert mk.best_in_windows(probs, [(start, end)])[0] == np.float32(0.4)
    probs[last] = 0.7  # the window's last step counts
    assert mk.best_in_windows(probs, [(start, end)])[0] == np.float32(0.7)


def test_pitch_is_found_for_a_low_and_a_high_voice_and_not_in_noise():
    sr = 16000
    t = np.arange(sr) / sr
    voice = lambda f0: sum(np.sin(2 * np.pi * f0 * h * t) / h for h in range(1, 6)).astype(np.float32)  # noqa: E731
    assert abs(mk.pitch_hz(voice(110.0)) - 110) < 5
    assert abs(mk.pitch_hz(voice(230.0)) - 230) < 10
    assert np.isnan(mk.pitch_hz(np.random.default_rng(0).normal(size=sr).astype(np.float32)))
