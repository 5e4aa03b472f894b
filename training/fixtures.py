"""Small audio fixtures for the C# tests, cut from public-domain recordings in ../shared/data (Mycroft Precise
community data) so a clone without ../shared can run the tests. Run: python3 -m training fixtures."""
from __future__ import annotations

import os

import numpy as np
import soundfile as sf

from . import tts
from .audio import SR, read_audio, speech_bounds, trim
from .data import RealData, load_noise
from .mixing import at_level, stretch, unit_std

README = """# Test audio fixtures

All 16 kHz mono 16-bit WAV, made by `python3 -m training fixtures` (training/fixtures.py) from ../shared/data.

| file | what | source and licence | wake word ends at |
|---|---|---|---|
{rows}

The real recordings come from the held-out *test* split of training (training/data.py `split_of`): the shipped models
never trained on them. `computer_synth_noisy.wav` is synthesized speech (flite, voice slt) mixed at 10 dB SNR into
held-out room noise; the same voice was used in training, so it tests the plumbing, not accuracy.
`*_synth_silence.wav` are synthesized words between stretches of exact zeros: a shipped model must hear its word in
a synthesizer's WAV file too, not only over a microphone's noise floor.
`negatives_long.wav` is real speech that is not "computer" (other wake words and phrases from the held-out test split)
over held-out noise: a detector must stay silent on it.
"""

REAL_CLIPS = ["computer-en-0c10e10f-ffed-4c14-994b-41c71d452e85.flac", "computer-en-5e8cf3d9-9306-43f7-99ce-d9d3e67088a0.flac",
              "computer-en-680e5848-361b-4968-9d48-c763a7b0edda.flac"]
PD = "Mycroft Precise community data (MycroftAI/Precise-Community-Data), public domain"


def _write(path, x):
    sf.write(path, np.round(np.clip(x, -1, 1) * 32767).astype(np.int16), SR, subtype="PCM_16")


def make_fixtures(data_dir: str, out_dir: str, log=print):
    os.makedirs(out_dir, exist_ok=True)
    real = RealData(data_dir, "computer")
    noise = np.concatenate(load_noise([p for p in real.noise if "jarbas" in p], "heldout"))
    rows = []
    # Named, not "the first three": the test split gained other recordings since, and the committed clips must stay
    # the ones their README describes.
    picked = [next(p for p in real.positives["test"] if os.path.basename(p) == name) for name in REAL_CLIPS]
    for i, p in enumerate(picked, 1):
        a = read_audio(p)
        _, end = speech_bounds(a)  # on the original clip: the added silence would skew its noise floor
        end += SR
        a = np.concatenate([np.zeros(SR, np.float32), a, np.zeros(SR, np.float32)])
        a += unit_std(noise)[: len(a)] * 10 ** (-60 / 20)
        name = f"computer_real_{i}.wav"
        _write(os.path.join(out_dir, name), a)
        rows.append(f"| {name} | a real person saying \"{'hey computer' if 'heycomputer' in p else 'computer'}\" "
                    f"(`{os.path.basename(p)}`), 1 s of silence added on each side | {PD} | {end / SR:.2f} s |")
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        word = trim(tts.flite("computer", "slt", 1.0, 140, d))
    x = np.zeros(5 * SR, np.float32)
    start = 2 * SR
    x[start:start + len(word)] = at_level(word, 0.05)
    x += unit_std(noise[SR: SR + len(x)]) * 0.05 * 10 ** (-10 / 20)
    _write(os.path.join(out_dir, "computer_synth_noisy.wav"), x)
    rows.append(f"| computer_synth_noisy.wav | synthesized \"computer\" in room noise, 10 dB SNR | flite (BSD-like "
                f"licence) over {PD} noise | {(start + len(word)) / SR:.2f} s |")
    for w in ("computer", "activate"):
        # Digital silence (exact zeros) on both sides, as in a WAV file from a synthesizer: every training clip lies
        # over noise, so a model may behave differently here (espeak-ng's en-us voice was the one that showed it).
        with tempfile.TemporaryDirectory() as d:
            word = trim(tts.espeak(w, "en-us", "m3", 160, 50, d))
        word = word / np.max(np.abs(word)) * 0.5
        x = np.concatenate([np.zeros(SR, np.float32), word, np.zeros(SR, np.float32)])
        name = f"{w}_synth_silence.wav"
        _write(os.path.join(out_dir, name), x)
        rows.append(f"| {name} | synthesized \"{w}\" with 1 s of digital silence (exact zeros) on each side | espeak-ng "
                    f"voice en-us+m3 (the program is GPL-3.0; its synthesized speech carries no licence terms) | "
                    f"{(SR + len(word)) / SR:.2f} s |")
    rng = np.random.default_rng(5)
    negs = [p for p in real.negatives["test"] if "mycroft" in p and os.sep + "es" + os.sep not in p]
    rng.shuffle(negs)
    parts, total = [], 0
    for p in negs:
        a = read_audio(p)
        a = at_level(a, 0.05)
        parts.append(a)
        total += len(a)
        if total >= 60 * SR:
            break
    neg = np.concatenate(parts)[: 60 * SR]
    neg = neg + unit_std(stretch(noise, 0, len(neg))) * 0.05 * 10 ** (-15 / 20)
    _write(os.path.join(out_dir, "negatives_long.wav"), neg)
    rows.append(f"| negatives_long.wav | 60 s of real speech without \"computer\" ({len(parts)} clips: other wake words "
                f"and phrases) over room noise at 15 dB SNR | {PD} | none |")
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write(README.format(rows="\n".join(rows)))
    log(f"wrote {len(rows)} fixtures to {out_dir}")
