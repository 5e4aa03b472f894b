#!/usr/bin/env python3
"""Trained heads under other trigger rules: the miss rate at 0.5 and 0.1 false accepts per hour on the benchmark when
a word must stay at or above the threshold for K consecutive steps (the service's `ConsecutiveSteps`, default 1), and
when the probability is first averaged over the last W steps (a moving mean, as microWakeWord's streaming test does;
not a runtime setting: judged to see whether one is worth adding). Each head alone and the mean of all of them.

Usage: training/scripts/detector-rules.py --word WORD --run RUN_DIR [RUN_DIR...] [--consecutive 1 2 3] [--mean 1 2 3]
  (from the repository root, after `benchmark build`; each head scores the streams once, about 90 s per head on 2 cores)
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
from training import head_judge  # noqa: E402


def moving_mean(p: np.ndarray, width: int) -> np.ndarray:
    """Step j's mean over steps j-width+1 .. j (causal: what a streaming detector could compute; zeros before the
    stream's start)."""
    if width == 1:
        return p
    c = np.cumsum(np.concatenate([np.zeros(width, np.float64), p.astype(np.float64)]))
    return ((c[width:] - c[:-width]) / width).astype(np.float32)


def misses(judge: head_judge.Judge, pos: np.ndarray, neg: np.ndarray, consecutive: int, width: int):
    r = judge.score_probs(moving_mean(pos, width), moving_mean(neg, width), consecutive=consecutive)
    return r["miss_at_0.5"], r["miss_at_0.1"]


def whole_numbers(name: str, values: list[int], most: int) -> list[int]:
    bad = [v for v in values if not 1 <= v <= most]
    if bad:
        sys.exit(f"--{name} {bad[0]}: must be a number of steps from 1 to {most}")
    return values


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--word", required=True)
    p.add_argument("--run", nargs="+", required=True, metavar="RUN_DIR")
    p.add_argument("--consecutive", nargs="+", type=int, default=[1, 2, 3, 4])
    p.add_argument("--mean", nargs="+", type=int, default=[2, 3, 5], metavar="WIDTH")
    p.add_argument("--bench", default=os.path.join("training", "runs", "benchmark"))
    a = p.parse_args()
    rules = [(k, 1) for k in whole_numbers("consecutive", a.consecutive, 25)]
    rules += [(1, w) for w in whole_numbers("mean", a.mean, 25) if w > 1]
    missing = [r for r in a.run if not os.path.exists(os.path.join(r, "summary.json"))]
    if missing:
        sys.exit(f"{missing[0]} is not a finished head run (no summary.json)")
    judge = head_judge.Judge(a.bench, a.word)
    probs = [judge.probs(head_judge.load_runs([r])) for r in a.run]
    named = list(zip([os.path.basename(r.rstrip("/")) for r in a.run], probs))
    if len(probs) > 1:
        named.append((f"mean of {len(probs)}", (np.mean([q for q, _ in probs], 0), np.mean([n for _, n in probs], 0))))
    print("miss at 0.5 / 0.1 FA/h; kK: K consecutive steps at or above the threshold; mW: moving mean over W steps")
    print("| head | " + " | ".join(f"k{k}" if w == 1 else f"m{w}" for k, w in rules) + " |")
    print("|---|" + "---|" * len(rules))
    for name, (pos, neg) in named:
        cells = [misses(judge, pos, neg, k, w) for k, w in rules]
        print(f"| {name} | " + " | ".join(f"{head_judge.pct(m5)} / {head_judge.pct(m1)}" for m5, m1 in cells) + " |",
              flush=True)


if __name__ == "__main__":
    main()
