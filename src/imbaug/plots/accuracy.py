"""Accuracy bar charts (DA paper Fig 1)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from imbaug.plots.style import method_colours  # noqa: E402

FIG1_METHODS = ("Base", "ROS", "CS", "SMOTE", "ADASYN", "REMIX")


def plot_tabular_accuracy(table: pd.DataFrame, path, methods=FIG1_METHODS) -> None:
    """BAC and macro F1 per classifier and method, averaged over datasets (and splits); each
    method in its colour of every other figure (:mod:`imbaug.plots.style`)."""
    table = table[table["method"].isin(methods)]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    for ax, metric, title in zip(axes, ("bac_mean", "fm_mean"), ("Balanced accuracy", "Macro F1")):
        means = table.pivot_table(index="classifier", columns="method", values=metric, sort=False)
        means = means[[m for m in methods if m in means.columns]]
        means.plot.bar(ax=ax, rot=0, width=0.8, color=method_colours(means.columns))
        ax.set_title(title)
        ax.set_xlabel("")
        ax.set_ylim(0, 1)
        ax.legend().remove()
    axes[0].set_ylabel("mean over datasets and splits")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), frameon=False)
    names = list(dict.fromkeys(table["dataset"]))
    shown = ", ".join(names) if len(names) <= 3 else f"{len(names)} datasets"
    fig.suptitle(f"Tabular data: balancing vs interpolation, DA paper Fig 1 ({shown})")
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    fig.savefig(path, dpi=120)
    plt.close(fig)
