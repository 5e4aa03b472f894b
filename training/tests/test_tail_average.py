"""Tail averaging (HeadRecipe.average_from): the run exports the uniform mean of the weights after each step from a
share of the steps on, keeps it in its checkpoint beside the last weights, and the judge and teachers load it."""
import dataclasses
import json

import numpy as np
import pytest
import torch

from training import head_data as hd
from training import head_train as ht
from training.head import EmbeddingHead, HeadConfig
from training.head_judge import load_run

CFG = HeadConfig(gru_hidden=8, gru_layers=1, window=8, stagger=0)
STEPS = 6


def _data():
    rng = np.random.default_rng(5)
    emb = rng.normal(size=(8, hd.CLIP_STEPS, 96)).astype(np.float16)
    ends = np.full((8, 4), -1, np.int64)
    ends[:, 0] = rng.integers(16000, 120000, 8)
    negs = ht.NegativeHours({"speech": rng.normal(size=(3, 750, 96)).astype(np.float16)})
    return hd.ClipSet(emb, ends), negs


def _fit(tmp_path, average_from, monkeypatch):
    """STEPS steps of a tiny head from one seed; returns (the last weights, the average or None, each step's weights)."""
    seen = []
    step = ht._head_step

    def recording(model, *args, **kwargs):
        loss = step(model, *args, **kwargs)
        seen.append({k: v.detach().clone() for k, v in model.state_dict().items()})
        return loss

    monkeypatch.setattr(ht, "_head_step", recording)
    clips, negs = _data()
    torch.manual_seed(0)
    model, opt = ht._new_head(CFG, clips, 1e-2)
    recipe = ht.HeadRecipe(mine_at=(), average_from=average_from)
    ckpt = str(tmp_path / f"avg{average_from}.pt")
    _, avg = ht._fit_head(model, opt, clips, negs, 0, STEPS, 4, 1, CFG, 1e-2, recipe, ckpt, log=lambda *_: None)
    return model, avg, seen, ckpt, recipe, (clips, negs)


def test_the_average_is_the_mean_of_the_weights_after_each_step_of_the_tail(tmp_path, monkeypatch):
    plain, none, seen_plain, *_ = _fit(tmp_path, 0.0, monkeypatch)
    assert none is None
    last, avg, seen, ckpt, *_ = _fit(tmp_path, 0.5, monkeypatch)
    # Averaging watches the run and changes nothing in it: the same seed trains the same weights.
    for k, v in plain.state_dict().items():
        assert torch.equal(v, last.state_dict()[k])
    tail = seen[STEPS // 2:]
    for name, p in avg.named_parameters():
        expected = torch.stack([s[name] for s in tail]).mean(0)
        assert torch.allclose(p, expected, atol=1e-6), name
        assert not torch.allclose(p, last.state_dict()[name]), name
    state = torch.load(ckpt)
    assert state["averaged_steps"] == len(tail)
    assert all(torch.equal(state["model"][k], v) for k, v in last.state_dict().items())


def test_a_finished_run_resumed_exports_the_average_it_kept(tmp_path, monkeypatch):
    _, avg, _, ckpt, recipe, (clips, negs) = _fit(tmp_path, 0.5, monkeypatch)
    model, opt = ht._new_head(CFG, clips, 1e-2)
    start = ht._resume(model, opt, ckpt, CFG, log=lambda *_: None)
    assert start == STEPS
    _, again = ht._fit_head(model, opt, clips, negs, start, STEPS, 4, 1, CFG, 1e-2, recipe, ckpt, log=lambda *_: None)
    for k, v in avg.state_dict().items():
        assert torch.equal(again.state_dict()[k], v), k


def test_the_judge_and_teachers_load_the_average_where_a_run_kept_one(tmp_path):
    torch.manual_seed(1)
    trained, averaged = EmbeddingHead(CFG), EmbeddingHead(CFG)
    for average in (None, averaged.state_dict()):
        (tmp_path / "summary.json").write_text(json.dumps({"head": dataclasses.asdict(CFG)}))
        torch.save({"model": trained.state_dict(), "average": average, "averaged_steps": 3 if average else 0},
                   tmp_path / "last.pt")
        want = trained if average is None else averaged
        for k, v in load_run(str(tmp_path)).state_dict().items():
            assert torch.equal(v, want.state_dict()[k]), k


@pytest.mark.parametrize("share", [-0.1, 1.0, float("nan")])
def test_an_average_start_outside_the_run_is_refused(share):
    with pytest.raises(ValueError, match="average from"):
        ht.HeadRecipe(average_from=share)
