"""Paper tables as pure aggregations of metrics rows."""

from __future__ import annotations

import pandas as pd

from imbaug.metrics import METRIC_NAMES, PAPER_METRICS

# Cells of the image tables: the papers' three scores, GM in the papers' one-vs-rest macro form.
PAPER_CELLS = "BAC / GM (one-vs-rest macro, as the papers print it) / FM"


def summarise(
    metrics: pd.DataFrame, keys: list[str], replicate: str, std: bool = True
) -> pd.DataFrame:
    """Mean (and sample std) of every metric over ``replicate`` (split or cut) per ``keys``,
    keeping the first-seen order of the keys."""
    grouped = metrics.groupby(keys, sort=False)
    table = grouped[list(METRIC_NAMES)].agg(["mean", "std"] if std else ["mean"])
    table.columns = [f"{metric}_{stat}" for metric, stat in table.columns]
    table[f"n_{replicate}s"] = grouped[replicate].nunique()
    return table.reset_index()


def tabular_accuracy(metrics: pd.DataFrame) -> pd.DataFrame:
    """DA paper Tables III and IV: dataset x method x classifier, mean +- std over splits.

    A method not applicable on a split (``applicable`` False, NaN scores; ../shared/cases/T2)
    is averaged over the splits it ran on: ``n_splits`` counts those, ``n_not_applicable``
    the others, and the Markdown shows "n/a (k of n splits)"."""
    keys = ["dataset", "method", "classifier"]
    table = summarise(metrics, keys, "split")
    if "applicable" in metrics:
        applicable = (
            metrics["applicable"].astype(bool).groupby([metrics[k] for k in keys], sort=False)
        )
        table["n_splits"] = applicable.sum().to_numpy().astype(int)
        table["n_not_applicable"] = (applicable.size() - applicable.sum()).to_numpy().astype(int)
    return table


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
        rows = [
            [method] + [_cell(cells, method, c, m) for c in classifiers for m in ("bac", "fm")]
            for method in dict.fromkeys(block["method"])
        ]
        splits = int(block["n_splits"].max())
        sections.append(
            f"## {dataset} (mean ± std over {splits} splits)\n\n" + markdown_table(header, rows)
        )
    return "# Tabular accuracy (DA paper Tables III-IV)\n\n" + "\n\n".join(sections) + "\n"


def _cell(cells: pd.DataFrame, method: str, classifier: str, metric: str) -> str:
    if (method, classifier) not in cells.index:
        return ""
    row = cells.loc[(method, classifier)]
    missing = int(row.get("n_not_applicable", 0))
    if missing:
        note = f"n/a on {missing} of {missing + int(row['n_splits'])} splits"
        return note if pd.isna(row[f"{metric}_mean"]) else f"{row[f'{metric}_mean']:.4f} ({note})"
    return f"{row[f'{metric}_mean']:.4f} ± {row[f'{metric}_std']:.4f}"


# Which epoch's model a metrics row scores (column ``selection``; image.train.select_epoch).
SELECTION_LABELS = {
    "last": "last epoch",
    "best_test_macro_f1": "epoch of best test macro-F1 (authors' protocol; selects on the test set)",
}


def image_accuracy(metrics: pd.DataFrame) -> pd.DataFrame:
    """Every image run: dataset x arch x loss x method x space x selection, mean over cuts.

    ``selection`` says which epoch's model was scored (``SELECTION_LABELS``); rows without the
    column are last-epoch models.
    """
    selection = metrics["selection"].fillna("last") if "selection" in metrics else "last"
    keys = ["dataset", "arch", "loss", "method", "space", "selection"]
    return summarise(metrics.assign(selection=selection), keys, "cut", std=False)


# Layouts of the paper tables: column labels and the (loss,) method and space they show.
# EOS Table I's Remix row has no FE cell (its footnote: ReMix balances per batch in pixel space).
PIXEL_VS_FE = [
    ("SMOTE", "SMOTE", "DSM"),
    ("B-SMOTE", "BSMOTE", "BSMOTE"),
    ("Bal-SVM", "BalSVM", "BalSVM"),
    ("Remix", "REMIX", None),
    ("EOS", "EOS", "EOS"),
]
# EOS Tables II and IV: their LDAM is LDAM-DRW (section IV-A); DA Table V's LDAM has no DRW.
EOS_TABLE_LOSSES = [("CE", "CE"), ("ASL", "ASL"), ("Focal", "Focal"), ("LDAM-DRW", "LDAM_DRW")]
LOSS_BY_FE_METHOD = [
    ("Baseline", "Base", "input"),
    ("SMOTE", "DSM", "latent"),
    ("B-SMOTE", "BSMOTE", "latent"),
    ("Bal-SVM", "BalSVM", "latent"),
    ("EOS", "EOS", "latent"),
]
DA_TABLE_V = [
    ("Balanced", "CE", "Balanced", "input"),
    ("Base", "CE", "Base", "input"),
    ("ROS", "CE", "ROS", "input"),
    ("LDAM", "LDAM", "Base", "input"),
    ("REMIX", "CE", "REMIX", "input"),
    ("DSM", "CE", "DSM", "latent"),
    ("EOS", "CE", "EOS", "latent"),
]


def image_accuracy_markdown(table: pd.DataFrame) -> str:
    """EOS paper Tables I and II and DA paper Table V, one section per dataset and arch, from
    last-epoch models; runs that also kept the best-test-macro-F1 epoch get a labelled
    comparison of the two."""
    selected = table.drop(columns="selection") if "selection" in table else table
    last = table["selection"] == "last" if "selection" in table else slice(None)
    cells = selected[last].set_index(["dataset", "arch", "loss", "method", "space"]).sort_index()
    sections = []
    for (dataset, arch), block in table.groupby(["dataset", "arch"], sort=False):
        key = (dataset, arch)
        cuts = int(block["n_cuts"].max())
        parts = [
            _pixel_vs_fe(cells, key),
            _loss_by_fe_method(cells, key, block),
            _k_sweep(cells, key, block),
            _da_table_v(cells, key),
            _other_runs(cells, key, block),
            _test_selection(table, key),
        ]
        sections.append(
            f"## {dataset}, {arch} (mean over {cuts} cuts; cells {PAPER_CELLS})\n\n"
            + "\n\n".join(part for part in parts if part)
        )
    return "# Image accuracy\n\n" + "\n\n".join(sections) + "\n"


def _test_selection(table: pd.DataFrame, key) -> str:
    """Last-epoch vs best-test-macro-F1-epoch scores of every run that kept both."""
    if "selection" not in table:
        return ""
    block = table[(table["dataset"] == key[0]) & (table["arch"] == key[1])]
    runs = ["loss", "method", "space"]
    best = block[block["selection"] == "best_test_macro_f1"]
    both = best.merge(block[block["selection"] == "last"], on=runs, suffixes=("_best", "_last"))
    if both.empty:
        return ""
    score = " / ".join(["{:.4f}"] * len(PAPER_METRICS))
    rows = [
        [
            r["loss"],
            r["method"],
            r["space"],
            score.format(*(r[f"{m}_mean_last"] for m in PAPER_METRICS)),
            score.format(*(r[f"{m}_mean_best"] for m in PAPER_METRICS)),
            f"{r['bac_mean_best'] - r['bac_mean_last']:+.4f}",
        ]
        for _, r in both.iterrows()
    ]
    header = [
        "Loss",
        "Method",
        "Space",
        f"{SELECTION_LABELS['last']}: {PAPER_CELLS}",
        SELECTION_LABELS["best_test_macro_f1"],
        "BAC gain from test selection",
    ]
    return (
        "### Model selection on the test set, as the authors' code does (not used above)\n\n"
        + markdown_table(header, rows)
    )


def _pixel_vs_fe(cells, key) -> str:
    rows = [
        [
            label,
            _scores(cells, key, "CE", pixel, "input"),
            _scores(cells, key, "CE", fe, "latent") if fe else "–",
        ]
        for label, pixel, fe in PIXEL_VS_FE
    ]
    return (
        "### Over-sampling in pixel vs feature-embedding space, CE (EOS paper Table I)\n\n"
        + markdown_table(["Method", "Pixel space", "FE space"], rows)
    )


def _eos_table_losses(block) -> list[tuple[str, str]]:
    """(row label, loss) of EOS Tables II/IV: the paper's losses present, in its order, then
    any other loss run, labelled as not the paper's (e.g. LDAM without DRW)."""
    run = list(dict.fromkeys(block.loc[block["method"] == "Base", "loss"]))
    paper = [(label, loss) for label, loss in EOS_TABLE_LOSSES if loss in run]
    named = {loss for _, loss in EOS_TABLE_LOSSES}
    return paper + [
        (f"{loss} (not in the paper's table)", loss) for loss in run if loss not in named
    ]


def _loss_by_fe_method(cells, key, block) -> str:
    rows = [
        [label]
        + [_scores(cells, key, loss, method, space) for _, method, space in LOSS_BY_FE_METHOD]
        for label, loss in _eos_table_losses(block)
    ]
    return "### Losses x FE over-sampling (EOS paper Table II)\n\n" + markdown_table(
        ["Loss"] + [label for label, *_ in LOSS_BY_FE_METHOD], rows
    )


def _k_sweep(cells, key, block) -> str:
    """EOS paper Table IV: latent EOS for every K of the sweep (empty without a sweep)."""
    losses = _eos_table_losses(block)
    sweeps = {loss: _eos_sweep(cells, key, loss, "latent") for _, loss in losses}
    ks = sorted({k for sweep in sweeps.values() for k, _ in sweep})
    if not ks:
        return ""
    rows = [
        [label] + [_scores(cells, key, loss, f"EOS_K{k}", "latent") for k in ks]
        for label, loss in losses
    ]
    return "### EOS in FE space by K (EOS paper Table IV)\n\n" + markdown_table(
        ["Loss"] + [f"K={k}" for k in ks], rows
    )


def _da_table_v(cells, key) -> str:
    rows = [
        [label, _scores(cells, key, loss, method, space)]
        for label, loss, method, space in DA_TABLE_V
    ]
    return "### Methods (DA paper Table V)\n\n" + markdown_table(["Method", PAPER_CELLS], rows)


def _layout_runs(cells, key, block) -> set[tuple[str, str, str]]:
    """(loss, method, space) of every run a paper layout above shows (EOS K sweeps resolved
    as :func:`_scores` resolves them)."""
    wanted = {("CE", pixel, "input") for _, pixel, _ in PIXEL_VS_FE}
    wanted |= {("CE", fe, "latent") for _, _, fe in PIXEL_VS_FE if fe}
    wanted |= {(loss, method, space) for _, loss, method, space in DA_TABLE_V}
    for _, loss in _eos_table_losses(block):
        wanted |= {(loss, method, space) for _, method, space in LOSS_BY_FE_METHOD}
        wanted |= {(loss, name, "latent") for _, name in _eos_sweep(cells, key, loss, "latent")}
    return {(loss, _swept_name(cells, key, loss, m, space), space) for loss, m, space in wanted}


def _other_runs(cells, key, block) -> str:
    """Runs no paper layout shows (e.g. a sampler added by config), so no result is hidden."""
    shown = _layout_runs(cells, key, block)
    runs = [run for run in cells.loc[key].index if run not in shown]
    if not runs:
        return ""
    rows = [
        [loss, method, space, _scores(cells, key, loss, method, space)]
        for loss, method, space in runs
    ]
    return "### Other runs (in none of the papers' tables)\n\n" + markdown_table(
        ["Loss", "Method", "Space", PAPER_CELLS], rows
    )


def _scores(cells, key, loss, method, space) -> str:
    index = (*key, loss, _swept_name(cells, key, loss, method, space), space)
    if index not in cells.index:
        return "–"
    row = cells.loc[index]
    return " / ".join(f"{row[f'{metric}_mean']:.4f}" for metric in PAPER_METRICS)


def _eos_sweep(cells, key, loss, space) -> list[tuple[int, str]]:
    """(K, method name) of a K sweep's EOS_K<k> rows, smallest K first."""
    # a study without latent methods (../shared/cases/X1) has no rows of that space
    rows = cells.loc[(*key, loss)].index if (*key, loss) in cells.index else []
    names = [method for method, row_space in rows if row_space == space]
    return sorted((int(name[len("EOS_K") :]), name) for name in names if name.startswith("EOS_K"))


def _swept_name(cells, key, loss, method, space) -> str:
    """With several EOS K the rows are EOS_K<k>: the paper tables show the smallest K."""
    if method != "EOS" or (*key, loss, method, space) in cells.index:
        return method
    sweep = _eos_sweep(cells, key, loss, space)
    return sweep[0][1] if sweep else method
