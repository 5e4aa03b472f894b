#!/usr/bin/env python3
"""Writes staggered heads (or packed ensembles) of random weights in given shapes, bound to the shipped front end, for
timing their CPU with the benchmark before anything is trained: what a head of that shape costs does not depend on its
weights.

Usage: training/scripts/head-cost-probe.py HEADSxUNITS[xLAYERS]... [--out DIR]   e.g. 1x64 3x32 3x32x1 (default DIR
       /tmp; 2 layers unless given)
       training/scripts/head-cost-probe.py --parts FILE [--out DIR]   where a staggered head file's CPU goes:
         DIR/parts-floor.onnx   its inputs and outputs, 4 nodes (what ONNX Runtime costs per call, whatever the graph)
         DIR/parts-nogru.onnx   its graph with each GRU node an Identity of its initial state (the small nodes)
         DIR/parts-copies2.onnx its weights over 2 copies instead of model.stagger (what the copies cost)
then:  dotnet run -c Release --project bench/WakeWord.Benchmarks -- --stages --model DIR/probe-3x32.onnx ...
"""
import argparse
import copy
import dataclasses
import os
import re
import sys

import onnx
import torch
from onnx import helper as oh

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
from training.head import EmbeddingHead, HeadConfig, HeadEnsemble  # noqa: E402
from training.head_import import load_head_file  # noqa: E402
from training.head_train import write_model  # noqa: E402
from training.onnx_file import save_atomic  # noqa: E402
from training.staggered_export import export_staggered  # noqa: E402


def shape(text: str) -> tuple[int, int, int]:
    m = re.fullmatch(r"(\d+)x(\d+)(?:x(\d+))?", text)
    if not m or not (1 <= int(m[1]) <= 16 and 1 <= int(m[2]) <= 512 and 1 <= int(m[3] or 2) <= 4):
        raise argparse.ArgumentTypeError(f"{text!r} is not HEADSxUNITS[xLAYERS] with 1 to 16 heads of 1 to 512 units "
                                         f"and 1 to 4 layers (e.g. 3x32 or 3x32x1)")
    return int(m[1]), int(m[2]), int(m[3] or 2)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("shapes", nargs="*", type=shape, metavar="HEADSxUNITS")
    p.add_argument("--parts", metavar="FILE", help="a staggered head file to take apart (instead of shapes)")
    p.add_argument("--out", default="/tmp")
    a = p.parse_args()
    if a.parts:
        parts(a.parts, a.out)
        return
    if not a.shapes:
        p.error("give HEADSxUNITS shapes or --parts FILE")
    torch.manual_seed(0)
    for count, units, layers in a.shapes:
        heads = [EmbeddingHead(HeadConfig(gru_hidden=units, gru_layers=layers)) for _ in range(count)]
        model = heads[0] if count == 1 else HeadEnsemble(heads)
        name = f"probe-{count}x{units}" + ("" if layers == 2 else f"x{layers}")
        write_model(model, os.path.join(a.out, f"{name}.onnx"), "computer", "0.0.0",
                    {"note": "random weights, for timing only"}, 5)


def parts(path: str, out: str) -> None:
    source = onnx.load(path)
    meta = {p.key: p.value for p in source.metadata_props}
    if meta.get("model.stagger", "0") == "0":
        sys.exit(f"{path} is not a staggered head (model.stagger is {meta.get('model.stagger', 'missing')})")
    floor = copy.deepcopy(source)
    states = [i.name for i in floor.graph.input if i.name.startswith("state_")]
    del floor.graph.node[:]
    floor.graph.node.extend([oh.make_node("ReduceMean", ["embeddings"], ["probs"], axes=[2], keepdims=0)] +
                            [oh.make_node("Identity", [s], [s + "_out"]) for s in states])
    nogru = copy.deepcopy(source)
    nodes = [oh.make_node("Identity", [n.input[5]], [n.output[1]]) if n.op_type == "GRU" else n
             for n in nogru.graph.node]
    del nogru.graph.node[:]
    nogru.graph.node.extend(nodes)
    for name, proto in (("floor", floor), ("nogru", nogru)):
        save_atomic(proto, os.path.join(out, f"parts-{name}.onnx"), meta)
    model = load_head_file(path)
    cfg = dataclasses.replace(model.cfg, stagger=2)
    for m in [model, *getattr(model, "heads", [])]:
        m.cfg = cfg
    export_staggered(model, os.path.join(out, "parts-copies2.onnx"), {**meta, "model.stagger": "2"})
    print(f"wrote {out}/parts-floor.onnx, parts-nogru.onnx, parts-copies2.onnx")


if __name__ == "__main__":
    main()
