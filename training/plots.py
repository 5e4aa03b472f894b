"""Pictures for model cards: the detection-error trade-off over thresholds, and probability over time."""
from __future__ import annotations

import numpy as np

from .timing import step_seconds


def pyplot():
    """matplotlib's pyplot drawing to files only; where matplotlib is missing, an error that says how to get it."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise RuntimeError("drawing needs matplotlib (apt-get install python3-matplotlib)") from None
    return plt


def draw(result, pos_probs, frames_per_step, spec, path, title):
    plt = pyplot()
    from .evaluate import CONDITIONS
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(9, 8))
    fa = np.array([r["fa_per_hour"] for r in result["rows"]])
    for c in CONDITIONS:
        miss = 1 - np.array([r[f"recall_{c}"] for r in result["rows"]])
        ax1.plot(fa, miss * 100, marker=".", label=c)
    ch = result["chosen"]
    ax1.axvline(ch["fa_per_hour"], color="gray", ls="--", lw=0.8)
    ax1.set_xscale("symlog", linthresh=0.5)
    ax1.set_xlim(left=0)
    ax1.set_xlabel("false accepts per hour (held-out real negative speech)")
    ax1.set_ylabel("miss rate %")
    ax1.set_title(f"{title}: DET over thresholds 0.05-0.99 (dashed: threshold {ch['threshold']:.2f})")
    ax1.legend()
    ax1.grid(alpha=0.3)
    probs, ends = pos_probs
    step_s = step_seconds(frames_per_step, spec)
    n = min(len(probs), int(40 / step_s))
    t = (np.arange(n) + 1) * step_s
    ax2.plot(t, probs[:n], lw=0.9)
    for e in np.asarray(ends)[:, 1] / spec.sample_rate:
        if e < t[-1]:
            ax2.axvline(e, color="green", lw=0.8, alpha=0.6)
    ax2.axhline(ch["threshold"], color="red", ls="--", lw=0.8)
    ax2.set_xlabel("seconds (green: a held-out real wake word ends; red: threshold)")
    ax2.set_ylabel("trigger probability")
    ax2.set_title("probability over time, first 40 s of the 10 dB SNR positive stream")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
