#!/usr/bin/env python3
"""Which recordings of the benchmark's negatives a model fires on: the highest-scoring false accepts of a run, or of
the mean of several runs' heads (the judge's ensemble), at a threshold, each with its recording, counted by the
benchmark's source, by Debian package and by language. For choosing negatives that training lacks (docs/accuracy.md,
"foreign speech", "Where the false accepts come from").

Usage: training/scripts/fa-sources.py RUN_OR_MODEL... [--threshold 0.5 | --word WORD --fa-per-hour RATE] [--top 40]
  --threshold: the detector's threshold as given.
  --word and --fa-per-hour: the threshold `benchmark judge` reads that rate at on WORD's streams (the lowest of its
  sweep whose false accepts per hour, both streams counted, are at most RATE: scoring.lowest_threshold_row), e.g.
  `training/scripts/fa-sources.py training/runs/jarvis-s8-s{1,2,3} --word jarvis --fa-per-hour 0.5`.
  (from the repository root, after `benchmark build --negatives` and, with --word, `benchmark build --word WORD`;
  heads as `benchmark judge --run` takes them; the streams' embeddings are the judge's, cached)
"""
import argparse
import bisect
import collections
import csv
import os
import re
import sys

import numpy as np
import soundfile as sf

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
from training import head_judge as hj  # noqa: E402
from training.accuracy import scoring  # noqa: E402
from training.accuracy.streams import source_of  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def false_accept_sources(probs, starts, files, threshold, top):
    """[(peak probability, time s, source file)] of the detector's events on a negative stream, highest first (the
    `top` highest; None: all): the
    event's peak is the highest probability from 5 steps before it to 20 after (inclusive) (the detector fires on the rise)."""
    out = []
    for _, t in hj.events(probs, [threshold]):
        k = int(round(t / hj.STEP_S)) - 1  # the event's step: t is when its audio is complete, one step on
        peak = float(np.max(probs[max(0, k - 5):k + 21]))
        out.append((peak, t, files[max(0, bisect.bisect_right(starts, t) - 1)]))
    return sorted(out, reverse=True)[:top]


def package(path):
    """The Debian package folder a recording lies in (games/<name> for games), e.g. tuxpaint, games/fillets-ng."""
    parts = path.split("/")
    if len(parts) < 5 or parts[1:3] != ["usr", "share"]:
        return "?"
    return "/".join(parts[3:5] if parts[3] == "games" else parts[3:4])


def language(path):
    """The language a Debian speech file names as a path part or a file name suffix: fillets-ng/.../nl/x.ogg,
    tuxpaint's x_desc_bg.ogg, asterisk's es_MX_f_Allison/; "?" where it names none."""
    i = path.find("/share/")
    m = re.search(r"(?:/|_)([a-z]{2})(?:_[A-Z]{2})?(?:/|_f_|_m_|\.)", path[i + 7:] if i >= 0 else path)
    return m.group(1) if m else "?"


def threshold_for_rate(judge, pos_probs, neg_probs, fa_per_hour):
    """The judge's threshold for a false-accept rate (None when its sweep never gets that low)."""
    row = scoring.lowest_threshold_row(judge.score_probs(pos_probs, neg_probs)["rows"], fa_per_hour)
    return None if row is None else row["threshold"]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("runs", nargs="+", metavar="RUN_OR_MODEL")
    p.add_argument("--threshold", type=float)
    p.add_argument("--word", help="with --fa-per-hour: the proxy word whose streams set the threshold")
    p.add_argument("--fa-per-hour", type=float)
    p.add_argument("--top", type=int, default=40)
    p.add_argument("--bench", default=os.path.join(ROOT, "training", "runs", "benchmark"))
    a = p.parse_args()
    if a.fa_per_hour is not None:
        if a.threshold is not None:
            sys.exit("give --threshold or --fa-per-hour, not both")
        if not a.word:
            sys.exit("--fa-per-hour needs --word: the threshold is read from that word's judge sweep")
        if not 0 < a.fa_per_hour <= 1000:
            sys.exit(f"fa-per-hour {a.fa_per_hour} must be above 0 and at most 1000")
    elif a.word:
        sys.exit("--word goes with --fa-per-hour")
    threshold = 0.5 if a.threshold is None else a.threshold
    if not 0 < threshold < 1 or a.top < 1:
        sys.exit(f"threshold {threshold} must be between 0 and 1 and top {a.top} at least 1")
    csv_path = os.path.join(a.bench, "negatives", "negatives.csv")
    wav = os.path.join(a.bench, "negatives", "negatives.wav")
    if not os.path.exists(csv_path) or not os.path.exists(wav):
        sys.exit(f"no negative stream at {wav}: build it with `python3 -m training benchmark build --word alexa "
                 f"--negatives`")
    missing = [r for r in a.runs if not os.path.exists(r)]
    if missing:
        sys.exit(f"no run folder or model file at {', '.join(missing)}")
    heads = hj.load_heads(a.runs)
    if a.fa_per_hour is not None:
        word_dir = os.path.join(a.bench, a.word.replace(" ", "-"))
        if not os.path.exists(os.path.join(word_dir, "positives.wav")):
            sys.exit(f"no benchmark streams for {a.word!r} at {word_dir}: build them with `python3 -m training "
                     f"benchmark build --word {a.word}`")
        judge = hj.Judge(a.bench, a.word)
        probs = [judge.source_probs(r) for r in a.runs]  # each run or model file's mean, as the judge scores them
        pos, neg = np.mean([x for x, _ in probs], axis=0), np.mean([y for _, y in probs], axis=0)
        threshold = threshold_for_rate(judge, pos, neg, a.fa_per_hour)
        if threshold is None:
            sys.exit(f"the judge's sweep never gets down to {a.fa_per_hour} FA/h on {a.word}")
        hours = judge.neg_hours
        print(f"{a.word}: threshold {threshold} is the judge's for {a.fa_per_hour} FA/h")
    else:
        emb = hj.embed_wav(wav)
        neg = np.mean([h.score(emb) for h in heads], axis=0)
        hours = sf.info(wav).duration / 3600
    with open(csv_path) as f:
        rows = list(csv.DictReader(f))
    every = false_accept_sources(neg, [float(r["start_s"]) for r in rows], [r["file"] for r in rows], threshold,
                                 top=None)
    found = every[:a.top]
    print(f"{len(heads)} head(s): {len(every)} false accepts on the {hours:.2f} h of negatives at {threshold} "
          f"({len(every) / hours:.2f}/h); the {len(found)} highest:")
    for peak, t, path in found:
        print(f"  {peak:.3f}  {t:9.1f} s  {path}")
    for name, key in (("source", source_of), ("package", package), ("language", language)):
        print(f"by {name}: " + ", ".join(f"{k} {n}" for k, n in collections.Counter(key(x) for *_, x in found)
                                         .most_common()))


if __name__ == "__main__":
    main()
