"""Training data: the real recordings of ../shared/data split into train/val/test, and the
on-the-fly mixer that makes labelled 10 s clips (trigger-word method)."""
from __future__ import annotations

import glob
import hashlib
import os

import numpy as np
import torch
from scipy.signal import butter, fftconvolve, sosfilt

from .audio import SR, read_audio, trim
from .mixing import at_level, at_std, babble, colored_noise, random_stretch, room_impulse, tones, unit_std
from .timing import first_step_after
from .features import FeatureSpec
from .model import ModelConfig

CLIP_SECONDS = 10.0
# Real "computer" recordings: 40% never trained on; half of that picks thresholds (val), half is reported (test).
SPLIT = {"train": (0, 60), "val": (60, 80), "test": (80, 100)}


# Real speech in Debian's main archive that only training reads: the benchmark's negatives
# (accuracy.streams.NEGATIVE_SOURCES) come from other packages, so mining or training on these never touches what the
# benchmark measures.
TRAINING_SPEECH_SOURCES = {
    "hedgewars": "/usr/share/games/hedgewars/Data/Sounds/voices/**/*.ogg",
    # Mostly not English, few voices: negatives in other languages, which the benchmark's false accepts come from.
    "festvox-ru": "/usr/share/festival/voices/russian/msu_ru_nsh_clunits/wav/*.wav",
    "ktuberling": "/usr/share/ktuberling/sounds/*/*.ogg",
    "qabcs-en": "/usr/share/qabcs/abcs/en/sounds/**/*.ogg",
    "qabcs-uk": "/usr/share/qabcs/abcs/uk/sounds/**/*.ogg",
    "qabcs-pl": "/usr/share/qabcs/abcs/pl/sounds/**/*.ogg",
    "gcin-voice": "/usr/share/gcin-voice/ogg/*/*.ogg",
    "megaglest": "/usr/share/games/megaglest/techs/megapack/factions/*/units/*/sounds/*.wav",
    "kajongg": "/usr/share/kajongg/voices/**/*.ogg",
    "codec2": "/usr/share/codec2/wav/*.wav",
}
TRAINING_SPEECH_PACKAGES = ["hedgewars-data", "festvox-ru", "ktuberling-data", "qabcs-data", "gcin-voice",
                            "megaglest-data", "kajongg", "codec2-examples"]


def word_in_name(word: str, path: str) -> bool:
    """Whether a file's name or folder names the word (such a recording could hold it)."""
    return word.replace(" ", "") in path.lower().replace("_", "").replace("-", "")


def training_speech_paths(word: str) -> list[str]:
    return [p for pattern in TRAINING_SPEECH_SOURCES.values() for p in sorted(glob.glob(pattern, recursive=True))
            if not word_in_name(word, p)]


def split_of(path: str) -> str:
    h = int(hashlib.sha1(os.path.basename(path).encode()).hexdigest(), 16) % 100
    return next(k for k, (lo, hi) in SPLIT.items() if lo <= h < hi)


def default_data_dir() -> str:
    """../shared/data beside the repository. Spelled <repo>/../shared/data, not normalised: the folder is part of the
    bank and clip cache keys, so another spelling of the same folder would rebuild them."""
    return os.path.join(os.path.normpath(os.path.join(os.path.dirname(__file__), "..")), "..", "shared", "data")


class RealData:
    """Paths of real recordings by role and split. Positives exist only for words with real training recordings.

    Every folder that holds recordings of the word being trained (WORD_DIRS) is left out of the negatives: a model
    must never learn that its own word is "not the word". The leave-one-word-out proxy words (the Picovoice crowd
    words) have no POSITIVE_DIRS, so they are trained from text alone and all their recordings stay unseen.
    """

    # heycomputer/en is left out of the positives: its 10 clips are so noisy (about 10 dB SNR) that the word end,
    # which places the labels, cannot be found reliably.
    POSITIVE_DIRS = {"computer": ["mycroft-precise-community-data/computer/en",
                                  "mycroft-precise-community-data-prs/computer-en"]}
    CROWD = "picovoice-wake-word-benchmark"
    WORD_DIRS = {
        "computer": ["mycroft-precise-community-data/computer", "mycroft-precise-community-data/heycomputer/en",
                     "mycroft-precise-community-data-prs/computer-en"],
        "alexa": [f"{CROWD}/alexa"], "jarvis": [f"{CROWD}/jarvis"], "smart mirror": [f"{CROWD}/smart-mirror"],
        "snowboy": [f"{CROWD}/snowboy"], "view glass": [f"{CROWD}/view-glass"],
        "amelia": ["mycroft-precise-community-data/amelia"], "athena": ["mycroft-precise-community-data/athena"],
        "hey chatterbox": ["mycroft-precise-community-data/heychatterbox"],
        "android": ["mycroft-precise-community-data/android"],
    }
    NOISE_DIRS = ["mycroft-precise-community-data/not-wake-words/noises", "speech-commands/background-noise"]
    # Which real recordings may be negatives: all of them, all but the crowd-sourced benchmark words (whose speakers
    # are the proxy's test speakers), or none.
    NEGATIVE_CHOICES = ("all", "no-crowd", "none")

    def __init__(self, root: str | None, word: str, negatives: str = "all"):
        if negatives not in self.NEGATIVE_CHOICES:
            raise ValueError(f"real negatives {negatives!r} must be one of {', '.join(self.NEGATIVE_CHOICES)}")
        self.root, self.negatives_mode = root, negatives
        self.positives = {k: [] for k in SPLIT}
        self.negatives = {k: [] for k in SPLIT}
        self.noise = []
        if not root:
            return
        if not os.path.isdir(root):
            raise FileNotFoundError(f"data folder {root} does not exist")
        files = sorted(glob.glob(os.path.join(root, "**", "*.flac"), recursive=True))
        if not files:
            raise FileNotFoundError(f"data folder {root} holds no .flac recordings")

        def under(dirs):
            return [os.path.join(root, d) + os.sep for d in dirs]
        pos_dirs = under(self.POSITIVE_DIRS.get(word, []))
        own_dirs = under(self.WORD_DIRS.get(word, []))
        noise_dirs = under(self.NOISE_DIRS)
        never_negative = own_dirs + (under([self.CROWD]) if negatives == "no-crowd" else [])
        for f in files:
            if any(f.startswith(d) for d in noise_dirs):
                self.noise.append(f)
            elif any(f.startswith(d) for d in pos_dirs):
                self.positives[split_of(f)].append(f)
            elif negatives == "none" or any(f.startswith(d) for d in never_negative):
                continue
            else:
                self.negatives[split_of(f)].append(f)

    def summary(self) -> dict:
        return {"positives": {k: len(v) for k, v in self.positives.items()},
                "negatives": {k: len(v) for k, v in self.negatives.items()}, "noise_files": len(self.noise)}


def load_trimmed(paths, min_len=0.15):
    out = []
    for p in paths:
        t = trim(read_audio(p))
        if t is not None and len(t) >= min_len * SR:
            out.append(t)
    return out


def load_noise(paths, part: str):
    """Noise files cut in time: the first 75% of each for training, the rest for validation/test."""
    out = []
    for p in paths:
        a = read_audio(p)
        cut = int(len(a) * 0.75)
        out.append(a[:cut] if part == "train" else a[cut:])
    return [a for a in out if len(a) > SR]


# ---- utterance perturbations ----

def partial_word(u, rng, lo=0.35, hi=0.65):
    """The first 35-65% of a spoken word (Howl's partial-word negatives), with a 10 ms fade-out so the cut is not a click
    the model could learn instead of the missing rest of the word."""
    voiced = np.flatnonzero(np.abs(u) > 0.05 * (np.max(np.abs(u)) + 1e-9))
    start, end = (int(voiced[0]), int(voiced[-1]) + 1) if voiced.size else (0, len(u))
    cut = start + int((end - start) * rng.uniform(lo, hi))
    x = u[:max(cut, start + 1)].astype(np.float32, copy=True)
    fade = min(len(x), SR // 100)
    x[len(x) - fade:] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)
    return x


def speed(x, factor):
    n = int(len(x) / factor)
    return np.interp(np.arange(n) * factor, np.arange(len(x)), x).astype(np.float32)


# The longest pause between the word and the speech after it in a follow-on clip (a comma's pause, or none).
FOLLOW_GAP_S = 0.25


class ClipMixer(torch.utils.data.Dataset):
    """Item i is a seeded 10 s clip (so every epoch and every resume sees the same, never-repeating stream of clips)."""

    def __init__(self, bank, spec: FeatureSpec, cfg: ModelConfig, held_ones: int, seed: int, length: int = 10 ** 9,
                 speech_backgrounds: float = 0.0, hard: list | None = None, hard_share: float = 0.0,
                 partial_share: float = 0.0, silent: bool = False, follow_on: bool = False):
        self.bank, self.spec, self.cfg, self.held_ones, self.seed, self.length = bank, spec, cfg, held_ones, seed, length
        self.samples = int(CLIP_SECONDS * SR)
        self.steps = spec.frame_count(self.samples) // cfg.stride
        self.babble_pool = bank.neg + bank.real_neg
        self.speech_backgrounds = speech_backgrounds
        self.speech_pool = bank.speech + bank.real_neg
        self.hard, self.hard_share = hard or [], hard_share
        self.partial_share = partial_share
        self.silent = silent
        self.follow_on = follow_on
        if speech_backgrounds > 0 and not self.speech_pool:
            raise ValueError("speech backgrounds need real speech: no real negatives and no training-only speech")

    def __len__(self):
        return self.length

    def _speech_background(self, rng):
        """Real people talking on and on (one voice after another, short gaps) over real or generated noise."""
        n = self.samples
        x = np.zeros(n, np.float32)
        pos = int(rng.integers(0, SR // 2))
        while pos < n:
            u = self.speech_pool[rng.integers(len(self.speech_pool))]
            m = min(len(u), n - pos)
            x[pos:pos + m] += at_level(u, 10 ** (rng.uniform(-6, 6) / 20))[:m]
            pos += m + int(rng.integers(0, int(0.4 * SR)))
        x = unit_std(x)
        b = self.bank
        if b.noise and rng.random() < 0.7:
            noise = random_stretch(b.noise[rng.integers(len(b.noise))], n, rng)
        else:
            noise = colored_noise(n, rng, float(rng.choice([0.0, 1.0, 2.0])))
        return x + unit_std(noise) * 10 ** (-rng.uniform(5, 25) / 20)

    def _background(self, rng):
        if self.speech_backgrounds > 0 and rng.random() < self.speech_backgrounds:
            return self._speech_background(rng), True
        return self._noise_background(rng), False

    def _noise_background(self, rng):
        n = self.samples
        r = rng.random()
        b = self.bank
        if r < 0.45 and b.noise:
            x = unit_std(random_stretch(b.noise[rng.integers(len(b.noise))], n, rng))
        elif r < 0.65:
            x = colored_noise(n, rng, float(rng.choice([0.0, 1.0, 2.0])))
        elif r < 0.8:
            x = babble(n, rng, self.babble_pool)
        elif r < 0.87:
            x = tones(n, rng)
        else:
            x = colored_noise(n, rng, 1.0) * 0.05  # a quiet room
        return x

    def _utterance(self, rng, positive):
        b = self.bank
        real = b.real_pos if positive else b.real_neg
        tts_ = b.pos if positive else b.neg
        # The draw happens only when the switch is on, so that with it off every clip is the one the recipe made before.
        if not positive and self.partial_share > 0 and rng.random() < self.partial_share:
            pool = b.real_pos if (b.real_pos and rng.random() < 0.3) else b.pos
            u = partial_word(pool[rng.integers(len(pool))], rng)
        else:
            if not positive and self.hard and rng.random() < self.hard_share:
                pool = self.hard
            else:
                pool = real if (real and rng.random() < (0.3 if positive else 0.5)) else tts_
            u = pool[rng.integers(len(pool))]
        if rng.random() < 0.8:
            u = speed(u, rng.uniform(0.85, 1.15))
        return at_level(u)

    def __getitem__(self, i):
        x, ends = self.mix(i)
        y = labels_for(ends, self.steps, self.cfg, self.spec, self.held_ones)
        return torch.from_numpy(x), torch.from_numpy(y)

    def layout(self, rng, talking: bool) -> list[tuple[bool, int, np.ndarray, float]]:
        """The utterances of one clip, in order: (positive, start sample, audio, level in dB over the background)."""
        n = self.samples
        if self.follow_on:
            # A command said right after the word ("computer, lights on"): every word is followed within
            # FOLLOW_GAP_S by other speech, which the head must fire through instead of waiting for a pause.
            kinds = [1, 0] * int(rng.choice([1, 1, 2]))
        else:
            n_pos = int(rng.choice([0, 1, 1, 1, 2, 2, 3]))
            n_neg = int(rng.integers(0, 5))
            kinds = [1] * n_pos + [0] * n_neg
            rng.shuffle(kinds)
        out = []
        pos = int(rng.integers(0, SR))
        for k in kinds:
            u = self._utterance(rng, k == 1)
            if pos + len(u) > n:
                break
            # Over other people talking, the word is said louder than them, as a person addressing a device would.
            snr = rng.uniform(3, 25) if talking else rng.uniform(-3, 30)
            out.append((k == 1, pos, u, snr))
            if k == 1 and self.follow_on:
                pos += len(u) + int(rng.integers(0, int(FOLLOW_GAP_S * SR)))
            else:
                pos += len(u) + int(rng.integers(int(0.2 * SR), int(1.8 * SR)))
        return out

    def mix(self, i):
        """Clip i: 10 s of audio and the sample where each wake word in it ends."""
        rng = np.random.default_rng([self.seed, i])
        n = self.samples
        # Silent: the words over digital silence (exact zeros), as in a synthesized WAV file; everywhere else every
        # clip lies over noise, and a head never shown exact zeros may do anything on them.
        bg, talking = (np.zeros(n, np.float32), False) if self.silent else self._background(rng)
        speech = np.zeros(n, np.float32)
        ends = []
        for positive, start, u, snr in self.layout(rng, talking):
            speech[start:start + len(u)] += u * (10 ** (snr / 20))
            if positive:
                ends.append(start + len(u))
        if rng.random() < 0.4:
            speech = fftconvolve(speech, room_impulse(rng))[:n].astype(np.float32)
        x = speech + bg
        if rng.random() < 0.3:
            lo, hi = rng.uniform(80, 400), rng.uniform(3000, 7500)
            x = sosfilt(butter(4, [lo, hi], btype="bandpass", fs=SR, output="sos"), x).astype(np.float32)
        level_db = rng.uniform(-45, -12)
        x = at_std(x, 10 ** (level_db / 20))
        if self.silent:
            # On the 16-bit grid of a WAV file, so that filter and reverb tails end in exact zeros too.
            x = np.round(x * 32767) / 32767
        return np.clip(x, -1, 1).astype(np.float32), ends


def labels_for(ends, steps, cfg: ModelConfig, spec: FeatureSpec, held_ones: int) -> np.ndarray:
    """0 everywhere except `held_ones` ones starting at the first step that has seen the word's end."""
    y = np.zeros(steps, np.float32)
    for e in ends:
        j0 = int(first_step_after(e, cfg.stride, spec))
        y[j0:j0 + held_ones] = 1.0
    return y
