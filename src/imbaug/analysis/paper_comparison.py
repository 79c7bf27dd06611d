"""The papers' reported numbers beside ours.

``paper_values.csv`` (beside this module) holds every number transcribed once from the DA
paper's Tables III, IV, VI, VII, IX and X, each citing its table, row and column; its dataset
names are this package's names (Ozone = ozone_level, Coil = coil_2000, Thyroid = thyroid_sick).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

PAPER_VALUES = Path(__file__).with_name("paper_values.csv")
COLUMNS = [
    "paper",
    "table",
    "dataset",
    "classifier",
    "method",
    "metric",
    "paper_value",
    "ours",
    "difference",
]


def paper_values(path=PAPER_VALUES) -> pd.DataFrame:
    """The transcribed values: paper, table, row, column, dataset, classifier, method, metric,
    paper_value."""
    return pd.read_csv(path)


def our_values(
    accuracy: pd.DataFrame | None = None,
    weight_change: pd.DataFrame | None = None,
    top_k_overlap: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Our numbers in long form: dataset, classifier, method, metric, ours (means over splits).

    Parameters
    ----------
    accuracy : tabular_accuracy.csv (``bac_mean``, ``fm_mean`` ...)
    weight_change : weight_change.csv
    top_k_overlap : top_k_overlap.csv
    """
    keys = ["dataset", "classifier", "method"]
    parts = []
    if accuracy is not None and len(accuracy):
        for metric in ("bac", "gm", "fm"):
            if f"{metric}_mean" in accuracy:
                parts.append(accuracy[keys].assign(metric=metric, ours=accuracy[f"{metric}_mean"]))
    for table, metric in ((weight_change, "weight_change"), (top_k_overlap, "overlap")):
        if table is not None and len(table):
            parts.append(table[keys].assign(metric=metric, ours=table[metric]))
    return (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=[*keys, "metric", "ours"])
    )


def compare(paper: pd.DataFrame, ours: pd.DataFrame) -> pd.DataFrame:
    """Every paper value this study computed, with ours and ``difference = ours - paper``.

    Returns
    -------
    DataFrame with :data:`COLUMNS` plus ``row`` and ``column`` (where in the paper table), in the
    paper file's order; values our study did not compute are left out.
    """
    merged = paper.merge(
        ours, on=["dataset", "classifier", "method", "metric"], how="inner", sort=False
    )
    merged["difference"] = merged["ours"] - merged["paper_value"]
    return merged[[*COLUMNS, "row", "column"]]
