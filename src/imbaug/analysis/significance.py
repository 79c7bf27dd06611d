"""Are the differences between methods real? Wilcoxon signed-rank tests of each method against
Base and ROS over (dataset, split) pairs with Holm's correction, and a Friedman test with a
critical-difference diagram of mean ranks (Demsar 2006), per classifier; scipy, statsmodels and
scikit-posthocs do the statistics."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

REFERENCES = ("Base", "ROS")
COLUMNS = [
    "classifier",
    "test",
    "method",
    "reference",
    "metric",
    "n_pairs",
    "statistic",
    "p_value",
    "p_holm",
    "significant",
]


def blocks(metrics: pd.DataFrame, classifier: str, metric: str = "bac") -> pd.DataFrame:
    """Scores of one classifier as a (dataset, split) x method matrix; blocks where a method was
    not applicable are dropped (each test needs every method on every block)."""
    rows = metrics[metrics["classifier"] == classifier]
    matrix = rows.pivot_table(
        index=["dataset", "split"], columns="method", values=metric, sort=False
    )
    return matrix.dropna(axis=0, how="any")


def wilcoxon_tests(
    matrix: pd.DataFrame,
    classifier: str,
    metric: str = "bac",
    alpha: float = 0.05,
    references=REFERENCES,
) -> pd.DataFrame:
    """Each method against each reference present, Holm-corrected over the family of one classifier.

    Returns
    -------
    DataFrame with :data:`COLUMNS` (``test`` = "wilcoxon"); NaN p-values where every pair is tied
    or there are fewer than two pairs.
    """
    from scipy.stats import wilcoxon
    from statsmodels.stats.multitest import multipletests

    rows = []
    for reference in [r for r in references if r in matrix.columns]:
        for method in [m for m in matrix.columns if m != reference]:
            differences = matrix[method] - matrix[reference]
            statistic = p_value = np.nan
            if (differences != 0).any() and len(differences) >= 2:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    result = wilcoxon(matrix[method], matrix[reference])
                statistic, p_value = float(result.statistic), float(result.pvalue)
            rows.append(
                {
                    "classifier": classifier,
                    "test": "wilcoxon",
                    "method": method,
                    "reference": reference,
                    "metric": metric,
                    "n_pairs": len(differences),
                    "statistic": statistic,
                    "p_value": p_value,
                }
            )
    table = pd.DataFrame(rows, columns=COLUMNS).astype({"p_holm": float, "significant": object})
    tested = table["p_value"].notna()
    if tested.any():
        reject, corrected, _, _ = multipletests(
            table.loc[tested, "p_value"], alpha=alpha, method="holm"
        )
        table.loc[tested, "p_holm"] = corrected
        table.loc[tested, "significant"] = list(reject)
    return table


def friedman_test(matrix: pd.DataFrame, classifier: str, metric: str = "bac") -> pd.DataFrame:
    """Friedman test of all methods over the blocks (one row; NaN with < 3 methods or < 2 blocks)."""
    from scipy.stats import friedmanchisquare

    statistic = p_value = np.nan
    if matrix.shape[1] >= 3 and matrix.shape[0] >= 2 and matrix.nunique(axis=1).gt(1).any():
        result = friedmanchisquare(*[matrix[m] for m in matrix.columns])
        statistic, p_value = float(result.statistic), float(result.pvalue)
    return pd.DataFrame(
        [
            {
                "classifier": classifier,
                "test": "friedman",
                "method": "all",
                "reference": "",
                "metric": metric,
                "n_pairs": matrix.shape[0],
                "statistic": statistic,
                "p_value": p_value,
                "p_holm": p_value,
                "significant": bool(p_value < 0.05) if p_value == p_value else np.nan,
            }
        ],
        columns=COLUMNS,
    )


def significance_table(metrics: pd.DataFrame, metric: str = "bac") -> pd.DataFrame:
    """Wilcoxon (vs Base, vs ROS, Holm) and Friedman rows for every classifier in ``metrics``."""
    parts = []
    for classifier in dict.fromkeys(metrics["classifier"]):
        matrix = blocks(metrics, classifier, metric)
        parts += [
            wilcoxon_tests(matrix, classifier, metric),
            friedman_test(matrix, classifier, metric),
        ]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)


def mean_ranks(matrix: pd.DataFrame) -> pd.Series:
    """Mean rank of each method over the blocks (1 = best, higher score is better)."""
    return matrix.rank(axis=1, ascending=False).mean()


def critical_difference_figure(matrix: pd.DataFrame, title: str, path) -> None:
    """Critical-difference diagram: mean ranks, methods joined where Nemenyi's post-hoc test
    finds no difference (scikit-posthocs)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import scikit_posthocs as sp

    from imbaug.plots.style import method_colour, save_figure

    fig, ax = plt.subplots(figsize=(7, 2.8))
    if matrix.shape[1] < 3 or matrix.shape[0] < 2:
        ax.axis("off")
        ax.text(0.5, 0.5, "needs at least 3 methods and 2 (dataset, split) blocks", ha="center")
    else:
        ranks = mean_ranks(matrix)
        significance = sp.posthoc_nemenyi_friedman(matrix.reset_index(drop=True))
        # the whole rank scale, 1 (best) to the number of methods, set before drawing: the
        # labels are placed from the axis limits
        ax.set_xlim(0.8, len(ranks) + 0.2)
        ax.set_xticks(range(1, len(ranks) + 1))
        sp.critical_difference_diagram(
            ranks,
            significance,
            ax=ax,
            color_palette={m: method_colour(m) for m in ranks.index},
            # an en space keeps each label off the end of its line (scikit-posthocs puts it
            # there; matplotlib drops a plain leading space)
            label_fmt_left="{label} ({rank:.2g})\u2002",
            label_fmt_right="\u2002({rank:.2g}) {label}",
        )
        title = f"{title}\nmean rank over (dataset, split) blocks, 1 = best; bars join methods not significantly different"
    ax.set_title(title, fontsize=10)
    save_figure(fig, path)
