"""Batch augmentation that runs where the batch lives (GPU or CPU), without a Python loop."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def random_crop_flip(
    batch: torch.Tensor,
    pad: int = 4,
    flip: bool = True,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Random ``pad``-pixel translation (zero padding, then a crop of the original size) and,
    if ``flip``, a horizontal flip with probability 0.5, drawn independently per sample.

    ``batch`` is (N, C, H, W), uint8 or float; the result has the same shape, dtype and
    device. ``generator`` must live on the batch's device; the same generator state gives the
    same output.
    """
    n, channels, height, width = batch.shape
    device = batch.device
    padded = F.pad(batch, (pad, pad, pad, pad)) if pad > 0 else batch
    top = torch.randint(0, 2 * pad + 1, (n, 1), device=device, generator=generator)
    left = torch.randint(0, 2 * pad + 1, (n, 1), device=device, generator=generator)
    rows = top + torch.arange(height, device=device)
    columns = torch.arange(width, device=device).expand(n, width)
    if flip:
        mirrored = torch.rand(n, 1, device=device, generator=generator) < 0.5
        columns = torch.where(mirrored, columns.flip(1), columns)
    columns = left + columns
    # One gather: out[i, c, y, x] = padded[i, c, rows[i, y], columns[i, x]].
    sample_index = torch.arange(n, device=device).view(n, 1, 1, 1)
    channel_index = torch.arange(channels, device=device).view(1, channels, 1, 1)
    return padded[
        sample_index, channel_index, rows.view(n, 1, height, 1), columns.view(n, 1, 1, width)
    ]
