"""The tabular NN trainer: same results as a plain per-model Adam loop, settings chosen on
validation rows only, determinism, one thread during a fit."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.datasets import make_classification
from torch.nn import functional as F

from imbaug.models.mlp import TabularMLP
from imbaug.training import tabular
from imbaug.training.tabular import NNSettings, fit_mlp, predict_mlp, select_mlp_settings


def _data(n=400, d=12, minority=0.15, seed=0):
    X, y = make_classification(
        n_samples=n,
        n_features=d,
        n_informative=6,
        weights=[1 - minority],
        flip_y=0,
        class_sep=1.5,
        random_state=seed,
    )
    return X.astype(np.float32), y.astype(np.int64)


def _plain_adam_fit(X, y, *, epochs, batch_size, lr, weight_decay, seed, soft=None, weight=None):
    """The textbook loop the stacked trainer must equal: one model, torch Adam's own decay."""
    torch.manual_seed(seed)
    model = TabularMLP(X.shape[1], 2)
    inputs = torch.as_tensor(X)
    targets = torch.as_tensor(y) if soft is None else torch.as_tensor(soft, dtype=torch.float32)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    generator = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        for batch in torch.randperm(len(inputs), generator=generator).split(batch_size):
            loss = F.cross_entropy(model(inputs[batch]), targets[batch], weight=weight)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model


@pytest.mark.parametrize("case", ["hard", "soft", "cost_sensitive"])
def test_fixed_settings_fit_equals_a_plain_adam_loop(case):
    X, y = _data()
    soft = np.eye(2)[y] * 0.8 + 0.1 if case == "soft" else None
    counts = np.bincount(y)
    weight = (
        torch.tensor(len(y) / (2 * counts), dtype=torch.float32)
        if case == "cost_sensitive"
        else None
    )
    settings = NNSettings(epochs=3, batch_size=64, lr=1e-2, weight_decay=0.03, validation_size=0)
    ours = fit_mlp(
        X,
        y,
        n_classes=2,
        settings=settings,
        seed=5,
        soft_targets=soft,
        cost_sensitive=case == "cost_sensitive",
    )
    plain = _plain_adam_fit(
        X, y, epochs=3, batch_size=64, lr=1e-2, weight_decay=0.03, seed=5, soft=soft, weight=weight
    )
    for a, b in zip(ours.parameters(), plain.parameters()):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)


def test_stacked_candidates_train_like_separate_fits():
    """Copy g of the stacked grid is the fit with weight decay g alone."""
    X, y = _data()
    settings = NNSettings(epochs=2, batch_size=50, lr=1e-2, weight_decay=0.0, validation_size=0)
    stacked, _ = tabular._train_stacked(
        X, y, n_classes=2, settings=settings, decays=[0.0, 0.1], epochs=2, seed=1
    )
    for copy, decay in enumerate([0.0, 0.1]):
        alone = _plain_adam_fit(X, y, epochs=2, batch_size=50, lr=1e-2, weight_decay=decay, seed=1)
        model = stacked.load_into(TabularMLP(X.shape[1], 2), copy)
        for a, b in zip(model.parameters(), alone.parameters()):
            torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)


def test_three_classes_with_weights_and_decays_train_like_separate_fits():
    """Stacked copies with per-copy decays and a class-weighted loss train like the plain loop,
    for more than two classes too."""
    X, y = make_classification(
        n_samples=300,
        n_features=9,
        n_informative=6,
        n_classes=3,
        weights=[0.6, 0.3],
        random_state=4,
    )
    X, y = X.astype(np.float32), y.astype(np.int64)
    weight = torch.tensor(len(y) / (3 * np.bincount(y)), dtype=torch.float32)
    settings = NNSettings(epochs=2, batch_size=64, lr=1e-2, weight_decay=0.0, validation_size=0)
    stacked, _ = tabular._train_stacked(
        X,
        y,
        n_classes=3,
        settings=settings,
        decays=[0.05, 0.0],
        epochs=2,
        seed=2,
        cost_sensitive=True,
    )
    for copy, decay in enumerate([0.05, 0.0]):
        torch.manual_seed(2)
        alone = TabularMLP(X.shape[1], 3)
        optimizer = torch.optim.Adam(alone.parameters(), lr=1e-2, weight_decay=decay)
        generator = torch.Generator().manual_seed(2)
        for _ in range(2):
            for batch in torch.randperm(len(X), generator=generator).split(64):
                loss = F.cross_entropy(
                    alone(torch.as_tensor(X[batch])), torch.as_tensor(y[batch]), weight=weight
                )
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
        model = stacked.load_into(TabularMLP(X.shape[1], 3), copy)
        for a, b in zip(model.parameters(), alone.parameters()):
            torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)


def test_validation_scores_are_each_copys_balanced_accuracy():
    """The per-epoch validation score of copy g is sklearn's balanced accuracy of copy g's
    network (argmax ties to the first class, as torch's argmax)."""
    from sklearn.metrics import balanced_accuracy_score

    X, y = make_classification(
        n_samples=400, n_features=8, n_informative=5, n_classes=3, random_state=1
    )
    X, y = X.astype(np.float32), y.astype(np.int64)
    settings = NNSettings(epochs=3, batch_size=32, lr=1e-2, weight_decay=0.0, validation_size=0)
    stacked, scores = tabular._train_stacked(
        X[:300],
        y[:300],
        n_classes=3,
        settings=settings,
        decays=[0.0, 0.5],
        epochs=3,
        seed=0,
        validation=(X[300:], y[300:]),
    )
    assert scores.shape == (3, 2)
    for copy in range(2):
        model = stacked.load_into(TabularMLP(X.shape[1], 3), copy)
        expected = balanced_accuracy_score(y[300:], predict_mlp(model.eval(), X[300:]))
        assert scores[-1, copy] == pytest.approx(expected, abs=1e-6)


def test_selection_sees_only_validation_rows_of_the_training_part(monkeypatch):
    X, y = _data()
    seen = {}

    def spy(X_fit, y_fit, *, validation, **kwargs):
        seen["fit"], seen["val"] = X_fit, validation[0]
        scores = np.zeros((kwargs["epochs"], len(kwargs["decays"])))
        scores[6, 1] = 1.0  # candidate 1 at its 7th epoch is best
        return None, scores

    monkeypatch.setattr(tabular, "_train_stacked", spy)
    settings = NNSettings(epochs=10, weight_decay=(0.0, 0.01, 0.1), validation_size=0.25)
    chosen = select_mlp_settings(X, y, n_classes=2, settings=settings, seed=0)
    assert chosen.epochs == 7 and chosen.weight_decay == (0.01,) and not chosen.needs_selection
    assert len(seen["val"]) == 100 and len(seen["fit"]) == 300
    rows = {tuple(r) for r in X}
    fit_rows, val_rows = {tuple(r) for r in seen["fit"]}, {tuple(r) for r in seen["val"]}
    assert not fit_rows & val_rows and fit_rows | val_rows == rows


def test_ties_prefer_larger_weight_decay_then_fewer_epochs():
    scores = np.array([[0.5, 0.5], [0.8, 0.8], [0.8, 0.8]])
    assert tabular._best(scores, [0.0, 0.1]) == (1, 1)
    assert tabular._best(scores, [0.1, 0.0]) == (1, 0)


def test_selection_lifts_the_base_nn_off_the_majority_class():
    """The old fixed setting (wd 0.03, 40 epochs) predicts only the majority on this 1:24 set
    (38 minority training rows), as it did on ozone_level and thyroid_sick; the settings
    chosen on validation rows find the minority."""
    X, y = make_classification(
        n_samples=1200,
        n_features=10,
        n_informative=6,
        weights=[0.96],
        flip_y=0,
        class_sep=1.0,
        random_state=2,
    )
    X = X.astype(np.float32)
    X_test, y_test = X[900:], y[900:]
    X, y = X[:900], y[:900]
    from sklearn.metrics import balanced_accuracy_score

    old = fit_mlp(
        X,
        y,
        n_classes=2,
        seed=0,
        settings=NNSettings(
            epochs=40, batch_size=128, lr=1e-3, weight_decay=0.03, validation_size=0
        ),
    )
    chosen = fit_mlp(X, y, n_classes=2, seed=0, settings=NNSettings(epochs=40))
    old_bac = balanced_accuracy_score(y_test, predict_mlp(old, X_test))
    new_bac = balanced_accuracy_score(y_test, predict_mlp(chosen, X_test))
    assert old_bac == 0.5 and new_bac > 0.7


def test_fit_is_deterministic_and_leaves_threads_and_global_seed_alone():
    X, y = _data()
    torch.set_num_threads(2)
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    settings = NNSettings(epochs=4, weight_decay=(0.0, 0.01), validation_size=0.2)
    first = fit_mlp(X, y, n_classes=2, settings=settings, seed=3)
    assert torch.equal(torch.rand(1), before)  # the caller's random stream is untouched
    assert torch.get_num_threads() == 2
    second = fit_mlp(X, y, n_classes=2, settings=settings, seed=3)
    for a, b in zip(first.parameters(), second.parameters()):
        assert torch.equal(a, b)


def test_fit_uses_the_configured_thread_count(monkeypatch):
    X, y = _data(n=100)
    counts = []
    original = tabular._train_stacked

    def spy(*args, **kwargs):
        counts.append(torch.get_num_threads())
        return original(*args, **kwargs)

    monkeypatch.setattr(tabular, "_train_stacked", spy)
    fit_mlp(
        X,
        y,
        n_classes=2,
        seed=0,
        settings=NNSettings(epochs=1, weight_decay=0.0, validation_size=0),
    )
    assert counts == [1]


def test_settings_validation_names_the_config_key():
    assert NNSettings(weight_decay=[0.0, 0.1]).weight_decay == (0.0, 0.1)  # YAML lists
    assert NNSettings(weight_decay=0.03, validation_size=0).weight_decay == (0.03,)
    with pytest.raises(ValueError, match="tabular.nn.*validation_size 0"):
        NNSettings(weight_decay=(0.0, 0.1), validation_size=0)
    with pytest.raises(ValueError, match="tabular.nn.weight_decay"):
        NNSettings(weight_decay=-1.0)
    with pytest.raises(ValueError, match="tabular.nn.validation_size"):
        NNSettings(validation_size=1.0)
    with pytest.raises(ValueError, match="class 1 has 1 training rows"):
        select_mlp_settings(
            np.zeros((5, 2)), np.array([0, 0, 0, 0, 1]), n_classes=2, settings=NNSettings(), seed=0
        )
