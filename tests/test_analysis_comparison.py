"""Paper values beside ours, and the significance tests, on hand-made inputs."""

import numpy as np
import pandas as pd
import pytest

from imbaug.analysis.paper_comparison import compare, our_values, paper_values
from imbaug.analysis.significance import (
    blocks,
    critical_difference_figure,
    friedman_test,
    mean_ranks,
    significance_table,
    wilcoxon_tests,
)


def test_transcribed_paper_values_cite_their_table_and_row():
    values = paper_values()
    cell = values.query(
        "table == 'III' and dataset == 'ozone_level' and classifier == 'SVM' "
        "and method == 'Base' and metric == 'bac'"
    )
    assert cell.paper_value.tolist() == [0.5] and cell.row.tolist() == ["Ozone / Base"]
    assert (
        values.query(
            "table == 'VI' and dataset == 'thyroid_sick' and method == 'ROS'"
        ).paper_value.item()
        == 1.502
    )
    assert (
        values.query("table == 'X' and dataset == 'scene' and method == 'REMIX'").paper_value.item()
        == 0.11
    )
    assert values.query("paper == 'DA'").groupby("table").size().to_dict() == {
        "III": 180,
        "IV": 20,
        "V": 42,
        "VI": 20,
        "VII": 20,
        "VIII": 12,
        "IX": 25,
        "X": 25,
        "XI": 15,
    }


def test_compare_gives_ours_minus_paper_for_what_we_computed():
    paper = pd.DataFrame(
        {
            "paper": "DA",
            "table": ["VI", "VI"],
            "row": ["Ozone", "Coil"],
            "column": "ROS",
            "dataset": ["ozone_level", "coil_2000"],
            "classifier": "LG",
            "method": "ROS",
            "metric": "weight_change",
            "paper_value": [4.0, 1.8],
        }
    )
    ours = our_values(
        weight_change=pd.DataFrame(
            {
                "dataset": ["ozone_level"],
                "classifier": ["LG"],
                "method": ["ROS"],
                "weight_change": [4.5],
            }
        )
    )
    table = compare(paper, ours)
    assert table.dataset.tolist() == ["ozone_level"]
    assert table.difference.tolist() == [pytest.approx(0.5)] and table.ours.tolist() == [4.5]


def _metrics(scores: dict) -> pd.DataFrame:
    rows = [
        {"dataset": "d", "split": s, "classifier": "LG", "method": m, "bac": v}
        for m, values in scores.items()
        for s, v in enumerate(values)
    ]
    return pd.DataFrame(rows)


def test_wilcoxon_with_holm_on_a_known_case():
    base = np.linspace(0.5, 0.6, 10)
    metrics = _metrics({"Base": base, "ROS": base + np.arange(1, 11) / 100, "CS": base})
    table = wilcoxon_tests(blocks(metrics, "LG"), "LG")
    ros = table.query("method == 'ROS' and reference == 'Base'").iloc[0]
    # every one of 10 differences positive: exact two-sided p = 2 / 2**10
    assert ros.p_value == pytest.approx(2 / 1024)
    assert np.isnan(
        table.query("method == 'CS' and reference == 'Base'").p_value.item()
    )  # all tied
    tested = table.dropna(subset=["p_value"])
    # Holm: the smallest of m p-values is multiplied by m
    assert tested.p_holm.min() == pytest.approx(min(1.0, tested.p_value.min() * len(tested)))


def test_friedman_statistic_of_a_perfect_ordering():
    metrics = _metrics({"Base": [0.5] * 6, "ROS": [0.6] * 6, "SMOTE": [0.7] * 6})
    metrics["split"] = list(range(6)) * 3
    metrics.loc[:, "bac"] += np.tile(np.arange(6) / 1000, 3)
    matrix = blocks(metrics, "LG")
    row = friedman_test(matrix, "LG").iloc[0]
    assert row.statistic == pytest.approx(12.0)  # 12 / (n k (k+1)) * sum R^2 - 3 n (k+1)
    assert mean_ranks(matrix).to_dict() == {"Base": 3.0, "ROS": 2.0, "SMOTE": 1.0}
    assert set(significance_table(metrics).test) == {"wilcoxon", "friedman"}


def test_not_applicable_blocks_are_dropped():
    metrics = _metrics({"Base": [0.5, 0.6], "ADASYN": [np.nan, 0.7]})
    assert blocks(metrics, "LG").shape == (1, 2)


def test_critical_difference_figure(tmp_path):
    rng = np.random.default_rng(0)
    metrics = _metrics({m: rng.uniform(0.5, 0.9, 8) for m in ("Base", "ROS", "SMOTE", "REMIX")})
    critical_difference_figure(blocks(metrics, "LG"), "test", tmp_path / "cd.png")
    assert (tmp_path / "cd.png").stat().st_size > 5_000
