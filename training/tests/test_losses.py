"""The max-pooling loss: which steps it asks to fire, which it leaves free, and that it reduces to the held-ones
loss where a clip holds no word."""
import pytest
import torch

from training.losses import held_ones_loss, max_pool_loss, word_windows
from training.recipe import Recipe


def labels(steps, runs):
    y = torch.zeros(1, steps)
    for s, e in runs:
        y[0, s:e] = 1.0
    return y


def test_windows_widen_each_run_of_ones_and_stop_at_the_clip_edges():
    y = torch.cat([labels(40, [(5, 9), (20, 24)]), labels(40, [(0, 3), (37, 40)]), labels(40, [])])
    assert word_windows(y, before=2, after=3) == [[(3, 12), (18, 27)], [(0, 6), (35, 40)], []]


def test_only_the_best_step_of_a_window_learns_to_fire_and_the_rest_of_it_is_free():
    y = labels(30, [(10, 14)])
    logits = torch.full((1, 30), -3.0)
    logits[0, 12] = 1.0  # the window's best step
    logits = logits.requires_grad_()
    max_pool_loss(logits, y, torch.tensor(24.0), before=2, after=4).backward()
    g = logits.grad[0]
    assert g[12] < 0  # pushed up
    window = [j for j in range(8, 18) if j != 12]
    assert torch.all(g[window] == 0)  # free
    outside = [j for j in range(30) if not 8 <= j < 18]
    assert torch.all(g[outside] > 0)  # pushed down


def test_a_step_in_the_window_that_is_not_the_best_costs_nothing_however_high():
    y = labels(30, [(10, 14)])
    low = torch.full((1, 30), -3.0)
    low[0, 12] = 2.0
    high = low.clone()
    high[0, 9] = 1.5  # high, but below the best
    w = torch.tensor(24.0)
    assert max_pool_loss(low, y, w, 2, 4) == pytest.approx(max_pool_loss(high, y, w, 2, 4).item())
    # The same step outside the window costs.
    far = low.clone()
    far[0, 25] = 1.5
    assert max_pool_loss(far, y, w, 2, 4) > max_pool_loss(low, y, w, 2, 4)


def test_without_a_word_it_is_the_held_ones_loss_on_zero_labels():
    g = torch.Generator().manual_seed(1)
    logits = torch.randn(3, 50, generator=g)
    y = torch.zeros(3, 50)
    assert max_pool_loss(logits, y, torch.tensor(24.0), 10, 21).item() == pytest.approx(
        held_ones_loss(logits, y, torch.tensor(2.0)).item(), rel=1e-6)


def test_a_word_weighs_what_its_held_ones_weighed_when_the_model_is_flat():
    # Every step at the same logit: the held-ones loss counts 12 ones at pos_weight 2, the max-pool loss one peak at
    # 2 * 12; the negatives differ only by the window's free steps.
    y = labels(100, [(40, 52)])
    logits = torch.zeros(1, 100)
    held = held_ones_loss(logits, y, torch.tensor(2.0)) * 100
    pooled = max_pool_loss(logits, y, torch.tensor(24.0), before=0, after=0) * 100
    assert pooled.item() == pytest.approx(held.item(), rel=1e-6)


@pytest.mark.parametrize("share", [-0.1, 1.5])
def test_the_recipe_refuses_a_share_outside_0_to_1_by_name(share):
    with pytest.raises(ValueError, match="max pool"):
        Recipe(max_pool=share)


def test_the_recipe_refuses_a_lead_outside_0_to_1_s_by_name():
    with pytest.raises(ValueError, match="max pool lead"):
        Recipe(max_pool_lead_s=-0.1)
