"""Tabular datasets: imbalanced-learn benchmarks, user CSV/Parquet files, embedded defaults.

Every loader returns a :class:`TabularData` with float features and binary labels where the
minority class is 1, validated before any training happens.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError

import numpy as np
import pandas as pd

TARGET_COLUMN = "target"

# The DA paper's five benchmarks (imbalanced-learn's zenodo collection holds 27).
PAPER_DATASETS = ("ozone_level", "scene", "coil_2000", "thyroid_sick", "us_crime")


class TabularDataError(ValueError):
    """A dataset cannot be loaded or is unfit for the study; the message names it."""


@dataclass(frozen=True)
class TabularData:
    """Features ``X`` (n x d float64), labels ``y`` (0 = majority, 1 = minority)."""

    name: str
    X: np.ndarray
    y: np.ndarray
    feature_names: list[str]

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.X, columns=self.feature_names)
        frame[TARGET_COLUMN] = self.y
        return frame

    @classmethod
    def from_frame(cls, name: str, frame: pd.DataFrame) -> TabularData:
        features = frame.drop(columns=TARGET_COLUMN)
        return cls(name, features.to_numpy(np.float64), frame[TARGET_COLUMN].to_numpy(np.int64),
                   [str(c) for c in features.columns])


def _breast_cancer(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Wisconsin breast cancer with malignant cases thinned to 10:1 (357 benign : 35 malignant)."""
    from sklearn.datasets import load_breast_cancer

    X, y = load_breast_cancer(return_X_y=True)
    minority = (y == 0).astype(np.int64)  # sklearn codes malignant as 0
    return _thin_minority(X, minority, ratio=10.0, seed=seed)


def _digits_eight(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Handwritten digits (8x8 pixels as 64 features): digit 8, which overlaps 1, 3 and 9,
    against the rest, about 9:1."""
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    return X.astype(np.float64), (y == 8).astype(np.int64)


def _synthetic(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Generated: 2000 rows, 20 features (8 informative), about 19:1 with 2% label noise."""
    from sklearn.datasets import make_classification

    return make_classification(n_samples=2000, n_features=20, n_informative=8, n_redundant=4,
                               weights=[0.95], flip_y=0.02, class_sep=1.0, random_state=seed)


def _thin_minority(X: np.ndarray, y: np.ndarray, ratio: float, seed: int):
    rng = np.random.default_rng(seed)
    minority_rows = np.flatnonzero(y == 1)
    keep_minority = int((y == 0).sum() / ratio)
    kept = np.sort(np.concatenate([np.flatnonzero(y == 0),
                                   rng.choice(minority_rows, keep_minority, replace=False)]))
    return X[kept], y[kept]


EMBEDDED_DATASETS = {
    "breast_cancer": _breast_cancer,
    "digits_eight": _digits_eight,
    "synthetic": _synthetic,
}


def imblearn_dataset_names() -> list[str]:
    from imblearn.datasets._zenodo import MAP_NAME_ID

    return list(MAP_NAME_ID)


def known_dataset_names(files: dict | None = None) -> list[str]:
    return [*EMBEDDED_DATASETS, *imblearn_dataset_names(), *(files or {})]


def load_tabular(name: str, *, data_home: str | None = None, files: dict | None = None,
                 download: bool = True) -> TabularData:
    """Load dataset ``name``: a user file from ``files``, an embedded default, or an
    imbalanced-learn benchmark (from the cache in ``data_home``, downloaded if missing)."""
    files = files or {}
    if name in files:
        X, y, names = _load_file(name, **files[name])
    elif name in EMBEDDED_DATASETS:
        X, y = EMBEDDED_DATASETS[name]()
        names = [f"x{i}" for i in range(X.shape[1])]
    elif name in imblearn_dataset_names():
        X, y = _fetch_imblearn(name, data_home, download)
        names = [f"x{i}" for i in range(X.shape[1])]
    else:
        raise TabularDataError(
            f"unknown tabular dataset {name!r}; choose one of {known_dataset_names(files)} "
            "or describe a CSV/Parquet file under tabular.files")
    data = TabularData(name, np.asarray(X, np.float64), np.asarray(y, np.int64), names)
    validate_tabular(data)
    return data


def _fetch_imblearn(name: str, data_home: str | None, download: bool):
    from imblearn.datasets import fetch_datasets
    from imblearn.datasets._zenodo import MAP_NAME_ID

    try:
        bunch = fetch_datasets(data_home=data_home, filter_data=(name,),
                               download_if_missing=download)[name]
    except (OSError, URLError) as error:
        folder = Path(data_home) if data_home else Path("~/scikit_learn_data").expanduser()
        raise TabularDataError(
            f"dataset {name!r} is not in the imbalanced-learn cache and could not be downloaded "
            f"({error}). Place x{MAP_NAME_ID[name]}data.npz in {folder / 'zenodo'} "
            "or point tabular.data_home at a folder whose zenodo/ holds it.") from error
    return bunch.data, (bunch.target == 1).astype(np.int64)  # imblearn labels are -1/+1


def _load_file(name: str, path: str, target: str, minority) -> tuple[np.ndarray, np.ndarray, list]:
    file = Path(path)
    if not file.exists():
        raise TabularDataError(f"dataset {name!r}: file {file} does not exist")
    try:
        frame = pd.read_parquet(file) if file.suffix == ".parquet" else pd.read_csv(file)
    except Exception as error:  # pandas/pyarrow raise many types for unreadable files
        raise TabularDataError(f"dataset {name!r}: cannot read {file}: {error}") from error
    if target not in frame.columns:
        raise TabularDataError(f"dataset {name!r}: target column {target!r} is not in {file} "
                               f"(columns: {list(frame.columns)})")
    labels = frame.pop(target)
    if not (labels.astype(str) == str(minority)).any():
        raise TabularDataError(f"dataset {name!r}: minority label {minority!r} never occurs in "
                               f"column {target!r} (values: {sorted(labels.astype(str).unique())})")
    non_numeric = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    if non_numeric:
        raise TabularDataError(f"dataset {name!r}: non-numeric feature columns {non_numeric}; "
                               "encode them before use")
    y = (labels.astype(str) == str(minority)).to_numpy(np.int64)
    return frame.to_numpy(np.float64), y, [str(c) for c in frame.columns]


def validate_tabular(data: TabularData) -> None:
    """Raise :class:`TabularDataError` for data no method could learn from."""
    bad_rows = ~np.isfinite(data.X).all(axis=1)
    if bad_rows.any():
        raise TabularDataError(f"dataset {data.name!r}: {bad_rows.sum()} rows hold NaN or inf "
                               f"features (first row {np.flatnonzero(bad_rows)[0]})")
    counts = np.bincount(data.y, minlength=2)
    if (counts == 0).any():
        raise TabularDataError(f"dataset {data.name!r} has a single class "
                               f"(class counts {counts.tolist()}); need both 0 and 1")
