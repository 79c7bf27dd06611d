"""One entry point, ``resample``, for every input/latent-space method, with provenance."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from imblearn.over_sampling import ADASYN, SMOTE, BorderlineSMOTE, RandomOverSampler

from imbaug.resampling.balanced_svm import BalancedSVM
from imbaug.resampling.eos import EOS
from imbaug.resampling.remix import REMIX

logger = logging.getLogger("imbaug.resampling")

METHOD_NAMES = ("Base", "CS", "ROS", "SMOTE", "ADASYN", "BSMOTE", "BalSVM", "REMIX", "EOS", "DSM")

_NOT_RESAMPLED = frozenset({"Base", "CS"})
# Methods that interpolate between a row and its k nearest neighbours of the same class.
_SAME_CLASS_NEIGHBOURS = frozenset({"SMOTE", "ADASYN", "BSMOTE", "BalSVM", "DSM"})
# Methods whose output has every class at exactly the majority count.
_EXACTLY_BALANCED = frozenset({"ROS", "SMOTE", "BSMOTE", "EOS", "DSM"})
# imbalanced-learn's BorderlineSMOTE default; it searches these neighbours over all classes.
_BSMOTE_M_NEIGHBORS = 10


@dataclass(frozen=True, eq=False)
class Resampled:
    """A resampled data set with row provenance; original rows come first.

    Attributes
    ----------
    X : ndarray (n_rows, n_features)
    y : ndarray of int64 (hard labels)
    source_index : ndarray of int64
        ``i`` for a row that is original row ``i`` or an exact copy of it (ROS
        duplicates), -1 for an interpolated synthetic row.
    synthetic : ndarray of bool
        True for every row appended after the originals.
    soft_labels : ndarray (n_rows, n_classes) or None
        REMIX label distributions, columns in the order of ``np.unique(y)`` of the
        input; None for the other methods.
    """

    X: np.ndarray
    y: np.ndarray
    source_index: np.ndarray
    synthetic: np.ndarray
    soft_labels: np.ndarray | None = None

    def __post_init__(self):
        lengths = {len(self.X), len(self.y), len(self.source_index), len(self.synthetic)}
        if self.soft_labels is not None:
            lengths.add(len(self.soft_labels))
        if len(lengths) != 1:
            raise ValueError(f"Resampled fields have different numbers of rows: {sorted(lengths)}")

    @classmethod
    def unchanged(cls, X, y) -> Resampled:
        """The data as it is: every row original, nothing synthetic."""
        n = len(y)
        return cls(X, y, np.arange(n, dtype=np.int64), np.zeros(n, dtype=bool))

    def to_frame(self) -> pd.DataFrame:
        """Provenance table (no features): columns row, label, source_index, synthetic."""
        return pd.DataFrame(
            {
                "row": np.arange(len(self.y), dtype=np.int64),
                "label": self.y,
                "source_index": self.source_index,
                "synthetic": self.synthetic,
            }
        )


def _check_method(method: str) -> None:
    if method not in METHOD_NAMES:
        valid = ", ".join(METHOD_NAMES)
        raise ValueError(f"Unknown resampling method {method!r}; valid names: {valid}.")


def min_class_size(method: str, k_neighbors: int = 5, eos_k: int = 10) -> int:
    """Smallest number of rows a class must have for ``method`` to over-sample it.

    1 for Base, CS, ROS and REMIX; ``k_neighbors + 1`` for SMOTE, ADASYN, BSMOTE,
    BalSVM and DSM (a row plus its k same-class neighbours); 2 for EOS, whose
    neighbour search runs over all classes, so it needs more than ``eos_k`` rows
    in the whole data set instead (checked by ``resample``).
    """
    _check_method(method)
    if method in _SAME_CLASS_NEIGHBOURS:
        return k_neighbors + 1
    if method == "EOS":
        return 2
    return 1


def _validated_inputs(X, y) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
        raise ValueError(
            f"Expected X of shape (n, d) and y of shape (n,); got {X.shape} and {y.shape}."
        )
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must hold integer class labels; got dtype {y.dtype}.")
    if not np.issubdtype(X.dtype, np.floating):
        X = X.astype(np.float64)  # interpolating integer features would truncate them
    if not np.isfinite(X).all():
        raise ValueError("X contains NaN or infinite values; resampling needs finite features.")
    if len(np.unique(y)) < 2:
        raise ValueError(f"y has a single class ({np.unique(y)}); resampling needs at least two.")
    return X, y.astype(np.int64)


def _check_data_size(method: str, y: np.ndarray, k_neighbors: int, eos_k: int) -> None:
    """Raise if a class the method over-samples, or the whole data set, is too small."""
    labels, counts = np.unique(y, return_counts=True)
    needed = min_class_size(method, k_neighbors, eos_k)
    reason = f" (k_neighbors={k_neighbors} + 1)" if method in _SAME_CLASS_NEIGHBOURS else ""
    for label, count in zip(labels, counts):
        if count < counts.max() and count < needed:
            raise ValueError(
                f"{method} needs at least {needed} rows of class {label}{reason}; it has {count}."
            )
    neighbours_over_all = {"EOS": eos_k, "BSMOTE": _BSMOTE_M_NEIGHBORS}.get(method)
    if neighbours_over_all is not None and len(y) <= neighbours_over_all:
        raise ValueError(
            f"{method} searches {neighbours_over_all} neighbours over all classes and needs "
            f"more than {neighbours_over_all} rows in total; it has {len(y)}."
        )


def _build_sampler(method, random_state, k_neighbors, eos_k, remix_alpha, remix_kappa, remix_tau):
    common = {"random_state": random_state}
    if method == "ROS":
        return RandomOverSampler(**common)
    if method in ("SMOTE", "DSM"):
        return SMOTE(k_neighbors=k_neighbors, **common)
    if method == "ADASYN":
        return ADASYN(n_neighbors=k_neighbors, **common)
    if method == "BSMOTE":
        return BorderlineSMOTE(k_neighbors=k_neighbors, m_neighbors=_BSMOTE_M_NEIGHBORS, **common)
    if method == "BalSVM":
        return BalancedSVM(k_neighbors=k_neighbors, **common)
    if method == "REMIX":
        return REMIX(alpha=remix_alpha, kappa=remix_kappa, tau=remix_tau, **common)
    if method == "EOS":
        return EOS(k_neighbors=eos_k, **common)
    raise AssertionError(f"no sampler for {method!r}")


def _run_adasyn(sampler, X, y):
    try:
        return sampler.fit_resample(X, y)
    except (RuntimeError, ValueError) as err:
        # imbalanced-learn raises when no neighbour is of another class, or when the
        # per-row amounts all round to zero.
        raise ValueError(f"ADASYN cannot over-sample this data set: {err}") from err


def _run_borderline_smote(sampler, X, y, k_neighbors, random_state):
    """BorderlineSMOTE, topping up with plain SMOTE each class that has no row "in danger".

    imbalanced-learn 0.14 silently skips such a class (older versions raised), which
    would leave it unbalanced.
    """
    X_out, y_out = sampler.fit_resample(X, y)
    requested = sampler.sampling_strategy_
    generated = {c: int(np.sum(y_out[len(y) :] == c)) for c in requested}
    short = {c: n for c, n in requested.items() if generated[c] < n}
    if not short:
        return X_out, y_out
    logger.warning(
        "BSMOTE: no row of class(es) %s is in danger; over-sampling them with plain SMOTE instead.",
        sorted(short),
    )
    class_counts = {c: int(np.sum(y == c)) for c in short}
    top_up = SMOTE(
        sampling_strategy={c: class_counts[c] + n - generated[c] for c, n in short.items()},
        k_neighbors=k_neighbors,
        random_state=random_state,
    )
    X_smote, y_smote = top_up.fit_resample(X, y)
    return np.vstack([X_out, X_smote[len(y) :]]), np.concatenate([y_out, y_smote[len(y) :]])


def _check_originals_first(X, y, X_out, y_out) -> None:
    n = len(y)
    if len(y_out) < n or not (np.array_equal(X_out[:n], X) and np.array_equal(y_out[:n], y)):
        raise RuntimeError("The sampler did not return the original rows first, unchanged.")


def _check_balanced(method: str, y: np.ndarray, y_out: np.ndarray) -> None:
    if method not in _EXACTLY_BALANCED:
        return
    _, counts = np.unique(y, return_counts=True)
    labels_out, counts_out = np.unique(y_out, return_counts=True)
    if len(labels_out) != len(counts) or (counts_out != counts.max()).any():
        raise RuntimeError(f"{method} returned class counts {counts_out}, not {counts.max()} each.")


def _source_index(method: str, sampler, n: int, n_out: int) -> np.ndarray:
    if method == "ROS":
        return np.asarray(sampler.sample_indices_, dtype=np.int64)
    return np.concatenate([np.arange(n, dtype=np.int64), np.full(n_out - n, -1, dtype=np.int64)])


def resample(
    method: str,
    X,
    y,
    *,
    random_state: int = 0,
    k_neighbors: int = 5,
    eos_k: int = 10,
    remix_alpha: float = 1.0,
    remix_kappa: float = 3.0,
    remix_tau: float = 0.5,
) -> Resampled:
    """Over-sample every non-majority class of ``(X, y)`` to the majority count with ``method``.

    ``method`` is one of ``METHOD_NAMES``. "Base" and "CS" return the input
    unchanged. "ROS", "SMOTE", "ADASYN" and "BSMOTE" (BorderlineSMOTE,
    m_neighbors=10) are imbalanced-learn's samplers; "DSM" is SMOTE (named DSM when
    applied in a latent space); "BalSVM", "REMIX" and "EOS" (K = ``eos_k``) are this
    package's. BSMOTE tops up with plain SMOTE, with a logged warning, any class
    that has no row in danger. ADASYN balances only approximately (rounding).

    Raises ValueError for an unknown method, non-finite X, non-integer or
    single-class y, a class smaller than ``min_class_size`` among those to
    over-sample, or (EOS, BSMOTE) a data set no larger than the neighbour count.
    Integer X is converted to float64; float dtypes are kept.
    """
    _check_method(method)
    X, y = _validated_inputs(X, y)
    n = len(y)
    if method in _NOT_RESAMPLED:
        return Resampled.unchanged(X, y)

    _check_data_size(method, y, k_neighbors, eos_k)
    sampler = _build_sampler(
        method, random_state, k_neighbors, eos_k, remix_alpha, remix_kappa, remix_tau
    )
    if method == "ADASYN":
        X_out, y_out = _run_adasyn(sampler, X, y)
    elif method == "BSMOTE":
        X_out, y_out = _run_borderline_smote(sampler, X, y, k_neighbors, random_state)
    else:
        X_out, y_out = sampler.fit_resample(X, y)

    _check_originals_first(X, y, X_out, y_out)
    _check_balanced(method, y, y_out)
    synthetic = np.arange(len(y_out)) >= n
    return Resampled(
        X=X_out,
        y=np.asarray(y_out, dtype=np.int64),
        source_index=_source_index(method, sampler, n, len(y_out)),
        synthetic=synthetic,
        soft_labels=sampler.soft_labels_ if method == "REMIX" else None,
    )
