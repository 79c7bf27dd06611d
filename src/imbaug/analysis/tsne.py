"""t-SNE map of two classes' feature embeddings (EOS paper Fig 6).

Train, test and synthetic (FE-space over-sampled) points of two classes are embedded
together with scikit-learn's t-SNE, so the maps of Base and of EOS can be compared point
type by point type.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SUBSETS = ("train", "test", "synthetic")


def two_class_points(
    groups: dict, classes: tuple[int, int], max_points: int, seed: int
) -> pd.DataFrame:
    """The FE of two classes from each subset, each (subset, class) capped at ``max_points``.

    Parameters
    ----------
    groups : dict
        ``subset -> (fe, labels)`` with fe float (n, d) and labels int (n,); subsets are
        among :data:`SUBSETS` (missing or empty ones are skipped).
    classes : (int, int)
    max_points : int
        Cap per (subset, class); a larger group is subsampled without replacement.
    seed : int

    Returns
    -------
    DataFrame
        Columns ``subset``, ``class``, ``fe`` (one float array per row).

    Raises
    ------
    ValueError
        If an unknown subset is given or the two classes are the same.
    """
    if classes[0] == classes[1]:
        raise ValueError(f"t-SNE needs two different classes, got {classes}")
    unknown = set(groups) - set(SUBSETS)
    if unknown:
        raise ValueError(f"unknown t-SNE subsets {sorted(unknown)}; use {SUBSETS}")
    rng = np.random.default_rng(seed)
    rows = []
    for subset in SUBSETS:
        if subset not in groups:
            continue
        fe, labels = (np.asarray(a) for a in groups[subset])
        for label in classes:
            index = np.flatnonzero(labels == label)
            if len(index) > max_points:
                index = np.sort(rng.choice(index, max_points, replace=False))
            rows += [{"subset": subset, "class": int(label), "fe": fe[i]} for i in index]
    return pd.DataFrame(rows, columns=["subset", "class", "fe"])


def embed(
    points: pd.DataFrame, seed: int, perplexity: float = 30.0, threads: int = 1
) -> pd.DataFrame:
    """2-D t-SNE (scikit-learn, PCA initialisation, seeded) of ``points['fe']``.

    Runs on ``threads`` OpenMP threads (default 1): on a shared machine more threads spin
    and can be 50x slower, and one thread gives the same map on every run.

    Parameters
    ----------
    points : DataFrame from :func:`two_class_points` (at least 3 rows).
    seed : int
    perplexity : float
        Lowered to ``(n - 1) / 3`` for small sets (t-SNE needs perplexity < n).

    Returns
    -------
    DataFrame
        ``points`` without ``fe`` plus columns ``x``, ``y`` (t-SNE units, no scale meaning).

    Raises
    ------
    ValueError
        If there are fewer than 3 points.
    """
    from sklearn.manifold import TSNE
    from threadpoolctl import threadpool_limits

    if len(points) < 3:
        raise ValueError(f"t-SNE needs at least 3 points, got {len(points)}")
    fe = np.stack(points["fe"].to_numpy()).astype(np.float64)
    perplexity = min(perplexity, (len(fe) - 1) / 3)
    with threadpool_limits(limits=threads):
        xy = TSNE(
            n_components=2, perplexity=perplexity, init="pca", random_state=seed
        ).fit_transform(fe)
    out = points.drop(columns="fe").reset_index(drop=True)
    out["x"], out["y"] = xy[:, 0], xy[:, 1]
    return out
