"""training/scripts/detector-rules.py: the moving mean is causal; the judge's events (head_judge.events) take the
runtime's consecutive-steps rule."""
import importlib.util
import os

import numpy as np

spec = importlib.util.spec_from_file_location(
    "detector_rules", os.path.join(os.path.dirname(__file__), "..", "scripts", "detector-rules.py"))
rules = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rules)


def test_the_moving_mean_reads_only_the_steps_up_to_its_own():
    p = np.array([0, 0, 1, 1, 1, 0], np.float32)
    np.testing.assert_allclose(rules.moving_mean(p, 2), [0, 0, 0.5, 1, 1, 0.5])
    np.testing.assert_allclose(rules.moving_mean(p, 3), [0, 0, 1 / 3, 2 / 3, 1, 2 / 3], rtol=1e-6)
    assert rules.moving_mean(p, 1) is p


def test_a_short_spike_fires_only_under_one_step_and_a_plateau_under_both():
    p = np.zeros(100, np.float32)
    p[10] = 0.9           # one step above 0.5
    p[50:53] = 0.9        # three steps above 0.5
    one = [t for _, t in rules.head_judge.events(p, [0.5], consecutive=1)]
    three = [t for _, t in rules.head_judge.events(p, [0.5], consecutive=3)]
    step = rules.head_judge.STEP_S
    assert len(one) == 2 and len(three) == 1
    # The plateau fires where it reaches three steps, two steps after it would under one.
    assert abs((three[0] - one[1]) - 2 * step) < 1e-9
