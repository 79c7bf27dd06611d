"""Fitting the tabular classifiers: SVM and LG (scikit-learn defaults) and the dense NN."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC

CLASSIFIERS = ("SVM", "LG", "NN")


@dataclass(frozen=True)
class NNSettings:
    """Our choice for the NN (the paper leaves it open): Adam with L2 weight decay, strong
    enough that the NN does not memorise the copied minority rows of ROS on ozone_level."""

    epochs: int = 40
    batch_size: int = 128
    lr: float = 1e-3
    weight_decay: float = 3e-2


def fit_sklearn(classifier: str, X: np.ndarray, y: np.ndarray, *, cost_sensitive: bool):
    """SVC() or LogisticRegression() with library defaults; CS adds balanced class weights."""
    class_weight = "balanced" if cost_sensitive else None
    if classifier == "SVM":
        return SVC(class_weight=class_weight).fit(X, y)
    if classifier == "LG":
        return LogisticRegression(class_weight=class_weight, max_iter=5000).fit(X, y)
    raise ValueError(f"unknown classifier {classifier!r}; choose from {CLASSIFIERS}")


def fit_mlp(X: np.ndarray, y: np.ndarray, *, n_classes: int, settings: NNSettings, seed: int,
            soft_targets: np.ndarray | None = None, cost_sensitive: bool = False):
    """Train :class:`TabularMLP` with cross-entropy on the labels ``y`` or on ``soft_targets``
    (n, C); ``cost_sensitive`` weights classes n / (C * n_c)."""
    import torch
    from torch.nn import functional as F

    from imbaug.losses import balanced_class_weights
    from imbaug.models.mlp import TabularMLP

    torch.manual_seed(seed)
    model = TabularMLP(X.shape[1], n_classes)
    inputs = torch.as_tensor(X, dtype=torch.float32)
    labels = torch.as_tensor(y if soft_targets is None else soft_targets)
    counts = np.bincount(y, minlength=n_classes)
    weight = balanced_class_weights(counts) if cost_sensitive else None
    optimizer = torch.optim.Adam(model.parameters(), lr=settings.lr,
                                 weight_decay=settings.weight_decay)
    generator = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(settings.epochs):
        for batch in torch.randperm(len(inputs), generator=generator).split(settings.batch_size):
            loss = F.cross_entropy(model(inputs[batch]), labels[batch], weight=weight)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
    return model.eval()


def predict_mlp(model, X: np.ndarray) -> np.ndarray:
    import torch

    with torch.no_grad():
        return model(torch.as_tensor(X, dtype=torch.float32)).argmax(1).numpy()


def mlp_features(model, X: np.ndarray) -> np.ndarray:
    """The NN's latent representation (output of its d//2 layer)."""
    import torch

    with torch.no_grad():
        return model.features(torch.as_tensor(X, dtype=torch.float32)).numpy()
