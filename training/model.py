"""The streaming trigger-word network: normalise -> strided Conv1d -> GRU layers -> per-step sigmoid.

Unidirectional and causal, so it streams. The conv front end sees `context_frames = kernel - stride` frames of the
previous call; the graph takes and returns them (conv_state) so the runtime can feed any multiple of the stride.
"""
from __future__ import annotations

import dataclasses

import torch
from torch import nn

from .features import FeatureSpec


@dataclasses.dataclass(frozen=True)
class ModelConfig:
    mel_bins: int = FeatureSpec.mel_bins  # the network's input width is the featurizer's output, defined there
    conv_channels: int = 96
    kernel: int = 5
    stride: int = 3
    gru_hidden: int = 128
    gru_layers: int = 2
    dropout: float = 0.1

    @property
    def context_frames(self) -> int:
        return self.kernel - self.stride


class TriggerModel(nn.Module):
    def __init__(self, cfg: ModelConfig = ModelConfig()):
        super().__init__()
        self.cfg = cfg
        self.register_buffer("feat_mean", torch.zeros(cfg.mel_bins))
        self.register_buffer("feat_std", torch.ones(cfg.mel_bins))
        self.conv = nn.Conv1d(cfg.mel_bins, cfg.conv_channels, cfg.kernel, stride=cfg.stride)
        self.norm = nn.BatchNorm1d(cfg.conv_channels)
        self.drop = nn.Dropout(cfg.dropout)
        self.gru = nn.GRU(cfg.conv_channels, cfg.gru_hidden, num_layers=cfg.gru_layers, batch_first=True,
                          dropout=cfg.dropout if cfg.gru_layers > 1 else 0.0)
        self.head = nn.Linear(cfg.gru_hidden, 1)

    def zero_state(self, batch: int = 1):
        c = self.cfg
        return (torch.zeros(batch, c.context_frames, c.mel_bins), torch.zeros(c.gru_layers, batch, c.gru_hidden))

    def logits(self, features, conv_state, gru_state):
        """features [B, T, F] (T multiple of stride) -> logits [B, T/stride], new states."""
        x = torch.cat([conv_state, features], dim=1)
        new_conv_state = x[:, -self.cfg.context_frames:, :]
        x = (x - self.feat_mean) / self.feat_std
        x = torch.relu(self.norm(self.conv(x.transpose(1, 2))))
        x = self.drop(x.transpose(1, 2))
        y, new_gru_state = self.gru(x, gru_state)
        return self.head(self.drop(y)).squeeze(-1), new_conv_state, new_gru_state

    def forward(self, features, conv_state, gru_state):
        logits, c, h = self.logits(features, conv_state, gru_state)
        return torch.sigmoid(logits), c, h

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.parameters())
