"""Tabular datasets: imbalanced-learn benchmarks, user CSV/Parquet files, embedded defaults.

Every loader returns a :class:`TabularData` with float features and binary labels where the
minority class is 1, validated before any training happens.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError

import numpy as np
import pandas as pd

from imbaug.data.folders import missing_folders, remove_empty_folders

TARGET_COLUMN = "target"
_log = logging.getLogger(__name__)

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
        return cls(
            name,
            features.to_numpy(np.float64),
            frame[TARGET_COLUMN].to_numpy(np.int64),
            [str(c) for c in features.columns],
        )


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

    return make_classification(
        n_samples=2000,
        n_features=20,
        n_informative=8,
        n_redundant=4,
        weights=[0.95],
        flip_y=0.02,
        class_sep=1.0,
        random_state=seed,
    )


def _thin_minority(X: np.ndarray, y: np.ndarray, ratio: float, seed: int):
    rng = np.random.default_rng(seed)
    minority_rows = np.flatnonzero(y == 1)
    keep_minority = int((y == 0).sum() / ratio)
    kept = np.sort(
        np.concatenate(
            [np.flatnonzero(y == 0), rng.choice(minority_rows, keep_minority, replace=False)]
        )
    )
    return X[kept], y[kept]


EMBEDDED_DATASETS = {
    "breast_cancer": _breast_cancer,
    "digits_eight": _digits_eight,
    "synthetic": _synthetic,
}


@functools.cache
def imblearn_dataset_ids() -> dict[str, int]:
    """imbalanced-learn's benchmark datasets, name -> Zenodo ID (its
    ``imblearn.datasets._zenodo.MAP_NAME_ID``: position in ``MAP_NAME_ID_KEYS``, from 1).

    Read from that module's source, not imported: importing imbalanced-learn imports
    scikit-learn (about 3 s on the 2-core VM), which the Snakefile's config checks would pay at
    every Snakemake start. Falls back to the import if the source no longer has that list."""
    package = importlib.util.find_spec("imblearn")
    source = Path(package.origin).parent / "datasets" / "_zenodo.py"
    for node in ast.parse(source.read_text()).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [
            "MAP_NAME_ID_KEYS"
        ]:
            return {name: i + 1 for i, name in enumerate(ast.literal_eval(node.value))}
    from imblearn.datasets._zenodo import MAP_NAME_ID

    return dict(MAP_NAME_ID)


def imblearn_dataset_names() -> list[str]:
    return list(imblearn_dataset_ids())


def known_dataset_names(files: dict | None = None) -> list[str]:
    return [*EMBEDDED_DATASETS, *imblearn_dataset_names(), *(files or {})]


def load_tabular(
    name: str, *, data_home: str | None = None, files: dict | None = None, download: bool = True
) -> TabularData:
    """Load dataset ``name``: a user file from ``files``, an embedded default, or an
    imbalanced-learn benchmark (from the cache in ``data_home``, downloaded if missing).

    Parameters
    ----------
    name : str
        A key of ``files``, of :data:`EMBEDDED_DATASETS`, or an imbalanced-learn benchmark name.
    data_home : str or None
        imbalanced-learn cache folder (holds ``zenodo/x<ID>data.npz``); None = scikit-learn's
        default (``$SCIKIT_LEARN_DATA`` or ``~/scikit_learn_data``).
    files : dict or None
        ``{name: {path, target, minority, exclude}}`` as in the config's ``tabular.files``.
    download : bool
        Download a benchmark missing from the cache.

    Returns
    -------
    TabularData
        ``X`` float64 (n, d), ``y`` int64 (n,) with 1 = minority; the feature columns used
        are logged (logger ``imbaug.data.tabular``).

    Raises
    ------
    TabularDataError
        Unknown name (the message lists the valid ones), missing/corrupt/unreadable file (the
        message names it), bad user columns or labels (see :func:`check_user_frame`), NaN or
        inf features, a single class.
    """
    files = files or {}
    if name in files:
        X, y, names = _load_file(name, files[name])
    elif name in EMBEDDED_DATASETS:
        X, y = EMBEDDED_DATASETS[name]()
        names = [f"x{i}" for i in range(X.shape[1])]
    elif name in imblearn_dataset_names():
        X, y = _fetch_imblearn(name, data_home, download)
        names = [f"x{i}" for i in range(X.shape[1])]
    else:
        raise TabularDataError(
            f"unknown tabular dataset {name!r}; choose one of {known_dataset_names(files)} "
            "or describe a CSV/Parquet file under tabular.files"
        )
    data = TabularData(name, np.asarray(X, np.float64), np.asarray(y, np.int64), names)
    validate_tabular(data)
    _log.info("dataset %r: %d feature columns used: %s", name, len(names), ", ".join(names))
    return data


# ---------------------------------------------------------------------------------------------
# imbalanced-learn benchmarks


def imblearn_cache_file(name: str, data_home: str | None) -> Path:
    """Where imbalanced-learn keeps benchmark ``name``: ``<data_home>/zenodo/x<ID>data.npz``.

    ``data_home`` None resolves like scikit-learn's ``get_data_home`` (``$SCIKIT_LEARN_DATA``,
    else ``~/scikit_learn_data``), which cannot be asked without it creating the folder.
    """
    home = data_home or os.environ.get("SCIKIT_LEARN_DATA", "~/scikit_learn_data")
    return Path(home).expanduser() / "zenodo" / f"x{imblearn_dataset_ids()[name]}data.npz"


def _fetch_imblearn(name: str, data_home: str | None, download: bool):
    from imblearn.datasets import fetch_datasets

    file = imblearn_cache_file(name, data_home)
    if not file.is_file() and not download:
        raise TabularDataError(_placement_message(name, file, "tabular.download is false"))
    created = missing_folders(file.parent)
    try:
        bunch = fetch_datasets(
            data_home=str(file.parent.parent), filter_data=(name,), download_if_missing=download
        )[name]
    except (OSError, URLError) as error:
        remove_empty_folders(created)
        raise TabularDataError(
            _placement_message(name, file, f"download failed: {error}")
        ) from error
    except Exception as error:  # numpy/zipfile raise several types for a damaged .npz
        remove_empty_folders(created)
        raise TabularDataError(
            f"dataset {name!r}: the imbalanced-learn cache file {file} is corrupt or truncated "
            f"({type(error).__name__}: {error}); delete it and download again, or replace it "
            "with a good copy"
        ) from error
    return bunch.data, (bunch.target == 1).astype(np.int64)  # imblearn labels are -1/+1


def _placement_message(name: str, file: Path, reason: str) -> str:
    return (
        f"dataset {name!r} is not in the imbalanced-learn cache ({reason}). Place "
        f"{file.name} (from imbalanced-learn's zenodo archive, "
        "https://zenodo.org/record/61452) in "
        f"{file.parent}, or point tabular.data_home at a folder whose zenodo/ holds it."
    )


# ---------------------------------------------------------------------------------------------
# User CSV / Parquet files

# pandas names a column whose header cell is empty "Unnamed: <position>"; the usual source is
# DataFrame.to_csv's default index=True, which writes the row index as a nameless first column.
_UNNAMED_COLUMN = re.compile(r"^Unnamed: \d+")
# YAML 1.1 (PyYAML) reads these unquoted words as booleans.
_YAML_TRUE, _YAML_FALSE = ("yes", "on", "true", "y"), ("no", "off", "false", "n")
SAMPLE_ROWS = 10_000


def read_user_file(
    name: str, spec: dict, *, sample: bool = False
) -> tuple[pd.DataFrame, pd.Series]:
    """The feature frame (target column removed) and the label column of a user file.

    Parameters
    ----------
    name : str
        Dataset name (for messages).
    spec : dict
        ``{path, target, minority, exclude}`` from ``tabular.files.<name>``.
    sample : bool
        Cheap read for config checks: the features of the first :data:`SAMPLE_ROWS` rows of a
        CSV (a Parquet file's schema only, no rows) and the full target column.

    Raises
    ------
    TabularDataError
        The file is missing or unreadable (naming it), or lacks the target column.
    """
    file = Path(spec["path"])
    if not file.is_file():
        raise TabularDataError(f"dataset {name!r}: file {file} does not exist")
    try:
        if file.suffix == ".parquet":
            frame = _parquet_schema_frame(file) if sample else pd.read_parquet(file)
        else:
            frame = pd.read_csv(file, nrows=SAMPLE_ROWS if sample else None)
        _require_target(name, spec, frame.columns)
        labels = frame[spec["target"]]
        if sample and (file.suffix == ".parquet" or len(frame) == SAMPLE_ROWS):
            labels = _read_column(file, spec["target"])
    except TabularDataError:
        raise
    except Exception as error:  # pandas/pyarrow raise many types for unreadable files
        raise TabularDataError(f"dataset {name!r}: cannot read {file}: {error}") from error
    return frame.drop(columns=spec["target"]), labels


def _parquet_schema_frame(file: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    return pq.read_schema(file).empty_table().to_pandas()


def _read_column(file: Path, column: str) -> pd.Series:
    if file.suffix == ".parquet":
        return pd.read_parquet(file, columns=[column])[column]
    return pd.read_csv(file, usecols=[column])[column]


def _require_target(name: str, spec: dict, columns) -> None:
    if spec["target"] not in columns:
        raise TabularDataError(
            f"dataset {name!r}: target column {spec['target']!r} is not in "
            f"{spec['path']} (columns: {list(columns)})"
        )


def check_user_frame(
    name: str, spec: dict, features: pd.DataFrame, labels: pd.Series
) -> tuple[list[str], np.ndarray]:
    """Check a user file's columns and labels; return the feature columns and the minority mask.

    Refused (each message names the dataset, the file and the columns or rows): a column of
    ``exclude`` that is not in the file or is the target; a column with an empty header
    (``Unnamed: 0``, a saved row index) that is not excluded; a non-numeric feature column
    that is not excluded; missing target values (their count and first rows); a minority label
    that never occurs, or one YAML read as a boolean from an unquoted ``yes``/``no``.

    Returns
    -------
    features : list of str
        The feature columns used, in file order.
    minority : ndarray of bool, shape (n,)
        True on minority rows.
    """
    where = f"dataset {name!r} ({spec['path']})"
    exclude = list(spec.get("exclude", []))
    unknown = [c for c in exclude if c not in features.columns]
    if unknown:
        raise TabularDataError(
            f"{where}: exclude names columns {unknown} that are not in the "
            f"file (feature columns: {list(features.columns)})"
        )
    used = [c for c in features.columns if c not in exclude]
    _check_unnamed(where, name, used)
    _check_numeric(where, name, spec["path"], features[used])
    _check_missing_labels(where, spec, labels)
    return [str(c) for c in used], minority_mask(where, spec, labels)


def _check_unnamed(where: str, name: str, columns: list) -> None:
    unnamed = [c for c in columns if _UNNAMED_COLUMN.match(str(c))]
    if unnamed:
        raise TabularDataError(
            f"{where}: column(s) {unnamed} have no name in the header. That is usually the row "
            "index pandas' to_csv writes unless index=False, and as a feature it lets a model "
            "read the label off the row order. Save the file with index=False, name the column, "
            f"or add it to tabular.files.{name}.exclude."
        )


def _check_numeric(where: str, name: str, path: str, features: pd.DataFrame) -> None:
    non_numeric = {
        str(c): str(t) for c, t in features.dtypes.items() if not pd.api.types.is_numeric_dtype(t)
    }
    if non_numeric:
        raise TabularDataError(
            f"{where}: non-numeric feature columns {non_numeric} (column: dtype); "
            + "; ".join(_first_non_number(features[c], path) for c in non_numeric)
            + f". Fix cells that should be numbers (a decimal comma? write 1.5), encode text "
            f"columns as numbers, or list ID/date/text columns under tabular.files.{name}.exclude."
        )


def _first_non_number(column: pd.Series, path: str) -> str:
    """Where column's first value that is not a number stands, and how many there are."""
    try:
        parsed = pd.to_numeric(column, errors="coerce")
    except TypeError:  # e.g. dates: no cell is a number
        parsed = pd.Series(np.nan, index=column.index)
    bad = np.flatnonzero((parsed.isna() & column.notna()).to_numpy())
    if not bad.size:  # every cell converts (dates, booleans): the column's type is the problem
        return f"{column.name}: {column.dtype} values"
    first = column.iloc[bad[0]]
    return (
        f"{column.name}: {_count(len(bad), 'value')} not a number, the first {first!r} at "
        f"{_row_numbers(path, bad[:1])}"
    )


def _check_missing_labels(where: str, spec: dict, labels: pd.Series) -> None:
    missing = np.flatnonzero(labels.isna().to_numpy())
    if missing.size:
        raise TabularDataError(
            f"{where}: target column {spec['target']!r} is empty in {_count(missing.size, 'row')} "
            f"(first at {_row_numbers(spec['path'], missing[:5])}). A missing label is never "
            "made a class: fill in or delete those rows."
        )


def _row_numbers(path: str, rows: np.ndarray) -> str:
    """Rows by position: line numbers of a CSV (header = line 1), 0-based rows of Parquet."""
    if Path(path).suffix == ".parquet":
        return ("row " if len(rows) == 1 else "rows ") + ", ".join(map(str, rows)) + " (from 0)"
    return (
        ("line " if len(rows) == 1 else "lines ")
        + ", ".join(str(r + 2) for r in rows)
        + " of the file"
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def minority_mask(where: str, spec: dict, labels: pd.Series) -> np.ndarray:
    """True where ``labels`` equals ``spec['minority']``.

    Numbers match numerically (``1`` matches ``1.0``, ``"1"`` matches 1); other values match
    by their text. A boolean minority matches only a boolean column: YAML reads an unquoted
    ``yes``/``no``/``on``/``off`` as a boolean, and the message says to quote it.

    Raises
    ------
    TabularDataError
        The minority never occurs, or is a boolean while the column holds text.
    """
    minority, target = spec["minority"], spec["target"]
    values = sorted(labels.dropna().astype(str).unique())[:20]
    if isinstance(minority, bool) and not pd.api.types.is_bool_dtype(labels):
        words = _YAML_TRUE if minority else _YAML_FALSE
        meant = [v for v in values if v.lower() in words] or [str(minority).lower()]
        raise TabularDataError(
            f"{where}: minority is the boolean {minority}, but column {target!r} holds "
            f"{values}. YAML reads an unquoted yes/no/on/off/true/false as a boolean: quote the "
            f'label, e.g. minority: "{meant[0]}"'
        )
    mask = _matches(labels, minority)
    if not mask.any():
        raise TabularDataError(
            f"{where}: minority label {minority!r} never occurs in column "
            f"{target!r} (values: {values})"
        )
    return mask


def _matches(labels: pd.Series, minority) -> np.ndarray:
    if isinstance(minority, bool):
        return (labels == minority).to_numpy()
    text = labels.astype(str) == str(minority)
    number = _as_number(minority)
    if number is None:
        return text.to_numpy()
    return ((pd.to_numeric(labels, errors="coerce") == number) | text).to_numpy()


def _as_number(value) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _load_file(name: str, spec: dict) -> tuple[np.ndarray, np.ndarray, list[str]]:
    features, labels = read_user_file(name, spec)
    used, minority = check_user_frame(name, spec, features, labels)
    excluded = list(spec.get("exclude", []))
    if excluded:
        _log.info("dataset %r: excluded columns %s", name, excluded)
    X = features[used].to_numpy(np.float64)
    missing = ~np.isfinite(X)
    if missing.any():
        rows, columns = np.nonzero(missing)
        bad = sorted({used[c] for c in columns})
        raise TabularDataError(
            f"dataset {name!r} ({spec['path']}): feature columns {bad} hold missing, NaN or inf "
            f"values in {_count(len(np.unique(rows)), 'row')} (first at "
            f"{_row_numbers(spec['path'], np.unique(rows)[:5])}). Fill those cells in or drop "
            f"their rows, or list the column under tabular.files.{name}.exclude."
        )
    return X, minority.astype(np.int64), used


def validate_tabular(data: TabularData) -> None:
    """Raise :class:`TabularDataError` for data no method could learn from."""
    bad_rows = ~np.isfinite(data.X).all(axis=1)
    if bad_rows.any():
        raise TabularDataError(
            f"dataset {data.name!r}: {bad_rows.sum()} rows hold NaN or inf "
            f"features (first row {np.flatnonzero(bad_rows)[0]})"
        )
    counts = np.bincount(data.y, minlength=2)
    if (counts == 0).any():
        raise TabularDataError(
            f"dataset {data.name!r} has a single class "
            f"(class counts {counts.tolist()}); need both 0 and 1"
        )
