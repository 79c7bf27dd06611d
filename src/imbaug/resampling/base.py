"""Shared base of this package's samplers (EOS, ReMix, RemixChou, BalancedSVM)."""

from __future__ import annotations

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler

# Rows interpolated per block; bounds the temporary memory for wide inputs (e.g. 3072 pixels).
_INTERPOLATION_BLOCK = 4096


def interpolate_rows(
    X: np.ndarray, start: np.ndarray, end: np.ndarray, steps: np.ndarray, out: np.ndarray
) -> None:
    """Write ``X[start] + steps * (X[end] - X[start])`` into ``out``, row by row, in X's dtype."""
    steps = steps.astype(X.dtype, copy=False)
    for first in range(0, len(start), _INTERPOLATION_BLOCK):
        block = slice(first, first + _INTERPOLATION_BLOCK)
        origin = X[start[block]]
        np.subtract(X[end[block]], origin, out=out[block])
        out[block] *= steps[block, None]
        out[block] += origin


class DenseOverSampler(BaseOverSampler):
    """An imbalanced-learn over-sampler for dense numeric input with a seeded draw.

    Subclasses take keyword-only parameters, ``random_state=None`` by default (as
    imbalanced-learn's samplers), and extend ``_parameter_constraints``. Sparse input
    is rejected with imbalanced-learn's error; pandas input is accepted (its column
    names are checked by ``get_feature_names_out``).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn; "auto" fills every non-majority class to the majority count.
    random_state : int, RandomState instance or None, default=None
        Seed of the sampler's random draws.
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "random_state": ["random_state"],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state

    def _check_X_y(self, X, y, accept_sparse=None):
        return super()._check_X_y(X, y, accept_sparse=False)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags
