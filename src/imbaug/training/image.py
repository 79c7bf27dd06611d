"""Device-resident image training (LDAM-DRW regime), prediction, FE extraction, head retraining.

The whole uint8 train set is moved to the device once; every batch is indexed, augmented and
(optionally) REMIX-mixed there, so there is no DataLoader and no per-batch host transfer. On
CUDA the forward pass runs under bf16 autocast with channels_last tensors; on the CPU
everything is float32 and a fixed seed gives identical weights run to run.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F
from torch import nn

from imbaug.data.normalization import channel_mean_std, check_images
from imbaug.metrics import METRIC_NAMES, score
from imbaug.resampling import balanced_batch_indices, mixup, remix_label_weight
from imbaug.training.augment import random_crop_flip
from imbaug.training.tabular import torch_threads

REMIX_DEFAULTS = {"alpha": 1.0, "kappa": 3.0, "tau": 0.5}  # Chou et al.'s Remix (RemixChou)
# Per-batch mixing methods and the settings each needs (ReMix: Bellinger et al. 2020).
REMIX_SETTINGS = {"REMIX": ("alpha",), "RemixChou": ("alpha", "kappa", "tau")}
# Which weights a run keeps (image.train.select_epoch). "last": the last epoch's (default, no
# test data involved). "best_test_macro_f1": additionally the epoch with the best *test*
# macro-F1, as the authors' code keeps it; that selection leaks the test set and is reported
# only next to "last", labelled, to show how much it inflates the scores.
SELECT_EPOCH = ("last", "best_test_macro_f1")


@dataclass
class TrainConfig:
    """End-to-end training settings; defaults are the LDAM-DRW CIFAR regime (Cao et al. 2019).

    The learning rate is set once per epoch (0-based epoch e): linear warm-up
    ``lr * (e + 1) / warmup_epochs`` for the first ``warmup_epochs`` epochs, then ``lr``
    multiplied by ``lr_decay`` at every milestone epoch ``int(fraction * epochs)`` reached
    (160 and 180 of 200). ``remix`` is None or a per-batch mixing dict: ``{"method": "REMIX",
    "alpha": a}`` (ReMix: class-balanced batches, mixup, soft labels) or ``{"method":
    "RemixChou", "alpha", "kappa", "tau"}`` (Chou et al.); without "method" it is RemixChou
    with missing keys from ``REMIX_DEFAULTS``. ``curve`` logs test metrics
    after every epoch when an eval set is given.
    """

    epochs: int = 200
    batch_size: int = 128
    lr: float = 0.1
    momentum: float = 0.9
    weight_decay: float = 2e-4
    warmup_epochs: int = 5
    milestones: tuple[float, ...] = (0.8, 0.9)
    lr_decay: float = 0.01
    augment: bool = True
    flip: bool = True
    pad: int = 4
    remix: dict | None = None
    seed: int = 0
    curve: bool = False
    select_epoch: str = "last"
    input_mean: tuple[float, ...] | None = None
    input_std: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if self.select_epoch not in SELECT_EPOCH:
            raise ValueError(
                f"image.train.select_epoch must be one of {SELECT_EPOCH}, got {self.select_epoch!r}"
            )
        if (self.input_mean is None) != (self.input_std is None):
            raise ValueError("image.train: give both input_mean and input_std, or neither")
        if self.epochs < 1 or self.batch_size < 1 or self.warmup_epochs < 0 or self.pad < 0:
            raise ValueError("epochs and batch_size must be >= 1, warmup_epochs and pad >= 0")
        self.milestones = tuple(self.milestones)
        if any(not 0 < fraction <= 1 for fraction in self.milestones):
            raise ValueError(
                f"milestones are fractions of the epochs in (0, 1], got {self.milestones}"
            )
        if self.remix is not None:
            self.remix = _checked_remix(self.remix)

    def lr_at(self, epoch: int) -> float:
        """Learning rate used throughout 0-based ``epoch``."""
        warmup = min(1.0, (epoch + 1) / self.warmup_epochs) if self.warmup_epochs else 1.0
        decays = sum(epoch >= int(fraction * self.epochs) for fraction in self.milestones)
        return self.lr * warmup * self.lr_decay**decays


def _to_unit_float(batch_uint8: torch.Tensor) -> torch.Tensor:
    """uint8 -> float32 in [0, 1], channels_last on CUDA (faster convs with autocast)."""
    memory_format = torch.channels_last if batch_uint8.is_cuda else torch.contiguous_format
    return batch_uint8.to(dtype=torch.float32, memory_format=memory_format).div_(255)


def _autocast(device: torch.device):
    """bf16 autocast on CUDA (training only); a no-op context elsewhere (the CPU path stays
    float32)."""
    return torch.autocast(
        device_type=device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"
    )


@contextmanager
def _full_float32(device: torch.device):
    """Full float32 on CUDA (no TF32 in cuDNN convolutions or cuBLAS matrix products, which
    PyTorch allows for convolutions by default); the previous settings come back after."""
    if device.type != "cuda":
        yield
        return
    cudnn, matmul = torch.backends.cudnn, torch.backends.cuda.matmul
    saved = cudnn.allow_tf32, matmul.allow_tf32
    cudnn.allow_tf32 = matmul.allow_tf32 = False
    try:
        yield
    finally:
        cudnn.allow_tf32, matmul.allow_tf32 = saved


def remix_batch(
    images: torch.Tensor,
    labels: torch.Tensor,
    class_counts: torch.Tensor,
    lam: float,
    *,
    kappa: float,
    tau: float,
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """REMIX one batch: mix each sample with a random partner of the same batch.

    ``x = lam * x_i + (1 - lam) * x_j`` with ``x_j`` from a permutation of the batch; the soft
    target puts ``remix_label_weight(n[y_i], n[y_j], lam, kappa, tau)`` on ``y_i`` and the rest
    on ``y_j``, ``n = class_counts`` (float, on the batch's device). Returns (mixed images,
    (N, C) soft targets with C = ``len(class_counts)``).
    """
    partner = torch.randperm(len(labels), device=labels.device, generator=generator)
    mixed = images.mul(lam).add_(images[partner], alpha=1.0 - lam)
    lam_tensor = torch.full((), lam, device=labels.device)
    weight_on_own = remix_label_weight(
        class_counts[labels], class_counts[labels[partner]], lam_tensor, kappa, tau
    )
    weight_on_own = weight_on_own.float().unsqueeze(1)
    num_classes = len(class_counts)
    own_label = F.one_hot(labels, num_classes)
    partner_label = F.one_hot(labels[partner], num_classes)
    targets = weight_on_own * own_label + (1 - weight_on_own) * partner_label
    return mixed, targets


def _checked_remix(remix: dict) -> dict:
    """A per-batch mixing dict with its method and exactly the settings that method needs."""
    method = remix.get("method", "RemixChou")
    if method not in REMIX_SETTINGS:
        raise ValueError(
            f"unknown per-batch method {method!r}; use one of {sorted(REMIX_SETTINGS)}"
        )
    settings = {key: value for key, value in remix.items() if key != "method"}
    unknown = set(settings) - set(REMIX_SETTINGS[method])
    if unknown:
        raise ValueError(
            f"unknown {method} settings {sorted(unknown)}; use {list(REMIX_SETTINGS[method])}"
        )
    if "method" not in remix:  # the older form: Chou et al.'s Remix with defaults
        return {**REMIX_DEFAULTS, **settings}
    missing = set(REMIX_SETTINGS[method]) - set(settings)
    if missing:
        raise ValueError(f"{method} needs the settings {sorted(missing)}")
    return {"method": method, **settings}


def _epoch_batches(
    labels: torch.Tensor,
    config: TrainConfig,
    generator: torch.Generator,
    lam_rng: np.random.Generator,
) -> tuple[torch.Tensor, ...]:
    """Row indices of one epoch's batches: a shuffle of the set, or for ReMix ceil(n / B)
    class-balanced batches (majority under-, minority over-sampled; Bellinger et al. 2020)."""
    if config.remix is not None and config.remix.get("method") == "REMIX":
        n_batches = -(-len(labels) // config.batch_size)
        plan = balanced_batch_indices(labels.cpu().numpy(), config.batch_size, n_batches, lam_rng)
        return torch.from_numpy(plan).to(labels.device).unbind(0)
    return torch.randperm(len(labels), device=labels.device, generator=generator).split(
        config.batch_size
    )


def _training_batch(
    images: torch.Tensor,
    labels: torch.Tensor,
    batch_index: torch.Tensor,
    config: TrainConfig,
    generator: torch.Generator,
    lam_rng: np.random.Generator,
    class_counts: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Index the device-resident set, crop/flip, scale to [0, 1] and (optionally) REMIX."""
    batch = images[batch_index]
    if config.augment:
        batch = random_crop_flip(batch, pad=config.pad, flip=config.flip, generator=generator)
    x, targets = _to_unit_float(batch), labels[batch_index]
    if config.remix is not None:
        # lam is drawn on the host: a Python float costs no device sync, and torch's Beta
        # sampler takes no generator.
        lam = float(lam_rng.beta(config.remix["alpha"], config.remix["alpha"]))
        if config.remix.get("method") == "REMIX":  # mixup of the balanced batch, soft labels
            partner = torch.randperm(len(targets), device=targets.device, generator=generator)
            one_hot = F.one_hot(targets, len(class_counts)).float()
            return mixup(x, one_hot, lam, partner)
        x, targets = remix_batch(
            x,
            targets,
            class_counts,
            lam,
            kappa=config.remix["kappa"],
            tau=config.remix["tau"],
            generator=generator,
        )
    return x, targets


def train_image_model(
    model: nn.Module,
    images_uint8: torch.Tensor,
    labels: torch.Tensor,
    loss: Callable[[torch.Tensor, torch.Tensor, int], torch.Tensor],
    config: TrainConfig,
    device: torch.device,
    eval_set: tuple[torch.Tensor, torch.Tensor] | None = None,
    best_test: dict | None = None,
) -> pd.DataFrame:
    """Train ``model`` end-to-end in place (left on ``device``, in eval mode); return the log.

    ``model`` comes from :func:`imbaug.models.build_model`; its input normalisation is set to
    ``config.input_mean``/``input_std`` (the dataset's fixed constants, see
    :func:`~imbaug.data.normalization.dataset_normalization`), or, when those are None, to the
    per-channel mean/std of the images given (then methods that resample see different
    scalings; the workflow always passes the constants). ``loss(logits, targets, epoch)`` gets
    int64 targets, or (N, C) soft targets when ``config.remix`` is set. The final weights are the last epoch's. Log
    columns: epoch (0-based), loss (mean train loss), lr, seconds (training time of the
    epoch), plus every ``METRIC_NAMES`` score on ``eval_set`` when ``config.curve`` or
    ``config.select_epoch == "best_test_macro_f1"``.

    With ``select_epoch == "best_test_macro_f1"`` (needs ``eval_set``, the test set) the
    dict ``best_test``, if given, receives ``epoch`` (0-based; the first of equal best),
    ``fm`` and ``state_dict`` (CPU copies) of the epoch with the best test macro-F1: the
    authors' test-set model selection, kept next to the last-epoch model.

    Raises
    ------
    ValueError
        For non-uint8 images, labels that are not one integer per image, or
        ``best_test_macro_f1`` without an ``eval_set``.
    """
    selecting = config.select_epoch == "best_test_macro_f1"
    if selecting and eval_set is None:
        raise ValueError("select_epoch 'best_test_macro_f1' needs the test set as eval_set")
    check_images(images_uint8)
    if labels.is_floating_point() or labels.shape != images_uint8.shape[:1]:
        raise ValueError("labels must be an integer tensor with one class index per image")
    device = torch.device(device)
    on_cuda = device.type == "cuda"
    if on_cuda:
        torch.backends.cudnn.benchmark = True

    images = images_uint8.to(device)
    labels = labels.to(device, torch.int64)
    if config.input_mean is not None:
        model.set_normalization(config.input_mean, config.input_std)
    else:
        model.set_normalization(*channel_mean_std(images))
    model.to(device, memory_format=torch.channels_last if on_cuda else torch.preserve_format)
    if isinstance(loss, nn.Module):
        loss.to(device)
    optimizer = torch.optim.SGD(
        model.parameters(), lr=config.lr, momentum=config.momentum, weight_decay=config.weight_decay
    )
    generator = torch.Generator(device=device).manual_seed(config.seed)
    lam_rng = np.random.default_rng(config.seed)
    num_classes = model.head.out_features
    class_counts = torch.bincount(labels, minlength=num_classes).float()

    log = []
    for epoch in range(config.epochs):
        lr = config.lr_at(epoch)
        for group in optimizer.param_groups:
            group["lr"] = lr
        model.train()
        started = time.perf_counter()
        loss_sum = torch.zeros((), device=device)
        for batch_index in _epoch_batches(labels, config, generator, lam_rng):
            x, targets = _training_batch(
                images, labels, batch_index, config, generator, lam_rng, class_counts
            )
            with _autocast(device):
                logits = model(x)
            batch_loss = loss(logits, targets, epoch)
            optimizer.zero_grad(set_to_none=True)
            batch_loss.backward()
            optimizer.step()
            loss_sum += batch_loss.detach() * len(batch_index)
        row = {"epoch": epoch, "loss": loss_sum.item() / len(labels), "lr": lr}
        row["seconds"] = time.perf_counter() - started  # .item() above waited for the GPU
        if (config.curve or selecting) and eval_set is not None:
            predicted = predict(model, eval_set[0], device)
            scores = score(eval_set[1], predicted, num_classes)
            row.update({name: scores[name] for name in METRIC_NAMES})
            if selecting and best_test is not None and scores["fm"] > best_test.get("fm", -1.0):
                best_test.update(
                    epoch=epoch,
                    fm=scores["fm"],
                    state_dict={k: v.detach().cpu().clone() for k, v in model.state_dict().items()},
                )
        log.append(row)
    model.eval()
    return pd.DataFrame(log)


@contextmanager
def _evaluating(model: nn.Module):
    was_training = model.training
    model.eval()
    try:
        yield
    finally:
        model.train(was_training)


def _map_in_batches(
    compute: Callable[[torch.Tensor], torch.Tensor],
    model: nn.Module,
    images_uint8: torch.Tensor,
    device: torch.device,
    batch_size: int,
) -> torch.Tensor:
    """Apply ``compute`` to [0, 1] float batches on ``device`` in eval mode, in full float32
    (on CUDA: no bf16 autocast, no TF32); concatenate on CPU."""
    check_images(images_uint8)
    device = torch.device(device)
    model.to(device)
    outputs = []
    with _evaluating(model), torch.no_grad(), _full_float32(device):
        for batch in images_uint8.split(batch_size):
            outputs.append(compute(_to_unit_float(batch.to(device))).cpu())
    return torch.cat(outputs)


def predict(
    model: nn.Module, images_uint8: torch.Tensor, device: torch.device, batch_size: int = 1024
) -> torch.Tensor:
    """Predicted labels (int64, CPU) of uint8 images; eval mode, no augmentation, full float32
    on every device (bf16 and TF32 are for training only: near-tied logits must not flip in
    evaluation)."""
    return _map_in_batches(
        lambda x: model(x).argmax(dim=1), model, images_uint8, device, batch_size
    )


def extract_features(
    model: nn.Module, images_uint8: torch.Tensor, device: torch.device, batch_size: int = 1024
) -> torch.Tensor:
    """Feature embeddings (float32, CPU, (N, feature_dim)) of uint8 images; eval mode, no
    augmentation. Runs in full float32 (no TF32) even on CUDA, so FE-space resampling and
    analyses see full precision."""
    return _map_in_batches(
        lambda x: model.features(x).float(), model, images_uint8, device, batch_size
    )


def retrain_head(
    head: nn.Module,
    features: torch.Tensor,
    labels: torch.Tensor,
    *,
    epochs: int = 10,
    lr: float = 0.1,
    batch_size: int = 128,
    momentum: float = 0.9,
    weight_decay: float = 2e-4,
    seed: int = 0,
    device: torch.device,
    epoch_callback: Callable[[int, nn.Module], None] | None = None,
) -> nn.Module:
    """Fine-tune a copy of ``head`` with cross-entropy on (balanced) features: phase 3 of the
    EOS paper's three-phase training. ``head`` is any module mapping (N, D) to (N, C) logits
    and is left untouched; ``labels`` are class indices (N,) or soft (N, C) float targets.
    Plain SGD at a constant ``lr``, reshuffled every epoch with a generator seeded by
    ``seed``. ``epoch_callback(epoch, head)``, if given, runs after every epoch (e.g. for a
    retraining curve). Returns the fine-tuned copy on ``device`` in eval mode.
    """
    device = torch.device(device)
    if len(features) != len(labels):
        raise ValueError(f"{len(features)} feature rows but {len(labels)} labels")
    head = copy.deepcopy(head).to(device).train()
    features = features.to(device, torch.float32)
    labels = labels.to(device, torch.float32 if labels.is_floating_point() else torch.int64)
    optimizer = torch.optim.SGD(
        head.parameters(), lr=lr, momentum=momentum, weight_decay=weight_decay
    )
    generator = torch.Generator(device=device).manual_seed(seed)
    # One CPU thread: a linear head is overhead-bound, more threads only synchronise.
    with torch_threads(1) if device.type == "cpu" else nullcontext():
        for epoch in range(epochs):
            for batch_index in torch.randperm(
                len(labels), device=device, generator=generator
            ).split(batch_size):
                batch_loss = F.cross_entropy(head(features[batch_index]), labels[batch_index])
                optimizer.zero_grad(set_to_none=True)
                batch_loss.backward()
                optimizer.step()
            if epoch_callback is not None:
                epoch_callback(epoch, head)
    return head.eval()
