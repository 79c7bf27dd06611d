"""The tabular protocol: stratified train/test splits, a scaler fitted on the train part."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


@dataclass(frozen=True)
class Split:
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def split_indices(
    y: np.ndarray, split: int, test_size: float = 0.3
) -> tuple[np.ndarray, np.ndarray]:
    """Train and test row indices of stratified split number ``split`` (its seed)."""
    rows = np.arange(len(y))
    train, test = train_test_split(rows, test_size=test_size, stratify=y, random_state=split)
    return np.sort(train), np.sort(test)


def make_split(X: np.ndarray, y: np.ndarray, split: int, test_size: float = 0.3) -> Split:
    """Split ``split`` with features standardised by statistics of its train part only."""
    train, test = split_indices(y, split, test_size)
    scaler = StandardScaler().fit(X[train])
    return Split(scaler.transform(X[train]), y[train], scaler.transform(X[test]), y[test])
