#!/usr/bin/env python3
"""False accepts per hour of shipped model files on the benchmark's negative hours, scored by the C# runtime (the
service's code): at the model's recommended threshold (its `detector.threshold`) and around it. For a word with no
benchmark of its own (no real recordings of it, e.g. `activate`) this is the check that its threshold holds 0.5 FA/h
on real speech it was neither trained nor calibrated on; the threshold itself comes from `benchmark calibrate`.

Usage: training/scripts/fa-sweep.py MODEL [MODEL...] [--cli PATH] [--wav NEGATIVES_WAV]
  (from the repository root; the CLI defaults to /tmp/ww-cli/wakeword: dotnet publish src/WakeWord.Cli -c Release -o
  /tmp/ww-cli; the negatives default to training/runs/benchmark/negatives/negatives.wav: benchmark build --negatives)
"""
import argparse
import os
import sys

import onnx
import soundfile as sf

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
from training.accuracy.calibration import false_accept_rows  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("models", nargs="+", metavar="MODEL")
    p.add_argument("--cli", default="/tmp/ww-cli/wakeword")
    p.add_argument("--wav", default=os.path.join(ROOT, "training", "runs", "benchmark", "negatives", "negatives.wav"))
    a = p.parse_args()
    if not os.path.exists(a.wav):
        sys.exit(f"no negative stream at {a.wav}: build it with `python3 -m training benchmark build --word alexa "
                 f"--negatives`, or give --wav")
    hours = sf.info(a.wav).duration / 3600
    for model in a.models:
        meta = {m.key: m.value for m in onnx.load(model, load_external_data=False).metadata_props}
        if "detector.threshold" not in meta:
            sys.exit(f"{model} has no detector.threshold in its metadata: not a wake-word model file")
        own = round(float(meta["detector.threshold"]), 4)
        thresholds = sorted({own, *(round(own + d, 4) for d in (-0.2, -0.1, -0.05, 0.05, 0.1) if 0 < own + d < 1)})
        rows = false_accept_rows(a.cli, model, a.wav, hours, thresholds)
        print(f"{model} ({meta.get('wakeword.word', '?')} {meta.get('wakeword.version', '?')}), {hours:.2f} h of "
              f"negatives ({os.path.relpath(a.wav)}):")
        for r in rows:
            mark = "  <- recommended" if r["threshold"] == own else ""
            print(f"  threshold {r['threshold']:.3f}: {r['false_accepts']} false accepts, {r['fa_per_hour']:.2f} per "
                  f"hour{mark}")


if __name__ == "__main__":
    main()
