"""The trigger rule's golden (tests/data/golden/detector_cases.json), replayed in Python; the C# TriggerDetector
replays the same file (tests/WakeWord.Core.Tests/Detection/TriggerDetectorGoldenTests.cs)."""
import json
import os

import numpy as np

from training import detector, goldens

GOLDEN = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "data", "golden", "detector_cases.json")


def test_the_golden_is_what_the_training_detector_gives_now():
    with open(GOLDEN) as f:
        golden = json.load(f)
    probs = np.array([np.nan if v is None else v for v in golden["probabilities"]], np.float32)
    assert np.array_equal(probs, goldens.detector_probabilities(), equal_nan=True)
    assert len(golden["cases"]) == len(goldens.DETECTOR_SETTINGS)
    for case in golden["cases"]:
        refr = detector.refractory_steps(case["refractory_s"], golden["step_s"])
        assert refr == case["refractory_steps"]
        events = detector.detect(probs, case["threshold"], refr, case["consecutive_steps"])
        assert events.tolist() == case["events"], case


def test_refractory_time_rounds_up_to_whole_steps_without_float_noise():
    assert detector.refractory_steps(0.9, 0.03) == 30  # 0.9 / 0.03 is 30.000000000000004 in floating point
    assert detector.refractory_steps(1.0, 0.03) == 34
    assert detector.refractory_steps(0.0, 0.03) == 0


def test_a_run_fires_once_when_it_reaches_its_length_and_is_swallowed_inside_the_refractory_time():
    p = [0, 0.9, 0.9, 0.9, 0, 0.9, 0.9, 0, 0, 0, 0, 0.9, 0.9]
    assert detector.detect(p, 0.5, refractory=0, consecutive=2).tolist() == [2, 6, 12]
    assert detector.detect(p, 0.5, refractory=5, consecutive=2).tolist() == [2, 12]
    assert detector.detect(p, 0.5, refractory=0, consecutive=1).tolist() == [1, 5, 11]


def test_the_defaults_are_the_csharp_detector_settings_defaults():
    import re
    cs = os.path.join(os.path.dirname(__file__), "..", "..", "src", "WakeWord.Core", "Detection", "DetectorSettings.cs")
    with open(cs) as f:
        text = f.read()
    consecutive = re.search(r"const int DefaultConsecutiveSteps = (\d+);", text)
    refractory = re.search(r"const double DefaultRefractorySeconds = ([0-9.]+);", text)
    assert consecutive and refractory, f"the defaults are no longer constants in {cs}"
    assert int(consecutive.group(1)) == detector.DEFAULT_CONSECUTIVE
    assert float(refractory.group(1)) == detector.DEFAULT_REFRACTORY_S
