"""When a model's output steps happen in the audio, the one definition training uses (models/README.md): step j needs
frames 0 .. (j+1)*frames_per_step - 1, so it is available at sample ((j+1)*frames_per_step - 1)*hop + window. The C#
copy is WakeWord.Core.Scoring.StepTiming; tests/data/golden/step_timing.json (python3 -m training goldens --timing)
pins both. Every function takes a step or sample count, or a numpy array of them."""
from __future__ import annotations

import numpy as np

from .features import FeatureSpec


def samples_per_step(frames_per_step: int, spec: FeatureSpec) -> int:
    return frames_per_step * spec.hop_samples


def step_seconds(frames_per_step: int, spec: FeatureSpec) -> float:
    return samples_per_step(frames_per_step, spec) / spec.sample_rate


def sample_available(step, frames_per_step: int, spec: FeatureSpec):
    """The sample count from the stream start at which output step `step` (0-based) is available."""
    return ((np.asarray(step) + 1) * frames_per_step - 1) * spec.hop_samples + spec.window_samples


def seconds_available(step, frames_per_step: int, spec: FeatureSpec):
    return sample_available(step, frames_per_step, spec) / spec.sample_rate


def first_step_after(sample, frames_per_step: int, spec: FeatureSpec):
    """The first step that has heard the audio up to `sample` (a word's end: where its held ones start)."""
    pending = np.asarray(sample) - sample_available(0, frames_per_step, spec)
    per = samples_per_step(frames_per_step, spec)
    return np.maximum(0, -(-pending // per))


def last_step_by(sample, frames_per_step: int, spec: FeatureSpec):
    """The last step available by `sample` (-1 when none is yet)."""
    return (np.asarray(sample) - sample_available(0, frames_per_step, spec)) // samples_per_step(frames_per_step, spec)
