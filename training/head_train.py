"""Training a head on the speech embedding: the trigger-word clips and hours of negatives are embedded once
(head_data.py) and the GRU head trains on the cached embeddings in minutes, so seeds, ensembles and more negatives
are affordable. Seeded, checkpointed and resumable like the log-mel trainer."""
from __future__ import annotations

import dataclasses
import json
import math
import os
import time

import numpy as np
import torch

from . import domain_adversary as da
from . import head_data as hd
from . import pronunciations, tts
from .bank import build_bank
from .data import TRAINING_SPEECH_PACKAGES, ClipMixer, RealData, load_noise
from .features import FeatureSpec
from .frontend import export as fe_export
from .frontend import speech_embedding as se
from .head import REFRACTORY_S, EmbeddingHead, HeadConfig, export_head, head_metadata
from .head_import import is_model_file
from .model import ModelConfig


@dataclasses.dataclass(frozen=True)
class HeadRecipe:
    """The head recipe's switches (recorded in the model's training summary); the proxy judges each change."""
    real_negatives: str = "no-crowd"  # see RealData.NEGATIVE_CHOICES; the crowd words are the proxy's test speakers
    scale: float = 8.0                # synthesized bank: 4000 positive, 8800 negative utterances (4 until 2026-12-07)
    clips: int = 12000                # embedded 10 s trigger-word clips
    silent_clips: int = 0             # more clips, their words over digital silence (exact zeros) instead of noise
    follow_clips: int = 0             # more clips, each word followed at once by other speech (a command after it)
    variant_clips: int = 0            # more clips whose words are other pronunciations (vowels swapped: pronunciations.py)
    pico: bool = True
    pico_voices: tuple = tuple(tts.PICO_VOICES)  # which of Pico's voices read the bank (each reads English text)
    accents: float = 0.0              # share of espeak-ng's utterances read by voices of other languages (accented)
    read_hours: float = 6.0           # long text read by every voice and language
    foreign_hours: float = 0.0        # other languages' words read by their own voices (head_data.FOREIGN_LANGUAGES)
    neighbours: bool = True           # phonetic neighbours from the dictionary, several voices each
    real_speech: bool = True          # the training-only Debian speech sources
    # More copies of that speech, each segment 5-15% faster or slower (other voices). Off: judged on alexa with 2
    # copies over three seeds, no gain at 0.5 or 0.1 FA/h, fewer false accepts only at threshold 0.5 (docs/accuracy.md).
    shifted_speech: int = 0
    negative_share: float = 0.5       # share of each batch's windows taken from the negative hours
    windows_per_clip: int = 8         # windows drawn from each trigger-word clip of a batch, half of them around its words
    neg_weight_max: float = 4.0       # the negatives' loss weight ramps from 1 to this over training
    held_ones: int = 5                # 0.4 s of ones after each word's end
    pos_weight: float = 2.0
    # Hard-negative mining over the negative hours: at each of these shares of the steps the model scores every window
    # of every negative piece, and the `mine_keep` it scores highest become a pool from which `mine_share` of the
    # negative windows are drawn from then on (empty: off). On by default since the alexa proxy judged it over three
    # seeds (docs/accuracy.md): the same miss rate at 0.5 FA/h, 21.4% instead of 30.8% at 0.1 FA/h, a third of the
    # spread, and a fifth of the false accepts at threshold 0.5.
    mine_at: tuple = (0.4, 0.7)
    mine_share: float = 0.5
    mine_keep: int = 50000
    # Distillation: run folders of trained heads, or head models (.onnx, an ensemble's heads each count), whose
    # mean probability (the ensemble's score) is mixed into every window's target, teacher_weight of it against the
    # label (empty: off). For one cheap head that scores like an ensemble of dearer ones, so that several words on one
    # front end cost little more than one.
    teacher: tuple = ()
    teacher_weight: float = 0.5
    # Tail averaging: from this share of the steps on, the weights after every step are averaged (uniformly), and the
    # run exports the average instead of the last weights (0: off). Seeds of one recipe spread by many points at low
    # false-accept rates; an average over a run's tail is one cheap way to a steadier model.
    average_from: float = 0.0
    # Domain-adversarial training (domain_adversary.py): the strength that the reversed gradient of a real-or-synthetic
    # classifier on the negatives' GRU output ramps up to (0: off).
    domain_weight: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "pico_voices", tts.check_pico_voices(self.pico_voices))
        # Cache keys hash the values' text, so a script's HeadRecipe(foreign_hours=4) must key its data as the CLI's
        # 4.0 does, not build the same set again under another key.
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if isinstance(f.default, float) and isinstance(v, int) and not isinstance(v, bool):
                object.__setattr__(self, f.name, float(v))
        if not 0.0 <= self.accents <= 1.0:
            raise ValueError(f"accents {self.accents} must be a share between 0 and 1")
        if not all(0.0 < m < 1.0 for m in self.mine_at):
            raise ValueError(f"mine at {list(self.mine_at)} must be shares of the steps, above 0 and below 1")
        object.__setattr__(self, "mine_at", tuple(float(m) for m in self.mine_at))
        if not 0.0 < self.mine_share <= 1.0:
            raise ValueError(f"mine share {self.mine_share} must be a share above 0, at most 1")
        if not 1 <= self.mine_keep <= 10_000_000:
            raise ValueError(f"mine keep {self.mine_keep} must be a number of windows from 1 to 10,000,000")
        if not 1 <= self.clips <= 1_000_000:
            raise ValueError(f"clips {self.clips} must be from 1 to 1,000,000")
        if not 0 <= self.silent_clips <= 1_000_000:
            raise ValueError(f"silent clips {self.silent_clips} must be from 0 to 1,000,000")
        if not 0 <= self.follow_clips <= 1_000_000:
            raise ValueError(f"follow-on clips {self.follow_clips} must be from 0 to 1,000,000")
        if not 0 <= self.variant_clips <= 1_000_000:
            raise ValueError(f"variant clips {self.variant_clips} must be from 0 to 1,000,000")
        if not 0 <= self.shifted_speech <= 20:
            raise ValueError(f"shifted speech {self.shifted_speech} must be a number of copies from 0 to 20")
        if self.shifted_speech and not self.real_speech:
            raise ValueError("shifted speech copies the real-speech negatives: it cannot go with --no-real-speech")
        if not 0.0 <= self.read_hours <= 1000.0:
            raise ValueError(f"read hours {self.read_hours} must be from 0 to 1000")
        if not 0.0 <= self.foreign_hours <= 1000.0:
            raise ValueError(f"foreign hours {self.foreign_hours} must be from 0 to 1000")
        if not 1.0 <= self.neg_weight_max <= 1000.0:
            raise ValueError(f"negative weight {self.neg_weight_max} must be from 1 to 1000")
        if not 0.0 <= self.teacher_weight <= 1.0:
            raise ValueError(f"teacher weight {self.teacher_weight} must be a share from 0 to 1")
        if not 0.0 <= self.domain_weight <= 10.0:
            raise ValueError(f"domain weight {self.domain_weight} must be from 0 (off) to 10")
        if self.domain_weight and not self.real_speech:
            raise ValueError("the domain adversary tells real speech from synthesized: it cannot go with --no-real-speech")
        if not 0.0 <= self.average_from < 1.0:
            raise ValueError(f"average from {self.average_from} must be a share of the steps from 0 (off) to below 1")
        for run in self.teacher:
            if is_model_file(run):
                if not os.path.isfile(run):
                    raise ValueError(f"teacher {run}: no such model file")
                continue
            missing = [f for f in ("summary.json", "last.pt") if not os.path.exists(os.path.join(run, f))]
            if missing:
                raise ValueError(f"teacher {run} is not a finished head run: no {' or '.join(missing)} in it")

    def summary(self) -> dict:
        return dataclasses.asdict(self)


class NegativeHours:
    """The negative sets' 60 s pieces; windows of one clip's length drawn from them at random."""

    def __init__(self, sets: dict[str, np.ndarray]):
        self.sets = {k: v for k, v in sets.items() if len(v)}
        self.names = list(self.sets)
        sizes = np.array([len(self.sets[k]) for k in self.names], np.float64)
        self.p = sizes / sizes.sum()
        self.hours = {k: len(v) * hd.PIECE_SECONDS / 3600 for k, v in self.sets.items()}
        self._real = np.array([name in da.REAL_SETS for name in self.names], np.float32)

    hard: np.ndarray | None = None  # (set index, piece, end) of the mined windows

    def mine(self, model, window: int, keep: int, log=print) -> dict:
        """Scores every whole window of every piece; keeps the `keep` highest as the hard pool. Returns statistics."""
        from .head import score_stream
        found = []
        t0 = time.time()
        for k, name in enumerate(self.names):
            arr = self.sets[name]
            for piece in range(len(arr)):
                p = score_stream(model, np.asarray(arr[piece], np.float32))[window - 1:]
                top = np.argpartition(-p, min(len(p) - 1, 50))[:50]  # a piece's best few: enough, and keeps it small
                found += [(p[t], k, piece, t + window) for t in top]
        found.sort(key=lambda f: -f[0])
        kept = found[:keep]
        self.hard = np.array([(k, piece, end) for _, k, piece, end in kept], np.int64)
        model.train()
        stats = {"kept": len(kept), "min_prob": float(kept[-1][0]) if kept else None,
                 "above_0.5": int(sum(f[0] >= 0.5 for f in found)), "seconds": round(time.time() - t0, 1),
                 "by_set": {n: int(sum(1 for f in kept if f[1] == k)) for k, n in enumerate(self.names)}}
        log(f"mined {stats['kept']} hard negative windows (lowest probability {stats['min_prob']:.3f}, "
            f"{stats['above_0.5']} windows at 0.5 or more) in {stats['seconds']} s: {stats['by_set']}")
        return stats

    def windows(self, n: int, window: int, rng: np.random.Generator, hard_share: float = 0.0) -> np.ndarray:
        """n windows of `window` steps, each from a random place in a random piece (whole windows only: the pieces'
        first steps are a fresh front end's, which the clips already show the head)."""
        return self.windows_and_sets(n, window, rng, hard_share)[0]

    def windows_and_sets(self, n: int, window: int, rng: np.random.Generator, hard_share: float = 0.0):
        """NegativeHours.windows and, for each window, the index in `names` of the set it came from."""
        out = np.empty((n, window, se.EMBEDDING_DIM), np.float32)
        sets = np.empty(n, np.int64)
        n_hard = int(round(n * hard_share)) if self.hard is not None and len(self.hard) else 0
        for r, (k, piece, end) in enumerate(self.hard[rng.integers(len(self.hard), size=n_hard)] if n_hard else []):
            out[r] = self.sets[self.names[k]][piece, end - window:end]
            sets[r] = k
        names = rng.choice(len(self.names), size=n - n_hard, p=self.p)
        for r, k in enumerate(names, start=n_hard):
            arr = self.sets[self.names[k]]
            piece = int(rng.integers(len(arr)))
            end = int(rng.integers(window, arr.shape[1] + 1))
            out[r] = arr[piece, end - window:end]
            sets[r] = k
        return out, sets

    def is_real(self, sets: np.ndarray) -> np.ndarray:
        """For set indices of windows_and_sets: 1.0 where the set is real people's speech, 0.0 where synthesized."""
        return self._real[sets]


def negative_hours(word: str, real: RealData, recipe: HeadRecipe, seed: int, noise, log=print) -> NegativeHours:
    sets = {}
    word_key = word.replace(" ", "")
    if recipe.real_speech:
        # Keyed by the files themselves, so words that leave out the same files share one cache.
        paths = hd.training_speech_paths(word)
        if not paths:
            # Without them a head trains on synthesized negatives alone and fires on real talk: never silently.
            raise ValueError("no training-only Debian speech is installed (the real-speech negatives): apt-get install "
                             + " ".join(TRAINING_SPEECH_PACKAGES) + " (or train with --no-real-speech)")
        sets["real-speech"] = hd.build_negative_set(
            "real-speech", hd.key_of("v1", hd.key_of(*paths), seed), lambda: hd.real_speech_segments(word, log),
            noise, seed, log, repeats=2)
        if recipe.shifted_speech:
            sets["shifted-speech"] = hd.build_negative_set(
                "shifted-speech", hd.key_of("v1", hd.key_of(*paths), seed, recipe.shifted_speech),
                lambda: hd.shifted_segments(hd.real_speech_segments(word, log), recipe.shifted_speech, seed),
                noise, seed + 3, log)
    if recipe.read_hours > 0:
        sets["read-text"] = hd.build_negative_set(
            "read-text", hd.key_of("v1", word_key, recipe.read_hours, seed),
            lambda: hd.tts_read_segments(word, recipe.read_hours, seed, log), noise, seed + 1, log)
    if recipe.foreign_hours > 0:
        sets["foreign-read"] = hd.build_negative_set(
            "foreign-read", hd.key_of("v1", word_key, recipe.foreign_hours, seed, *sorted(hd.foreign_languages())),
            lambda: hd.foreign_read_segments(word, recipe.foreign_hours, seed, log), noise, seed + 4, log)
    if recipe.neighbours:
        sets["neighbours"] = hd.build_negative_set(
            "neighbours", hd.key_of("v1", word_key, seed), lambda: hd.neighbour_segments(word, seed, log=log),
            noise, seed + 2, log, repeats=2)
    return NegativeHours(sets)


def _batch(clips, negs: NegativeHours, n_clip: int, n_neg: int, window: int, recipe: "HeadRecipe", rng):
    """Windows, their labels and their domains: `windows_per_clip` from each of n_clip clips (half ending around a
    word's held ones, the steps just before and after them included, half anywhere), and n_neg from the negative hours.
    Domain: 1 for a window of real people's speech, 0 for synthesized negatives, -1 for the clips' windows (no domain
    label: every clip's word is synthesized, so a label there would say "synthesized" and "word" at once)."""
    idx = np.sort(rng.choice(len(clips), n_clip, replace=False))
    emb = np.asarray(clips.emb[idx], np.float32)
    labels = clips.labels(idx, recipe.held_ones)
    padded = np.concatenate([np.zeros((n_clip, window - 1, emb.shape[2]), np.float32), emb], 1)
    per = recipe.windows_per_clip
    ends = rng.integers(0, hd.CLIP_STEPS, (n_clip, per))
    for r in range(n_clip):
        ones = np.flatnonzero(labels[r])
        if len(ones):
            near = rng.integers(ones.min() - 3, ones.max() + 4, per // 2)
            ends[r, : per // 2] = np.clip(near, 0, hd.CLIP_STEPS - 1)
    steps = ends[:, :, None] + np.arange(window)[None, None, :]  # in padded coordinates: step j ends at j + window - 1
    x_clip = padded[np.arange(n_clip)[:, None, None], steps].reshape(-1, window, emb.shape[2])
    y_clip = labels[np.arange(n_clip)[:, None], ends].reshape(-1)
    hard = recipe.mine_share if recipe.mine_at else 0.0
    x_neg, sets = negs.windows_and_sets(n_neg, window, rng, hard)
    x = np.concatenate([x_clip, x_neg])
    y = np.concatenate([y_clip, np.zeros(n_neg, np.float32)]).astype(np.float32)
    domain = np.concatenate([np.full(len(y_clip), -1.0, np.float32), negs.is_real(sets)])
    return x, y, domain


def _lr(step, steps, lr):
    warm = min(1.0, (step + 1) / 200)
    return warm * (1e-4 + 0.5 * (lr - 1e-4) * (1 + math.cos(math.pi * step / steps)))


def train_head(word, out, data_dir, run_dir, steps=2000, batch=64, seed=1, cfg=HeadConfig(), lr=3e-3,
               version="2.0.0", recipe: HeadRecipe = HeadRecipe(), log=print, frontend_path=fe_export.DEFAULT_PATH,
               export=True):
    """Trains a head for `word` in run_dir (resuming what is there) and, with `export`, writes it to `out`."""
    t_start = time.time()
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    os.makedirs(run_dir, exist_ok=True)
    log(f"head recipe: {recipe.summary()}")
    real = RealData(data_dir, word, recipe.real_negatives)
    bank, clips, negs = _embedded_data(word, real, recipe, log)
    log(f"data: {len(clips)} clips ({len(clips) * 10 / 3600:.1f} h), negatives "
        + ", ".join(f"{k} {v:.2f} h" for k, v in negs.hours.items()) + f" ({(time.time() - t_start) / 60:.1f} min)")
    model, opt = _new_head(cfg, clips, lr)
    ckpt = os.path.join(run_dir, "last.pt")
    start = _resume(model, opt, ckpt, cfg, log)
    mined, average = _fit_head(model, opt, clips, negs, start, steps, batch, seed, cfg, lr, recipe, ckpt, log)
    if average is not None:
        model = average
        log(f"exporting the average of the weights from step {_average_start(recipe, steps)} on")
    model.eval()
    summary = {"word": word, "steps": steps, "batch": batch, "seed": seed, "parameters": model.parameter_count(),
               "head": dataclasses.asdict(cfg), "recipe": recipe.summary(), "clips": len(clips),
               "negative_hours": {k: round(v, 3) for k, v in negs.hours.items()}, "tts": bank.tts_summary(),
               "real": real.summary(), "minutes": round((time.time() - t_start) / 60, 1),
               **({"mining": mined} if mined else {})}
    with open(os.path.join(run_dir, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    if export:
        write_model(model, out, word, version, summary, recipe.held_ones, frontend_path, log=log)
    return model, summary


def _embedded_data(word: str, real: RealData, recipe: HeadRecipe, log):
    """The bank, the embedded trigger-word clips and the embedded negative hours (all cached on disk)."""
    # The data depends on the data seed only, so runs that differ in `seed` share it.
    data_seed = 1
    bank = build_bank(word, real, data_seed, recipe.scale, hd.CACHE_DIR, log, pico=recipe.pico, accents=recipe.accents,
                      pico_voices=recipe.pico_voices)
    mixer = ClipMixer(bank, FeatureSpec(), ModelConfig(), 1, data_seed)
    clip_key = hd.key_of("v1", word, data_seed, recipe.scale, tts.engines_key(recipe.pico, recipe.pico_voices), real.root,
                         real.negatives_mode,
                         *((recipe.accents,) if recipe.accents > 0 else ()),
                         len(bank.pos), len(bank.neg), len(bank.real_pos), len(bank.real_neg))
    clips = hd.build_clip_set(mixer, 0, recipe.clips, clip_key, log)
    if recipe.silent_clips:
        # Clip numbers after the main set's, so their words are other draws, not the same clips without noise.
        silent = ClipMixer(bank, FeatureSpec(), ModelConfig(), 1, data_seed, silent=True)
        clips = hd.ClipSet.join(clips, hd.build_clip_set(silent, recipe.clips, recipe.silent_clips,
                                                         hd.key_of("silent-v1", clip_key), log))
    if recipe.follow_clips:
        follow = ClipMixer(bank, FeatureSpec(), ModelConfig(), 1, data_seed, follow_on=True)
        clips = hd.ClipSet.join(clips, hd.build_clip_set(follow, recipe.clips + recipe.silent_clips, recipe.follow_clips,
                                                         hd.key_of("follow-v1", clip_key), log))
    if recipe.variant_clips:
        said = pronunciations.variant_utterances(word, max(200, recipe.variant_clips // 2), data_seed, hd.CACHE_DIR, log)
        # Only the other pronunciations are the word here (no real positives): the main clips hold the usual one.
        variant = ClipMixer(dataclasses.replace(bank, pos=said, real_pos=[]), FeatureSpec(), ModelConfig(), 1, data_seed)
        first = recipe.clips + recipe.silent_clips + recipe.follow_clips
        clips = hd.ClipSet.join(clips, hd.build_clip_set(variant, first, recipe.variant_clips,
                                                         hd.key_of("variant-v1", clip_key, len(said)), log))
    negs = negative_hours(word, real, recipe, data_seed, load_noise(real.noise, "train"), log)
    return bank, clips, negs


def _new_head(cfg: HeadConfig, clips, lr: float):
    """A head normalised by the embeddings of the first 2000 clips, and its optimiser."""
    model = EmbeddingHead(cfg)
    sample = np.asarray(clips.emb[: min(len(clips), 2000)], np.float32).reshape(-1, cfg.embedding_dim)
    model.emb_mean.copy_(torch.from_numpy(sample.mean(0)))
    model.emb_std.copy_(torch.from_numpy(sample.std(0) + 1e-3))
    return model, torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-2)


def _resume(model, opt, ckpt: str, cfg: HeadConfig, log) -> int:
    """The step to go on from: the checkpoint's (model and optimiser loaded from it), or 0. A checkpoint of another
    head shape (a windowed run resumed with staggered options, say) is refused: its weights would load and train on."""
    if not os.path.exists(ckpt):
        return 0
    state = torch.load(ckpt)
    # A checkpoint from before the config was stored: its sizes cannot be told (a mismatch fails in load_state_dict),
    # its window and stagger are from_dict's for unrecorded runs (windowed over 16 steps).
    unrecorded = {k: v for k, v in dataclasses.asdict(cfg).items() if k not in ("window", "stagger")}
    was = HeadConfig.from_dict(state.get("head", unrecorded))
    if was != cfg:
        differ = ", ".join(f"{k} {getattr(was, k)} (asked {getattr(cfg, k)})" for k in dataclasses.asdict(cfg)
                           if getattr(was, k) != getattr(cfg, k))
        raise ValueError(f"{ckpt} was trained with another head: {differ}; give the same options or another --run-dir")
    model.load_state_dict(state["model"])
    opt.load_state_dict(state["opt"])
    log(f"resumed from {ckpt} at step {state['step']}")
    return state["step"]


def _average_start(recipe: HeadRecipe, steps: int) -> int:
    """The first step whose weights join the tail average (recipe.average_from)."""
    return int(round(recipe.average_from * steps))


def _averager(model, recipe: HeadRecipe, ckpt: str):
    """The tail average of recipe.average_from (torch's AveragedModel, a uniform mean), resumed from the checkpoint's
    when it holds one; None when off."""
    if not recipe.average_from:
        return None
    avg = torch.optim.swa_utils.AveragedModel(model)
    state = torch.load(ckpt) if os.path.exists(ckpt) else {}
    if state.get("average") is not None:
        avg.module.load_state_dict(state["average"])
        avg.n_averaged.fill_(state["averaged_steps"])
    return avg


def _average_so_far(avg):
    """The averaged model once some step has joined the tail average; None before that, or when off."""
    return avg.module if avg is not None and int(avg.n_averaged) > 0 else None


def _fit_head(model, opt, clips, negs, start, steps, batch, seed, cfg, lr, recipe: HeadRecipe, ckpt, log):
    """Steps start .. steps-1, mining at recipe.mine_at; returns the mining statistics and the tail average's model
    (None when off)."""
    rng = np.random.default_rng([seed, start])
    n_clip = max(1, int(round(batch * (1 - recipe.negative_share))))
    n_neg = batch * recipe.windows_per_clip - n_clip * recipe.windows_per_clip
    losses, t0 = [], time.time()
    model.train()
    mine_steps = sorted({int(round(f * steps)) for f in recipe.mine_at})
    mined = []
    if 0 < start < steps and any(m <= start for m in mine_steps):
        # A resumed run mines again with the model it resumes: the pool is made by a model of about that step.
        model.eval()
        mined.append(negs.mine(model, cfg.window, recipe.mine_keep, log))
    teacher = _teacher(recipe, cfg, log)
    avg = _averager(model, recipe, ckpt)
    adversary = _adversary(model, recipe, lr, ckpt)
    try:
        for step in range(start, steps):
            if step in mine_steps and step > 0:
                model.eval()
                mined.append({"step": step, **negs.mine(model, cfg.window, recipe.mine_keep, log)})
            x, y, domain = _batch(clips, negs, n_clip, n_neg, cfg.window, recipe, rng)
            target = None
            if teacher is not None:  # on the whole window, before a staggered student's cut
                with torch.no_grad():
                    soft = teacher.probs(torch.from_numpy(x)).numpy()
                target = (1 - recipe.teacher_weight) * y + recipe.teacher_weight * soft
            if cfg.stagger:  # each batch hears as many steps as one of the runtime's copies may have heard
                x = np.ascontiguousarray(x[:, -int(rng.integers(cfg.shortest, cfg.window + 1)):])
            losses.append(_head_step(model, opt, x, y, step, steps, lr, recipe, target, adversary, domain))
            if avg is not None and step >= _average_start(recipe, steps):
                avg.update_parameters(model)
            if (step + 1) % 100 == 0 or step + 1 == steps:
                rate = (step + 1 - start) / max(1e-9, time.time() - t0)
                told = (f" real-or-synthesized told {np.mean(adversary.accuracy[-100:]):.3f} (strength "
                        f"{da.strength(step, steps, recipe.domain_weight):.2f})" if adversary is not None else "")
                log(f"step {step + 1}/{steps} loss {np.mean(losses[-100:]):.4f}{told} {rate:.1f} steps/s "
                    f"eta {(steps - step - 1) / max(rate, 1e-9) / 60:.1f} min")
            if (step + 1) % 500 == 0 or step + 1 == steps:
                average = _average_so_far(avg)
                torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step + 1,
                            "head": dataclasses.asdict(cfg),
                            "average": average.state_dict() if average is not None else None,
                            "averaged_steps": int(avg.n_averaged) if average is not None else 0,
                            "adversary": adversary.state_dict() if adversary is not None else None}, ckpt + ".tmp")
                os.replace(ckpt + ".tmp", ckpt)
    finally:
        if adversary is not None:
            adversary.close()
    return mined, _average_so_far(avg)


def _adversary(model, recipe: HeadRecipe, lr: float, ckpt: str):
    """recipe.domain_weight's adversary on the head, resumed from the checkpoint's when it holds one; None when off."""
    if not recipe.domain_weight:
        return None
    adversary = da.Adversary(model, lr)
    state = torch.load(ckpt) if os.path.exists(ckpt) else {}
    if state.get("adversary") is not None:
        adversary.load_state_dict(state["adversary"])
    return adversary


class TeacherHeads(torch.nn.Module):
    """Frozen heads as one teacher: the mean of their probabilities, each head reading the last steps of the window
    its own configuration holds, so windowed heads (2.0.0's) and staggered ones (distilled students, reading the whole
    window as their copy that heard most) can teach together. HeadEnsemble needs one configuration: it is exported."""

    def __init__(self, heads):
        super().__init__()
        self.heads = torch.nn.ModuleList(heads)
        self.window = max(h.cfg.window for h in heads)

    def probs(self, windows: torch.Tensor) -> torch.Tensor:
        return torch.stack([h.probs(windows[:, -h.cfg.window:]) for h in self.heads]).mean(0)


def _teacher(recipe: HeadRecipe, cfg: HeadConfig, log):
    """The heads of recipe.teacher (run folders and model files, an ensemble file giving its heads) as one frozen
    model, or None."""
    if not recipe.teacher:
        return None
    from .head_judge import load_heads
    heads = load_heads(list(recipe.teacher))
    teacher = TeacherHeads(heads)
    if teacher.window > cfg.window:
        raise ValueError(f"the teacher reads {teacher.window} steps, more than the {cfg.window} this head's windows hold")
    windows = sorted({h.cfg.window for h in heads})
    log(f"distilling from {len(heads)} head(s) reading {'/'.join(map(str, windows))} steps, weight {recipe.teacher_weight}")
    return teacher.eval()


def _head_step(model, opt, x, y, step: int, steps: int, lr: float, recipe: HeadRecipe, target=None, adversary=None,
               domain=None) -> float:
    """One optimiser step on a batch of windows: positives weighted recipe.pos_weight, negatives from 1 ramping to
    recipe.neg_weight_max over training; returns the loss. The loss aims at `target` when given (distillation's soft
    targets), else at the labels y; the labels choose each window's weight either way. With an adversary (and each
    window's domain, _batch's), its classifier learns in the same step and its reversed gradient joins the head's."""
    optimisers = [opt] + ([adversary.opt] if adversary is not None else [])
    for g in opt.param_groups:
        g["lr"] = _lr(step, steps, lr)
    # The adversary keeps its learning rate (lr) throughout: it must keep up with a head that moves.
    logits = model.logits(torch.from_numpy(x))
    y = torch.from_numpy(y)
    aim = y if target is None else torch.from_numpy(np.asarray(target, np.float32))
    neg_w = 1.0 + (recipe.neg_weight_max - 1.0) * step / max(1, steps - 1)
    w = torch.where(y > 0.5, torch.tensor(recipe.pos_weight), torch.tensor(neg_w))
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, aim, weight=w)
    total = loss
    if adversary is not None:
        total = loss + adversary.loss(torch.from_numpy(domain), da.strength(step, steps, recipe.domain_weight))
    for o in optimisers:
        o.zero_grad()
    total.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    for o in optimisers:
        o.step()
    return loss.item()


def write_model(model: EmbeddingHead, out: str, word: str, version: str, summary: dict, held_ones: int,
                frontend_path: str = fe_export.DEFAULT_PATH, threshold: float = 0.5, log=print) -> None:
    """The head, bound by sha256 to the front end file (written first when it is missing)."""
    if not os.path.exists(frontend_path):
        fe_export.export(frontend_path, log=log)
    from .frontend.weights import sha256_of
    meta = head_metadata(model, word, version, sha256_of(frontend_path), threshold, held_ones, REFRACTORY_S, summary)
    export_head(model, out, meta)
    log(f"wrote {out} (front end {os.path.relpath(frontend_path, hd.ROOT)})")


def write_ensemble(runs: list[str], out: str, version: str, log=print) -> None:
    """Heads of several training runs as one model (the mean of their probabilities), bound to the front end."""
    from .head_judge import load_runs
    from .texts import validate_word
    summaries = []
    for run in runs:
        with open(os.path.join(run, "summary.json")) as f:
            summaries.append(json.load(f))
    words = {s["word"] for s in summaries}
    if len(words) != 1:
        raise ValueError(f"the runs were trained for different words: {', '.join(sorted(words))}")
    word = validate_word(words.pop())
    model = load_runs(runs)
    summary = {"word": word, "ensemble_of": len(runs), "runs": summaries}
    held = {s["recipe"]["held_ones"] for s in summaries}
    write_model(model, out, word, version, summary, held.pop(), log=log)
