"""The benchmark that predicts real use (issue "Real voices"): streams in the style of Picovoice's public wake-word
benchmark, scored with the real C# runtime (`wakeword detect`, the service's code path).

- Positives: every real recording of the word (for the leave-one-word-out proxy words, the crowd recordings that
  training never hears; for `computer`, its recordings outside the train split), trimmed to the speech, each between
  1-3 s of silence or real speech, over continuous real noise at 10 dB SNR (speech level against the noise in the
  same span). Start and end of every keyword go to positives.csv.
- Negatives: real speech that training never reads (Debian packages, split by source from anything training uses),
  each clip at 20, 10 or 5 dB SNR in turn over the same held-out noise. Built once, shared by all words.
- Scoring: a hit is an event between a keyword's start and 1 s after its end, every other event is a false accept
  (on the negative stream, and on the positive stream outside the hit windows). Miss rate at 0.5 and 0.1 false
  accepts per hour is interpolated (log FA/h) from one threshold sweep; a DET plot is drawn.
"""
from __future__ import annotations

import csv
import functools
import glob
import json
import os
import re
import subprocess

import numpy as np
import soundfile as sf

from .audio import SR, read_audio, speech_bounds
from .data import RealData, load_noise, split_of, word_in_name
from .mixing import NoiseReader, file_rms

HIT_AFTER_END_S = 1.0
POSITIVE_SNR_DB = 10.0
NEGATIVE_SNRS_DB = (20.0, 10.0, 5.0)
# The top is fine-grained: models trained over speech crowd real speech against 1 too, and 0.5 or 0.1 FA/h is decided
# above 0.995 for them.
THRESHOLDS = [round(float(t), 4) for t in np.concatenate([np.arange(0.02, 0.9, 0.02), np.arange(0.9, 0.999, 0.005),
                                                          [0.996, 0.997, 0.998, 0.999, 0.9995, 0.9998]])]
# Real speech that training never reads, by source (Debian's main archive). hedgewars-data's voices are kept out of
# the benchmark so that training can mine hard negatives from them without touching what the benchmark measures.
# The asterisk folders are those of the five core-sounds packages only: the asterisk-prompt-* packages install next
# to them and belong to threshold calibration (CALIBRATION_SOURCES).
NEGATIVE_SOURCES = {
    "tuxpaint": ["/usr/share/tuxpaint/stamps/**/*_desc*.ogg"],
    "asterisk": [f"/usr/share/asterisk/sounds/{d}/**/*.wav" for d in
                 ("en_US_f_Allison", "es_MX_f_Allison", "fr_CA_f_June", "it_IT_m_Carlo", "ru_RU_f_IvrvoiceRU")],
    "klettres": ["/usr/share/klettres/**/*.ogg"],
    "fillets-ng": ["/usr/share/games/fillets-ng/**/*.ogg"],
}
DEBIAN_PACKAGES = ["tuxpaint-stamps-default", "asterisk-core-sounds-en-wav", "asterisk-core-sounds-es-wav",
                   "asterisk-core-sounds-fr-wav", "asterisk-core-sounds-it-wav", "asterisk-core-sounds-ru-wav",
                   "klettres-data", "fillets-ng-data"]
# Hours of real negatives for picking a model's recommended threshold, from packages neither the benchmark nor
# training reads: telephone prompts by three other speakers (gsm ones are read through sox) and game music.
CALIBRATION_SOURCES = {
    "asterisk-prompts": ["/usr/share/asterisk/sounds/es/**/*.gsm", "/usr/share/asterisk/sounds/fr/**/*.gsm",
                         "/usr/share/asterisk/sounds/it_IT_f_Menardi/**/*.wav"],
    "wesnoth-music": ["/usr/share/games/wesnoth/1.16/data/core/music/*.ogg"],
}
CALIBRATION_PACKAGES = ["asterisk-prompt-es-co", "asterisk-prompt-fr-armelle", "asterisk-prompt-it-menardi-wav",
                        "wesnoth-1.16-music"]
# Stamps that speak about computers could hold the word: left out for every word.
EXCLUDE_PARTS = ("electronics", "computer")
# The negative and calibration streams are shared by every word, so they leave out every word the project measures
# (the proxy words, the other crowd and community words) or ships.
STREAM_WORDS = ("computer", "activate", "alexa", "jarvis", "smart mirror", "snowboy", "view glass", "amelia", "athena",
                "hey chatterbox", "android")


def negative_paths(words, sources=None) -> list[str]:
    """The recordings of the sources that neither name nor (where a transcript is known) say any of `words` (one word
    or several: the shared streams leave out every word the project measures or ships, STREAM_WORDS)."""
    words = [words] if isinstance(words, str) else list(words)
    out = []
    for pattern in (g for globs in (sources or NEGATIVE_SOURCES).values() for g in globs):
        for p in sorted(glob.glob(pattern, recursive=True)):
            low = p.lower()
            if any(x in low for x in EXCLUDE_PARTS) or any(word_in_name(w, p) or says_word(w, p) for w in words):
                continue
            out.append(p)
    return out


_FILLETS_CLIP = re.compile(r"^(?P<root>.*/fillets-ng)/sound/(?P<level>[^/]+)/(?P<lang>[a-z]{2})/(?P<stem>[^/]+)\.ogg$")


@functools.lru_cache(maxsize=None)
def _fillets_lines(root: str, level: str, lang: str) -> dict[str, str]:
    """A fillets-ng level's spoken lines in one language: dialog id (the clip's file name) -> text, from its
    script/<level>/*dialogs_<lang>.lua (dialogId("id", font, english) followed by dialogStr("translation"))."""
    lines = {}
    for lua in glob.glob(os.path.join(root, "script", level, f"*dialogs_{lang}.lua")):
        with open(lua, encoding="utf-8", errors="replace") as f:
            text = f.read()
        for m in re.finditer(r'dialogId\("([^"]+)"[^\n]*\n\s*dialogStr\("((?:[^"\\]|\\.)*)"\)', text):
            lines[m.group(1)] = m.group(2)
    return lines


def says_word(word: str, path: str) -> bool:
    """Whether a clip's transcript, where one is known, holds the word (fillets-ng-data-nl says "computer" in six
    clips whose file names do not show it)."""
    m = _FILLETS_CLIP.match(path)
    if not m:
        return False
    text = _fillets_lines(m["root"], m["level"], m["lang"]).get(m["stem"], "")
    return word.replace(" ", "") in text.lower().replace(" ", "")


def positive_paths(root: str, word: str) -> list[str]:
    if word in RealData.POSITIVE_DIRS:  # recordings training uses in part: only those outside its train split
        dirs = RealData.POSITIVE_DIRS[word]
        keep = lambda f: split_of(f) != "train"
    else:
        dirs = RealData.WORD_DIRS.get(word, [])
        keep = lambda f: True
    files = [f for d in dirs for f in sorted(glob.glob(os.path.join(root, d, "**", "*.flac"), recursive=True))]
    return [f for f in files if keep(f)]


def noise_reader(root, rng) -> NoiseReader:
    """Continuous real noise: the held-out 25% of each real noise recording, each at the same level."""
    noise = load_noise(RealData(root, "").noise, "heldout")
    if not noise:
        raise FileNotFoundError(f"no real noise recordings under {root}")
    return NoiseReader(np.concatenate([n / file_rms(n) for n in noise]).astype(np.float32), rng)


def _write(path, audio):
    sf.write(path, np.clip(audio, -1, 1), SR, subtype="PCM_16")


def build_positives(root, word, out_dir, seed=1, log=print):
    rng = np.random.default_rng(seed)
    paths = positive_paths(root, word)
    if not paths:
        raise FileNotFoundError(f"no real recordings of {word!r} under {root}")
    fillers = negative_paths(word)
    rng.shuffle(fillers)
    bed = noise_reader(root, rng)
    parts, rows, pos = [], [], 0
    for i, p in enumerate(paths):
        a = read_audio(p)
        b = speech_bounds(a)
        if b is None:
            continue
        speech = a[b[0]:b[1]]
        level = 10 ** (rng.uniform(-30, -18) / 20)
        speech = speech / file_rms(speech) * level
        gap = np.zeros(int(rng.uniform(1.0, 3.0) * SR), np.float32)
        if fillers and rng.random() < 0.5:  # real speech before the keyword, as in a conversation
            f = read_audio(fillers[i % len(fillers)])[: len(gap)]
            gap[: len(f)] = f / file_rms(f) * level * 10 ** (rng.uniform(-6, 0) / 20)
        seg = np.concatenate([gap, speech]).astype(np.float32)
        seg += bed.take(len(seg)) * level * 10 ** (-POSITIVE_SNR_DB / 20)
        parts.append(seg)
        rows.append((p, (pos + len(gap)) / SR, (pos + len(seg)) / SR))
        pos += len(seg)
        if (i + 1) % 100 == 0:
            log(f"  positives {i + 1}/{len(paths)}")
    tail = bed.take(2 * SR) * 10 ** ((-24 - POSITIVE_SNR_DB) / 20)
    audio = np.concatenate(parts + [tail])
    os.makedirs(out_dir, exist_ok=True)
    _write(os.path.join(out_dir, "positives.wav"), audio)
    with open(os.path.join(out_dir, "positives.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "start_s", "end_s"])
        w.writerows(rows)
    log(f"positives: {len(rows)} keywords of {word!r} in {len(audio) / SR / 60:.1f} min at {POSITIVE_SNR_DB:.0f} dB SNR")
    return len(rows)


def _read_any(path):
    """read_audio, and 8 kHz GSM telephone prompts through sox."""
    if not path.endswith(".gsm"):
        return read_audio(path)
    r = subprocess.run(["sox", "-t", "gsm", "-r", "8000", "-c", "1", path, "-t", "raw", "-e", "signed", "-b", "16", "-r",
                        str(SR), "-"], capture_output=True)
    if r.returncode != 0:
        raise RuntimeError(f"sox cannot read {path}: {r.stderr.decode(errors='replace').strip()[-200:]}")
    return np.frombuffer(r.stdout, np.int16).astype(np.float32) / 32768.0


def build_negatives(root, words, out_dir, seed=2, log=print, sources=None, name="negatives", packages=None):
    """Real speech clips (one source dict: NEGATIVE_SOURCES for the benchmark, CALIBRATION_SOURCES for thresholds)
    at 20, 10 and 5 dB SNR in turn over held-out real noise, into <out_dir>/<name>.wav and <name>.json."""
    sources = sources or NEGATIVE_SOURCES
    rng = np.random.default_rng(seed)
    paths = negative_paths(words, sources)
    if not paths:
        raise FileNotFoundError(f"no {name} sources installed: apt-get install " + " ".join(packages or DEBIAN_PACKAGES))
    rng.shuffle(paths)
    bed = noise_reader(root, rng)
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f"{name}.wav")
    total = 0
    per_source = {}
    rows = []
    with sf.SoundFile(path + ".tmp.wav", "w", SR, 1, "PCM_16") as out:
        for i, p in enumerate(paths):
            try:
                a = _read_any(p)
            except RuntimeError as e:
                log(f"  skipped {p}: {e}")
                continue
            if len(a) < SR // 10 or file_rms(a) < 1e-5:
                continue
            snr = NEGATIVE_SNRS_DB[i % len(NEGATIVE_SNRS_DB)]
            level = 10 ** (rng.uniform(-30, -14) / 20)
            a = np.concatenate([a / file_rms(a) * level, np.zeros(int(rng.uniform(0.2, 1.5) * SR), np.float32)])
            a = a + bed.take(len(a)) * level * 10 ** (-snr / 20)
            out.write(np.clip(a, -1, 1))
            rows.append((p, total / SR, (total + len(a)) / SR))
            total += len(a)
            src = next(k for k, globs in sources.items() if any(p.startswith(g.split("*")[0]) for g in globs))
            per_source[src] = per_source.get(src, 0) + len(a) / SR / 3600
            if (i + 1) % 500 == 0:
                log(f"  {name} {i + 1}/{len(paths)}: {total / SR / 3600:.2f} h")
    os.replace(path + ".tmp.wav", path)
    # Where each clip lies in the stream, so a false accept can be traced to its recording.
    with open(os.path.join(out_dir, f"{name}.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "start_s", "end_s"])
        w.writerows(rows)
    info = {"hours": total / SR / 3600, "clips": len(paths), "hours_by_source": per_source,
            "snrs_db": list(NEGATIVE_SNRS_DB)}
    with open(os.path.join(out_dir, f"{name}.json"), "w") as f:
        json.dump(info, f, indent=1)
    log(f"{name}: {info['hours']:.2f} h of real speech at {', '.join(f'{s:.0f}' for s in NEGATIVE_SNRS_DB)} dB SNR")
    return info


# ---- scoring ----

def run_detector(cli, model, wav, thresholds, refractory_s=None):
    """Events of the real C# runtime: [(threshold, time_s)]."""
    cmd = [cli, "detect", wav, "--model", model, "--json", "--thresholds", ",".join(str(t) for t in thresholds)]
    if refractory_s is not None:
        cmd += ["--refractory", str(refractory_s)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"wakeword detect failed ({r.returncode}): {r.stderr.strip()[-500:]}")
    events = []
    for line in r.stdout.splitlines():
        if line.startswith("{"):
            e = json.loads(line)
            if e.get("type") == "event":
                events.append((round(float(e["threshold"]), 4), float(e["time_s"])))
    return events


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
    fresh = run_detector(cli, model, pos_wav, thresholds)
    late = run_detector(cli, model, late_wav, thresholds)
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


def calibrate_threshold(cli, model, calib_wav, target_fa=0.5, log=print):
    """The lowest threshold of the sweep whose false accepts per hour on the calibration stream (real speech and
    music no benchmark or training reads) are at most target_fa; the C# runtime scores, as in the service."""
    hours = sf.info(calib_wav).duration / 3600
    log(f"calibrating {model} on {hours:.2f} h of held-out real negatives, {len(THRESHOLDS)} thresholds in one pass")
    events = run_detector(cli, model, calib_wav, THRESHOLDS)
    rows = [{"threshold": t, "false_accepts": sum(1 for th, _ in events if th == t)} for t in THRESHOLDS]
    for r in rows:
        r["fa_per_hour"] = r["false_accepts"] / hours
    ok = [r for r in rows if r["fa_per_hour"] <= target_fa]
    chosen = min(ok, key=lambda r: r["threshold"]) if ok else None
    return {"model": model, "hours": hours, "target_fa_per_hour": target_fa, "chosen": chosen, "rows": rows}


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
    never gets that low (the figure is then 'at most the miss rate at the lowest FA/h reached' and is reported so)."""
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


def draw_det(curves, path, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
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
    pos_events = run_detector(cli, model, pos_wav, THRESHOLDS)
    log(f"  positives done: {len(pos_events)} events")
    neg_events = run_detector(cli, model, neg_wav, THRESHOLDS)
    log(f"  negatives done: {len(neg_events)} events")
    rows = score_events(pos_events, neg_events, keywords, THRESHOLDS, neg_hours, pos_hours)
    return {"model": model, "keywords": len(keywords), "negative_hours": neg_hours, "positive_hours": pos_hours,
            "miss_at_0.5": miss_at(rows, 0.5), "miss_at_0.1": miss_at(rows, 0.1), "rows": rows}


def format_result(name, res):
    def pct(v):
        if v is not None:
            return f"{100 * v:.1f}%"
        low = min(res["rows"], key=lambda r: r["fa_per_hour"])
        return f"<= {100 * low['miss_rate']:.1f}% (lowest FA/h reached {low['fa_per_hour']:.2f})"
    return f"| {name} | {pct(res['miss_at_0.5'])} | {pct(res['miss_at_0.1'])} |"


# ---- the peer: PocketSphinx keyword spotting (Debian pocketsphinx, pocketsphinx-en-us) ----

def pocketsphinx_events(wav, phrase, kws_threshold, seconds=None):
    """Detections [(time_s)] of pocketsphinx_continuous in keyword-spotting mode; `seconds` cuts the input to its
    first part (with sox) for a quicker, noisier false-accept estimate."""
    import re
    import tempfile
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
