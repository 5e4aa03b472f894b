"""benchmark judge: each head scores the streams once, the mean of their probabilities is the ensemble, progress shown."""
import os

import numpy as np
import soundfile as sf
import torch

from training import head_judge
from training.head import EmbeddingHead, HeadConfig, HeadEnsemble

SR = 16000


def streams(bench, rng):
    word_dir, neg_dir = bench / "zz", bench / "negatives"
    os.makedirs(word_dir), os.makedirs(neg_dir)
    sf.write(word_dir / "positives.wav", (rng.standard_normal(6 * SR) * 0.05).astype(np.float32), SR, subtype="PCM_16")
    (word_dir / "positives.csv").write_text("file,start_s,end_s\nx.wav,2.0,2.8\n")
    sf.write(neg_dir / "negatives.wav", (rng.standard_normal(12 * SR) * 0.05).astype(np.float32), SR, subtype="PCM_16")


def count_scoring(head, name, calls):
    """The head's own score, noting `name` in `calls` each time a stream is scored."""
    score = head.score

    def counted(emb):
        calls.append(name)
        return score(emb)
    head.score = counted


def test_each_head_scores_once_and_their_mean_is_the_ensemble(tmp_path, monkeypatch):
    monkeypatch.setattr(head_judge, "CACHE_DIR", str(tmp_path / "cache"))
    streams(tmp_path / "bench", np.random.default_rng(0))
    judge = head_judge.Judge(str(tmp_path / "bench"), "zz", log=lambda *_: None)
    torch.manual_seed(0)
    heads = {name: EmbeddingHead(HeadConfig(gru_hidden=8, window=8, stagger=0)).eval() for name in "abc"}
    calls = []
    for name, head in heads.items():
        count_scoring(head, name, calls)
    lines = []
    results = judge.judge(heads, lines.append)
    assert sorted(calls) == ["a", "a", "b", "b", "c", "c"]  # positive and negative stream, once each
    assert list(results) == ["a", "b", "c", "mean of 3"]
    assert [line.split(":")[0].strip() for line in lines] == ["a", "b", "c"] and all("(" in line for line in lines)
    ensemble = judge.score_probs(*judge.probs(HeadEnsemble(list(heads.values()))))
    fa = lambda res: [(r["false_accepts"], r["miss_rate"]) for r in res["rows"]]
    assert fa(results["mean of 3"]) == fa(ensemble)
    assert len(set(fa(ensemble))) > 1  # the heads' scores spread over the thresholds, so the comparison says something
    assert fa(judge.score(heads["b"])) == fa(results["b"]) != fa(results["a"])
    assert os.listdir(tmp_path / "cache")  # the streams' embeddings went to the test's cache, not the repository's


def test_a_heads_scores_are_cached_until_its_files_change(tmp_path, monkeypatch):
    monkeypatch.setattr(head_judge, "CACHE_DIR", str(tmp_path / "cache"))
    streams(tmp_path / "bench", np.random.default_rng(0))
    judge = head_judge.Judge(str(tmp_path / "bench"), "zz", log=lambda *_: None)
    torch.manual_seed(0)
    run = tmp_path / "run"
    os.makedirs(run)

    def save(head):
        import json
        (run / "summary.json").write_text(json.dumps({"head": {"gru_hidden": 8, "window": 8, "stagger": 0}}))
        torch.save({"model": head.state_dict()}, run / "last.pt")
    first = EmbeddingHead(HeadConfig(gru_hidden=8, window=8, stagger=0)).eval()
    save(first)
    loads = []
    load = head_judge.load_source
    monkeypatch.setattr(head_judge, "load_source", lambda s: loads.append(s) or load(s))
    pos, neg = judge.source_probs(str(run))
    assert np.array_equal(pos, first.score(judge.pos)) and np.array_equal(neg, first.score(judge.neg))
    again = judge.source_probs(str(run))
    assert len(loads) == 1 and all(np.array_equal(x, y) for x, y in zip(again, (pos, neg)))
    # The run trained again in place: its new head is scored, not the old scores read.
    second = EmbeddingHead(HeadConfig(gru_hidden=8, window=8, stagger=0)).eval()
    save(second)
    os.utime(run / "last.pt", ns=(1, 1))
    new = judge.source_probs(str(run))
    assert len(loads) == 2 and np.array_equal(new[1], second.score(judge.neg)) and not np.array_equal(new[1], neg)
    # judge() takes the run folder itself and gives the same result as the head.
    fa = lambda res: [(r["false_accepts"], r["miss_rate"]) for r in res["rows"]]
    assert fa(judge.judge({"r": str(run)}, lambda *_: None)["r"]) == fa(judge.score(second))
