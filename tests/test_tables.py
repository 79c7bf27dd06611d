import pandas as pd
import pytest

from imbaug.analysis.tables import tabular_accuracy, tabular_accuracy_markdown


def _metrics():
    rows = []
    for split, (bac, fm) in enumerate([(0.6, 0.5), (0.8, 0.7)]):
        rows.append({"dataset": "d", "split": split, "method": "Base", "classifier": "SVM",
                     "bac": bac, "gm": bac, "fm": fm})
        rows.append({"dataset": "d", "split": split, "method": "ROS", "classifier": "SVM",
                     "bac": 1.0, "gm": 1.0, "fm": 1.0})
    return pd.DataFrame(rows)


def test_tabular_accuracy_means_and_sample_std_over_splits():
    table = tabular_accuracy(_metrics())
    assert list(table.columns) == ["dataset", "method", "classifier", "bac_mean", "bac_std",
                                   "gm_mean", "gm_std", "fm_mean", "fm_std", "n_splits"]
    base = table[table.method == "Base"].iloc[0]
    assert base.bac_mean == pytest.approx(0.7) and base.bac_std == pytest.approx(0.1414, abs=1e-4)
    assert base.n_splits == 2
    assert table.method.tolist() == ["Base", "ROS"]  # first-seen order, not alphabetical


def test_markdown_lays_out_methods_by_classifier():
    text = tabular_accuracy_markdown(tabular_accuracy(_metrics()))
    assert "## d (mean ± std over 2 splits)" in text
    assert "| Method | SVM BAC | SVM FM |" in text
    assert "| ROS | 1.0000 ± 0.0000 | 1.0000 ± 0.0000 |" in text
