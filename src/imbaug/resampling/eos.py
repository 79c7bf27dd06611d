"""Expansive Over-Sampling (EOS): interpolate minority points towards their nearest enemies."""

from __future__ import annotations

import logging
from numbers import Integral

import numpy as np
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval

from imbaug.resampling.base import DenseOverSampler, interpolate_rows

logger = logging.getLogger("imbaug.resampling")


def neighbours_excluding_self(X: np.ndarray, rows: np.ndarray, k: int, n_jobs=None) -> np.ndarray:
    """Indices (into X) of the k nearest neighbours of ``X[rows]`` among all of X, self excluded."""
    nn = NearestNeighbors(n_neighbors=k + 1, n_jobs=n_jobs).fit(X)
    found = nn.kneighbors(X[rows], return_distance=False)
    is_self = found == rows[:, None]
    # With exact duplicates a row can be missing from its own k+1 list; drop the farthest then.
    is_self[~is_self.any(axis=1), -1] = True
    return found[~is_self].reshape(len(rows), k)


def _nth_true_column(mask: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Column of the (n+1)-th True in each row of a boolean matrix."""
    return (np.cumsum(mask, axis=1) > n[:, None]).argmax(axis=1)


class EOS(DenseOverSampler):
    """Expansive Over-Sampling (EOS), an imbalanced-learn compatible over-sampler.

    K nearest neighbours are searched over all classes (the point itself excluded).
    A row of a class being over-sampled is a *candidate base* if at least one of
    its K neighbours belongs to another class (an *enemy*). Each synthetic row of
    class ``c`` picks a candidate base of ``c`` uniformly, one of that base's enemy
    neighbours uniformly, ``r ~ U[0, 1)``, and is ``base + r * (enemy - base)``
    with label ``c`` (EOS paper, section III-D, Algorithm 2). The authors'
    released script picks the partner one neighbour rank off, so some of its
    partners are the base itself or of the same class; this class implements the
    algorithm as the paper describes it.

    Fallback: if no row of a class has an enemy among its K neighbours, every row
    of that class becomes a base and its partner is its single nearest enemy (the
    nearest row of any other class); a warning is logged on the
    ``imbaug.resampling`` logger and the class is listed in ``fallback_classes_``.

    The data set needs more than ``k_neighbors`` rows in total; a small class is
    fine because neighbours are searched over all classes. The output holds the
    original rows first (same order), then the synthetic rows, in X's dtype.

    Parameters
    ----------
    k_neighbors : int, default=10
        Number of nearest neighbours (K) searched over all classes.
    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn; "auto" fills every non-majority class to the majority count.
    random_state : int, RandomState instance or None, default=None
        Seed of the base, partner and step draws.
    n_jobs : int or None, default=None
        Parallel jobs of the neighbour search.

    Attributes
    ----------
    base_indices_, partner_indices_ : ndarray of int64, one entry per synthetic row
        Row indices into X of the base and of its enemy partner.
    steps_ : ndarray of float64, one entry per synthetic row
        The interpolation step ``r``, in [0, 1).
    fallback_classes_ : list
        Classes that used the nearest-enemy fallback.

    Raises
    ------
    ValueError
        From ``fit_resample`` when the data set has no more than ``k_neighbors`` rows.

    References
    ----------
    D. Dablain, B. Krawczyk, C. Bellinger and N. V. Chawla, "Efficient Augmentation for
    Imbalanced Deep Learning" (EOS paper), section III-D and Algorithm 2.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from imbaug.resampling import EOS
    >>> X, y = make_classification(n_samples=200, weights=[0.9, 0.1], random_state=0)
    >>> X_res, y_res = EOS(k_neighbors=10, random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [179, 179]
    >>> bool((X_res[:200] == X).all())
    True
    """

    _parameter_constraints: dict = {
        **DenseOverSampler._parameter_constraints,
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "n_jobs": [Integral, None],
    }

    def __init__(self, *, k_neighbors=10, sampling_strategy="auto", random_state=None, n_jobs=None):
        super().__init__(sampling_strategy=sampling_strategy, random_state=random_state)
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y):
        if len(y) <= self.k_neighbors:
            raise ValueError(
                f"EOS needs more than k_neighbors={self.k_neighbors} rows in total; "
                f"it has {len(y)}."
            )
        rng = check_random_state(self.random_state)
        targets = {c: n for c, n in self.sampling_strategy_.items() if n > 0}
        self.fallback_classes_ = []
        if targets:
            self.base_indices_, self.partner_indices_ = self._draw_all_pairs(X, y, targets, rng)
        else:
            self.base_indices_ = self.partner_indices_ = np.empty(0, dtype=np.int64)
        self.steps_ = rng.random_sample(len(self.base_indices_))

        X_out = np.empty((len(y) + len(self.steps_), X.shape[1]), dtype=X.dtype)
        X_out[: len(y)] = X
        interpolate_rows(X, self.base_indices_, self.partner_indices_, self.steps_, X_out[len(y) :])
        return X_out, np.concatenate([y, y[self.base_indices_]])

    def _draw_all_pairs(self, X, y, targets, rng):
        """(base, partner) row indices for every synthetic row, class by class."""
        target_rows = np.flatnonzero(np.isin(y, list(targets)))
        neighbours = neighbours_excluding_self(X, target_rows, self.k_neighbors, self.n_jobs)
        pairs = []
        for c, n_new in targets.items():
            in_class = y[target_rows] == c
            pairs.append(
                self._draw_pairs(X, y, c, target_rows[in_class], neighbours[in_class], n_new, rng)
            )
        bases, partners = zip(*pairs)
        return np.concatenate(bases).astype(np.int64), np.concatenate(partners).astype(np.int64)

    def _draw_pairs(self, X, y, c, class_rows, neighbours, n_new, rng):
        """Draw ``n_new`` (base, enemy partner) row-index pairs for class ``c``."""
        is_enemy = y[neighbours] != c
        candidates = np.flatnonzero(is_enemy.any(axis=1))
        if len(candidates) == 0:
            return self._draw_fallback_pairs(X, y, c, class_rows, n_new, rng)
        chosen = rng.choice(candidates, size=n_new)
        n_enemies = is_enemy[chosen].sum(axis=1)
        which_enemy = np.floor(rng.random_sample(n_new) * n_enemies).astype(np.int64)
        column = _nth_true_column(is_enemy[chosen], which_enemy)
        return class_rows[chosen], neighbours[chosen, column]

    def _draw_fallback_pairs(self, X, y, c, class_rows, n_new, rng):
        """Pair uniformly drawn rows of class ``c`` with their single nearest enemy."""
        logger.warning(
            "EOS: no row of class %s has an enemy among its k_neighbors=%d neighbours; "
            "falling back to every row of the class with its nearest enemy.",
            c.item() if hasattr(c, "item") else c,
            self.k_neighbors,
        )
        self.fallback_classes_.append(c)
        enemy_rows = np.flatnonzero(y != c)
        nn = NearestNeighbors(n_neighbors=1, n_jobs=self.n_jobs).fit(X[enemy_rows])
        nearest_enemy = enemy_rows[nn.kneighbors(X[class_rows], return_distance=False)[:, 0]]
        chosen = rng.randint(len(class_rows), size=n_new)
        return class_rows[chosen], nearest_enemy[chosen]
