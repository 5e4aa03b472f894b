#!/usr/bin/env python3
"""Recall per source folder of a benchmark word's keywords, with the C# runtime: which recordings a model finds.
Usage: training/scripts/recall-by-folder.py WORD MODEL THRESHOLDS [CLI]   (THRESHOLDS: 0.5,0.8; CLI: /tmp/ww-cli/wakeword)
A hit is an event from the keyword's start to 1 s after its end, as in `benchmark score`."""
import csv
import json
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
from training.accuracy.scoring import HIT_AFTER_END_S  # noqa: E402

word, model, thresholds = sys.argv[1:4]
cli = sys.argv[4] if len(sys.argv) > 4 else "/tmp/ww-cli/wakeword"
word_dir = os.path.join(os.path.dirname(__file__), "..", "runs", "benchmark", word.replace(" ", "-"))
run = subprocess.run([cli, "detect", os.path.join(word_dir, "positives.wav"), "--model", model, "--thresholds",
                      thresholds, "--json"], capture_output=True, text=True, check=True)
events = {}
for line in run.stdout.splitlines():
    record = json.loads(line)
    if record.get("type") == "event":
        events.setdefault(record["threshold"], []).append(record["time_s"])
with open(os.path.join(word_dir, "positives.csv")) as f:
    keywords = list(csv.DictReader(f))
for threshold in sorted(float(t) for t in thresholds.split(",")):
    times = np.array(events.get(threshold, []))
    found = {}
    for k in keywords:
        start, end = float(k["start_s"]), float(k["end_s"])
        found.setdefault(os.path.basename(os.path.dirname(k["file"])), []).append(
            bool(np.any((times >= start) & (times <= end + HIT_AFTER_END_S))))
    print(f"threshold {threshold}: " + ", ".join(f"{folder} {np.mean(v):.0%} of {len(v)}" for folder, v in found.items()))
