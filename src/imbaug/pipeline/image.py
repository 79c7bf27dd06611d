"""One imbalanced cut of the image study: end-to-end training with an input-space method;
the three-phase latent framework's stages are in :mod:`imbaug.pipeline.image_latent`."""

from __future__ import annotations

import copy
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import torch

from imbaug.data.images import ImageSet
from imbaug.data.profiles import ClassSizeError, class_label, imbalance_key
from imbaug.losses import build_loss
from imbaug.metrics import score
from imbaug.models import build_model
from imbaug.resampling import (
    SETTINGS,
    Resampled,
    method_name,
    method_spec,
    names,
    resample,
    settings_from_config,
)
from imbaug.training.image import TrainConfig, predict, train_image_model

# Built-in methods that resample the pixels before training (from the method registry).
PIXEL_SAMPLERS = names("pixel", resamples=True, per_batch=False)


@dataclass(frozen=True)
class ImageStudy:
    """Settings of the image study (config key ``image``)."""

    train: dict = field(default_factory=dict)
    head: dict = field(default_factory=dict)
    latent_methods: tuple[str, ...] = ("EOS", "DSM", "BSMOTE", "BalSVM", "ROS")
    # Method settings have no defaults here: the rule passes those its methods use (the
    # registry's spec.settings), and resample() refuses a method whose setting is missing.
    k_neighbors: int | None = None
    eos_k: tuple[int, ...] = ()
    remix: dict = field(default_factory=dict)
    configured: dict = field(default_factory=dict)  # config-defined samplers by name
    seed: int = 0
    # The dataset's fixed input scaling {input_mean, input_std} (see imbaug.data.normalization);
    # empty: each training scales by its own train set's statistics.
    normalization: dict = field(default_factory=dict)
    dataset: str | None = None  # the config's dataset name, for the config keys in messages

    @classmethod
    def from_config(
        cls,
        image: dict,
        seed: int = 0,
        normalization: dict | None = None,
        dataset: str | None = None,
    ) -> ImageStudy:
        """From config ``image``, or the part of it a rule passes; other fields keep defaults.
        Method entries may be names or config samplers ``{name, sampler, params}``;
        ``normalization`` is the dataset's {input_mean, input_std}
        (:func:`~imbaug.data.normalization.load_normalization`); ``dataset`` the config's name
        of the dataset (error messages name its config keys)."""
        settings = {
            key: image[key] for key in ("train", "head", "k_neighbors", "remix") if key in image
        }
        settings |= {key: tuple(image[key]) for key in ("eos_k",) if key in image}
        entries = [*image.get("methods", []), *image.get("latent_methods", [])]
        settings["configured"] = {e["name"]: e for e in entries if isinstance(e, dict)}
        if "latent_methods" in image:
            settings["latent_methods"] = tuple(method_name(e) for e in image["latent_methods"])
        scaling = dict(normalization or {})
        return cls(**settings, seed=seed, normalization=scaling, dataset=dataset)

    def spec(self, method: str):
        """The registry entry of a method name (a config-defined sampler or a built-in)."""
        return method_spec(self.configured.get(method, method), "image.methods")

    def settings(self, eos_k: int | None = None) -> dict:
        """resample() keywords: k_neighbors, remix_*, and ``eos_k`` (pixel space: the first K)."""
        found = settings_from_config({"k_neighbors": self.k_neighbors, "remix": self.remix})
        return found | {"eos_k": eos_k if eos_k is not None else (self.eos_k or (None,))[0]}

    def train_config(self, method: str, cut: int) -> TrainConfig:
        spec = self.spec(method)
        remix = None
        if spec.per_batch:  # ReMix / RemixChou mix every batch; settings from the registry
            settings = self.settings()
            missing = [name for name in spec.settings if settings.get(name) is None]
            if missing:
                raise ValueError(f"{method} needs config image.remix settings {missing}")
            remix = {
                "method": spec.name,
                **{name.removeprefix("remix_"): settings[name] for name in spec.settings},
            }
        return TrainConfig(**self.train, **self.normalization, remix=remix, seed=self.seed + cut)


def check_class_sizes(
    study: ImageStudy, runs, counts: Sequence[int], classes: Sequence[str], space: str
) -> None:
    """Fail before any resampling if a class is too small for one of ``runs``.

    Parameters
    ----------
    study : ImageStudy
    runs : iterable of (method, eos_k or None)
        Every resampling of the job (``[(method, None)]`` in pixel space: the first K).
    counts, classes : sequence
        Train rows of each class and the class names, in class order.
    space : str
        "pixel" or "FE", for the message.

    Raises
    ------
    ClassSizeError
        For the first run with a class too small among those it over-samples (not the
        largest; absent classes are not over-sampled), like ``resample``'s check: starting
        with the config key to change, naming the space, the method, the rows needed and why,
        and each short class by name and index with its count. ValueError (from the registry)
        when a method's setting is missing.
    """
    methods_key = "image.latent_methods" if space == "FE" else "image.methods"
    for method, k in runs:
        spec = study.spec(method)
        if not spec.resamples or spec.per_batch:
            continue
        settings = study.settings(eos_k=k)
        short = spec.too_small_classes(counts, settings)
        if not short:
            continue
        needed = spec.min_class_size(settings)
        setting = spec.neighbours_in_class
        if setting is not None and needed == settings[setting] + 1:
            key = "image." + ".".join(SETTINGS[setting])
            why, fix = f"{setting}={settings[setting]} same-class neighbours + 1", f"Lower {key}"
        else:
            key = methods_key
            why, fix = "its minimum whatever the settings", f"Drop {method} from {key}"
        raise ClassSizeError(
            f"config {key}: {space}-space {method} needs at least {needed} train rows of each "
            f"class it over-samples ({why}); "
            + ", ".join(f"{class_label(classes, c)} has {counts[c]}" for c in short)
            + f". {fix}, or keep more train images of the class "
            f"(config {imbalance_key(study.dataset, 'n_max')} / .ratio)."
        )


def resample_pixels(
    method: str, train: ImageSet, study: ImageStudy, cut: int
) -> tuple[ImageSet, Resampled]:
    """Input-space over-sampling on flattened pixels; synthetic images are rounded to uint8.

    A class too small for the method raises :class:`~imbaug.data.profiles.ClassSizeError`
    (see :func:`check_class_sizes`) before the pixels are resampled."""
    check_class_sizes(study, [(method, None)], train.class_counts(), train.classes, "pixel")
    flat = train.images.reshape(len(train), -1).numpy().astype(np.float32)
    result = resample(
        study.spec(method),
        flat,
        train.labels.numpy(),
        random_state=study.seed + cut,
        **study.settings(),
    )
    pixels = (
        np.clip(np.rint(result.X), 0, 255).astype(np.uint8).reshape(-1, *train.images.shape[1:])
    )
    return ImageSet(torch.from_numpy(pixels), torch.from_numpy(result.y), train.classes), result


def train_method(
    arch: str,
    loss_name: str,
    method: str,
    train: ImageSet,
    test: ImageSet,
    study: ImageStudy,
    cut: int,
    device: torch.device,
):
    """Train end-to-end with one input-space method.

    Returns
    -------
    model, epoch log, metrics rows, provenance of the train set
        ``rows`` is a list: the last epoch's model scored on the test set (``selection``
        "last"), and, when the train config's ``select_epoch`` is "best_test_macro_f1", also
        the epoch with the best test macro-F1 (``selection`` "best_test_macro_f1"; the
        authors' test-set selection, README "Image study"). The model returned is always the
        last epoch's: the feature embeddings and the latent stages use it only.
    """
    start = time.perf_counter()
    spec = study.spec(method)
    if spec.resamples and not spec.per_batch:
        train, provenance = resample_pixels(method, train, study, cut)
    else:  # Base, Balanced (already cut), ReMix (mixes per batch), cost-sensitive losses
        provenance = Resampled.unchanged(train.images, train.labels.numpy())
    resample_seconds = time.perf_counter() - start
    config = study.train_config(method, cut)
    loss = build_loss(loss_name, train.class_counts(), total_epochs=config.epochs)
    torch.manual_seed(config.seed)  # initial weights
    model = build_model(
        arch,
        len(train.classes),
        in_channels=train.images.shape[1],
        cosine_head=loss.uses_cosine_head,
    )
    selecting = config.select_epoch == "best_test_macro_f1"
    eval_set = (test.images, test.labels) if config.curve or selecting else None
    best_test = {} if selecting else None
    log = train_image_model(
        model, train.images, train.labels, loss, config, device, eval_set, best_test
    )
    scored = {"last": model}
    if selecting:
        scored["best_test_macro_f1"] = _with_state(model, best_test["state_dict"])
    rows = [
        _row(
            test,
            predict(scored_model, test.images, device),
            "input",
            method,
            float(log["seconds"].sum()),
            resample_seconds,
            provenance,
        )
        | {"selection": selection}
        for selection, scored_model in scored.items()
    ]
    return model, log, rows, provenance


def _with_state(model, state_dict: dict):
    """A copy of ``model`` holding ``state_dict`` (the model itself is left unchanged)."""
    other = copy.deepcopy(model)
    other.load_state_dict(state_dict)
    return other.eval()


def _latent_runs(study: ImageStudy):
    """(method, K) of every latent run: every K of the sweep for EOS, the first for others.
    The stages themselves are in imbaug.pipeline.image_latent."""
    for method in study.latent_methods:
        for k in study.eos_k if method == "EOS" else study.eos_k[:1] or (None,):
            yield method, k


def _row(
    test: ImageSet,
    y_pred: torch.Tensor,
    space: str,
    method: str,
    fit_seconds: float,
    resample_seconds: float,
    resampled: Resampled,
) -> dict:
    return {
        "space": space,
        "method": method,
        **score(test.labels.numpy(), y_pred.numpy(), len(test.classes)),
        "n_train": len(resampled.y),
        "n_synthetic": int(resampled.synthetic.sum()),
        "fit_seconds": fit_seconds,
        "resample_seconds": resample_seconds,
    }


def model_record(model, arch: str, loss_name: str) -> dict:
    """What model.pt holds: plain tensors and strings, loadable with weights_only=True."""
    return {
        "arch": arch,
        "loss": loss_name,
        "num_classes": model.head.weight.shape[0],
        "in_channels": int(model.input_mean.shape[1]),
        "cosine_head": type(model.head).__name__ == "CosineHead",
        "state_dict": {key: value.cpu() for key, value in model.state_dict().items()},
    }


def model_from_record(record: dict):
    model = build_model(
        record["arch"],
        record["num_classes"],
        in_channels=record["in_channels"],
        cosine_head=record["cosine_head"],
    )
    model.load_state_dict(record["state_dict"])
    return model


def metrics_frame(rows: list[dict], **keys) -> pd.DataFrame:
    """Metrics rows with their identifying keys (dataset, cut, arch, loss) in front."""
    return pd.DataFrame([{**keys, **row} for row in rows])
