import numpy as np
import pytest

from imbaug.metrics import score


def test_known_answers_binary():
    y_true = [0, 0, 0, 0, 1, 1]
    y_pred = [0, 0, 0, 1, 1, 0]
    result = score(y_true, y_pred, n_classes=2)
    assert result["recall"] == [0.75, 0.5]
    assert result["bac"] == pytest.approx(0.625)
    # F1: class 0: p=3/4, r=3/4 -> .75; class 1: p=1/2, r=1/2 -> .5
    assert result["fm"] == pytest.approx(0.625)
    assert 0 < result["gm"] <= 1


def test_all_majority_predictions_score_half_bac_and_zero_minority_recall():
    result = score([0, 0, 0, 1], [0, 0, 0, 0], n_classes=2)
    assert result["bac"] == 0.5 and result["recall"] == [1.0, 0.0]


def test_multiclass_recall_has_one_entry_per_class_and_nan_for_absent():
    result = score([0, 1, 1, 2], [0, 1, 2, 2], n_classes=4)
    assert result["recall"][:3] == [1.0, 0.5, 1.0] and np.isnan(result["recall"][3])
    assert result["bac"] == pytest.approx(2.5 / 3)


def test_perfect_predictions():
    result = score([0, 1, 2], [0, 1, 2], n_classes=3)
    assert result["bac"] == result["gm"] == result["fm"] == 1.0
