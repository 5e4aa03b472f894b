"""Augmentation of log-mel features inside a training batch: masks (SpecAugment) and a warp of the mel axis (VTLP).
Both draw from the trainer's own generator, so a seed gives the same batches on every run and resume."""
from __future__ import annotations

import math

import torch


def spec_augment(feats: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    b, t, f = feats.shape
    feats = feats.clone()
    for i in range(b):
        for _ in range(2):
            w = int(torch.randint(0, 6, (1,), generator=gen))
            s = int(torch.randint(0, f - w + 1, (1,), generator=gen))
            feats[i, :, s:s + w] = feats[i].mean()
        if torch.rand(1, generator=gen).item() < 0.5:
            w = int(torch.randint(0, 12, (1,), generator=gen))
            s = int(torch.randint(0, t - w + 1, (1,), generator=gen))
            feats[i, s:s + w, :] = feats[i].mean()
    return feats


def vtlp_warp(feats: torch.Tensor, max_warp: float, gen: torch.Generator) -> torch.Tensor:
    """Vocal-tract-length perturbation on log-mel features: bin k of clip i takes the value at mel position
    k * alpha_i (linear interpolation, edges held), alpha_i log-uniform in [1/(1+v), 1+v]. Formants and pitch
    move together, tempo stays."""
    if max_warp <= 0:
        return feats
    b, _, f = feats.shape
    lim = math.log1p(max_warp)
    alpha = torch.exp((torch.rand(b, generator=gen) * 2 - 1) * lim)
    pos = (torch.arange(f, dtype=torch.float32)[None, :] * alpha[:, None]).clamp(0, f - 1)
    lo = pos.floor().long()
    hi = (lo + 1).clamp(max=f - 1)
    w = (pos - lo.float())[:, None, :]
    idx_lo = lo[:, None, :].expand(-1, feats.shape[1], -1)
    idx_hi = hi[:, None, :].expand(-1, feats.shape[1], -1)
    return torch.gather(feats, 2, idx_lo) * (1 - w) + torch.gather(feats, 2, idx_hi) * w
