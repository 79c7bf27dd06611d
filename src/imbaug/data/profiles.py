"""Imbalance profiles: how many training images each class keeps, and which ones.

Class order is label order, so class 0 is the head (largest) class. The exponential profile
is the one of Cao et al. (LDAM-DRW) used for CIFAR-10/100-LT and SVHN-LT; the step profile
keeps a block of majority classes at full size and cuts the rest to one minority size.
"""

from __future__ import annotations

import numpy as np

PROFILES = ("exp", "step", "none")


def imbalance_counts(
    n_max: int, n_classes: int, profile: str, ratio: float, n_majority: int | None = None
) -> list[int]:
    """Images kept per class, class 0 first.

    - ``"exp"``: class i keeps ``int(n_max * (1/ratio) ** (i/(C-1)))``, e.g. CIFAR-10 at 100:1
      keeps 5000, 2997, ..., 50 (12,406 images).
    - ``"step"``: the first ``n_majority`` classes (default ``C // 2``) keep ``n_max``, the rest
      ``int(n_max / ratio)``.
    - ``"none"``: every class keeps ``n_max`` (ratio is ignored but still validated).

    Raises ValueError naming the bad argument, or when a class would keep no image.
    """
    _check_arguments(n_max, n_classes, profile, ratio)
    if profile == "exp":
        counts = _exponential_counts(n_max, n_classes, ratio)
    elif profile == "step":
        counts = _step_counts(n_max, n_classes, ratio, n_majority)
    else:
        counts = [n_max] * n_classes
    if min(counts) < 1:
        raise ValueError(
            f"imbalance ratio {ratio} is too large for n_max={n_max}: "
            f"the {profile!r} profile would leave a class with no image ({counts})"
        )
    return counts


def _check_arguments(n_max: int, n_classes: int, profile: str, ratio: float) -> None:
    if profile not in PROFILES:
        raise ValueError(
            f"unknown imbalance profile {profile!r}; valid profiles: {', '.join(PROFILES)}"
        )
    if int(n_max) != n_max or n_max < 1:
        raise ValueError(f"n_max must be a positive integer, got {n_max!r}")
    if int(n_classes) != n_classes or n_classes < 1:
        raise ValueError(f"n_classes must be a positive integer, got {n_classes!r}")
    if not ratio >= 1:  # also rejects NaN
        raise ValueError(f"imbalance ratio must be >= 1 (majority : minority), got {ratio!r}")


def _exponential_counts(n_max: int, n_classes: int, ratio: float) -> list[int]:
    if n_classes == 1:
        return [int(n_max)]
    # Written exactly as Cao et al. so the float rounding, hence the counts, match theirs.
    return [int(n_max * (1 / ratio) ** (i / (n_classes - 1))) for i in range(n_classes)]


def _step_counts(n_max: int, n_classes: int, ratio: float, n_majority: int | None) -> list[int]:
    if n_majority is None:
        n_majority = n_classes // 2
    if int(n_majority) != n_majority or not 1 <= n_majority <= n_classes:
        raise ValueError(
            f"n_majority must be an integer in 1..{n_classes} for the step profile, "
            f"got {n_majority!r}"
        )
    minority_count = int(n_max / ratio)
    return [int(n_max)] * n_majority + [minority_count] * (n_classes - n_majority)


def imbalanced_indices(labels: np.ndarray, counts: list[int], seed: int) -> np.ndarray:
    """Sorted row indices that keep ``counts[c]`` rows of each class c, drawn without replacement.

    One ``np.random.default_rng(seed)`` draws class by class in label order, so a seed (a "cut")
    always selects the same rows. Labels must lie in ``0..len(counts)-1``. Raises ValueError
    when a class has fewer rows than asked for.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must be one-dimensional, got shape {labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() >= len(counts)):
        raise ValueError(
            f"labels must lie in 0..{len(counts) - 1} (one count per class), "
            f"got labels in {labels.min()}..{labels.max()}"
        )
    available = np.bincount(labels, minlength=len(counts))
    short = [c for c, count in enumerate(counts) if available[c] < count]
    if short:
        details = ", ".join(
            f"class {c} has {available[c]} rows but {counts[c]} were asked for" for c in short
        )
        raise ValueError(f"not enough rows to cut the requested counts {list(counts)}: {details}")
    rng = np.random.default_rng(seed)
    kept = [
        rng.choice(np.flatnonzero(labels == c), size=int(count), replace=False)
        for c, count in enumerate(counts)
    ]
    return np.sort(np.concatenate(kept)).astype(np.int64)


# How each dataset is cut (STUDY.md section 1); config image.imbalance.<dataset> overrides keys:
# profile, ratio, n_majority, n_max (images of the head class; default the smallest class's
# count) and test_per_class (test images drawn per class, seed 0; default the whole test set).
# "natural" keeps a train set as published (user ImageFolder trees).
# CelebA: EOS paper section IV gives a maximum ratio of 40:1 but not the profile; we cut it
# exponentially like the paper's other datasets (head = black hair at the smallest class's count).
# iNaturalist: DA paper Table II, 6,250 per majority and 1,250 per minority class, 500 / 250 test.
DEFAULT_IMBALANCE = {
    "digits": {"profile": "exp", "ratio": 10},
    "cifar10": {"profile": "exp", "ratio": 100},
    "svhn": {"profile": "exp", "ratio": 100},
    "cifar100": {"profile": "exp", "ratio": 10},
    "celeba_hair": {"profile": "exp", "ratio": 40},
    "places365_5": {"profile": "step", "ratio": 10, "n_majority": 2},
    "inat2017_5": {
        "profile": "step",
        "ratio": 5,
        "n_majority": 2,
        "n_max": 6250,
        "test_per_class": [500, 500, 250, 250, 250],
    },
}
DEFAULT_IMAGE_SIZE = {"digits": 16}  # every other dataset: 32


def imbalance_of(dataset: str, overrides: dict) -> dict:
    """The dataset's default imbalance updated with the config's ``image.imbalance`` entry."""
    return {**DEFAULT_IMBALANCE.get(dataset, {"profile": "natural"}), **overrides.get(dataset, {})}
