"""DenseNet-BC (Huang et al. 2017) for small images.

Depth 6n+4: a 3x3 conv with 2k channels, three dense blocks of n bottleneck layers
(BN-ReLU-1x1 conv to 4k, BN-ReLU-3x3 conv to k, concatenated), transitions that halve the
channels (compression 0.5) and the resolution, final BN-ReLU and global average pooling.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from imbaug.models.resnet import conv3x3

NUM_DENSE_BLOCKS = 3
COMPRESSION = 0.5


class Bottleneck(nn.Module):
    def __init__(self, in_channels: int, growth: int):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.conv1 = nn.Conv2d(in_channels, 4 * growth, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(4 * growth)
        self.conv2 = conv3x3(4 * growth, growth)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        new = self.conv1(F.relu(self.bn1(x)))
        new = self.conv2(F.relu(self.bn2(new)))
        return torch.cat([x, new], dim=1)


class Transition(nn.Module):
    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.bn = nn.BatchNorm2d(in_channels)
        self.conv = nn.Conv2d(in_channels, out_channels, 1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.avg_pool2d(self.conv(F.relu(self.bn(x))), 2)


class DenseNetBC(nn.Module):
    """Backbone only: maps images (already normalised) to the pooled feature embedding."""

    def __init__(self, depth: int, growth: int = 12, in_channels: int = 3):
        super().__init__()
        if depth < 10 or (depth - 4) % 6:
            raise ValueError(f"DenseNet-BC depth must be 6n+4 with n >= 1, got {depth}")
        layers_per_block = (depth - 4) // 6
        width = 2 * growth
        parts: list[nn.Module] = [conv3x3(in_channels, width)]
        for block in range(NUM_DENSE_BLOCKS):
            for _ in range(layers_per_block):
                parts.append(Bottleneck(width, growth))
                width += growth
            if block < NUM_DENSE_BLOCKS - 1:
                compressed = int(width * COMPRESSION)
                parts.append(Transition(width, compressed))
                width = compressed
        self.layers = nn.Sequential(*parts)
        self.bn = nn.BatchNorm2d(width)
        self.out_dim = width

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.relu(self.bn(self.layers(x)))
        return x.mean(dim=(2, 3))
