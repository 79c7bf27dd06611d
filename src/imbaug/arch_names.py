"""Names of the image architectures, checked without importing torch: the Snakefile checks
the config's names with :func:`parse_arch` before any job starts, and
:func:`imbaug.models.build_model` builds from the same parse."""

from __future__ import annotations

import re

ARCHS = (
    "resnet{6n+2}: CIFAR ResNet, e.g. resnet8, resnet20, resnet32, resnet44, resnet56",
    "wrn{6n+4}_{k}: pre-activation WideResNet of widen factor k, e.g. wrn16_4, wrn28_10",
    "densenet{6n+4}: DenseNet-BC with growth 12, e.g. densenet40, densenet100",
)


def parse_arch(arch: str) -> tuple[str, int, int | None]:
    """``(family, depth, widen)`` of an architecture name: ``("resnet", 32, None)`` for
    resnet32, ``("wrn", 28, 10)`` for wrn28_10, ``("densenet", 100, None)`` for densenet100.

    Raises
    ------
    ValueError
        For any other name, or a depth the family cannot build (a CIFAR ResNet has 6n+2
        layers, n >= 1; a WideResNet or DenseNet-BC 6n+4, n >= 1), naming the accepted forms.
    """
    if match := re.fullmatch(r"resnet(\d+)", arch):
        depth = int(match[1])
        if depth >= 8 and (depth - 2) % 6 == 0:
            return "resnet", depth, None
    elif match := re.fullmatch(r"wrn(\d+)_(\d+)", arch):
        depth, widen = int(match[1]), int(match[2])
        if depth >= 10 and (depth - 4) % 6 == 0 and widen >= 1:
            return "wrn", depth, widen
    elif match := re.fullmatch(r"densenet(\d+)", arch):
        depth = int(match[1])
        if depth >= 10 and (depth - 4) % 6 == 0:
            return "densenet", depth, None
    raise ValueError(f"unknown architecture {arch!r}; accepted forms: " + "; ".join(ARCHS))
