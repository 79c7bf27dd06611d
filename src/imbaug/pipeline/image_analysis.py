"""The image analyses of one cut and architecture, from stored artifacts only (no training).

Every trained model of the cut (Base per loss, the input-space methods, and each latent
method as the Base backbone with its retrained head) becomes an :class:`AnalysedRun`; the
functions here turn the runs into tidy tables keyed by ``loss, method, space``:

- head weight norms per class (DA paper Fig 10, EOS paper Fig 5) and weight change of the
  head vs the reference run (DA paper Table VIII),
- saliency top-K overlap with the reference run, per class (DA paper Table XI),
- generalization gap per class, all / TP / FP (EOS paper Figs 3-4),
- classification embeddings per class and per CE index (CE paper Figs 1, 4-7).

The reference of a run is Base trained with the same loss; Base trained with another loss is
compared with Base of the reference loss (CE when it is run), as the DA paper compares LDAM
with Base.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from imbaug.analysis.cnn_embeddings import class_profile, class_summary, linear_form
from imbaug.analysis.generalization_gap import class_gaps
from imbaug.analysis.saliency import (
    TOP_FRACTION,
    class_mean,
    input_saliency,
    top_k_overlap,
    top_pixels,
)
from imbaug.analysis.weights import class_norms, frobenius_norm, negligible_share, weight_change


@dataclass
class AnalysedRun:
    """One trained model of a cut, and the FE its analyses read.

    ``train_fe``/``train_labels``: the FE the head was (re)trained on - for an input-space
    method the model's FE of its cut's images (originals; synthetic pixels are not stored),
    for a latent method the balanced FE set, synthetic rows included. ``test_fe`` and
    ``test_logits`` are the model's on the test set.
    """

    loss: str
    method: str
    space: str
    model: torch.nn.Module
    train_fe: np.ndarray
    train_labels: np.ndarray
    test_fe: np.ndarray
    test_logits: np.ndarray

    @property
    def key(self) -> dict:
        return {"loss": self.loss, "method": self.method, "space": self.space}

    @property
    def head_weight(self) -> np.ndarray:
        return self.model.head.weight.detach().cpu().numpy()

    def ce_form(self, features: np.ndarray):
        """FE, weights, bias with ``logits = FE @ W.T + b`` (a cosine head's scale folded in)."""
        head = self.model.head
        bias = head.bias.detach().cpu().numpy() if getattr(head, "bias", None) is not None else None
        return linear_form(features, self.head_weight, bias, getattr(head, "scale", None))


def input_run(loss: str, method: str, model, features: dict) -> AnalysedRun:
    """A model trained end-to-end, with the ``features.pt`` its training job wrote."""
    return AnalysedRun(
        loss,
        method,
        "input",
        model.eval(),
        features["train"].numpy(),
        features["train_labels"].numpy(),
        features["test"].numpy(),
        features["test_logits"].numpy(),
    )


def latent_run(
    loss: str, method: str, base_model, head_state: dict, balanced: dict, base_features: dict
) -> AnalysedRun:
    """The Base backbone with a retrained head, and the balanced FE set it was trained on."""
    model = copy.deepcopy(base_model)
    model.head.load_state_dict(head_state)
    with torch.no_grad():
        logits = model.head.eval()(base_features["test"]).float()
    return AnalysedRun(
        loss,
        method,
        "latent",
        model.eval(),
        balanced["X"].numpy(),
        balanced["y"].numpy(),
        base_features["test"].numpy(),
        logits.numpy(),
    )


def reference_of(
    run: AnalysedRun, runs: list[AnalysedRun], reference_loss: str
) -> AnalysedRun | None:
    """Base of the run's loss, or Base of ``reference_loss`` for Base itself (None for the
    reference Base, or when that Base was not run)."""
    loss = reference_loss if run.method == "Base" and run.space == "input" else run.loss
    if run.method == "Base" and run.space == "input" and run.loss == reference_loss:
        return None
    return next((r for r in runs if (r.loss, r.method, r.space) == (loss, "Base", "input")), None)


def da_label(loss: str, method: str, space: str, reference_loss: str) -> str:
    """A run's name in the DA paper's tables: ``ROS``, ``EOS (FE)`` for an FE-space method,
    the loss for Base of another loss (Table XI's ``LDAM``), `` [loss]`` appended for runs on
    a base of another loss."""
    if method == "Base" and space == "input":
        return loss
    label = method if space == "input" else f"{method} (FE)"
    return label if loss == reference_loss else f"{label} [{loss}]"


def da_layout(table: pd.DataFrame, reference_loss: str) -> pd.DataFrame:
    """Rows for the DA tables shared with the tabular study (keys ``dataset, classifier,
    method``): ``method`` becomes :func:`da_label`, the run's own name moves to
    ``run_method``, and every row is ``applicable``."""
    labels = [
        da_label(loss, m, s, reference_loss)
        for loss, m, s in zip(table["loss"], table["method"], table["space"])
    ]
    return table.rename(columns={"method": "run_method"}).assign(method=labels, applicable=True)


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["loss", "method", "space", *columns])


def head_norms(runs: list[AnalysedRun]) -> pd.DataFrame:
    """Per run and class: the L2 norm of the class's head weight row, and the class's count
    in the FE the head was trained on."""
    rows = []
    for run in runs:
        counts = np.bincount(run.train_labels, minlength=len(run.head_weight))
        rows += [
            {**run.key, "class": c, "norm": float(n), "n_train": int(counts[c])}
            for c, n in enumerate(class_norms(run.head_weight))
        ]
    return _frame(rows, ["class", "norm", "n_train"])


def weight_changes(runs: list[AnalysedRun], reference_loss: str) -> pd.DataFrame:
    """Per run with a reference: mean relative change of the head weights vs the reference's
    (DA paper Table VIII), the share of reference weights too small to divide by
    (``weight_change_excluded``, see :func:`imbaug.analysis.weights.weight_change`), and the
    head's Frobenius norm."""
    rows = []
    for run in runs:
        reference = reference_of(run, runs, reference_loss)
        if reference is not None:
            rows.append(
                {
                    **run.key,
                    "reference_loss": reference.loss,
                    "weight_change": weight_change(run.head_weight, reference.head_weight),
                    "weight_change_excluded": negligible_share(reference.head_weight),
                    "frobenius_norm": frobenius_norm(run.head_weight),
                }
            )
    return _frame(
        rows, ["reference_loss", "weight_change", "weight_change_excluded", "frobenius_norm"]
    )


def saliency_overlaps(
    runs: list[AnalysedRun],
    reference_loss: str,
    test_images: torch.Tensor,
    test_labels: np.ndarray,
    device,
    fraction: float = TOP_FRACTION,
) -> pd.DataFrame:
    """Per run with a reference: the share of the top ``fraction`` salient pixels it shares
    with its reference on a test image, averaged per class (``overlap_class<c>``, by true
    label) and over the classes (``overlap``, DA paper Table XI)."""
    n_classes = int(test_labels.max()) + 1
    tops = {}

    def top(run):
        if id(run) not in tops:
            saliency, _ = input_saliency(run.model, test_images, device)
            tops[id(run)] = top_pixels(saliency.numpy(), fraction)
        return tops[id(run)]

    rows = []
    for run in runs:
        reference = reference_of(run, runs, reference_loss)
        if reference is None:
            continue
        per_class = class_mean(top_k_overlap(top(run), top(reference)), test_labels, n_classes)
        rows.append(
            {
                **run.key,
                "reference_loss": reference.loss,
                "overlap": float(np.nanmean(per_class)),
                **{f"overlap_class{c}": float(v) for c, v in enumerate(per_class)},
            }
        )
    columns = ["reference_loss", "overlap", *[f"overlap_class{c}" for c in range(n_classes)]]
    return _frame(rows, columns)


def generalization_gaps(runs: list[AnalysedRun], test_labels: np.ndarray) -> pd.DataFrame:
    """Per run, class and subset (all, TP, FP): the generalization gap of the FE."""
    frames = []
    n_classes = int(test_labels.max()) + 1
    for run in runs:
        gaps = class_gaps(
            run.train_fe,
            run.train_labels,
            run.test_fe,
            test_labels,
            run.test_logits.argmax(1),
            n_classes,
        )
        frames.append(gaps.assign(**run.key))
    return _reorder(frames, ["class", "subset", "gap", "n_test"])


def embeddings(
    runs: list[AnalysedRun], test_labels: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per run: the CE summary per class and the CE profile per class and index (test set,
    true positives)."""
    summaries, profiles = [], []
    n_classes = int(test_labels.max()) + 1
    for run in runs:
        form = run.ce_form(run.test_fe)
        summaries.append(class_summary(*form, test_labels, n_classes).assign(**run.key))
        profiles.append(class_profile(*form, test_labels, n_classes).assign(**run.key))
    return (
        _reorder(
            summaries,
            [
                "class",
                "n_tp",
                "n_features",
                "needed_mean",
                "needed_share",
                "distinct_needed",
                "top_share",
            ],
        ),
        _reorder(profiles, ["class", "index", "mean_ce", "rank", "frequency"]),
    )


def ce_rows(summary: pd.DataFrame, profile: pd.DataFrame) -> pd.DataFrame:
    """The CNN's CE in the layout of the tabular CE analysis (rows of
    ``results/tables/classification_embeddings.csv`` and ``embedding_profiles.csv``): one row
    per run, class and CE rank, holding the class's summary (``n_tp``; ``n_ce``, the FE
    width; ``needed_share``; ``distinct_share`` = distinct needed indices / ``n_ce``;
    ``top_share``) beside the rank's ``index``, ``mean_ce`` and ``frequency``.

    ``summary`` and ``profile`` are :func:`embeddings`' two tables."""
    keys = ["loss", "method", "space", "class"]
    classes = summary.assign(
        n_ce=summary["n_features"],
        distinct_share=summary["distinct_needed"] / summary["n_features"],
    )[[*keys, "n_tp", "n_ce", "needed_share", "distinct_share", "top_share"]]
    return classes.merge(profile[[*keys, "rank", "index", "mean_ce", "frequency"]], on=keys)


def _reorder(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    columns = ["loss", "method", "space", *columns]
    return (
        pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    )
