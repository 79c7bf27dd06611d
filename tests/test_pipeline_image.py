"""One cut of the image study at library level: pixel resampling, training with an
input-space method, the three-phase latent framework, model records, cuts and profiles."""

import copy

import numpy as np
import pytest
import torch

from imbaug.data.images import cut_train_set, load_image_source
from imbaug.data.profiles import DEFAULT_IMBALANCE, imbalance_of
from imbaug.metrics import score
from imbaug.models import CosineHead
from imbaug.pipeline.image import (
    ImageStudy,
    model_from_record,
    model_record,
    resample_pixels,
    train_method,
)
from imbaug.pipeline.image_latent import (
    model_features,
    provenance_frame,
    resample_features,
    retrain_heads,
)
from imbaug.training.image import predict

CPU = torch.device("cpu")
TRAIN = {"epochs": 2, "batch_size": 64, "warmup_epochs": 1, "flip": False}


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    """Tiny models gain nothing from threads, and on a busy machine spinning OpenMP workers
    make them up to 100x slower; one thread keeps these tests fast (and still deterministic)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def digits():
    """Embedded digits at 8x8: the full train set, its exp 10:1 cut 0, and the test set."""
    train, test = load_image_source("digits", "unused", image_size=8, download=False)
    return train, cut_train_set(train, imbalance_of("digits", {}), 0), test


def study(**overrides) -> ImageStudy:
    return ImageStudy(
        **{
            "train": TRAIN,
            "head": {"epochs": 2},
            "k_neighbors": 5,
            "eos_k": (5,),
            "remix": {"alpha": 0.2, "kappa": 3.0, "tau": 0.5},
            **overrides,
        }
    )


# ---------------------------------------------------------------------------------------------
# Input space


@pytest.mark.parametrize("method", ["ROS", "SMOTE", "EOS"])
def test_resample_pixels_keeps_uint8_originals_first_and_balances(digits, method):
    _, cut, _ = digits
    n, majority = len(cut), max(cut.class_counts())
    out, result = resample_pixels(method, cut, study(), 0)
    assert out.images.dtype == torch.uint8 and out.labels.dtype == torch.int64
    assert tuple(out.images.shape) == (10 * majority, 1, 8, 8) and out.classes == cut.classes
    assert torch.equal(out.images[:n], cut.images) and torch.equal(out.labels[:n], cut.labels)
    assert out.class_counts() == [majority] * 10
    assert np.array_equal(result.y, out.labels.numpy())
    assert not result.synthetic[:n].any() and result.synthetic[n:].all()
    synthetic = out.images[n:].reshape(len(out) - n, -1).numpy().astype(np.float64)
    # rounded to the nearest integer (not truncated) and inside 0..255
    assert np.abs(synthetic - result.X[n:]).max() <= 0.5
    assert result.X[n:].min() >= 0 and result.X[n:].max() <= 255
    if method == "ROS":  # copies of originals
        assert (result.source_index[n:] >= 0).all()
        assert torch.equal(out.images[n:], cut.images[torch.from_numpy(result.source_index[n:])])
    else:  # interpolations: new pixel values, marked synthetic
        assert (result.source_index[n:] == -1).all()
        assert not np.allclose(result.X[n:], np.rint(result.X[n:]))


def test_smote_pixels_stay_between_their_class_extremes(digits):
    _, cut, _ = digits
    n = len(cut)
    out, _ = resample_pixels("SMOTE", cut, study(), 0)
    for label in range(10):
        originals = cut.images[cut.labels == label]
        new = out.images[n:][out.labels[n:] == label]
        assert len(new) == max(cut.class_counts()) - len(originals)
        if len(new):
            assert (new >= originals.min(dim=0).values).all()
            assert (new <= originals.max(dim=0).values).all()


def test_resample_pixels_depends_on_the_cut_seed(digits):
    _, cut, _ = digits
    first, _ = resample_pixels("SMOTE", cut, study(), 0)
    again, _ = resample_pixels("SMOTE", cut, study(), 0)
    other, _ = resample_pixels("SMOTE", cut, study(), 10)
    assert torch.equal(first.images, again.images)
    assert not torch.equal(first.images, other.images)


# ---------------------------------------------------------------------------------------------
# Model records


@pytest.mark.parametrize("loss", ["CE", "LDAM"])
def test_model_record_round_trip_gives_identical_predictions(digits, tmp_path, loss):
    _, cut, test = digits
    model, *_ = train_method(
        "resnet8", loss, "Base", cut, test, study(train={**TRAIN, "epochs": 1}), 0, CPU
    )
    assert isinstance(model.head, CosineHead) == (loss == "LDAM")
    torch.save(model_record(model, "resnet8", loss), tmp_path / "model.pt")
    record = torch.load(tmp_path / "model.pt", weights_only=True)
    assert {
        k: record[k] for k in ["arch", "loss", "num_classes", "in_channels", "cosine_head"]
    } == {
        "arch": "resnet8",
        "loss": loss,
        "num_classes": 10,
        "in_channels": 1,
        "cosine_head": loss == "LDAM",
    }
    clone = model_from_record(record).eval()
    assert type(clone.head) is type(model.head)
    # trained normalisation and BN statistics travel with the record
    assert torch.equal(clone.input_mean, model.input_mean) and not torch.all(model.input_mean == 0)
    x = test.images.float() / 255
    with torch.no_grad():
        assert torch.equal(clone(x), model.eval()(x))
    assert torch.equal(predict(clone, test.images, CPU), predict(model, test.images, CPU))


# ---------------------------------------------------------------------------------------------
# End-to-end training


def _state(model) -> dict:
    return {key: value.detach().clone() for key, value in model.state_dict().items()}


def _same_state(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[key], b[key]) for key in a)


@pytest.mark.parametrize("method", ["Base", "REMIX"])
def test_train_method_is_deterministic_on_cpu(digits, method):
    _, cut, test = digits
    runs = [train_method("resnet8", "CE", method, cut, test, study(), 0, CPU) for _ in range(2)]
    (model_a, log_a, (row_a,), prov_a), (model_b, log_b, (row_b,), _) = runs
    assert _same_state(_state(model_a), _state(model_b))
    for key in ["space", "method", "bac", "gm", "fm", "recall", "n_train", "n_synthetic"]:
        assert row_a[key] == row_b[key], key
    assert log_a["loss"].tolist() == log_b["loss"].tolist()
    assert len(log_a) == TRAIN["epochs"] and np.isfinite(log_a["loss"]).all()
    assert row_a["space"] == "input" and row_a["method"] == method and row_a["selection"] == "last"
    assert row_a["n_train"] == len(cut) and row_a["n_synthetic"] == 0  # no rows added
    assert (prov_a.source_index == np.arange(len(cut))).all()
    # the seed is the study seed + the cut: another cut trains other weights
    model_c, *_ = train_method("resnet8", "CE", method, cut, test, study(), 1, CPU)
    assert not _same_state(_state(model_a), _state(model_c))


def test_remix_changes_the_training(digits):
    _, cut, test = digits
    base, base_log, *_ = train_method("resnet8", "CE", "Base", cut, test, study(), 0, CPU)
    remix, remix_log, *_ = train_method("resnet8", "CE", "REMIX", cut, test, study(), 0, CPU)
    assert not _same_state(_state(base), _state(remix))
    assert base_log["loss"].tolist() != remix_log["loss"].tolist()


def test_train_method_with_smote_trains_on_the_balanced_set(digits):
    _, cut, test = digits
    majority = max(cut.class_counts())
    _, _, (row,), provenance = train_method("resnet8", "CE", "SMOTE", cut, test, study(), 0, CPU)
    assert row["n_train"] == 10 * majority and row["n_synthetic"] == 10 * majority - len(cut)
    assert np.bincount(provenance.y).tolist() == [majority] * 10
    assert 0 <= row["bac"] <= 1 and len(row["recall"]) == 10


# ---------------------------------------------------------------------------------------------
# Latent space (phases 2 and 3)


@pytest.fixture(scope="module")
def base_model(digits):
    _, cut, test = digits
    model, *_ = train_method("resnet8", "CE", "Base", cut, test, study(), 0, CPU)
    return model


def latent_methods(model, cut, test, settings, cut_seed, device, curve_epochs=0):
    """The three latent stages as the workflow chains them (features, FE sets, heads)."""
    features = model_features(model, cut, test, device)
    sets = resample_features(features, settings, cut_seed)
    rows, heads, curve = retrain_heads(
        model.head, sets, features, test, settings, cut_seed, device, curve_epochs=curve_epochs
    )
    return rows, features, heads, curve, sets


def test_latent_methods_one_row_per_method_and_k(digits, base_model):
    _, cut, test = digits
    n, majority = len(cut), max(cut.class_counts())
    head_before = _state(base_model.head)
    model_before = _state(base_model)
    settings = study(latent_methods=("EOS", "DSM", "ROS"), eos_k=(5, 10))
    names = ["EOS_K5", "EOS_K10", "DSM", "ROS"]
    rows, features, heads, curve, sets = latent_methods(base_model, cut, test, settings, 0, CPU)
    assert curve.empty  # no curve asked for
    for data in sets.values():  # phase 2: the Base FE first, then synthetic FE rows
        assert torch.equal(data["X"][:n], features["train"]) and data["synthetic"][n:].all()
        assert data["resample_seconds"] >= 0
    provenance = provenance_frame(sets)
    assert provenance.groupby("method", sort=False).size().to_dict() == {
        m: 10 * majority for m in names
    }

    assert [row["method"] for row in rows] == names and list(heads) == names
    assert all(row["space"] == "latent" for row in rows)
    assert all(
        row["n_train"] == 10 * majority and row["n_synthetic"] == 10 * majority - n for row in rows
    )
    assert not torch.equal(heads["EOS_K5"]["weight"], heads["EOS_K10"]["weight"])
    # the base model, head included, is left as it was
    assert _same_state(_state(base_model.head), head_before)
    assert _same_state(_state(base_model), model_before)

    dim = base_model.feature_dim
    assert features["classes"] == list(cut.classes)  # for resampling messages
    assert features["train"].shape == (n, dim) and features["test"].shape == (len(test), dim)
    assert torch.equal(features["train_labels"], cut.labels)
    assert torch.equal(features["test_labels"], test.labels)
    # the features are the base model's: its own head on them gives its predictions
    with torch.no_grad():
        assert torch.equal(
            base_model.head(features["test"]).argmax(1), predict(base_model, test.images, CPU)
        )

    for row in rows:
        head = copy.deepcopy(base_model.head)
        head.load_state_dict(heads[row["method"]])
        assert not _same_state(_state(head), head_before), row["method"]
        with torch.no_grad():
            y_pred = head(features["test"]).argmax(1)
        assert score(test.labels.numpy(), y_pred.numpy(), 10)["bac"] == pytest.approx(row["bac"])


def test_latent_methods_single_k_names_eos_plainly_and_retrains_a_cosine_head(digits):
    _, cut, test = digits
    model, *_ = train_method("resnet8", "LDAM", "Base", cut, test, study(), 0, CPU)
    weight_before = model.head.weight.detach().clone()
    rows, _, heads, _, _ = latent_methods(
        model, cut, test, study(latent_methods=("EOS", "DSM")), 0, CPU
    )
    assert [row["method"] for row in rows] == ["EOS", "DSM"]
    assert list(heads["EOS"]) == ["weight"]  # a cosine head has no bias
    assert not torch.equal(heads["EOS"]["weight"], weight_before)
    assert torch.equal(model.head.weight, weight_before)


def test_head_curve_logs_every_epoch_and_leaves_the_kept_head_unchanged(digits, base_model):
    """EOS paper Fig 7: training on to head_curve_epochs for the curve must not change the head
    that is kept and scored (the one after head.epochs, same shuffles)."""
    _, cut, test = digits
    settings = study(latent_methods=("EOS", "DSM"))
    rows, _, heads, curve, _ = latent_methods(base_model, cut, test, settings, 0, CPU)
    rows_c, _, heads_c, curve_c, _ = latent_methods(
        base_model, cut, test, settings, 0, CPU, curve_epochs=5
    )
    assert curve_c.groupby("method", sort=False).epoch.apply(list).to_dict() == {
        "EOS": [1, 2, 3, 4, 5],
        "DSM": [1, 2, 3, 4, 5],
    }
    for name in heads:
        assert all(torch.equal(heads[name][k], heads_c[name][k]) for k in heads[name]), name
    kept = curve_c[curve_c.epoch == 2].set_index("method").bac  # head epochs = 2
    assert (
        [row["bac"] for row in rows_c] == [row["bac"] for row in rows] == pytest.approx(list(kept))
    )


# ---------------------------------------------------------------------------------------------
# Cuts and imbalance profiles


def test_balanced_cut_has_equal_counts(digits):
    train, _, _ = digits
    smallest = min(train.class_counts())
    for seed in (0, 10):
        balanced = cut_train_set(train, imbalance_of("digits", {}), seed, balanced=True)
        assert balanced.class_counts() == [smallest] * 10
    a = cut_train_set(train, imbalance_of("digits", {}), 0, balanced=True)
    b = cut_train_set(train, imbalance_of("digits", {}), 10, balanced=True)
    assert not torch.equal(a.images, b.images)  # the cut seed picks the images


def test_natural_profile_returns_the_set_unchanged(digits):
    train, _, _ = digits
    kept = cut_train_set(train, {"profile": "natural"}, 10)
    assert torch.equal(kept.images, train.images) and torch.equal(kept.labels, train.labels)
    assert kept.classes == train.classes


def test_exp_and_step_cuts_follow_their_profiles(digits):
    train, cut, _ = digits
    n_max = min(train.class_counts())
    assert cut.class_counts() == [int(n_max * 0.1 ** (i / 9)) for i in range(10)]
    step = cut_train_set(train, {"profile": "step", "ratio": 4, "n_majority": 3}, 0)
    assert step.class_counts() == [n_max] * 3 + [n_max // 4] * 7
    # every kept image is one of the full set's, with its label
    rows = {(bytes(image.numpy()), int(label)) for image, label in zip(train.images, train.labels)}
    assert all(
        (bytes(image.numpy()), int(label)) in rows for image, label in zip(step.images, step.labels)
    )


def test_imbalance_of_merges_overrides():
    assert imbalance_of("digits", {}) == {"profile": "exp", "ratio": 10}
    assert imbalance_of("digits", {"digits": {"ratio": 50}}) == {"profile": "exp", "ratio": 50}
    assert imbalance_of("places365_5", {"places365_5": {"ratio": 20}}) == {
        "profile": "step",
        "ratio": 20,
        "n_majority": 2,
    }
    assert imbalance_of("cifar10", {"digits": {"ratio": 50}}) == {"profile": "exp", "ratio": 100}
    assert imbalance_of("mine", {}) == {"profile": "natural"}  # user folders: as they are
    assert imbalance_of("mine", {"mine": {"profile": "exp", "ratio": 5}}) == {
        "profile": "exp",
        "ratio": 5,
    }
    assert DEFAULT_IMBALANCE["digits"] == {"profile": "exp", "ratio": 10}  # defaults not mutated
