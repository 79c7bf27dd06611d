"""Weight norms and weight change of a classification layer (DA paper Section IV-C).

DA paper ("How data augmentation works ...") Fig 7 (LG norms), Figs 8-10 (per-class norms of
the NN / CNN last layer) and Tables VI-VIII (weight change of the classification layer
relative to the model trained without augmentation, "Base").
"""

from __future__ import annotations

import numpy as np


def _matrix(weight, name: str = "weight") -> np.ndarray:
    weight = np.asarray(weight, dtype=np.float64)
    if weight.ndim == 1:
        weight = weight[None, :]
    if weight.ndim != 2:
        raise ValueError(
            f"{name} must be a (n_classes, n_features) matrix, got shape {weight.shape}"
        )
    return weight


def frobenius_norm(weight) -> float:
    """Frobenius norm ``sqrt(sum W_ij^2)`` of a weight matrix (DA paper Fig 7).

    Parameters
    ----------
    weight : array-like of float, shape (n_classes, n_features) or (n_features,)
    """
    return float(np.linalg.norm(_matrix(weight)))


def class_norms(weight) -> np.ndarray:
    """L2 norm of each class's weight row (DA paper Figs 8-10).

    Parameters
    ----------
    weight : array-like of float, shape (n_classes, n_features)

    Returns
    -------
    ndarray of float64, shape (n_classes,)
    """
    return np.linalg.norm(_matrix(weight), axis=1)


def weight_change(weight, base_weight) -> float:
    """Mean relative change of a classification layer vs Base (DA paper Tables VI-VIII).

    ``mean over elements of |W_m - W_base| / |W_base|``, over the elements where
    ``W_base != 0`` (a zero base weight has no relative change).

    Parameters
    ----------
    weight, base_weight : array-like of float, same shape (n_classes, n_features)

    Returns
    -------
    float
        A ratio; 0 when the matrices are equal.

    Raises
    ------
    ValueError
        If the shapes differ or every base weight is zero.
    """
    weight, base_weight = _matrix(weight), _matrix(base_weight, "base_weight")
    if weight.shape != base_weight.shape:
        raise ValueError(
            f"weight shape {weight.shape} differs from base_weight shape {base_weight.shape}"
        )
    nonzero = base_weight != 0
    if not nonzero.any():
        raise ValueError("every base weight is zero: the relative weight change is undefined")
    change = np.abs(weight - base_weight)[nonzero] / np.abs(base_weight[nonzero])
    return float(change.mean())
