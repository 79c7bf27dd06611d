"""Resampling class-size errors of the image study (../shared/cases/I2): they name the class by
folder name and index, its count, the rows needed and why, the space and the config key, and
are raised before any resampling; a library caller without class names keeps the registry's
message by index."""

import numpy as np
import pytest
import torch

import imbaug.pipeline.image_latent as image_latent
from imbaug.data.images import ImageSet
from imbaug.data.profiles import ClassSizeError
from imbaug.pipeline.image import ImageStudy, resample_pixels
from imbaug.pipeline.image_latent import resample_features
from imbaug.resampling import resample

CLASSES = ["cat", "dog"]
LABELS = torch.tensor([0] * 8 + [1])  # 'dog' (class 1) has 1 train row


def features(with_classes: bool = True) -> dict:
    found = {"train": torch.randn(9, 4, generator=torch.Generator().manual_seed(0))}
    found["train_labels"] = LABELS
    return found | ({"classes": CLASSES} if with_classes else {})


def study(*latent_methods) -> ImageStudy:
    return ImageStudy.from_config(
        {"k_neighbors": 3, "eos_k": [5], "latent_methods": list(latent_methods)},
        dataset="pets",
    )


@pytest.mark.parametrize(
    ("method", "needed", "why", "key"),
    [
        ("DSM", 4, "(k_neighbors=3 same-class neighbours + 1)", "config image.k_neighbors:"),
        ("EOS", 2, "(its minimum whatever the settings)", "config image.latent_methods:"),
    ],
)
def test_fe_error_names_class_count_need_space_and_key(method, needed, why, key):
    with pytest.raises(ClassSizeError) as error:
        resample_features(features(), study(method), 0)
    message = str(error.value)
    assert message.startswith(key)
    assert f"FE-space {method} needs at least {needed} train rows" in message
    assert why in message and "'dog' (class 1) has 1." in message
    assert "(config image.imbalance.pets.n_max / .ratio)" in message


def test_fe_check_runs_before_any_resampling(monkeypatch):
    calls = []
    monkeypatch.setattr(image_latent, "resample", lambda *a, **k: calls.append(a))
    with pytest.raises(ClassSizeError, match=r"FE-space DSM .* 'dog' \(class 1\) has 1"):
        resample_features(features(), study("ROS", "DSM"), 0)  # ROS fits; DSM does not
    assert calls == []


def test_fe_class_names_may_come_from_the_caller():
    with pytest.raises(ClassSizeError, match=r"'hound' \(class 1\) has 1"):
        resample_features(features(False), study("DSM"), 0, classes=["cat", "hound"])


def test_without_class_names_the_registrys_index_message_stands():
    with pytest.raises(ValueError, match=r"^DSM needs at least 4 rows of class 1 \(") as error:
        resample_features(features(False), study("DSM"), 0)
    assert not isinstance(error.value, ClassSizeError)
    with pytest.raises(ValueError, match=r"^EOS needs at least 2 rows of class 1; it has 1\.$"):
        resample("EOS", np.eye(9), LABELS.numpy(), random_state=0, eos_k=5)


@pytest.mark.parametrize(
    ("method", "key"), [("SMOTE", "config image.k_neighbors:"), ("EOS", "config image.methods:")]
)
def test_pixel_error_names_class_count_space_and_key(method, key):
    images = ImageSet(torch.zeros(9, 1, 2, 2, dtype=torch.uint8), LABELS, CLASSES)
    with pytest.raises(ClassSizeError) as error:
        resample_pixels(method, images, study(), 0)
    message = str(error.value)
    assert message.startswith(key) and f"pixel-space {method} needs at least" in message
    assert "'dog' (class 1) has 1." in message
    assert "(config image.imbalance.pets.n_max / .ratio)" in message


def test_classes_that_fit_pass_and_the_majority_is_never_short():
    labels = torch.tensor([0] * 4 + [1] * 4 + [2] * 2)  # class 2 (2 rows) fits EOS
    data = {"train": torch.randn(10, 3), "train_labels": labels, "classes": ["a", "b", "c"]}
    sets = resample_features(data, study("EOS"), 0)
    assert np.bincount(sets["EOS"]["y"].numpy()).tolist() == [4, 4, 4]
