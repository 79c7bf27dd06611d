"""The three-phase latent framework (EOS paper III-C) as separate stages, so each rule
exchanges stored artifacts:

1. :func:`model_features` - FE of a trained model's train and test images (written by the
   training job, so no extra job loads the model again);
2. :func:`resample_features` - every latent sampler balances the Base model's train FE (CPU);
3. :func:`retrain_heads` - a copy of the head is retrained on each balanced FE set and scored
   on the test FE; optionally the test BAC after every head epoch is logged (EOS paper Fig 7).
"""

from __future__ import annotations

import copy
import inspect
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd
import torch

from imbaug.data.images import ImageSet
from imbaug.metrics import score
from imbaug.pipeline.image import ImageStudy, _latent_runs, _row, check_class_sizes
from imbaug.resampling import Resampled, resample
from imbaug.training.image import extract_features, retrain_head


def model_features(model, train: ImageSet, test: ImageSet, device: torch.device) -> dict:
    """FE of ``train`` and ``test`` (float32, (N, feature_dim)) and the test logits (float32,
    (N, C), the head applied to the test FE), with the seconds the extraction took and the
    class names (``classes``, for messages)."""
    start = time.perf_counter()
    train_fe = extract_features(model, train.images, device)
    test_fe = extract_features(model, test.images, device)
    with torch.no_grad():
        logits = model.head.to(device).eval()(test_fe.to(device)).float().cpu()
    return {
        "train": train_fe,
        "train_labels": train.labels,
        "test": test_fe,
        "test_labels": test.labels,
        "test_logits": logits,
        "extract_seconds": time.perf_counter() - start,
        "classes": list(train.classes),
    }


def latent_names(study: ImageStudy) -> list[str]:
    """Names of the latent runs: the method, or EOS_K<k> when several EOS K are swept."""
    return [_run_name(study, method, k) for method, k in _latent_runs(study)]


def _run_name(study: ImageStudy, method: str, k) -> str:
    return method if method != "EOS" or len(study.eos_k) <= 1 else f"EOS_K{k}"


def resample_features(
    features: dict, study: ImageStudy, cut: int, *, classes: Sequence[str] | None = None
) -> dict:
    """Phase 2: balance the train FE with every latent sampler (every K of an EOS sweep).

    Parameters
    ----------
    features : dict from :func:`model_features` of the Base model.
    study : ImageStudy (latent_methods, eos_k, k_neighbors, seed).
    cut : int, added to the seed.
    classes : sequence of str, optional
        Class names, for messages; default ``features["classes"]`` (absent from feature
        files written before it was stored: then only the registry's check, by index, runs).

    Returns
    -------
    dict
        ``name -> {"X": float32 (n, d), "y": int64 (n,), "source_index": int64 (n,),
        "synthetic": bool (n,), "resample_seconds": float}``; originals first, in order, then
        the synthetic rows (source_index -1 for interpolated rows, the copied row for ROS
        copies).

    Raises
    ------
    ClassSizeError
        Before any resampling, when a class is too small for one of the runs (see
        :func:`~imbaug.pipeline.image.check_class_sizes`), naming the class and config key.
    """
    X, y = features["train"].numpy(), features["train_labels"].numpy()
    classes = classes if classes is not None else features.get("classes")
    if classes is not None:
        counts = np.bincount(y, minlength=len(classes)).tolist()
        check_class_sizes(study, list(_latent_runs(study)), counts, classes, "FE")
    sets = {}
    for method, k in _latent_runs(study):
        start = time.perf_counter()
        result = resample(
            study.spec(method), X, y, random_state=study.seed + cut, **study.settings(eos_k=k)
        )
        seconds = time.perf_counter() - start
        name = _run_name(study, method, k)
        sets[name] = {
            "X": torch.from_numpy(np.asarray(result.X, dtype=np.float32)),
            "y": torch.from_numpy(np.asarray(result.y, dtype=np.int64)),
            "source_index": torch.from_numpy(np.asarray(result.source_index, dtype=np.int64)),
            "synthetic": torch.from_numpy(np.asarray(result.synthetic, dtype=bool)),
            "resample_seconds": seconds,
        }
    return sets


def provenance_frame(sets: dict) -> pd.DataFrame:
    """Provenance of every balanced FE set: ``method, row, label, source_index, synthetic``."""
    frames = [
        pd.DataFrame(
            {
                "method": name,
                "row": np.arange(len(data["y"])),
                "label": data["y"].numpy(),
                "source_index": data["source_index"].numpy(),
                "synthetic": data["synthetic"].numpy(),
            }
        )
        for name, data in sets.items()
    ]
    columns = ["method", "row", "label", "source_index", "synthetic"]
    return (
        pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    )


def retrain_heads(
    base_head: torch.nn.Module,
    sets: dict,
    features: dict,
    test: ImageSet,
    study: ImageStudy,
    cut: int,
    device: torch.device,
    curve_epochs: int = 0,
):
    """Phase 3: retrain a copy of ``base_head`` on every balanced FE set and score it.

    With ``curve_epochs`` > ``study.head['epochs']`` the head trains on to ``curve_epochs``
    epochs only to log the curve; the head kept (and scored) is the one after
    ``head['epochs']`` epochs, identical to a run without the curve (same shuffles).

    Returns
    -------
    rows : list of dict
        Metrics rows (``space`` latent); ``fit_seconds`` counts the kept epochs' training only.
    heads : dict
        ``name -> head state_dict`` (CPU tensors).
    curve : DataFrame
        ``method, epoch`` (1-based), ``bac``, ``gm``, ``fm`` on the test set after each head
        epoch; empty when no curve is asked for.
    """
    test_fe, test_labels = features["test"].to(device), test.labels
    n_classes = len(test.classes)
    kept_epochs = int(
        study.head.get("epochs", inspect.signature(retrain_head).parameters["epochs"].default)
    )
    total = max(kept_epochs, curve_epochs)
    rows, heads, curve = [], {}, []
    for name, data in sets.items():
        kept, evaluating = {}, {"seconds": 0.0}
        started = time.perf_counter()

        def after_epoch(epoch, head, name=name, kept=kept, evaluating=evaluating, started=started):
            if epoch == kept_epochs - 1:
                kept["head"] = copy.deepcopy(head).eval()
                kept["seconds"] = time.perf_counter() - started - evaluating["seconds"]
            if curve_epochs:
                tick = time.perf_counter()
                with torch.no_grad():
                    predicted = head(test_fe).argmax(1).cpu()
                scores = score(test_labels.numpy(), predicted.numpy(), n_classes)
                curve.append(
                    {
                        "method": name,
                        "epoch": epoch + 1,
                        **{m: scores[m] for m in ("bac", "gm", "fm")},
                    }
                )
                evaluating["seconds"] += time.perf_counter() - tick

        retrain_head(
            base_head,
            data["X"],
            data["y"],
            seed=study.seed + cut,
            device=device,
            **{**study.head, "epochs": total},
            epoch_callback=after_epoch,
        )
        head = kept["head"]
        with torch.no_grad():
            predicted = head(test_fe).argmax(1).cpu()
        provenance = Resampled(
            data["X"].numpy(),
            data["y"].numpy(),
            data["source_index"].numpy(),
            data["synthetic"].numpy(),
        )
        rows.append(
            _row(
                test,
                predicted,
                "latent",
                name,
                kept["seconds"],
                data["resample_seconds"],
                provenance,
            )
        )
        heads[name] = {key: value.cpu() for key, value in head.state_dict().items()}
    return rows, heads, pd.DataFrame(curve, columns=["method", "epoch", "bac", "gm", "fm"])
