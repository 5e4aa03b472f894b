"""Step timing: the golden the C# StepTiming replays (tests/data/golden/step_timing.json) is what training/timing.py
gives now, and the labels and evaluation use that definition."""
import json
import os

import numpy as np

from training import goldens, timing
from training.data import labels_for
from training.features import FeatureSpec
from training.model import ModelConfig

GOLDEN = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "data", "golden", "step_timing.json")


def test_the_golden_is_what_training_timing_gives_now():
    with open(GOLDEN) as f:
        golden = json.load(f)
    assert len(golden["cases"]) == len(goldens.TIMING_CASES)
    for case in golden["cases"]:
        spec = FeatureSpec(sample_rate=case["sample_rate"], window_samples=case["window_samples"],
                           hop_samples=case["hop_samples"])
        fps = case["frames_per_step"]
        assert timing.step_seconds(fps, spec) == case["step_seconds"]
        assert timing.sample_available(np.array(case["steps"]), fps, spec).tolist() == case["sample_available"]
        samples = np.array(case["samples"])
        assert timing.first_step_after(samples, fps, spec).tolist() == case["first_step_after"]
        assert timing.last_step_by(samples, fps, spec).tolist() == case["last_step_by"]


def test_a_step_is_available_exactly_when_its_last_frame_is():
    spec = FeatureSpec()
    # Step 0 of a 3-frame model needs frames 0..2: the third window ends at 2 * 160 + 400 = 720.
    assert timing.sample_available(0, 3, spec) == 720
    assert timing.first_step_after(720, 3, spec) == 0 and timing.first_step_after(721, 3, spec) == 1
    assert timing.last_step_by(719, 3, spec) == -1 and timing.last_step_by(720, 3, spec) == 0
    # A step that has heard sample s is never before the last step available by s.
    s = np.arange(0, 20000, 37)
    assert np.all(timing.first_step_after(s, 3, spec) >= timing.last_step_by(s, 3, spec))
    assert np.all(timing.sample_available(timing.first_step_after(s, 3, spec), 3, spec) >= s)


def test_labels_and_evaluation_use_the_one_definition():
    spec, cfg = FeatureSpec(), ModelConfig()
    ends = [5000, 40000]
    y = labels_for(ends, 600, cfg, spec, held_ones=12)
    starts = [int(timing.first_step_after(e, cfg.stride, spec)) for e in ends]
    assert np.flatnonzero(np.diff(np.concatenate([[0], y])) == 1).tolist() == starts
    assert y.sum() == 24
    assert timing.seconds_available([starts[0]], cfg.stride, spec)[0] * spec.sample_rate >= ends[0]
