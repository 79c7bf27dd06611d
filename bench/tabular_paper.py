"""Time the DA paper's tabular study (Tables III-IV) per dataset and project it to five datasets.

What one split of the study does, per dataset: resample the training part with every input
method, fit SVM, LG and the NN on each resampled set, and run the NN's latent methods (EOS,
DSM: resample the latent training set, retrain the head). This script does that with the
pipeline's own functions and the paper's settings (``config.yaml`` updated with
``studies/paper.yaml``: NN epochs chosen in 1..60 and weight decay among four, per split and
method, on 20% of the training part), timing every part in CPU seconds (``time.process_time``:
this process, all threads; robust when other work shares the machine) and wall seconds.

The NN runs on one torch thread, as a Snakemake job (``threads: 1``) runs it, and is timed
through the pipeline's per-method choice and fit (``nn_method_settings``, ``fit_model``), and
against the trainer before the settings choice existed (``old_fit_mlp``: 40 epochs of Adam,
batch 128, weight decay 0.03, no choice), ``--old-epochs`` epochs scaled linearly to its 40.

Datasets: ozone_level and thyroid_sick from the imbalanced-learn cache in ``--data-home``, and
generated stand-ins with the shape and imbalance of the other three (coil_2000 9,822 x 85 at
16:1; scene 2,407 x 294 at 13:1; us_crime 1,994 x 100 at 12:1). The projection for five
datasets x 5 splits on 2 cores is the larger of (all CPU seconds / 2) and the longest single
job (one job fits one classifier on all 5 splits of a dataset).

Run:  python bench/tabular_paper.py [--splits 1] [--old-epochs 1] [--datasets NAME ...] [--data-home DIR]
"""

from __future__ import annotations

import argparse
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import torch
import yaml

from imbaug.data.splits import Split, make_split
from imbaug.metrics import score
from imbaug.pipeline import tabular as pipeline
from imbaug.training.tabular import (
    NNSettings,
    fit_mlp,
    predict_mlp,
    torch_threads,
)

REPO = Path(__file__).resolve().parents[1]
OLD = {"epochs": 40, "batch_size": 128, "lr": 1e-3, "weight_decay": 3e-2}
GENERATED = {  # name: (rows, features, majority:minority), shapes of imbalanced-learn's sets
    "coil_2000 (generated)": (9822, 85, 16),
    "scene (generated)": (2407, 294, 13),
    "us_crime (generated)": (1994, 100, 12),
}
PAPER_NN_BASE_BAC = {"ozone_level": 0.716, "thyroid_sick": 0.860}  # DA paper Table III
NEW = "NN"


def paper_study() -> pipeline.TabularStudy:
    """The tabular study of config.yaml updated with studies/paper.yaml (as Snakemake merges)."""

    def update(base: dict, new: dict) -> dict:
        for key, value in new.items():
            base[key] = (
                update(dict(base.get(key) or {}), value) if isinstance(value, dict) else value
            )
        return base

    config = yaml.safe_load((REPO / "config.yaml").read_text())
    update(config, yaml.safe_load((REPO / "studies" / "paper.yaml").read_text()))
    return pipeline.TabularStudy.from_config(config["tabular"], config.get("seed", 0))


# --- reference trainers (not used by the library) ------------------------------------------


def old_fit_mlp(
    X, y, *, n_classes, seed, epochs=40, batch_size=128, lr=1e-3, weight_decay=3e-2, **kwargs
):
    """The NN trainer before the settings choice (reference only): per-batch gather, one model,
    torch.optim.Adam with its weight decay."""
    from torch.nn import functional as F

    from imbaug.losses import balanced_class_weights
    from imbaug.models.mlp import TabularMLP

    soft_targets, cost_sensitive = kwargs.get("soft_targets"), kwargs.get("cost_sensitive")
    torch.manual_seed(seed)
    model = TabularMLP(X.shape[1], n_classes)
    inputs = torch.as_tensor(X, dtype=torch.float32)
    labels = torch.as_tensor(y if soft_targets is None else soft_targets)
    weight = balanced_class_weights(np.bincount(y, minlength=n_classes)) if cost_sensitive else None
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    generator = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(epochs):
        for batch in torch.randperm(len(inputs), generator=generator).split(batch_size):
            loss = F.cross_entropy(model(inputs[batch]), labels[batch], weight=weight)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
    return model.eval()


# --- timing --------------------------------------------------------------------------------


class Clock:
    """Accumulates CPU and wall seconds per named part."""

    def __init__(self):
        self.cpu, self.wall = {}, {}

    @contextmanager
    def part(self, name: str):
        cpu, wall = time.process_time(), time.perf_counter()
        yield
        self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - cpu
        self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - wall


def load_datasets(data_home: str):
    from imblearn.datasets import fetch_datasets
    from sklearn.datasets import make_classification

    found = fetch_datasets(
        data_home=data_home, download_if_missing=False, filter_data=tuple(PAPER_NN_BASE_BAC)
    )
    sets = {
        name: (d.data.astype(np.float64), (d.target == 1).astype(np.int64))
        for name, d in found.items()
    }
    for name, (rows, features, ratio) in GENERATED.items():
        X, y = make_classification(
            n_samples=rows,
            n_features=features,
            n_informative=min(20, features),
            weights=[ratio / (ratio + 1)],
            flip_y=0.02,
            random_state=0,
        )
        sets[name] = (X, y.astype(np.int64))
    return sets


def standardised_split(X, y, split: int, test_size: float) -> Split:
    """The split's parts standardised with its training rows' statistics (as split_data)."""
    from sklearn.preprocessing import StandardScaler

    part = make_split(X, y, split, test_size)
    scaler = StandardScaler().fit(part.X_train)
    return Split(
        scaler.transform(part.X_train), part.y_train, scaler.transform(part.X_test), part.y_test
    )


def nn_split(study, part, resampled: dict, split: int, clock: Clock, label: str) -> dict:
    """Choose settings and fit the NN per method as the fit job does; returns per method
    (chosen epochs, weight decay, test predictions) and the Base model."""
    out = {}
    for method in pipeline.nn_methods(study):
        with clock.part(f"{label}: choice"):
            chosen = pipeline.nn_method_settings(study, method, part, split)
        trained = pipeline.nn_training_set(method, resampled[method], part)
        with clock.part(f"{label}: fits"):
            model = pipeline.fit_model("NN", method, trained, study, split, chosen)
        out[method] = (
            chosen.epochs,
            chosen.weight_decay[0],
            predict_mlp(model, part.X_test),
            model,
        )
    return out


def run_split(X, y, split, clock, study, args) -> dict:
    part = standardised_split(X, y, split, study.test_size)
    resampled = {}
    for method in study.methods:
        with clock.part("resample"):
            resampled[method] = study.resample(method, part.X_train, part.y_train, split)
        for classifier in ("SVM", "LG"):
            with clock.part(classifier):
                pipeline.fit_model(classifier, method, resampled[method], study, split).predict(
                    part.X_test
                )
    new = nn_split(study, part, resampled, split, clock, NEW)
    out = {"new": new, "agree": []}
    base_nn = new["Base"][3]
    with clock.part("NN latent (EOS, DSM)"), torch_threads(1):
        pipeline.latent_split(study, "bench", base_nn, part, split)
    old = {**OLD, "epochs": args.old_epochs}
    for method in study.methods:
        res = resampled[method]
        kwargs = {"soft_targets": res.soft_labels, "cost_sensitive": method == "CS"}
        with clock.part("NN old, no choice (scaled to 40 epochs)"), torch_threads(1):
            reference = old_fit_mlp(res.X, res.y, n_classes=2, seed=split, **old, **kwargs)
        with clock.part("NN new at the old settings (scaled to 40 epochs)"):
            twin = fit_mlp(
                res.X,
                res.y,
                n_classes=2,
                settings=NNSettings(**old, validation_size=0),
                seed=split,
                **kwargs,
            )
        out["agree"].append(
            float((predict_mlp(reference, part.X_test) == predict_mlp(twin, part.X_test)).mean())
        )
    out["y_test"] = part.y_test
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-home", default="../shared/data/imblearn")
    parser.add_argument(
        "--splits", type=int, default=1, help="splits timed per dataset (the study has 5)"
    )
    parser.add_argument("--old-epochs", type=int, default=1, help="epochs of the old reference fit")
    parser.add_argument("--datasets", nargs="*", help="names (substrings) of the datasets to run")
    args = parser.parse_args()
    study = paper_study()
    print(f"torch {torch.__version__}; NN settings (paper) {study.nn}; methods {study.methods}")
    scale_old = OLD["epochs"] / args.old_epochs
    per_study = study.n_splits / args.splits
    total_cpu, longest = {NEW: 0.0}, {NEW: (0.0, "")}
    for name, (X, y) in load_datasets(args.data_home).items():
        if args.datasets and not any(wanted in name for wanted in args.datasets):
            continue
        clock = Clock()
        results = [run_split(X, y, split, clock, study, args) for split in range(args.splits)]
        for key in list(clock.cpu):
            if "scaled to 40 epochs" in key:
                clock.cpu[key] *= scale_old
                clock.wall[key] *= scale_old
        print(
            f"\n== {name}: {X.shape[0]} x {X.shape[1]}, {int(y.sum())} minority; "
            f"{args.splits} split(s), CPU and wall seconds"
        )
        for key in clock.cpu:
            print(f"  {key:50s} cpu {clock.cpu[key]:8.1f} s   wall {clock.wall[key]:8.1f} s")
        shared = sum(clock.cpu[k] for k in ("resample", "SVM", "LG", "NN latent (EOS, DSM)"))
        for label in (NEW,):
            nn = clock.cpu[f"{label}: choice"] + clock.cpu[f"{label}: fits"]
            total_cpu[label] += (shared + nn) * per_study
            jobs = {
                "NN": nn * per_study,
                "SVM": clock.cpu["SVM"] * per_study,
                "LG": clock.cpu["LG"] * per_study,
            }
            job, seconds = max(jobs.items(), key=lambda item: item[1])
            if seconds > longest[label][0]:
                longest[label] = (seconds, f"{job} on {name}")
        nn_new = clock.cpu[f"{NEW}: choice"] + clock.cpu[f"{NEW}: fits"]
        old = clock.cpu["NN old, no choice (scaled to 40 epochs)"]
        print(
            f"  NN with the per-method choice vs the old trainer without one, 1 thread (cpu): "
            f"{old / nn_new:4.2f}x; new trainer at the old settings: "
            f"{old / clock.cpu['NN new at the old settings (scaled to 40 epochs)']:4.2f}x, "
            f"{np.mean([a for r in results for a in r['agree']]):.4f} of test predictions "
            "identical to the old trainer's"
        )
        for split, r in enumerate(results):
            epochs, decay, pred, _ = r["new"]["Base"]
            paper = PAPER_NN_BASE_BAC.get(name)
            print(
                f"  split {split}: Base NN chose {epochs} epochs, weight decay {decay}; BAC "
                f"{score(r['y_test'], pred, 2)['bac']:.3f}" + (f" (paper {paper})" if paper else "")
            )
    for label in (NEW,):
        seconds, job = longest[label]
        print(
            f"\n{label}: study of these datasets x {study.n_splits} splits on 2 cores: "
            f"{max(total_cpu[label] / 2, seconds) / 60:.1f} min (CPU / 2 = "
            f"{total_cpu[label] / 120:.1f} min; longest job {job} {seconds / 60:.1f} min)"
        )


if __name__ == "__main__":
    main()
