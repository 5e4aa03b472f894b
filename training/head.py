"""The head: a streaming unidirectional GRU over the front end's 80 ms embedding steps, one trigger probability per
step. Normalisation (per-dimension mean and standard deviation of the embeddings) is inside the graph, so the runtime
feeds the front end's output as it is. Exported to the `wakeword-head-v1` contract (models/README.md)."""
from __future__ import annotations

import dataclasses
import json

import torch
from torch import nn

from .frontend import speech_embedding as se
from .onnx_file import export_atomic

CONTRACT = "wakeword-head-v1"


@dataclasses.dataclass(frozen=True)
class HeadConfig:
    embedding_dim: int = se.EMBEDDING_DIM
    gru_hidden: int = 64
    gru_layers: int = 2
    dropout: float = 0.2


class EmbeddingHead(nn.Module):
    def __init__(self, cfg: HeadConfig = HeadConfig()):
        super().__init__()
        self.cfg = cfg
        self.register_buffer("emb_mean", torch.zeros(cfg.embedding_dim))
        self.register_buffer("emb_std", torch.ones(cfg.embedding_dim))
        self.drop = nn.Dropout(cfg.dropout)
        self.gru = nn.GRU(cfg.embedding_dim, cfg.gru_hidden, num_layers=cfg.gru_layers, batch_first=True,
                          dropout=cfg.dropout if cfg.gru_layers > 1 else 0.0)
        self.out = nn.Linear(cfg.gru_hidden, 1)

    def zero_state(self, batch: int = 1) -> torch.Tensor:
        return torch.zeros(self.cfg.gru_layers, batch, self.cfg.gru_hidden)

    def logits(self, emb: torch.Tensor, h: torch.Tensor):
        """emb [B, T, D] -> logits [B, T], new state."""
        x = self.drop((emb - self.emb_mean) / self.emb_std)
        y, h = self.gru(x, h)
        return self.out(self.drop(y)).squeeze(-1), h

    def forward(self, emb, h):
        z, h = self.logits(emb, h)
        return torch.sigmoid(z), h

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def score(self, emb):
        """Probabilities over one whole stream of embeddings [T, D] from a fresh state."""
        return score_stream(self, emb)


def score_stream(model: nn.Module, emb):
    """A head's (or an ensemble's) probabilities over one whole stream of embeddings [T, D] (numpy or torch), from a
    fresh state, in calls of 20000 steps with the state carried."""
    import numpy as np
    model.eval()
    x = torch.as_tensor(np.asarray(emb, dtype=np.float32)).unsqueeze(0)
    out, h = [], model.zero_state(1)
    with torch.no_grad():
        for s in range(0, x.shape[1], 20000):
            p, h = model(x[:, s:s + 20000], h)
            out.append(p[0].numpy())
    return np.concatenate(out) if out else np.zeros(0, np.float32)


def head_metadata(model: EmbeddingHead, word: str, version: str, frontend_sha256: str, threshold: float,
                  held_ones_steps: int, refractory_s: float, summary: dict) -> dict[str, str]:
    c = model.cfg
    return {
        "wakeword.contract": CONTRACT,
        "wakeword.word": word,
        "wakeword.version": version,
        "frontend.kind": "speech_embedding",
        "frontend.sha256": frontend_sha256,
        "model.embedding_dim": str(c.embedding_dim),
        "model.gru_layers": str(c.gru_layers),
        "model.gru_hidden": str(c.gru_hidden),
        "detector.threshold": f"{threshold:.4f}",
        "detector.held_ones_steps": str(held_ones_steps),
        "detector.refractory_s": f"{refractory_s:g}",
        "training.summary": json.dumps(summary, sort_keys=True),
    }


class _Probs(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, embeddings, gru_state):
        return self.model(embeddings, gru_state)


def export_head(model: nn.Module, path: str, metadata: dict[str, str]) -> None:
    """A head or an ensemble of heads, atomically (a failed export leaves no partial file)."""
    emb = torch.zeros(1, 3, model.cfg.embedding_dim)
    export_atomic(_Probs(model.eval()), (emb, model.zero_state(1)), path, ["embeddings", "gru_state"],
                  ["probs", "gru_state_out"], {"embeddings": {1: "T"}, "probs": {1: "steps"}}, metadata)


class HeadEnsemble(nn.Module):
    """Several heads as one model: the mean of their probabilities. Exported under the same contract as one head: its
    `gru_state` is the heads' states side by side along the hidden axis ([L, 1, n*H]), split inside the graph, so the
    runtime carries it like any head's."""

    def __init__(self, heads: list[EmbeddingHead]):
        super().__init__()
        cfgs = {h.cfg for h in heads}
        if len(cfgs) != 1:
            raise ValueError("the heads of an ensemble must share one configuration")
        self.heads = nn.ModuleList(heads)
        c = heads[0].cfg
        self.cfg = dataclasses.replace(c, gru_hidden=c.gru_hidden * len(heads))
        self.hidden = c.gru_hidden

    def zero_state(self, batch: int = 1) -> torch.Tensor:
        return torch.zeros(self.cfg.gru_layers, batch, self.cfg.gru_hidden)

    def forward(self, emb, h):
        probs, states = [], []
        for i, head in enumerate(self.heads):
            p, s = head(emb, h[:, :, i * self.hidden:(i + 1) * self.hidden])
            probs.append(p)
            states.append(s)
        return torch.stack(probs).mean(0), torch.cat(states, dim=2)

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def score(self, emb):
        return score_stream(self, emb)
