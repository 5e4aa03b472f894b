"""The training loop: seeded, checkpointed, resumable, with progress and held-out validation."""
from __future__ import annotations

import dataclasses
import json
import math
import os
import pickle
import time

import numpy as np
import torch

from .augment import spec_augment, vtlp_warp
from .bank import Bank, build_bank
from .data import ClipMixer, RealData
from .evaluate import EvalSets, format_table
from .export import contract_metadata, export_onnx
from .features import FeatureSpec, LogMel
from .losses import held_ones_loss, max_pool_loss
from .mining import mine
from .model import ModelConfig, TriggerModel
from .recipe import Recipe
from .timing import step_seconds


def torch_scorer(model: TriggerModel, chunk_steps=2000):
    def score(feats: np.ndarray) -> np.ndarray:
        model.eval()
        stride = model.cfg.stride
        usable = (len(feats) // stride) * stride
        x = torch.from_numpy(feats[:usable]).unsqueeze(0)
        c, h = model.zero_state(1)
        out = []
        with torch.no_grad():
            for s in range(0, usable, chunk_steps * stride):
                p, c, h = model(x[:, s:s + chunk_steps * stride], c, h)
                out.append(p[0].numpy())
        return np.concatenate(out) if out else np.zeros(0, np.float32)
    return score


class Progress:
    def __init__(self, total, start, log):
        self.total, self.start, self.log, self.t0 = total, start, log, time.time()

    def __call__(self, step, loss):
        done = step - self.start
        rate = done / max(1e-9, time.time() - self.t0)
        eta = (self.total - step) / max(1e-9, rate)
        bar = "#" * int(30 * step / self.total)
        self.log(f"[{bar:<30}] step {step}/{self.total} loss {loss:.4f} {rate:.2f} steps/s eta {eta / 60:.1f} min")


def _hard_negatives(model, bank, spec, seed, recipe, path, step, log):
    """The mined pool: read back on resume (it was mined once, by the model of that step), else mined now."""
    if os.path.exists(path):
        with open(path, "rb") as f:
            hard = pickle.load(f)
        log(f"hard negatives: {hard['stats']['kept']} read from {path} (mined at step {hard['stats']['step']})")
        return hard
    log(f"mining hard negatives at step {step}")
    hard = mine(model, bank, spec, seed + 9000, recipe.mine_min_prob, recipe.mine_cap, log)
    hard["stats"]["step"] = step
    if not hard["audio"]:
        log("note: no negative utterance reaches the mining probability; training goes on without hard negatives")
    with open(path + ".tmp", "wb") as f:
        pickle.dump(hard, f)
    os.replace(path + ".tmp", path)
    return hard


@dataclasses.dataclass
class _Run:
    """What the phases of one training run share: its settings, data, model, optimiser and progress."""
    word: str
    run_dir: str
    steps: int
    batch: int
    seed: int
    held_ones: int
    cfg: ModelConfig
    lr: float
    workers: int
    recipe: Recipe
    log: object
    spec: FeatureSpec
    real: RealData
    bank: Bank
    mixer: ClipMixer
    model: TriggerModel
    opt: torch.optim.Optimizer
    step: int = 0
    best_score: tuple | None = None
    hard: dict | None = None
    best_step: int = 0

    @property
    def checkpoint(self) -> str:
        return os.path.join(self.run_dir, "last.pt")


def train(word, out, data_dir, run_dir, steps=12000, batch=32, seed=1, scale=1.0, held_ones=12, eval_every=1000,
          cfg=ModelConfig(), lr=2e-3, workers=1, version="1.0.0", target_fa=0.5, log=print,
          recipe: Recipe = Recipe()):
    """Trains a log-mel model for `word` in run_dir (resuming what is there) and exports it to `out`."""
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    run = _prepare(word, data_dir, run_dir, steps, batch, seed, scale, held_ones, cfg, lr, workers, recipe, log)
    _resume_or_normalise(run)
    val = _validation_sets(run)
    _fit(run, val, eval_every, target_fa)
    res = _select(run, val, target_fa)
    summary = _summary(run, res)
    _export(run, res, summary, out, version)
    return summary


def _prepare(word, data_dir, run_dir, steps, batch, seed, scale, held_ones, cfg, lr, workers, recipe, log) -> _Run:
    """The data (real recordings, the bank, the clip mixer), a fresh model and its optimiser."""
    spec = FeatureSpec()
    real = RealData(data_dir, word, recipe.real_negatives)
    os.makedirs(run_dir, exist_ok=True)
    log(f"recipe: {recipe.summary()}")
    bank = build_bank(word, real, seed, scale, os.path.join(run_dir, "..", ".cache"), log, pico=recipe.pico,
                      speech=recipe.speech_backgrounds > 0 or recipe.hard_negatives > 0)
    mixer = ClipMixer(bank, spec, cfg, held_ones, seed, speech_backgrounds=recipe.speech_backgrounds,
                      partial_share=recipe.partial_negatives)
    model = TriggerModel(cfg)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    return _Run(word, run_dir, steps, batch, seed, held_ones, cfg, lr, workers, recipe, log, spec, real, bank, mixer,
                model, opt)


def _resume_or_normalise(run: _Run) -> None:
    """Model, optimiser and step from the run's checkpoint; in a new run, the model's feature normalisation from 24
    clips that training never draws."""
    if os.path.exists(run.checkpoint):
        state = torch.load(run.checkpoint)
        run.model.load_state_dict(state["model"])
        run.opt.load_state_dict(state["opt"])
        run.step, run.best_score = state["step"], state.get("best_score")
        run.log(f"resumed from {run.checkpoint} at step {run.step}")
        return
    featurize = LogMel(run.spec)
    with torch.no_grad():
        f = torch.cat([featurize(run.mixer[10 ** 8 + i][0].unsqueeze(0)) for i in range(24)], dim=1)[0]
    run.model.feat_mean.copy_(f.mean(0))
    run.model.feat_std.copy_(f.std(0) + 1e-3)


def _validation_sets(run: _Run) -> EvalSets:
    synth_val = None
    if not run.real.positives["val"]:
        # No real recordings of this word: validate on positives synthesized with a seed training never used.
        synth_val = build_bank(run.word, RealData(None, run.word), run.seed + 4000, 0.12,
                               os.path.join(run.run_dir, "..", ".cache"), run.log).pos
    val = EvalSets(run.real, "val", run.spec, synth_positives=synth_val, seed=run.seed + 7)
    run.log(f"validation: {val.n_pos} {val.pos_source} positives, {val.negative_hours * 60:.1f} min of held-out real "
            "negatives")
    return val


def _phases(run: _Run) -> list[tuple[int, int, bool]]:
    """(first step, end step, draws from the mined pool): without mining one phase; with it, the steps before
    `mine_at` and those after."""
    start, steps, recipe = run.step, run.steps, run.recipe
    if recipe.hard_negatives <= 0:
        return [(start, steps, False)]
    mine_step = int(round(recipe.mine_at * steps))
    return [p for p in [(start, mine_step, False), (max(start, mine_step), steps, True)] if p[1] > p[0]]


def _loader(run: _Run, lo: int, hi: int, hard: dict | None):
    """Batches of steps lo .. hi-1: clip i of the mixer (with the mined pool when there is one) is always the same."""
    recipe = run.recipe
    m = run.mixer if hard is None else ClipMixer(
        run.bank, run.spec, run.cfg, run.held_ones, run.seed, speech_backgrounds=recipe.speech_backgrounds,
        hard=hard["audio"], hard_share=recipe.hard_negatives, partial_share=recipe.partial_negatives)
    extra = {"persistent_workers": True, "prefetch_factor": 4} if run.workers > 0 else {}
    return torch.utils.data.DataLoader(m, batch_size=run.batch, sampler=range(lo * run.batch, hi * run.batch),
                                       num_workers=run.workers, **extra)


def _fit(run: _Run, val: EvalSets, eval_every: int, target_fa: float) -> None:
    """The steps from the run's step to the last, phase by phase, validating and checkpointing every eval_every."""
    loss_of = _loss_schedule(run)
    gen = torch.Generator().manual_seed(run.seed)
    featurize = LogMel(run.spec)
    progress = Progress(run.steps, run.step, run.log)
    losses = []
    for lo, hi, mined in _phases(run):
        if mined:
            run.hard = _hard_negatives(run.model, run.bank, run.spec, run.seed, run.recipe,
                                       os.path.join(run.run_dir, "hard-negatives.pkl"), run.step, run.log)
        run.model.train()
        for audio, labels in _loader(run, lo, hi, run.hard if mined else None):
            losses.append(_step(run, audio, labels, featurize, gen, loss_of))
            run.step += 1
            if run.step % 25 == 0 or run.step == run.steps:
                progress(run.step, float(np.mean(losses[-25:])))
            if run.step % eval_every == 0 or run.step == run.steps:
                _validate_and_checkpoint(run, val, target_fa)


def _loss_schedule(run: _Run):
    """loss_of(step, logits, labels): the held-ones loss, and with recipe.max_pool the max-pooling loss over the
    last share of the steps."""
    recipe, held_ones = run.recipe, run.held_ones
    pos_weight = torch.tensor(2.0)
    max_pool_step = int(round((1.0 - recipe.max_pool) * run.steps)) if recipe.max_pool > 0 else None
    step_s = step_seconds(run.cfg.stride, run.spec)
    pool_before = int(round(recipe.max_pool_lead_s / step_s))
    pool_after = max(0, int(round(1.0 / step_s)) - held_ones)

    def loss_of(step, logits, y):
        if step == max_pool_step:
            run.log(f"step {step}: max-pooling loss from here on (window {pool_before} steps before the held ones "
                    f"to {pool_after} after)")
        if max_pool_step is not None and step >= max_pool_step:
            return max_pool_loss(logits, y, pos_weight * held_ones, pool_before, pool_after)
        return held_ones_loss(logits, y, pos_weight)
    return loss_of


def _step(run: _Run, audio, labels, featurize, gen, loss_of) -> float:
    """One optimiser step on a batch (cosine learning rate, augmented features); returns its loss."""
    lr, model = run.lr, run.model
    lr_now = 1e-4 + 0.5 * (lr - 1e-4) * (1 + math.cos(math.pi * run.step / run.steps))
    for g in run.opt.param_groups:
        g["lr"] = lr_now
    with torch.no_grad():
        feats = featurize(audio)
        usable = (feats.shape[1] // run.cfg.stride) * run.cfg.stride
        feats = spec_augment(vtlp_warp(feats[:, :usable], run.recipe.vtlp, gen), gen)
    c, h = model.zero_state(audio.shape[0])
    logits, _, _ = model.logits(feats, c, h)
    loss = loss_of(run.step, logits, labels[:, :logits.shape[1]])
    run.opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    run.opt.step()
    return loss.item()


def _validate_and_checkpoint(run: _Run, val: EvalSets, target_fa: float) -> None:
    """Validation at this step: the best so far goes to best.pt, and every validation writes the resumable last.pt."""
    model, step = run.model, run.step
    res = val.evaluate(torch_scorer(model), run.cfg.stride, target_fa_per_hour=target_fa)
    ch = res["chosen"]
    score = (ch["recall_mean"], -res["mean_neg_prob"])
    run.log(f"validation at step {step}: threshold {ch['threshold']:.2f} FA/h {ch['fa_per_hour']:.2f} "
            f"recall quiet {ch['recall_quiet']:.3f} 20dB {ch['recall_snr20']:.3f} 10dB {ch['recall_snr10']:.3f}")
    if run.best_score is None or score > tuple(run.best_score):
        run.best_score = score
        torch.save({"model": model.state_dict(), "step": step}, os.path.join(run.run_dir, "best.pt"))
    torch.save({"model": model.state_dict(), "opt": run.opt.state_dict(), "step": step, "best_score": run.best_score},
               run.checkpoint + ".tmp")
    os.replace(run.checkpoint + ".tmp", run.checkpoint)
    model.train()


def _select(run: _Run, val: EvalSets, target_fa: float) -> dict:
    """Loads the checkpoint the recipe exports (the best on validation, or the last step) and validates it again."""
    if run.recipe.select == "last":
        best = {"model": run.model.state_dict(), "step": run.step}
    else:
        best = torch.load(os.path.join(run.run_dir, "best.pt"))
    run.model.load_state_dict(best["model"])
    run.best_step = best["step"]
    res = val.evaluate(torch_scorer(run.model), run.cfg.stride, target_fa_per_hour=target_fa)
    run.log(format_table(res))
    return res


def _summary(run: _Run, res: dict) -> dict:
    ch = res["chosen"]
    return {
        "word": run.word, "steps": run.steps, "best_step": run.best_step, "batch": run.batch, "seed": run.seed,
        "clip_seconds": 10, "held_ones_steps": run.held_ones, "parameters": run.model.parameter_count(),
        "tts": run.bank.tts_summary(), "real": run.real.summary(), "recipe": run.recipe.summary(),
        **({"hard_negatives": run.hard["stats"]} if run.hard else {}),
        "validation": {"threshold": ch["threshold"], "fa_per_hour": round(ch["fa_per_hour"], 3),
                       "recall_quiet": ch["recall_quiet"], "recall_snr20": ch["recall_snr20"],
                       "recall_snr10": ch["recall_snr10"], "negative_hours": round(res["negative_hours"], 3),
                       "positives": res["positives"], "positive_source": res["positive_source"]},
    }


def _export(run: _Run, res: dict, summary: dict, out: str, version: str) -> None:
    """The model with its contract metadata to `out`, and the summary with every validation row to summary.json."""
    threshold = res["chosen"]["threshold"]
    meta = contract_metadata(run.model, run.spec, run.word, version, threshold, run.held_ones, 1.0, summary)
    export_onnx(run.model, out, meta)
    with open(os.path.join(run.run_dir, "summary.json"), "w") as f:
        json.dump({"summary": summary, "validation_rows": res["rows"]}, f, indent=1)
    run.log(f"wrote {out} (threshold {threshold:.2f})")
