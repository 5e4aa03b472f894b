"""The bank's cache: a bank pickled as the dict it used to be is read back as a Bank, never rebuilt."""
import pickle

import numpy as np

from training.bank import Bank, build_bank, cache_path
from training.data import RealData


def test_a_cached_dict_bank_is_converted_not_rebuilt(tmp_path):
    one = np.ones(800, np.float32)
    old = {"pos": [one], "neg": [one, one], "pos_sources": {"flite"}, "neg_sources": {"espeak-ng"}, "tts_pos": 1,
           "tts_neg": 2, "real_pos": [], "real_neg": [one], "noise": [], "speech": []}
    real = RealData(None, "computer")
    with open(cache_path("computer", real, 3, 0.5, str(tmp_path), False, False, 0.0), "wb") as f:
        pickle.dump(old, f)
    said = []
    bank = build_bank("computer", real, 3, 0.5, str(tmp_path), log=said.append)
    assert said == []  # nothing synthesized
    assert isinstance(bank, Bank) and len(bank.neg) == 2 and len(bank.real_neg) == 1
    assert bank.tts_summary() == {"positives": 1, "negatives": 2, "engines": ["espeak-ng", "flite"]}


def test_a_dict_bank_without_the_later_keys_still_loads():
    bank = Bank.of({"pos": [], "neg": [], "real_pos": [], "real_neg": [], "noise": []})
    assert bank.speech == [] and bank.engines == []


def test_real_positives_longer_than_a_word_are_left_out_also_from_a_cached_bank(tmp_path):
    from training.audio import SR
    from training.bank import MAX_WORD_S
    word, line = np.ones(int(0.8 * SR), np.float32), np.ones(int((MAX_WORD_S + 0.5) * SR), np.float32)
    cached = Bank(pos=[word], neg=[word], real_pos=[word, line, word], real_neg=[], noise=[])
    real = RealData(None, "computer")
    with open(cache_path("computer", real, 3, 0.5, str(tmp_path), False, False, 0.0), "wb") as f:
        pickle.dump(cached, f)
    said = []
    bank = build_bank("computer", real, 3, 0.5, str(tmp_path), log=said.append)
    assert [len(a) for a in bank.real_pos] == [len(word), len(word)]
    assert any("1 of 3 left out" in s for s in said)
