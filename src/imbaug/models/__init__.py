"""Image classifiers: a backbone that yields the feature embedding (FE), and a head on top.

Every model built by :func:`build_model` has the same interface:

- ``model.features(x)``: float images in [0, 1], shape (N, C, H, W), H and W >= 8, to the
  (N, ``model.feature_dim``) FE after global average pooling;
- ``model.head``: ``nn.Linear`` or :class:`CosineHead`, FE to logits;
- ``model(x) == model.head(model.features(x))``;
- the model owns its input normalisation (buffers ``input_mean``/``input_std`` of shape
  (1, C, 1, 1), set with ``model.set_normalization``), so callers, attribution maps and
  saved weights all work on plain [0, 1] images.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from imbaug.arch_names import ARCHS, parse_arch
from imbaug.models.densenet import DenseNetBC
from imbaug.models.resnet import CifarResNet
from imbaug.models.wideresnet import WideResNet

DENSENET_GROWTH = 12
COSINE_SCALE = 30.0

__all__ = ["ARCHS", "CosineHead", "ImageClassifier", "build_model", "count_parameters"]


class CosineHead(nn.Module):
    """Logits = ``scale`` * cosine between the FE and each class's weight vector.

    ``weight`` has shape (num_classes, in_features) like ``nn.Linear`` so per-class weight
    norms can be analysed the same way; there is no bias. This is the normalised head LDAM
    expects (Cao et al. 2019), with the logit scale s applied here rather than in the loss.
    """

    def __init__(self, in_features: int, num_classes: int, scale: float = COSINE_SCALE):
        super().__init__()
        self.in_features = in_features
        self.out_features = num_classes
        self.scale = scale
        self.weight = nn.Parameter(torch.empty(num_classes, in_features))
        nn.init.kaiming_normal_(self.weight)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        # float32 even under autocast: the scale would amplify bf16 rounding of the cosine.
        with torch.autocast(device_type=features.device.type, enabled=False):
            cosine = (
                F.normalize(features.float(), dim=1) @ F.normalize(self.weight.float(), dim=1).t()
            )
        return self.scale * cosine

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, scale={self.scale}"
        )


class ImageClassifier(nn.Module):
    """Input normalisation + backbone (images -> FE) + head (FE -> logits)."""

    def __init__(self, backbone: nn.Module, head: nn.Module, in_channels: int):
        super().__init__()
        self.backbone = backbone
        self.head = head
        self.feature_dim: int = backbone.out_dim
        self.register_buffer("input_mean", torch.zeros(1, in_channels, 1, 1))
        self.register_buffer("input_std", torch.ones(1, in_channels, 1, 1))

    def set_normalization(
        self, mean: Sequence[float] | torch.Tensor, std: Sequence[float] | torch.Tensor
    ) -> None:
        """Set the per-channel mean and std (of [0, 1] images) subtracted/divided on input."""
        channels = self.input_mean.shape[1]
        mean = torch.as_tensor(mean, dtype=torch.float32).reshape(-1)
        std = torch.as_tensor(std, dtype=torch.float32).reshape(-1)
        if mean.numel() != channels or std.numel() != channels:
            raise ValueError(
                f"need {channels} per-channel means and stds, got {mean.numel()} and {std.numel()}"
            )
        if not bool((std > 0).all()):
            raise ValueError(f"channel std must be positive, got {std.tolist()}")
        self.input_mean.copy_(mean.view(1, channels, 1, 1))
        self.input_std.copy_(std.view(1, channels, 1, 1))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """FE of float images in [0, 1], shape (N, C, H, W) -> (N, feature_dim)."""
        return self.backbone((x - self.input_mean) / self.input_std)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def _make_backbone(arch: str, in_channels: int) -> nn.Module:
    family, depth, widen = parse_arch(arch)
    if family == "resnet":
        return CifarResNet(depth, in_channels)
    if family == "wrn":
        return WideResNet(depth, widen, in_channels)
    return DenseNetBC(depth, DENSENET_GROWTH, in_channels)


def _init_weights(model: nn.Module) -> None:
    """Kaiming-normal convs and linear weights (as in the LDAM-DRW reference), BN at 1/0."""
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(module.weight)
        elif isinstance(module, nn.BatchNorm2d):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)


def build_model(
    arch: str, num_classes: int, in_channels: int = 3, cosine_head: bool = False
) -> ImageClassifier:
    """Build an image classifier by name (see ``ARCHS``) with a linear or cosine head.

    Seed torch (``torch.manual_seed``) before calling for reproducible initial weights.
    """
    if num_classes < 2 or in_channels < 1:
        raise ValueError(
            f"need num_classes >= 2 and in_channels >= 1, got {num_classes}, {in_channels}"
        )
    backbone = _make_backbone(arch, in_channels)
    if cosine_head:
        head: nn.Module = CosineHead(backbone.out_dim, num_classes)
    else:
        head = nn.Linear(backbone.out_dim, num_classes)
    model = ImageClassifier(backbone, head, in_channels)
    _init_weights(model)
    return model


def count_parameters(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
