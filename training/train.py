"""The training loop: seeded, checkpointed, resumable, with progress and held-out validation."""
from __future__ import annotations

import json
import math
import os
import pickle
import time

import numpy as np
import torch

from .augment import spec_augment, vtlp_warp
from .bank import build_bank
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


def train(word, out, data_dir, run_dir, steps=12000, batch=32, seed=1, scale=1.0, held_ones=12, eval_every=1000,
          cfg=ModelConfig(), lr=2e-3, workers=1, version="1.0.0", target_fa=0.5, log=print, eval_seconds_limit=None,
          recipe: Recipe = Recipe()):
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    spec = FeatureSpec()
    real = RealData(data_dir, word, recipe.real_negatives)
    os.makedirs(run_dir, exist_ok=True)
    log(f"recipe: {recipe.summary()}")
    bank = build_bank(word, real, seed, scale, os.path.join(run_dir, "..", ".cache"), log, pico=recipe.pico,
                      speech=recipe.speech_backgrounds > 0 or recipe.hard_negatives > 0)
    mixer = ClipMixer(bank, spec, cfg, held_ones, seed, speech_backgrounds=recipe.speech_backgrounds,
                      partial_share=recipe.partial_negatives)
    featurize = LogMel(spec)
    model = TriggerModel(cfg)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    start, best_score = 0, None
    ckpt = os.path.join(run_dir, "last.pt")
    if os.path.exists(ckpt):
        state = torch.load(ckpt)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        start, best_score = state["step"], state.get("best_score")
        log(f"resumed from {ckpt} at step {start}")
    else:
        with torch.no_grad():
            f = torch.cat([featurize(mixer[10 ** 8 + i][0].unsqueeze(0)) for i in range(24)], dim=1)[0]
        model.feat_mean.copy_(f.mean(0))
        model.feat_std.copy_(f.std(0) + 1e-3)
    synth_val = None
    if not real.positives["val"]:
        # No real recordings of this word: validate on positives synthesized with a seed training never used.
        synth_val = build_bank(word, RealData(None, word), seed + 4000, 0.12, os.path.join(run_dir, "..", ".cache"), log).pos
    val = EvalSets(real, "val", spec, synth_positives=synth_val, seed=seed + 7)
    log(f"validation: {val.n_pos} {val.pos_source} positives, {val.negative_hours * 60:.1f} min of held-out real negatives")
    pos_weight = torch.tensor(2.0)
    gen = torch.Generator().manual_seed(seed)
    progress = Progress(steps, start, log)
    step = start
    losses = []

    def loader_for(lo, hi, hard):
        m = mixer if hard is None else ClipMixer(bank, spec, cfg, held_ones, seed, speech_backgrounds=recipe.speech_backgrounds,
                                                 hard=hard["audio"], hard_share=recipe.hard_negatives,
                                                 partial_share=recipe.partial_negatives)
        extra = {"persistent_workers": True, "prefetch_factor": 4} if workers > 0 else {}
        return torch.utils.data.DataLoader(m, batch_size=batch, sampler=range(lo * batch, hi * batch),
                                           num_workers=workers, **extra)

    # Without mining one phase; with it, the steps before `mine_at` and those after, which draw from the mined pool.
    mine_step = int(round(recipe.mine_at * steps)) if recipe.hard_negatives > 0 else None
    phases = [(start, steps, False)] if mine_step is None else \
        [p for p in [(start, mine_step, False), (max(start, mine_step), steps, True)] if p[1] > p[0]]
    max_pool_step = int(round((1.0 - recipe.max_pool) * steps)) if recipe.max_pool > 0 else None
    step_s = step_seconds(cfg.stride, spec)
    pool_before = int(round(recipe.max_pool_lead_s / step_s))
    pool_after = max(0, int(round(1.0 / step_s)) - held_ones)
    hard, hard_path = None, os.path.join(run_dir, "hard-negatives.pkl")
    for lo, hi, mined in phases:
        if mined:
            hard = _hard_negatives(model, bank, spec, seed, recipe, hard_path, step, log)
        model.train()
        for audio, labels in loader_for(lo, hi, hard if mined else None):
            lr_now = 1e-4 + 0.5 * (lr - 1e-4) * (1 + math.cos(math.pi * step / steps))
            for g in opt.param_groups:
                g["lr"] = lr_now
            with torch.no_grad():
                feats = featurize(audio)
                usable = (feats.shape[1] // cfg.stride) * cfg.stride
                feats = spec_augment(vtlp_warp(feats[:, :usable], recipe.vtlp, gen), gen)
            c, h = model.zero_state(audio.shape[0])
            logits, _, _ = model.logits(feats, c, h)
            y = labels[:, :logits.shape[1]]
            if step == max_pool_step:
                log(f"step {step}: max-pooling loss from here on (window {pool_before} steps before the held ones "
                    f"to {pool_after} after)")
            if max_pool_step is not None and step >= max_pool_step:
                loss = max_pool_loss(logits, y, pos_weight * held_ones, pool_before, pool_after)
            else:
                loss = held_ones_loss(logits, y, pos_weight)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            losses.append(loss.item())
            if step % 25 == 0 or step == steps:
                progress(step, float(np.mean(losses[-25:])))
            if step % eval_every == 0 or step == steps:
                res = val.evaluate(torch_scorer(model), cfg.stride, target_fa_per_hour=target_fa)
                ch = res["chosen"]
                score = (ch["recall_mean"], -res["mean_neg_prob"])
                log(f"validation at step {step}: threshold {ch['threshold']:.2f} FA/h {ch['fa_per_hour']:.2f} "
                    f"recall quiet {ch['recall_quiet']:.3f} 20dB {ch['recall_snr20']:.3f} 10dB {ch['recall_snr10']:.3f}")
                if best_score is None or score > tuple(best_score):
                    best_score = score
                    torch.save({"model": model.state_dict(), "step": step}, os.path.join(run_dir, "best.pt"))
                torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "best_score": best_score}, ckpt + ".tmp")
                os.replace(ckpt + ".tmp", ckpt)
                model.train()
    if recipe.select == "last":
        best = {"model": model.state_dict(), "step": step}
    else:
        best = torch.load(os.path.join(run_dir, "best.pt"))
    model.load_state_dict(best["model"])
    res = val.evaluate(torch_scorer(model), cfg.stride, target_fa_per_hour=target_fa)
    ch = res["chosen"]
    log(format_table(res))
    summary = {
        "word": word, "steps": steps, "best_step": best["step"], "batch": batch, "seed": seed, "clip_seconds": 10,
        "held_ones_steps": held_ones, "parameters": model.parameter_count(),
        "tts": bank.tts_summary(),
        "real": real.summary(), "recipe": recipe.summary(),
        **({"hard_negatives": hard["stats"]} if hard else {}),
        "validation": {"threshold": ch["threshold"], "fa_per_hour": round(ch["fa_per_hour"], 3),
                       "recall_quiet": ch["recall_quiet"], "recall_snr20": ch["recall_snr20"],
                       "recall_snr10": ch["recall_snr10"], "negative_hours": round(res["negative_hours"], 3),
                       "positives": res["positives"], "positive_source": res["positive_source"]},
    }
    meta = contract_metadata(model, spec, word, version, ch["threshold"], held_ones, 1.0, summary)
    export_onnx(model, out, meta)
    with open(os.path.join(run_dir, "summary.json"), "w") as f:
        json.dump({"summary": summary, "validation_rows": res["rows"]}, f, indent=1)
    log(f"wrote {out} (threshold {ch['threshold']:.2f})")
    return summary
