"""Imbalance profiles: how many training images each class keeps, and which ones.

Class order is label order, so class 0 is the head (largest) class. The exponential profile
is the one of Cao et al. (LDAM-DRW) used for CIFAR-10/100-LT and SVHN-LT; the step profile
keeps a block of majority classes at full size and cuts the rest to one minority size.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

PROFILES = ("exp", "step", "none")


class ClassSizeError(ValueError):
    """A class has too few images for a cut of the train set or a draw of the test set.

    The message starts with the config key to change (``config image.imbalance.<dataset>.n_max:``)
    and names every class at fault by name and index, with its count and the count needed.
    """


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
    counts = _profile_counts(n_max, n_classes, profile, ratio, n_majority)
    if min(counts) < 1:
        raise ValueError(
            f"imbalance ratio {ratio} is too large for n_max={n_max}: "
            f"the {profile!r} profile would leave a class with no image ({counts})"
        )
    return counts


def _profile_counts(
    n_max: int, n_classes: int, profile: str, ratio: float, n_majority: int | None
) -> list[int]:
    """The profile's counts, which may include 0 (:func:`imbalance_counts` refuses those)."""
    _check_arguments(n_max, n_classes, profile, ratio)
    if profile == "exp":
        return _exponential_counts(n_max, n_classes, ratio)
    if profile == "step":
        return _step_counts(n_max, n_classes, ratio, n_majority)
    return [int(n_max)] * n_classes


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


# ---------------------------------------------------------------------------------------------
# Class sizes checked against a cut or a test draw, with messages naming the classes

Places = Sequence[str | Path] | None
MAX_NAMED_CLASSES = 10  # a message names this many short classes, then says how many more


def class_label(classes: Sequence[str], index: int) -> str:
    """How messages name a class: its name and its index, e.g. ``'cat' (class 0)``.

    The name is what a user knows (an ImageFolder tree's folder name, a torchvision dataset's
    class name); the index is what training logs and per-class metrics use.
    """
    return f"{classes[index]!r} (class {index})"


def imbalance_key(dataset: str | None, key: str) -> str:
    """``image.imbalance.<dataset>.<key>``, the config key a class-size message names."""
    return f"image.imbalance.{dataset or '<dataset>'}.{key}"


def _shortages(
    classes: Sequence[str], available: Sequence[int], needed: Sequence[int], part: str, places
) -> list[str]:
    """``'dog' (class 1) has 8 train images (in tree/train/dog), 12 needed`` per short class."""
    return [
        f"{class_label(classes, c)} has {have} {part} image{'' if have == 1 else 's'}"
        + (f" (in {places[c]})" if places else "")
        + f", {want} needed"
        for c, (have, want) in enumerate(zip(available, needed))
        if have < want
    ]


def _join(items: list[str], separator: str = "; ") -> str:
    """The first :data:`MAX_NAMED_CLASSES` items, then how many more."""
    more = len(items) - MAX_NAMED_CLASSES
    return separator.join(items[:MAX_NAMED_CLASSES] + ([f"{more} more"] if more > 0 else []))


def cut_counts(
    classes: Sequence[str],
    available: Sequence[int],
    imbalance: dict,
    *,
    balanced: bool = False,
    dataset: str | None = None,
    places: Places = None,
) -> list[int] | None:
    """Train images each class keeps in a cut, checked against the images it has.

    Parameters
    ----------
    classes, available : sequence
        Class names and train images per class, in class order.
    imbalance : dict
        The dataset's cut (:func:`imbalance_of`: profile, ratio, n_majority, n_max).
    balanced : bool
        The Balanced reference: every class keeps ``n_max`` whatever the profile.
    dataset : str, optional
        The config's dataset name, for the config key in messages (``<dataset>`` if None).
    places : sequence, optional
        Where each class's images are (an ImageFolder tree's class folders), for messages.

    Returns
    -------
    list of int or None
        One count per class, class 0 first; None for the ``natural`` profile (no cut).

    Raises
    ------
    ClassSizeError
        A class has no train image; the ratio leaves a class with no image
        (``config image.imbalance.<dataset>.ratio: ...``); or a class has fewer images than
        ``n_max`` asks of it (``config image.imbalance.<dataset>.n_max: ...``, with the largest
        n_max that fits). Each names the classes by name and index, with counts.
    """
    if not balanced and imbalance["profile"] == "natural":
        return None
    name = f"image dataset {dataset!r}" if dataset else "the image dataset"
    empty = [c for c, count in enumerate(available) if count == 0]
    if empty:
        labels = _join(
            [class_label(classes, c) + (f" (in {places[c]})" if places else "") for c in empty]
        )
        raise ClassSizeError(
            f"{name}: no train image in {labels}; every class needs images to be cut "
            f"({len(classes)} classes: {class_summary(classes, available)})"
        )
    profile, ratio, n_majority = (
        ("none", 1.0, None)
        if balanced
        else (imbalance["profile"], imbalance.get("ratio", 1.0), imbalance.get("n_majority"))
    )
    n_max = imbalance.get("n_max")
    n_max = min(available) if n_max is None else n_max
    counts = _profile_counts(n_max, len(classes), profile, ratio, n_majority)
    what = (
        f"the Balanced reference (every class at n_max {n_max})"
        if balanced
        else f"the {profile!r} cut (ratio {ratio:g}, n_max {n_max})"
    )
    if min(counts) < 1:
        zero = [class_label(classes, c) for c, count in enumerate(counts) if count < 1]
        raise ClassSizeError(
            f"config {imbalance_key(dataset, 'ratio')}: {what} keeps {counts} train images "
            f"per class, none of {_join(zero, ', ')}. The largest whole ratio that keeps an "
            f"image of every class at n_max {n_max} is "
            f"{_largest_ratio(n_max, len(classes), profile, ratio, n_majority)}; lower the "
            f"ratio or raise {imbalance_key(dataset, 'n_max')} (default: the smallest class's "
            f"count; train images per class: {class_summary(classes, available)})"
        )
    short = _shortages(classes, available, counts, "train", places)
    if short:
        fits = _largest_n_max(available, profile, ratio, n_majority, n_max)
        raise ClassSizeError(
            f"config {imbalance_key(dataset, 'n_max')}: {what} needs {counts} train images "
            f"per class: {_join(short)}. The largest n_max that fits is {fits}: set n_max "
            "to at most that, or add images"
        )
    return counts


def drawn_test_counts(
    classes: Sequence[str],
    available: Sequence[int],
    per_class: int | Sequence[int],
    *,
    dataset: str | None = None,
    places: Places = None,
) -> list[int]:
    """Test images drawn of each class for ``test_per_class`` (one count, or one per class),
    checked against the test images each class has.

    Raises
    ------
    ClassSizeError
        ``config image.imbalance.<dataset>.test_per_class: ...`` when the list does not give one
        count per class, or a class has fewer test images than asked (named by name and index,
        with its count).
    """
    key = "config " + imbalance_key(dataset, "test_per_class")
    counts = [per_class] * len(classes) if isinstance(per_class, int) else list(per_class)
    if len(counts) != len(classes):
        raise ClassSizeError(
            f"{key}: {len(counts)} counts {counts} for {len(classes)} classes {list(classes)}; "
            "give one count, or one per class in class order"
        )
    short = _shortages(classes, available, counts, "test", places)
    if short:
        most = min(available) if isinstance(per_class, int) else list(available)
        raise ClassSizeError(
            f"{key}: {_join(short)}. Lower test_per_class to at most {most} "
            "(what the classes hold) or add test images"
        )
    return counts


def class_summary(classes: Sequence[str], available: Sequence[int]) -> str:
    """``cat: 12, dog: 8``: images per class by name, for messages."""
    return ", ".join(f"{name}: {count}" for name, count in zip(classes, available))


def _largest_n_max(
    available: Sequence[int], profile: str, ratio: float, n_majority: int | None, n_max: int
) -> int:
    """The largest n_max <= ``n_max`` whose counts every class holds (1 if none larger)."""

    def fits(n: int) -> bool:
        counts = _profile_counts(n, len(available), profile, ratio, n_majority)
        return all(want <= have for want, have in zip(counts, available))

    return _largest_fitting(int(n_max), fits)  # counts grow with n_max


def _largest_ratio(
    n_max: int, n_classes: int, profile: str, ratio: float, n_majority: int | None
) -> int:
    """The largest whole ratio <= ``ratio`` that leaves every class an image (at least 1)."""

    def fits(r: int) -> bool:
        return min(_profile_counts(n_max, n_classes, profile, r, n_majority)) >= 1

    return _largest_fitting(max(1, int(ratio)), fits)  # counts shrink as the ratio grows


def _largest_fitting(high: int, fits) -> int:
    """The largest n in [1, high] with ``fits(n)``, for ``fits`` true up to some n then false
    (bisection); 1 when none fits."""
    low = 1
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(middle) else (low, middle - 1)
    return low
