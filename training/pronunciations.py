"""Other pronunciations of the wake word: its espeak-ng phonemes with one or two vowels swapped for a neighbouring
vowel (jarvis dZ'A@vIs -> dZ'A@v@s, dZ'A:vIs, ...), said by espeak-ng from phoneme input ([[...]]).

Every synthetic voice reads a word with its engine's one letter-to-sound rule, so the bank holds a single
pronunciation per engine; people reduce, lengthen and colour vowels in many ways (a fifth of jarvis's crowd keywords
are missed by every head: docs/accuracy.md). Consonants are kept: those changes make other words, which the phonetic
neighbours teach as negatives. A variant that is a dictionary word's pronunciation is dropped for the same reason."""
from __future__ import annotations

import hashlib
import os
import pickle
import re
import subprocess
import tempfile

import numpy as np

from . import head_data, texts, tts
from .audio import trim

# espeak-ng's English vowel mnemonics (its phoneme tables' names), each with the vowels people put in its place.
VOWEL_NEIGHBOURS = {
    "aI@": ["aI", "A:"], "aU@": ["aU", "A:"],
    "A@": ["A:", "a", "O@"], "O@": ["O:", "A@"], "e@": ["E", "eI"], "I@": ["i:", "I"], "U@": ["u:", "O:"],
    "A:": ["a", "0", "A@"], "O:": ["0", "oU"], "3:": ["@", "V"], "i:": ["I", "i"], "u:": ["U", "u"],
    "eI": ["E", "e@"], "aI": ["a", "A:"], "oU": ["0", "O:", "@U"], "@U": ["oU", "0"], "aU": ["a", "A:"], "OI": ["O:"],
    "I": ["@", "i", "E"], "@": ["I", "V", "E"], "E": ["I", "a"], "a": ["E", "A:", "V"], "V": ["@", "0", "a"],
    "0": ["A:", "O:", "V"], "U": ["u:", "@"], "i": ["I", "i:"], "u": ["U", "u:"], "3": ["@", "3:"],
}
# Longest first, so that "A@" is one vowel, not "A" and "@".
_VOWEL = re.compile("|".join(re.escape(v) for v in sorted(VOWEL_NEIGHBOURS, key=len, reverse=True)))
# espeak-ng marks a vowel's variant with a digit or '#' after it (a#, @2, I2): part of the vowel it follows.
_MARK = re.compile(r"[0-9#]*")


def phonemes(word: str, voice: str = "en-us") -> str:
    """espeak-ng's phonemes of the word, stress marks kept (what [[...]] input reads back)."""
    r = subprocess.run(["espeak-ng", "-q", "-x", "-v", voice, word], capture_output=True, text=True, check=True)
    out = " ".join(r.stdout.split())
    if not out:
        raise tts.TtsError(f"espeak-ng gave no phonemes for {word!r}")
    return out


def vowels(ph: str) -> list[tuple[int, int, str]]:
    """(start, end, vowel) of each vowel in a phoneme string; a vowel's variant mark is inside its span."""
    out, i = [], 0
    while i < len(ph):
        m = _VOWEL.match(ph, i)
        if m and ph[i] != "#":
            end = _MARK.match(ph, m.end()).end()
            out.append((i, end, m.group()))
            i = end
        else:
            i += 1
    return out


def variants(ph: str, rng: np.random.Generator, count: int, exclude=frozenset()) -> list[str]:
    """Up to `count` different phoneme strings, each with one vowel (two, a third of the time, where the word has two)
    replaced by one of its neighbours; never the word's own string nor one in `exclude` (stress marks ignored)."""
    spans = vowels(ph)
    if not spans:
        return []
    plain = lambda s: s.replace("'", "").replace(",", "")
    seen, out = {plain(ph)} | set(exclude), []
    for _ in range(count * 20):
        if len(out) == count:
            break
        k = 2 if len(spans) > 1 and rng.random() < 1 / 3 else 1
        chosen = sorted(rng.choice(len(spans), size=k, replace=False))
        s = ph
        for j in reversed(chosen):  # right to left, so earlier spans keep their offsets
            start, end, v = spans[j]
            alts = VOWEL_NEIGHBOURS[v]
            s = s[:start] + alts[rng.integers(len(alts))] + s[end:]
        if plain(s) not in seen:
            seen.add(plain(s))
            out.append(s)
    return out


def variant_utterances(word: str, count: int, seed: int, cache_dir: str, log=print) -> list[np.ndarray]:
    """`count` trimmed utterances of the word's other pronunciations in the bank's carrier phrases, each by a random
    English espeak-ng voice, variant, rate and pitch (cached)."""
    key = tts.engines_key() + f"|{word}|{count}|{seed}|v1"
    path = os.path.join(cache_dir, f"variants-{hashlib.sha1(key.encode()).hexdigest()[:12]}.pkl")
    if os.path.exists(path):
        with open(path, "rb") as f:
            return pickle.load(f)
    rng = np.random.default_rng(seed)
    ph = phonemes(word)
    # The word list's pronunciations, as the phonetic neighbours read them (stress marks dropped, as variants compares).
    words = frozenset(p for _, p in head_data.dictionary_phonemes())
    forms = variants(ph, rng, 40, words)
    if not forms:
        raise ValueError(f"{word!r} ({ph}) has no vowel espeak-ng's English tables name: no other pronunciations")
    log(f"  {len(forms)} other pronunciations of {word!r} ({ph}): {', '.join(forms[:10])}")
    voices, var_names = tts.espeak_voices(), tts.espeak_variants()
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(count):
            context = texts.POSITIVE_CONTEXTS[rng.integers(len(texts.POSITIVE_CONTEXTS))]
            text = context.format(w=f"[[{forms[rng.integers(len(forms))]}]]")
            v, var = voices[rng.integers(len(voices))], var_names[rng.integers(len(var_names))]
            try:
                a = tts.espeak(text, v, var, int(rng.integers(115, 200)), int(rng.integers(20, 90)), tmp)
            except (tts.TtsError, subprocess.CalledProcessError):
                continue
            if (t := trim(a)) is not None:
                out.append(t)
            if (i + 1) % 500 == 0:
                log(f"  other pronunciations: {i + 1}/{count} said")
    os.makedirs(cache_dir, exist_ok=True)
    with open(path + ".tmp", "wb") as f:
        pickle.dump(out, f)
    os.replace(path + ".tmp", path)
    return out
