"""The benchmark's streams, embedded once by the front end (streamed in one-minute calls with the state carried, as
the service runs it), so a head is judged in seconds: the detector rule of training/detector.py (the C# rule, pinned by
its golden) over the head's probabilities, scored exactly as scoring.score_events scores the C# runtime's events."""
from __future__ import annotations

import os
import time

import numpy as np
import soundfile as sf
import torch

from . import detector
from .accuracy import scoring
from .frontend import speech_embedding as se
from .head_data import CACHE_DIR, frontend, frontend_tag, key_of

STEP_S = se.SAMPLES_PER_STEP / se.SAMPLE_RATE


def stream_cache(path: str) -> str:
    """Where a stream's embeddings are cached: named by its path, size and modification time, and the front end."""
    st = os.stat(path)
    return os.path.join(CACHE_DIR, f"stream-{os.path.basename(path)}-{key_of(os.path.abspath(path), st.st_size, st.st_mtime)}"
                                   f"-{frontend_tag()}.npy")


def embed_wav(path: str, log=print, minutes: float = 1.0) -> np.ndarray:
    """[steps, 96] float16 of a whole file as one stream (cached by path, size and modification time)."""
    cache = stream_cache(path)
    if os.path.exists(cache):
        return np.load(cache, mmap_mode="r")
    fe = frontend()
    chunk = int(minutes * 60 * se.SAMPLE_RATE) // se.SAMPLES_PER_STEP * se.SAMPLES_PER_STEP
    state, out = fe.zero_state(1), []
    total = sf.info(path).frames
    with sf.SoundFile(path) as f, torch.no_grad():
        done = 0
        while True:
            a = f.read(chunk, dtype="float32")
            if a.ndim > 1:
                a = a.mean(axis=1)
            n = (len(a) // se.SAMPLES_PER_STEP) * se.SAMPLES_PER_STEP
            if n == 0:
                break
            e, state = fe(torch.from_numpy(a[:n].copy()).unsqueeze(0), state)
            out.append(e[0].numpy().astype(np.float16))
            done += n
            if len(out) % 60 == 0:
                log(f"  embedding {os.path.basename(path)}: {done / total:.0%}")
            if n < len(a):
                break
    arr = np.concatenate(out)
    os.makedirs(CACHE_DIR, exist_ok=True)
    np.save(cache + ".tmp.npy", arr)
    os.replace(cache + ".tmp.npy", cache)
    return arr


def events(probs: np.ndarray, thresholds, refractory_s: float = detector.DEFAULT_REFRACTORY_S,
           consecutive: int = detector.DEFAULT_CONSECUTIVE):
    """[(threshold, time_s)] as `wakeword detect --json` reports them: a step's time is when its audio is complete."""
    refr = detector.refractory_steps(refractory_s, STEP_S)
    out = []
    for t in thresholds:
        for j in detector.detect(probs, t, refr, consecutive):
            out.append((t, float(se.step_available_sample(j)) / se.SAMPLE_RATE))
    return out


def source_key(source: str) -> str:
    """What a run folder's or model file's scores depend on: its files (path, size, modification time) and the code
    that loads and runs heads, so a head trained again in place or a changed head never reads old scores."""
    files = [source] if os.path.isfile(source) else [os.path.join(source, f) for f in ("summary.json", "last.pt")]
    parts = []
    for f in files:
        st = os.stat(f)
        parts.append(f"{os.path.abspath(f)}:{st.st_size}:{st.st_mtime_ns}")
    here = os.path.dirname(os.path.abspath(__file__))
    for code in ("head.py", "head_import.py", "head_judge.py"):
        with open(os.path.join(here, code), "rb") as f:
            parts.append(key_of(f.read()))
    return key_of(*parts)


class Judge:
    """One proxy word's streams (benchmark build) and the shared negatives, embedded."""

    def __init__(self, bench_dir: str, word: str, log=print, negatives_name: str = "negatives"):
        self.word_dir = os.path.join(bench_dir, word.replace(" ", "-"))
        neg_wav = os.path.join(bench_dir, "negatives", f"{negatives_name}.wav")
        pos_wav = os.path.join(self.word_dir, "positives.wav")
        self.keywords = scoring.read_keywords(self.word_dir)
        self.pos = embed_wav(pos_wav, log)
        self.neg = embed_wav(neg_wav, log)
        self.pos_hours = sf.info(pos_wav).duration / 3600
        self.neg_hours = sf.info(neg_wav).duration / 3600
        self.streams_key = key_of(stream_cache(pos_wav), stream_cache(neg_wav))

    def score_probs(self, pos_probs, neg_probs, thresholds=scoring.THRESHOLDS,
                    consecutive: int = detector.DEFAULT_CONSECUTIVE) -> dict:
        rows = scoring.score_events(events(pos_probs, thresholds, consecutive=consecutive),
                                    events(neg_probs, thresholds, consecutive=consecutive), self.keywords,
                                    thresholds, self.neg_hours, self.pos_hours)
        return {"keywords": len(self.keywords), "negative_hours": self.neg_hours, "positive_hours": self.pos_hours,
                "miss_at_0.5": scoring.miss_at(rows, 0.5), "miss_at_0.1": scoring.miss_at(rows, 0.1), "rows": rows}

    def probs(self, head) -> tuple[np.ndarray, np.ndarray]:
        """A head's (or an ensemble's) probability at every step of the positive and the negative stream."""
        return head.score(self.pos), head.score(self.neg)

    def source_probs(self, source: str) -> tuple[np.ndarray, np.ndarray]:
        """Judge.probs of a run folder's head or a model file's (load_source), cached on disk: re-judging a head in
        another mix (an ensemble of other runs, missed keywords, false accepts) takes seconds instead of minutes."""
        cache = os.path.join(CACHE_DIR, f"probs-{key_of(self.streams_key, source_key(source))}.npz")
        if os.path.exists(cache):
            with np.load(cache) as z:
                return z["pos"], z["neg"]
        pos, neg = self.probs(load_source(source))
        os.makedirs(CACHE_DIR, exist_ok=True)
        np.savez(cache + ".tmp.npz", pos=pos, neg=neg)
        os.replace(cache + ".tmp.npz", cache)
        return pos, neg

    def score(self, heads) -> dict:
        """One head, or the mean of several heads' probabilities (an ensemble)."""
        heads = heads if isinstance(heads, (list, tuple)) else [heads]
        return self.score_mean([self.probs(h) for h in heads])

    def score_mean(self, probs: list[tuple[np.ndarray, np.ndarray]]) -> dict:
        """The mean of heads' probabilities (Judge.probs of each) scored as one model."""
        return self.score_probs(np.mean([p for p, _ in probs], axis=0), np.mean([n for _, n in probs], axis=0))

    def judge(self, heads: dict, log=print) -> dict:
        """Each named head alone and, for several, their mean: every head scores the streams once (its probabilities
        are kept for the mean), with a line per head, since one head takes minutes over the negative hours. A value
        may be a head or a run folder or model file (its scores cached: source_probs)."""
        results, kept = {}, []
        for i, (name, head) in enumerate(heads.items()):
            t0 = time.time()
            kept.append(self.source_probs(head) if isinstance(head, str) else self.probs(head))
            results[name] = self.score_probs(*kept[-1])
            log(f"  {name}: scored {self.neg_hours + self.pos_hours:.2f} h in {time.time() - t0:.0f} s "
                f"({i + 1}/{len(heads)}), miss at 0.5 FA/h {pct(results[name]['miss_at_0.5'])}")
        if len(heads) > 1:
            results[f"mean of {len(heads)}"] = self.score_mean(kept)
        return results


def pct(v):
    return "n/a" if v is None else f"{100 * v:.1f}%"


def load_run(run_dir: str):
    """The head a run trained and exported (its last checkpoint's weights, or their tail average where the run kept
    one: HeadRecipe.average_from), rebuilt from its summary's head config."""
    import json
    from .head import EmbeddingHead, HeadConfig
    with open(os.path.join(run_dir, "summary.json")) as f:
        summary = json.load(f)
    head = EmbeddingHead(HeadConfig.from_dict(summary["head"]))
    state = torch.load(os.path.join(run_dir, "last.pt"))
    head.load_state_dict(state["average"] if state.get("average") is not None else state["model"])
    return head.eval()


def load_source(source: str):
    """A run folder's head, or what a head model file (.onnx) holds: a head or an ensemble (head_import)."""
    from .head_import import is_model_file, load_head_file
    return load_head_file(source) if is_model_file(source) else load_run(source)


def load_heads(sources: list[str]) -> list:
    """Every head of several runs or model files, in order (an ensemble file gives its heads)."""
    from .head import HeadEnsemble
    heads = []
    for source in sources:
        loaded = load_source(source)
        heads += list(loaded.heads) if isinstance(loaded, HeadEnsemble) else [loaded]
    return heads


def load_runs(run_dirs: list[str]):
    """The heads of several runs as one model: a single head as itself, several as their ensemble (mean probability).
    A windowed head's .onnx file stands for the run(s) that trained it (an ensemble file gives its heads)."""
    from .head import HeadEnsemble
    heads = load_heads(run_dirs)
    return heads[0] if len(heads) == 1 else HeadEnsemble(heads)


def warmup_recall(bench_dir: str, word: str, heads, threshold: float, leads=(0.1, 0.3, 0.5, 1.0, 2.0), log=print):
    """How soon after a stream starts a keyword is found: each keyword of the benchmark's stream as its own fresh
    stream that starts `lead` seconds before the keyword (front end and head from zero state, as when the service
    opens its source), against the same keywords in the continuous stream. Returns {lead: recall, "stream": recall}."""
    heads = heads if isinstance(heads, (list, tuple)) else [heads]
    word_dir = os.path.join(bench_dir, word.replace(" ", "-"))
    keywords = scoring.read_keywords(word_dir)
    audio, rate = sf.read(os.path.join(word_dir, "positives.wav"), dtype="float32")
    fe = frontend()
    refr = detector.refractory_steps(detector.DEFAULT_REFRACTORY_S, STEP_S)
    out = {}
    judge = Judge(bench_dir, word, log)
    probs = np.mean([h.score(judge.pos) for h in heads], axis=0)
    times = np.array([se.step_available_sample(j) / rate for j in detector.detect(probs, threshold, refr)])
    out["stream"] = float(scoring.keyword_hits(np.sort(times), keywords)[0].mean())
    for lead in leads:
        hits = []
        for b in range(0, len(keywords), 32):
            batch = keywords[b:b + 32]
            segs = [audio[max(0, int((s - lead) * rate)):int((e + scoring.HIT_AFTER_END_S) * rate)] for s, e in batch]
            n = max(len(x) for x in segs)
            n = -(-n // se.SAMPLES_PER_STEP) * se.SAMPLES_PER_STEP
            x = np.stack([np.concatenate([g, np.zeros(n - len(g), np.float32)]) for g in segs])
            emb = fe.embed_clips(torch.from_numpy(x)).numpy()
            for (s, e), g, em in zip(batch, segs, emb):
                p = np.mean([h.score(em) for h in heads], axis=0)[: len(g) // se.SAMPLES_PER_STEP]
                start = max(0.0, s - lead)
                ev = np.array([se.step_available_sample(j) / rate for j in detector.detect(p, threshold, refr)]) + start
                hits.append(bool(np.any((ev >= s) & (ev <= e + scoring.HIT_AFTER_END_S))))
        out[lead] = float(np.mean(hits))
        log(f"  lead {lead:.1f} s: recall {out[lead]:.3f} (continuous stream {out['stream']:.3f})")
    return out
