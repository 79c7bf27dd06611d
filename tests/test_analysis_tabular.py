"""Known answers of the tabular analyses: support vectors, top-K overlap, CE of LG and SVM."""

from types import SimpleNamespace

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC

from imbaug.analysis.embeddings import class_summaries, linear_contributions, svm_contributions
from imbaug.analysis.support_vectors import (
    compare_to_base,
    dual_coef_ratio,
    majority_minority_sv_ratio,
    new_sv_share,
    sv_summary,
    synthetic_sv_share,
)
from imbaug.analysis.top_k import class_importance, input_gradients, top_k_overlap


def _svc(support, n_support, dual):
    return SimpleNamespace(
        support_=np.array(support),
        n_support_=np.array(n_support),
        dual_coef_=np.array([dual], dtype=float),
    )


def test_support_vector_shares_from_known_svs_and_provenance():
    # Base: 4 training rows, SVs rows 0, 1 (class 0) and 3 (class 1).
    base = sv_summary(_svc([0, 1, 3], [2, 1], [-1.0, -1.0, 2.0]), source_index=[0, 1, 2, 3])
    # SMOTE: originals 0..3 then two interpolated rows (4, 5). SVs: row 1 and row 2 (class 0),
    # row 3, row 4 and row 5 (class 1).
    smote = sv_summary(
        _svc([1, 2, 3, 4, 5], [2, 3], [-2.0, -1.0, 1.0, 1.0, 0.5]),
        source_index=[0, 1, 2, 3, -1, -1],
    )
    row = compare_to_base(smote, base)
    assert row["sv_ratio_to_base"] == pytest.approx(5 / 3)
    assert row["majority_minority_sv_ratio"] == pytest.approx(2 / 3)
    assert row["dual_coef_ratio"] == pytest.approx(3.0 / 2.5)
    # New: row 2 (not a Base SV) and both synthetic rows -> 3 of 5.
    assert row["new_sv_share"] == pytest.approx(3 / 5)
    assert row["synthetic_sv_share"] == pytest.approx(2 / 5)
    assert compare_to_base(base, base)["new_sv_share"] == 0.0


def test_ros_copies_are_the_rows_they_copy():
    # A ROS copy of a Base SV (source 3) is neither new nor synthetic.
    assert new_sv_share([3, 3, 0], [0, 3]) == 0.0
    assert synthetic_sv_share([3, 3, 0]) == 0.0
    assert majority_minority_sv_ratio([4, 0]) != majority_minority_sv_ratio([4, 0])  # NaN
    assert dual_coef_ratio([[-1.0, 3.0]], [1, 1]) == pytest.approx(1 / 3)


def test_real_svc_on_duplicated_rows():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(-1, 1, (30, 2)), rng.normal(1, 1, (6, 2))])
    y = np.array([0] * 30 + [1] * 6)
    base = sv_summary(SVC().fit(X, y), np.arange(36))
    # Every training row twice: the same support vectors by identity, none new or synthetic.
    doubled = sv_summary(
        SVC().fit(np.vstack([X, X]), np.concatenate([y, y])),
        np.concatenate([np.arange(36), np.arange(36)]),
    )
    row = compare_to_base(doubled, base)
    assert row["new_sv_share"] == 0.0 and row["synthetic_sv_share"] == 0.0
    assert row["dual_coef_ratio"] == pytest.approx(1.0)  # sum_i alpha_i y_i = 0


def test_top_k_overlap_is_one_half_on_hand_set_importance():
    features = np.arange(20, dtype=float)
    base = {0: features[::-1].copy(), 1: features.copy()}  # class 0 top-10: 0..9; class 1: 10..19
    method = {0: features[::-1].copy(), 1: features[::-1].copy()}  # both classes: 0..9
    assert top_k_overlap(method, base) == pytest.approx(0.5)
    assert top_k_overlap(base, base) == 1.0
    with pytest.raises(ValueError, match="classes differ"):
        top_k_overlap({0: features}, base)


def test_class_importance_uses_true_positives_only():
    attribution = np.array([[1.0, -2.0], [3.0, 0.0], [100.0, 100.0]])
    importance = class_importance(attribution, y_true=[0, 0, 1], y_pred=[0, 0, 0])
    assert list(importance) == [0] and importance[0].tolist() == [2.0, 1.0]


def test_input_gradients_of_a_linear_network():
    torch = pytest.importorskip("torch")
    layer = torch.nn.Linear(3, 2)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([[1.0, 0.0, 2.0], [0.0, -3.0, 0.0]]))
        layer.bias.zero_()
    gradients, predicted = input_gradients(layer, np.array([[1.0, 0.0, 0.0], [0.0, -1.0, 0.0]]))
    assert predicted.tolist() == [0, 1]
    assert gradients.tolist() == [[1.0, 0.0, 2.0], [0.0, -3.0, 0.0]]


def test_ce_of_lg_and_svm_sum_to_their_decision_function():
    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal(-1, 1, (40, 3)), rng.normal(1, 1, (10, 3))])
    y = np.array([0] * 40 + [1] * 10)
    for model, contributions in (
        (LogisticRegression().fit(X, y), linear_contributions),
        (SVC().fit(X, y), svm_contributions),
    ):
        ce, bias = contributions(model, X)
        np.testing.assert_allclose(ce.sum(axis=1) + bias, model.decision_function(X), rtol=1e-10)
    svm = SVC().fit(X, y)
    assert svm_contributions(svm, X)[0].shape == (50, int(svm.n_support_.sum()))


def test_class_summaries_on_a_hand_built_weight_row():
    lg = SimpleNamespace(coef_=np.array([[4.0, 3.0, 2.0, 1.0, -5.0]]), intercept_=np.array([-1.0]))
    X = np.ones((2, 5))
    ce, bias = linear_contributions(lg, X)
    # Both rows: start -1 - 5 = -6; +4 +3 = 1 > 0 -> 2 of 5 CE; top 10% = 1 CE: 4 / 10.
    [summary] = class_summaries(ce, bias, y_true=[1, 1], y_pred=[1, 1])
    assert summary["class"] == 1 and summary["n_tp"] == 2
    assert summary["needed_share"] == pytest.approx(0.4)
    assert summary["distinct_share"] == pytest.approx(0.4)
    assert summary["top_share"] == pytest.approx(0.4)
    assert summary["profile"]["index"].tolist()[:2] == [0, 1]
    assert summary["profile"]["frequency"].tolist() == [2, 2, 0, 0, 0]


def test_tables_average_applicable_splits_and_count_the_others():
    import pandas as pd

    from imbaug.analysis.summaries import combine, top_features_table, weight_change_table

    tabular = pd.DataFrame(
        {
            "dataset": "d",
            "classifier": "LG",
            "split": [0, 1, 0, 1],
            "space": "input",
            "method": ["SMOTE", "SMOTE", "ADASYN", "ADASYN"],
            "applicable": [True, True, False, True],
            "weight_change": [1.0, 3.0, np.nan, 2.0],
        }
    )
    image = pd.DataFrame(
        {
            "dataset": "cifar",
            "classifier": "CNN",
            "cut": [0],
            "space": "input",
            "method": ["ROS"],
            "applicable": [True],
            "weight_change": [5.0],
        }
    )
    table = weight_change_table(combine([tabular, image])).set_index("method")
    assert table.loc["SMOTE", "weight_change"] == 2.0 and table.loc[
        "SMOTE", "weight_change_std"
    ] == pytest.approx(np.sqrt(2))
    assert table.loc["ADASYN", ["weight_change", "n_splits", "n_not_applicable"]].tolist() == [
        2.0,
        1,
        1,
    ]
    assert table.loc["ROS", "classifier"] == "CNN" and table.loc["ROS", "n_splits"] == 1

    bars = pd.DataFrame(
        {
            "dataset": "d",
            "classifier": "LG",
            "split": [0, 0, 1, 1],
            "space": "input",
            "method": "Base",
            "applicable": True,
            "class": 0,
            "rank": [0, 1, 0, 1],
            "feature": ["a", "b", "b", "c"],
            "importance": [4.0, 1.0, 3.0, 2.0],
        }
    )
    top = top_features_table(bars, top=2)
    # mean over splits, a feature absent from a split's top counting 0: a 2.0, b 2.0, c 1.0
    assert top.feature.tolist() == ["a", "b"] and top.importance.tolist() == [2.0, 2.0]
