"""Over-sampling in input, pixel or latent space: EOS, ReMix, Balanced SVM, Chou's Remix, and a
method registry with one entry point, ``resample``.

Samplers follow imbalanced-learn's API (``fit_resample``, keyword-only parameters,
``random_state=None``). Except ReMix's re-draw, they return the original rows first, then
the synthetic rows, so every row can be traced back.
"""

from __future__ import annotations

from imbaug.resampling.balanced_svm import BalancedSVM
from imbaug.resampling.eos import EOS
from imbaug.resampling.registry import (
    BUILTIN,
    METHOD_NAMES,
    SETTINGS,
    SPACES,
    MethodSpec,
    Resampled,
    config_settings,
    config_settings_of,
    configured_spec,
    method_name,
    method_spec,
    min_class_size,
    names,
    names_of,
    resample,
    settings_from_config,
)
from imbaug.resampling.remix import (
    ReMix,
    RemixChou,
    balanced_batch_indices,
    mixup,
    remix_label_weight,
)

__all__ = [
    "BUILTIN",
    "EOS",
    "METHOD_NAMES",
    "SETTINGS",
    "SPACES",
    "BalancedSVM",
    "MethodSpec",
    "ReMix",
    "RemixChou",
    "Resampled",
    "balanced_batch_indices",
    "config_settings",
    "config_settings_of",
    "configured_spec",
    "method_name",
    "method_spec",
    "min_class_size",
    "mixup",
    "names",
    "names_of",
    "remix_label_weight",
    "resample",
    "settings_from_config",
]
