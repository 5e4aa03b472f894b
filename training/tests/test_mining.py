"""Hard-negative mining: which utterances it keeps, and the training path that uses them."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

from training.bank import Bank
from training.features import FeatureSpec
from training.mining import mine, mining_pool
from training.model import ModelConfig, TriggerModel
from training.recipe import Recipe

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))


def tiny_bank(seed=0, n=30):
    rng = np.random.default_rng(seed)
    utt = lambda: (rng.standard_normal(int(rng.uniform(0.3, 1.2) * 16000)) * 0.1).astype(np.float32)
    return Bank(neg=[utt() for _ in range(n)], real_neg=[utt() for _ in range(5)], speech=[utt() for _ in range(3)],
                noise=[rng.standard_normal(3 * 16000).astype(np.float32)])


def model_with_bias(bias):
    torch.manual_seed(0)
    m = TriggerModel(ModelConfig(conv_channels=8, gru_hidden=8, gru_layers=1))
    with torch.no_grad():
        m.head.bias.fill_(bias)
    return m


def test_a_model_that_fires_everywhere_yields_the_cap_highest_first():
    bank = tiny_bank()
    hard = mine(model_with_bias(20.0), bank, FeatureSpec(), seed=1, min_prob=0.3, cap=10, log=lambda *_: None)
    assert hard["stats"]["pool"] == len(mining_pool(bank)) == 38
    assert hard["stats"]["kept"] == len(hard["audio"]) == 10
    assert all(s >= 0.3 for s in hard["scores"])
    assert hard["scores"] == sorted(hard["scores"], reverse=True)
    pool_ids = {id(u) for u in mining_pool(bank)}
    assert all(id(u) in pool_ids for u in hard["audio"])  # the utterances themselves, not new audio


def test_a_model_that_never_fires_yields_nothing():
    hard = mine(model_with_bias(-20.0), tiny_bank(), FeatureSpec(), seed=1, min_prob=0.3, cap=10, log=lambda *_: None)
    assert hard["audio"] == [] and hard["stats"]["kept"] == 0
    assert hard["stats"]["above"]["0.1"] == 0


def test_an_empty_pool_is_refused_by_name():
    bank = Bank()
    with pytest.raises(ValueError, match="no negative utterances"):
        mine(model_with_bias(0.0), bank, FeatureSpec(), seed=1, min_prob=0.3, cap=10)


@pytest.mark.parametrize("kw, msg", [({"hard_negatives": 1.5}, "hard negatives 1.5"), ({"mine_at": 1.0}, "mine at 1.0"),
                                     ({"mine_min_prob": 0.0}, "mining probability 0.0"), ({"mine_cap": 0}, "mining cap 0"),
                                     ({"select": "best"}, "select 'best'")])
def test_bad_mining_settings_are_named(kw, msg):
    with pytest.raises(ValueError, match=msg):
        Recipe(**kw)


def test_training_mines_once_at_its_step_and_records_it(tmp_path):
    run = tmp_path / "run"
    args = [sys.executable, "-m", "training", "train", "--frontend", "logmel", "--word", "computer", "--smoke", "--no-real-data", "--steps", "4",
            "--batch", "2", "--scale", "0.02", "--eval-every", "4", "--workers", "0", "--out", str(tmp_path / "w.onnx"),
            "--run-dir", str(run), "--hard-negatives", "0.5", "--mine-at", "0.5", "--mine-min-prob", "0.01",
            "--select", "last"]
    r = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=170)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "mining hard negatives at step 2" in r.stdout
    summary = json.load(open(run / "summary.json"))["summary"]
    assert summary["recipe"]["hard_negatives"] == 0.5
    assert summary["recipe"]["select"] == "last" and summary["best_step"] == 4
    assert summary["hard_negatives"]["step"] == 2 and summary["hard_negatives"]["pool"] > 0
    assert (run / "hard-negatives.pkl").exists()  # a resumed run reads the pool back instead of mining again
