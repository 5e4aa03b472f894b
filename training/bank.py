"""The utterance bank a trainer mixes its clips from: synthesized positives and negatives, the real train
recordings, noise and the training-only speech, built once and cached on disk (bank-*.pkl)."""
from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle

import numpy as np

from . import texts, tts
from .data import TRAINING_SPEECH_PACKAGES, RealData, load_noise, load_trimmed, training_speech_paths
from .audio import SR, trim


@dataclasses.dataclass
class Bank:
    """Trimmed utterances (float32 at 16 kHz) by role, and the synthesis engines that made the synthesized ones."""
    pos: list[np.ndarray] = dataclasses.field(default_factory=list)       # synthesized wake words
    neg: list[np.ndarray] = dataclasses.field(default_factory=list)       # synthesized other speech
    real_pos: list[np.ndarray] = dataclasses.field(default_factory=list)  # real recordings of the word (train split)
    real_neg: list[np.ndarray] = dataclasses.field(default_factory=list)  # real other speech (train split)
    noise: list[np.ndarray] = dataclasses.field(default_factory=list)     # real noise (training part of each file)
    speech: list[np.ndarray] = dataclasses.field(default_factory=list)    # training-only Debian speech
    pos_sources: set[str] = dataclasses.field(default_factory=set)
    neg_sources: set[str] = dataclasses.field(default_factory=set)

    @classmethod
    def of(cls, cached) -> "Bank":
        """A bank as read from its cache: banks written before this class were dicts with the same keys (and the
        counts tts_pos and tts_neg, which are len(pos) and len(neg)); they are converted, not rebuilt."""
        if isinstance(cached, cls):
            return cached
        return cls(**{f.name: cached[f.name] for f in dataclasses.fields(cls) if f.name in cached})

    @property
    def engines(self) -> list[str]:
        return sorted(self.pos_sources | self.neg_sources)

    def tts_summary(self) -> dict:
        """What training summaries record of the synthesized part."""
        return {"positives": len(self.pos), "negatives": len(self.neg), "engines": self.engines}


def cache_path(word: str, real: RealData, seed: int, scale: float, cache_dir: str, pico: bool, speech: bool,
               accents: float, pico_voices=None) -> str:
    """Where a bank is cached: keyed by word, seed, scale, the real-data folder and negatives choice, the engines used
    and whether the training-only Debian speech is loaded."""
    speech_key = f"|speech{len(training_speech_paths(word))}" if speech else ""
    accents_key = f"|accents{accents}" if accents > 0 else ""
    key = hashlib.sha1(f"v4|{word}|{seed}|{scale}|{real.root}|{real.negatives_mode}|{tts.engines_key(pico, pico_voices)}{speech_key}{accents_key}".encode()).hexdigest()[:12]
    return os.path.join(cache_dir, f"bank-{word}-{key}.pkl")


def build_bank(word: str, real: RealData, seed: int, scale: float, cache_dir: str | None, log=print,
               pico: bool = False, speech: bool = False, accents: float = 0.0, pico_voices=None) -> Bank:
    """Synthesized positives/negatives + trimmed real train recordings, cached on disk (cache_path)."""
    path = cache_path(word, real, seed, scale, cache_dir, pico, speech, accents, pico_voices) if cache_dir else None
    if path and os.path.exists(path):
        with open(path, "rb") as f:
            return _word_sized(Bank.of(pickle.load(f)), log)
    rng = np.random.default_rng(seed)
    n_pos, n_neg = max(8, int(500 * scale)), max(12, int(1100 * scale))
    pos_texts = [(texts.POSITIVE_CONTEXTS[rng.integers(len(texts.POSITIVE_CONTEXTS))].format(w=word), 1) for _ in range(n_pos)]
    conf, general = texts.confusers(word), texts.negatives_for(word)
    neg_texts = [((conf[rng.integers(len(conf))] if rng.random() < 0.45 else general[rng.integers(len(general))]), 0)
                 for _ in range(n_neg)]
    jobs = pos_texts + neg_texts
    log(f"synthesizing {len(jobs)} utterances ({n_pos} positive) with {tts.engines_key(pico, pico_voices)}")
    step = max(1, len(jobs) // 20)
    rendered = tts.synthesize(jobs, rng, progress=lambda i: (i % step == 0) and log(f"  tts {i}/{len(jobs)}"), use_pico=pico,
                              accents=accents, pico_voices=pico_voices)
    bank = Bank()
    for audio, label, source in rendered:
        t = trim(audio)
        if t is None:
            continue
        (bank.pos if label else bank.neg).append(t)
        (bank.pos_sources if label else bank.neg_sources).add(source.split("+")[0])
    bank.real_pos = load_trimmed(real.positives["train"])
    bank.real_neg = load_trimmed(real.negatives["train"])
    bank.noise = load_noise(real.noise, "train")
    bank.speech = load_trimmed(training_speech_paths(word)) if speech else []
    if speech and not bank.speech:
        log(f"note: none of the training-only speech is installed ({', '.join(TRAINING_SPEECH_PACKAGES)}); speech "
            "backgrounds use the real negatives alone")
    log(f"bank: {len(bank.pos)} tts positives, {len(bank.neg)} tts negatives, {len(bank.real_pos)} real "
        f"positives, {len(bank.real_neg)} real negatives, {len(bank.noise)} noise files, "
        f"{len(bank.speech)} training-only speech clips")
    if path:
        os.makedirs(cache_dir, exist_ok=True)
        with open(path + ".tmp", "wb") as f:
            pickle.dump(bank, f)
        os.replace(path + ".tmp", path)
    return _word_sized(bank, log)


# Labels are placed at the end of a real positive's trimmed speech. A recording whose speech runs longer than a spoken
# wake word holds more than the word (the "computer" set has 239 lines cut from a TV series, "Computer, <command>",
# 2.7 to 4.6 s): its end is not the word's end, and a head that sees 1.28 s would learn to fire at the end of any line.
MAX_WORD_S = 1.5


def _word_sized(bank: Bank, log=print) -> Bank:
    """The bank without real positives whose speech is longer than MAX_WORD_S (applied on read as well, so cached banks
    stay valid; the clip sets' keys count the real positives, so they follow)."""
    kept = [a for a in bank.real_pos if len(a) <= MAX_WORD_S * SR]
    if len(kept) < len(bank.real_pos):
        log(f"real positives: {len(bank.real_pos) - len(kept)} of {len(bank.real_pos)} left out, their speech is longer "
            f"than {MAX_WORD_S} s (more than the word, so its end cannot be placed)")
    return dataclasses.replace(bank, real_pos=kept)
