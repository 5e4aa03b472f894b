"""Training losses over the per-step logits.

`held_ones_loss` is the trigger-word method's: every step is labelled (0, or 1 for the `held_ones` steps right after
a word's end) and each step's cross-entropy counts. It ties the firing time to where the labels put the word's end,
which comes from the synthetic clip's energy bounds; a real speaker whose word ends differently in the features may
never get the model to fire where the labels taught it.

`max_pool_loss` (Sun et al. 2017, arXiv 1705.02411; research note 5) frees that timing: for each labelled word only
the best step in a window around the held ones must fire (the detector fires on any one step above the threshold,
DEFAULT_CONSECUTIVE = 1), the other steps of the window are free, and every step outside all windows must stay 0.
The window runs from `before` steps ahead of the held ones to `after` steps past their end; the benchmark counts an
event up to 1 s after the word's end as a hit, which bounds how late a useful step can be."""
from __future__ import annotations

import torch
import torch.nn.functional as F


def held_ones_loss(logits: torch.Tensor, labels: torch.Tensor, pos_weight: torch.Tensor) -> torch.Tensor:
    return F.binary_cross_entropy_with_logits(logits, labels, pos_weight=pos_weight)


def word_windows(labels: torch.Tensor, before: int, after: int) -> list[list[tuple[int, int]]]:
    """Per clip, the [start, stop) step window of each run of ones in `labels` (batch, steps), widened by `before`
    steps ahead and `after` steps behind, clipped to the clip."""
    steps = labels.shape[1]
    ones = labels > 0.5
    # A run starts where a one follows a zero (or the clip start) and ends where a zero follows a one.
    padded = F.pad(ones.to(torch.int8), (1, 1))
    edges = padded[:, 1:] - padded[:, :-1]
    out = []
    for b in range(labels.shape[0]):
        starts = torch.nonzero(edges[b] == 1).flatten().tolist()
        stops = torch.nonzero(edges[b] == -1).flatten().tolist()
        out.append([(max(0, s - before), min(steps, e + after)) for s, e in zip(starts, stops)])
    return out


def max_pool_loss(logits: torch.Tensor, labels: torch.Tensor, word_weight: torch.Tensor, before: int,
                  after: int) -> torch.Tensor:
    """Cross-entropy of the best step of each word window against 1, weighted by `word_weight` per word, plus that of
    every step outside the windows against 0, averaged over all steps of the batch like `held_ones_loss`. With
    `word_weight` = pos_weight * held_ones a word weighs what its held ones weighed in `held_ones_loss`, so the
    balance between words and the rest stays as the first recipe had it."""
    windows = word_windows(labels, before, after)
    negative = torch.ones_like(logits, dtype=torch.bool)
    peaks = []
    for b, spans in enumerate(windows):
        for s, e in spans:
            negative[b, s:e] = False
            peaks.append(logits[b, s:e].max())
    total = F.binary_cross_entropy_with_logits(logits[negative], torch.zeros_like(logits[negative]), reduction="sum")
    if peaks:
        p = torch.stack(peaks)
        total = total + word_weight * F.binary_cross_entropy_with_logits(p, torch.ones_like(p), reduction="sum")
    return total / logits.numel()
