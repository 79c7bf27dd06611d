"""The image workflow's model selection (image.train.select_epoch) and fixed per-dataset input
scaling (normalization.json of image_data), at library level."""

import json

import pytest
import torch

from imbaug.data.images import cut_train_set, load_image_source
from imbaug.data.normalization import (
    NORMALIZATION,
    channel_mean_std,
    load_normalization,
    save_normalization,
    source_normalization,
)
from imbaug.data.profiles import imbalance_of
from imbaug.metrics import score
from imbaug.pipeline.image import ImageStudy, resample_pixels, train_method
from imbaug.training.image import predict

CPU = torch.device("cpu")
TRAIN = {"epochs": 3, "batch_size": 64, "warmup_epochs": 1, "flip": False}


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def digits():
    """Embedded digits at 8x8: the whole train source, its exp 10:1 cut 0, and the test set."""
    source, test = load_image_source("digits", "unused", image_size=8, download=False)
    return source, cut_train_set(source, imbalance_of("digits", {}), 0), test


def _study(normalization=None, **train) -> ImageStudy:
    return ImageStudy.from_config(
        {"train": {**TRAIN, **train}, "k_neighbors": 5, "eos_k": [5]}, 0, normalization
    )


# ---------------------------------------------------------------------------------------------
# select_epoch


def test_default_selection_gives_one_last_row(digits):
    _, cut, test = digits
    model, log, rows, _ = train_method("resnet8", "CE", "Base", cut, test, _study(), 0, CPU)
    assert [row["selection"] for row in rows] == ["last"]
    assert "fm" not in log  # no test scoring during training by default
    assert (
        rows[0]["fm"]
        == score(test.labels.numpy(), predict(model, test.images, CPU).numpy(), 10)["fm"]
    )


def test_best_test_selection_adds_the_best_epochs_row(digits):
    _, cut, test = digits
    model, log, rows, _ = train_method(
        "resnet8", "CE", "Base", cut, test, _study(select_epoch="best_test_macro_f1"), 0, CPU
    )
    last, best = rows
    assert (last["selection"], best["selection"]) == ("last", "best_test_macro_f1")
    # the best row scores the epoch of the highest logged test macro-F1, the last row the last
    assert best["fm"] == pytest.approx(log["fm"].max()) and best["fm"] >= last["fm"]
    assert last["fm"] == pytest.approx(log["fm"].iloc[-1])
    # the model returned (for FE and latent stages) is the last epoch's
    assert (
        score(test.labels.numpy(), predict(model, test.images, CPU).numpy(), 10)["fm"] == last["fm"]
    )
    same = ["space", "method", "n_train", "n_synthetic", "fit_seconds", "resample_seconds"]
    assert all(last[key] == best[key] for key in same)


def test_best_test_selection_picks_an_earlier_epoch_when_it_was_better(digits):
    """A run whose test macro-F1 peaks before the last epoch (seen: epoch 3 of 6, 0.172 vs
    0.164 at the end): the best-test row scores that earlier epoch's weights."""
    _, cut, test = digits
    study = _study(select_epoch="best_test_macro_f1", epochs=6, lr=0.3, warmup_epochs=0)
    _, log, (last, best), _ = train_method("resnet8", "CE", "Base", cut, test, study, 0, CPU)
    assert log["fm"].idxmax() < len(log) - 1, log["fm"].tolist()  # the setting does what it should
    assert best["fm"] == pytest.approx(log["fm"].max()) and best["fm"] > last["fm"]


# ---------------------------------------------------------------------------------------------
# Fixed per-dataset input scaling


def test_source_normalization_is_the_published_or_the_whole_source_statistics(digits, tmp_path):
    source, cut, _ = digits
    cifar = source_normalization("cifar10", source)
    assert (tuple(cifar["input_mean"]), tuple(cifar["input_std"])) == NORMALIZATION["cifar10"]
    found = source_normalization("digits", source)
    mean, std = channel_mean_std(source.images)
    assert found["input_mean"] == pytest.approx(mean.tolist()) and found[
        "input_std"
    ] == pytest.approx(std.tolist())
    assert found["input_mean"] != pytest.approx(
        channel_mean_std(cut.images)[0].tolist()
    )  # the cut differs
    save_normalization(found, tmp_path / "normalization.json")
    assert load_normalization(tmp_path / "normalization.json") == {
        key: tuple(v) for key, v in found.items()
    }
    (tmp_path / "bad.json").write_text(json.dumps({"input_mean": [0.5]}))
    with pytest.raises(ValueError, match="bad.json lacks \\['input_std'\\]"):
        load_normalization(tmp_path / "bad.json")


def test_every_method_of_a_dataset_gets_the_same_input_scaling(digits):
    """Base trains on the cut, ROS on the over-sampled cut: different pixel statistics, but
    both models must scale their inputs by the dataset's fixed constants."""
    source, cut, test = digits
    normalization = source_normalization("digits", source)
    study = _study(normalization, epochs=1)
    models = {
        method: train_method("resnet8", "CE", method, cut, test, study, 0, CPU)[0]
        for method in ("Base", "ROS")
    }
    expected_mean = torch.tensor(normalization["input_mean"]).view(1, -1, 1, 1)
    expected_std = torch.tensor(normalization["input_std"]).view(1, -1, 1, 1)
    for method, model in models.items():
        assert torch.allclose(model.input_mean, expected_mean), method
        assert torch.allclose(model.input_std, expected_std), method
    # and the train sets' own statistics would have differed between the two methods
    ros_train, _ = resample_pixels("ROS", cut, study, 0)
    assert not torch.allclose(
        channel_mean_std(cut.images)[0], channel_mean_std(ros_train.images)[0]
    )
