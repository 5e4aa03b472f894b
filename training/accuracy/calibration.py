"""A model's recommended threshold, picked on hours of real negatives, and the position test (recall on a keyword
stream fresh and after an hour of real speech)."""
from __future__ import annotations

import os

import numpy as np
import soundfile as sf

from ..audio import SR
from .scoring import THRESHOLDS, keyword_hits, lowest_threshold_row, read_keywords, run_detector, run_detector_many

def paired_recall_change(fresh_hits, late_hits):
    """Recall after the lead minus recall on the fresh stream, for the same keywords, with its 95% interval
    (paired: only keywords found in one condition and not the other carry information)."""
    n = len(fresh_hits)
    b = int(np.sum(fresh_hits & ~late_hits))  # lost after the lead
    c = int(np.sum(~fresh_hits & late_hits))  # gained after the lead
    diff = (c - b) / n
    se = np.sqrt(max(b + c - (c - b) ** 2 / n, 0.0)) / n
    return {"recall_fresh": float(fresh_hits.mean()), "recall_after_lead": float(late_hits.mean()), "lost": b,
            "gained": c, "change": float(diff), "ci95": float(1.96 * se),
            "equal_within_sampling_error": bool(abs(diff) <= 1.96 * se)}


def position_test(cli, model, word_dir, neg_dir, thresholds, lead_s=3600.0, log=print):
    """The same keyword stream scored fresh and after `lead_s` of the real negative speech, in one stream each (the
    model's state runs on through the lead, as in a service that has been listening for an hour)."""
    keywords = read_keywords(word_dir)
    pos_wav, neg_wav = os.path.join(word_dir, "positives.wav"), os.path.join(neg_dir, "negatives.wav")
    lead_n = int(lead_s * SR)
    if sf.info(neg_wav).frames < lead_n:
        raise ValueError(f"{neg_wav} is shorter than the {lead_s:.0f} s lead")
    late_wav = os.path.join(word_dir, f"positives-after-{int(lead_s)}s.wav")
    if not os.path.exists(late_wav):
        log(f"writing {late_wav}: {lead_s / 3600:.2f} h of negatives, then the keyword stream")
        with sf.SoundFile(late_wav + ".tmp.wav", "w", SR, 1, "PCM_16") as out:
            out.write(sf.read(neg_wav, frames=lead_n, dtype="int16")[0])
            out.write(sf.read(pos_wav, dtype="int16")[0])
        os.replace(late_wav + ".tmp.wav", late_wav)
    fresh, late = run_detector_many(cli, model, [pos_wav, late_wav], thresholds)
    lead_kw = [(s + lead_s, e + lead_s) for s, e in keywords]
    out = []
    for t in thresholds:
        f_hits = keyword_hits(np.sort([x for th, x in fresh if th == t]), keywords)[0]
        l_hits = keyword_hits(np.sort([x for th, x in late if th == t]), lead_kw)[0]
        row = {"threshold": t, **paired_recall_change(f_hits, l_hits)}
        out.append(row)
        log(f"  threshold {t:.2f}: recall fresh {row['recall_fresh']:.3f}, after {lead_s / 3600:.2f} h "
            f"{row['recall_after_lead']:.3f} (change {100 * row['change']:+.1f} +- {100 * row['ci95']:.1f} points, "
            f"{row['lost']} lost, {row['gained']} gained)")
    return {"model": model, "keywords": len(keywords), "lead_s": lead_s, "rows": out}


def false_accept_rows(cli, model, negatives_wav, hours, thresholds):
    """Per threshold, the C# runtime's false accepts on a negative stream of `hours` (every event is one)."""
    events = run_detector(cli, model, negatives_wav, thresholds)
    rows = [{"threshold": t, "false_accepts": sum(1 for th, _ in events if th == t)} for t in thresholds]
    for r in rows:
        r["fa_per_hour"] = r["false_accepts"] / hours
    return rows


def calibrate_threshold(cli, model, calib_wav, target_fa=0.5, log=print):
    """The lowest threshold of the sweep whose false accepts per hour on the calibration stream (real speech and
    music no benchmark or training reads) are at most target_fa; the C# runtime scores, as in the service."""
    hours = sf.info(calib_wav).duration / 3600
    log(f"calibrating {model} on {hours:.2f} h of held-out real negatives, {len(THRESHOLDS)} thresholds in one pass")
    rows = false_accept_rows(cli, model, calib_wav, hours, THRESHOLDS)
    chosen = lowest_threshold_row(rows, target_fa)
    return {"model": model, "hours": hours, "target_fa_per_hour": target_fa, "chosen": chosen, "rows": rows}
