"""Partial-word negatives: the cut itself, and that the mixer uses them as negatives (never labelled) only when asked."""
import numpy as np
import pytest

from training.bank import Bank
from training.data import ClipMixer, partial_word
from training.features import FeatureSpec
from training.model import ModelConfig
from training.recipe import Recipe

SR = 16000


def word(rng, seconds=0.7, lead=0.1):
    """A 'word': a tone burst between silent margins, so where it is voiced is known."""
    voiced = (0.5 * np.sin(np.arange(int(seconds * SR)) * 0.3)).astype(np.float32)
    pad = np.zeros(int(lead * SR), np.float32)
    return np.concatenate([pad, voiced, pad])


def test_the_cut_keeps_35_to_65_percent_of_the_voiced_part_and_fades_out():
    rng = np.random.default_rng(3)
    u = word(rng)
    start, voiced = int(0.1 * SR), int(0.7 * SR)
    for _ in range(50):
        x = partial_word(u, rng)
        kept = (len(x) - start) / voiced
        assert 0.35 <= kept <= 0.65 + 1e-6
        np.testing.assert_array_equal(x, u[:len(x)] * np.concatenate(
            [np.ones(len(x) - SR // 100), np.linspace(1.0, 0.0, SR // 100)]).astype(np.float32))
        assert x[-1] == 0.0


def test_the_cut_leaves_the_source_alone_and_survives_silence():
    rng = np.random.default_rng(4)
    u = word(rng)
    before = u.copy()
    partial_word(u, rng)
    np.testing.assert_array_equal(u, before)
    assert len(partial_word(np.zeros(4000, np.float32), rng)) >= 1


def bank(rng):
    positives = [word(rng, seconds=float(rng.uniform(0.5, 0.8))) for _ in range(4)]
    # Negatives here are silence, so any voiced negative in a clip can only be a partial word.
    return Bank(pos=positives, neg=[np.zeros(8000, np.float32)], noise=[np.zeros(3 * SR, np.float32)])


def mixer(share):
    return ClipMixer(bank(np.random.default_rng(0)), FeatureSpec(), ModelConfig(), held_ones=12, seed=5,
                     partial_share=share)


def test_with_the_switch_off_no_utterance_is_a_partial_word():
    m = mixer(0.0)
    rng = np.random.default_rng(9)
    for _ in range(100):
        u = m._utterance(rng, positive=False)
        assert np.max(np.abs(u)) == 0.0


def test_with_every_negative_partial_they_are_cut_words_and_positives_stay_whole():
    m = mixer(1.0)
    rng = np.random.default_rng(9)
    shortest_whole = min(len(p) for p in m.bank.pos) / 1.15  # the speed perturbation can shorten by 1/1.15
    longest_cut = max(int(0.1 * SR) + 0.65 * (len(p) - int(0.2 * SR)) for p in m.bank.pos) / 0.85 + 1
    for _ in range(30):
        u = m._utterance(rng, positive=False)
        assert np.max(np.abs(u)) > 0  # a cut word, not the silent negative
        assert len(u) <= longest_cut
        assert len(m._utterance(rng, positive=True)) >= shortest_whole - 1


def test_a_share_outside_0_to_1_is_named():
    with pytest.raises(ValueError, match="partial negatives 1.5"):
        Recipe(partial_negatives=1.5)
    assert Recipe().partial_negatives == 0.0  # off until the proxy says otherwise
