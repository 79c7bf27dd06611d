"""Scores reported by the study: balanced accuracy, geometric mean, macro F1, per-class recall."""

from __future__ import annotations

import numpy as np

METRIC_NAMES = ("bac", "gm", "fm")


def score(y_true, y_pred, n_classes: int) -> dict:
    """BAC, GM (imbalanced-learn, macro as the papers report) and macro F1, plus the
    recall of every class 0..n_classes-1 (a class absent from ``y_true`` gets NaN)."""
    from imblearn.metrics import geometric_mean_score  # imported here: tables need only the names
    from sklearn.metrics import balanced_accuracy_score, f1_score, recall_score

    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    labels = np.arange(n_classes)
    recall = recall_score(y_true, y_pred, labels=labels, average=None, zero_division=np.nan)
    return {
        "bac": float(balanced_accuracy_score(y_true, y_pred)),
        "gm": float(geometric_mean_score(y_true, y_pred, average="macro")),
        "fm": float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)),
        "recall": [float(r) for r in recall],
    }
