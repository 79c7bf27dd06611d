"""Which features decide, and how much over-sampling changes them (DA paper Section III-D,
Tables IX-X, Figs 11-12): per-class feature importance over true positives, top-K sets and
their overlap with Base."""

from __future__ import annotations

import numpy as np

TOP_K = 10


def class_importance(attribution, y_true, y_pred) -> dict[int, np.ndarray]:
    """Mean |attribution| per feature over each class's true positives.

    Parameters
    ----------
    attribution : array-like of float, shape (n_instances, n_features)
        LG: CE = x * coef; NN: input gradient of the predicted logit.
    y_true, y_pred : array-like of int, shape (n_instances,)

    Returns
    -------
    dict class -> ndarray (n_features,); classes without true positives are left out.
    """
    attribution = np.abs(np.asarray(attribution, dtype=np.float64))
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    importance = {}
    for label in np.unique(y_true):
        tp = (y_true == label) & (y_pred == label)
        if tp.any():
            importance[int(label)] = attribution[tp].mean(axis=0)
    return importance


def top_k_indices(importance, k: int = TOP_K) -> np.ndarray:
    """Indices of the ``k`` largest values, largest first (ties: lower index first)."""
    return np.argsort(-np.asarray(importance), kind="stable")[:k]


def top_k_overlap(importance: dict, base_importance: dict, k: int = TOP_K) -> float:
    """Share of the per-class top-K features a method shares with Base (DA paper Table IX).

    ``sum over classes |top_k(method, c) & top_k(Base, c)| / (k * n_classes)``; with two
    classes and k = 10 that is shared / 20. ``k`` is capped at the number of features.

    Raises
    ------
    ValueError
        If the two dicts do not cover the same classes.
    """
    if set(importance) != set(base_importance):
        raise ValueError(f"classes differ: {sorted(importance)} vs Base {sorted(base_importance)}")
    if not importance:
        return float("nan")
    k = min(k, len(next(iter(importance.values()))))
    shared = sum(
        len(set(top_k_indices(importance[c], k)) & set(top_k_indices(base_importance[c], k)))
        for c in importance
    )
    return shared / (k * len(importance))


def input_gradients(model, X) -> tuple[np.ndarray, np.ndarray]:
    """Saliency of a torch classifier: gradient of the predicted logit w.r.t. the input
    (DA paper Table X).

    Returns
    -------
    gradients : ndarray (n_instances, n_features)
    predicted : ndarray of int64 (n_instances,)
    """
    import torch

    inputs = torch.as_tensor(np.asarray(X), dtype=torch.float32).requires_grad_(True)
    logits = model(inputs)
    predicted = logits.argmax(1)
    logits.gather(1, predicted[:, None]).sum().backward()
    return inputs.grad.numpy().astype(np.float64), predicted.numpy()
