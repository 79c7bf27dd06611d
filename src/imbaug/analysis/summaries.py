"""Tidy tables of the analyses: the per-run rows of every dataset (and, once added, the image
runs with classifier "CNN") averaged over splits, one row per dataset x classifier x method.

Each per-run frame has ``dataset, classifier, split, space, method, applicable`` and the value
columns; image runs may name the replicate ``cut`` instead of ``split``. A method that was not
applicable on some splits is averaged over the others, and ``n_not_applicable`` says on how many
it was not; a method applicable nowhere keeps a row of NaN values (``../shared/cases/T2``).
"""

from __future__ import annotations

import pandas as pd

KEYS = ["dataset", "classifier", "method"]
SV_COLUMNS = [
    "sv_ratio_to_base",
    "majority_minority_sv_ratio",
    "dual_coef_ratio",
    "new_sv_share",
    "synthetic_sv_share",
]
WEIGHT_COLUMNS = [
    "weight_change",
    "weight_change_excluded",
    "frobenius_norm",
    "norm_class0",
    "norm_class1",
]
CE_COLUMNS = ["needed_share", "distinct_share", "top_share"]


def combine(frames) -> pd.DataFrame:
    """Stack per-run frames, naming every replicate column ``split``."""
    frames = [f.rename(columns={"cut": "split"}) for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def mean_over_splits(
    runs: pd.DataFrame, values: list[str], keys=KEYS, std: bool = True
) -> pd.DataFrame:
    """Mean (and sample std, ``<column>_std``) of ``values`` over splits per ``keys``.

    Returns
    -------
    DataFrame with ``keys``, each value column, ``<value>_std``, ``n_splits`` (splits where the
    method ran) and ``n_not_applicable``; first-seen key order; empty (with these columns)
    when ``runs`` is empty.
    """
    stats = [c for v in values for c in ([v, f"{v}_std"] if std else [v])]
    columns = [*keys, *stats, "n_splits", "n_not_applicable"]
    if runs.empty:
        return pd.DataFrame(columns=columns)
    runs = runs.drop_duplicates([c for c in [*keys, "split", "space"] if c in runs.columns])
    present = [v for v in values if v in runs.columns]
    grouped = runs.groupby(keys, sort=False)
    table = grouped[present].mean()
    if std:
        spread = grouped[present].std()
        for value in present:
            table[f"{value}_std"] = spread[value]
    table["n_splits"] = grouped["applicable"].apply(lambda s: int(s.astype(bool).sum()))
    table["n_not_applicable"] = grouped["applicable"].apply(lambda s: int((~s.astype(bool)).sum()))
    return table.reset_index().reindex(columns=columns)


def support_vector_table(runs: pd.DataFrame) -> pd.DataFrame:
    """DA paper Figs 2-6: ``dataset, method, sv_ratio_to_base, ..., synthetic_sv_share`` (+ _std)."""
    table = mean_over_splits(runs, SV_COLUMNS)
    return table.drop(columns="classifier")


def weight_change_table(runs: pd.DataFrame) -> pd.DataFrame:
    """DA paper Tables VI-VII and Figs 7-9: ``dataset, classifier, method, weight_change`` then
    the norms, mean over splits."""
    return mean_over_splits(runs, WEIGHT_COLUMNS)


def top_k_overlap_table(runs: pd.DataFrame) -> pd.DataFrame:
    """DA paper Tables IX-X: ``dataset, classifier, method, overlap`` (+ std)."""
    return mean_over_splits(runs, ["overlap"])


def top_features_table(runs: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """DA paper Figs 11-12: each class's top features by importance averaged over splits.

    Returns
    -------
    DataFrame ``dataset, classifier, method, class, rank, feature, importance``.
    """
    columns = [*KEYS, "class", "rank", "feature", "importance"]
    if runs.empty or "feature" not in runs:
        return pd.DataFrame(columns=columns)
    runs = runs[runs["applicable"].astype(bool)]
    n_splits = runs.groupby(KEYS, sort=False)["split"].transform("nunique")
    runs = runs.assign(importance=runs["importance"] / n_splits)  # absent from a split's top = 0
    mean = runs.groupby([*KEYS, "class", "feature"], sort=False)["importance"].sum().reset_index()
    group = mean.groupby([*KEYS, "class"], sort=False)
    mean["rank"] = group["importance"].rank(ascending=False, method="first").astype(int) - 1
    mean["order"] = group.ngroup()  # first-seen order of dataset, classifier, method, class
    mean = mean[mean["rank"] < top].sort_values(["order", "rank"])
    return mean.reindex(columns=columns).reset_index(drop=True)


def embeddings_table(runs: pd.DataFrame) -> pd.DataFrame:
    """CE paper Figs 2-4 and 6: ``dataset, classifier, method, class, needed_share,
    distinct_share, top_share`` (+ std), mean over splits."""
    if runs.empty:
        return mean_over_splits(runs, CE_COLUMNS, keys=[*KEYS, "class"])
    classes = runs.dropna(subset=["class"]) if "class" in runs else runs
    missing = runs[~runs["applicable"].astype(bool)]
    # a not-applicable run has no class rows: give it one per class seen in the dataset
    filled = [classes]
    for record in missing.to_dict("records"):
        for label in sorted(classes.loc[classes.dataset == record["dataset"], "class"].unique()):
            filled.append(pd.DataFrame([{**record, "class": label}]))
    return mean_over_splits(pd.concat(filled, ignore_index=True), CE_COLUMNS, keys=[*KEYS, "class"])


def embedding_profiles_table(runs: pd.DataFrame) -> pd.DataFrame:
    """CE paper Figs 5 and 7: mean CE by rank (largest first) and the needed-set frequency of
    the index at that rank, averaged over splits.

    Returns
    -------
    DataFrame ``dataset, classifier, method, class, rank, mean_ce, frequency``.
    """
    columns = [*KEYS, "class", "rank", "mean_ce", "frequency"]
    if runs.empty or "rank" not in runs:
        return pd.DataFrame(columns=columns)
    runs = runs[runs["applicable"].astype(bool)]
    table = runs.groupby([*KEYS, "class", "rank"], sort=False)[["mean_ce", "frequency"]].mean()
    return table.reset_index().reindex(columns=columns)
