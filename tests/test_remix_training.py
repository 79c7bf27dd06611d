"""ReMix per batch in the CNN trainer: class-balanced batches, mixup, soft labels."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from imbaug.training.image import TrainConfig, _epoch_batches, _training_batch

LABELS = torch.from_numpy(np.repeat([0, 1, 2], [90, 20, 10]))


def _config(**remix):
    return TrainConfig(
        epochs=1, batch_size=30, augment=False, remix={"method": "REMIX", "alpha": 0.2, **remix}
    )


def test_remix_batches_are_class_balanced():
    """A shuffle of this set would give batches of about 22/5/3 rows per class."""
    config = _config()
    batches = _epoch_batches(
        LABELS, config, torch.Generator().manual_seed(0), np.random.default_rng(0)
    )
    assert len(batches) == 4  # ceil(120 / 30): as many steps as a plain epoch
    for batch in batches:
        assert torch.bincount(LABELS[batch], minlength=3).tolist() == [10, 10, 10]


def test_plain_training_and_chou_remix_keep_the_shuffle():
    for remix in (None, {"method": "RemixChou", "alpha": 1.0, "kappa": 3.0, "tau": 0.5}):
        config = TrainConfig(epochs=1, batch_size=30, remix=remix)
        batches = _epoch_batches(
            LABELS, config, torch.Generator().manual_seed(0), np.random.default_rng(0)
        )
        assert sorted(torch.cat(batches).tolist()) == list(range(120))


def test_remix_batch_is_mixed_with_soft_labels():
    config = _config()
    images = torch.arange(120 * 4, dtype=torch.uint8).reshape(120, 1, 2, 2)
    batch_index = torch.arange(0, 120, 4)
    generator = torch.Generator().manual_seed(1)
    x, targets = _training_batch(
        images,
        LABELS,
        batch_index,
        config,
        generator,
        np.random.default_rng(3),
        torch.bincount(LABELS).float(),
    )
    assert targets.shape == (30, 3)
    torch.testing.assert_close(targets.sum(1), torch.ones(30))
    lam = float(np.random.default_rng(3).beta(0.2, 0.2))
    partner = torch.randperm(30, generator=torch.Generator().manual_seed(1))
    plain = images[batch_index].float() / 255
    torch.testing.assert_close(x, lam * plain + (1 - lam) * plain[partner])
    own = torch.nn.functional.one_hot(LABELS[batch_index], 3).float()
    torch.testing.assert_close(targets, lam * own + (1 - lam) * own[partner])


def test_remix_lambdas_follow_beta_alpha():
    """One lam per batch from Beta(alpha, alpha), read off the soft labels of a 3-row batch
    with one row per class (a row paired with another row keeps lam on its own label)."""
    from scipy import stats

    config = _config(alpha=0.2)
    images = torch.zeros(120, 1, 2, 2, dtype=torch.uint8)
    batch_index = torch.tensor([0, 90, 110])
    lam_rng, generator = np.random.default_rng(1), torch.Generator().manual_seed(0)
    lams = []
    for _ in range(400):
        replay = torch.Generator().manual_seed(0)
        replay.set_state(generator.get_state())
        _, targets = _training_batch(
            images, LABELS, batch_index, config, generator, lam_rng, torch.bincount(LABELS).float()
        )
        partner = torch.randperm(3, generator=replay)  # the partner the batch was mixed with
        moved = (partner != torch.arange(3)).nonzero()
        if len(moved):
            row = int(moved[0])
            lams.append(float(targets[row, row]))  # row r has label r
    assert len(lams) > 200
    assert stats.kstest(lams, "beta", args=(0.2, 0.2)).pvalue > 0.01
    assert stats.kstest(lams, "beta", args=(1.0, 1.0)).pvalue < 1e-3  # alpha matters


@pytest.mark.parametrize(
    ("remix", "message"),
    [
        ({"method": "REMIX", "alpha": 0.2, "kappa": 3.0}, "unknown REMIX settings"),
        ({"method": "REMIX"}, "REMIX needs the settings"),
        ({"method": "Mixup", "alpha": 1.0}, "unknown per-batch method"),
    ],
)
def test_remix_config_is_checked(remix, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(remix=remix)


# ------------------------------------------------------------------ the tabular NN


def test_tabular_remix_batches_are_balanced_and_mixed():
    """Mixup keeps each batch's label mass, so the soft targets' column sums are the class
    counts of the drawn batch: equal for a class-balanced batch."""
    from imbaug.training.tabular import _remix_batches

    rng = np.random.default_rng(0)
    inputs = torch.randn(120, 4)
    batches = list(
        _remix_batches(inputs, LABELS, 3, 30, 0.2, rng, torch.Generator().manual_seed(0))
    )
    assert len(batches) == 4
    for x, soft in batches:
        assert x.shape == (30, 4) and soft.shape == (30, 3)
        torch.testing.assert_close(soft.sum(1), torch.ones(30))
        torch.testing.assert_close(soft.sum(0), torch.full((3,), 10.0))


def test_tabular_nn_trains_with_remix_per_batch():
    from imbaug.training.tabular import NNSettings, fit_mlp, predict_mlp

    rng = np.random.default_rng(0)
    y = np.repeat([0, 1], [180, 20])
    X = rng.normal(size=(200, 6)) + y[:, None] * 1.5
    settings = NNSettings(epochs=3, weight_decay=(0.0,), validation_size=0.0)
    plain = fit_mlp(X, y, n_classes=2, settings=settings, seed=0)
    remix = [
        fit_mlp(X, y, n_classes=2, settings=settings, seed=0, remix_alpha=0.2) for _ in range(2)
    ]
    weights = [m.head.weight.detach() for m in (plain, *remix)]
    assert torch.equal(weights[1], weights[2])  # deterministic
    assert not torch.equal(weights[0], weights[1])
    # balanced batches push the minority up: more minority predictions than the plain fit
    assert predict_mlp(remix[0], X).sum() >= predict_mlp(plain, X).sum()
