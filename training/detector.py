"""The trigger rule, written once for training: the same decisions as the C# TriggerDetector
(src/WakeWord.Core/Detection/TriggerDetector.cs), pinned by tests/data/golden/detector_cases.json, which a Python
test and a C# test both replay. Threshold picking in training uses this, so the thresholds it ships mean in the
service what they meant here."""
from __future__ import annotations

import math

import numpy as np

# The C# DetectorSettings defaults (src/WakeWord.Core/Detection/DetectorSettings.cs; a test checks they agree).
DEFAULT_CONSECUTIVE = 1
DEFAULT_REFRACTORY_S = 1.0


def refractory_steps(refractory_s: float, step_s: float) -> int:
    """Refractory time in whole steps, rounded up; the epsilon keeps 0.9 s / 0.03 s at 30 (not 31) despite
    floating-point noise, as in C#."""
    return int(math.ceil(refractory_s / step_s - 1e-9))


def detect(probs, threshold: float, refractory: int, consecutive: int = DEFAULT_CONSECUTIVE) -> np.ndarray:
    """Steps that fire: a run of `consecutive` steps at or above the threshold fires once, at the step where it
    reaches that length, unless fewer than `refractory` steps have passed since the last event (then the run is
    swallowed, not delayed). NaN breaks a run."""
    p = np.asarray(probs, dtype=np.float32)
    above = p >= np.float32(threshold)
    if consecutive == 1:
        candidates = np.nonzero(above & ~np.concatenate([[False], above[:-1]]))[0]
    else:
        # Steps where a run reaches exactly `consecutive`: above here and for the consecutive-1 steps before, and
        # not above just before those.
        run = np.zeros(len(p), np.int64)
        count = 0
        for j, a in enumerate(above):
            count = count + 1 if a else 0
            run[j] = count
        candidates = np.nonzero(run == consecutive)[0]
    events, last = [], None
    for j in candidates:
        if last is None or j - last >= refractory:
            events.append(int(j))
            last = j
    return np.array(events, dtype=np.int64)
