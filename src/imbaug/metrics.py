"""Scores reported by the study: balanced accuracy, geometric means, macro F1, per-class recall.

Two geometric means are reported, under different names, because they disagree:

- ``gm``: the geometric mean of the per-class recalls (imbalanced-learn's
  ``geometric_mean_score(average='multiclass')``; sqrt(TPR x TNR) for two classes). A model
  that never predicts some class scores 0.
- ``gm_macro``: GM as the papers print it (imbalanced-learn's ``average='macro'``, the
  one-vs-rest macro variant the authors' code calls). For two classes it equals BAC, and it
  gives 0.47 to a model that predicts only one of three classes. Tables that are compared
  with the papers' printed numbers use this one (``PAPER_METRICS``).
"""

from __future__ import annotations

import numpy as np

METRIC_NAMES = ("bac", "gm", "gm_macro", "fm")
METRIC_LABELS = {
    "bac": "BAC (balanced accuracy: mean per-class recall)",
    "gm": "GM (geometric mean of the per-class recalls)",
    "gm_macro": "GM as the papers print it (one-vs-rest macro)",
    "fm": "FM (macro F1)",
}
# The three scores the papers' tables print, in their order (BAC / GM / FM).
PAPER_METRICS = ("bac", "gm_macro", "fm")


def score(y_true, y_pred, n_classes: int) -> dict:
    """Score predictions of a classifier over ``n_classes`` classes.

    Parameters
    ----------
    y_true, y_pred : array-like of int, shape (n,)
        True and predicted class indices in [0, n_classes).
    n_classes : int
        Number of classes; recall is reported for every class 0..n_classes-1.

    Returns
    -------
    dict
        ``bac`` (balanced accuracy), ``gm`` (geometric mean of per-class recalls),
        ``gm_macro`` (the papers' one-vs-rest macro GM), ``fm`` (macro F1 over all
        ``n_classes`` labels, 0 for a label never predicted nor present), each a float in
        [0, 1], and ``recall``: a list of n_classes floats (NaN for a class absent from
        ``y_true``). See the module docstring for the two GMs.
    """
    from imblearn.metrics import geometric_mean_score  # imported here: tables need only the names
    from sklearn.metrics import balanced_accuracy_score, f1_score, recall_score

    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    labels = np.arange(n_classes)
    recall = recall_score(y_true, y_pred, labels=labels, average=None, zero_division=np.nan)
    return {
        "bac": float(balanced_accuracy_score(y_true, y_pred)),
        "gm": float(geometric_mean_score(y_true, y_pred, average="multiclass")),
        "gm_macro": float(geometric_mean_score(y_true, y_pred, average="macro")),
        "fm": float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)),
        "recall": [float(r) for r in recall],
    }
