"""Speech synthesis with every English voice Debian offers: espeak-ng (voices x variants), flite, festival.

Each engine call is checked: an engine that is missing or writes no audio raises TtsError with the engine's name.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

import numpy as np
import soundfile as sf

from .audio import resample_to

ESPEAK_VOICES_FALLBACK = ["en-us", "en-gb", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd", "en-029"]
FLITE_VOICES = ["kal16", "awb", "rms", "slt"]
FESTIVAL_VOICES = ["voice_kal_diphone", "voice_ked_diphone", "voice_cmu_us_slt_arctic_hts"]
# SVOX Pico (built by training/pico/build.sh, patched): every language's voice reads English text, with its accent.
PICO_VOICES = ["en-US", "en-GB", "de-DE", "es-ES", "fr-FR", "it-IT"]


class TtsError(RuntimeError):
    pass


def require_engines(engines=("espeak-ng", "flite", "text2wave")) -> None:
    missing = [e for e in engines if shutil.which(e) is None]
    if missing:
        raise TtsError("speech synthesis engine(s) not found on PATH: " + ", ".join(missing)
                       + " (install them with training/install-deps.sh)")


_PICO_CHECKED = False


def pico_available() -> bool:
    """pico2wave is on PATH and speaks its text; a build without training/pico's patch is an error, not a voice."""
    global _PICO_CHECKED
    if shutil.which("pico2wave") is None:
        return False
    if not _PICO_CHECKED:
        # Unpatched, pico2wave reads its text from freed memory: different garbage (or nothing) on every run.
        with tempfile.TemporaryDirectory() as d:
            outs = []
            for i in range(2):
                path = os.path.join(d, f"{i}.wav")
                subprocess.run(["pico2wave", "-l", "en-US", "-w", path, "computer"], check=True, capture_output=True)
                with open(path, "rb") as f:
                    outs.append(f.read())
        if outs[0] != outs[1] or len(outs[0]) <= 44:
            raise TtsError("pico2wave does not speak its text (two runs of the same text gave different or no audio): "
                           "it was built without training/pico/pico2wave-use-after-free.patch; rebuild it with "
                           "training/pico/build.sh")
        _PICO_CHECKED = True
    return True


def check_pico_voices(voices) -> tuple:
    """A subset of PICO_VOICES, in PICO_VOICES' order (so the cache key does not depend on how it was written)."""
    unknown = [v for v in voices if v not in PICO_VOICES]
    if unknown or not voices:
        raise ValueError(f"pico voices {list(voices)} must be one or more of {', '.join(PICO_VOICES)}")
    return tuple(v for v in PICO_VOICES if v in voices)


def engines_key(pico: bool = False, pico_voices=None) -> str:
    """Which engines a bank was rendered with (part of the bank's and the clips' cache keys). "pico-patched": banks
    from the unpatched pico2wave, whose Pico utterances were garbage, are never read again. Pico with fewer than its
    six voices names them (all six: the key banks were cached under before voices could be chosen)."""
    if not (pico and pico_available()):
        return "espeak,flite,festival"
    voices = check_pico_voices(pico_voices or PICO_VOICES)
    return "espeak,flite,festival,pico-patched" + ("" if voices == tuple(PICO_VOICES) else ":" + "+".join(voices))


def espeak_voices() -> list[str]:
    try:
        out = subprocess.run(["espeak-ng", "--voices=en"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return ESPEAK_VOICES_FALLBACK
    voices = []
    for line in out.splitlines()[1:]:
        parts = line.split()
        # mb/* voices need MBROLA, which Debian does not ship.
        if len(parts) >= 5 and not parts[4].startswith("mb/") and parts[1].startswith("en"):
            voices.append(parts[1])
    return sorted(set(voices)) or ESPEAK_VOICES_FALLBACK


def espeak_variants() -> list[str]:
    out = subprocess.run(["espeak-ng", "--voices=variant"], capture_output=True, text=True).stdout
    names = [line.split()[4].split("/")[-1] for line in out.splitlines()[1:] if len(line.split()) >= 5]
    return names or ["m1", "f1"]


def _read(path: str, engine: str, text: str) -> np.ndarray:
    if not os.path.exists(path) or os.path.getsize(path) <= 44:
        raise TtsError(f"{engine} wrote no audio for {text!r}")
    audio, rate = sf.read(path, dtype="float32", always_2d=True)
    return resample_to(audio.mean(axis=1), rate, 16000)


def espeak(text: str, voice: str, variant: str, rate: int, pitch: int, tmpdir: str) -> np.ndarray:
    path = os.path.join(tmpdir, "espeak.wav")
    subprocess.run(["espeak-ng", "-v", f"{voice}+{variant}", "-s", str(rate), "-p", str(pitch), "-w", path, text],
                   check=True, capture_output=True)
    return _read(path, "espeak-ng", text)


def flite(text: str, voice: str, stretch: float, f0: float, tmpdir: str) -> np.ndarray:
    path = os.path.join(tmpdir, "flite.wav")
    subprocess.run(["flite", "-voice", voice, "--setf", f"duration_stretch={stretch:.2f}",
                    "--setf", f"int_f0_target_mean={f0:.0f}", "-t", text, "-o", path], check=True, capture_output=True)
    return _read(path, "flite", text)


def pico(text: str, voice: str, tmpdir: str) -> np.ndarray:
    # Plain text: the mixer's speed and vocal-tract perturbations vary the prosody. (Empty files and "markup that
    # fails for some voices", seen before, were the unpatched build's use-after-free: pico_available() checks.)
    path = os.path.join(tmpdir, "pico.wav")
    subprocess.run(["pico2wave", "-l", voice, "-w", path, text], check=True, capture_output=True)
    return _read(path, "pico2wave", text)


def festival_batch(jobs: list[tuple[str, str, float]], tmpdir: str) -> list[np.ndarray]:
    """jobs: (text, voice, duration stretch). One festival process for all of them (start-up is the slow part)."""
    lines = []
    paths = []
    for i, (text, voice, stretch) in enumerate(jobs):
        p = os.path.join(tmpdir, f"fest{i}.wav")
        paths.append(p)
        safe = text.replace("\\", " ").replace('"', " ")
        lines.append(f'({voice})\n(Parameter.set \'Duration_Stretch {stretch:.2f})\n'
                     f'(set! u (Utterance Text "{safe}"))\n(utt.synth u)\n(utt.save.wave u "{p}" \'riff)\n')
    script = os.path.join(tmpdir, "batch.scm")
    with open(script, "w") as f:
        f.writelines(lines)
    subprocess.run(["festival", "-b", script], check=True, capture_output=True)
    # text2wave and festival exit 0 without a file when a voice is unknown: every output is checked.
    return [_read(p, "festival", j[0]) for p, j in zip(paths, jobs)]


def espeak_all_voices() -> list[str]:
    """Every espeak-ng voice of every language (not the MBROLA ones, which Debian does not ship), named by its voice
    file (`iro/chr`): `-v` does not find every language name `--voices` lists (`chr-US-Qaaa-x-west` exits 1)."""
    out = subprocess.run(["espeak-ng", "--voices"], capture_output=True, text=True).stdout
    return sorted({line.split()[4] for line in out.splitlines()[1:]
                   if len(line.split()) >= 5 and not line.split()[4].startswith("mb/")})


def synthesize(texts_and_kinds, rng: np.random.Generator, progress=None, use_pico: bool = False, accents: float = 0.0,
               pico_voices=None):
    """Render [(text, label)] with random voices and prosody. Returns [(audio, label, source)].
    With use_pico (and pico2wave installed) a sixth of the utterances, taken from espeak-ng's share, are Pico's, read
    by pico_voices (default: all six).
    With accents > 0, that share of espeak-ng's utterances is read by a voice of another language (English text with
    its accent: more kinds of speakers than the English voices give)."""
    voices, variants = espeak_voices(), espeak_variants()
    foreign = [v for v in espeak_all_voices() if not v.startswith("en")] if accents > 0 else []
    use_pico = use_pico and pico_available()
    pico_pool = check_pico_voices(pico_voices or PICO_VOICES)
    out = []
    fest_jobs = []
    with tempfile.TemporaryDirectory() as tmpdir:
        def say_espeak(text):
            pool = foreign if foreign and rng.random() < accents else voices
            v, var = pool[rng.integers(len(pool))], variants[rng.integers(len(variants))]
            return espeak(text, v, var, int(rng.integers(115, 200)), int(rng.integers(20, 90)), tmpdir), f"espeak:{v}+{var}"

        for i, (text, label) in enumerate(texts_and_kinds):
            r = rng.random()
            if use_pico and r < 0.17:
                v = pico_pool[rng.integers(len(pico_pool))]
                try:
                    out.append((pico(text, v, tmpdir), label, f"pico:{v}"))
                except TtsError:  # a text this voice never renders: espeak-ng says it instead
                    audio, source = say_espeak(text)
                    out.append((audio, label, source))
            elif r < 0.72:
                audio, source = say_espeak(text)
                out.append((audio, label, source))
            elif r < 0.88:
                v = FLITE_VOICES[rng.integers(len(FLITE_VOICES))]
                audio = flite(text, v, float(rng.uniform(0.8, 1.35)), float(rng.uniform(85, 210)), tmpdir)
                out.append((audio, label, f"flite:{v}"))
            else:
                fest_jobs.append((text, FESTIVAL_VOICES[rng.integers(len(FESTIVAL_VOICES))], float(rng.uniform(0.8, 1.3)), label))
            if progress:
                progress(i + 1)
        for start in range(0, len(fest_jobs), 60):
            chunk = fest_jobs[start:start + 60]
            for audio, (text, voice, _, label) in zip(festival_batch([j[:3] for j in chunk], tmpdir), chunk):
                out.append((audio, label, f"festival:{voice}"))
    return out
