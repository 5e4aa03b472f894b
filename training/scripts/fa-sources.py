#!/usr/bin/env python3
"""Which recordings of the benchmark's negatives a model fires on: the highest-scoring false accepts of a run, or of
the mean of several runs' heads (the judge's ensemble), at a threshold, each with its recording and how many come
from each of the benchmark's sources. For choosing negatives that training lacks (docs/accuracy.md, "foreign speech").

Usage: training/scripts/fa-sources.py RUN_OR_MODEL... [--threshold 0.5] [--top 40]
  (from the repository root, after `benchmark build --negatives`; heads as `benchmark judge --run` takes them; the
  negative stream's embeddings are the judge's, cached)
"""
import argparse
import bisect
import collections
import csv
import os
import sys

import numpy as np
import soundfile as sf

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
from training import head_judge as hj  # noqa: E402
from training.accuracy.streams import source_of  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def false_accept_sources(probs, starts, files, threshold, top):
    """[(peak probability, time s, source file)] of the detector's events on a negative stream, highest first: the
    event's peak is the highest probability from 5 steps before it to 20 after (inclusive) (the detector fires on the rise)."""
    out = []
    for _, t in hj.events(probs, [threshold]):
        k = int(round(t / hj.STEP_S)) - 1  # the event's step: t is when its audio is complete, one step on
        peak = float(np.max(probs[max(0, k - 5):k + 21]))
        out.append((peak, t, files[max(0, bisect.bisect_right(starts, t) - 1)]))
    return sorted(out, reverse=True)[:top]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("runs", nargs="+", metavar="RUN_OR_MODEL")
    p.add_argument("--threshold", type=float, default=0.5)
    p.add_argument("--top", type=int, default=40)
    p.add_argument("--bench", default=os.path.join(ROOT, "training", "runs", "benchmark"))
    a = p.parse_args()
    if not 0 < a.threshold < 1 or a.top < 1:
        sys.exit(f"threshold {a.threshold} must be between 0 and 1 and top {a.top} at least 1")
    csv_path = os.path.join(a.bench, "negatives", "negatives.csv")
    wav = os.path.join(a.bench, "negatives", "negatives.wav")
    if not os.path.exists(csv_path) or not os.path.exists(wav):
        sys.exit(f"no negative stream at {wav}: build it with `python3 -m training benchmark build --word alexa "
                 f"--negatives`")
    emb = hj.embed_wav(wav)
    heads = hj.load_heads(a.runs)
    neg = np.mean([h.score(emb) for h in heads], axis=0)
    with open(csv_path) as f:
        rows = list(csv.DictReader(f))
    found = false_accept_sources(neg, [float(r["start_s"]) for r in rows], [r["file"] for r in rows], a.threshold,
                                 a.top)
    hours = sf.info(wav).duration / 3600
    print(f"{len(heads)} head(s), the {len(found)} highest false accepts at {a.threshold} on {hours:.2f} h:")
    for peak, t, path in found:
        print(f"  {peak:.3f}  {t:9.1f} s  {path}")
    print("by source:", ", ".join(f"{k} {n}" for k, n in collections.Counter(source_of(x) for *_, x in found)
                                   .most_common()))


if __name__ == "__main__":
    main()
