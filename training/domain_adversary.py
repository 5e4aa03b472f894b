"""Domain-adversarial training (Ganin et al. 2016, arXiv 1505.07818) against the cue "this voice is synthesized".

Every positive a head hears is synthesized, and the real people it must hear are not: a head may learn what the 21
synthetic voices sound like as part of the word. A small classifier reads the head's GRU output on the negative
windows and tells the real-speech negatives from the synthesized ones (read text, phonetic neighbours, foreign words:
the same voices as the positives); its gradient reaches the head reversed, so the head is pushed towards a GRU output
that does not tell real from synthesized voices. Only negatives carry a domain label, so the label says nothing about
the word. The classifier is training's alone: the exported head is the same graph with or without it."""
from __future__ import annotations

import math

import torch
from torch import nn

# The negative sets of real people's speech; every other negative set is read by the synthetic voices.
REAL_SETS = frozenset({"real-speech", "shifted-speech"})


class _Reverse(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, strength):
        ctx.strength = strength
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        return -ctx.strength * grad, None


def reverse_gradient(x: torch.Tensor, strength: float) -> torch.Tensor:
    """x unchanged going forward; going back, the gradient times -strength."""
    return _Reverse.apply(x, strength)


def strength(step: int, steps: int, weight: float) -> float:
    """The reversal's strength at a step: DANN's ramp from 0 to `weight` (2 / (1 + e^(-10 p)) - 1 of the way at share p
    of the steps), so the head first learns the word and the adversary's early noise does not steer it."""
    p = step / max(1, steps - 1)
    return weight * (2.0 / (1.0 + math.exp(-10.0 * p)) - 1.0)


class DomainAdversary(nn.Module):
    """GRU output [B, hidden] -> logit that the window is a real person's speech. The GRU's outputs are small and drift
    as the head learns: normalised per batch, the classifier keeps up (without it, on jarvis, it stayed at chance while
    a probe on a trained head's outputs told 71% of windows apart)."""

    def __init__(self, hidden: int, width: int = 32):
        super().__init__()
        self.net = nn.Sequential(nn.BatchNorm1d(hidden), nn.Linear(hidden, width), nn.ReLU(), nn.Linear(width, 1))

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return self.net(features).squeeze(-1)


class LastOutputTap:
    """Keeps the GRU's output at the last step of each window while a head's logits are computed (a forward hook), so
    the adversary reads what the head's output layer reads without a second copy of the head's forward pass."""

    def __init__(self, gru: nn.GRU):
        self.last: torch.Tensor | None = None
        self._handle = gru.register_forward_hook(self._keep)

    def _keep(self, module, inputs, output):
        self.last = output[0][:, -1]

    def close(self):
        self._handle.remove()


class Adversary:
    """One run's classifier, its optimiser and the tap on the head's GRU."""

    def __init__(self, head: nn.Module, lr: float):
        self.net = DomainAdversary(head.cfg.gru_hidden)
        self.opt = torch.optim.AdamW(self.net.parameters(), lr=lr, weight_decay=1e-2)
        self.tap = LastOutputTap(head.gru)
        self.accuracy: list[float] = []  # on each step's labelled windows, for the progress lines

    def loss(self, domain: torch.Tensor, strength: float) -> torch.Tensor:
        """The classifier's loss on the windows of the head's last forward pass that carry a domain (domain >= 0); its
        gradient reaches the head times -strength."""
        rows = domain >= 0
        logits = self.net(reverse_gradient(self.tap.last[rows], strength))
        target = domain[rows]
        self.accuracy.append(float(((logits > 0).float() == target).float().mean()))
        return nn.functional.binary_cross_entropy_with_logits(logits, target)

    def state_dict(self) -> dict:
        return {"net": self.net.state_dict(), "opt": self.opt.state_dict()}

    def load_state_dict(self, state: dict) -> None:
        self.net.load_state_dict(state["net"])
        self.opt.load_state_dict(state["opt"])

    def close(self) -> None:
        self.tap.close()
