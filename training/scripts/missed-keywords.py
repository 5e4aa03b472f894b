#!/usr/bin/env python3
"""Which of a proxy word's keywords each model misses at a false-accept rate, how far the models' missed sets overlap,
and whether the missed ones differ from the found ones in level, pitch or length. Keywords that every recipe and
every seed miss point at voices or pronunciations training lacks; misses that move from seed to seed are noise.

Usage: training/scripts/missed-keywords.py WORD [--fa-per-hour 0.5] --model NAME JUDGE_JSON KEY SOURCE... [--model ...]
  NAME: a label; JUDGE_JSON and KEY: that model's entry in a `benchmark judge --json` file, whose rows give the lowest
  threshold at or under the rate; SOURCE: run folders or head model files as `benchmark judge --run` takes them (their
  mean scores), or peer:NAME for an openWakeWord head (e.g. peer:alexa_v0.1).
  e.g. alexa --model c24 training/runs/alexa-c24-judge.json "mean of 3" training/runs/alexa-c24-s{1,2,3}
            --model oww training/runs/alexa-c24-judge.json "openWakeWord alexa_v0.1" peer:alexa_v0.1
  (from the repository root, after `benchmark build --word WORD`; the positive stream's embeddings are the judge's)
"""
import argparse
import csv
import json
import os
import sys

import numpy as np
import soundfile as sf

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
from training import head_judge as hj  # noqa: E402
from training.accuracy import scoring  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
BANDS = {"level dBFS": [-100, -40, -30, -20, -10, 0], "pitch Hz": [0, 120, 160, 200, 250, 1000],
         "length s": [0, 0.5, 0.7, 0.9, 1.2, 100]}


def best_in_windows(probs, keywords):
    """Each keyword's highest probability over its hit window (its start to HIT_AFTER_END_S after its end), by the
    time a step's audio is complete, as the judge counts a hit."""
    t = np.array([hj.se.step_available_sample(j) for j in range(len(probs))]) / hj.se.SAMPLE_RATE
    out = np.zeros(len(keywords))
    for i, (s, e) in enumerate(keywords):
        lo, hi = np.searchsorted(t, s), np.searchsorted(t, e + scoring.HIT_AFTER_END_S, side="right")
        out[i] = probs[lo:hi].max() if hi > lo else 0.0
    return out


def pitch_hz(x, sr: int = 16000) -> float:
    """Median autocorrelation pitch (70-400 Hz) of the clip's voiced 40 ms frames (louder than a third of its RMS, the
    peak at least 0.4 of the frame's energy); nan when no frame is voiced. A rough estimate, enough to sort voices."""
    n, hop, lo, hi = sr // 25, sr // 50, sr // 400, sr // 70
    floor = 0.3 * np.sqrt(np.mean(x ** 2))
    found = []
    for i in range(0, len(x) - n, hop):
        f = x[i:i + n] - x[i:i + n].mean()
        if np.sqrt(np.mean(f ** 2)) <= floor:
            continue
        ac = np.correlate(f, f, "full")[n - 1:]
        k = lo + int(np.argmax(ac[lo:hi]))
        if ac[k] > 0.4 * ac[0]:
            found.append(sr / k)
    return float(np.median(found)) if found else float("nan")


def describe(path: str, start: float, end: float) -> dict:
    x, sr = sf.read(path, dtype="float32")
    x = x.mean(axis=1) if x.ndim > 1 else x
    a = np.abs(x)
    loud = x[a > 0.05 * a.max()] if a.max() > 0 else x
    return {"level dBFS": float(20 * np.log10(np.sqrt(np.mean(loud ** 2)) + 1e-9)), "pitch Hz": pitch_hz(x, sr),
            "length s": end - start}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("word")
    p.add_argument("--fa-per-hour", type=float, default=0.5)
    p.add_argument("--model", nargs="+", action="append", required=True,
                   metavar="NAME JUDGE_JSON KEY SOURCE", help="a model: label, judge JSON, its key there, sources")
    a = p.parse_args()
    if not 0 < a.fa_per_hour <= 1000:
        p.error(f"--fa-per-hour {a.fa_per_hour}: give a rate above 0 and at most 1000")
    word_dir = os.path.join(ROOT, "training", "runs", "benchmark", a.word.replace(" ", "-"))
    if not os.path.exists(os.path.join(word_dir, "positives.csv")):
        p.error(f"no benchmark for '{a.word}' in {word_dir}: run `python3 -m training benchmark build --word {a.word}`")
    keywords = scoring.read_keywords(word_dir)
    pos = hj.embed_wav(os.path.join(word_dir, "positives.wav"), print)
    missed, best = {}, {}
    for spec in a.model:
        if len(spec) < 4:
            p.error(f"--model {' '.join(spec)}: give NAME JUDGE_JSON KEY and at least one SOURCE")
        name, judge_json, key, sources = spec[0], spec[1], spec[2], spec[3:]
        if not os.path.isfile(judge_json):
            p.error(f"--model {name}: no judge file {judge_json} (write one with `benchmark judge --json`)")
        with open(judge_json) as f:
            judged = json.load(f)
        if key not in judged:
            p.error(f"{judge_json} has no '{key}' (it has: {', '.join(judged)})")
        row = scoring.lowest_threshold_row(judged[key]["rows"], a.fa_per_hour)
        if row is None:
            p.error(f"{name}: its sweep in {judge_json} never gets down to {a.fa_per_hour} FA/h")
        thr = row["threshold"]
        if sources[0].startswith("peer:"):
            from training.peers import OpenWakeWordHead, fetch_head
            probs = OpenWakeWordHead(fetch_head(sources[0][5:])).score(pos)
        else:
            probs = np.mean([h.score(pos) for h in hj.load_heads(sources)], axis=0)
        best[name] = best_in_windows(probs, keywords)
        missed[name] = set(np.flatnonzero(best[name] < thr).tolist())
        print(f"{name}: {len(missed[name])} of {len(keywords)} missed at threshold {thr} ({a.fa_per_hour} FA/h); "
              f"{int((best[name] < 0.3).sum())} never reach 0.3")
    names = list(missed)
    print("missed by both (rows, columns):")
    for n in names:
        print(f"  {n}: " + "  ".join(f"{m} {len(missed[n] & missed[m])}" for m in names))
    every = set.intersection(*missed.values())
    print(f"missed by every model: {len(every)} ({100 * len(every) / len(keywords):.1f}% of the keywords)")
    with open(os.path.join(word_dir, "positives.csv")) as f:
        rows = list(csv.DictReader(f))
    gone = [r["file"] for r in rows if not os.path.exists(r["file"])]
    if gone:
        p.error(f"{len(gone)} of the keywords' recordings are gone (first: {gone[0]}): the level, pitch and length "
                f"need the recordings the benchmark was built from")
    feats = [describe(r["file"], float(r["start_s"]), float(r["end_s"])) for r in rows]
    first = missed[names[0]]
    print(f"{names[0]}: missed / all keywords by band")
    for k, edges in BANDS.items():
        v = np.array([f[k] for f in feats])
        m = np.array([i in first for i in range(len(rows))])
        cells = [f"[{lo:g}, {hi:g}) {int(m[(v >= lo) & (v < hi)].sum())}/{int(((v >= lo) & (v < hi)).sum())}"
                 for lo, hi in zip(edges, edges[1:])]
        print(f"  {k}: " + "  ".join(cells) + f"  (median missed {np.nanmedian(v[m]):.1f}, found {np.nanmedian(v[~m]):.1f})")


if __name__ == "__main__":
    main()
