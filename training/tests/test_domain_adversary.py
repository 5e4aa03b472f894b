"""Domain-adversarial training (HeadRecipe.domain_weight, domain_adversary.py): a real-or-synthesized classifier on the
negatives' GRU output whose gradient reaches the head reversed; off, training draws and learns exactly as before."""
import numpy as np
import pytest
import torch

from training import domain_adversary as da
from training import head_data as hd
from training import head_train as ht
from training.head import EmbeddingHead, HeadConfig

CFG = HeadConfig(gru_hidden=8, gru_layers=1, window=8, stagger=0, dropout=0.0)


def _data():
    rng = np.random.default_rng(5)
    emb = rng.normal(size=(8, hd.CLIP_STEPS, 96)).astype(np.float16)
    ends = np.full((8, 4), -1, np.int64)
    ends[:, 0] = rng.integers(16000, 120000, 8)
    negs = ht.NegativeHours({"real-speech": rng.normal(size=(3, 750, 96)).astype(np.float16),
                             "read-text": (rng.normal(size=(3, 750, 96)) + 1.0).astype(np.float16)})
    return hd.ClipSet(emb, ends), negs


def test_the_reversal_passes_values_and_turns_the_gradient():
    x = torch.randn(5, 3, requires_grad=True)
    y = da.reverse_gradient(x, 0.4)
    assert torch.equal(y, x)
    (y * torch.arange(3.0)).sum().backward()
    assert torch.allclose(x.grad, -0.4 * torch.arange(3.0).expand(5, 3))


def test_the_strength_ramps_from_nothing_to_the_weight():
    s = [da.strength(step, 100, 0.3) for step in range(100)]
    assert s[0] == 0.0
    assert all(b > a for a, b in zip(s, s[1:]))
    assert 0.29 < s[-1] <= 0.3


def test_negative_windows_keep_their_draws_and_name_their_domain():
    _, negs = _data()
    plain = negs.windows(64, 8, np.random.default_rng(3))
    windows, sets = negs.windows_and_sets(64, 8, np.random.default_rng(3))
    assert np.array_equal(plain, windows)
    real = negs.is_real(sets)
    assert set(np.unique(real)) == {0.0, 1.0}
    # The synthesized set was drawn around 1, the real one around 0: each window's label is its set's.
    means = windows.mean(axis=(1, 2))
    assert np.all((means > 0.5) == (real == 0.0))


def test_a_batch_gives_no_domain_to_the_clips_windows():
    clips, negs = _data()
    x, y, domain = ht._batch(clips, negs, 2, 16, 8, ht.HeadRecipe(mine_at=()), np.random.default_rng(1))
    per = ht.HeadRecipe.windows_per_clip
    assert len(x) == len(y) == len(domain) == 2 * per + 16
    assert np.all(domain[:2 * per] == -1)
    assert set(np.unique(domain[2 * per:])) <= {0.0, 1.0}
    assert np.all(y[2 * per:] == 0)


def test_the_head_gets_the_classifiers_gradient_reversed_and_only_from_labelled_windows():
    torch.manual_seed(0)
    head = EmbeddingHead(CFG)
    adversary = da.Adversary(head, 1e-2)
    x = torch.randn(12, 8, 96)
    domain = torch.tensor([-1.0] * 4 + [0.0, 1.0] * 4)
    head.logits(x)
    adversary.loss(domain, 0.5).backward()
    reversed_grads = [p.grad.clone() for p in head.gru.parameters()]
    head.zero_grad()
    # The same classifier without the reversal, on the labelled windows alone.
    feats = head.gru(head.drop((x[4:] - head.emb_mean) / head.emb_std))[0][:, -1]
    torch.nn.functional.binary_cross_entropy_with_logits(adversary.net(feats), domain[4:]).backward()
    for r, g in zip(reversed_grads, head.gru.parameters()):
        assert torch.allclose(r, -0.5 * g.grad, atol=1e-6)
    assert any(g.abs().sum() > 0 for g in reversed_grads)
    adversary.close()
    assert not head.gru._forward_hooks


def _fit(tmp_path, weight, steps=6):
    clips, negs = _data()
    torch.manual_seed(0)
    model, opt = ht._new_head(CFG, clips, 1e-2)
    recipe = ht.HeadRecipe(mine_at=(), domain_weight=weight)
    ckpt = str(tmp_path / f"adv{weight}.pt")
    ht._fit_head(model, opt, clips, negs, 0, steps, 4, 1, CFG, 1e-2, recipe, ckpt, log=lambda *_: None)
    return model, ckpt, recipe


def test_the_run_keeps_the_classifier_in_its_checkpoint_and_leaves_the_head_as_it_exports(tmp_path):
    model, ckpt, recipe = _fit(tmp_path, 0.5)
    assert not model.gru._forward_hooks
    state = torch.load(ckpt)
    assert state["adversary"] is not None
    resumed = ht._adversary(model, recipe, 1e-2, ckpt)
    for k, v in state["adversary"]["net"].items():
        assert torch.equal(resumed.net.state_dict()[k], v)
    resumed.close()
    # Off, nothing is kept, and the head trains as it did without the switch.
    plain, plain_ckpt, _ = _fit(tmp_path, 0.0)
    assert torch.load(plain_ckpt)["adversary"] is None
    assert any(not torch.equal(v, plain.state_dict()[k]) for k, v in model.state_dict().items())


@pytest.mark.parametrize("weight", [-1.0, 10.5, float("nan")])
def test_a_bad_weight_is_refused(weight):
    with pytest.raises(ValueError, match="domain weight"):
        ht.HeadRecipe(domain_weight=weight)
