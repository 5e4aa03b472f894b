#!/usr/bin/env python3
"""Writes staggered heads (or packed ensembles) of random weights in given shapes, bound to the shipped front end, for
timing their CPU with the benchmark before anything is trained: what a head of that shape costs does not depend on its
weights.

Usage: training/scripts/head-cost-probe.py HEADSxUNITS... [--out DIR]   e.g. 1x64 3x32 3x24 (default DIR /tmp)
then:  dotnet run -c Release --project bench/WakeWord.Benchmarks -- --stages --model DIR/probe-3x32.onnx ...
"""
import argparse
import os
import re
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
from training.head import EmbeddingHead, HeadConfig, HeadEnsemble  # noqa: E402
from training.head_train import write_model  # noqa: E402


def shape(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"(\d+)x(\d+)", text)
    if not m or not (1 <= int(m[1]) <= 16 and 1 <= int(m[2]) <= 512):
        raise argparse.ArgumentTypeError(f"{text!r} is not HEADSxUNITS with 1 to 16 heads of 1 to 512 units (e.g. 3x32)")
    return int(m[1]), int(m[2])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("shapes", nargs="+", type=shape, metavar="HEADSxUNITS")
    p.add_argument("--out", default="/tmp")
    a = p.parse_args()
    torch.manual_seed(0)
    for count, units in a.shapes:
        heads = [EmbeddingHead(HeadConfig(gru_hidden=units)) for _ in range(count)]
        model = heads[0] if count == 1 else HeadEnsemble(heads)
        write_model(model, os.path.join(a.out, f"probe-{count}x{units}.onnx"), "computer", "0.0.0",
                    {"note": "random weights, for timing only"}, 5)


if __name__ == "__main__":
    main()
