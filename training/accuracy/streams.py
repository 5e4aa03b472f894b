"""The benchmark's streams: the positive stream of one word and the shared negative (or calibration) stream, written
as 16-bit WAVs with where each clip lies (CSV)."""
from __future__ import annotations

import csv
import functools
import glob
import json
import os
import re
import shutil
import subprocess

import numpy as np
import soundfile as sf

from ..audio import SR, read_audio, speech_bounds
from ..data import RealData, load_noise, split_of, word_in_name
from ..mixing import NoiseReader, file_rms

POSITIVE_SNR_DB = 10.0
NEGATIVE_SNRS_DB = (20.0, 10.0, 5.0)

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
                   "klettres-data", "fillets-ng-data", "fillets-ng-data-cs", "fillets-ng-data-nl"]
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


def missing_packages(packages) -> list[str]:
    """Those of the Debian packages that are not installed; none where dpkg is not there to ask (another system)."""
    if shutil.which("dpkg-query") is None:
        return []
    r = subprocess.run(["dpkg-query", "-W", "-f=${Package} ${db:Status-Abbrev}\n", *packages], capture_output=True, text=True)
    installed = {line.split()[0] for line in r.stdout.splitlines() if line.split()[1:2] == ["ii"]}
    return [p for p in packages if p not in installed]


def source_of(path: str, sources=None) -> str | None:
    """The source (a key of NEGATIVE_SOURCES, or of `sources`) whose folders hold a recording; None for none."""
    return next((k for k, globs in (sources or NEGATIVE_SOURCES).items()
                 if any(path.startswith(g.split("*")[0]) for g in globs)), None)


def build_negatives(root, words, out_dir, seed=2, log=print, sources=None, name="negatives", packages=None):
    """Real speech clips (one source dict: NEGATIVE_SOURCES for the benchmark, CALIBRATION_SOURCES for thresholds)
    at 20, 10 and 5 dB SNR in turn over held-out real noise, into <out_dir>/<name>.wav and <name>.json."""
    sources = sources or NEGATIVE_SOURCES
    packages = packages or DEBIAN_PACKAGES
    rng = np.random.default_rng(seed)
    paths = negative_paths(words, sources)
    missing = missing_packages(packages)
    if not paths or missing:
        # A stream built from some of its packages is another benchmark: its figures compare with no earlier ones.
        raise FileNotFoundError(f"{name} sources not installed: apt-get install " + " ".join(missing or packages))
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
            src = source_of(p, sources)
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
