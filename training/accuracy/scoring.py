"""Scoring a model on the benchmark's streams with the real C# runtime: hits, false accepts, miss rate at a false-accept
rate, and the DET plot."""
from __future__ import annotations

import csv
import json
import os
import subprocess

import numpy as np
import soundfile as sf

HIT_AFTER_END_S = 1.0
# The top is fine-grained: models trained over speech crowd real speech against 1 too, and 0.5 or 0.1 FA/h is decided
# above 0.995 for them.
THRESHOLDS = [round(float(t), 4) for t in np.concatenate([np.arange(0.02, 0.9, 0.02), np.arange(0.9, 0.999, 0.005),
                                                          [0.996, 0.997, 0.998, 0.999, 0.9995, 0.9998]])]


def run_detector(cli, model, wav, thresholds, refractory_s=None):
    """Events of the real C# runtime on one WAV: [(threshold, time_s)]."""
    return run_detector_many(cli, model, [wav], thresholds, refractory_s)[0]


def run_detector_many(cli, model, wavs, thresholds, refractory_s=None):
    """Events of the real C# runtime on several WAVs, scored at once in one process on one loaded model (one per
    core): a list with each WAV's [(threshold, time_s)], in the order given."""
    cmd = [cli, "detect", *wavs, "--model", model, "--json", "--thresholds", ",".join(str(t) for t in thresholds)]
    if refractory_s is not None:
        cmd += ["--refractory", str(refractory_s)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"wakeword detect failed ({r.returncode}): {r.stderr.strip()[-500:]}")
    events = {w: [] for w in wavs}
    for line in r.stdout.splitlines():
        if line.startswith("{"):
            e = json.loads(line)
            if e.get("type") == "event":
                # With one input the lines do not name it.
                events[e.get("input", wavs[0])].append((round(float(e["threshold"]), 4), float(e["time_s"])))
    return [events[w] for w in wavs]


def keyword_hits(times, keywords):
    """Which keywords have an event in their hit window (start to HIT_AFTER_END_S after the end), which events fall
    in some window, and each hit's delay from the keyword's end. times: sorted event times."""
    hit = np.zeros(len(keywords), bool)
    in_window = np.zeros(len(times), bool)
    delays = []
    for j, (s, e) in enumerate(keywords):
        lo, hi = np.searchsorted(times, s), np.searchsorted(times, e + HIT_AFTER_END_S, side="right")
        if hi > lo:
            hit[j] = True
            in_window[lo:hi] = True
            delays.append(times[lo] - e)
    return hit, in_window, delays


def score_events(pos_events, neg_events, keywords, thresholds, neg_hours, pos_hours):
    """Per threshold: misses and false accepts. keywords: [(start_s, end_s)]."""
    rows = []
    for t in thresholds:
        times = np.sort(np.array([s for th, s in pos_events if th == t]))
        hit, in_window, delays = keyword_hits(times, keywords)
        fa_neg = sum(1 for th, _ in neg_events if th == t)
        fa_pos = int((~in_window).sum())
        hours = neg_hours + pos_hours
        rows.append({"threshold": t, "miss_rate": 1 - hit.mean(), "false_accepts": fa_neg + fa_pos,
                     "fa_per_hour": (fa_neg + fa_pos) / hours, "fa_negatives": fa_neg, "fa_positive_stream": fa_pos,
                     "delay_median_s": float(np.median(delays)) if delays else float("nan")})
    return rows


def miss_at(rows, fa_target):
    """Miss rate at a false-accept rate, interpolated in log FA/h between the sweep's points; None when the sweep
    never gets that low (the figure is then at least the miss rate at the lowest FA/h reached: a stricter threshold
    only loses words, and is reported so)."""
    pts = sorted((max(r["fa_per_hour"], 1e-3), r["miss_rate"]) for r in rows)
    fa = np.array([p[0] for p in pts])
    miss = np.array([p[1] for p in pts])
    if fa_target < fa[0]:
        return None
    if fa_target >= fa[-1]:
        return float(miss[-1])
    # A threshold whose FA/h is already under the target and misses less than the interpolation (a non-monotone
    # sweep) is itself an operating point at the target: take the lower of the two.
    i = np.searchsorted(fa, fa_target)
    x0, x1 = np.log(fa[i - 1]), np.log(fa[i])
    w = 0 if x1 == x0 else (np.log(fa_target) - x0) / (x1 - x0)
    interp = miss[i - 1] + w * (miss[i] - miss[i - 1])
    return float(min(interp, miss[: i].min()))


def lowest_threshold_row(rows, fa_target):
    """The sweep's row with the lowest threshold whose false accepts per hour are at most fa_target (None if none
    is): the operating point a threshold is picked at, for calibration and for reading a judge's sweep alike."""
    ok = [r for r in rows if r["fa_per_hour"] <= fa_target]
    return min(ok, key=lambda r: r["threshold"]) if ok else None


def draw_det(curves, path, title):
    from ..plots import pyplot
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    for name, rows in curves.items():
        pts = sorted((max(r["fa_per_hour"], 0.01), r["miss_rate"]) for r in rows)
        ax.plot([p[0] for p in pts], [100 * p[1] for p in pts], marker=".", label=name)
    ax.set_xscale("log")
    ax.set_xlim(0.05, 100)
    ax.set_ylim(0, 100)
    ax.axvline(0.5, color="grey", ls="--", lw=0.8)
    ax.axvline(0.1, color="grey", ls=":", lw=0.8)
    ax.set_xlabel("false accepts per hour")
    ax.set_ylabel("miss rate (%)")
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def read_keywords(bench_dir):
    with open(os.path.join(bench_dir, "positives.csv")) as f:
        return [(float(r["start_s"]), float(r["end_s"])) for r in csv.DictReader(f)]


def score_model(cli, model, word_dir, neg_dir, log=print):
    keywords = read_keywords(word_dir)
    pos_wav, neg_wav = os.path.join(word_dir, "positives.wav"), os.path.join(neg_dir, "negatives.wav")
    pos_hours = sf.info(pos_wav).duration / 3600
    neg_hours = sf.info(neg_wav).duration / 3600
    log(f"scoring {model}: {len(keywords)} keywords ({pos_hours * 60:.1f} min), {neg_hours:.2f} h of negatives, "
        f"{len(THRESHOLDS)} thresholds in one pass")
    pos_events, neg_events = run_detector_many(cli, model, [pos_wav, neg_wav], THRESHOLDS)
    log(f"  done: {len(pos_events)} events on the positives, {len(neg_events)} on the negatives")
    rows = score_events(pos_events, neg_events, keywords, THRESHOLDS, neg_hours, pos_hours)
    return {"model": model, "keywords": len(keywords), "negative_hours": neg_hours, "positive_hours": pos_hours,
            "miss_at_0.5": miss_at(rows, 0.5), "miss_at_0.1": miss_at(rows, 0.1), "rows": rows}


def format_result(name, res):
    def pct(v):
        if v is not None:
            return f"{100 * v:.1f}%"
        low = min(res["rows"], key=lambda r: r["fa_per_hour"])
        # A bound from below: reaching a lower FA/h takes a stricter threshold, which can only miss more.
        return f">= {100 * low['miss_rate']:.1f}% (lowest FA/h reached {low['fa_per_hour']:.2f})"
    return f"| {name} | {pct(res['miss_at_0.5'])} | {pct(res['miss_at_0.1'])} |"
