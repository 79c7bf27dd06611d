"""One tabular split of the DA paper's study: every method x classifier, plus the NN's latent
space (Table IV), scored on the split's test part."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from imbaug.data.splits import Split, make_split
from imbaug.data.tabular import TabularData
from imbaug.metrics import score
from imbaug.resampling import Resampled, min_class_size, resample
from imbaug.training.tabular import NNSettings, fit_mlp, fit_sklearn, mlp_features, predict_mlp

N_CLASSES = 2


@dataclass(frozen=True)
class TabularStudy:
    """The settings of the tabular study (config key ``tabular``)."""

    methods: tuple[str, ...] = ("Base", "CS", "ROS", "SMOTE", "ADASYN", "BSMOTE", "BalSVM", "REMIX")
    latent_methods: tuple[str, ...] = ("EOS", "DSM")
    classifiers: tuple[str, ...] = ("SVM", "LG", "NN")
    n_splits: int = 5
    test_size: float = 0.3
    k_neighbors: int = 5
    eos_k: int = 10
    remix_alpha: float = 1.0
    remix_kappa: float = 3.0
    remix_tau: float = 0.5
    head_epochs: int = 10
    nn: NNSettings = field(default_factory=NNSettings)
    seed: int = 0

    @classmethod
    def from_config(cls, tabular: dict, seed: int = 0) -> TabularStudy:
        remix = tabular.get("remix", {})
        return cls(
            methods=tuple(tabular["methods"]), latent_methods=tuple(tabular["latent_methods"]),
            classifiers=tuple(tabular["classifiers"]), n_splits=tabular["n_splits"],
            test_size=tabular["test_size"], k_neighbors=tabular["k_neighbors"],
            eos_k=tabular["eos_k"], remix_alpha=remix.get("alpha", 1.0),
            remix_kappa=remix.get("kappa", 3.0), remix_tau=remix.get("tau", 0.5),
            head_epochs=tabular["nn"].get("head_epochs", 10),
            nn=NNSettings(**{k: v for k, v in tabular["nn"].items() if k != "head_epochs"}),
            seed=seed)

    @property
    def runs_latent(self) -> bool:
        return "NN" in self.classifiers and bool(self.latent_methods)

    def resample(self, method: str, X: np.ndarray, y: np.ndarray, split: int) -> Resampled:
        return resample(method, X, y, random_state=self.seed + split, k_neighbors=self.k_neighbors,
                        eos_k=self.eos_k, remix_alpha=self.remix_alpha,
                        remix_kappa=self.remix_kappa, remix_tau=self.remix_tau)

    def smallest_class_needed(self) -> tuple[str, int]:
        """The method that needs the largest class count, and that count."""
        methods = [*self.methods, *(self.latent_methods if self.runs_latent else ())]
        sizes = {m: min_class_size(m, self.k_neighbors, self.eos_k) for m in methods}
        method = max(sizes, key=sizes.get)
        return method, sizes[method]


def check_class_sizes(data: TabularData, study: TabularStudy) -> None:
    """Fail before training if a training split has a class too small for a method's K."""
    from imbaug.data.splits import split_indices
    from imbaug.data.tabular import TabularDataError

    method, needed = study.smallest_class_needed()
    for split in range(study.n_splits):
        train, _ = split_indices(data.y, split, study.test_size)
        counts = np.bincount(data.y[train], minlength=N_CLASSES)
        if counts.min() < needed:
            raise TabularDataError(
                f"dataset {data.name!r}: class {int(counts.argmin())} has {counts.min()} training "
                f"rows in split {split}, but {method} needs at least {needed}; lower "
                "tabular.k_neighbors / tabular.eos_k or drop the method")


def run_split(data: TabularData, split: int, study: TabularStudy) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Metrics (one row per method x classifier) and provenance of every resampled set."""
    part = make_split(data.X, data.y, split, study.test_size)
    metrics, provenance, base_nn = [], [], None
    for method in study.methods:
        resampled, resample_seconds = _timed(study.resample, method, part.X_train, part.y_train, split)
        provenance.append(resampled.to_frame().assign(space="input", method=method))
        for classifier in study.classifiers:
            (y_pred, model), fit_seconds = _timed(_fit_predict, classifier, method, resampled, part, study, split)
            if (classifier, method) == ("NN", "Base"):
                base_nn = model
            metrics.append(_row(data.name, split, "input", method, classifier, part.y_test, y_pred,
                                resampled, fit_seconds, resample_seconds))
    if study.runs_latent:
        if base_nn is None:  # Base not among the input methods: phase 1 still needs it
            unchanged = study.resample("Base", part.X_train, part.y_train, split)
            base_nn = _fit_predict("NN", "Base", unchanged, part, study, split)[1]
        for method in study.latent_methods:
            rows, table = _latent_run(data.name, split, method, base_nn, part, study)
            metrics.append(rows)
            provenance.append(table)
    return pd.DataFrame(metrics), pd.concat(provenance, ignore_index=True)


def _fit_predict(classifier: str, method: str, resampled: Resampled, part: Split,
                 study: TabularStudy, split: int):
    cost_sensitive = method == "CS"
    if classifier != "NN":
        model = fit_sklearn(classifier, resampled.X, resampled.y, cost_sensitive=cost_sensitive)
        return model.predict(part.X_test), model
    model = fit_mlp(resampled.X, resampled.y, n_classes=N_CLASSES, settings=study.nn,
                    seed=study.seed + split, soft_targets=resampled.soft_labels,
                    cost_sensitive=cost_sensitive)
    return predict_mlp(model, part.X_test), model


def _latent_run(dataset: str, split: int, method: str, base_nn, part: Split, study: TabularStudy):
    """Three-phase framework on the NN: resample its latent training set, retrain the head."""
    import torch

    from imbaug.training.image import retrain_head

    start = time.perf_counter()
    latent_train = mlp_features(base_nn, part.X_train)
    resampled = study.resample(method, latent_train, part.y_train, split)
    resample_seconds = time.perf_counter() - start
    start = time.perf_counter()
    head = retrain_head(base_nn.head, torch.as_tensor(resampled.X, dtype=torch.float32),
                        torch.as_tensor(resampled.y), epochs=study.head_epochs,
                        seed=study.seed + split, device=torch.device("cpu"))
    with torch.no_grad():
        latent_test = torch.as_tensor(mlp_features(base_nn, part.X_test))
        y_pred = head(latent_test).argmax(1).numpy()
    row = _row(dataset, split, "latent", method, "NN", part.y_test, y_pred, resampled,
               time.perf_counter() - start, resample_seconds)
    return row, resampled.to_frame().assign(space="latent", method=method)


def _row(dataset, split, space, method, classifier, y_test, y_pred, resampled: Resampled,
         fit_seconds: float, resample_seconds: float) -> dict:
    return {"dataset": dataset, "split": split, "space": space, "method": method,
            "classifier": classifier, **score(y_test, y_pred, N_CLASSES),
            "n_train": len(resampled.y), "n_synthetic": int(resampled.synthetic.sum()),
            "fit_seconds": fit_seconds, "resample_seconds": resample_seconds}


def _timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start
