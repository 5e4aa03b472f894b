"""Data for heads on the speech embedding, embedded once and cached on disk (training/.cache/embeddings).

A head trains in minutes on embeddings, so the slow part is making and embedding the audio; everything here is
computed once per key and read back from .npy files afterwards (a run that stops part-way resumes chunk by chunk):

- clip sets: the trigger-word mixer's 10 s clips (positives and negatives over backgrounds), 125 embedding steps each,
  with the sample where each wake word ends (labels are made from those at training time);
- negative sets: hours of speech that is not the word, in 60 s pieces over noise, shared by every word that may use
  them: real speech from Debian packages only training reads, long English text read by every synthetic voice and
  language on the machine, and the word's phonetic neighbours from a dictionary.
"""
from __future__ import annotations

import glob
import hashlib
import os
import re
import subprocess
import tempfile
import time

import numpy as np
import torch
from scipy.signal import butter, fftconvolve, sosfilt

from . import tts
from .audio import SR, read_audio, resample_to, trim
from .data import speed, training_speech_paths
from .frontend import speech_embedding as se
from .mixing import at_level, recorded_or_colored_bed, room_impulse, unit_std

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))
CACHE_DIR = os.path.join(ROOT, "training", ".cache", "embeddings")
CLIP_STEPS = 125  # 10 s clips
PIECE_SECONDS = 60.0
TEXT_SOURCES = ["/usr/share/games/fortunes/*", "/usr/share/wordnet/data.noun", "/usr/share/wordnet/data.verb"]
TEXT_PACKAGES = ["fortunes-min", "fortunes", "wordnet-base"]
# Speech in other languages, read in each language by its own espeak-ng voice (and Pico's, for its four), from the
# words of Debian's hunspell dictionaries: the benchmark's false accepts are mostly real speech in languages that the
# training speech and the English read text lack (Spanish, Greek, Czech, Dutch, Danish...). espeak-ng language ->
# (dictionary, its Debian package).
FOREIGN_LANGUAGES = {
    "es": ("es_ES", "hunspell-es"), "fr": ("fr_FR", "hunspell-fr"), "it": ("it_IT", "hunspell-it"),
    "de": ("de_DE", "hunspell-de-de"), "pt": ("pt_PT", "hunspell-pt-pt"), "nl": ("nl_NL", "hunspell-nl"),
    "da": ("da_DK", "hunspell-da"), "sv": ("sv_SE", "hunspell-sv"), "nb": ("nb_NO", "hunspell-no"),
    "pl": ("pl_PL", "hunspell-pl"), "cs": ("cs_CZ", "hunspell-cs"), "sk": ("sk_SK", "hunspell-sk"),
    "ru": ("ru_RU", "hunspell-ru"), "uk": ("uk_UA", "hunspell-uk"), "bg": ("bg_BG", "hunspell-bg"),
    "el": ("el_GR", "hunspell-el"), "ca": ("ca", "hunspell-ca"), "hu": ("hu_HU", "hunspell-hu"),
    "ro": ("ro_RO", "hunspell-ro"), "tr": ("tr_TR", "hunspell-tr"), "hr": ("hr_HR", "hunspell-hr"),
}
FOREIGN_PICO = {"de": "de-DE", "es": "es-ES", "fr": "fr-FR", "it": "it-IT"}
HUNSPELL_DIR = "/usr/share/hunspell"
_FRONTEND = None


def frontend() -> se.SpeechEmbedding:
    global _FRONTEND
    if _FRONTEND is None:
        _FRONTEND = se.SpeechEmbedding.from_npm()
    return _FRONTEND


def embed(audio: np.ndarray, batch: int = 16) -> np.ndarray:
    """[N, samples] float audio, each a fresh stream -> [N, samples // 1280, 96] float16."""
    fe = frontend()
    out = []
    for s in range(0, len(audio), batch):
        out.append(fe.embed_clips(torch.from_numpy(np.ascontiguousarray(audio[s:s + batch]))).numpy().astype(np.float16))
    return np.concatenate(out)


def key_of(*parts) -> str:
    return hashlib.sha1("|".join(str(p) for p in parts).encode()).hexdigest()[:12]


def frontend_tag() -> str:
    """Which front end computed a cached embedding: the start of the exported front end's sha256, which the golden
    test pins training's torch port to. Every embedding cache names it, so a changed front end never reads another's."""
    from .frontend import export as fe_export
    from .frontend.weights import sha256_of
    return "fe" + sha256_of(fe_export.DEFAULT_PATH)[:8]


def _chunked(path: str, count: int, chunk: int, make, log, what: str) -> np.ndarray:
    """Builds an array of `count` items chunk by chunk into <path>.partN.npy (resumable), then joins them into path."""
    if os.path.exists(path):
        return np.load(path, mmap_mode="r")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    parts, t0, made = [], time.time(), 0
    for c, lo in enumerate(range(0, count, chunk)):
        part = f"{path}.part{c}.npy"
        if not os.path.exists(part):
            hi = min(count, lo + chunk)
            arr = make(lo, hi)
            np.save(part + ".tmp.npy", arr)
            os.replace(part + ".tmp.npy", part)
            # The rate counts only what this run made: chunks a killed run left on disk took no time here.
            made += hi - lo
            rate = made / max(1e-9, time.time() - t0)
            resumed = f", {hi - made} were on disk" if made < hi else ""
            log(f"  {what}: {hi}/{count} ({rate:.1f}/s{resumed}, eta {(count - hi) / max(rate, 1e-9) / 60:.1f} min)")
        parts.append(part)
    arr = np.concatenate([np.load(p) for p in parts])
    np.save(path + ".tmp.npy", arr)
    os.replace(path + ".tmp.npy", path)
    for p in parts:
        os.remove(p)
    return np.load(path, mmap_mode="r")


# ---- clip sets (positives) ----

class ClipSet:
    """Embedded mixer clips: emb [N, 125, 96] float16, ends [N, 4] (samples; -1 where no word)."""

    def __init__(self, emb, ends):
        self.emb, self.ends = emb, ends

    def __len__(self):
        return len(self.emb)

    @staticmethod
    def join(a: "ClipSet", b: "ClipSet") -> "ClipSet":
        return ClipSet(np.concatenate([a.emb, b.emb]), np.concatenate([a.ends, b.ends]))

    def labels(self, idx, held_ones: int) -> np.ndarray:
        y = np.zeros((len(idx), CLIP_STEPS), np.float32)
        for r, i in enumerate(idx):
            for e in self.ends[i]:
                if e >= 0:
                    j0 = first_step_after(int(e))
                    y[r, j0:j0 + held_ones] = 1.0
        return y


def first_step_after(sample: int) -> int:
    """The first embedding step that has heard the audio up to `sample` (step j has heard samples < 1280*(j+1))."""
    return max(0, -(-sample // se.SAMPLES_PER_STEP) - 1)


def _clip_set_base(key: str, first: int, count) -> str:
    """Where the clip set of this key, first clip and count is cached (+ "-emb.npy", "-ends.npy")."""
    return os.path.join(CACHE_DIR, f"clips-{key}-{frontend_tag()}-{first}-{count}")


def _finished(base: str) -> bool:
    return os.path.exists(base + "-emb.npy") and os.path.exists(base + "-ends.npy")


def _cached_clip_counts(key: str, first: int) -> list[int]:
    """The counts of the finished clip sets of this key that start at clip `first`."""
    prefix = _clip_set_base(key, first, "")
    counts = []
    for p in glob.glob(glob.escape(prefix) + "*-emb.npy"):
        rest = p[len(prefix):-len("-emb.npy")]
        if rest.isdigit() and _finished(prefix + rest):
            counts.append(int(rest))
    return counts


def build_clip_set(mixer, first: int, count: int, key: str, log=print, chunk: int = 400) -> ClipSet:
    """Clips first .. first+count-1 of the mixer, embedded (cached; resumable by chunk). Clip i is the same whatever
    the count, so a larger count reads the longest cached set that starts at `first` and embeds only the rest."""
    base = _clip_set_base(key, first, count)
    emb_path, ends_path = base + "-emb.npy", base + "-ends.npy"
    if _finished(base):
        return ClipSet(np.load(emb_path, mmap_mode="r"), np.load(ends_path))
    m = max((c for c in _cached_clip_counts(key, first) if c < count), default=0)
    if m:
        log(f"  clips {first}-{first + m - 1} read from the cache; embedding the {count - m} after them")
        return ClipSet.join(build_clip_set(mixer, first, m, key, log, chunk),
                            build_clip_set(mixer, first + m, count - m, key, log, chunk))

    def make(lo, hi):
        audio, ends = [], np.full((hi - lo, 4), -1, np.int64)
        for r, i in enumerate(range(first + lo, first + hi)):
            x, e = mixer.mix(i)
            audio.append(x[: CLIP_STEPS * se.SAMPLES_PER_STEP])
            ends[r, : min(4, len(e))] = e[:4]
        np.save(f"{base}-ends.part{lo}.npy", ends)
        return embed(np.stack(audio))

    emb = _chunked(emb_path, count, chunk, make, log, "clips embedded")
    parts = sorted(glob.glob(f"{base}-ends.part*.npy"), key=lambda p: int(p.rsplit("part", 1)[1].split(".")[0]))
    np.save(ends_path, np.concatenate([np.load(p) for p in parts]))
    for p in parts:
        os.remove(p)
    return ClipSet(emb, np.load(ends_path))


# ---- negative streams ----

def mix_stream(segments, noise, rng, telephone_share=0.2, reverb_share=0.25) -> np.ndarray:
    """Segments one after another (short gaps), each at its own level, reverb or telephone band at random, over
    noise at 0-30 dB SNR, cut into 60 s pieces (the last filled up with noise alone); returns [P, 60 s] int16.
    Built a piece at a time, so hours of speech stay within memory."""
    piece = int(PIECE_SECONDS * SR)
    pieces, pending, filled = [], [], 0

    def emit(parts):
        x = np.concatenate(parts)
        x = np.concatenate([x, np.zeros(piece - len(x), np.float32)]) if len(x) < piece else x
        x = x + recorded_or_colored_bed(noise, piece, rng) * 10 ** (-rng.uniform(0, 30) / 20)
        # Each piece at its own input level (-45 to -15 dBFS), as microphones and rooms differ.
        x = unit_std(x) * 10 ** (rng.uniform(-45, -15) / 20)
        pieces.append(np.round(np.clip(x, -1, 1) * 32767).astype(np.int16))

    for u in segments:
        u = at_level(u, dtype=np.float64)
        if rng.random() < reverb_share:
            u = fftconvolve(u, room_impulse(rng))[: len(u) + SR // 4].astype(np.float32)
        if rng.random() < telephone_share:
            u = telephone(u, rng)
        u = np.concatenate([u * 10 ** (rng.uniform(-8, 4) / 20), np.zeros(int(rng.uniform(0.05, 1.5) * SR))])
        u = u.astype(np.float32)
        while len(u):
            take = min(len(u), piece - filled)
            pending.append(u[:take])
            filled += take
            u = u[take:]
            if filled == piece:
                emit(pending)
                pending, filled = [], 0
    if filled:
        emit(pending)
    return np.stack(pieces) if pieces else np.zeros((0, piece), np.int16)


def telephone(u, rng) -> np.ndarray:
    """A telephone line: 300-3400 Hz, 8 kHz sampling, mu-law-like companding."""
    x = sosfilt(butter(4, [300, 3400], btype="bandpass", fs=SR, output="sos"), u)
    x = resample_to(resample_to(x.astype(np.float32), SR, 8000), 8000, SR)
    m = 255.0
    peak = np.max(np.abs(x)) + 1e-9
    y = np.sign(x) * np.log1p(m * np.abs(x / peak)) / np.log1p(m)
    y = np.round(y * 127) / 127
    return (np.sign(y) * (np.expm1(np.abs(y) * np.log1p(m)) / m) * peak).astype(np.float32)


def build_negative_set(name: str, key: str, segments_fn, noise, seed: int, log=print, repeats: int = 1) -> np.ndarray:
    """[P, 750, 96] float16: the segments (a callable, run only when the cache is missing) mixed into streams over
    noise `repeats` times with different draws, cut into 60 s pieces and embedded."""
    path = os.path.join(CACHE_DIR, f"neg-{name}-{key}-{frontend_tag()}.npy")
    if os.path.exists(path):
        arr = np.load(path, mmap_mode="r")
        log(f"negatives {name}: {len(arr) * PIECE_SECONDS / 3600:.2f} h read from {path}")
        return arr
    segments = segments_fn()
    rng = np.random.default_rng(seed)
    pieces = []
    for r in range(repeats):
        order = rng.permutation(len(segments))
        pieces.append(mix_stream([segments[i] for i in order], noise, rng))
    pieces = np.concatenate(pieces)
    if len(pieces) == 0:
        raise ValueError(f"negatives {name}: no audio to make them from")
    log(f"negatives {name}: {len(segments)} segments -> {len(pieces) * PIECE_SECONDS / 3600:.2f} h; embedding")
    arr = _chunked(path, len(pieces), 30, lambda lo, hi: embed(pieces[lo:hi].astype(np.float32) / 32768.0, batch=4), log,
                   f"{name} pieces")
    return arr


def real_speech_segments(word: str, log=print) -> list[np.ndarray]:
    """Every recording of the training-only Debian speech sources (data.TRAINING_SPEECH_SOURCES) not named after
    the word, trimmed of leading and trailing silence."""
    paths = training_speech_paths(word)
    out = []
    for i, p in enumerate(paths):
        try:
            a = read_audio(p)
        except RuntimeError:
            continue
        t = trim(a)
        if t is not None and len(t) > SR // 10:
            out.append(t)
        if (i + 1) % 1000 == 0:
            log(f"  read {i + 1}/{len(paths)} training speech files")
    return out


# Speed factors of shifted speech: far enough from 1 to sound like another voice, near enough to sound like a person.
SHIFT_MIN, SHIFT_MAX = 1.05, 1.15


def shifted_segments(segments: list[np.ndarray], copies: int, seed: int) -> list[np.ndarray]:
    """Every segment `copies` times, each time at its own speed, faster (1.05-1.15) or slower (1/1.15-1/1.05): pitch
    and formants move together, as from a smaller or larger speaker, so the voices of the real speech (eight Debian
    packages) stand in for more. The negatives' false accepts come from real speech the heads have not heard; this widens it."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(copies):
        for s in segments:
            factor = rng.uniform(SHIFT_MIN, SHIFT_MAX) ** rng.choice([-1.0, 1.0])
            out.append(speed(s, factor))
    return out


def text_sentences(word: str, limit: int, seed: int) -> list[str]:
    """English sentences of 3-25 words from Debian's fortunes and WordNet glosses, none containing the word."""
    words_re = re.compile(r"[A-Za-z][A-Za-z' ,.;:!?-]+")
    pool = []
    for pattern in TEXT_SOURCES:
        for path in sorted(glob.glob(pattern)):
            if path.endswith((".dat", ".u8")) or os.path.isdir(path):
                continue
            try:
                with open(path, encoding="utf-8", errors="ignore") as f:
                    text = f.read()
            except OSError:
                continue
            if "wordnet" in path:
                text = "\n".join(line.split("|", 1)[1] for line in text.splitlines() if "|" in line)
            for s in re.split(r"[.!?;\n%|]+", text):
                s = " ".join(words_re.findall(s)).strip(" ,-")
                n = len(s.split())
                if 3 <= n <= 25 and word.replace(" ", "") not in s.lower().replace(" ", ""):
                    pool.append(s)
    if not pool:
        raise ValueError("no English text to read for the read-text negatives: apt-get install " + " ".join(TEXT_PACKAGES)
                         + " (or train with --read-hours 0)")
    rng = np.random.default_rng(seed)
    rng.shuffle(pool)
    return pool[:limit]


def tts_read_segments(word: str, hours: float, seed: int, log=print) -> list[np.ndarray]:
    """Long English text read by every espeak-ng voice and language (accented English), flite and festival voices,
    and Pico's when installed, until `hours` of speech are made."""
    rng = np.random.default_rng(seed)
    sentences = text_sentences(word, 200000, seed)
    voices, variants = tts.espeak_all_voices(), tts.espeak_variants()
    out, total, t0 = [], 0, time.time()
    fest_jobs = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, s in enumerate(sentences):
            r = rng.random()
            try:
                if r < 0.7:
                    a = tts.espeak(s, voices[rng.integers(len(voices))], variants[rng.integers(len(variants))],
                                   int(rng.integers(110, 230)), int(rng.integers(10, 95)), tmp)
                elif r < 0.85:
                    a = tts.flite(s, tts.FLITE_VOICES[rng.integers(len(tts.FLITE_VOICES))],
                                  float(rng.uniform(0.75, 1.4)), float(rng.uniform(80, 220)), tmp)
                elif r < 0.93 and tts.pico_available():
                    a = tts.pico(s, tts.PICO_VOICES[rng.integers(len(tts.PICO_VOICES))], tmp)
                else:
                    fest_jobs.append((s, tts.FESTIVAL_VOICES[rng.integers(len(tts.FESTIVAL_VOICES))],
                                      float(rng.uniform(0.8, 1.3))))
                    if len(fest_jobs) == 40:
                        for a in tts.festival_batch(fest_jobs, tmp):
                            out.append(a)
                            total += len(a)
                        fest_jobs = []
                    continue
            except (tts.TtsError, subprocess.CalledProcessError):
                continue
            out.append(a)
            total += len(a)
            if (i + 1) % 500 == 0:
                log(f"  read text: {total / SR / 3600:.2f}/{hours:.2f} h ({(time.time() - t0) / 60:.1f} min)")
            if total >= hours * 3600 * SR:
                break
    return out


def dictionary_words(dic: str, word: str) -> list[str]:
    """The words of a hunspell dictionary (its .aff's SET encoding; affix flags and abbreviations dropped), 2-14
    letters, lower-cased, none containing the wake word."""
    enc = "utf-8"
    aff = dic[:-4] + ".aff"
    if os.path.exists(aff):
        with open(aff, "rb") as f:
            for line in f.read(4096).decode("ascii", "ignore").splitlines():
                if line.startswith("SET "):
                    enc = line.split()[1].strip()
                    break
    with open(dic, encoding=enc.replace("microsoft-", ""), errors="ignore") as f:
        lines = f.read().splitlines()[1:]
    key = word.replace(" ", "")
    out = []
    for line in lines:
        w = line.split("/", 1)[0].strip()
        if w.isalpha() and not w.isupper() and 2 <= len(w) <= 14 and key not in w.lower():
            out.append(w.lower())
    return sorted(set(out))


def foreign_languages() -> dict[str, str]:
    """espeak-ng language -> its dictionary path, for the FOREIGN_LANGUAGES whose dictionary is installed."""
    return {lang: os.path.join(HUNSPELL_DIR, dic + ".dic") for lang, (dic, _) in FOREIGN_LANGUAGES.items()
            if os.path.exists(os.path.join(HUNSPELL_DIR, dic + ".dic"))}


def foreign_read_segments(word: str, hours: float, seed: int, log=print) -> list[np.ndarray]:
    """Runs of 4-14 random dictionary words of each installed language read by that language's espeak-ng voice (random
    variant, rate and pitch) or, for German, Spanish, French and Italian, a quarter of the time by Pico's, until
    `hours` of speech are made; the languages take turns."""
    langs = foreign_languages()
    if not langs:
        raise ValueError("no dictionaries for the foreign-speech negatives: apt-get install "
                         + " ".join(p for _, p in FOREIGN_LANGUAGES.values()) + " (or train without --foreign-hours)")
    words = {lang: dictionary_words(path, word) for lang, path in langs.items()}
    words = {lang: w for lang, w in words.items() if len(w) >= 100}
    if not words:
        raise ValueError(f"the dictionaries in {HUNSPELL_DIR} ({', '.join(sorted(langs))}) hold fewer than 100 words "
                         f"each to read: reinstall them (apt-get install --reinstall hunspell-es ...)")
    log(f"  foreign speech: {len(words)} languages ({', '.join(sorted(words))})")
    rng = np.random.default_rng(seed)
    variants = tts.espeak_variants()
    order = sorted(words)
    out, total, t0, i = [], 0, time.time(), 0
    with tempfile.TemporaryDirectory() as tmp:
        while total < hours * 3600 * SR:
            lang = order[i % len(order)]
            i += 1
            pool = words[lang]
            text = " ".join(pool[j] for j in rng.integers(len(pool), size=int(rng.integers(4, 15))))
            try:
                if lang in FOREIGN_PICO and tts.pico_available() and rng.random() < 0.25:
                    a = tts.pico(text, FOREIGN_PICO[lang], tmp)
                else:
                    a = tts.espeak(text, lang, variants[rng.integers(len(variants))], int(rng.integers(110, 230)),
                                   int(rng.integers(10, 95)), tmp)
            except (tts.TtsError, subprocess.CalledProcessError):
                continue
            out.append(a)
            total += len(a)
            if i % 500 == 0:
                log(f"  foreign speech: {total / SR / 3600:.2f}/{hours:.2f} h ({(time.time() - t0) / 60:.1f} min)")
    return out


def _phonemes(words: list[str], voice: str = "en-us") -> list[str]:
    r = subprocess.run(["espeak-ng", "-q", "-x", "-v", voice], input="".join(w + ".\n" for w in words),
                       capture_output=True, text=True, check=True)
    lines = [line.strip().replace("'", "").replace(",", "") for line in r.stdout.splitlines() if line.strip()]
    return lines if len(lines) == len(words) else [""] * len(words)


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def dictionary_phonemes(dictionary: str = "/usr/share/dict/words") -> list[tuple[str, str]]:
    """(word, espeak-ng phonemes without stress marks) for every plain lower-case word of the word list, cached."""
    if not os.path.isfile(dictionary):
        raise ValueError(f"no word list at {dictionary} for the phonetic-neighbour negatives: apt-get install wamerican "
                         "(or train with --no-neighbours)")
    cache = os.path.join(CACHE_DIR, f"phonemes-{key_of(dictionary, os.path.getsize(dictionary))}.txt")
    if os.path.exists(cache):
        with open(cache) as f:
            pairs = [line.rstrip("\n").split("\t") for line in f]
    else:
        with open(dictionary, encoding="utf-8", errors="ignore") as f:
            words = sorted({w.strip() for w in f if re.fullmatch(r"[a-z]{2,}", w.strip())})
        pairs = list(zip(words, _phonemes(words)))
        os.makedirs(CACHE_DIR, exist_ok=True)
        with open(cache + ".tmp", "w") as f:
            f.writelines(f"{w}\t{p}\n" for w, p in pairs)
        os.replace(cache + ".tmp", cache)
    return [(w, p) for w, p in pairs]


def phonetic_neighbours(word: str, count: int = 400, dictionary: str = "/usr/share/dict/words") -> list[str]:
    """The dictionary words whose espeak-ng phonemes are closest to the word's (edit distance relative to length),
    never a word that contains the wake word."""
    pairs = dictionary_phonemes(dictionary)
    target = _phonemes([word])[0]
    squashed = word.replace(" ", "")
    scored = []
    for w, p in pairs:
        if squashed in w or not p or abs(len(p) - len(target)) > 4:
            continue
        scored.append((_edit_distance(p, target) / max(len(target), 1), w))
    scored.sort()
    return [w for _, w in scored[:count]]


def neighbour_segments(word: str, seed: int, per_word: int = 6, log=print) -> list[np.ndarray]:
    """Each phonetic neighbour said by `per_word` random voices, alone and in a short carrier phrase."""
    rng = np.random.default_rng(seed)
    words = phonetic_neighbours(word)
    log(f"  {len(words)} phonetic neighbours of {word!r}, e.g. {', '.join(words[:12])}")
    carriers = ["{w}", "{w}", "hey {w}", "the {w}", "{w} please", "ok {w}"]
    jobs = [(carriers[rng.integers(len(carriers))].format(w=w), 0) for w in words for _ in range(per_word)]
    rendered = tts.synthesize(jobs, rng, use_pico=True)
    return [t for a, _, _ in rendered if (t := trim(a)) is not None]
