#!/usr/bin/env python3
"""Recall per source folder of a benchmark word's keywords, with the C# runtime: which recordings a model finds.
Usage: training/scripts/recall-by-folder.py WORD MODEL THRESHOLDS [CLI]   (THRESHOLDS: 0.5,0.8; CLI: /tmp/ww-cli/wakeword)
Events and hits exactly as `benchmark score` counts them (accuracy.scoring)."""
import csv
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
from training.accuracy.scoring import keyword_hits, read_keywords, run_detector  # noqa: E402

word, model, thresholds = sys.argv[1], sys.argv[2], [round(float(t), 4) for t in sys.argv[3].split(",")]
cli = sys.argv[4] if len(sys.argv) > 4 else "/tmp/ww-cli/wakeword"
word_dir = os.path.join(os.path.dirname(__file__), "..", "runs", "benchmark", word.replace(" ", "-"))
events = run_detector(cli, model, os.path.join(word_dir, "positives.wav"), thresholds)
keywords = read_keywords(word_dir)
with open(os.path.join(word_dir, "positives.csv")) as f:
    folders = np.array([os.path.basename(os.path.dirname(r["file"])) for r in csv.DictReader(f)])
for t in sorted(thresholds):
    hit = keyword_hits(np.sort([x for th, x in events if th == t]), keywords)[0]
    print(f"threshold {t}: " + ", ".join(f"{d} {hit[folders == d].mean():.0%} of {(folders == d).sum()}"
                                         for d in dict.fromkeys(folders)))
