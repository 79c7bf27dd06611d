"""ReMix (Bellinger, Corizzo & Japkowicz 2020): class-balanced batches mixed with mixup, and
Chou et al.'s Remix (rebalanced mixup with the kappa/tau label rule) under its own name."""

from __future__ import annotations

from numbers import Real

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval

from imbaug.resampling.base import DenseOverSampler, interpolate_rows

# --------------------------------------------------------------------------- per-batch ReMix


def balanced_batch_indices(
    y: np.ndarray, batch_size: int, n_batches: int, rng: np.random.Generator
) -> np.ndarray:
    """Row indices of ``n_batches`` class-balanced batches drawn from labels ``y``.

    Each batch holds ``batch_size // C`` rows of every one of the C classes present in
    ``y`` (the remaining ``batch_size % C`` slots go to distinct classes drawn at
    random), each drawn uniformly with replacement from the rows of its class: the
    majority is under-sampled and the minority over-sampled (ReMix's batch
    resampling, Bellinger et al. 2020, section 3). Rows within a batch are shuffled.

    Parameters
    ----------
    y : ndarray of int, shape (n,)
        Class labels of the training rows.
    batch_size, n_batches : int
        Rows per batch (at least 1) and number of batches.
    rng : numpy.random.Generator
        Source of the draws.

    Returns
    -------
    ndarray of int64, shape (n_batches, batch_size)
        Indices into ``y``.
    """
    if batch_size < 1 or n_batches < 0:
        raise ValueError(
            f"batch_size must be >= 1 and n_batches >= 0; got {batch_size}, {n_batches}"
        )
    classes = np.unique(y)
    rows_of = [np.flatnonzero(y == c) for c in classes]
    per_class, extra = divmod(batch_size, len(classes))
    batches = np.empty((n_batches, batch_size), dtype=np.int64)
    for b in range(n_batches):
        counts = np.full(len(classes), per_class)
        counts[rng.choice(len(classes), size=extra, replace=False)] += 1
        drawn = [rows[rng.integers(len(rows), size=k)] for rows, k in zip(rows_of, counts)]
        batches[b] = rng.permutation(np.concatenate(drawn))
    return batches


def mixup(x, soft_targets, lam, partner):
    """Mixup of a batch with a permutation of itself (Zhang et al. 2018).

    ``x' = lam * x + (1 - lam) * x[partner]`` and the same for the soft targets, so
    each output row's targets still sum to 1. Works on numpy arrays and torch tensors
    (arithmetic and indexing only).

    Parameters
    ----------
    x : array (B, ...)
        The batch.
    soft_targets : array (B, C)
        Label distributions of the batch (one-hot rows for hard labels).
    lam : float or array broadcastable to (B, 1)
        Weight on the row itself.
    partner : int array (B,)
        A permutation of ``range(B)``.

    Returns
    -------
    (mixed x, mixed soft targets), same shapes and types as the inputs.
    """
    return x * lam + x[partner] * (1 - lam), soft_targets * lam + soft_targets[partner] * (1 - lam)


# --------------------------------------------------------------------------- fixed-set ReMix


class ReMix(DenseOverSampler):
    """ReMix as a fixed resampled set: a class-balanced re-draw of the rows, mixed.

    For classifiers that need one training set and hard labels (SVM, LG), built the way
    ReMix builds its training batches (Bellinger et al. 2020; DA paper section II-A:
    "REMIX both randomly under- and over-samples"):

    1. Re-draw: every class ``c`` gets ``n_c + s_c`` rows (``s_c`` from
       ``sampling_strategy``; "auto" gives every class the majority count), drawn
       uniformly from its rows, without replacement when it has enough rows (the
       majority: each row exactly once) and with replacement otherwise.
    2. Mix: each drawn row ``i`` is paired with the row at a random permutation of the
       drawn rows, ``lam ~ Beta(alpha, alpha)`` folded to ``[0.5, 1]``
       (``max(lam, 1 - lam)``, which leaves the set of mixed points' distribution
       unchanged because the pairing is symmetric), ``x = lam * x_i + (1 - lam) * x_j``,
       soft label ``lam * onehot(y_i) + (1 - lam) * onehot(y_j)``.
    3. Hard label: the dominant soft label, i.e. ``y_i``; so the class counts of the
       output equal the re-drawn counts exactly.

    Every output row is mixed (no original row is kept as it is); ``first_indices_``,
    ``second_indices_`` and ``lambdas_`` record both parents. For training a network,
    use :func:`balanced_batch_indices` and :func:`mixup` per batch instead.

    Parameters
    ----------
    alpha : float, default=0.2
        Beta distribution parameter of the mixing weight; 0.2 is the authors' code
        default (and mixup's ImageNet value).
    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn: how many rows each class gains in the re-draw.
    random_state : int, RandomState instance or None, default=None
        Seed of the re-draw, the pairing and the mixing weights.

    Attributes
    ----------
    classes_ : ndarray
        Sorted class labels; the columns of ``soft_labels_``.
    first_indices_, second_indices_ : ndarray of int64, one entry per output row
        Row indices into X of the dominant parent ``x_i`` and of its partner ``x_j``.
    lambdas_ : ndarray of float64, one entry per output row
        The weight on ``x_i``, in [0.5, 1].
    soft_labels_ : ndarray of float64, shape (n_out, n_classes)
        Label distribution of each output row; rows sum to 1.

    References
    ----------
    C. Bellinger, R. Corizzo and N. Japkowicz, "ReMix: Calibrated resampling for class
    imbalance in deep learning", arXiv:2012.02312, 2020. H. Zhang, M. Cisse, Y. N. Dauphin
    and D. Lopez-Paz, "mixup: Beyond empirical risk minimization", ICLR 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from imbaug.resampling import ReMix
    >>> X, y = make_classification(n_samples=200, weights=[0.9, 0.1], random_state=0)
    >>> sampler = ReMix(alpha=0.2, random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [179, 179]
    >>> bool(sampler.soft_labels_.sum(axis=1).round(12).min() == 1.0)
    True
    """

    _parameter_constraints: dict = {
        **DenseOverSampler._parameter_constraints,
        "alpha": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(self, *, alpha=0.2, sampling_strategy="auto", random_state=None):
        super().__init__(sampling_strategy=sampling_strategy, random_state=random_state)
        self.alpha = alpha

    def _fit_resample(self, X, y):
        rng = check_random_state(self.random_state)
        self.classes_, column_of_row = np.unique(y, return_inverse=True)
        drawn = []
        for c in self.classes_:
            rows = np.flatnonzero(y == c)
            target = len(rows) + self.sampling_strategy_.get(c, 0)
            drawn.append(rng.choice(rows, size=target, replace=target > len(rows)))
        self.first_indices_ = np.concatenate(drawn).astype(np.int64)
        self.second_indices_ = self.first_indices_[rng.permutation(len(self.first_indices_))]
        lam = rng.beta(self.alpha, self.alpha, size=len(self.first_indices_))
        self.lambdas_ = np.maximum(lam, 1 - lam)

        X_out = np.empty((len(self.lambdas_), X.shape[1]), dtype=X.dtype)
        # x_i + (1 - lam) * (x_j - x_i) == lam * x_i + (1 - lam) * x_j
        interpolate_rows(X, self.first_indices_, self.second_indices_, 1 - self.lambdas_, X_out)
        rows = np.arange(len(self.lambdas_))
        self.soft_labels_ = np.zeros((len(rows), len(self.classes_)))
        self.soft_labels_[rows, column_of_row[self.first_indices_]] += self.lambdas_
        self.soft_labels_[rows, column_of_row[self.second_indices_]] += 1 - self.lambdas_
        return X_out, y[self.first_indices_]


# --------------------------------------------------------------------------- Chou et al.'s Remix


def remix_label_weight(n_i, n_j, lam, kappa, tau):
    """Weight on the label of ``x_i`` when mixing ``lam * x_i + (1 - lam) * x_j`` (Chou et al.).

    Remix rule (Chou et al. 2020, eq. 3), elementwise: the weight is 0 where
    ``n_i / n_j >= kappa`` and ``lam < tau`` (the label goes fully to the minority
    partner ``x_j``); 1 where ``n_i / n_j <= 1 / kappa`` and ``1 - lam < tau`` (fully to
    ``x_i``); ``lam`` otherwise. The first rule wins where both hold. ``n_i`` and
    ``n_j`` are the class sizes of ``x_i`` and ``x_j``.

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


class RemixChou(DenseOverSampler):
    """Chou et al.'s Remix (rebalanced mixup) used to over-sample a data set.

    Not the ReMix the papers cite (that is :class:`ReMix`); kept under its own name.
    Each class ``c`` to fill (by default every non-majority class, up to the majority
    count) gets synthetic rows that pair a row ``j`` drawn uniformly from class ``c``
    with a row ``i`` drawn uniformly from all rows of the other classes.
    ``lam ~ Beta(alpha, alpha)`` is folded to ``[0, 0.5]`` and is the weight on
    ``x_i``: ``x = lam * x_i + (1 - lam) * x_j``. The soft label puts
    ``remix_label_weight(n[y_i], n[y_j], lam, kappa, tau)`` on ``y_i`` and the rest on
    ``y_j = c``, with ``n`` the class sizes of the input. The hard label is the dominant
    soft label (``c`` on ties). The output holds the original rows first (same order),
    then the synthetic rows.

    Parameters
    ----------
    alpha : float, default=1.0
        Beta distribution parameter of the mixing weight (Chou et al. use 1).
    kappa : float, default=3.0
        Class-size ratio from which the label goes fully to the smaller class.
    tau : float, default=0.5
        Mixing-weight threshold of the label rule.
    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn.
    random_state : int, RandomState instance or None, default=None
        Seed of the pair and weight draws.

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

    References
    ----------
    H.-P. Chou, S.-C. Chang, J.-Y. Pan, W. Wei and D.-C. Juan, "Remix: Rebalanced
    Mixup", ECCV 2020 Workshops.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from imbaug.resampling import RemixChou
    >>> X, y = make_classification(n_samples=200, weights=[0.9, 0.1], random_state=0)
    >>> X_res, y_res = RemixChou(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [179, 179]
    """

    _parameter_constraints: dict = {
        **DenseOverSampler._parameter_constraints,
        "alpha": [Interval(Real, 0, None, closed="neither")],
        "kappa": [Interval(Real, 1, None, closed="left")],
        "tau": [Interval(Real, 0, 1, closed="both")],
    }

    def __init__(
        self, *, alpha=1.0, kappa=3.0, tau=0.5, sampling_strategy="auto", random_state=None
    ):
        super().__init__(sampling_strategy=sampling_strategy, random_state=random_state)
        self.alpha = alpha
        self.kappa = kappa
        self.tau = tau

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
        return X_out, np.concatenate([y, y_new.astype(y.dtype, copy=False)])

    def _build_soft_labels(self, y):
        """Fill ``classes_`` and ``soft_labels_``; return the hard labels of the synthetic rows."""
        self.classes_, column_of_row, counts = np.unique(y, return_inverse=True, return_counts=True)
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
