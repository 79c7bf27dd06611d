"""Over-sampling in input or latent space: EOS, REMIX, Balanced SVM and a ``resample`` registry.

Samplers follow imbalanced-learn's API (``fit_resample``) and return the original
rows first, then the synthetic rows, so every row can be traced back.
"""

from __future__ import annotations

from imbaug.resampling.balanced_svm import BalancedSVM
from imbaug.resampling.eos import EOS
from imbaug.resampling.registry import METHOD_NAMES, Resampled, min_class_size, resample
from imbaug.resampling.remix import REMIX, remix_label_weight

__all__ = [
    "EOS",
    "METHOD_NAMES",
    "REMIX",
    "BalancedSVM",
    "Resampled",
    "min_class_size",
    "remix_label_weight",
    "resample",
]
