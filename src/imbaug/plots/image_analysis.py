"""Figures of the image analyses, one function per figure kind (matplotlib only).

Every function takes tidy rows of one dataset and architecture with a ``cut`` column; a
quantity averaged over cuts is drawn as the mean with the per-cut values as points (or a
min-max band), so the spread between cuts stays visible. Methods keep the colours of
:mod:`imbaug.plots.style`; FE-space (latent) runs are dashed / hatched and labelled "(FE)".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from imbaug.plots.style import CLASS_COLOURS, method_colour, plt, save_figure

LEGEND = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0), "frameon": False, "fontsize": 8}


def run_label(method: str, space: str, loss: str | None = None) -> str:
    """``ROS``, ``EOS (FE)``, with `` [loss]`` appended when given."""
    label = method if space == "input" else f"{method} (FE)"
    return f"{label} [{loss}]" if loss else label


SWEEP_MARKERS = ("o", "s", "^", "D", "v", "P")


def _markers(methods) -> dict:
    """A marker per method; the K of an EOS sweep (EOS_K<k>, one colour) get different ones."""
    swept = sorted(
        {m for m in methods if m.startswith("EOS_K")}, key=lambda m: int(m.removeprefix("EOS_K"))
    )
    markers = {m: SWEEP_MARKERS[i % len(SWEEP_MARKERS)] for i, m in enumerate(swept)}
    return {m: markers.get(m, "o") for m in methods}


def _style(method: str, space: str) -> dict:
    return {"color": method_colour(method), "linestyle": "-" if space == "input" else "--"}


def _runs(frame: pd.DataFrame):
    """(method, space) in first-seen order, Base first."""
    runs = list(dict.fromkeys(zip(frame["method"], frame["space"])))
    return sorted(runs, key=lambda run: run != ("Base", "input"))


def _axes(n: int, width: float = 5.2, height: float = 3.6):
    fig, axes = plt.subplots(
        1, n, figsize=(width * n + 2.2, height), squeeze=False, gridspec_kw={"wspace": 0.45}
    )
    for ax in axes[0]:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return fig, axes[0]


def _suptitle(fig, text: str) -> None:
    fig.suptitle(text, y=1.04)


# The train class sizes on the gap figure's second axis: grey and dotted, unlike any run.
TRAIN_COUNT_LINE = {"color": "0.45", "linestyle": ":", "linewidth": 1.5}


def _cut_note(frame: pd.DataFrame) -> str:
    n = frame["cut"].nunique()
    return f"mean over {n} cuts, points = cuts" if n > 1 else "1 cut"


def _class_lines(ax, frame: pd.DataFrame, value: str) -> None:
    """One line per run over the classes: mean over cuts, per-cut values as faint points."""
    markers = _markers(frame["method"].unique())
    for method, space in _runs(frame):
        run = frame[(frame.method == method) & (frame.space == space)]
        per_cut = run.pivot_table(index="class", columns="cut", values=value)
        style = _style(method, space)
        if (method, space) == ("Base", "input"):  # on top: runs equal to Base would hide it
            style |= {"zorder": 5}
        ax.plot(
            per_cut.index,
            per_cut.mean(axis=1),
            marker=markers[method],
            markersize=3,
            label=run_label(method, space),
            **style,
        )
        if per_cut.shape[1] > 1:
            for cut in per_cut.columns:
                ax.scatter(per_cut.index, per_cut[cut], s=6, alpha=0.35, color=style["color"])


def plot_generalization_gap(gaps: pd.DataFrame, norms: pd.DataFrame, path, title: str) -> None:
    """EOS paper Fig 3: class gap (all test instances) per class, one panel per loss, with the
    train class size (Base) as a black line on a second axis."""
    gaps = gaps[gaps.subset == "all"]
    losses = list(dict.fromkeys(gaps["loss"]))
    fig, axes = _axes(len(losses))
    for ax, loss in zip(axes, losses):
        _class_lines(ax, gaps[gaps.loss == loss], "gap")
        ax.set(
            title=f"loss {loss}",
            xlabel="class (0 = largest train class)",
            ylabel="generalization gap (FE units, mean over dims)",
        )
        base = norms[(norms.loss == loss) & (norms.method == "Base") & (norms.space == "input")]
        if len(base):
            counts = base.groupby("class")["n_train"].mean()
            twin = ax.twinx()
            twin.plot(counts.index, counts.values, **TRAIN_COUNT_LINE, label="train images (Base)")
            twin.set_ylabel("train images per class")
            twin.set_ylim(bottom=0)
    handles, labels = _merged_legend(axes)
    fig.legend(
        handles + [plt.Line2D([], [], **TRAIN_COUNT_LINE)],
        labels + ["train images (Base)"],
        **LEGEND,
    )
    _suptitle(fig, f"{title}: generalization gap per class (EOS paper Fig 3; {_cut_note(gaps)})")
    save_figure(fig, path)


def plot_gap_tp_fp(gaps: pd.DataFrame, path, title: str) -> None:
    """EOS paper Fig 4: generalization gap of true vs false positives, mean over classes."""
    frame = gaps[gaps.subset.isin(["TP", "FP"])].dropna(subset=["gap"])
    frame = frame.assign(
        run=[run_label(m, s, loss) for m, s, loss in zip(frame.method, frame.space, frame.loss)]
    )
    per_cut = frame.groupby(["run", "subset", "cut"], sort=False)["gap"].mean().reset_index()
    runs = list(dict.fromkeys(per_cut["run"]))
    fig, ax = plt.subplots(figsize=(max(6, 0.9 * len(runs) + 3), 4))
    x = np.arange(len(runs))
    for offset, subset, colour in [(-0.2, "TP", "#1F77B4"), (0.2, "FP", "#D62728")]:
        part = per_cut[per_cut.subset == subset]
        means = part.groupby("run")["gap"].mean().reindex(runs)
        ax.bar(x + offset, means.values, width=0.4, color=colour, label=f"{subset} test instances")
        for i, run in enumerate(runs):
            values = part.loc[part.run == run, "gap"]
            ax.scatter(np.full(len(values), i + offset), values, s=8, color="black", zorder=3)
    ax.set_xticks(x, runs, rotation=45, ha="right")
    ax.set(
        ylabel="generalization gap (FE units, mean over classes)",
        title=f"{title}: gap of true vs false positives (EOS paper Fig 4; {_cut_note(gaps)})",
    )
    ax.legend(**LEGEND)
    save_figure(fig, path)


def plot_head_norms(norms: pd.DataFrame, path, title: str) -> None:
    """DA paper Fig 10 / EOS paper Fig 5: L2 norm of each class's head weights, per loss."""
    losses = list(dict.fromkeys(norms["loss"]))
    fig, axes = _axes(len(losses))
    for ax, loss in zip(axes, losses):
        _class_lines(ax, norms[norms.loss == loss], "norm")
        ax.set(
            title=f"loss {loss}",
            xlabel="class (0 = largest train class)",
            ylabel="head weight norm (L2, unitless)",
        )
    handles, labels = _merged_legend(axes)
    fig.legend(handles, labels, **LEGEND)
    _suptitle(
        fig,
        f"{title}: per-class head weight norms (DA paper Fig 10, EOS paper Fig 5; {_cut_note(norms)})",
    )
    save_figure(fig, path)


def _merged_legend(axes):
    seen = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            seen.setdefault(label, handle)
    return list(seen.values()), list(seen)


def _bars_with_cuts(ax, per_cut: pd.DataFrame, value: str) -> None:
    """Bars of the mean over cuts per run (columns method = label, run_method, space, cut),
    points per cut."""
    runs = list(dict.fromkeys(zip(per_cut.method, per_cut.run_method, per_cut.space)))
    for i, (label, method, space) in enumerate(runs):
        values = per_cut[per_cut.method == label][value]
        ax.bar(
            i,
            values.mean(),
            color=method_colour(method),
            hatch="//" if space == "latent" else None,
            edgecolor="white",
        )
        ax.scatter(np.full(len(values), i), values, s=10, color="black", zorder=3)
    ax.set_xticks(range(len(runs)), [label for label, *_ in runs], rotation=45, ha="right")


def plot_saliency_overlap(overlap: pd.DataFrame, path, title: str) -> None:
    """DA paper Table XI as bars: share of the top-10% salient pixels shared with the
    reference Base, mean over classes (one row per run and cut; points: cuts)."""
    per_cut = overlap[["method", "run_method", "space", "cut", "overlap"]]
    fig, ax = plt.subplots(figsize=(max(6, 0.8 * per_cut["method"].nunique() + 3), 4))
    _bars_with_cuts(ax, per_cut, "overlap")
    ax.set(
        ylim=(0, 1),
        ylabel="top-10% pixel overlap with Base (share)",
        title=f"{title}: saliency overlap with Base (DA paper Table XI; {_cut_note(overlap)})",
    )
    ax.text(
        1.01,
        0.5,
        "[loss]: run on a base of\nanother loss; a loss name\n(e.g. LDAM): its Base,\ncompared with Base CE",
        transform=ax.transAxes,
        fontsize=8,
        va="center",
    )
    save_figure(fig, path)


def plot_classification_embeddings(
    summary: pd.DataFrame, profile: pd.DataFrame, path, title: str, loss: str
) -> None:
    """CE paper Figs 1, 4-7 for the Base CNN of ``loss``: CE needed per class, needed per
    instance vs distinct per class, sorted mean CE of the minority class (the smallest class
    with a true positive), top-10% share, and index frequency vs magnitude."""
    pick = lambda f: f[(f.loss == loss) & (f.method == "Base") & (f.space == "input")]  # noqa: E731
    summary, profile = pick(summary), pick(profile)
    minority = int(profile["class"].max()) if len(profile) else -1
    fig, axes = plt.subplots(1, 5, figsize=(25, 4.2))
    for ax in axes[[0, 1, 3]]:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    note = _cut_note(summary)
    means = summary.groupby("class")[
        ["needed_share", "needed_mean", "distinct_needed", "top_share"]
    ].mean()
    axes[0].bar(means.index, 100 * means["needed_share"], color=CLASS_COLOURS["majority"])
    for _, block in summary.groupby("cut"):
        axes[0].scatter(block["class"], 100 * block["needed_share"], s=8, color="black", zorder=3)
    axes[0].set(
        title="Fig 1: CE needed to beat runner-up",
        xlabel="class",
        ylabel="CE needed (% of FE dims)",
    )
    width = 0.4
    axes[1].bar(
        means.index - width / 2,
        means["needed_mean"],
        width,
        label="per instance (mean)",
        color=CLASS_COLOURS["majority"],
    )
    axes[1].bar(
        means.index + width / 2,
        means["distinct_needed"],
        width,
        label="distinct, whole class",
        color=CLASS_COLOURS["minority"],
    )
    axes[1].set(
        title="Fig 4: per instance vs whole class", xlabel="class", ylabel="number of CE indices"
    )
    axes[1].legend(
        fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False
    )
    minority_profile = profile[profile["class"] == minority]
    for cut, block in minority_profile.groupby("cut"):
        values = np.sort(block["mean_ce"].to_numpy())[::-1]
        axes[2].plot(
            np.arange(1, len(values) + 1),
            values,
            color=CLASS_COLOURS["minority"],
            alpha=0.8,
            label=f"cut {cut}",
        )
    axes[2].axhline(0, color="grey", linewidth=0.5)
    axes[2].set(
        title=f"Fig 5: sorted mean CE, class {minority}",
        xlabel="CE rank (1 = largest)",
        ylabel="class-mean CE (logit units)",
    )
    axes[2].legend(fontsize=8, loc="upper right")
    axes[3].bar(means.index, 100 * means["top_share"], color=CLASS_COLOURS["majority"])
    for _, block in summary.groupby("cut"):
        axes[3].scatter(block["class"], 100 * block["top_share"], s=8, color="black", zorder=3)
    axes[3].set(
        title="Fig 6: share held by top 10% CE",
        xlabel="class",
        ylabel="share of positive CE sum (%)",
        ylim=(0, 100),
    )
    axes[4].scatter(
        minority_profile["mean_ce"],
        minority_profile["frequency"],
        s=12,
        color=CLASS_COLOURS["minority"],
    )
    axes[4].set(
        title=f"Fig 7: frequency vs magnitude, class {minority}",
        xlabel="class-mean CE (logit units)",
        ylabel="true positives needing the index",
    )
    fig.suptitle(
        f"{title}: classification embeddings of Base [{loss}] on test true positives "
        f"(CE paper; {note}; points = cuts)"
    )
    fig.tight_layout()
    save_figure(fig, path)


def plot_head_curve(curve: pd.DataFrame, path, title: str, kept_epochs: int) -> None:
    """EOS paper Fig 7: test BAC after each head-retraining epoch, per latent method and loss
    (line: mean over cuts; band: min-max)."""
    losses = list(dict.fromkeys(curve["loss"]))
    fig, axes = _axes(len(losses))
    for ax, loss in zip(axes, losses):
        block = curve[curve.loss == loss]
        markers = _markers(block["method"].unique())
        for method in dict.fromkeys(block["method"]):
            per_cut = block[block.method == method].pivot_table(
                index="epoch", columns="cut", values="bac"
            )
            colour = method_colour(method)
            ax.plot(
                per_cut.index,
                per_cut.mean(axis=1),
                color=colour,
                linestyle="--",
                marker=markers[method],
                markersize=3,
                label=run_label(method, "latent"),
            )
            if per_cut.shape[1] > 1:
                ax.fill_between(
                    per_cut.index,
                    per_cut.min(axis=1),
                    per_cut.max(axis=1),
                    color=colour,
                    alpha=0.15,
                )
        ax.axvline(kept_epochs, color="grey", linewidth=0.8, linestyle=":")
        ax.set(
            title=f"base loss {loss} (dotted: epochs kept)",
            xlabel="head-retraining epoch",
            ylabel="test balanced accuracy",
        )
    handles, labels = _merged_legend(axes)
    fig.legend(handles, labels, **LEGEND)
    _suptitle(
        fig,
        f"{title}: head-retraining curve (EOS paper Fig 7; {_cut_note(curve).replace('points', 'band')})",
    )
    save_figure(fig, path)


def plot_eos_k_sweep(metrics: pd.DataFrame, path, title: str) -> None:
    """EOS paper Table IV as a plot: test BAC of FE-space EOS by K, per loss (error bars: std
    over cuts, points: cuts)."""
    eos = metrics[(metrics.space == "latent") & metrics.method.str.startswith("EOS_K")]
    eos = eos.assign(k=eos.method.str.removeprefix("EOS_K").astype(int))
    fig, ax = plt.subplots(figsize=(7, 4))
    for i, (loss, block) in enumerate(eos.groupby("loss", sort=False)):
        stats = block.groupby("k")["bac"].agg(["mean", "std"])
        colour = plt.cm.tab10(i)
        ax.errorbar(
            stats.index,
            stats["mean"],
            yerr=stats["std"].fillna(0),
            marker="o",
            capsize=3,
            color=colour,
            label=f"base loss {loss}",
        )
        ax.scatter(block["k"], block["bac"], s=8, color=colour, alpha=0.4)
    ax.set(
        xlabel="EOS neighbours K",
        ylabel="test balanced accuracy",
        title=f"{title}: EOS in FE space by K (EOS paper Table IV; {_cut_note(eos)})",
    )
    ax.legend(**LEGEND)
    save_figure(fig, path)


def plot_tsne(points: pd.DataFrame, path, title: str, class_names: dict) -> None:
    """EOS paper Fig 6: t-SNE of two classes' FE, one panel per run (Base, EOS), train /
    test / synthetic points told apart by marker, classes by colour."""
    runs = list(dict.fromkeys(points["run"]))
    fig, axes = _axes(len(runs), width=5, height=5)
    colours = dict(zip(class_names, [CLASS_COLOURS["majority"], CLASS_COLOURS["minority"]]))
    markers = {"train": ("o", 10, 0.5), "test": ("x", 14, 0.9), "synthetic": ("^", 8, 0.35)}
    for ax, run in zip(axes, runs):
        block = points[points.run == run]
        for (subset, label), group in block.groupby(["subset", "class"], sort=False):
            marker, size, alpha = markers[subset]
            ax.scatter(
                group["x"],
                group["y"],
                marker=marker,
                s=size,
                alpha=alpha,
                color=colours[label],
                label=f"{class_names[label]} {subset}",
            )
        ax.set(title=run, xlabel="t-SNE 1 (no units)", ylabel="t-SNE 2 (no units)")
    handles, labels = _merged_legend(axes)
    fig.legend(handles, labels, **LEGEND)
    _suptitle(fig, f"{title}: t-SNE of two classes' feature embeddings (EOS paper Fig 6)")
    save_figure(fig, path)
