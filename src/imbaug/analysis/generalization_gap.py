"""Generalization gap in feature-embedding space (EOS paper Section III-B, Algorithm 1).

For a class c and an FE dimension f, the gap is the part of the test range that lies outside
the train range, floored at zero on each side::

    gap[c, f] = max(0, min_train[c, f] - min_test[c, f]) + max(0, max_test[c, f] - max_train[c, f])

and the class gap is its mean over the dimensions f (EOS paper Fig 3). Fig 4 splits the test
instances into true positives (true class c, predicted c) and false positives (predicted c,
true class another): both are compared with class c's train range.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SUBSETS = ("all", "TP", "FP")


def range_gap(train: np.ndarray, test: np.ndarray) -> float:
    """Mean over dimensions of the test range's overhang beyond the train range.

    Parameters
    ----------
    train : array-like of float, shape (n_train, n_features)
        FE of the train instances of one class (at least one row).
    test : array-like of float, shape (n_test, n_features)
        FE of the test instances compared with them.

    Returns
    -------
    float
        In the FE's units; 0 when every test value lies inside the train range; NaN when
        ``test`` has no rows.

    Raises
    ------
    ValueError
        If ``train`` has no rows, or the two have different numbers of features.
    """
    train, test = np.asarray(train, dtype=np.float64), np.asarray(test, dtype=np.float64)
    if train.ndim != 2 or test.ndim != 2 or train.shape[1] != test.shape[1]:
        raise ValueError(
            f"train and test FE must be 2-D with the same number of features, "
            f"got shapes {train.shape} and {test.shape}"
        )
    if len(train) == 0:
        raise ValueError("the train FE of the class have no rows: the train range is undefined")
    if len(test) == 0:
        return float("nan")
    below = np.clip(train.min(axis=0) - test.min(axis=0), 0.0, None)
    above = np.clip(test.max(axis=0) - train.max(axis=0), 0.0, None)
    return float((below + above).mean())


def class_gaps(
    train_fe, train_labels, test_fe, test_labels, test_pred, n_classes: int
) -> pd.DataFrame:
    """Generalization gap of every class, over all its test instances and over TP and FP.

    Parameters
    ----------
    train_fe : array-like of float, shape (n_train, n_features)
        FE of the training set (for an FE-space method: the resampled set, synthetic rows
        included, which is how EOS widens the train range).
    train_labels : array-like of int, shape (n_train,)
    test_fe : array-like of float, shape (n_test, n_features)
    test_labels, test_pred : array-like of int, shape (n_test,)
        True and predicted classes of the test instances.
    n_classes : int

    Returns
    -------
    DataFrame
        One row per (class, subset): ``class`` (int), ``subset`` (``all``: true class c;
        ``TP``: true and predicted c; ``FP``: predicted c, true class another), ``gap``
        (NaN for an empty subset) and ``n_test`` (instances in the subset).

    Raises
    ------
    ValueError
        If a class has no train rows or the arrays' lengths differ.
    """
    train_fe, test_fe = np.asarray(train_fe), np.asarray(test_fe)
    train_labels, test_labels = np.asarray(train_labels), np.asarray(test_labels)
    test_pred = np.asarray(test_pred)
    if len(train_fe) != len(train_labels) or not len(test_fe) == len(test_labels) == len(test_pred):
        raise ValueError(
            f"FE and label lengths differ: train {len(train_fe)} FE, {len(train_labels)} "
            f"labels; test {len(test_fe)} FE, {len(test_labels)} labels, {len(test_pred)} predictions"
        )
    rows = []
    for label in range(n_classes):
        train_rows = train_fe[train_labels == label]
        if len(train_rows) == 0:
            raise ValueError(
                f"class {label} has no train rows: its generalization gap is undefined"
            )
        subsets = {
            "all": test_labels == label,
            "TP": (test_labels == label) & (test_pred == label),
            "FP": (test_labels != label) & (test_pred == label),
        }
        for subset in SUBSETS:
            chosen = test_fe[subsets[subset]]
            rows.append(
                {
                    "class": label,
                    "subset": subset,
                    "gap": range_gap(train_rows, chosen),
                    "n_test": int(len(chosen)),
                }
            )
    return pd.DataFrame(rows)
