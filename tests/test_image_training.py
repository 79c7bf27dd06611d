from __future__ import annotations

import pytest
import torch
from torch import nn

from imbaug.data.normalization import NORMALIZATION, channel_mean_std, dataset_normalization
from imbaug.device import pick_device
from imbaug.losses import build_loss
from imbaug.models import build_model
from imbaug.training.augment import random_crop_flip
from imbaug.training.image import (
    TrainConfig,
    extract_features,
    predict,
    remix_batch,
    retrain_head,
    train_image_model,
)

CPU = torch.device("cpu")


def generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


# ---------------------------------------------------------------- augmentation


def test_crop_flip_keeps_shape_dtype_and_values():
    batch = torch.randint(0, 256, (16, 3, 10, 12), dtype=torch.uint8)
    out = random_crop_flip(batch, generator=generator(0))
    assert out.shape == batch.shape and out.dtype == torch.uint8
    assert set(out.unique().tolist()) <= set(batch.unique().tolist()) | {0}


def test_flip_is_an_exact_mirror_and_happens_about_half_the_time():
    batch = torch.rand(64, 2, 5, 7)
    out = random_crop_flip(batch, pad=0, flip=True, generator=generator(1))
    same = (out == batch).flatten(1).all(dim=1)
    mirrored = (out == batch.flip(-1)).flatten(1).all(dim=1)
    assert bool((same | mirrored).all())
    assert 10 < int(mirrored.sum()) < 54
    assert torch.equal(random_crop_flip(batch, pad=0, flip=False, generator=generator(1)), batch)


def test_crop_equals_the_zero_padded_image_shifted():
    height, width, pad = 5, 6, 2
    image = torch.arange(1, height * width + 1, dtype=torch.float32).reshape(1, 1, height, width)
    batch = image.repeat(40, 1, 1, 1)
    out = random_crop_flip(batch, pad=pad, flip=False, generator=generator(2))
    shifts_seen = set()
    for sample in out[:, 0]:
        matches = []
        for dy in range(-pad, pad + 1):
            for dx in range(-pad, pad + 1):
                expected = torch.zeros(height, width)
                # out[y, x] = image[y + dy, x + dx] where that pixel exists, else 0
                ys = slice(max(0, -dy), min(height, height - dy))
                xs = slice(max(0, -dx), min(width, width - dx))
                expected[ys, xs] = image[
                    0, 0, ys.start + dy : ys.stop + dy, xs.start + dx : xs.stop + dx
                ]
                if torch.equal(sample, expected):
                    matches.append((dy, dx))
        assert len(matches) == 1
        shifts_seen.add(matches[0])
    assert len(shifts_seen) > 10


def test_crop_flip_is_deterministic_given_a_generator():
    batch = torch.randint(0, 256, (32, 3, 8, 8), dtype=torch.uint8)
    first = random_crop_flip(batch, generator=generator(5))
    assert torch.equal(first, random_crop_flip(batch, generator=generator(5)))
    assert not torch.equal(first, random_crop_flip(batch, generator=generator(6)))


# ---------------------------------------------------------------- schedule and helpers


def test_learning_rate_schedule_is_the_ldam_drw_one():
    config = TrainConfig()
    assert config.lr_at(0) == pytest.approx(0.02)
    assert config.lr_at(4) == pytest.approx(0.1)
    assert config.lr_at(159) == pytest.approx(0.1)
    assert config.lr_at(160) == pytest.approx(1e-3)
    assert config.lr_at(179) == pytest.approx(1e-3)
    assert config.lr_at(180) == pytest.approx(1e-5)
    assert TrainConfig(epochs=50).lr_at(40) == pytest.approx(1e-3)


def test_config_validation():
    with pytest.raises(ValueError):
        TrainConfig(milestones=(0.8, 1.5))
    with pytest.raises(ValueError):
        TrainConfig(remix={"alpha": 1.0, "beta": 2.0})
    assert TrainConfig(remix={"alpha": 0.5}).remix == {"alpha": 0.5, "kappa": 3.0, "tau": 0.5}


def test_channel_mean_std():
    images = torch.zeros(4, 2, 3, 3, dtype=torch.uint8)
    images[:, 1] = 255
    images[:2, 0] = 255
    mean, std = channel_mean_std(images)
    assert torch.allclose(mean, torch.tensor([0.5, 1.0]))
    assert torch.allclose(std, torch.tensor([0.5, 0.0]))


def test_pick_device():
    assert pick_device("cpu") == CPU
    assert pick_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")
    with pytest.raises(ValueError):
        pick_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(RuntimeError, match="no CUDA device"):
            pick_device("cuda")


# ---------------------------------------------------------------- training


def separable_images(
    n: int = 64, size: int = 8, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """Class 0: bright left half; class 1: bright right half; plus noise."""
    g = generator(seed)
    labels = torch.arange(n) % 2
    images = torch.randint(0, 60, (n, 3, size, size), generator=g)
    half = size // 2
    images[labels == 0, :, :, :half] += 180
    images[labels == 1, :, :, half:] += 180
    return images.to(torch.uint8), labels


SMALL = dict(epochs=6, batch_size=16, lr=0.05, warmup_epochs=1, pad=1, flip=False)


def train_small(seed: int = 0, **overrides):
    images, labels = separable_images()
    torch.manual_seed(seed)
    model = build_model("resnet8", 2)
    loss = build_loss(
        overrides.pop("loss", "CE"), torch.bincount(labels), total_epochs=SMALL["epochs"]
    )
    config = TrainConfig(**{**SMALL, "seed": seed, **overrides})
    log = train_image_model(model, images, labels, loss, config, CPU)
    return model, log, images, labels


def test_training_drives_the_loss_down_and_learns_the_classes():
    model, log, images, labels = train_small()
    assert list(log.columns) == ["epoch", "loss", "lr", "seconds"]
    assert log["epoch"].tolist() == list(range(6))
    assert log["lr"].tolist() == pytest.approx(
        [0.05, 0.05, 0.05, 0.05, 5e-4, 5e-6]
    )  # milestones int(4.8), int(5.4)
    assert log["loss"].iloc[-1] < 0.5 * log["loss"].iloc[0]
    assert (predict(model, images, CPU) == labels).float().mean() >= 0.95
    mean, std = channel_mean_std(images)
    assert torch.allclose(model.input_mean.flatten(), mean) and torch.allclose(
        model.input_std.flatten(), std
    )


def test_training_is_deterministic_on_cpu():
    first, first_log, _, _ = train_small(seed=3, epochs=2)
    second, second_log, _, _ = train_small(seed=3, epochs=2)
    other, _, _, _ = train_small(seed=4, epochs=2)
    for (name, a), b, _ in zip(
        first.state_dict().items(), second.state_dict().values(), other.state_dict().values()
    ):
        assert torch.equal(a, b), name
    assert first_log["loss"].tolist() == second_log["loss"].tolist()
    assert not torch.equal(first.head.weight, other.head.weight)


def test_ldam_drw_with_remix_and_curve_runs():
    images, labels = separable_images()
    torch.manual_seed(0)
    model = build_model("resnet8", 2, cosine_head=True)
    loss = build_loss("LDAM_DRW", torch.bincount(labels), total_epochs=SMALL["epochs"])
    config = TrainConfig(**SMALL, remix={}, curve=True)
    log = train_image_model(model, images, labels, loss, config, CPU, eval_set=(images, labels))
    assert list(log.columns) == ["epoch", "loss", "lr", "seconds", "bac", "gm", "gm_macro", "fm"]
    assert log[["loss", "bac", "gm", "fm"]].notna().all().all()
    assert log["bac"].between(0, 1).all()
    assert log["bac"].iloc[-1] >= 0.9
    assert log["loss"].iloc[-1] < log["loss"].iloc[0]


def test_remix_batch_gives_soft_targets_by_the_remix_rule():
    class_counts = torch.tensor([90.0, 30.0, 10.0])
    labels = torch.tensor([0, 1, 2, 0, 1, 2, 0, 0])
    images = torch.rand(8, 1, 4, 4)
    g = generator(0)
    mixed, targets = remix_batch(images, labels, class_counts, 0.3, kappa=3.0, tau=0.5, generator=g)
    partner = torch.randperm(8, generator=generator(0))  # the same draw remix_batch made
    assert torch.allclose(mixed, 0.3 * images + 0.7 * images[partner])
    assert targets.shape == (8, 3)
    assert torch.allclose(targets.sum(dim=1), torch.ones(8))
    for i in range(8):
        own, other = int(labels[i]), int(partner_label := labels[partner[i]])
        ratio = class_counts[own] / class_counts[partner_label]
        expected = torch.zeros(3)
        own_weight = 0.0 if ratio >= 3 else 0.3  # lam 0.3 < tau: label goes to the minority partner
        expected[own] += own_weight
        expected[other] += 1 - own_weight
        assert torch.allclose(targets[i], expected), i
    assert ((targets > 0) & (targets < 1)).any()  # genuinely soft rows exist


# ---------------------------------------------------------------- evaluation and head retraining


def test_predict_and_extract_features_use_eval_mode_and_restore_it():
    torch.manual_seed(0)
    model = build_model("resnet8", 3)
    images = torch.randint(0, 256, (10, 3, 9, 9), dtype=torch.uint8)
    running_mean = model.backbone.bn1.running_mean.clone()
    model.train()
    labels = predict(model, images, CPU, batch_size=4)
    features = extract_features(model, images, CPU, batch_size=4)
    assert model.training
    assert torch.equal(model.backbone.bn1.running_mean, running_mean)  # BN statistics untouched
    assert labels.dtype == torch.int64 and labels.shape == (10,)
    assert features.dtype == torch.float32 and features.shape == (10, 64) and features.device == CPU
    model.eval()
    with torch.no_grad():
        x = images.float() / 255
        assert torch.allclose(features, model.features(x), atol=1e-5)
        assert torch.equal(labels, model(x).argmax(1))


def separable_features(n: int = 200, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    g = generator(seed)
    labels = torch.arange(n) % 3
    centres = torch.tensor([[3.0, 0.0, 0.0, 0.0], [0.0, 3.0, 0.0, 0.0], [0.0, 0.0, 3.0, 0.0]])
    return centres[labels] + 0.5 * torch.randn(n, 4, generator=g), labels


@pytest.mark.parametrize("soft", [False, True])
def test_retrain_head_improves_a_bad_head_and_leaves_it_untouched(soft):
    features, labels = separable_features()
    head = nn.Linear(4, 3)
    with torch.no_grad():  # a head that predicts the classes in the wrong order
        head.weight.copy_(
            torch.tensor([[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [1.0, 0.0, 0.0, 0.0]])
        )
        head.bias.zero_()
    original = {k: v.clone() for k, v in head.state_dict().items()}
    before = (head(features).argmax(1) == labels).float().mean()
    targets = torch.eye(3)[labels] if soft else labels.int()  # any integer dtype is accepted
    new_head = retrain_head(head, features, targets, epochs=5, device=CPU)
    after = (new_head(features).argmax(1) == labels).float().mean()
    assert before < 0.05 and after > 0.95
    assert new_head is not head
    for name, value in head.state_dict().items():
        assert torch.equal(value, original[name])
    assert not new_head.training


def test_retrain_head_is_deterministic_and_reports_each_epoch():
    features, labels = separable_features()
    head = nn.Linear(4, 3)
    seen = []
    first = retrain_head(
        head,
        features,
        labels,
        epochs=3,
        seed=1,
        device=CPU,
        epoch_callback=lambda epoch, _: seen.append(epoch),
    )
    second = retrain_head(head, features, labels, epochs=3, seed=1, device=CPU)
    assert seen == [0, 1, 2]
    assert torch.equal(first.weight, second.weight) and torch.equal(first.bias, second.bias)


# ---------------------------------------------------------------- evaluation and normalisation


def test_normalisation_comes_from_the_dataset_constants_not_the_resampled_train_set():
    images, labels = separable_images()
    constants = NORMALIZATION["cifar10"]
    buffers = []
    for rows in (
        torch.arange(64),
        torch.cat([torch.arange(64), torch.arange(1, 64, 2).repeat(3)]),
    ):  # Base, ROS-like
        torch.manual_seed(0)
        model = build_model("resnet8", 2)
        loss = build_loss("CE", torch.bincount(labels[rows]), total_epochs=1)
        config = TrainConfig(
            **{**SMALL, "epochs": 1}, input_mean=constants[0], input_std=constants[1]
        )
        train_image_model(model, images[rows], labels[rows], loss, config, CPU)
        buffers.append((model.input_mean.flatten(), model.input_std.flatten()))
    for mean, std in buffers:
        assert torch.allclose(mean, torch.tensor(constants[0])) and torch.allclose(
            std, torch.tensor(constants[1])
        )


def test_dataset_normalization_published_constants_or_the_whole_uncut_source():
    assert dataset_normalization("cifar10") == ((0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010))
    images, _ = separable_images()
    mean, std = dataset_normalization("digits", images)
    assert mean == pytest.approx(channel_mean_std(images)[0].tolist())
    assert std == pytest.approx(channel_mean_std(images)[1].tolist())
    with pytest.raises(ValueError, match="'digits' has no published normalisation"):
        dataset_normalization("digits")
    with pytest.raises(ValueError, match="input_mean and input_std"):
        TrainConfig(input_mean=(0.5, 0.5, 0.5))


def test_predictions_are_scored_in_full_float32(monkeypatch):
    import imbaug.training.image as image_training

    calls = []
    full_float32 = image_training._full_float32
    monkeypatch.setattr(image_training, "_autocast", lambda device: calls.append("bf16"))
    monkeypatch.setattr(
        image_training, "_full_float32", lambda device: calls.append("fp32") or full_float32(device)
    )
    images, _ = separable_images(n=8)
    predict(build_model("resnet8", 2), images, CPU)
    extract_features(build_model("resnet8", 2), images, CPU)
    assert calls == ["fp32", "fp32"]  # bf16 autocast and TF32 are for training only


def test_select_epoch_keeps_the_best_test_macro_f1_epoch_next_to_the_last():
    images, labels = separable_images()
    torch.manual_seed(0)
    model = build_model("resnet8", 2)
    loss = build_loss("CE", torch.bincount(labels), total_epochs=SMALL["epochs"])
    config = TrainConfig(**SMALL, select_epoch="best_test_macro_f1")
    best: dict = {}
    log = train_image_model(
        model, images, labels, loss, config, CPU, eval_set=(images, labels), best_test=best
    )
    assert best["epoch"] == int(log["fm"].idxmax()) and best["fm"] == log["fm"].max()
    assert set(best["state_dict"]) == set(model.state_dict())
    if best["epoch"] != SMALL["epochs"] - 1:  # the model itself keeps the last epoch's weights
        assert not torch.equal(best["state_dict"]["head.weight"], model.head.weight)
    with pytest.raises(ValueError, match="needs the test set"):
        train_image_model(model, images, labels, loss, config, CPU)
    with pytest.raises(ValueError, match="select_epoch"):
        TrainConfig(select_epoch="best")


# ---------------------------------------------------------------- the settings the workflow uses


def _workflow_train_settings(study: str | None, dataset: str) -> dict:
    """image.train as the workflow builds it: config.yaml, the study file merged over it,
    schema defaults filled in, the dataset's per_dataset override applied (common.smk)."""
    from pathlib import Path

    import yaml
    from snakemake.utils import validate

    root = Path(__file__).resolve().parents[1]

    def merge(base: dict, extra: dict) -> dict:
        out = dict(base)
        for key, value in extra.items():
            out[key] = (
                merge(out[key], value)
                if isinstance(value, dict) and isinstance(out.get(key), dict)
                else value
            )
        return out

    config = yaml.safe_load((root / "config.yaml").read_text())
    if study:
        config = merge(config, yaml.safe_load((root / study).read_text()))
    validate(config, str(root / "workflow/schemas/config.schema.yaml"))
    override = config["image"].get("per_dataset", {}).get(dataset, {}).get("train", {})
    return {**config["image"]["train"], **override}


@pytest.mark.parametrize(
    ("study", "dataset", "warmup", "flip"),
    [
        (None, "digits", 2, False),
        ("studies/paper.yaml", "cifar10", 5, True),
    ],
)
def test_workflow_training_pads_4_warms_up_and_passes_flip_to_the_augmentation(
    monkeypatch, study, dataset, warmup, flip
):
    import imbaug.training.image as image_training

    settings = _workflow_train_settings(study, dataset)
    config = TrainConfig(**settings)
    assert (config.pad, config.warmup_epochs, config.flip, config.augment) == (
        4,
        warmup,
        flip,
        True,
    )
    assert config.select_epoch == "last"  # no test-set model selection unless asked for

    seen = []
    original = image_training.random_crop_flip

    def spy(batch, pad=4, flip=True, generator=None):
        seen.append((pad, flip))
        return original(batch, pad=pad, flip=flip, generator=generator)

    monkeypatch.setattr(image_training, "random_crop_flip", spy)
    images, labels = separable_images(n=32)
    torch.manual_seed(0)
    model = build_model("resnet8", 2)
    short = TrainConfig(**{**settings, "epochs": 1, "batch_size": 32})
    log = train_image_model(
        model, images, labels, build_loss("CE", [16, 16], total_epochs=1), short, CPU
    )
    assert seen == [(4, flip)]
    assert config.lr_at(0) == pytest.approx(config.lr / warmup)
    assert log["lr"].iloc[0] == pytest.approx(short.lr_at(0))  # the schedule reaches the loop
