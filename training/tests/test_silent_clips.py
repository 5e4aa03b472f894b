"""Silent clips: the words over digital silence (exact zeros on the 16-bit grid), as in a synthesized WAV file."""
import numpy as np

from training.bank import Bank
from training.data import ClipMixer
from training.features import FeatureSpec
from training.model import ModelConfig

SR = 16000


def bank(rng):
    words = [(0.5 * np.sin(np.arange(int(rng.uniform(0.5, 0.8) * SR)) * 0.3)).astype(np.float32) for _ in range(4)]
    noise = [rng.normal(0, 0.1, 3 * SR).astype(np.float32)]
    return Bank(pos=words, neg=words[:1], noise=noise)


def mixer(silent):
    return ClipMixer(bank(np.random.default_rng(0)), FeatureSpec(), ModelConfig(), held_ones=12, seed=5, silent=silent)


def test_a_silent_clip_is_exact_zeros_outside_its_words_and_on_the_16_bit_grid():
    m = mixer(True)
    zero_shares = []
    for i in range(20):
        x, ends = m.mix(i)
        np.testing.assert_array_equal(x, np.round(x * 32767) / 32767)
        zero_shares.append(np.mean(x == 0.0))
        if ends:
            assert np.max(np.abs(x)) > 0.0
    # Words fill at most about half of a 10 s clip; much of the rest is exact zeros (reverb and filter tails aside).
    assert min(zero_shares) > 0.2, zero_shares


def test_a_clip_over_noise_has_no_digital_silence():
    m = mixer(False)
    for i in range(20):
        x, _ = m.mix(i)
        assert np.mean(x == 0.0) < 0.05  # tone backgrounds have short gaps, never seconds of zeros
