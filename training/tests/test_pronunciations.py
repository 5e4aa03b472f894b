"""Other pronunciations of the wake word: vowels swapped in espeak-ng's phonemes, consonants and stress kept."""
import re
import shutil
import subprocess

import numpy as np
import pytest

from training import pronunciations as pr
from training.head_train import HeadRecipe


def skeleton(ph):
    """The phoneme string with every vowel span blanked: what a variant must keep."""
    out, last = [], 0
    for start, end, _ in pr.vowels(ph):
        out += [ph[last:start], "V"]
        last = end
    return "".join(out + [ph[last:]])


def test_vowels_are_read_longest_first_with_their_variant_marks():
    assert [v for *_, v in pr.vowels("dZ'A@vIs")] == ["A@", "I"]
    spans = pr.vowels("a#l'Eks@")
    assert [(s, e, v) for s, e, v in spans] == [(0, 2, "a"), (4, 5, "E"), (7, 8, "@")]  # a# is one vowel
    assert [v for *_, v in pr.vowels("k@mpj'u:t#3")] == ["@", "u:", "3"]


def test_variants_change_vowels_only_and_never_give_the_word_itself():
    ph = "dZ'A@vIs"
    out = pr.variants(ph, np.random.default_rng(3), 10)
    assert len(out) == 10 and len(set(out)) == 10
    assert ph not in out
    for v in out:
        assert skeleton(v) == skeleton(ph), v  # consonants and stress where they were
        changed = sum(a != b for a, b in zip([x for *_, x in pr.vowels(v)], [x for *_, x in pr.vowels(ph)]))
        assert 1 <= changed <= 2, v


def test_variants_leave_out_dictionary_pronunciations_and_are_seeded():
    ph = "dZ'A@vIs"
    every = pr.variants(ph, np.random.default_rng(1), 100)
    banned = frozenset(re.sub("[',]", "", v) for v in every[:3])
    kept = pr.variants(ph, np.random.default_rng(1), 100, banned)
    assert not {re.sub("[',]", "", v) for v in kept} & banned
    assert pr.variants(ph, np.random.default_rng(1), 5) == pr.variants(ph, np.random.default_rng(1), 5)


def test_a_string_without_known_vowels_has_no_variants():
    assert pr.variants("mmm", np.random.default_rng(0), 5) == []


def test_espeak_says_a_variant_and_reads_back_the_same_phonemes():
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng not installed")
    ph = pr.phonemes("jarvis")
    v = pr.variants(ph, np.random.default_rng(0), 1)[0]
    said = subprocess.run(["espeak-ng", "-q", "-x", "-v", "en-us", f"[[{v}]]"], capture_output=True, text=True,
                          check=True).stdout.split()
    assert said == [v]


def test_a_negative_count_of_variant_clips_is_refused_by_name():
    with pytest.raises(ValueError, match="variant clips -1"):
        HeadRecipe(variant_clips=-1)
