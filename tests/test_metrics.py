import numpy as np
import pytest

from imbaug.metrics import METRIC_LABELS, METRIC_NAMES, PAPER_METRICS, score


def test_known_answers_binary():
    y_true = [0, 0, 0, 0, 1, 1]
    y_pred = [0, 0, 0, 1, 1, 0]
    result = score(y_true, y_pred, n_classes=2)
    assert result["recall"] == [0.75, 0.5]
    assert result["bac"] == pytest.approx(0.625)
    # F1: class 0: p=3/4, r=3/4 -> .75; class 1: p=1/2, r=1/2 -> .5
    assert result["fm"] == pytest.approx(0.625)
    assert result["gm"] == pytest.approx(np.sqrt(0.75 * 0.5))  # sqrt(TNR x TPR)
    assert result["gm_macro"] == pytest.approx(0.625)  # the papers' variant equals BAC here


def test_bac_is_mean_recall_not_accuracy():
    # accuracy 0.9, BAC (1.0 + 0.0) / 2
    result = score([0] * 9 + [1], [0] * 10, n_classes=2)
    assert result["bac"] == 0.5


def test_fm_is_macro_not_weighted_f1():
    # class 0: p=9/10, r=1 -> F1 18/19; class 1 never predicted -> 0. Weighted F1 would be .853.
    result = score([0] * 9 + [1], [0] * 10, n_classes=2)
    assert result["fm"] == pytest.approx((18 / 19) / 2)


def test_a_model_that_never_predicts_two_of_three_classes_gets_gm_zero():
    y_true = [0, 0, 1, 1, 2, 2]
    result = score(y_true, [0] * 6, n_classes=3)
    assert result["recall"] == [1.0, 0.0, 0.0]
    assert result["gm"] == 0.0
    assert result["gm_macro"] == pytest.approx(0.4714, abs=1e-4)  # what the papers' GM prints
    assert result["bac"] == pytest.approx(1 / 3)


def test_gm_is_the_geometric_mean_of_the_recalls_for_three_classes():
    y_true = [0, 0, 0, 0, 1, 1, 2, 2]
    y_pred = [0, 0, 0, 1, 1, 1, 2, 0]  # recalls 3/4, 1, 1/2
    result = score(y_true, y_pred, n_classes=3)
    assert result["gm"] == pytest.approx((0.75 * 1.0 * 0.5) ** (1 / 3))


def test_all_majority_predictions_score_half_bac_and_zero_minority_recall():
    result = score([0, 0, 0, 1], [0, 0, 0, 0], n_classes=2)
    assert result["bac"] == 0.5 and result["recall"] == [1.0, 0.0]
    assert result["gm"] == 0.0


def test_multiclass_recall_has_one_entry_per_class_and_nan_for_absent():
    result = score([0, 1, 1, 2], [0, 1, 2, 2], n_classes=4)
    assert result["recall"][:3] == [1.0, 0.5, 1.0] and np.isnan(result["recall"][3])
    assert result["bac"] == pytest.approx(2.5 / 3)


def test_perfect_predictions():
    result = score([0, 1, 2], [0, 1, 2], n_classes=3)
    assert result["bac"] == result["gm"] == result["gm_macro"] == result["fm"] == 1.0


def test_every_metric_has_a_label_and_paper_metrics_use_the_papers_gm():
    assert set(METRIC_LABELS) == set(METRIC_NAMES)
    assert PAPER_METRICS == ("bac", "gm_macro", "fm")
    assert set(score([0, 1], [0, 1], 2)) == {*METRIC_NAMES, "recall"}
