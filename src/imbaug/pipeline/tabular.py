"""The DA paper's tabular study in stages: splits -> resampling -> fitting -> latent space ->
evaluation. Each stage is a function of the previous stage's stored artifacts, so the
workflow runs each as its own rule and the analyses read what was stored.

Artifacts (all keyed by split index and method):

- partition: ``split, row, part`` (train/test) of every split;
- resampled sets: one frame per split, every method's rows with provenance (``source_index``
  = original train row, -1 for interpolated rows; ``synthetic``) and the features ``f0..``;
- a status row per (split, space, method): ``applicable`` and the ``reason`` when a method
  cannot run on a split (e.g. ADASYN with no majority neighbour; ``../shared/cases/T2``);
- fitted models by ``model_key(split, method)``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from imbaug.data.splits import Split, split_indices
from imbaug.data.tabular import TabularData, TabularDataError
from imbaug.metrics import score
from imbaug.resampling import Resampled, method_name, min_class_size, resample
from imbaug.training.tabular import NNSettings

N_CLASSES = 2
SOFT_COLUMNS = [f"soft{c}" for c in range(N_CLASSES)]
PROVENANCE_COLUMNS = [
    "method",
    "row",
    "label",
    "source_index",
    "synthetic",
    "first_parent",
    "second_parent",
    "parent_weight",
    *SOFT_COLUMNS,
]
PARENT_COLUMNS = ["first_parent", "second_parent"]
# The NN trains with this method per batch on the original rows (fit_mlp's remix_alpha).
PER_BATCH_NN_METHOD = "REMIX"
logger = logging.getLogger("imbaug.pipeline.tabular")


@dataclass(frozen=True)
class TabularStudy:
    """The settings of the tabular study (config key ``tabular``), so a job can be given only
    the settings it uses. The method settings (``k_neighbors``, ``eos_k``, ``remix_*``) default
    to None: a method that needs one the config lacks is refused by :func:`resample` with the
    setting's name, instead of running with a value the config never chose."""

    methods: tuple[str, ...] = ("Base", "CS", "ROS", "SMOTE", "ADASYN", "BSMOTE", "BalSVM", "REMIX")
    latent_methods: tuple[str, ...] = ("EOS", "DSM")
    classifiers: tuple[str, ...] = ("SVM", "LG", "NN")
    n_splits: int = 5
    test_size: float = 0.3
    k_neighbors: int | None = None
    eos_k: int | None = None
    remix_alpha: float | None = None
    remix_kappa: float | None = None
    remix_tau: float | None = None
    head_epochs: int = 10
    nn: NNSettings = field(default_factory=NNSettings)
    seed: int = 0

    @classmethod
    def from_config(cls, tabular: dict, seed: int = 0) -> TabularStudy:
        """Study from (a subset of) the ``tabular`` config section: ``k_neighbors``, ``eos_k``,
        ``remix.{alpha,kappa,tau}`` -> ``remix_*``, ``nn`` (with ``head_epochs``); absent keys keep
        the defaults (None for the method settings)."""
        values = {"seed": seed}
        for key in ("methods", "latent_methods", "classifiers"):
            if key in tabular:
                values[key] = tuple(tabular[key])
        names = {f.name for f in fields(cls)}
        values |= {k: v for k, v in tabular.items() if k in names and k not in values and k != "nn"}
        values |= {f"remix_{k}": v for k, v in tabular.get("remix", {}).items()}
        nn = dict(tabular.get("nn", {}))
        if "head_epochs" in nn:
            values["head_epochs"] = nn.pop("head_epochs")
        values["nn"] = NNSettings(**nn)
        return cls(**values)

    @property
    def runs_latent(self) -> bool:
        return "NN" in self.classifiers and bool(self.latent_methods)

    def resample(self, method: str, X: np.ndarray, y: np.ndarray, split: int) -> Resampled:
        return resample(
            method,
            X,
            y,
            random_state=self.seed + split,
            k_neighbors=self.k_neighbors,
            eos_k=self.eos_k,
            remix_alpha=self.remix_alpha,
            remix_kappa=self.remix_kappa,
            remix_tau=self.remix_tau,
        )


def model_key(split: int, method: str) -> str:
    """Key of a fitted model in a stored bundle, e.g. ``split0/SMOTE``."""
    return f"split{split}/{method}"


# --- stage 1: splits -------------------------------------------------------------------------


CLASS_NAMES = ("the majority class (label 0)", "the minority class (label 1)")


def make_partition(
    y: np.ndarray, n_splits: int, test_size: float, dataset: str = "data"
) -> pd.DataFrame:
    """Train/test membership of every row in every split (split seed = split index).

    Returns
    -------
    DataFrame with columns ``split`` (int), ``row`` (int, row of the dataset), ``part``
    ("train" or "test"); ``n_splits * len(y)`` rows.

    Raises
    ------
    TabularDataError
        When a class has fewer than 2 rows (a stratified split puts at least one in each
        part), naming the dataset, the class and its count.
    """
    counts = np.bincount(y, minlength=N_CLASSES)
    if (counts < 2).any():
        label = int(np.argmin(counts))
        raise TabularDataError(
            f"dataset {dataset!r}: {CLASS_NAMES[label]} has {counts[label]} row(s); a stratified "
            "train/test split needs at least 2 of each class (one for training, one for "
            "testing). Add rows of that class, or drop the dataset from tabular.datasets."
        )
    frames = []
    for split in range(n_splits):
        train, test = split_indices(y, split, test_size)
        frames.append(
            pd.DataFrame(
                {
                    "split": split,
                    "row": np.concatenate([train, test]),
                    "part": ["train"] * len(train) + ["test"] * len(test),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def split_rows(partition: pd.DataFrame, split: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted train and test rows of ``split`` in a stored partition.

    Raises
    ------
    ValueError
        If the partition has no rows for ``split``.
    """
    rows = partition[partition["split"] == split]
    if rows.empty:
        raise ValueError(
            f"the stored partition has no split {split}; splits: {sorted(partition.split.unique())}"
        )
    train = np.sort(rows.loc[rows.part == "train", "row"].to_numpy(np.int64))
    test = np.sort(rows.loc[rows.part == "test", "row"].to_numpy(np.int64))
    return train, test


def split_data(data: TabularData, partition: pd.DataFrame, split: int) -> Split:
    """The split's train/test features, standardised with statistics of its train rows only."""
    from sklearn.preprocessing import StandardScaler

    train, test = split_rows(partition, split)
    scaler = StandardScaler().fit(data.X[train])
    return Split(
        scaler.transform(data.X[train]), data.y[train], scaler.transform(data.X[test]), data.y[test]
    )


def check_class_sizes(
    data: TabularData,
    partition: pd.DataFrame,
    methods,
    k_neighbors: int | None = None,
    eos_k: int | None = None,
) -> None:
    """Fail before training if a training split has a class too small for a method's K.

    Raises
    ------
    TabularDataError
        Naming dataset, class, count, split, method and the config keys to change.
    ValueError
        If a method needs ``k_neighbors`` or ``eos_k`` and it is None (names the setting).
    """
    if not methods:
        return
    entries = {method_name(m): m for m in methods}
    sizes = {name: min_class_size(m, k_neighbors, eos_k) for name, m in entries.items()}
    method = max(sizes, key=sizes.get)
    for split in sorted(partition["split"].unique()):
        train, _ = split_rows(partition, split)
        counts = np.bincount(data.y[train], minlength=N_CLASSES)
        if counts.min() < sizes[method]:
            smallest = int(counts.argmin())
            no_setting_fits = counts.min() < min_class_size(entries[method], 1, 1)
            fix = (
                "no K fits so few rows: add rows of that class, lower tabular.test_size (more "
                "rows stay for training), or drop the method"
                if no_setting_fits
                else "lower tabular.k_neighbors / tabular.eos_k, or drop the method"
            )
            raise TabularDataError(
                f"dataset {data.name!r}: {CLASS_NAMES[smallest]} has {counts.min()} training "
                f"row(s) in split {split}, but {method} needs at least {sizes[method]}; {fix}"
            )


# --- stage 2: resampling ---------------------------------------------------------------------


def resample_or_reason(
    study: TabularStudy,
    dataset: str,
    split: int,
    method: str,
    space: str,
    X: np.ndarray,
    y: np.ndarray,
) -> tuple[Resampled | None, dict]:
    """Resample one split with one method; a method that cannot run on this split's data
    gives ``None`` and a status row saying why, with a warning naming dataset, split and class,
    instead of failing the whole dataset (``../shared/cases/T2``).

    Returns
    -------
    resampled : Resampled or None
    status : dict with keys split, space, method, applicable, reason, n_train, n_synthetic,
        resample_seconds
    """
    start = time.perf_counter()
    name = method_name(method)
    status = {"split": split, "space": space, "method": name, "applicable": True, "reason": ""}
    try:
        resampled = study.resample(method, X, y, split)
    except ValueError as error:  # config-size errors are caught earlier by check_class_sizes
        counts = np.bincount(y, minlength=N_CLASSES)
        classes = ", ".join(
            f"class {c} ({counts[c]} rows)" for c in np.flatnonzero(counts < counts.max())
        )
        reason = f"{error} [dataset {dataset!r}, split {split}, over-sampling {classes}]"
        logger.warning("%s not applicable: %s", name, reason)
        return None, {
            **status,
            "applicable": False,
            "reason": reason,
            "n_train": 0,
            "n_synthetic": 0,
            "resample_seconds": time.perf_counter() - start,
        }
    return resampled, {
        **status,
        "n_train": len(resampled.y),
        "n_synthetic": int(resampled.synthetic.sum()),
        "resample_seconds": time.perf_counter() - start,
    }


def resampled_frame(method: str, resampled: Resampled) -> pd.DataFrame:
    """One method's resampled set as a frame: provenance columns then features ``f0..``."""
    frame = resampled.to_frame()
    frame.insert(0, "method", method)
    soft = (
        resampled.soft_labels
        if resampled.soft_labels is not None
        else np.full((len(frame), N_CLASSES), np.nan)
    )
    for c, column in enumerate(SOFT_COLUMNS):
        frame[column] = soft[:, c]
    features = pd.DataFrame(resampled.X, columns=[f"f{i}" for i in range(resampled.X.shape[1])])
    return pd.concat([frame, features], axis=1)


def resampled_from_frame(frame: pd.DataFrame, method: str) -> Resampled:
    """The stored resampled set of ``method`` (inverse of :func:`resampled_frame`).

    Raises
    ------
    KeyError
        If the frame holds no rows of ``method``.
    """
    rows = frame[frame["method"] == method]
    if rows.empty:
        raise KeyError(
            f"no resampled rows of method {method!r}; methods: {sorted(frame.method.unique())}"
        )
    soft = rows[SOFT_COLUMNS].to_numpy(np.float64)
    X = rows[[c for c in rows.columns if c.startswith("f") and c[1:].isdigit()]].to_numpy(
        np.float64
    )
    parents = rows[PARENT_COLUMNS].to_numpy(np.int64)
    weight = rows["parent_weight"].to_numpy(np.float64)
    return Resampled(
        X,
        rows["label"].to_numpy(np.int64),
        rows["source_index"].to_numpy(np.int64),
        rows["synthetic"].to_numpy(bool),
        None if np.isnan(soft).all() else soft,
        None if (parents < 0).all() else parents,
        None if np.isnan(weight).all() else weight,
    )


def resample_split(
    study: TabularStudy, dataset: str, part: Split, split: int, methods, space: str = "input"
) -> tuple[pd.DataFrame, list[dict]]:
    """Every method's resampled set of one split (stacked frame) and one status row each."""
    frames, statuses = [], []
    for method in methods:
        resampled, status = resample_or_reason(
            study, dataset, split, method, space, part.X_train, part.y_train
        )
        statuses.append(status)
        if resampled is not None:
            frames.append(resampled_frame(status["method"], resampled))
    empty = pd.DataFrame(columns=PROVENANCE_COLUMNS)
    return (pd.concat(frames, ignore_index=True) if frames else empty), statuses


# --- stage 3: fitting ------------------------------------------------------------------------


def fit_model(
    classifier: str,
    method: str,
    resampled: Resampled,
    study: TabularStudy,
    split: int,
    nn_settings: NNSettings | None = None,
):
    """Fit one classifier on one resampled training set (CS = balanced class weights).

    ``nn_settings`` : the NN's fixed settings chosen for this method (see
    :func:`nn_method_settings`); default ``study.nn`` (which, if it needs a choice, is then
    chosen inside the fit on ``resampled`` itself: right only for Base and CS).
    """
    from imbaug.training.tabular import fit_mlp, fit_sklearn

    cost_sensitive = method == "CS"
    if classifier != "NN":
        return fit_sklearn(classifier, resampled.X, resampled.y, cost_sensitive=cost_sensitive)
    settings = study.nn if nn_settings is None else nn_settings
    return fit_mlp(
        resampled.X,
        resampled.y,
        n_classes=N_CLASSES,
        settings=settings,
        seed=study.seed + split,
        soft_targets=resampled.soft_labels,
        cost_sensitive=cost_sensitive,
        remix_alpha=nn_remix_alpha(study, method),
    )


def nn_remix_alpha(study: TabularStudy, method: str) -> float | None:
    """``remix_alpha`` of the NN's fit: ``study.remix_alpha`` for REMIX (per-batch ReMix),
    None (no mixing) for every other method.

    Raises
    ------
    ValueError
        For REMIX when ``study.remix_alpha`` is None (config key ``tabular.remix.alpha``).
    """
    if method != PER_BATCH_NN_METHOD:
        return None
    if study.remix_alpha is None:
        raise ValueError("the NN's REMIX needs config key tabular.remix.alpha, which is missing")
    return study.remix_alpha


def nn_training_set(method: str, resampled: Resampled, part: Split) -> Resampled:
    """The set the NN trains on with ``method``: for REMIX the split's original training rows
    (``part.X_train``, ``part.y_train``), mixed per batch by :func:`fit_mlp` (class-balanced
    batches + mixup, Bellinger et al. 2020, Section 3, as the DA paper's NN used it); for every
    other method its stored resampled set. SVM and LG train on REMIX's fixed resampled set."""
    return (
        Resampled.unchanged(part.X_train, part.y_train)
        if method == PER_BATCH_NN_METHOD
        else resampled
    )


def training_sets(study: TabularStudy, frame: pd.DataFrame, part: Split | None):
    """(method, Resampled) of every applicable method in a split's stored frame; with ``part``
    (the NN) the phase-1 Base network is fitted on the split's training rows even when the
    resampling stage did not store Base."""
    for method in frame["method"].unique():
        yield method, resampled_from_frame(frame, method)
    if part is not None and "Base" in study.methods and "Base" not in set(frame["method"]):
        yield "Base", Resampled.unchanged(part.X_train, part.y_train)


def fit_columns(classifier: str) -> list[str]:
    """Columns of a classifier's fit table (one row per split x method, see :func:`fit_split`)."""
    return [
        "split",
        "method",
        "fit_seconds",
        "n_train",
        "n_synthetic",
        *(["epochs", "weight_decay"] if classifier == "NN" else []),
    ]


def fit_split(
    classifier: str, study: TabularStudy, frame: pd.DataFrame, split: int, part: Split | None = None
) -> tuple[dict, list[dict]]:
    """Fit ``classifier`` on every applicable method's set of one split.

    Parameters
    ----------
    frame : the split's stored resampled sets (:func:`resample_split`).
    part : the split's standardised train/test part; required for the NN, whose epochs and
        weight decay are chosen per method on ``part``'s training rows
        (:func:`nn_method_settings`) and whose REMIX trains per batch on them
        (:func:`nn_training_set`).

    Returns
    -------
    models : dict ``model_key(split, method)`` -> fitted model
    fits : list of dicts with keys :func:`fit_columns` (``n_train``, ``n_synthetic``: the set
        the classifier was fitted on)
    """
    models, fits = {}, []
    for method, resampled in training_sets(study, frame, part if classifier == "NN" else None):
        start = time.perf_counter()
        chosen = nn_method_settings(study, method, part, split) if classifier == "NN" else None
        trained = nn_training_set(method, resampled, part) if classifier == "NN" else resampled
        models[model_key(split, method)] = fit_model(
            classifier, method, trained, study, split, chosen
        )
        fits.append(
            {
                "split": split,
                "method": method,
                "fit_seconds": time.perf_counter() - start,
                "n_train": len(trained.y),
                "n_synthetic": int(trained.synthetic.sum()),
                **(
                    {"epochs": chosen.epochs, "weight_decay": chosen.weight_decay[0]}
                    if chosen
                    else {}
                ),
            }
        )
    return models, fits


def nn_method_settings(study: TabularStudy, method: str, part: Split, split: int) -> NNSettings:
    """The NN's epoch count and weight decay for one method, chosen on its own resampled data.

    The split's training part is split into inner-train and validation rows (stratified,
    seed ``study.seed + split``, :func:`~imbaug.training.tabular.inner_split`); only the
    inner-train rows are resampled with ``method``; every candidate weight decay is trained
    on that set (one stacked network) and scored after every epoch on the untouched validation
    rows. So a method whose copies or interpolations let the network memorise the minority is
    stopped earlier or decayed more than Base would be. A method that cannot run on the inner
    rows (e.g. ADASYN with no majority neighbour there) falls back to Base's choice, with a
    warning.
    """
    from imbaug.training.tabular import choose_mlp_settings, inner_split

    if not study.nn.needs_selection:
        return study.nn
    seed = study.seed + split
    fit_rows, val_rows = inner_split(
        part.y_train, n_classes=N_CLASSES, settings=study.nn, seed=seed
    )
    X, y = part.X_train[fit_rows], part.y_train[fit_rows]
    entries = {method_name(m): m for m in study.methods}
    try:
        inner = (
            Resampled.unchanged(X, y)
            if method in ("Base", "CS", PER_BATCH_NN_METHOD)
            else study.resample(entries.get(method, method), X, y, split)
        )
    except ValueError as error:
        logger.warning(
            "NN settings of %s on split %d: %s cannot run on the inner-train rows (%s); "
            "using Base's",
            method,
            split,
            method,
            error,
        )
        return nn_method_settings(study, "Base", part, split)
    return choose_mlp_settings(
        (inner.X, inner.y),
        (part.X_train[val_rows], part.y_train[val_rows]),
        n_classes=N_CLASSES,
        settings=study.nn,
        seed=seed,
        soft_targets=inner.soft_labels,
        cost_sensitive=method == "CS",
        remix_alpha=nn_remix_alpha(study, method),
    )


def nn_methods(study: TabularStudy) -> tuple[str, ...]:
    """Methods the NN is fitted with: the input methods, plus Base when the latent stage
    needs it as its phase-1 network."""
    methods = study.methods
    if study.runs_latent and "Base" not in [method_name(m) for m in methods]:
        methods = ("Base", *methods)
    return methods


# --- stage 4: latent space (three-phase framework) -------------------------------------------


def latent_split(study: TabularStudy, dataset: str, base_nn, part: Split, split: int):
    """Resample the Base NN's d//2 training features with every latent method and retrain a copy
    of its last layer on each. Only training rows enter: test features are never seen.

    Returns
    -------
    heads : dict method -> torch.nn.Linear (applicable methods only)
    frame : DataFrame of the latent resampled sets (as :func:`resampled_frame`)
    statuses : list of status dicts (space "latent"), with ``fit_seconds``
    """
    import torch

    from imbaug.training.image import retrain_head
    from imbaug.training.tabular import mlp_features

    latent_train = mlp_features(base_nn, part.X_train)
    latent = Split(
        latent_train, part.y_train, np.empty((0, latent_train.shape[1])), part.y_test[:0]
    )
    frame, statuses = resample_split(
        study, dataset, latent, split, study.latent_methods, space="latent"
    )
    heads = {}
    for status in statuses:
        start = time.perf_counter()
        if status["applicable"]:
            resampled = resampled_from_frame(frame, status["method"])
            labels = resampled.y if resampled.soft_labels is None else resampled.soft_labels
            heads[status["method"]] = retrain_head(
                base_nn.head,
                torch.tensor(resampled.X, dtype=torch.float32),
                torch.tensor(np.array(labels)),
                epochs=study.head_epochs,
                seed=study.seed + split,
                device=torch.device("cpu"),
            )
        status["fit_seconds"] = time.perf_counter() - start
    return heads, frame, statuses


# --- stage 5: evaluation ---------------------------------------------------------------------


def metrics_row(
    dataset: str,
    classifier: str,
    status: dict,
    y_test=None,
    y_pred=None,
    fit_seconds: float = float("nan"),
) -> dict:
    """One metrics row; a method not applicable on this split gets NaN scores and its reason."""
    scores = (
        score(y_test, y_pred, N_CLASSES)
        if status["applicable"]
        else {"bac": np.nan, "gm": np.nan, "fm": np.nan, "recall": [np.nan] * N_CLASSES}
    )
    return {
        "dataset": dataset,
        "split": status["split"],
        "space": status["space"],
        "method": status["method"],
        "classifier": classifier,
        **scores,
        "applicable": status["applicable"],
        "reason": status["reason"],
        "n_train": status["n_train"],
        "n_synthetic": status["n_synthetic"],
        "fit_seconds": fit_seconds,
        "resample_seconds": status["resample_seconds"],
    }


def predict(classifier: str, model, X: np.ndarray) -> np.ndarray:
    """Predicted labels (n,) of a stored model."""
    if classifier != "NN":
        return model.predict(X)
    from imbaug.training.tabular import predict_mlp

    return predict_mlp(model, X)


def evaluate_models(
    data: TabularData,
    partition: pd.DataFrame,
    classifier: str,
    models: dict,
    statuses: pd.DataFrame,
    fits: pd.DataFrame,
) -> pd.DataFrame:
    """One metrics row per status row (split x space x method), scored on the split's test rows.

    ``n_train`` and ``n_synthetic`` are the resampled set's (``statuses``), unless ``fits``
    has those columns: then they are the set the classifier was fitted on (the NN's REMIX:
    the original training rows, 0 synthetic, as it mixes per batch).

    Raises
    ------
    KeyError
        If an applicable method has no stored model.
    """
    fit_seconds = {(r.split, "input", r.method): r.fit_seconds for r in fits.itertuples()}
    fit_seconds |= {
        (r.split, "latent", r.method): r.fit_seconds
        for r in statuses[statuses.space == "latent"].itertuples()
        if "fit_seconds" in statuses
    }
    trained = (
        {
            (r.split, "input", r.method): {"n_train": r.n_train, "n_synthetic": r.n_synthetic}
            for r in fits.itertuples()
        }
        if {"n_train", "n_synthetic"} <= set(fits)
        else {}
    )
    rows, parts = [], {}
    for status in statuses.to_dict("records"):
        key = (status["split"], status["space"], status["method"])
        status |= trained.get(key, {})
        if not status["applicable"]:
            rows.append(metrics_row(data.name, classifier, status))
            continue
        if key not in models:
            raise KeyError(
                f"dataset {data.name!r}: no stored {classifier} model for split {key[0]}, "
                f"{key[1]} method {key[2]}"
            )
        if status["split"] not in parts:
            parts[status["split"]] = split_data(data, partition, status["split"])
        part = parts[status["split"]]
        rows.append(
            metrics_row(
                data.name,
                classifier,
                status,
                part.y_test,
                predict(classifier, models[key], part.X_test),
                fit_seconds.get(key, np.nan),
            )
        )
    return pd.DataFrame(rows)
