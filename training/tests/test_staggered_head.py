"""The staggered head: the graph written for the runtime (one step per call, copies and a step counter as state)
gives what training's scoring gives, step by step, for one head and for an ensemble."""
import dataclasses

import numpy as np
import onnx
import pytest
import torch

from training.head import EmbeddingHead, HeadConfig, HeadEnsemble, export_head, head_metadata, windows_of
from training.onnx_ref import OnnxReference


def _head(seed, cfg):
    torch.manual_seed(seed)
    h = EmbeddingHead(cfg).eval()
    with torch.no_grad():
        h.emb_mean.normal_()
        h.emb_std.uniform_(0.5, 2.0)
        for p in h.gru.parameters():
            p.mul_(3.0)  # livelier than the default init, so that the probabilities move
    return h


def _run_graph(path, emb):
    ref = OnnxReference(path)
    states = {n: np.zeros([d.dim_value for d in i.type.tensor_type.shape.dim], np.float32)
              for i in ref.model.graph.input if (n := i.name).startswith("state_")}
    probs = []
    for row in emb:
        outs = ref.run({"embeddings": row[None, None], **states})
        got = dict(zip(ref.outputs, outs))
        probs.append(float(got["probs"].ravel()[0]))
        states = {n: got[n + "_out"] for n in states}
    return np.array(probs)


@pytest.mark.parametrize("heads", [1, 3])
def test_the_graph_steps_as_training_scores(tmp_path, heads):
    cfg = HeadConfig(embedding_dim=8, window=6, gru_hidden=5, gru_layers=2, dropout=0.0, stagger=3)
    model = _head(1, cfg) if heads == 1 else HeadEnsemble([_head(s, cfg) for s in range(1, heads + 1)])
    emb = np.random.default_rng(3).normal(size=(40, 8)).astype(np.float32)
    path = str(tmp_path / "h.onnx")
    export_head(model, path, {"wakeword.contract": "wakeword-head-v1"})
    expected = model.score(emb)
    np.testing.assert_allclose(_run_graph(path, emb), expected, atol=1e-5)
    assert np.std(expected) > 0.01
    # However many heads: one GRU node per layer (the heads packed), 14 nodes for two layers.
    graph = onnx.load(path).graph
    assert [n.op_type for n in graph.node].count("GRU") == 2 and len(graph.node) == 14


def test_each_output_runs_over_the_steps_its_copy_heard():
    cfg = HeadConfig(embedding_dim=8, window=6, gru_hidden=5, gru_layers=1, dropout=0.0, stagger=3)
    assert cfg.shortest == 5
    assert cfg.steps_heard(12).tolist() == [1, 2, 3, 4, 5, 6, 5, 6, 5, 6, 5, 6]
    h = _head(2, cfg)
    emb = np.random.default_rng(4).normal(size=(12, 8)).astype(np.float32)
    x = torch.from_numpy(emb)
    with torch.no_grad():
        by_hand = [float(h.probs(x[max(0, t + 1 - n):t + 1][None])[0]) for t, n in enumerate(cfg.steps_heard(12))]
    np.testing.assert_allclose(h.score(emb), by_hand, atol=1e-6)
    # Not the window's rule: the window pads with zeros and always runs `window` steps.
    assert not np.allclose(h.score(emb), h.probs(windows_of(x, 6)).detach().numpy(), atol=1e-4)


@pytest.mark.parametrize("window, stagger", [(16, 3), (18, 1), (18, 9), (4, 8)])
def test_a_stagger_that_does_not_divide_the_window_is_refused(window, stagger):
    with pytest.raises(ValueError, match=f"stagger {stagger} must be 0"):
        HeadConfig(window=window, stagger=stagger)


def test_a_run_resumed_with_another_head_shape_is_refused_and_the_same_shape_resumes(tmp_path):
    from training.head_train import _resume
    windowed = HeadConfig(embedding_dim=8, window=16, gru_hidden=5, gru_layers=1, stagger=0)
    model = EmbeddingHead(windowed)
    opt = torch.optim.AdamW(model.parameters())
    ckpt = str(tmp_path / "last.pt")
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": 500,
                "head": dataclasses.asdict(windowed)}, ckpt)
    staggered = dataclasses.replace(windowed, window=20, stagger=4)
    with pytest.raises(ValueError, match=r"another head: window 16 \(asked 20\), stagger 0 \(asked 4\)"):
        _resume(EmbeddingHead(staggered), opt, ckpt, staggered, print)
    assert _resume(EmbeddingHead(windowed), opt, ckpt, windowed, print) == 500
    # A checkpoint from before the shape was recorded was windowed over 16 steps.
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": 500}, ckpt)
    assert _resume(EmbeddingHead(windowed), opt, ckpt, windowed, print) == 500
    with pytest.raises(ValueError, match=r"window 16 \(asked 20\), stagger 0 \(asked 4\)"):
        _resume(EmbeddingHead(staggered), opt, ckpt, staggered, print)


def test_a_checkpoint_or_summary_from_before_staggered_heads_reads_as_windowed_over_16_steps():
    old = {"embedding_dim": 96, "window": 16, "gru_hidden": 64, "gru_layers": 2, "dropout": 0.2}
    assert HeadConfig.from_dict(old) == HeadConfig(window=16, stagger=0)
    assert HeadConfig.from_dict({**old, "window": 20, "stagger": 4}) == HeadConfig()


def test_cost_probe_takes_a_head_apart(tmp_path):
    """training/scripts/head-cost-probe.py --parts: the floor and no-GRU graphs keep the head's inputs and outputs (so
    the runtime and the benchmark take them), and the 2-copy graph is the same heads scored with 2 copies."""
    import importlib.util
    import os
    spec = importlib.util.spec_from_file_location(
        "head_cost_probe", os.path.join(os.path.dirname(__file__), "..", "scripts", "head-cost-probe.py"))
    probe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(probe)
    cfg = HeadConfig(embedding_dim=8, window=6, gru_hidden=5, gru_layers=2, dropout=0.0, stagger=3)
    model = HeadEnsemble([_head(s, cfg) for s in (1, 2)])
    src = str(tmp_path / "h.onnx")
    export_head(model, src, head_metadata(model, "probe", "0.0.0", "0" * 64, 0.5, 5, 1.0, {}))
    probe.parts(src, str(tmp_path))
    emb = np.random.default_rng(5).normal(size=(20, 8)).astype(np.float32)
    io = lambda g: ([i.name for i in g.input], [o.name for o in g.output])  # noqa: E731
    source = onnx.load(src).graph
    for name, nodes in (("floor", 4), ("nogru", 14)):
        graph = onnx.load(str(tmp_path / f"parts-{name}.onnx")).graph
        assert io(graph) == io(source) and len(graph.node) == nodes
        assert "GRU" not in [n.op_type for n in graph.node]
        assert np.isfinite(_run_graph(str(tmp_path / f"parts-{name}.onnx"), emb)).all()
    two = dataclasses.replace(cfg, stagger=2)
    for m in [model, *model.heads]:
        m.cfg = two
    np.testing.assert_allclose(_run_graph(str(tmp_path / "parts-copies2.onnx"), emb), model.score(emb), atol=1e-5)
    meta = {p.key: p.value for p in onnx.load(str(tmp_path / "parts-copies2.onnx")).metadata_props}
    assert meta["model.stagger"] == "2"
