"""Tables of the image analyses: per-cut rows averaged over cuts (EOS paper Figs 3-4, CE paper
Figs 1, 4, 6)."""

from __future__ import annotations

import pandas as pd

RUN_KEYS = ["dataset", "arch", "loss", "method", "space"]


def _over_cuts(rows: pd.DataFrame, keys: list[str], values: list[str]) -> pd.DataFrame:
    grouped = rows.groupby(keys, sort=False, dropna=False)
    table = grouped[values].mean()
    if "gap" in values:
        table["gap_std"] = grouped["gap"].std()
    table["n_cuts"] = grouped["cut"].nunique()
    return table.reset_index()


def generalization_gap_table(rows: pd.DataFrame) -> pd.DataFrame:
    """``dataset, arch, loss, method, space, class, subset, gap`` (mean over cuts), ``gap_std``
    (sample std over cuts, NaN for one cut), ``n_test`` (mean), ``n_cuts``; subset ``all``,
    ``TP``, ``FP``; ``space`` tells pixel (input) EOS from FE-space (latent) EOS."""
    return _over_cuts(rows, [*RUN_KEYS, "class", "subset"], ["gap", "n_test"])


def embeddings_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Per run and class, mean over cuts: ``n_tp``, ``n_features``, ``needed_mean`` (CE needed
    per instance), ``needed_share`` (CE paper Fig 1), ``distinct_needed`` (Fig 4),
    ``top_share`` (Fig 6), and ``n_cuts``."""
    values = ["n_tp", "n_features", "needed_mean", "needed_share", "distinct_needed", "top_share"]
    return _over_cuts(rows, [*RUN_KEYS, "class"], values)
