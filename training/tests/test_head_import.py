"""A head read back from its ONNX file (head_import): the torch model it was exported from, so a shipped model can
teach (`train --teacher models/computer.onnx`) and be judged (`benchmark judge --run models/computer.onnx`)."""
import json
import os

import numpy as np
import pytest
import torch

from training.head import EmbeddingHead, HeadConfig, HeadEnsemble, export_head, head_metadata
from training.head_import import load_head_file
from training.head_judge import load_runs
from training.head_train import HeadRecipe, _teacher

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))


def _export(model, path, summary=None):
    export_head(model.eval(), str(path), head_metadata(model, "computer", "0.0.1", "0" * 64, 0.5, 5, 1.0,
                                                     summary or {"note": "test"}))
    return str(path)


def _heads(cfg, seeds):
    out = []
    for s in seeds:
        torch.manual_seed(s)
        h = EmbeddingHead(cfg)
        with torch.no_grad():  # normalisation that is not the identity, so a lost mean or std shows
            h.emb_mean.normal_()
            h.emb_std.uniform_(0.5, 2.0)
        out.append(h.eval())
    return out


@pytest.mark.parametrize("name", ["tiny_head", "tiny_staggered_head", "tiny_staggered_ensemble"])
def test_the_tiny_head_files_give_trainings_golden_probabilities(name):
    with open(os.path.join(ROOT, "tests", "data", "golden", f"{name}_forward.json")) as f:
        golden = json.load(f)
    head = load_head_file(os.path.join(ROOT, "tests", "data", "models", f"{name}.onnx"))
    emb = np.array(golden["embeddings"], np.float32).reshape(-1, golden["embedding_dim"])
    np.testing.assert_allclose(head.score(emb), np.array(golden["probs"], np.float32), atol=1e-5)


@pytest.mark.parametrize("layers,count,stagger", [(2, 1, 0), (2, 3, 0), (1, 2, 0), (2, 1, 4), (2, 3, 4), (1, 2, 3)])
def test_a_head_or_ensemble_written_and_read_back_scores_as_before(tmp_path, layers, count, stagger):
    cfg = HeadConfig(gru_hidden=8, gru_layers=layers, window=12, stagger=stagger, dropout=0.0)
    heads = _heads(cfg, range(1, count + 1))
    model = heads[0] if count == 1 else HeadEnsemble(heads)
    back = load_head_file(_export(model, tmp_path / "m.onnx"))
    assert type(back) is type(model) and back.cfg == model.cfg
    emb = np.random.default_rng(4).normal(size=(60, 96)).astype(np.float32)
    np.testing.assert_allclose(back.score(emb), model.score(emb), atol=1e-6)
    if count > 1:  # each head its own, not the first one's weights repeated (the mean would hide a swap, not this)
        x = torch.from_numpy(emb[:12][None])
        with torch.no_grad():
            assert [float(h.probs(x)) for h in back.heads] == pytest.approx([float(h.probs(x)) for h in heads], abs=1e-6)


def test_a_model_file_teaches_as_its_heads_do_and_joins_run_folders(tmp_path):
    cfg = HeadConfig(gru_hidden=8, gru_layers=1, window=16, stagger=0, dropout=0.2)
    a, b, c = _heads(cfg, [1, 2, 3])
    summary = {"ensemble_of": 2, "runs": [{"head": {"dropout": 0.2}}]}
    path = _export(HeadEnsemble([a, b]), tmp_path / "ab.onnx", summary)
    run = tmp_path / "c"
    run.mkdir()
    (run / "summary.json").write_text(json.dumps({"head": {**cfg.__dict__}}))
    torch.save({"model": c.state_dict()}, run / "last.pt")
    teacher = _teacher(HeadRecipe(teacher=(path, str(run))), HeadConfig(), log=lambda *_: None)
    assert len(teacher.heads) == 3
    x = torch.from_numpy(np.random.default_rng(5).normal(size=(4, 16, 96)).astype(np.float32))
    with torch.no_grad():
        assert torch.allclose(teacher.probs(x), (a.probs(x) + b.probs(x) + c.probs(x)) / 3, atol=1e-6)
    assert load_runs([path]).cfg.window == 16


def test_files_that_cannot_teach_are_refused_by_name(tmp_path):
    with pytest.raises(ValueError, match="no such model file"):
        HeadRecipe(teacher=(str(tmp_path / "missing.onnx"),))
    cfg = HeadConfig(gru_hidden=8, gru_layers=1, window=12, stagger=4, dropout=0.0)
    liar = _export(HeadEnsemble(_heads(cfg, [1, 2])), tmp_path / "liar.onnx")
    import onnx
    m = onnx.load(liar)
    next(p for p in m.metadata_props if p.key == "model.heads").value = "3"
    onnx.save(m, liar)
    with pytest.raises(ValueError, match="not the 3 x 8 its metadata says"):
        load_head_file(liar)
    with pytest.raises(ValueError, match="not a head on the speech embedding"):
        load_head_file(os.path.join(ROOT, "tests", "data", "models", "tiny.onnx"))


def test_the_shipped_model_read_back_scores_as_the_csharp_runtime_does(wakeword_cli):
    """models/computer.onnx (2.1.0, three staggered heads packed in one graph) through torch's front end and the heads read back, against
    `wakeword detect --scores` on a real recording: what a student distilled from the file learns from."""
    import subprocess
    import soundfile as sf
    from training.frontend import speech_embedding as se
    wav = os.path.join(ROOT, "tests", "data", "audio", "computer_real_1.wav")
    model = os.path.join(ROOT, "models", "computer.onnx")
    r = subprocess.run([wakeword_cli, "detect", wav, "--model", model, "--scores", "--json"], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    csharp = np.array([json.loads(line)["prob"] for line in r.stdout.splitlines() if '"type":"score"' in line])
    audio, _ = sf.read(wav, dtype="float32")
    with torch.no_grad():
        emb = se.SpeechEmbedding.from_npm().embed_clips(torch.from_numpy(audio[None]))[0].numpy()
    torch_probs = load_head_file(model).score(emb)
    assert len(csharp) == len(torch_probs) > 40
    np.testing.assert_allclose(torch_probs, csharp, atol=2e-3)
    assert csharp.max() > 0.8  # the word is heard: the comparison is not of near-zeros only
