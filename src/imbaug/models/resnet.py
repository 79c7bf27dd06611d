"""CIFAR-style ResNet (He et al. 2016, section 4.2) with the parameter-free option-A shortcut.

Depth 6n+2: a 3x3 conv with 16 channels, three stages of n basic blocks with widths 16/32/64
and strides 1/2/2, global average pooling to a 64-d feature embedding. ResNet-32 (n=5) with a
10-class linear head has 464,154 trainable parameters.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

STAGE_WIDTHS = (16, 32, 64)
STAGE_STRIDES = (1, 2, 2)


def conv3x3(in_channels: int, out_channels: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)


class OptionAShortcut(nn.Module):
    """Identity shortcut that matches a strided, wider block without parameters:
    take every ``stride``-th pixel and zero-pad the missing channels on both sides."""

    def __init__(self, in_channels: int, out_channels: int, stride: int):
        super().__init__()
        self.stride = stride
        self.pad_before = (out_channels - in_channels) // 2
        self.pad_after = out_channels - in_channels - self.pad_before

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x[:, :, :: self.stride, :: self.stride]
        return F.pad(x, (0, 0, 0, 0, self.pad_before, self.pad_after))


class BasicBlock(nn.Module):
    """conv-BN-ReLU-conv-BN, plus the shortcut, then ReLU."""

    def __init__(self, in_channels: int, out_channels: int, stride: int):
        super().__init__()
        self.conv1 = conv3x3(in_channels, out_channels, stride)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = conv3x3(out_channels, out_channels)
        self.bn2 = nn.BatchNorm2d(out_channels)
        if stride == 1 and in_channels == out_channels:
            self.shortcut: nn.Module = nn.Identity()
        else:
            self.shortcut = OptionAShortcut(in_channels, out_channels, stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class CifarResNet(nn.Module):
    """Backbone only: maps images (already normalised) to the pooled feature embedding."""

    def __init__(self, depth: int, in_channels: int = 3):
        super().__init__()
        if depth < 8 or (depth - 2) % 6:
            raise ValueError(f"CIFAR ResNet depth must be 6n+2 with n >= 1, got {depth}")
        blocks_per_stage = (depth - 2) // 6
        self.conv1 = conv3x3(in_channels, STAGE_WIDTHS[0])
        self.bn1 = nn.BatchNorm2d(STAGE_WIDTHS[0])
        stages = []
        width = STAGE_WIDTHS[0]
        for out_width, stride in zip(STAGE_WIDTHS, STAGE_STRIDES):
            blocks = [BasicBlock(width, out_width, stride)]
            blocks += [BasicBlock(out_width, out_width, 1) for _ in range(blocks_per_stage - 1)]
            stages.append(nn.Sequential(*blocks))
            width = out_width
        self.stages = nn.Sequential(*stages)
        self.out_dim = width

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.stages(x)
        return x.mean(dim=(2, 3))
