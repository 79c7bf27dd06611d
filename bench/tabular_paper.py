"""Time the DA paper's tabular study (Tables III-IV) per dataset and project it to five datasets.

What one split of the study does, per dataset: resample the training part with every input
method, fit SVM, LG and the NN on each resampled set, and run the NN's latent methods (EOS,
DSM: resample the latent training set, retrain the head). This script does exactly that with
the library functions, timing every part in CPU seconds (``time.process_time``: this process,
all threads; robust when other work shares the machine) and wall seconds.

The NN is timed twice:

- *new*: :mod:`imbaug.training.tabular` as the workflow runs it: settings chosen once per split
  on an inner validation split of the training part (:func:`select_mlp_settings`), then one
  fit per method with those settings;
- *old*: the trainer before this change (kept below as ``old_fit_mlp``, for reference only): 40
  epochs of Adam, batch 128, weight decay 0.03, torch's default thread count. To keep the
  benchmark short it runs ``--old-epochs`` epochs and is scaled linearly to 40 (every epoch
  costs the same).

A second check fits the new trainer with the old settings (40 epochs, batch 128, wd 0.03, no
selection) for the same number of epochs as the old reference and compares the predictions:
the speed-up must not change the results beyond float rounding.

Datasets: ozone_level and thyroid_sick from the imbalanced-learn cache in ``--data-home``, and
generated stand-ins with the shape and imbalance of the other three (coil_2000 9,822 x 85 at
16:1; scene 2,407 x 294 at 13:1; us_crime 1,994 x 100 at 12:1). The projection assumes
``snakemake --cores 2`` keeps both cores busy (jobs are per dataset and classifier, so there
are always at least two runnable), i.e. wall = total CPU seconds / 2.

Run:  python bench/tabular_paper.py [--splits 1] [--old-epochs 4] [--data-home DIR]
"""

from __future__ import annotations

import argparse
import time
from contextlib import contextmanager

import numpy as np
import torch

from imbaug.data.splits import make_split
from imbaug.metrics import score
from imbaug.resampling import resample
from imbaug.training.image import retrain_head
from imbaug.training.tabular import (
    NNSettings,
    fit_mlp,
    fit_sklearn,
    mlp_features,
    predict_mlp,
    select_mlp_settings,
    torch_threads,
)

METHODS = ("Base", "CS", "ROS", "SMOTE", "ADASYN", "BSMOTE", "BalSVM", "REMIX")
LATENT_METHODS = ("EOS", "DSM")
SETTINGS = {"k_neighbors": 5, "eos_k": 10, "remix_alpha": 1.0, "remix_kappa": 3.0, "remix_tau": 0.5}
OLD = {"epochs": 40, "batch_size": 128, "lr": 1e-3, "weight_decay": 3e-2}
GENERATED = {  # name: (rows, features, majority:minority), shapes of imbalanced-learn's sets
    "coil_2000 (generated)": (9822, 85, 16),
    "scene (generated)": (2407, 294, 13),
    "us_crime (generated)": (1994, 100, 12),
}
PAPER_NN_BASE_BAC = {"ozone_level": 0.716, "thyroid_sick": 0.860}  # DA paper Table III


def old_fit_mlp(
    X,
    y,
    *,
    n_classes,
    seed,
    epochs=40,
    batch_size=128,
    lr=1e-3,
    weight_decay=3e-2,
    soft_targets=None,
    cost_sensitive=False,
):
    """The NN trainer before the speed-up (reference only): per-batch gather, default threads."""
    from torch.nn import functional as F

    from imbaug.losses import balanced_class_weights
    from imbaug.models.mlp import TabularMLP

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

    found = fetch_datasets(
        data_home=data_home, download_if_missing=False, filter_data=tuple(PAPER_NN_BASE_BAC)
    )
    sets = {
        name: (d.data.astype(np.float64), (d.target == 1).astype(np.int64))
        for name, d in found.items()
    }
    from sklearn.datasets import make_classification

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


def run_split(X, y, split: int, clock: Clock, old_epochs: int, settings: NNSettings) -> dict:
    part = make_split(X, y, split)
    with clock.part("NN new: select settings"):
        chosen = select_mlp_settings(
            part.X_train, part.y_train, n_classes=2, settings=settings, seed=split
        )
    out = {"chosen": chosen, "agree": []}
    for method in METHODS:
        with clock.part("resample"):
            res = resample(method, part.X_train, part.y_train, random_state=split, **SETTINGS)
        cs = method == "CS"
        for classifier in ("SVM", "LG"):
            with clock.part(classifier):
                fit_sklearn(classifier, res.X, res.y, cost_sensitive=cs).predict(part.X_test)
        with clock.part("NN new: fits"):
            model = fit_mlp(
                res.X,
                res.y,
                n_classes=2,
                settings=chosen,
                seed=split,
                soft_targets=res.soft_labels,
                cost_sensitive=cs,
            )
            y_pred = predict_mlp(model, part.X_test)
        with clock.part("NN old (scaled to 40 epochs)"):
            old = old_fit_mlp(
                res.X,
                res.y,
                n_classes=2,
                seed=split,
                **{**OLD, "epochs": old_epochs},
                soft_targets=res.soft_labels,
                cost_sensitive=cs,
            )
        with clock.part("NN old, 1 thread (scaled to 40 epochs)"), torch_threads(1):
            old_fit_mlp(
                res.X,
                res.y,
                n_classes=2,
                seed=split,
                **{**OLD, "epochs": old_epochs},
                soft_targets=res.soft_labels,
                cost_sensitive=cs,
            )
        same_settings = NNSettings(**{**OLD, "epochs": old_epochs}, validation_size=0)
        with clock.part("NN new, old settings (scaled to 40 epochs)"):
            twin = fit_mlp(
                res.X,
                res.y,
                n_classes=2,
                settings=same_settings,
                seed=split,
                soft_targets=res.soft_labels,
                cost_sensitive=cs,
            )
        out["agree"].append(
            float((predict_mlp(old, part.X_test) == predict_mlp(twin, part.X_test)).mean())
        )
        if method == "Base":
            out["base_nn_bac"] = score(part.y_test, y_pred, 2)["bac"]
            out["old_base_nn_bac_short"] = score(part.y_test, predict_mlp(old, part.X_test), 2)[
                "bac"
            ]
            base_model = model
    with clock.part("NN latent (EOS, DSM)"):
        latent = mlp_features(base_model, part.X_train)
        for method in LATENT_METHODS:
            res = resample(method, latent, part.y_train, random_state=split, **SETTINGS)
            retrain_head(
                base_model.head,
                torch.as_tensor(res.X, dtype=torch.float32),
                torch.as_tensor(res.y),
                epochs=10,
                seed=split,
                device=torch.device("cpu"),
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-home", default="../shared/data/imblearn")
    parser.add_argument(
        "--splits", type=int, default=1, help="splits timed per dataset (the study has 5)"
    )
    parser.add_argument("--old-epochs", type=int, default=2, help="epochs of the old reference fit")
    args = parser.parse_args()
    scale_old = OLD["epochs"] / args.old_epochs
    settings = NNSettings()
    print(
        f"torch {torch.__version__}, default threads {torch.get_num_threads()}; new NN settings {settings}"
    )
    totals_cpu_new = totals_cpu_old = 0.0
    for name, (X, y) in load_datasets(args.data_home).items():
        clock = Clock()
        results = [
            run_split(X, y, split, clock, args.old_epochs, settings) for split in range(args.splits)
        ]
        for key in (
            "NN old (scaled to 40 epochs)",
            "NN old, 1 thread (scaled to 40 epochs)",
            "NN new, old settings (scaled to 40 epochs)",
        ):
            clock.cpu[key] *= scale_old
            clock.wall[key] *= scale_old
        per_study = 5 / args.splits
        shared = sum(clock.cpu[k] for k in ("resample", "SVM", "LG", "NN latent (EOS, DSM)"))
        new = shared + clock.cpu["NN new: select settings"] + clock.cpu["NN new: fits"]
        old = shared + clock.cpu["NN old (scaled to 40 epochs)"]
        totals_cpu_new += new * per_study
        totals_cpu_old += old * per_study
        print(
            f"\n== {name}: {X.shape[0]} x {X.shape[1]}, {int(y.sum())} minority; {args.splits} split(s)"
        )
        for key in clock.cpu:
            print(f"  {key:45s} cpu {clock.cpu[key]:8.1f} s   wall {clock.wall[key]:8.1f} s")
        nn_old = clock.cpu["NN old (scaled to 40 epochs)"]
        nn_new = clock.cpu["NN new: select settings"] + clock.cpu["NN new: fits"]
        same = clock.cpu["NN new, old settings (scaled to 40 epochs)"]
        print(
            f"  NN speed-up, same settings (cpu): {nn_old / same:5.1f}x   wall: "
            f"{clock.wall['NN old (scaled to 40 epochs)'] / clock.wall['NN new, old settings (scaled to 40 epochs)']:5.1f}x"
        )
        print(
            f"  of which one thread instead of {torch.get_num_threads()} (old trainer, cpu): "
            f"{nn_old / clock.cpu['NN old, 1 thread (scaled to 40 epochs)']:5.1f}x"
        )
        print(f"  NN speed-up incl. settings selection (cpu): {nn_old / nn_new:5.1f}x")
        agree = np.mean([a for r in results for a in r["agree"]])
        print(f"  old vs new trainer, same settings: {agree:.4f} of test predictions identical")
        for split, r in enumerate(results):
            paper = PAPER_NN_BASE_BAC.get(name)
            print(
                f"  split {split}: chosen epochs {r['chosen'].epochs}, weight decay {r['chosen'].weight_decay[0]}; "
                f"Base NN BAC {r['base_nn_bac']:.3f}" + (f" (paper {paper})" if paper else "")
            )
        print(
            f"  projected 5 splits: cpu {new * per_study / 60:.1f} min new, {old * per_study / 60:.1f} min old"
        )
    print(
        f"\nFive-dataset study projected on 2 cores (wall = cpu / 2): "
        f"new {totals_cpu_new / 120:.1f} min, old {totals_cpu_old / 120:.1f} min"
    )


if __name__ == "__main__":
    main()
