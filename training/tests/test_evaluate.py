"""The evaluation's event logic on hand-made inputs: what counts as a hit, and the delay it reports."""
import pytest
import numpy as np

from training.detector import detect
from training.evaluate import HIT_AFTER_END_S, hit_delays

SR = 16000


def test_delay_is_from_the_word_end_to_the_first_event_in_its_window():
    words = np.array([(1 * SR, 2 * SR), (4 * SR, 5 * SR), (8 * SR, 9 * SR)])
    # Before word 1 (a false accept, not a hit); two in word 1's window (the first counts); one late for word 2;
    # one while word 3 is still being said.
    events = np.array([0.5, 2.25, 2.5, 5.0 + HIT_AFTER_END_S + 0.1, 8.9])
    delays = hit_delays(events, words)
    assert np.allclose(delays, [0.25, -0.1])


def test_detect_fires_on_rising_edges_outside_the_refractory_time():
    probs = np.array([0.1, 0.7, 0.8, 0.2, 0.9, 0.1, 0.1, 0.1, 0.6])
    assert list(detect(probs, 0.5, refractory=1)) == [1, 4, 8]
    assert list(detect(probs, 0.5, refractory=4)) == [1, 8]
    assert list(detect(probs, 0.95, refractory=1)) == []


def test_features_come_from_the_models_metadata_and_bad_keys_are_named():
    from training.features import FeatureSpec
    assert FeatureSpec.from_metadata(FeatureSpec().metadata()) == FeatureSpec()
    other = {**FeatureSpec().metadata(), "feature.mel_bins": "32", "feature.fmax_hz": "4000.0"}
    spec = FeatureSpec.from_metadata(other)
    assert (spec.mel_bins, spec.fmax_hz) == (32, 4000.0)
    missing = {k: v for k, v in FeatureSpec().metadata().items() if k != "feature.hop_samples"}
    with pytest.raises(ValueError, match="m.onnx has no metadata feature.hop_samples"):
        FeatureSpec.from_metadata(missing, "m.onnx")
    with pytest.raises(ValueError, match="feature.window = 'hamming' is not supported"):
        FeatureSpec.from_metadata({**FeatureSpec().metadata(), "feature.window": "hamming"})
    with pytest.raises(ValueError, match="feature.fft_size = 'big' is not a number"):
        FeatureSpec.from_metadata({**FeatureSpec().metadata(), "feature.fft_size": "big"})
