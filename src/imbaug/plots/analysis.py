"""Figures of the analyses (DA paper Figs 2-9, 11-12; CE paper Figs 2-7), from the tidy tables.

Every figure takes method colours from :mod:`imbaug.plots.style`, puts the legend outside the
axes and is saved by :func:`imbaug.plots.style.save_figure` (PNG, SVG or PDF by suffix).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from imbaug.plots.style import CLASS_COLOURS, method_colour, save_figure  # noqa: E402

CLASS_NAMES = {0: "majority", 1: "minority"}


def _ordered(values) -> list:
    return list(dict.fromkeys(values))


def _empty(path, title: str) -> None:
    fig, ax = plt.subplots(figsize=(6, 2))
    ax.axis("off")
    ax.set_title(title)
    ax.text(0.5, 0.4, "nothing to show: no runs in this study", ha="center")
    save_figure(fig, path)


def _method_legend(fig, methods) -> None:
    handles = [plt.Rectangle((0, 0), 1, 1, color=method_colour(m)) for m in methods]
    fig.legend(
        handles,
        methods,
        loc="center left",
        bbox_to_anchor=(1.0, 0.5),
        frameon=False,
        title="method",
    )


def method_bars(
    table: pd.DataFrame,
    value: str,
    title: str,
    ylabel: str,
    path,
    reference: float | None = None,
    skip=("Base",),
) -> None:
    """Grouped bars: datasets along x, one bar per method (std over splits as error bars).

    Parameters
    ----------
    table : DataFrame with ``dataset, method, <value>`` and optionally ``<value>_std``
    reference : draw a dashed line at this y (e.g. 1 for a ratio to Base)
    skip : methods left out (Base is 1 or 0 by definition in ratios to Base)
    """
    table = table[~table["method"].isin(skip)].dropna(subset=[value]) if len(table) else table
    if table.empty:
        return _empty(path, title)
    datasets, methods = _ordered(table["dataset"]), _ordered(table["method"])
    width = 0.8 / len(methods)
    fig, ax = plt.subplots(figsize=(max(5, 1.6 * len(datasets) + 2), 3.8))
    cells = table.set_index(["dataset", "method"])
    for j, method in enumerate(methods):
        x = np.arange(len(datasets)) + (j - (len(methods) - 1) / 2) * width
        heights = [cells[value].get((d, method), np.nan) for d in datasets]
        errors = (
            [cells[f"{value}_std"].get((d, method), np.nan) for d in datasets]
            if f"{value}_std" in cells
            else None
        )
        ax.bar(
            x,
            heights,
            width,
            yerr=errors,
            color=method_colour(method),
            edgecolor="black",
            linewidth=0.3,
            capsize=2,
            label=method,
        )
    if reference is not None:
        ax.axhline(reference, color="grey", linestyle="--", linewidth=1)
    ax.set_xticks(np.arange(len(datasets)), datasets)
    ax.set_xlabel("dataset")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    _method_legend(fig, methods)
    save_figure(fig, path)


def class_bars(table: pd.DataFrame, values: dict[str, str], title: str, ylabel: str, path) -> None:
    """Per dataset a panel: methods along x, a bar per class (and per value column).

    Parameters
    ----------
    table : DataFrame with ``dataset, method, class`` and the ``values`` columns
    values : {column: label prefix}, e.g. {"needed_share": "per instance"}
    """
    table = table.dropna(subset=list(values), how="all") if len(table) else table
    if table.empty:
        return _empty(path, title)
    datasets = _ordered(table["dataset"])
    fig, axes = plt.subplots(
        1, len(datasets), figsize=(4.2 * len(datasets) + 1, 3.6), squeeze=False, sharey=True
    )
    series = [
        (column, label, c)
        for column, label in values.items()
        for c in sorted(table["class"].unique())
    ]
    width = 0.8 / len(series)
    shades = {0: 1.0, 1: 0.55}
    for ax, dataset in zip(axes[0], datasets):
        block = table[table["dataset"] == dataset]
        methods = _ordered(block["method"])
        cells = block.set_index(["method", "class"])
        for j, (column, label, c) in enumerate(series):
            x = np.arange(len(methods)) + (j - (len(series) - 1) / 2) * width
            colour = CLASS_COLOURS[CLASS_NAMES.get(int(c), "minority")]
            alpha = shades[list(values).index(column) % 2]
            ax.bar(
                x,
                [cells[column].get((m, c), np.nan) for m in methods],
                width,
                color=colour,
                alpha=alpha,
                edgecolor="black",
                linewidth=0.3,
                label=f"{label}{CLASS_NAMES.get(int(c), c)} (class {int(c)})",
            )
        ax.set_xticks(np.arange(len(methods)), methods, rotation=45, ha="right")
        ax.set_title(dataset)
        ax.set_xlabel("method")
    axes[0][0].set_ylabel(ylabel)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    fig.suptitle(title)
    fig.tight_layout()
    save_figure(fig, path)


def sorted_profiles(profiles: pd.DataFrame, title: str, path, label: int = 1) -> None:
    """CE paper Fig 5: class-mean CE sorted largest first, a line per method, panel per dataset."""
    profiles = profiles[profiles["class"] == label] if len(profiles) else profiles
    if profiles.empty:
        return _empty(path, title)
    datasets = _ordered(profiles["dataset"])
    fig, axes = plt.subplots(
        1, len(datasets), figsize=(4.2 * len(datasets) + 1, 3.4), squeeze=False
    )
    methods = _ordered(profiles["method"])
    for ax, dataset in zip(axes[0], datasets):
        block = profiles[profiles["dataset"] == dataset]
        for method in methods:
            line = block[block["method"] == method]
            n = max(len(line), 1)
            ax.plot(line["rank"] / n, line["mean_ce"], color=method_colour(method), label=method)
        ax.axhline(0, color="grey", linewidth=0.5)
        ax.set_title(dataset)
        ax.set_xlabel("CE rank / number of CE (share)")
    axes[0][0].set_ylabel(f"class-mean CE, {CLASS_NAMES.get(label, label)} class")
    fig.suptitle(title)
    fig.tight_layout()
    _method_legend(fig, methods)
    save_figure(fig, path)


def frequency_vs_magnitude(profiles: pd.DataFrame, title: str, path, top: int = 5) -> None:
    """CE paper Fig 7: for the ``top`` CE by class-mean magnitude, how often each is needed."""
    profiles = profiles[profiles["rank"] < top] if len(profiles) else profiles
    if profiles.empty:
        return _empty(path, title)
    datasets = _ordered(profiles["dataset"])
    fig, axes = plt.subplots(
        1, len(datasets), figsize=(4.2 * len(datasets) + 1, 3.4), squeeze=False
    )
    methods = _ordered(profiles["method"])
    for ax, dataset in zip(axes[0], datasets):
        block = profiles[profiles["dataset"] == dataset]
        for method in methods:
            for label, marker in ((0, "o"), (1, "^")):
                points = block[(block["method"] == method) & (block["class"] == label)]
                ax.scatter(
                    points["mean_ce"],
                    points["frequency"],
                    color=method_colour(method),
                    marker=marker,
                    s=22,
                    edgecolor="black",
                    linewidth=0.3,
                )
        ax.set_title(dataset)
        ax.set_xlabel("class-mean CE (magnitude)")
    axes[0][0].set_ylabel("instances needing the CE (count)")
    fig.suptitle(title + "  (o majority, ^ minority)")
    fig.tight_layout()
    _method_legend(fig, methods)
    save_figure(fig, path)


def top_features(table: pd.DataFrame, title: str, ylabel: str, path) -> None:
    """DA paper Figs 11-12: top-5 features per class, a panel per method and class."""
    if table.empty:
        return _empty(path, title)
    methods = _ordered(table["method"])
    classes = sorted(table["class"].unique())
    fig, axes = plt.subplots(
        len(classes),
        len(methods),
        figsize=(2.2 * len(methods) + 1, 2.6 * len(classes)),
        squeeze=False,
        sharey="row",
    )
    for i, label in enumerate(classes):
        for j, method in enumerate(methods):
            ax = axes[i][j]
            bars = table[(table["method"] == method) & (table["class"] == label)].sort_values(
                "rank"
            )
            ax.bar(
                range(len(bars)),
                bars["importance"],
                color=method_colour(method),
                edgecolor="black",
                linewidth=0.3,
            )
            ax.set_xticks(range(len(bars)), bars["feature"].astype(str), rotation=60, fontsize=7)
            if i == 0:
                ax.set_title(method)
            if j == 0:
                ax.set_ylabel(f"{CLASS_NAMES.get(int(label), label)}\n{ylabel}")
    fig.suptitle(title)
    fig.supxlabel("feature")
    fig.tight_layout()
    save_figure(fig, path)
