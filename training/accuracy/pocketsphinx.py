"""The peer: PocketSphinx keyword spotting (Debian pocketsphinx, pocketsphinx-en-us), scored on the same streams."""
from __future__ import annotations

import os
import re
import subprocess
import tempfile

import soundfile as sf

from .scoring import miss_at, read_keywords, score_events

def pocketsphinx_events(wav, phrase, kws_threshold, seconds=None):
    """Detections [(time_s)] of pocketsphinx_continuous in keyword-spotting mode; `seconds` cuts the input to its
    first part (with sox) for a quicker, noisier false-accept estimate."""
    with tempfile.TemporaryDirectory() as tmp:
        src = wav
        if seconds is not None:
            src = os.path.join(tmp, "part.wav")
            subprocess.run(["sox", wav, src, "trim", "0", str(seconds)], check=True, capture_output=True)
        r = subprocess.run(["pocketsphinx_continuous", "-infile", src, "-keyphrase", phrase,
                            "-kws_threshold", f"{kws_threshold:g}", "-time", "yes"], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"pocketsphinx_continuous failed ({r.returncode}): {r.stderr.strip()[-500:]}")
    timed = re.compile(rf"^{re.escape(phrase)} ([0-9.]+) ([0-9.]+) ([0-9.]+)$")
    return [float(m.group(2)) for m in map(timed.match, r.stdout.splitlines()) if m]


def score_pocketsphinx(word, word_dir, neg_dir, thresholds, neg_seconds=None, log=print):
    keywords = read_keywords(word_dir)
    pos_wav, neg_wav = os.path.join(word_dir, "positives.wav"), os.path.join(neg_dir, "negatives.wav")
    pos_hours = sf.info(pos_wav).duration / 3600
    neg_hours = (neg_seconds or sf.info(neg_wav).duration) / 3600
    pos_events, neg_events = [], []
    for i, t in enumerate(thresholds):
        pos_events += [(t, s) for s in pocketsphinx_events(pos_wav, word, t)]
        neg_events += [(t, s) for s in pocketsphinx_events(neg_wav, word, t, neg_seconds)]
        log(f"  pocketsphinx kws_threshold {t:g} ({i + 1}/{len(thresholds)})")
    rows = score_events(pos_events, neg_events, keywords, thresholds, neg_hours, pos_hours)
    return {"model": "pocketsphinx", "keywords": len(keywords), "negative_hours": neg_hours, "positive_hours": pos_hours,
            "miss_at_0.5": miss_at(rows, 0.5), "miss_at_0.1": miss_at(rows, 0.1), "rows": rows}
