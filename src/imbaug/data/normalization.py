"""A dataset's fixed input normalisation: per-channel mean and std of its [0, 1] pixels, the
same for every method and cut of the dataset (published constants, else the statistics of its
whole uncut train source), and the JSON file the image_data rule stores it in.

Only torch is imported: the data job that writes the file starts without the training stack.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import torch

from imbaug.io import write_text

if TYPE_CHECKING:
    from imbaug.data.images import ImageSet

STATS_CHUNK = 4096  # images per chunk of the channel statistics (bounds float64 memory)

# Fixed per-dataset input normalisation (mean, std of [0, 1] pixels per channel), the same
# for every method and cut of a dataset. CIFAR: the constants of Cao et al.'s LDAM-DRW code;
# SVHN: its train-set statistics as commonly published; CelebA, Places365, iNaturalist:
# ImageNet's. Other datasets (digits, user folders): statistics of the whole uncut train
# source, see dataset_normalization.
NORMALIZATION = {
    "cifar10": ((0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010)),
    "cifar100": ((0.5071, 0.4865, 0.4409), (0.2673, 0.2564, 0.2762)),
    "svhn": ((0.4377, 0.4438, 0.4728), (0.1980, 0.2010, 0.1970)),
    "celeba_hair": ((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),
    "places365_5": ((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),
    "inat2017_5": ((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),
}


def check_images(images: torch.Tensor) -> None:
    """ValueError unless ``images`` is a uint8 (N, C, H, W) tensor."""
    if images.dtype != torch.uint8 or images.dim() != 4:
        raise ValueError(
            f"images must be a uint8 (N, C, H, W) tensor, got {images.dtype} {tuple(images.shape)}"
        )


def channel_mean_std(images_uint8: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-channel mean and std of uint8 images scaled to [0, 1] (float64 sums, in chunks)."""
    check_images(images_uint8)
    channels = images_uint8.shape[1]
    total = torch.zeros(channels, dtype=torch.float64, device=images_uint8.device)
    total_sq = torch.zeros_like(total)
    for chunk in images_uint8.split(STATS_CHUNK):
        values = chunk.to(torch.float64).div_(255).transpose(0, 1).reshape(channels, -1)
        total += values.sum(dim=1)
        total_sq += values.square().sum(dim=1)
    count = images_uint8.numel() // channels
    mean = total / count
    std = (total_sq / count - mean.square()).clamp_min(0).sqrt()
    return mean.float().cpu(), std.float().cpu()


def dataset_normalization(
    name: str, source_train: torch.Tensor | None = None
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The fixed input normalisation (per-channel mean, std of [0, 1] pixels) of a dataset.

    ``name`` in ``NORMALIZATION`` gives its published constants. Any other dataset (digits,
    user folders) needs ``source_train``: the dataset's whole train source as uint8
    (N, C, H, W), before any imbalanced cut or resampling, so that every method and cut of
    the dataset gets the same constants.

    Raises
    ------
    ValueError
        For a dataset without constants when ``source_train`` is None.
    """
    if name in NORMALIZATION:
        return NORMALIZATION[name]
    if source_train is None:
        raise ValueError(
            f"dataset {name!r} has no published normalisation constants ({sorted(NORMALIZATION)}); "
            "pass its whole uncut train source to compute them"
        )
    mean, std = channel_mean_std(source_train)
    return tuple(mean.tolist()), tuple(std.tolist())


def source_normalization(dataset: str, source: ImageSet) -> dict:
    """The fixed input scaling of a dataset: ``{"input_mean": [...], "input_std": [...]}``
    (one float per channel, [0, 1] pixels); the published constants of
    :data:`NORMALIZATION`, else the per-channel statistics of
    ``source``, the dataset's whole uncut train set, so every method and cut of the dataset
    is scaled alike. ValueError (from :func:`dataset_normalization`) for an empty source."""
    mean, std = dataset_normalization(dataset, source.images)
    return {"input_mean": [float(v) for v in mean], "input_std": [float(v) for v in std]}


def save_normalization(normalization: dict, path) -> None:
    """Write ``{"input_mean": [...], "input_std": [...]}`` to ``path`` as JSON."""
    write_text(json.dumps(normalization, indent=1) + "\n", path)


def load_normalization(path) -> dict:
    """Read a file written by :func:`save_normalization`; ValueError naming the file and the
    keys it lacks when it is not one."""
    normalization = json.loads(Path(path).read_text())
    missing = {"input_mean", "input_std"} - set(normalization)
    if missing:
        raise ValueError(f"normalization file {path} lacks {sorted(missing)}")
    return {key: tuple(normalization[key]) for key in ("input_mean", "input_std")}
