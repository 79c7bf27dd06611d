"""Classification embeddings (CE) of a CNN head, per class (CE paper Figs 1, 4-7).

The CE of an instance is ``FE * W[predicted]`` element-wise (CE paper Section 3); the
counting itself ("how many CE, largest first, lift the predicted logit above the runner-up")
lives in :mod:`imbaug.analysis.embeddings`. This module applies it to a CNN's linear or
cosine head for the true positives of every class.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from imbaug.analysis.embeddings import (
    distinct_needed,
    mean_contributions,
    multiclass_oriented,
    needed_counts,
    needed_frequency,
    top_share,
)

TOP_FRACTION = 0.1


def linear_form(features, weight, bias=None, cosine_scale: float | None = None):
    """FE, weights and bias such that ``logits = FE @ W.T + b`` for a linear or cosine head.

    A cosine head (LDAM) computes ``scale * cos(FE, W[c])``; its CE are those of the
    unit-length FE times ``scale`` and the unit-length weight rows, with no bias.

    Parameters
    ----------
    features : array-like of float, shape (n, d)
    weight : array-like of float, shape (n_classes, d)
    bias : array-like of float, shape (n_classes,), or None (zero bias)
    cosine_scale : float or None
        The logit scale of a cosine head; None for a linear head.

    Returns
    -------
    features, weight, bias : float64 ndarrays of shapes (n, d), (n_classes, d), (n_classes,)
    """
    features = np.asarray(features, dtype=np.float64)
    weight = np.asarray(weight, dtype=np.float64)
    bias = np.zeros(len(weight)) if bias is None else np.asarray(bias, dtype=np.float64)
    if cosine_scale is not None:
        features = (
            cosine_scale * features / np.linalg.norm(features, axis=1, keepdims=True).clip(1e-12)
        )
        weight = weight / np.linalg.norm(weight, axis=1, keepdims=True).clip(1e-12)
        bias = np.zeros(len(weight))
    return features, weight, bias


def _true_positive_ce(features, weight, bias, y_true, label):
    predicted = (features @ weight.T + bias).argmax(axis=1)
    rows = (predicted == label) & (np.asarray(y_true) == label)
    return multiclass_oriented(features[rows], weight, bias, predicted[rows])


def class_summary(
    features, weight, bias, y_true, n_classes: int, fraction: float = TOP_FRACTION
) -> pd.DataFrame:
    """Per class, over its true positives: how many CE decide the prediction.

    Parameters
    ----------
    features, weight, bias : from :func:`linear_form`
    y_true : array-like of int, shape (n,)
    n_classes : int
    fraction : float
        Share of CE indices in the "top" set of CE paper Fig 6 (10%).

    Returns
    -------
    DataFrame
        One row per class: ``class``, ``n_tp``, ``n_features``; ``needed_mean`` (CE needed
        per instance, mean; Fig 4 bars "per instance"), ``needed_share`` (that over
        ``n_features``; Fig 1), ``distinct_needed`` (distinct indices over the class's needed
        sets; Fig 4 "entire class"), ``top_share`` (share of the class-mean positive CE held
        by the top ``fraction``; Fig 6). NaN where a class has no true positive.
    """
    rows = []
    for label in range(n_classes):
        contributions, offset, target = _true_positive_ce(features, weight, bias, y_true, label)
        counts = needed_counts(contributions, offset, target)
        counts = counts[counts >= 0].astype(np.float64)
        d = contributions.shape[1]
        empty = len(contributions) == 0
        rows.append(
            {
                "class": label,
                "n_tp": int(len(contributions)),
                "n_features": d,
                "needed_mean": float(counts.mean()) if len(counts) else np.nan,
                "needed_share": float(counts.mean() / d) if len(counts) else np.nan,
                "distinct_needed": np.nan
                if empty
                else distinct_needed(contributions, offset, target),
                "top_share": np.nan if empty else top_share(contributions, fraction),
            }
        )
    return pd.DataFrame(rows)


def class_profile(features, weight, bias, y_true, n_classes: int) -> pd.DataFrame:
    """Per class and CE index: class-mean CE over true positives, its rank, and how often the
    index is among an instance's needed CE (CE paper Figs 5 and 7).

    Returns
    -------
    DataFrame
        Columns ``class``, ``index`` (FE dimension), ``mean_ce`` (FE units x weight units),
        ``rank`` (0 = largest class-mean CE), ``frequency`` (number of true positives that
        need the index). Classes without a true positive are left out.
    """
    frames = []
    for label in range(n_classes):
        contributions, offset, target = _true_positive_ce(features, weight, bias, y_true, label)
        if len(contributions) == 0:
            continue
        mean = mean_contributions(contributions)
        rank = np.empty(len(mean), dtype=np.int64)
        rank[np.argsort(-mean, kind="stable")] = np.arange(len(mean))
        frames.append(
            pd.DataFrame(
                {
                    "class": label,
                    "index": np.arange(len(mean)),
                    "mean_ce": mean,
                    "rank": rank,
                    "frequency": needed_frequency(contributions, offset, target),
                }
            )
        )
    return (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["class", "index", "mean_ce", "rank", "frequency"])
    )
