#!/usr/bin/env python3
"""Where a recipe's false accepts come from: the heads of some training runs (their mean, as `benchmark judge` scores
an ensemble) over the benchmark's negative hours, at the threshold where they reach a given FA/h, each event traced to
the source file it fell in (negatives.csv) and counted by Debian package and by language.
Usage: training/scripts/false-accepts.py WORD FA_PER_HOUR RUN_DIR...
  e.g. jarvis 0.5 training/runs/jarvis-fixed-s{1,2,3}"""
import csv
import os
import re
import sys
from collections import Counter

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
from training import head_judge  # noqa: E402


def package(path):
    parts = path.split("/")
    return "/".join(parts[3:5] if parts[3] == "games" else parts[3:4])


def language(path):
    # Debian's speech files name their language as a path part or a file name suffix: fillets-ng/.../nl/x.ogg,
    # tuxpaint's x_desc_bg.ogg, asterisk's es_MX_f_Allison/.
    m = re.search(r"(?:/|_)([a-z]{2})(?:_[A-Z]{2})?(?:/|_f_|_m_|\.)", path[path.index("/share/") + 7:])
    return m.group(1) if m else "?"


word, target, runs = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
bench = os.path.join(os.path.dirname(__file__), "..", "runs", "benchmark")
judge = head_judge.Judge(bench, word)
heads = [head_judge.load_run(r) for r in runs]
neg = np.mean([h.score(judge.neg) for h in heads], axis=0)
# The lowest threshold on a 0.01 grid whose false accepts stay at or under the target.
for threshold in np.arange(0.5, 1.0, 0.01):
    times = [t for _, t in head_judge.events(neg, [round(float(threshold), 2)])]
    if len(times) / judge.neg_hours <= target:
        break
print(f"threshold {threshold:.2f}: {len(times)} false accepts in {judge.neg_hours:.2f} h "
      f"({len(times) / judge.neg_hours:.2f}/h)")
with open(os.path.join(bench, "negatives", "negatives.csv")) as f:
    rows = list(csv.DictReader(f))
ends = np.array([float(r["end_s"]) for r in rows])
sources = [rows[min(int(np.searchsorted(ends, t)), len(rows) - 1)]["file"] for t in times]
for t, src in zip(times, sources):
    print(f"  {t:9.1f} s  {src}")
for name, key in (("package", package), ("language", language)):
    print(f"by {name}: " + ", ".join(f"{k} {n}" for k, n in Counter(key(s) for s in sources).most_common()))
