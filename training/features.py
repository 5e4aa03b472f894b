"""Log-mel features: the one definition shared with the C# runtime (models/README.md, LogMelFeaturizer.cs).

Framing has no padding or centering, so frames of a stream are the same whether it arrives in one piece or many.
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import torch


@dataclasses.dataclass(frozen=True)
class FeatureSpec:
    sample_rate: int = 16000
    window_samples: int = 400
    hop_samples: int = 160
    fft_size: int = 512
    mel_bins: int = 40
    fmin_hz: float = 20.0
    fmax_hz: float = 7600.0
    log_floor: float = 1e-6

    def metadata(self) -> dict[str, str]:
        return {
            "feature.sample_rate": str(self.sample_rate),
            "feature.window_samples": str(self.window_samples),
            "feature.hop_samples": str(self.hop_samples),
            "feature.fft_size": str(self.fft_size),
            "feature.mel_bins": str(self.mel_bins),
            "feature.fmin_hz": repr(float(self.fmin_hz)),
            "feature.fmax_hz": repr(float(self.fmax_hz)),
            "feature.log_floor": repr(float(self.log_floor)),
            "feature.window": "hann_periodic",
            "feature.mel_scale": "htk",
        }

    @classmethod
    def from_metadata(cls, meta: dict[str, str], source: str = "the model") -> "FeatureSpec":
        """The features a model was trained on, from its ONNX metadata (the keys `metadata` writes): evaluation and
        calibration must feed a model what it expects, not this module's defaults. Raises ValueError naming a missing,
        unreadable or unsupported key."""
        fields = {"sample_rate": int, "window_samples": int, "hop_samples": int, "fft_size": int, "mel_bins": int,
                  "fmin_hz": float, "fmax_hz": float, "log_floor": float}
        values = {}
        for name, kind in fields.items():
            key = f"feature.{name}"
            if key not in meta:
                raise ValueError(f"{source} has no metadata {key}")
            try:
                values[name] = kind(meta[key])
            except ValueError:
                raise ValueError(f"{source}: metadata {key} = {meta[key]!r} is not a number") from None
        for key, supported in (("feature.window", "hann_periodic"), ("feature.mel_scale", "htk")):
            if meta.get(key, supported) != supported:
                raise ValueError(f"{source}: metadata {key} = {meta[key]!r} is not supported (only {supported!r})")
        return cls(**values)

    def frame_count(self, samples: int) -> int:
        return 0 if samples < self.window_samples else (samples - self.window_samples) // self.hop_samples + 1


def _hz_to_mel(f):
    return 2595.0 * np.log10(1.0 + np.asarray(f, dtype=np.float64) / 700.0)


def _mel_to_hz(m):
    return 700.0 * (10.0 ** (np.asarray(m, dtype=np.float64) / 2595.0) - 1.0)


def mel_filterbank(spec: FeatureSpec) -> np.ndarray:
    """[fft_size/2+1, mel_bins] triangular HTK filters, peak 1, no area normalisation."""
    edges = _mel_to_hz(np.linspace(_hz_to_mel(spec.fmin_hz), _hz_to_mel(spec.fmax_hz), spec.mel_bins + 2))
    freqs = np.arange(spec.fft_size // 2 + 1, dtype=np.float64) * spec.sample_rate / spec.fft_size
    fb = np.zeros((freqs.size, spec.mel_bins), dtype=np.float64)
    for m in range(spec.mel_bins):
        lo, c, hi = edges[m], edges[m + 1], edges[m + 2]
        up = (freqs - lo) / (c - lo)
        down = (hi - freqs) / (hi - c)
        fb[:, m] = np.maximum(0.0, np.minimum(up, down))
    return fb


def hann_periodic(n: int) -> np.ndarray:
    return 0.5 - 0.5 * np.cos(2.0 * math.pi * np.arange(n, dtype=np.float64) / n)


class LogMel(torch.nn.Module):
    """Batched torch featurizer: [B, samples] float in [-1, 1] -> [B, frames, mel_bins]."""

    def __init__(self, spec: FeatureSpec = FeatureSpec()):
        super().__init__()
        self.spec = spec
        self.register_buffer("window", torch.tensor(hann_periodic(spec.window_samples), dtype=torch.float32))
        self.register_buffer("fbank", torch.tensor(mel_filterbank(spec), dtype=torch.float32))

    def forward(self, audio: torch.Tensor) -> torch.Tensor:
        s = self.spec
        frames = audio.unfold(-1, s.window_samples, s.hop_samples) * self.window
        spectrum = torch.fft.rfft(frames, n=s.fft_size)
        power = spectrum.real ** 2 + spectrum.imag ** 2
        return torch.log(power @ self.fbank + s.log_floor)


def log_mel_reference(audio: np.ndarray, spec: FeatureSpec = FeatureSpec()) -> np.ndarray:
    """float64 numpy version, used to make the parity golden for the C# featurizer."""
    audio = np.asarray(audio, dtype=np.float64)
    n = spec.frame_count(audio.size)
    idx = np.arange(spec.window_samples)[None, :] + spec.hop_samples * np.arange(n)[:, None]
    frames = audio[idx] * hann_periodic(spec.window_samples)
    spectrum = np.fft.rfft(frames, n=spec.fft_size)
    power = spectrum.real ** 2 + spectrum.imag ** 2
    return np.log(power @ mel_filterbank(spec) + spec.log_floor)
