#!/usr/bin/env python3
"""Does a model hear its word over digital silence (exact zeros, as in a synthesized WAV file) as well as over a
noise floor? Synthesizes the word in several voices, pads each with 1 s on both sides (zeros, or white noise at
-60 / -40 dBFS), runs the C# CLI with --scores and prints each model's highest probability per condition.

Usage: training/scripts/silence-check.py WORD MODEL [MODEL...] [--cli PATH]   (from the repository root; the CLI
defaults to /tmp/ww-cli/wakeword: dotnet publish src/WakeWord.Cli -c Release -o /tmp/ww-cli)
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import soundfile as sf

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
from training import tts  # noqa: E402
from training.audio import SR, trim  # noqa: E402

CONDITIONS = {"zeros": None, "noise -60 dB": -60.0, "noise -40 dB": -40.0}


def voices(word: str, tmp: str):
    yield "espeak-ng en-us", tts.espeak(word, "en-us", "m3", 160, 50, tmp)
    yield "espeak-ng en", tts.espeak(word, "en", "f2", 150, 60, tmp)
    yield "flite slt", tts.flite(word, "slt", 1.0, 140, tmp)
    yield "flite kal", tts.flite(word, "kal", 1.0, 100, tmp)
    if tts.pico_available():
        yield "pico en-US", tts.pico(word, "en-US", tmp)


def padded(u: np.ndarray, noise_db, rng) -> np.ndarray:
    u = trim(u)
    u = u / (np.max(np.abs(u)) + 1e-9) * 0.5
    x = np.concatenate([np.zeros(SR, np.float32), u, np.zeros(SR, np.float32)])
    if noise_db is not None:
        x = x + rng.normal(0, 10 ** (noise_db / 20), len(x)).astype(np.float32)
    return np.round(np.clip(x, -1, 1) * 32767).astype(np.int16)


def max_scores(cli: str, wav: str, models: list[str]) -> dict:
    args = [cli, "detect", wav, "--json", "--scores"] + [a for m in models for a in ("--model", m)]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    best = {}
    for line in out.splitlines():
        row = json.loads(line)
        if row.get("type") == "score":
            best[row["model"]] = max(best.get(row["model"], 0.0), row["prob"])
    return best


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("word")
    p.add_argument("models", nargs="+")
    p.add_argument("--cli", default="/tmp/ww-cli/wakeword")
    a = p.parse_args()
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for voice, u in voices(a.word, tmp):
            for cond, db in CONDITIONS.items():
                wav = os.path.join(tmp, "x.wav")
                sf.write(wav, padded(u, db, rng), SR, subtype="PCM_16")
                rows.append((voice, cond, max_scores(a.cli, wav, a.models)))
    names = sorted({m for _, _, s in rows for m in s})
    print("| voice | padding | " + " | ".join(names) + " |")
    print("|---|---|" + "---|" * len(names))
    for voice, cond, s in rows:
        print(f"| {voice} | {cond} | " + " | ".join(f"{s.get(m, 0.0):.3f}" for m in names) + " |")


if __name__ == "__main__":
    main()
