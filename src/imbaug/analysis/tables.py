"""Paper tables as pure aggregations of metrics rows."""

from __future__ import annotations

import pandas as pd

from imbaug.metrics import METRIC_NAMES


def summarise(metrics: pd.DataFrame, keys: list[str], replicate: str, std: bool = True) -> pd.DataFrame:
    """Mean (and sample std) of every metric over ``replicate`` (split or cut) per ``keys``,
    keeping the first-seen order of the keys."""
    grouped = metrics.groupby(keys, sort=False)
    table = grouped[list(METRIC_NAMES)].agg(["mean", "std"] if std else ["mean"])
    table.columns = [f"{metric}_{stat}" for metric, stat in table.columns]
    table[f"n_{replicate}s"] = grouped[replicate].nunique()
    return table.reset_index()


def tabular_accuracy(metrics: pd.DataFrame) -> pd.DataFrame:
    """DA paper Tables III and IV: dataset x method x classifier, mean +- std over splits."""
    return summarise(metrics, ["dataset", "method", "classifier"], "split")


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def tabular_accuracy_markdown(table: pd.DataFrame) -> str:
    """One section per dataset laid out like Table III: methods down, classifier BAC/FM across."""
    classifiers = list(dict.fromkeys(table["classifier"]))
    header = ["Method"] + [f"{c} {m}" for c in classifiers for m in ("BAC", "FM")]
    sections = []
    for dataset, block in table.groupby("dataset", sort=False):
        cells = block.set_index(["method", "classifier"])
        rows = [[method] + [_cell(cells, method, c, m) for c in classifiers for m in ("bac", "fm")]
                for method in dict.fromkeys(block["method"])]
        splits = int(block["n_splits"].max())
        sections.append(f"## {dataset} (mean ± std over {splits} splits)\n\n"
                        + markdown_table(header, rows))
    return "# Tabular accuracy (DA paper Tables III-IV)\n\n" + "\n\n".join(sections) + "\n"


def _cell(cells: pd.DataFrame, method: str, classifier: str, metric: str) -> str:
    if (method, classifier) not in cells.index:
        return ""
    row = cells.loc[(method, classifier)]
    return f"{row[f'{metric}_mean']:.4f} ± {row[f'{metric}_std']:.4f}"
