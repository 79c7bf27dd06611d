"""Top-K salient pixels and their overlap between two models (DA paper Section V, Table XI).

A pixel's saliency is the absolute gradient of the predicted class's logit with respect to
the input (Simonyan et al. 2013), the maximum over colour channels. The top ``fraction`` (10%
in the paper) of each test image's pixels are its top-K features; the overlap of two models on
an image is the share of the K pixels they have in common, averaged per class.
"""

from __future__ import annotations

import math

import numpy as np
import torch

TOP_FRACTION = 0.1


def input_saliency(
    model: torch.nn.Module, images_uint8: torch.Tensor, device: torch.device, batch_size: int = 256
) -> tuple[torch.Tensor, torch.Tensor]:
    """Saliency maps and predictions of ``model`` on uint8 images (float32, eval mode).

    Parameters
    ----------
    model : ImageClassifier
        Takes float images in [0, 1], shape (N, C, H, W), to logits.
    images_uint8 : uint8 tensor, shape (N, C, H, W)
    device : torch.device

    Returns
    -------
    saliency : float32 tensor (CPU), shape (N, H, W)
        ``max over channels of |d logit[predicted] / d x|``, x the image in [0, 1].
    predicted : int64 tensor (CPU), shape (N,)
    """
    model = model.to(device).eval()
    maps, predictions = [], []
    for batch in images_uint8.split(batch_size):
        x = batch.to(device, torch.float32).div_(255).requires_grad_(True)
        logits = model(x)
        predicted = logits.argmax(dim=1)
        # Each image's logit depends on that image only (eval-mode BN), so one backward
        # pass of the sum gives every per-image gradient.
        (grad,) = torch.autograd.grad(logits.gather(1, predicted[:, None]).sum(), x)
        maps.append(grad.abs().amax(dim=1).cpu())
        predictions.append(predicted.cpu())
    return torch.cat(maps), torch.cat(predictions)


def top_pixels(saliency, fraction: float = TOP_FRACTION) -> np.ndarray:
    """Indices of each map's ``ceil(fraction * H * W)`` most salient pixels (ties: lower index).

    Parameters
    ----------
    saliency : array-like of float, shape (N, H, W) or (N, P)
    fraction : float in (0, 1]

    Returns
    -------
    ndarray of int64, shape (N, K), pixel indices into the flattened map.

    Raises
    ------
    ValueError
        If ``fraction`` is not in (0, 1].
    """
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], got {fraction}")
    flat = np.asarray(saliency, dtype=np.float64).reshape(len(saliency), -1)
    k = math.ceil(fraction * flat.shape[1])
    return np.argsort(-flat, axis=1, kind="stable")[:, :k]


def top_k_overlap(top_a: np.ndarray, top_b: np.ndarray) -> np.ndarray:
    """Share of top-K pixels two models have in common, per image.

    Parameters
    ----------
    top_a, top_b : int arrays, shape (N, K)
        From :func:`top_pixels` of two models on the same N images.

    Returns
    -------
    ndarray of float64, shape (N,), in [0, 1].

    Raises
    ------
    ValueError
        If the shapes differ.
    """
    top_a, top_b = np.asarray(top_a), np.asarray(top_b)
    if top_a.shape != top_b.shape:
        raise ValueError(f"top-K index arrays differ in shape: {top_a.shape} vs {top_b.shape}")
    shared = [np.intersect1d(a, b, assume_unique=True).size for a, b in zip(top_a, top_b)]
    return np.asarray(shared, dtype=np.float64) / top_a.shape[1]


def class_mean(values, labels, n_classes: int) -> np.ndarray:
    """Mean of per-instance ``values`` per class 0..n_classes-1 (NaN for an absent class).

    Returns
    -------
    ndarray of float64, shape (n_classes,)
    """
    values, labels = np.asarray(values, dtype=np.float64), np.asarray(labels)
    sums = np.bincount(labels, weights=values, minlength=n_classes)
    counts = np.bincount(labels, minlength=n_classes)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / counts, np.nan)
