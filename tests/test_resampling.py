from __future__ import annotations

import logging
import re

import numpy as np
import pytest
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.neighbors import NearestNeighbors
from sklearn.svm import SVC

from imbaug.resampling import (
    BUILTIN,
    EOS,
    BalancedSVM,
    RemixChou,
    Resampled,
    min_class_size,
    remix_label_weight,
    resample,
)

# Every setting a method can take, as the workflow passes them.
SETTINGS = {
    "random_state": 0,
    "k_neighbors": 5,
    "eos_k": 10,
    "remix_alpha": 0.2,
    "remix_kappa": 3.0,
    "remix_tau": 0.5,
}
EXACTLY_BALANCED = [name for name, spec in BUILTIN.items() if spec.exact_balance]
KEEPS_ORIGINALS = [name for name, spec in BUILTIN.items() if spec.keeps_originals]
INTERPOLATING = ["SMOTE", "ADASYN", "BSMOTE", "BalSVM", "RemixChou", "EOS", "DSM"]


def run(method, X, y, **overrides):
    """resample() with every setting given, as the pipelines call it."""
    return resample(method, X, y, **{**SETTINGS, **overrides})


def test_the_registry_marks_the_exactly_balancing_methods():
    assert set(EXACTLY_BALANCED) == {"ROS", "SMOTE", "BSMOTE", "REMIX", "EOS", "DSM"}


@pytest.fixture(scope="module")
def data():
    """Three overlapping classes of 210, 60 and 30 rows."""
    X, y = make_classification(
        n_samples=300,
        n_features=5,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        weights=[0.7, 0.2, 0.1],
        class_sep=0.8,
        flip_y=0,
        random_state=0,
    )
    assert np.bincount(y).tolist() == [210, 60, 30]
    return X, y


@pytest.fixture(scope="module")
def separated():
    """60 majority rows near the origin, 20 minority rows far away (no enemy nearby)."""
    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal(0, 1, (60, 2)), rng.normal(100, 1, (20, 2))])
    y = np.repeat([0, 1], [60, 20])
    return X, y


@pytest.fixture(scope="module")
def eos_run(data):
    X, y = data
    sampler = EOS(k_neighbors=7, random_state=3)
    X2, y2 = sampler.fit_resample(X, y)
    return sampler, X2, y2


# ---------------------------------------------------------------- resample(): counts, provenance


@pytest.mark.parametrize("method", EXACTLY_BALANCED)
def test_resample_fills_every_class_to_the_majority_count(data, method):
    X, y = data
    out = run(method, X, y)
    assert np.bincount(out.y).tolist() == [210, 210, 210]
    assert out.X.shape == (630, 5)


def test_adasyn_balances_up_to_rounding(data):
    X, y = data
    counts = np.bincount(run("ADASYN", X, y).y)
    assert counts[0] == 210
    assert np.all(np.abs(counts[1:] - 210) <= 10)


@pytest.mark.parametrize("method", ["Base", "CS"])
def test_no_resampling_methods_return_the_input(data, method):
    X, y = data
    out = run(method, X, y)
    np.testing.assert_array_equal(out.X, X)
    np.testing.assert_array_equal(out.y, y)
    np.testing.assert_array_equal(out.source_index, np.arange(300))
    assert not out.synthetic.any()
    assert out.soft_labels is None


@pytest.mark.parametrize("method", KEEPS_ORIGINALS)
def test_originals_come_first_and_appended_rows_are_synthetic(data, method):
    X, y = data
    out = run(method, X, y)
    np.testing.assert_array_equal(out.X[:300], X)
    np.testing.assert_array_equal(out.y[:300], y)
    np.testing.assert_array_equal(out.source_index[:300], np.arange(300))
    assert not out.synthetic[:300].any()
    assert out.synthetic[300:].all()
    assert out.y.dtype == np.int64 and out.source_index.dtype == np.int64


@pytest.mark.parametrize("method", INTERPOLATING)
def test_interpolated_rows_have_no_source(data, method):
    X, y = data
    out = run(method, X, y)
    assert len(out.y) > 300
    assert (out.source_index[300:] == -1).all()


def test_ros_duplicates_point_to_their_source_row(data):
    X, y = data
    out = run("ROS", X, y)
    copies = out.source_index[300:]
    assert (copies >= 0).all()
    np.testing.assert_array_equal(out.X[300:], X[copies])
    np.testing.assert_array_equal(out.y[300:], y[copies])
    assert set(np.unique(y[copies])) == {1, 2}


def test_to_frame_is_the_provenance_table(data):
    X, y = data
    frame = run("ROS", X, y).to_frame()
    assert list(frame.columns) == [
        "row",
        "label",
        "source_index",
        "synthetic",
        "first_parent",
        "second_parent",
        "parent_weight",
    ]
    assert len(frame) == 630
    assert frame["row"].tolist() == list(range(630))
    assert frame["synthetic"].sum() == 330
    assert frame.loc[5, "source_index"] == 5 and frame.loc[5, "label"] == y[5]


@pytest.mark.parametrize("method", ["REMIX", "RemixChou"])
def test_remix_resample_carries_soft_labels(data, method):
    X, y = data
    out = run(method, X, y)
    assert out.soft_labels.shape == (630, 3)
    np.testing.assert_allclose(out.soft_labels.sum(axis=1), 1.0)


def test_resampled_rejects_fields_of_different_lengths():
    with pytest.raises(ValueError, match="different numbers of rows"):
        Resampled(np.zeros((3, 2)), np.zeros(3, np.int64), np.arange(2), np.zeros(3, bool))


def test_resample_keeps_float32(data):
    X, y = data
    out = run("SMOTE", X.astype(np.float32), y)
    assert out.X.dtype == np.float32


def test_resample_on_ozone_level(imblearn_cache):
    from imblearn.datasets import fetch_datasets

    bunch = fetch_datasets(
        data_home=str(imblearn_cache), filter_data=("ozone_level",), download_if_missing=False
    )["ozone_level"]
    X, y = bunch.data, bunch.target
    assert np.unique(y, return_counts=True)[1].tolist() == [2463, 73]
    for method in ("EOS", "SMOTE"):
        out = run(method, X, y)
        assert np.unique(out.y, return_counts=True)[1].tolist() == [2463, 2463]
        assert out.synthetic.sum() == 2463 - 73
        assert (out.y[out.synthetic] == 1).all()


# ---------------------------------------------------------------- resample(): errors


def test_unknown_method_lists_valid_names(data):
    X, y = data
    with pytest.raises(
        ValueError, match="Unknown resampling method .SMOTE2.; valid names: Base, CS, Balanced, ROS"
    ):
        run("SMOTE2", X, y)


def test_too_small_class_is_named_with_counts():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(24, 3))
    y = np.repeat([0, 1], [20, 4])
    expected = "SMOTE needs at least 6 rows of class 1 (k_neighbors=5 + 1); it has 4."
    with pytest.raises(ValueError, match=re.escape(expected)):
        run("SMOTE", X, y)
    assert np.bincount(run("SMOTE", X, y, k_neighbors=3).y).tolist() == [20, 20]


def test_eos_accepts_a_tiny_class_but_not_a_tiny_data_set():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(22, 3))
    y = np.repeat([0, 1], [20, 2])
    assert np.bincount(run("EOS", X, y, eos_k=10).y).tolist() == [20, 20]
    with pytest.raises(ValueError, match="EOS needs at least 2 rows of class 1; it has 1"):
        run("EOS", X[:-1], y[:-1])
    with pytest.raises(ValueError, match="more than 30 rows in total; it has 22"):
        run("EOS", X, y, eos_k=30)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_features_are_rejected(data, bad):
    X, y = data
    X = X.copy()
    X[7, 2] = bad
    with pytest.raises(ValueError, match="NaN or infinite"):
        run("SMOTE", X, y)


def test_single_class_is_rejected(data):
    X, _ = data
    with pytest.raises(ValueError, match="single class"):
        run("ROS", X, np.zeros(300, dtype=int))


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("Base", 1),
        ("CS", 1),
        ("Balanced", 1),
        ("ROS", 1),
        ("REMIX", 1),
        ("RemixChou", 1),
        ("SMOTE", 8),
        ("ADASYN", 8),
        ("BSMOTE", 8),
        ("BalSVM", 8),
        ("DSM", 8),
        ("EOS", 2),
    ],
)
def test_min_class_size(method, expected):
    assert min_class_size(method, k_neighbors=7, eos_k=50) == expected


def test_min_class_size_rejects_unknown_method():
    with pytest.raises(ValueError, match="valid names"):
        min_class_size("nope")


def test_bsmote_without_danger_falls_back_to_smote(separated, caplog):
    X, y = separated
    with caplog.at_level(logging.WARNING, logger="imbaug.resampling"):
        out = run("BSMOTE", X, y, random_state=4)
    assert "plain SMOTE" in caplog.text
    assert np.bincount(out.y).tolist() == [60, 60]
    smote_X, _ = SMOTE(sampling_strategy={1: 60}, random_state=4).fit_resample(X, y)
    np.testing.assert_array_equal(out.X, smote_X)


def test_adasyn_without_enemies_raises_a_clear_error(separated):
    X, y = separated
    with pytest.raises(ValueError, match="ADASYN cannot over-sample"):
        run("ADASYN", X, y)


# ---------------------------------------------------------------- EOS


def test_eos_synthetic_rows_lie_on_the_recorded_segments(data, eos_run):
    X, y = data
    sampler, X2, y2 = eos_run
    base, partner, steps = sampler.base_indices_, sampler.partner_indices_, sampler.steps_
    assert len(base) == len(partner) == len(steps) == 330
    expected = X[base] + steps[:, None] * (X[partner] - X[base])
    np.testing.assert_allclose(X2[300:], expected, rtol=0, atol=1e-12)
    assert ((steps >= 0) & (steps < 1)).all()
    np.testing.assert_array_equal(y2[300:], y[base])
    assert np.bincount(y2[300:]).tolist() == [0, 150, 180]


def test_eos_partner_is_an_enemy_among_the_base_neighbours(data, eos_run):
    X, y = data
    sampler, _, _ = eos_run
    base, partner = sampler.base_indices_, sampler.partner_indices_
    neighbours = NearestNeighbors(n_neighbors=8).fit(X).kneighbors(X[base], return_distance=False)
    assert (neighbours[:, 0] == base).all()  # no duplicate rows in this data
    assert (neighbours[:, 1:] == partner[:, None]).any(axis=1).all()
    assert (y[partner] != y[base]).all()
    assert sampler.fallback_classes_ == []


def test_eos_draws_bases_only_among_rows_with_an_enemy(data, eos_run):
    X, y = data
    sampler, _, _ = eos_run
    neighbours = NearestNeighbors(n_neighbors=8).fit(X).kneighbors(X, return_distance=False)[:, 1:]
    has_enemy = (y[neighbours] != y[:, None]).any(axis=1)
    candidates = np.flatnonzero(has_enemy & (y > 0))
    assert 0 < len(candidates) < 90  # some minority rows are safe, so this is a real check
    assert set(sampler.base_indices_) <= set(candidates)


def test_eos_is_deterministic_given_random_state(data):
    X, y = data
    first, _ = EOS(random_state=5).fit_resample(X, y)
    again, _ = EOS(random_state=5).fit_resample(X, y)
    other, _ = EOS(random_state=6).fit_resample(X, y)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_eos_keeps_float32(data):
    X, y = data
    X2, _ = EOS().fit_resample(X.astype(np.float32), y)
    assert X2.dtype == np.float32


def test_eos_respects_a_sampling_strategy_dict(data):
    X, y = data
    sampler = EOS(sampling_strategy={2: 100}, random_state=0)
    X2, y2 = sampler.fit_resample(X, y)
    assert np.bincount(y2).tolist() == [210, 60, 100]
    assert (y[sampler.base_indices_] == 2).all()


def test_eos_works_in_an_imblearn_pipeline(data):
    X, y = data
    model = Pipeline([("eos", EOS(k_neighbors=5)), ("clf", DummyClassifier(strategy="prior"))])
    model.fit(X, y)
    np.testing.assert_allclose(model.named_steps["clf"].class_prior_, [1 / 3] * 3)


def test_eos_validates_parameters(data):
    X, y = data
    with pytest.raises(ValueError, match="k_neighbors"):
        EOS(k_neighbors=0).fit_resample(X, y)


def test_eos_falls_back_to_nearest_enemies_and_warns(separated, caplog):
    X, y = separated
    sampler = EOS(k_neighbors=5, random_state=0)
    with caplog.at_level(logging.WARNING, logger="imbaug.resampling"):
        X2, y2 = sampler.fit_resample(X, y)
    assert "falling back" in caplog.text
    assert sampler.fallback_classes_ == [1]
    assert np.bincount(y2).tolist() == [60, 60]
    base, partner = sampler.base_indices_, sampler.partner_indices_
    assert (y[base] == 1).all()
    majority = np.flatnonzero(y == 0)
    nearest = majority[np.argmin(((X[base][:, None] - X[majority][None]) ** 2).sum(-1), axis=1)]
    np.testing.assert_array_equal(partner, nearest)
    expected = X[base] + sampler.steps_[:, None] * (X[partner] - X[base])
    np.testing.assert_allclose(X2[80:], expected, rtol=0, atol=1e-12)


# ---------------------------------------------------------------- Chou et al.'s Remix


N_I = [300, 300, 10, 10, 100, 200, 90]
N_J = [100, 100, 100, 100, 100, 100, 30]
LAM = [0.2, 0.7, 0.8, 0.3, 0.4, 0.1, 0.49]
# kappa=3, tau=0.5: 300/100 >= 3 and 0.2 < 0.5 -> 0; 0.7 not < tau -> lam; 10/100 <= 1/3 and
# 1-0.8 < 0.5 -> 1; 1-0.3 not < tau -> lam; ratio 1 and 2 -> lam; 90/30 = 3 >= kappa -> 0.
EXPECTED_WEIGHT = [0.0, 0.7, 1.0, 0.3, 0.4, 0.1, 0.0]


def test_remix_label_weight_known_answers_numpy():
    weight = remix_label_weight(np.array(N_I), np.array(N_J), np.array(LAM), 3.0, 0.5)
    np.testing.assert_allclose(weight, EXPECTED_WEIGHT)


def test_remix_label_weight_known_answers_torch():
    torch = pytest.importorskip("torch")
    lam = torch.tensor(LAM, dtype=torch.float32)
    weight = remix_label_weight(torch.tensor(N_I), torch.tensor(N_J), lam, 3.0, 0.5)
    assert isinstance(weight, torch.Tensor) and weight.dtype == torch.float32
    np.testing.assert_allclose(weight.numpy(), EXPECTED_WEIGHT, rtol=1e-6)


def test_remix_label_weight_on_python_scalars():
    assert remix_label_weight(300, 100, 0.2, 3.0, 0.5) == 0.0
    assert remix_label_weight(10, 100, 0.8, 3.0, 0.5) == 1.0
    assert remix_label_weight(100, 100, 0.4, 3.0, 0.5) == pytest.approx(0.4)


def test_remix_rows_are_the_recorded_convex_combinations(data):
    X, y = data
    sampler = RemixChou(random_state=2)
    X2, y2 = sampler.fit_resample(X, y)
    i, j, lam = sampler.first_indices_, sampler.second_indices_, sampler.lambdas_
    assert len(i) == len(j) == len(lam) == 330
    mixed = lam[:, None] * X[i] + (1 - lam[:, None]) * X[j]
    np.testing.assert_allclose(X2[300:], mixed, rtol=0, atol=1e-12)
    assert ((lam >= 0) & (lam <= 0.5)).all()
    assert (y[i] != y[j]).all()
    np.testing.assert_array_equal(y2[300:], y[j])
    assert np.bincount(y[j]).tolist() == [0, 150, 180]


def test_remix_soft_labels_follow_the_label_rule(data):
    X, y = data
    sampler = RemixChou(kappa=3.0, tau=0.5, random_state=2)
    _, y2 = sampler.fit_resample(X, y)
    soft = sampler.soft_labels_
    i, j, lam = sampler.first_indices_, sampler.second_indices_, sampler.lambdas_
    rows = np.arange(300, 630)
    counts = np.bincount(y)
    np.testing.assert_array_equal(soft[:300], np.eye(3)[y])
    expected_weight = remix_label_weight(counts[y[i]], counts[y[j]], lam, 3.0, 0.5)
    np.testing.assert_allclose(soft[rows, y[i]], expected_weight)
    np.testing.assert_allclose(soft.sum(axis=1), 1.0)
    # Majority partners (210 / 30 >= 3) give their whole label to the minority row.
    majority_into_minority = (y[i] == 0) & (y[j] == 2)
    assert majority_into_minority.any()
    assert (soft[rows[majority_into_minority], 0] == 0).all()
    np.testing.assert_array_equal(soft.argmax(axis=1)[300:], y2[300:])


# ---------------------------------------------------------------- Balanced SVM


def test_balanced_svm_relabels_synthetic_rows_with_an_svm_fitted_on_the_balanced_set(data):
    """SMOTE's rows, then labels predicted by a standardised SVC fitted on SMOTE's output."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = data
    X2, y2 = BalancedSVM(k_neighbors=5, random_state=0).fit_resample(X, y)
    smote_X, smote_y = SMOTE(k_neighbors=5, random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X2, smote_X)
    np.testing.assert_array_equal(y2[:300], y)
    svm = make_pipeline(StandardScaler(), SVC()).fit(smote_X, smote_y)
    expected = svm.predict(smote_X[300:])
    np.testing.assert_array_equal(y2[300:], expected)
    assert (expected != smote_y[300:]).any()  # the SVM really changed some labels


def test_balanced_svm_keeps_overlapping_classes_roughly_balanced(data):
    """Farquad & Bose / EOS paper: a method that balances leaves the classes balanced; an SVM
    fitted on the imbalanced originals relabels most synthetic rows as majority."""
    X, y = data
    counts = np.bincount(BalancedSVM(k_neighbors=5, random_state=0).fit_resample(X, y)[1])
    assert (np.abs(counts - counts.mean()) <= 0.2 * counts.mean()).all(), counts


@pytest.fixture
def ozone_split0(imblearn_cache):
    """ozone_level, split 0, standardised as the tabular pipeline does (make_split)."""
    from imblearn.datasets import fetch_datasets

    from imbaug.data.splits import make_split

    bunch = fetch_datasets(
        data_home=str(imblearn_cache), filter_data=("ozone_level",), download_if_missing=False
    )["ozone_level"]
    y = (bunch.target == 1).astype(np.int64)
    return make_split(bunch.data, y, 0, 0.3)


def test_balanced_svm_on_ozone_level_keeps_synthetic_rows_minority(ozone_split0):
    from sklearn.metrics import balanced_accuracy_score

    part = ozone_split0
    out = run("BalSVM", part.X_train, part.y_train)
    synthetic = out.y[out.synthetic]
    assert synthetic.mean() > 0.5, f"{(synthetic == 1).sum()} of {len(synthetic)} stay minority"
    base = SVC().fit(part.X_train, part.y_train).predict(part.X_test)
    balanced = SVC().fit(out.X, out.y).predict(part.X_test)
    bac_base = balanced_accuracy_score(part.y_test, base)
    bac_balsvm = balanced_accuracy_score(part.y_test, balanced)
    assert bac_balsvm > bac_base + 0.05, (bac_base, bac_balsvm)


def test_balanced_svm_passes_svm_params(data):
    X, y = data
    sampler = BalancedSVM(svm_params={"kernel": "linear", "C": 0.5})
    _, y2 = sampler.fit_resample(X, y)
    svc = sampler.svm_[-1]
    assert svc.kernel == "linear" and svc.C == 0.5
    assert len(y2) == 630


# ---------------------------------------------------------------- ReMix (Bellinger et al.)


@pytest.fixture(scope="module")
def remix_run(data):
    from imbaug.resampling import ReMix

    X, y = data
    sampler = ReMix(alpha=0.2, random_state=1)
    X2, y2 = sampler.fit_resample(X, y)
    return sampler, X2, y2


def test_remix_redraws_every_class_to_the_majority_count(data, remix_run):
    X, y = data
    sampler, X2, y2 = remix_run
    first = sampler.first_indices_
    assert np.bincount(y2).tolist() == [210, 210, 210]
    np.testing.assert_array_equal(y2, y[first])
    # the majority is drawn without replacement (each row once), minorities with replacement
    assert sorted(first[y[first] == 0].tolist()) == np.flatnonzero(y == 0).tolist()
    assert len(np.unique(first[y[first] == 2])) <= 30


def test_remix_rows_mix_two_parents_of_the_redraw(data, remix_run):
    X, y = data
    sampler, X2, _ = remix_run
    i, j, lam = sampler.first_indices_, sampler.second_indices_, sampler.lambdas_
    np.testing.assert_allclose(X2, lam[:, None] * X[i] + (1 - lam[:, None]) * X[j], atol=1e-12)
    assert sorted(j.tolist()) == sorted(i.tolist())  # the partner is a permutation of the draw
    assert (y[i] != y[j]).mean() > 0.5  # partners come from every class, not the same one
    assert ((lam >= 0.5) & (lam <= 1)).all()


def test_remix_soft_labels_are_the_mixed_one_hot_labels(data, remix_run):
    X, y = data
    sampler, _, y2 = remix_run
    soft = sampler.soft_labels_
    i, j, lam = sampler.first_indices_, sampler.second_indices_, sampler.lambdas_
    expected = lam[:, None] * np.eye(3)[y[i]] + (1 - lam[:, None]) * np.eye(3)[y[j]]
    np.testing.assert_allclose(soft, expected)
    np.testing.assert_allclose(soft.sum(axis=1), 1.0)
    np.testing.assert_array_equal(soft.argmax(axis=1), y2)  # hard label = dominant soft label


def test_remix_lambdas_follow_the_folded_beta(remix_run):
    """lam ~ Beta(alpha, alpha) folded to [0.5, 1]: P(max(L, 1-L) <= t) = 2 F(t) - 1."""
    from scipy import stats

    lam = remix_run[0].lambdas_

    def folded(alpha):
        return lambda t: 2 * stats.beta.cdf(t, alpha, alpha) - 1

    assert stats.kstest(lam, folded(0.2)).pvalue > 0.01
    assert stats.kstest(lam, folded(1.0)).pvalue < 1e-6  # a wrong alpha is detected


def test_remix_provenance_carries_both_parents(data):
    X, y = data
    out = run("REMIX", X, y)
    frame = out.to_frame()
    assert out.synthetic.all() and (out.source_index == -1).all()
    assert (frame.first_parent >= 0).all() and (frame.second_parent >= 0).all()
    assert frame.parent_weight.between(0.5, 1).all()
    lam = frame.parent_weight.to_numpy()[:, None]
    mixed = lam * X[frame.first_parent] + (1 - lam) * X[frame.second_parent]
    np.testing.assert_allclose(out.X, mixed, atol=1e-12)


def test_eos_provenance_records_base_and_enemy(data):
    X, y = data
    frame = run("EOS", X, y).to_frame()
    synthetic = frame[frame.synthetic]
    assert (y[synthetic.first_parent] == synthetic.label).all()
    assert (y[synthetic.second_parent] != synthetic.label).all()
    assert (frame.loc[~frame.synthetic, "first_parent"] == -1).all()


def test_balanced_batches_hold_every_class_equally(data):
    from imbaug.resampling import balanced_batch_indices

    _, y = data
    batches = balanced_batch_indices(y, 128, 20, np.random.default_rng(0))
    assert batches.shape == (20, 128)
    counts = np.stack([np.bincount(y[batch], minlength=3) for batch in batches])
    assert (counts.max(axis=1) - counts.min(axis=1) <= 1).all(), counts[:3]
    # the minority (30 rows) is over-sampled, the majority (210 rows) under-sampled
    assert counts[:, 2].sum() > 30 * 20 * 128 / 300


def test_mixup_soft_targets_sum_to_one():
    from imbaug.resampling import mixup

    rng = np.random.default_rng(0)
    x, labels = rng.normal(size=(8, 3)), rng.integers(0, 4, size=8)
    partner = rng.permutation(8)
    mixed, soft = mixup(x, np.eye(4)[labels], 0.3, partner)
    np.testing.assert_allclose(soft.sum(axis=1), 1.0)
    np.testing.assert_allclose(mixed, 0.3 * x + 0.7 * x[partner])


# ---------------------------------------------------------------- settings


@pytest.mark.parametrize(
    ("method", "setting"),
    [
        ("SMOTE", "k_neighbors"),
        ("DSM", "k_neighbors"),
        ("ADASYN", "k_neighbors"),
        ("BSMOTE", "k_neighbors"),
        ("BalSVM", "k_neighbors"),
        ("EOS", "eos_k"),
        ("REMIX", "remix_alpha"),
        ("RemixChou", "remix_tau"),
    ],
)
def test_a_missing_setting_is_an_error_naming_it(data, method, setting):
    X, y = data
    settings = {k: v for k, v in SETTINGS.items() if k != setting}
    with pytest.raises(ValueError, match=f"{method} needs the setting '{setting}'"):
        resample(method, X, y, **settings)
    with pytest.raises(ValueError, match=f"needs the setting '{setting}'"):
        resample(method, X, y, **{**settings, setting: None})


def test_settings_reach_the_sampler(data, monkeypatch):
    """The k_neighbors / eos_k / alpha a caller gives is the one the sampler runs with."""
    from imbaug.resampling import registry

    built = {}
    for name in ("SMOTE", "EOS", "REMIX", "BalSVM"):
        spec = registry.BUILTIN[name]

        def spy(spec=spec, **kwargs):
            built[spec.name] = sampler = spec.factory(**kwargs)
            return sampler

        monkeypatch.setitem(
            registry.BUILTIN, name, registry.MethodSpec(**{**spec.__dict__, "factory": spy})
        )
    X, y = data
    for name in ("SMOTE", "EOS", "REMIX", "BalSVM"):
        run(name, X, y, k_neighbors=3, eos_k=7, remix_alpha=0.4)
    assert built["SMOTE"].k_neighbors == 3 and built["BalSVM"].k_neighbors == 3
    assert built["EOS"].k_neighbors == 7 and built["REMIX"].alpha == 0.4
