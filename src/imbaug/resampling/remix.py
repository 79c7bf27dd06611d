"""REMIX (rebalanced mixup, Chou et al. 2020) as a resampler, and its label rule."""

from __future__ import annotations

from numbers import Real

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval

from imbaug.resampling.eos import DenseOverSampler, interpolate_rows


def remix_label_weight(n_i, n_j, lam, kappa, tau):
    """Weight on the label of ``x_i`` when mixing ``lam * x_i + (1 - lam) * x_j``.

    REMIX rule, elementwise: the weight is 0 where ``n_i / n_j >= kappa`` and
    ``lam < tau`` (the label goes fully to the minority partner ``x_j``); 1 where
    ``n_i / n_j <= 1 / kappa`` and ``1 - lam < tau`` (fully to ``x_i``); ``lam``
    otherwise. The first rule wins where both hold. ``n_i`` and ``n_j`` are the
    class sizes of ``x_i`` and ``x_j``.

    Works on numpy arrays, torch tensors (any device) and Python scalars: it uses
    only arithmetic, comparisons, ``&`` and ``~``, and keeps ``lam``'s dtype.
    """
    if isinstance(lam, (int, float)):
        lam = np.float64(lam)  # so that ``~`` below negates a boolean, not an int
    ratio = n_i / n_j
    to_j = (ratio >= kappa) & (lam < tau)
    to_i = (ratio <= 1 / kappa) & (1 - lam < tau) & ~to_j
    mixed = ~(to_j | to_i)
    return lam * mixed + to_i


class REMIX(DenseOverSampler):
    """Rebalanced mixup (REMIX) used to over-sample a data set.

    Design: each class ``c`` to fill (by default every non-majority class, up to
    the majority count) gets synthetic rows that pair a row ``j`` drawn uniformly
    from class ``c`` with a row ``i`` drawn uniformly from all rows of the other
    classes. ``lam ~ Beta(alpha, alpha)`` is folded to ``[0, 0.5]``
    (``lam = min(lam, 1 - lam)``) and is the weight on ``x_i``:
    ``x = lam * x_i + (1 - lam) * x_j``. The soft label puts
    ``remix_label_weight(n[y_i], n[y_j], lam, kappa, tau)`` on ``y_i`` and the rest
    on ``y_j = c``, with ``n`` the class sizes of the input. The hard label
    returned by ``fit_resample`` is the dominant label of the soft label (``c`` on
    ties). Because ``lam <= 0.5``, it is always ``c`` when ``tau <= 0.5``; with
    ``tau > 0.5`` a row paired with a much smaller class may take ``y_i``.

    The output holds the original rows first (same order), then the synthetic rows.

    Parameters
    ----------
    alpha : float, default=1.0
        Beta distribution parameter of the mixing weight.
    kappa : float, default=3.0
        Class-size ratio from which the label goes fully to the smaller class.
    tau : float, default=0.5
        Mixing-weight threshold of the label rule.
    random_state : int, RandomState instance or None, default=0
        Seed of the pair and weight draws.
    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn.

    Attributes
    ----------
    classes_ : ndarray
        Sorted class labels; the columns of ``soft_labels_``.
    soft_labels_ : ndarray of shape (n_total, n_classes)
        Label distribution per output row; one-hot for the original rows.
    first_indices_, second_indices_ : ndarray of int64, one entry per synthetic row
        Row indices into X of ``x_i`` (other class) and ``x_j`` (the filled class).
    lambdas_ : ndarray of float64, one entry per synthetic row
        The folded mixing weight on ``x_i``.
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "alpha": [Interval(Real, 0, None, closed="neither")],
        "kappa": [Interval(Real, 1, None, closed="left")],
        "tau": [Interval(Real, 0, 1, closed="both")],
    }

    def __init__(self, alpha=1.0, kappa=3.0, tau=0.5, random_state=0, *, sampling_strategy="auto"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.alpha = alpha
        self.kappa = kappa
        self.tau = tau
        self.random_state = random_state

    def _fit_resample(self, X, y):
        rng = check_random_state(self.random_state)
        firsts, seconds = [], []
        for c, n_new in self.sampling_strategy_.items():
            if n_new > 0:
                seconds.append(rng.choice(np.flatnonzero(y == c), size=n_new))
                firsts.append(rng.choice(np.flatnonzero(y != c), size=n_new))
        no_rows = np.empty(0, dtype=np.int64)
        self.first_indices_ = np.concatenate([no_rows, *firsts]).astype(np.int64)
        self.second_indices_ = np.concatenate([no_rows, *seconds]).astype(np.int64)
        lam = rng.beta(self.alpha, self.alpha, size=len(self.first_indices_))
        self.lambdas_ = np.minimum(lam, 1 - lam)

        X_out = np.empty((len(y) + len(self.lambdas_), X.shape[1]), dtype=X.dtype)
        X_out[: len(y)] = X
        # x_j + lam * (x_i - x_j) == lam * x_i + (1 - lam) * x_j
        interpolate_rows(
            X, self.second_indices_, self.first_indices_, self.lambdas_, X_out[len(y) :]
        )
        y_new = self._build_soft_labels(y)
        return X_out, np.concatenate([y, y_new])

    def _build_soft_labels(self, y):
        """Fill ``classes_`` and ``soft_labels_``; return the hard labels of the synthetic rows."""
        self.classes_, column_of_row, counts = np.unique(
            y, return_inverse=True, return_counts=True
        )
        col_i = column_of_row[self.first_indices_]
        col_j = column_of_row[self.second_indices_]
        weight_i = remix_label_weight(
            counts[col_i], counts[col_j], self.lambdas_, self.kappa, self.tau
        )
        n, n_new = len(y), len(self.lambdas_)
        self.soft_labels_ = np.zeros((n + n_new, len(self.classes_)))
        self.soft_labels_[np.arange(n), column_of_row] = 1.0
        synthetic = np.arange(n, n + n_new)
        self.soft_labels_[synthetic, col_i] = weight_i
        self.soft_labels_[synthetic, col_j] = 1.0 - weight_i
        return np.where(weight_i > 0.5, y[self.first_indices_], y[self.second_indices_])
