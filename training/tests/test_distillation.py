"""Distillation (HeadRecipe.teacher): a frozen teacher's mean probability is mixed into each window's target, the
labels still choose the weights, and a teacher that is not a finished run or reads longer windows is refused."""
import dataclasses
import json

import numpy as np
import pytest
import torch

from training.head import EmbeddingHead, HeadConfig
from training.head_train import HeadRecipe, _head_step, _teacher


def _model(seed, cfg):
    torch.manual_seed(seed)
    model = EmbeddingHead(cfg)
    return model, torch.optim.AdamW(model.parameters(), lr=1e-3)


def _run(tmp_path, name, cfg, seed):
    torch.manual_seed(seed)
    head = EmbeddingHead(cfg)
    run = tmp_path / name
    run.mkdir()
    (run / "summary.json").write_text(json.dumps({"head": dataclasses.asdict(cfg)}))
    torch.save({"model": head.state_dict()}, run / "last.pt")
    return str(run), head.eval()


def test_targets_equal_to_the_labels_train_exactly_as_the_labels_alone():
    cfg = HeadConfig(gru_hidden=8, gru_layers=1, window=8, stagger=0, dropout=0.0)
    x = np.random.default_rng(1).normal(size=(32, 8, 96)).astype(np.float32)
    y = (np.arange(32) % 4 == 0).astype(np.float32)
    recipe = HeadRecipe()
    losses = []
    for target in (None, y.copy(), np.full_like(y, 0.5)):
        model, opt = _model(3, cfg)
        losses.append(_head_step(model, opt, x, y, 0, 10, 1e-3, recipe, target))
    assert losses[0] == pytest.approx(losses[1], rel=1e-6)
    assert losses[2] != pytest.approx(losses[0], rel=1e-3)


def test_the_teacher_is_the_mean_of_the_runs_heads(tmp_path):
    cfg = HeadConfig(gru_hidden=8, gru_layers=1, window=16, stagger=0)
    (a, head_a), (b, head_b) = _run(tmp_path, "a", cfg, 1), _run(tmp_path, "b", cfg, 2)
    teacher = _teacher(HeadRecipe(teacher=(a, b)), HeadConfig(), log=lambda *_: None)
    x = torch.from_numpy(np.random.default_rng(2).normal(size=(5, 16, 96)).astype(np.float32))
    with torch.no_grad():
        expected = (head_a.probs(x) + head_b.probs(x)) / 2
        assert torch.allclose(teacher.probs(x), expected)
    assert _teacher(HeadRecipe(), HeadConfig(), log=lambda *_: None) is None


def test_a_teacher_that_reads_more_steps_than_the_student_holds_is_refused(tmp_path):
    run, _ = _run(tmp_path, "long", HeadConfig(gru_hidden=8, gru_layers=1, window=24, stagger=0), 1)
    with pytest.raises(ValueError, match="reads 24 steps"):
        _teacher(HeadRecipe(teacher=(run,)), HeadConfig(window=20, stagger=4), log=lambda *_: None)


@pytest.mark.parametrize("weight", [-0.1, 1.5])
def test_a_teacher_weight_outside_zero_to_one_is_refused(weight):
    with pytest.raises(ValueError, match="teacher weight"):
        HeadRecipe(teacher_weight=weight)


def test_a_teacher_folder_without_a_finished_run_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not a finished head run: no summary.json or last.pt"):
        HeadRecipe(teacher=(str(tmp_path),))


def test_windowed_and_staggered_heads_teach_together_each_reading_its_own_window(tmp_path):
    # A short windowed head, so that the steps before its window would change its output (a GRU of 16 steps has
    # forgotten them within allclose's tolerance).
    windowed, staggered = HeadConfig(gru_hidden=8, gru_layers=1, window=4, stagger=0), HeadConfig(gru_hidden=8, gru_layers=1)
    (a, head_a), (b, head_b) = _run(tmp_path, "windowed", windowed, 1), _run(tmp_path, "staggered", staggered, 2)
    teacher = _teacher(HeadRecipe(teacher=(a, b)), HeadConfig(), log=lambda *_: None)
    x = torch.from_numpy(np.random.default_rng(3).normal(size=(5, 20, 96)).astype(np.float32))
    with torch.no_grad():
        expected = (head_a.probs(x[:, -4:]) + head_b.probs(x)) / 2
        assert torch.allclose(teacher.probs(x), expected)
        assert not torch.allclose(teacher.probs(x), (head_a.probs(x) + head_b.probs(x)) / 2)
