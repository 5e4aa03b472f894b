"""Follow-on clips: other speech follows each wake word at once, as a command said right after it does."""
import numpy as np

from training.bank import Bank
from training.data import FOLLOW_GAP_S, ClipMixer
from training.features import FeatureSpec
from training.model import ModelConfig

SR = 16000


def mixer(follow_on):
    rng = np.random.default_rng(0)
    words = [(0.5 * np.sin(np.arange(int(rng.uniform(0.5, 0.8) * SR)) * 0.3)).astype(np.float32) for _ in range(4)]
    return ClipMixer(Bank(pos=words, neg=words[:2], noise=[rng.normal(0, 0.1, 3 * SR).astype(np.float32)]),
                     FeatureSpec(), ModelConfig(), held_ones=12, seed=5, follow_on=follow_on)


def gaps_after_words(m, clips=60):
    """For every word of `clips` layouts: the pause before the next utterance (None where nothing follows)."""
    gaps = []
    for i in range(clips):
        placed = m.layout(np.random.default_rng([5, i]), talking=False)
        for j, (positive, start, u, _) in enumerate(placed):
            if positive:
                gaps.append(placed[j + 1][1] - (start + len(u)) if j + 1 < len(placed) else None)
    return gaps


def test_other_speech_follows_every_word_within_a_commas_pause():
    gaps = gaps_after_words(mixer(True))
    followed = [g for g in gaps if g is not None]
    assert len(followed) >= 0.9 * len(gaps)  # only a word at the very end of a clip may stand alone
    assert all(0 <= g < FOLLOW_GAP_S * SR for g in followed), followed
    placed = mixer(True).layout(np.random.default_rng([5, 0]), talking=False)
    assert [p for p, *_ in placed][:2] == [True, False]


def test_in_the_main_clips_a_pause_of_at_least_0_2_s_follows_each_word():
    followed = [g for g in gaps_after_words(mixer(False)) if g is not None]
    assert followed and min(followed) >= 0.2 * SR


def test_a_follow_on_clip_labels_its_words_like_any_other():
    m = mixer(True)
    x, ends = m.mix(3)
    assert len(x) == m.samples and ends
    y = m[3][1].numpy()
    assert y.sum() == 12 * len(ends)
