"""Over-sampling in input, pixel or latent space: EOS, ReMix, Balanced SVM, Chou's Remix, and a
method registry with one entry point, ``resample``.

Samplers follow imbalanced-learn's API (``fit_resample``, keyword-only parameters,
``random_state=None``). Except ReMix's re-draw, they return the original rows first, then
the synthetic rows, so every row can be traced back.
"""

from __future__ import annotations

import importlib

# Where each public name lives. Submodules are imported on first use (PEP 562): the samplers
# import scikit-learn and imbalanced-learn (~3 s), which the registry's readers (the
# Snakefile, jobs that never resample) do not need.
_HOME = {
    "BalancedSVM": "balanced_svm",
    "EOS": "eos",
    "ReMix": "remix",
    "RemixChou": "remix",
    "balanced_batch_indices": "remix",
    "mixup": "remix",
    "remix_label_weight": "remix",
    **dict.fromkeys(
        [
            "BUILTIN",
            "METHOD_NAMES",
            "SETTINGS",
            "SPACES",
            "MethodSpec",
            "Resampled",
            "config_settings",
            "config_settings_of",
            "configured_spec",
            "method_name",
            "method_spec",
            "min_class_size",
            "names",
            "names_of",
            "resample",
            "settings_from_config",
        ],
        "registry",
    ),
}


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)


__all__ = sorted(_HOME)


def __dir__():
    return sorted(__all__)
