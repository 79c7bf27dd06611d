"""Wide residual network WRN-d-k (Zagoruyko & Komodakis 2016) for small images.

Pre-activation blocks (BN-ReLU-conv), depth 6n+4, three groups of n blocks with widths
16k/32k/64k and strides 1/2/2, a 1x1 conv shortcut where the shape changes, final BN-ReLU and
global average pooling to a 64k-d feature embedding.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from imbaug.models.resnet import conv3x3

GROUP_WIDTHS = (16, 32, 64)
GROUP_STRIDES = (1, 2, 2)


class PreActBlock(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, stride: int, dropout: float):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.conv1 = conv3x3(in_channels, out_channels, stride)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.conv2 = conv3x3(out_channels, out_channels)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.projection = None
        if stride != 1 or in_channels != out_channels:
            self.projection = nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        activated = F.relu(self.bn1(x))
        # As in the reference WRN, a projection shortcut sees the pre-activated input.
        shortcut = x if self.projection is None else self.projection(activated)
        out = self.conv1(activated)
        out = self.conv2(self.dropout(F.relu(self.bn2(out))))
        return out + shortcut


class WideResNet(nn.Module):
    """Backbone only: maps images (already normalised) to the pooled feature embedding."""

    def __init__(self, depth: int, widen: int, in_channels: int = 3, dropout: float = 0.0):
        super().__init__()
        if depth < 10 or (depth - 4) % 6 or widen < 1:
            raise ValueError(
                f"WideResNet needs depth 6n+4 (n >= 1) and widen >= 1, got {depth}, {widen}"
            )
        blocks_per_group = (depth - 4) // 6
        self.conv1 = conv3x3(in_channels, GROUP_WIDTHS[0])
        groups = []
        width = GROUP_WIDTHS[0]
        for base_width, stride in zip(GROUP_WIDTHS, GROUP_STRIDES):
            out_width = base_width * widen
            blocks = [PreActBlock(width, out_width, stride, dropout)]
            blocks += [
                PreActBlock(out_width, out_width, 1, dropout) for _ in range(blocks_per_group - 1)
            ]
            groups.append(nn.Sequential(*blocks))
            width = out_width
        self.groups = nn.Sequential(*groups)
        self.bn = nn.BatchNorm2d(width)
        self.out_dim = width

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.groups(self.conv1(x))
        x = F.relu(self.bn(x))
        return x.mean(dim=(2, 3))
