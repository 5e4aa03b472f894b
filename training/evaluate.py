"""Held-out evaluation: recall at fixed false accepts per hour, on streams built only from data training never saw."""
from __future__ import annotations

import os

import numpy as np

from . import detector, timing
from .audio import SR, read_audio
from .data import RealData, default_data_dir, load_noise, load_trimmed
from .features import FeatureSpec, log_mel_reference
from .mixing import at_level, held_out_bed, rms

CONDITIONS = {"quiet": None, "snr20": 20.0, "snr10": 10.0}
THRESHOLDS = np.round(np.arange(0.05, 1.0, 0.01), 2)
# A hit is an event from the start of the spoken wake word to 1.2 s after its end. The end is found from energy,
# which room noise can push late, so an event while the word is still being said counts too.
HIT_AFTER_END_S = 1.2


def positive_stream(utterances, noise, snr_db, seed):
    """Each wake word in 4 s of held-out noise. Returns audio and the (start, end) sample of each word."""
    rng = np.random.default_rng(seed)
    parts, ends, pos = [], [], 0
    for u in utterances:
        u = at_level(u, 0.1)
        lead = int(1.2 * SR)
        seg = np.zeros(lead + len(u) + int(2.5 * SR), np.float32)
        seg[lead:lead + len(u)] = u
        bed = held_out_bed(noise, len(seg), rng) * (0.1 * 10 ** (-(snr_db if snr_db is not None else 60) / 20))
        parts.append(seg + bed)
        ends.append((pos + lead, pos + lead + len(u)))
        pos += len(seg)
    return np.concatenate(parts).astype(np.float32), np.array(ends)


def negative_stream(paths, noise, seed):
    """Real held-out speech (other wake words, phrases), each clip over held-out noise at 5-30 dB SNR."""
    rng = np.random.default_rng(seed)
    parts = []
    for p in paths:
        a = read_audio(p)
        a = at_level(a, 10 ** (rng.uniform(-30, -14) / 20))
        bed = held_out_bed(noise, len(a), rng) * rms(a) * 10 ** (-rng.uniform(5, 30) / 20)
        parts.append((a + bed).astype(np.float32))
    return np.concatenate(parts) if parts else np.zeros(0, np.float32)


def features_in_chunks(audio, spec: FeatureSpec, chunk_frames=6000):
    """Log-mel of a long stream, chunked to bound memory; identical to one call because framing has no padding."""
    total = spec.frame_count(len(audio))
    out = []
    for f0 in range(0, total, chunk_frames):
        f1 = min(total, f0 + chunk_frames)
        seg = audio[f0 * spec.hop_samples:(f1 - 1) * spec.hop_samples + spec.window_samples]
        out.append(log_mel_reference(seg, spec).astype(np.float32))
    return np.concatenate(out) if out else np.zeros((0, spec.mel_bins), np.float32)


def refractory_steps(refractory_s, frames_per_step, spec: FeatureSpec):
    return detector.refractory_steps(refractory_s, timing.step_seconds(frames_per_step, spec))


def first_hit(event_times_s, start, end):
    """The first event in a word's hit window (its start sample to HIT_AFTER_END_S after its end sample), or None."""
    inside = event_times_s[(event_times_s >= start / SR) & (event_times_s <= end / SR + HIT_AFTER_END_S)]
    return float(inside[0]) if len(inside) else None


def hit_delays(event_times_s, ends):
    """For each word with an event in its hit window, seconds from the word's end to the first such event."""
    hits = ((first_hit(event_times_s, s, e), e) for s, e in ends)
    return [t - e / SR for t, e in hits if t is not None]


class EvalSets:
    def __init__(self, real: RealData, split: str, spec: FeatureSpec, synth_positives=None, seed=1234):
        self.spec = spec
        noise = load_noise(real.noise, "heldout")
        pos = load_trimmed(real.positives[split]) or list(synth_positives or [])
        self.n_pos = len(pos)
        self.pos_source = "real" if real.positives[split] else "synthesized (held-out seed)"
        self.positive = {c: positive_stream(pos, noise, snr, seed + i) for i, (c, snr) in enumerate(CONDITIONS.items())}
        self.negative = negative_stream(real.negatives[split], noise, seed + 99)
        self.negative_hours = len(self.negative) / SR / 3600
        self.n_neg_clips = len(real.negatives[split])

    def evaluate(self, score_fn, frames_per_step, refractory_s=detector.DEFAULT_REFRACTORY_S, target_fa_per_hour=0.5):
        """score_fn(features [T, F]) -> probs [T / frames_per_step]. Returns the sweep and the chosen threshold."""
        spec = self.spec
        refr = refractory_steps(refractory_s, frames_per_step, spec)
        neg_probs = score_fn(features_in_chunks(self.negative, spec)) if len(self.negative) else np.zeros(0)
        pos_probs = {c: (score_fn(features_in_chunks(a, spec)), ends) for c, (a, ends) in self.positive.items()}
        rows = []
        for t in THRESHOLDS:
            fa = len(detector.detect(neg_probs, t, refr))
            row = {"threshold": float(t), "false_accepts": fa,
                   "fa_per_hour": fa / self.negative_hours if self.negative_hours else float("nan")}
            for c, (probs, ends) in pos_probs.items():
                ev_t = timing.seconds_available(detector.detect(probs, t, refr), frames_per_step, spec)
                delays = hit_delays(ev_t, ends)
                row[f"recall_{c}"] = len(delays) / max(1, len(ends))
                # How long after the word's end the event fires (negative: while it is still being said).
                row[f"delay_median_s_{c}"] = float(np.median(delays)) if delays else float("nan")
                row[f"delay_p90_s_{c}"] = float(np.percentile(delays, 90)) if delays else float("nan")
            row["recall_mean"] = float(np.mean([row[f"recall_{c}"] for c in CONDITIONS]))
            rows.append(row)
        ok = [r for r in rows if r["fa_per_hour"] <= target_fa_per_hour]
        best = max(ok, key=lambda r: (round(r["recall_mean"], 6), -abs(r["threshold"] - 0.6))) if ok else rows[-1]
        self.last_pos_probs = pos_probs
        return {"rows": rows, "chosen": best, "negative_hours": self.negative_hours, "positives": self.n_pos,
                "positive_source": self.pos_source, "negative_clips": self.n_neg_clips,
                "mean_neg_prob": float(np.mean(neg_probs)) if len(neg_probs) else 0.0}


def evaluate_model(model: str, split: str, data_dir: str | None, target_fa: float, log=print):
    """An exported log-mel model (run by the ONNX reference) on a split's held-out streams. Returns (the sweep with
    the threshold chosen for target_fa, the reference, the streams)."""
    from .bank import build_bank
    from .export import CONTRACT
    from .onnx_ref import OnnxReference
    if not os.path.isfile(model):
        raise FileNotFoundError(f"model {model} does not exist")
    ref = OnnxReference(model)
    meta = ref.meta
    if meta.get("wakeword.contract") != CONTRACT:
        raise ValueError(f"{model} is not a wake-word model (metadata wakeword.contract is {meta.get('wakeword.contract')!r})")
    word = meta["wakeword.word"]
    if ref.features.sample_rate != SR:
        raise ValueError(f"{model} wants {ref.features.sample_rate} Hz audio; training's evaluation reads recordings at {SR} Hz")
    real = RealData(data_dir or default_data_dir(), word)
    synth = None
    if not real.positives[split]:
        # No real recordings of this word: positives synthesized with a seed neither training nor its validation used.
        synth = build_bank(word, RealData(None, word), 8888 if split == "test" else 7777, 0.12, None, log).pos
    sets = EvalSets(real, split, ref.features, synth_positives=synth, seed=99)
    return sets.evaluate(ref.score, ref.frames_per_step, target_fa_per_hour=target_fa), ref, sets


def format_table(result, every=0.05):
    lines = ["| threshold | false accepts | FA/hour | recall quiet | recall 20 dB | recall 10 dB |", "|---|---|---|---|---|---|"]
    for r in result["rows"]:
        if abs((r["threshold"] / every) - round(r["threshold"] / every)) < 1e-6 or r is result["chosen"]:
            lines.append(f"| {r['threshold']:.2f}{' (chosen)' if r is result['chosen'] else ''} | {r['false_accepts']} | "
                         f"{r['fa_per_hour']:.2f} | {r['recall_quiet']:.3f} | {r['recall_snr20']:.3f} | {r['recall_snr10']:.3f} |")
    return "\n".join(lines)


def clip_recall(score_fn, paths, threshold, frames_per_step, spec: FeatureSpec,
                refractory_s=detector.DEFAULT_REFRACTORY_S):
    """Whole recordings as they are (not trimmed, no added noise): each with 1.2 s of silence before and 2.5 s after.
    A hit is an event from the clip's start to 1.2 s after its end. For recordings whose word end cannot be placed
    (noisy, or the word cut at the clip's edge), so delays are not reported. Returns (hits, clips, missed paths)."""
    clips = [read_audio(p) for p in paths]
    audio, bounds = positive_stream(clips, [], None, seed=0)
    probs = score_fn(features_in_chunks(audio, spec))
    events = detector.detect(probs, threshold, refractory_steps(refractory_s, frames_per_step, spec))
    ev_t = timing.seconds_available(events, frames_per_step, spec)
    missed = [p for p, (s, e) in zip(paths, bounds) if first_hit(ev_t, s, e) is None]
    return len(paths) - len(missed), len(paths), missed
