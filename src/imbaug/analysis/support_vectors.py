"""How over-sampling changes an SVM's support vectors (DA paper Section IV-C.1, Figs 2-6).

Support-vector identity is the original training row (provenance ``source_index``): a ROS copy
of a row is the same support vector as the row, an interpolated row (``source_index == -1``)
is new and synthetic.
"""

from __future__ import annotations

import numpy as np


def sv_ratio_to_base(n_sv: int, n_sv_base: int) -> float:
    """Number of SVs of a method over that of Base (DA paper Fig 2)."""
    return n_sv / n_sv_base if n_sv_base else float("nan")


def majority_minority_sv_ratio(n_support) -> float:
    """Majority (class 0) over minority (class 1) SV count (DA paper Fig 3)."""
    n_support = np.asarray(n_support)
    return float(n_support[0] / n_support[1]) if n_support[1] else float("nan")


def dual_coef_ratio(dual_coef, n_support) -> float:
    """Summed |dual coefficients| of the majority SVs over those of the minority (Fig 4).

    Parameters
    ----------
    dual_coef : array-like of float, shape (n_sv,) or (1, n_sv)
        scikit-learn's ``dual_coef_``: SVs of class 0 first, then class 1.
    n_support : array-like of int, shape (2,)
    """
    dual = np.abs(np.ravel(dual_coef))
    n_majority = int(np.asarray(n_support)[0])
    minority = dual[n_majority:].sum()
    return float(dual[:n_majority].sum() / minority) if minority else float("nan")


def new_sv_share(sv_source, base_sv_source) -> float:
    """Share of a method's SVs that are not among Base's SVs (DA paper Fig 5).

    Parameters
    ----------
    sv_source : array-like of int, shape (n_sv,)
        Original training row of each SV, -1 for an interpolated (always new) row.
    base_sv_source : array-like of int
        Original rows of Base's SVs.
    """
    sv_source = np.asarray(sv_source)
    if sv_source.size == 0:
        return float("nan")
    new = (sv_source < 0) | ~np.isin(sv_source, np.asarray(base_sv_source))
    return float(new.mean())


def synthetic_sv_share(sv_source) -> float:
    """Share of a method's SVs that are interpolated synthetic rows (DA paper Fig 6)."""
    sv_source = np.asarray(sv_source)
    return float((sv_source < 0).mean()) if sv_source.size else float("nan")


def sv_summary(model, source_index) -> dict:
    """Counts of one fitted binary SVC with the provenance of its training rows.

    Parameters
    ----------
    model : fitted sklearn.svm.SVC
    source_index : array-like of int, shape (n_train,)
        Provenance of the rows it was fitted on.

    Returns
    -------
    dict with ``n_sv``, ``n_sv_majority``, ``n_sv_minority``, ``majority_minority_sv_ratio``,
    ``dual_coef_ratio``, ``synthetic_sv_share`` and ``sv_source`` (array of SV source rows).
    """
    sv_source = np.asarray(source_index)[model.support_]
    n_support = model.n_support_
    return {
        "n_sv": int(n_support.sum()),
        "n_sv_majority": int(n_support[0]),
        "n_sv_minority": int(n_support[1]),
        "majority_minority_sv_ratio": majority_minority_sv_ratio(n_support),
        "dual_coef_ratio": dual_coef_ratio(model.dual_coef_, n_support),
        "synthetic_sv_share": synthetic_sv_share(sv_source),
        "sv_source": sv_source,
    }


def compare_to_base(summary: dict, base: dict) -> dict:
    """Add ``sv_ratio_to_base`` and ``new_sv_share`` of a summary against Base's summary."""
    return {
        **{k: v for k, v in summary.items() if k != "sv_source"},
        "sv_ratio_to_base": sv_ratio_to_base(summary["n_sv"], base["n_sv"]),
        "new_sv_share": new_sv_share(summary["sv_source"], base["sv_source"]),
    }
