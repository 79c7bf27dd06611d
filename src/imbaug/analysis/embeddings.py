"""Classification embeddings (CE): how few latent signals carry a prediction.

CE paper ("The hidden influence of latent feature magnitude ...", Section 3): the CE of an
instance for a class is the element-wise product of what enters the classification layer and
that class's weight row, ``CE = FE * W[c]``; the class score is ``sum(CE) + b``. For an SVM the
CE are ``dual_coef_i * K(sv_i, x)``, one per support vector (CE paper eq. 4).

Every function here works on *oriented* contributions: an ``(n, d)`` array whose row sums,
plus ``offset``, make the score that has to exceed ``target`` for the instance to get its
label. Use :func:`binary_oriented` (LG, SVM: class 1 when ``sum + b > 0``) or
:func:`multiclass_oriented` (CNN, NN: runner-up logit) to build them; then

- :func:`needed_counts` / :func:`needed_share` : CE paper Figs 1-3,
- :func:`distinct_needed` : Fig 4 (per instance vs across a class),
- :func:`sorted_mean_magnitudes` : Fig 5,
- :func:`top_share` : Fig 6,
- :func:`needed_frequency` : Fig 7 (index frequency vs magnitude).
"""

from __future__ import annotations

import numpy as np

NOT_REACHED = -1
"""Marker in :func:`needed_counts` for a row whose positive contributions never reach ``target``."""


def _as_rows(contributions) -> np.ndarray:
    contributions = np.asarray(contributions, dtype=np.float64)
    if contributions.ndim != 2:
        raise ValueError(
            f"contributions must be a 2-D (instances, features) array, got shape {contributions.shape}"
        )
    return contributions


def _sorted_positive(contributions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices of each row's contributions, largest first, and the cumulative positive sum."""
    order = np.argsort(-contributions, axis=1, kind="stable")
    ranked = np.take_along_axis(contributions, order, axis=1)
    return order, np.cumsum(np.clip(ranked, 0.0, None), axis=1)


def needed_counts(contributions, offset=0.0, target=0.0) -> np.ndarray:
    """Number of positive contributions, added largest first, that lift the score above ``target``.

    The start value is ``offset`` (the bias) plus every negative contribution of the row;
    positive contributions are then added in decreasing order until the sum exceeds
    ``target`` (CE paper Section 5.1: "the number of CE needed to exceed the sum of CE of the
    next largest predicted class").

    Parameters
    ----------
    contributions : array-like of float, shape (n_instances, n_features)
        Oriented CE of each instance (see the module docstring).
    offset : float or array-like of float, shape (n_instances,)
        Bias of the predicted class. Negative contributions are added here by this function.
    target : float or array-like of float, shape (n_instances,)
        Score to exceed: 0 for a binary decision function, the runner-up logit otherwise.

    Returns
    -------
    ndarray of int64, shape (n_instances,)
        0 when the start value already exceeds ``target``; :data:`NOT_REACHED` (-1) when even
        all positive contributions do not (the instance does not get that label).

    Raises
    ------
    ValueError
        If ``contributions`` is not 2-D.
    """
    contributions = _as_rows(contributions)
    n, d = contributions.shape
    offset = np.broadcast_to(np.asarray(offset, dtype=np.float64), (n,))
    target = np.broadcast_to(np.asarray(target, dtype=np.float64), (n,))
    start = offset + np.clip(contributions, None, 0.0).sum(axis=1)
    _, cumulative = _sorted_positive(contributions)
    reached = (start[:, None] + np.concatenate([np.zeros((n, 1)), cumulative], axis=1)) > target[
        :, None
    ]
    counts = np.where(reached.any(axis=1), reached.argmax(axis=1), NOT_REACHED)
    return counts.astype(np.int64)


def needed_share(contributions, offset=0.0, target=0.0) -> np.ndarray:
    """:func:`needed_counts` divided by the number of CE (CE paper Figs 1-3, y-axis).

    Returns
    -------
    ndarray of float64, shape (n_instances,)
        Share in [0, 1]; NaN where the target is not reached.
    """
    contributions = _as_rows(contributions)
    counts = needed_counts(contributions, offset, target).astype(np.float64)
    counts[counts == NOT_REACHED] = np.nan
    return counts / contributions.shape[1]


def needed_sets(contributions, offset=0.0, target=0.0) -> list[np.ndarray]:
    """The CE indices each instance needs: its ``needed_counts`` largest contributions.

    Returns
    -------
    list of ndarray of int64
        One array per instance (empty where nothing, or where the target is never, reached).
    """
    contributions = _as_rows(contributions)
    counts = needed_counts(contributions, offset, target)
    order, _ = _sorted_positive(contributions)
    return [order[i, : max(count, 0)] for i, count in enumerate(counts)]


def distinct_needed(contributions, offset=0.0, target=0.0) -> int:
    """Number of distinct CE indices over the needed sets of a class (CE paper Fig 4, the
    "entire class" bars; the per-instance bars are :func:`needed_counts`)."""
    sets = needed_sets(contributions, offset, target)
    return int(np.unique(np.concatenate(sets)).size) if sets else 0


def needed_frequency(contributions, offset=0.0, target=0.0) -> np.ndarray:
    """How many instances need each CE index (CE paper Fig 7, "frequency").

    Returns
    -------
    ndarray of int64, shape (n_features,)
    """
    contributions = _as_rows(contributions)
    sets = needed_sets(contributions, offset, target)
    flat = np.concatenate(sets) if sets else np.zeros(0, dtype=np.int64)
    return np.bincount(flat.astype(np.int64), minlength=contributions.shape[1])


def mean_contributions(contributions) -> np.ndarray:
    """Class-mean CE per index, shape (n_features,) (CE paper Figs 5 and 7, "magnitude")."""
    return _as_rows(contributions).mean(axis=0)


def sorted_mean_magnitudes(contributions) -> tuple[np.ndarray, np.ndarray]:
    """Class-mean CE sorted largest first, with their indices (CE paper Fig 5).

    Returns
    -------
    values : ndarray of float64, shape (n_features,)
    indices : ndarray of int64, shape (n_features,)
    """
    mean = mean_contributions(contributions)
    order = np.argsort(-mean, kind="stable")
    return mean[order], order


def top_share(contributions, fraction: float = 0.1) -> float:
    """Share of the class-mean positive CE sum held by its top ``fraction`` of CE (CE paper Fig 6).

    CE paper Section 5.2: the sum of the top 10% of CE (by class-mean magnitude) divided by
    the sum of the appropriately signed CE. With oriented contributions that is the positive
    part of the class-mean CE vector. The top set has ``ceil(fraction * n_features)`` indices.

    Returns
    -------
    float
        In [0, 1]; NaN when no class-mean CE is positive.

    Raises
    ------
    ValueError
        If ``fraction`` is not in (0, 1].
    """
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], got {fraction}")
    positive = np.clip(mean_contributions(contributions), 0.0, None)
    total = positive.sum()
    if total <= 0:
        return float("nan")
    k = int(np.ceil(fraction * positive.size))
    return float(np.sort(positive)[::-1][:k].sum() / total)


def binary_oriented(ce, bias: float, predicted, threshold: float = 0.0):
    """Orient binary CE (LG, SVM) towards the predicted class.

    A binary model predicts class 1 when ``sum(ce) + bias > threshold``. For an instance
    predicted 0 the signs flip, so the "appropriately signed" CE (negative for label 0, CE
    paper Section 5.2) become positive.

    Parameters
    ----------
    ce : array-like of float, shape (n_instances, n_features)
    bias : float
    predicted : array-like of int, shape (n_instances,), values 0 or 1
    threshold : float

    Returns
    -------
    contributions : ndarray (n_instances, n_features)
    offset : ndarray (n_instances,)
    target : ndarray (n_instances,)
    """
    ce = _as_rows(ce)
    sign = np.where(np.asarray(predicted) == 1, 1.0, -1.0)
    return ce * sign[:, None], sign * bias, sign * threshold


def multiclass_oriented(features, weight, bias, predicted):
    """CE of the predicted class and the runner-up logit (CNN / NN heads, CE paper Fig 1).

    Parameters
    ----------
    features : array-like of float, shape (n_instances, n_features)
        What enters the classification layer (FE).
    weight : array-like of float, shape (n_classes, n_features)
    bias : array-like of float, shape (n_classes,)
    predicted : array-like of int, shape (n_instances,)

    Returns
    -------
    contributions : ndarray (n_instances, n_features)
        ``features * weight[predicted]``.
    offset : ndarray (n_instances,)
        ``bias[predicted]``.
    target : ndarray (n_instances,)
        The largest logit of the other classes.
    """
    features = _as_rows(features)
    weight, bias = np.asarray(weight, dtype=np.float64), np.asarray(bias, dtype=np.float64)
    predicted = np.asarray(predicted, dtype=np.int64)
    logits = features @ weight.T + bias
    others = logits.copy()
    others[np.arange(len(predicted)), predicted] = -np.inf
    return features * weight[predicted], bias[predicted], others.max(axis=1)


# --- CE of the tabular classifiers (CE paper eqs. 2-4) ------------------------------------------


def linear_contributions(model, X) -> tuple[np.ndarray, float]:
    """CE of a binary linear model (LG): ``x * coef`` per feature, and the intercept.

    Parameters
    ----------
    model : fitted binary scikit-learn linear classifier (``coef_`` of shape (1, d))
    X : array-like of float, shape (n_instances, d)

    Returns
    -------
    ce : ndarray (n_instances, d)
    bias : float
    """
    return np.asarray(X, dtype=np.float64) * model.coef_[0], float(model.intercept_[0])


def svm_contributions(model, X) -> tuple[np.ndarray, float]:
    """CE of a binary RBF SVC: ``dual_coef_i * K(sv_i, x)`` per support vector (CE paper eq. 4).

    Their sum plus the intercept is ``model.decision_function(X)``.

    Returns
    -------
    ce : ndarray (n_instances, n_support_vectors)
    bias : float

    Raises
    ------
    ValueError
        If the SVC does not use the RBF kernel.
    """
    from sklearn.metrics.pairwise import rbf_kernel

    if model.kernel != "rbf":
        raise ValueError(f"svm_contributions handles the RBF kernel only, got {model.kernel!r}")
    kernel = rbf_kernel(np.asarray(X, dtype=np.float64), model.support_vectors_, gamma=model._gamma)
    return kernel * model.dual_coef_[0], float(model.intercept_[0])


def class_summaries(ce, bias: float, y_true, y_pred, top_fraction: float = 0.1) -> list[dict]:
    """Per-class CE summaries over each class's true positives (CE paper Figs 2-7, binary).

    Returns
    -------
    list of dict, one per class with true positives: ``class``, ``n_tp``, ``n_ce``,
    ``needed_share`` (mean over TPs, Figs 2-3), ``distinct_share`` (distinct needed indices
    over the class / n_ce, Fig 4), ``top_share`` (Fig 6), and ``profile``: a DataFrame-ready
    dict of ``rank, index, mean_ce, frequency`` (Figs 5 and 7).
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    summaries = []
    for label in np.unique(y_true):
        tp = (y_true == label) & (y_pred == label)
        if not tp.any():
            continue
        contributions, offset, target = binary_oriented(np.asarray(ce)[tp], bias, y_pred[tp])
        counts = needed_counts(contributions, offset, target)
        n_ce = contributions.shape[1]
        values, indices = sorted_mean_magnitudes(contributions)
        frequency = needed_frequency(contributions, offset, target)
        summaries.append(
            {
                "class": int(label),
                "n_tp": int(tp.sum()),
                "n_ce": n_ce,
                "needed_share": float(counts[counts >= 0].mean() / n_ce)
                if (counts >= 0).any()
                else np.nan,
                "distinct_share": distinct_needed(contributions, offset, target) / n_ce,
                "top_share": top_share(contributions, top_fraction),
                "profile": {
                    "rank": np.arange(n_ce),
                    "index": indices,
                    "mean_ce": values,
                    "frequency": frequency[indices],
                },
            }
        )
    return summaries
