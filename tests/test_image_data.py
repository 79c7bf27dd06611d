"""Image data: imbalance profiles, ImageSet files, and every loader on tiny files written here.

No test touches the network: an autouse fixture makes every connection attempt fail, and the
torchvision loaders run on miniature copies of each dataset's on-disk format. Those copies
cannot match torchvision's MD5 checksums, so tests that need them swap the dataset module's
``check_integrity`` for a file-exists check.
"""

from __future__ import annotations

import os
import pickle
import re
import socket
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
import scipy.io
import torch
import torchvision.datasets.celeba
import torchvision.datasets.cifar
import torchvision.datasets.places365
import torchvision.datasets.svhn
from PIL import Image

from imbaug.data.images import (
    IMAGE_DATASETS,
    ImageDataError,
    ImageSet,
    load_image_source,
    make_imbalanced,
    resize_images,
)
from imbaug.data.profiles import imbalance_counts, imbalanced_indices

CIFAR10_LT100 = [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Every URL open or socket connection fails like an offline machine; calls are recorded."""
    attempts: list[str] = []

    def refuse_url(request, *args, **kwargs):
        attempts.append(getattr(request, "full_url", str(request)))
        raise urllib.error.URLError("network disabled in tests")

    def refuse_socket(*args, **kwargs):
        attempts.append(str(args[1:]))
        raise OSError("network disabled in tests")

    monkeypatch.setattr(urllib.request, "urlopen", refuse_url)
    monkeypatch.setattr(socket.socket, "connect", refuse_socket)
    monkeypatch.setattr(socket, "getaddrinfo", refuse_socket)  # no DNS look-ups either
    return attempts


@pytest.fixture
def accept_tiny_files(monkeypatch):
    """Let torchvision accept the miniature dataset files (their MD5s cannot match)."""

    def exists(fpath, md5=None):
        return os.path.isfile(fpath)

    for module in (
        torchvision.datasets.cifar,
        torchvision.datasets.svhn,
        torchvision.datasets.celeba,
        torchvision.datasets.places365,
    ):
        monkeypatch.setattr(module, "check_integrity", exists)


def solid_image(path: Path, colour, size=(20, 14), mode="RGB") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size, colour).save(path)


def assert_solid(image: torch.Tensor, colour, tolerance: int = 0) -> None:
    expected = torch.tensor(colour, dtype=torch.int16).view(3, 1, 1)
    assert (image.to(torch.int16) - expected).abs().max().item() <= tolerance


# --- profiles --------------------------------------------------------------------------------


def test_exponential_profile_matches_cifar10_lt_100():
    counts = imbalance_counts(5000, 10, "exp", 100)
    assert counts == CIFAR10_LT100
    assert sum(counts) == 12406


def test_exponential_profile_cifar100_ratio_10():
    counts = imbalance_counts(500, 100, "exp", 10)
    assert len(counts) == 100
    assert counts[:3] == [500, 488, 477] and counts[-3:] == [52, 51, 50]
    assert all(a >= b for a, b in zip(counts, counts[1:]))


def test_step_and_none_profiles():
    assert imbalance_counts(5000, 5, "step", 10, n_majority=2) == [5000, 5000, 500, 500, 500]
    assert imbalance_counts(100, 4, "step", 5) == [100, 100, 20, 20]  # default C // 2 majority
    assert imbalance_counts(300, 3, "none", 1) == [300, 300, 300]


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        ((100, 10, "linear", 10), {}, "unknown imbalance profile 'linear'"),
        ((100, 10, "exp", 0.5), {}, "ratio must be >= 1"),
        ((0, 10, "exp", 10), {}, "n_max must be a positive integer"),
        ((100, 10, "exp", 1000), {}, "too large"),
        ((100, 4, "step", 10), {"n_majority": 5}, "n_majority must be an integer in 1..4"),
    ],
)
def test_profile_errors_name_the_problem(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        imbalance_counts(*args, **kwargs)


def test_imbalanced_indices_per_seed():
    labels = np.random.default_rng(3).permutation(np.repeat(np.arange(3), [100, 80, 60]))
    first = imbalanced_indices(labels, [50, 20, 5], seed=0)
    assert np.array_equal(first, imbalanced_indices(labels, [50, 20, 5], seed=0))
    assert not np.array_equal(first, imbalanced_indices(labels, [50, 20, 5], seed=10))
    assert np.all(np.diff(first) > 0)  # sorted, no repeats
    assert np.bincount(labels[first]).tolist() == [50, 20, 5]


def test_imbalanced_indices_refuses_too_few_rows():
    labels = np.repeat(np.arange(3), [10, 10, 3])
    with pytest.raises(ValueError, match="class 2 has 3 rows but 5 were asked for"):
        imbalanced_indices(labels, [5, 5, 5], seed=0)


# --- ImageSet and make_imbalanced ------------------------------------------------------------


def numbered_set(counts: list[int]) -> ImageSet:
    """Row i is a 1x1x1 image holding i % 256; labels are in blocks of ``counts``."""
    n = sum(counts)
    images = (torch.arange(n) % 256).to(torch.uint8).view(n, 1, 1, 1)
    labels = torch.repeat_interleave(torch.arange(len(counts)), torch.tensor(counts))
    return ImageSet(images, labels, [f"c{i}" for i in range(len(counts))])


def test_make_imbalanced_cifar10_sized_set():
    train = numbered_set([5000] * 10)
    cut = make_imbalanced(train, "exp", 100, cut_seed=0)
    assert cut.class_counts() == CIFAR10_LT100
    assert cut.classes == train.classes
    balanced = make_imbalanced(train, "none", 1, cut_seed=0, n_max=1000)
    assert balanced.class_counts() == [1000] * 10


def test_make_imbalanced_keeps_rows_and_depends_on_seed():
    train = numbered_set([60, 50, 40])
    cut = make_imbalanced(train, "exp", 10, cut_seed=10)
    assert cut.class_counts() == [40, 12, 4]  # n_max = smallest class
    original_label = train.labels[cut.images.flatten().long()]  # N < 256: pixel = original row
    assert torch.equal(original_label, cut.labels)
    again = make_imbalanced(train, "exp", 10, cut_seed=10)
    other = make_imbalanced(train, "exp", 10, cut_seed=100)
    assert torch.equal(cut.images, again.images)
    assert not torch.equal(cut.images, other.images)
    step = make_imbalanced(train, "step", 4, cut_seed=0, n_majority=1)
    assert step.class_counts() == [40, 10, 10]
    with pytest.raises(ValueError, match=r"'c2' \(class 2\) has 40 train images, 50 needed"):
        make_imbalanced(train, "none", 1, cut_seed=0, n_max=50)


def test_imageset_validates_its_fields():
    with pytest.raises(ValueError, match="uint8"):
        ImageSet(torch.zeros(2, 1, 4, 4), torch.zeros(2, dtype=torch.int64), ["a"])
    with pytest.raises(ValueError, match="labels must lie in 0..1"):
        ImageSet(torch.zeros(2, 1, 4, 4, dtype=torch.uint8), torch.tensor([0, 2]), ["a", "b"])


def test_imageset_save_load_roundtrip(tmp_path):
    rng = np.random.default_rng(0)
    big = ImageSet(
        torch.from_numpy(rng.integers(0, 256, (40, 3, 8, 8), dtype=np.uint8)),
        torch.from_numpy(rng.integers(0, 3, 40)),
        ["x", "y", "z"],
    )
    part = ImageSet(big.images[:4], big.labels[:4], big.classes)  # views into a larger storage
    path = tmp_path / "sets" / "part.pt"
    part.save(path)
    loaded = ImageSet.load(path)
    assert torch.equal(loaded.images, part.images) and loaded.images.dtype == torch.uint8
    assert torch.equal(loaded.labels, part.labels) and loaded.labels.dtype == torch.int64
    assert loaded.classes == ["x", "y", "z"]
    assert loaded.class_counts() == torch.bincount(part.labels, minlength=3).tolist()
    assert os.listdir(path.parent) == ["part.pt"]  # no temporary file left behind
    assert path.stat().st_size < big.images.nbytes  # only the 4 rows were written


def test_corrupt_or_foreign_files_give_clear_errors(tmp_path):
    truncated = tmp_path / "truncated.pt"
    numbered_set([3, 3]).save(truncated)
    truncated.write_bytes(truncated.read_bytes()[:100])
    with pytest.raises(ValueError, match="truncated.pt is not a readable ImageSet file"):
        ImageSet.load(truncated)
    foreign = tmp_path / "foreign.pt"
    torch.save({"weights": torch.zeros(3)}, foreign)
    with pytest.raises(ValueError, match=r"foreign.pt is not an ImageSet file.*\['weights'\]"):
        ImageSet.load(foreign)
    wrong_dtype = tmp_path / "floats.pt"
    torch.save(
        {
            "images": torch.zeros(2, 1, 2, 2),
            "labels": torch.zeros(2, dtype=torch.int64),
            "classes": ["a"],
        },
        wrong_dtype,
    )
    with pytest.raises(ValueError, match="floats.pt holds an invalid ImageSet: .*uint8"):
        ImageSet.load(wrong_dtype)


# --- embedded digits -------------------------------------------------------------------------


def test_digits_loader_offline(tmp_path, no_network):
    train, test = load_image_source("digits", tmp_path / "unused", image_size=32)
    assert train.images.shape == (1198, 1, 32, 32) and test.images.shape == (599, 1, 32, 32)
    assert train.images.dtype == torch.uint8 and train.labels.dtype == torch.int64
    assert train.classes == [str(d) for d in range(10)]
    assert train.images.min().item() == 0 and train.images.max().item() == 255
    totals = np.add(train.class_counts(), test.class_counts())
    assert totals.sum() == 1797
    assert all(
        abs(t - total / 3) <= 1 for t, total in zip(test.class_counts(), totals)
    )  # stratified
    assert no_network == []

    native, _ = load_image_source("digits", tmp_path, image_size=8)
    levels = {round(v * 255 / 16) for v in range(17)}
    assert set(native.images.unique().tolist()) <= levels
    # the same rows at both sizes: the 32 px set is the 8 px set upsampled without antialiasing
    assert torch.equal(resize_images(native.images, 32, antialias=False), train.images)
    assert torch.equal(native.labels, train.labels)


def test_unknown_name_and_catalogue():
    assert {
        "digits",
        "cifar10",
        "cifar100",
        "svhn",
        "celeba_hair",
        "places365_5",
        "inat2017_5",
        "imagefolder",
    } == set(IMAGE_DATASETS)
    with pytest.raises(
        ValueError, match="unknown image dataset 'mnist'; valid names: digits, cifar10"
    ):
        load_image_source("mnist", "data")
    with pytest.raises(ValueError, match="needs path"):
        load_image_source("imagefolder", "data")


# --- ImageFolder trees -----------------------------------------------------------------------

FOLDER_COLOURS = {"cat": (200, 30, 10), "dog": (77, 77, 77), "emu": (5, 120, 250)}


def write_image_folder(root: Path, test_classes=("cat", "dog", "emu")) -> None:
    for part, classes in (("train", ("cat", "dog", "emu")), ("test", test_classes)):
        for name in classes:
            colour = FOLDER_COLOURS.get(name, (1, 2, 3))
            solid_image(root / part / name / "a.png", colour, size=(20, 14))
            solid_image(root / part / name / "b.png", colour, size=(7, 40))
    solid_image(root / "train" / "dog" / "grey.png", 77, size=(9, 9), mode="L")
    solid_image(root / "train" / "emu" / "alpha.png", (*FOLDER_COLOURS["emu"], 128), mode="RGBA")
    solid_image(root / "train" / "cat" / "big.jpg", FOLDER_COLOURS["cat"], size=(600, 400))


def test_image_folder_loads_resized_rgb_with_labels(tmp_path):
    write_image_folder(tmp_path / "mine")
    train, test = load_image_source(
        "my_images", tmp_path / "unused", image_size=16, path=tmp_path / "mine"
    )
    assert train.classes == test.classes == ["cat", "dog", "emu"]
    assert train.images.shape == (9, 3, 16, 16) and test.images.shape == (6, 3, 16, 16)
    assert train.class_counts() == [3, 3, 3] and test.class_counts() == [2, 2, 2]
    for images, labels in ((train.images, train.labels), (test.images, test.labels)):
        for image, label in zip(images, labels):
            colour = FOLDER_COLOURS[train.classes[label]]
            assert_solid(image, colour, tolerance=3)  # 3: the JPEG; PNGs come out exact
    assert torch.equal(
        load_image_source("x", "unused", image_size=16, path=tmp_path / "mine")[0].images,
        train.images,
    )


def test_image_folder_class_mismatch_and_missing_tree(tmp_path):
    write_image_folder(tmp_path / "mine", test_classes=("cat", "emu", "fox"))
    with pytest.raises(ValueError, match=r"only in train \['dog'\], only in test \['fox'\]"):
        load_image_source("imagefolder", "unused", path=tmp_path / "mine")
    with pytest.raises(ImageDataError, match="train/<class>/<image files>"):
        load_image_source("imagefolder", "unused", path=tmp_path / "nothing")


# --- CIFAR and SVHN on tiny files ------------------------------------------------------------


def write_cifar_batches(
    folder: Path, batches: dict[str, int], label_key: str, n_classes: int, rng
) -> dict[str, tuple[np.ndarray, list[int]]]:
    """Pickled batches as torchvision reads them: rows of 3072 bytes, channel-major."""
    folder.mkdir(parents=True)
    written = {}
    for name, n in batches.items():
        data = rng.integers(0, 256, (n, 3072), dtype=np.uint8)
        labels = rng.integers(0, n_classes, n).tolist()
        with open(folder / name, "wb") as f:
            pickle.dump({"data": data, label_key: labels}, f)
        written[name] = (data.reshape(-1, 3, 32, 32), labels)
    return written


def write_tiny_cifar10(root: Path) -> tuple[np.ndarray, list[int], np.ndarray, list[int]]:
    folder = root / "cifar-10-batches-py"
    batches = {f"data_batch_{i}": 2 for i in range(1, 6)} | {"test_batch": 3}
    written = write_cifar_batches(folder, batches, "labels", 10, np.random.default_rng(1))
    with open(folder / "batches.meta", "wb") as f:
        pickle.dump({"label_names": [f"class{i}" for i in range(10)]}, f)
    train_images = np.concatenate([written[f"data_batch_{i}"][0] for i in range(1, 6)])
    train_labels = sum((written[f"data_batch_{i}"][1] for i in range(1, 6)), [])
    return train_images, train_labels, *written["test_batch"]


def test_cifar10_loader_reads_torchvision_files(tmp_path, accept_tiny_files):
    train_images, train_labels, test_images, test_labels = write_tiny_cifar10(tmp_path)
    train, test = load_image_source("cifar10", tmp_path, download=False)
    assert torch.equal(train.images, torch.from_numpy(train_images))  # native 32 px: untouched
    assert train.labels.tolist() == train_labels and train.images.is_contiguous()
    assert torch.equal(test.images, torch.from_numpy(test_images))
    assert test.labels.tolist() == test_labels
    assert train.classes == [f"class{i}" for i in range(10)]
    small, _ = load_image_source("cifar10", tmp_path, download=False, image_size=16)
    assert small.images.shape == (10, 3, 16, 16) and small.images.dtype == torch.uint8
    assert torch.equal(small.images, resize_images(train.images, 16))


def test_cifar100_loader_reads_fine_labels(tmp_path, accept_tiny_files):
    folder = tmp_path / "cifar-100-python"
    written = write_cifar_batches(
        folder, {"train": 4, "test": 2}, "fine_labels", 100, np.random.default_rng(2)
    )
    with open(folder / "meta", "wb") as f:
        pickle.dump({"fine_label_names": [f"fine{i}" for i in range(100)]}, f)
    train, test = load_image_source("cifar100", tmp_path, download=False)
    assert torch.equal(train.images, torch.from_numpy(written["train"][0]))
    assert train.labels.tolist() == written["train"][1]
    assert test.labels.tolist() == written["test"][1]
    assert len(train.classes) == 100 and train.classes[7] == "fine7"


def test_svhn_loader_maps_label_10_to_digit_0(tmp_path, accept_tiny_files):
    rng = np.random.default_rng(4)
    arrays = {}
    for part, labels in (("train", [10, 1, 5, 10, 9]), ("test", [3, 10])):
        x = rng.integers(0, 256, (32, 32, 3, len(labels)), dtype=np.uint8)
        scipy.io.savemat(
            tmp_path / f"{part}_32x32.mat",
            {"X": x, "y": np.array(labels, dtype=np.uint8).reshape(-1, 1)},
        )
        arrays[part] = x
    train, test = load_image_source("svhn", tmp_path, download=False)
    assert train.labels.tolist() == [0, 1, 5, 0, 9] and test.labels.tolist() == [3, 0]
    assert torch.equal(train.images, torch.from_numpy(arrays["train"].transpose(3, 2, 0, 1).copy()))
    assert train.classes == [str(d) for d in range(10)]


def test_missing_cifar_offline_names_dataset_and_folder(tmp_path):
    with pytest.raises(ImageDataError) as caught:
        load_image_source("cifar10", tmp_path, download=False)
    message = str(caught.value)
    assert "'cifar10'" in message and str(tmp_path.resolve()) in message
    assert "cifar-10-batches-py/" in message and "needs network access" in message


DOWNLOADABLE = ["cifar10", "cifar100", "svhn", "celeba_hair", "places365_5", "inat2017_5"]


@pytest.mark.parametrize("name", DOWNLOADABLE)
@pytest.mark.parametrize("download", [False, True])
def test_every_source_fails_offline_with_image_data_error(tmp_path, name, download):
    root = tmp_path / "data root"
    with pytest.raises(ImageDataError) as caught:
        load_image_source(name, root, download=download)
    message = str(caught.value)
    assert f"'{name}'" in message and str(root.resolve()) in message
    assert "Expected there:" in message and f"download is {str(download).lower()}" in message


def test_failed_download_raises_image_data_error(tmp_path, no_network):
    with pytest.raises(ImageDataError, match="'cifar100'") as caught:
        load_image_source("cifar100", tmp_path, download=True)
    assert isinstance(caught.value.__cause__, OSError)  # the URLError from the refused download
    assert any("cifar-100-python.tar.gz" in url for url in no_network)  # a download was attempted
    assert "download is true" in str(caught.value)


@pytest.mark.parametrize("name", ["cifar10", "svhn"])
def test_failed_download_leaves_no_folder_behind(tmp_path, no_network, name):
    root = tmp_path / "shared" / "data" / "images"  # a root outside the project, not there yet
    with pytest.raises(ImageDataError, match=rf"'{name}'.*\n.*Expected there"):
        load_image_source(name, root, download=True)
    assert no_network  # a download was attempted (and refused)
    assert list(tmp_path.iterdir()) == []


# --- CelebA, Places365, iNaturalist on tiny trees --------------------------------------------

# A subset of CelebA's 40 attributes in the file's column order, which differs from class order.
CELEBA_ATTRIBUTES = ["Bald", "Black_Hair", "Blond_Hair", "Brown_Hair", "Gray_Hair", "Male"]
CLASS_COLOURS = [(250, 0, 0), (0, 250, 0), (0, 0, 250), (250, 250, 0), (0, 250, 250)]


def write_tiny_celeba(root: Path) -> None:
    # (split, hair attributes set); rows with zero or two hair attributes must be dropped
    rows = [
        (0, {"Black_Hair"}),
        (0, {"Brown_Hair", "Blond_Hair"}),
        (0, {"Brown_Hair"}),
        (0, set()),
        (0, {"Bald"}),
        (0, {"Gray_Hair"}),
        (1, {"Blond_Hair"}),
        (2, {"Blond_Hair"}),
        (2, {"Black_Hair"}),
    ]
    hair_order = ["Black_Hair", "Brown_Hair", "Blond_Hair", "Gray_Hair", "Bald"]
    folder = root / "celeba"
    names = [f"{i + 1:06d}.jpg" for i in range(len(rows))]
    attr_lines, partition_lines = [], []
    for name, (split, hair) in zip(names, rows):
        partition_lines.append(f"{name} {split}")
        attr_lines.append(
            name + " " + " ".join("1" if a in hair else "-1" for a in CELEBA_ATTRIBUTES)
        )
        colour = CLASS_COLOURS[hair_order.index(next(iter(hair)))] if len(hair) == 1 else (9, 9, 9)
        solid_image(folder / "img_align_celeba" / name, colour, size=(178, 218))
    n = len(names)
    (folder / "list_eval_partition.txt").write_text("\n".join(partition_lines) + "\n")
    (folder / "identity_CelebA.txt").write_text("\n".join(f"{m} 1" for m in names) + "\n")
    (folder / "list_attr_celeba.txt").write_text(
        f"{n}\n{' '.join(CELEBA_ATTRIBUTES)}\n" + "\n".join(attr_lines) + "\n"
    )
    (folder / "list_bbox_celeba.txt").write_text(
        f"{n}\nimage_id x_1 y_1 width height\n" + "\n".join(f"{m} 1 2 3 4" for m in names) + "\n"
    )
    (folder / "list_landmarks_align_celeba.txt").write_text(
        f"{n}\nlefteye_x lefteye_y righteye_x righteye_y nose_x nose_y leftmouth_x leftmouth_y "
        "rightmouth_x rightmouth_y\n"
        + "\n".join(f"{m} " + " ".join(["5"] * 10) for m in names)
        + "\n"
    )


def assert_labels_match_colours(image_set: ImageSet) -> None:
    for image, label in zip(image_set.images, image_set.labels):
        assert_solid(image, CLASS_COLOURS[label], tolerance=4)  # JPEG of a solid colour


def test_celeba_hair_keeps_single_attribute_faces(tmp_path, accept_tiny_files):
    write_tiny_celeba(tmp_path)
    train, test = load_image_source("celeba_hair", tmp_path, download=False, image_size=24)
    assert train.classes == ["black", "brown", "blond", "gray", "bald"]
    assert train.labels.tolist() == [0, 1, 4, 3] and test.labels.tolist() == [2, 0]
    assert train.images.shape == (4, 3, 24, 24)
    assert_labels_match_colours(train)
    assert_labels_match_colours(test)


def write_tiny_places(root: Path, with_images: bool = True) -> None:
    categories = [
        "/a/airfield",
        "/a/alley",
        "/a/amusement_park",
        "/a/aquarium",
        "/b/bakery/shop",
        "/b/barn",
        "/b/baseball_field",
    ]
    (root / "categories_places365.txt").parent.mkdir(parents=True, exist_ok=True)
    (root / "categories_places365.txt").write_text(
        "".join(f"{c} {i}\n" for i, c in enumerate(categories))
    )
    label_of = {
        "/a/airfield": 0,
        "/a/amusement_park": 1,
        "/a/aquarium": 2,
        "/b/baseball_field": 3,
        "/b/barn": 4,
    }
    train = [
        "/a/airfield",
        "/a/alley",
        "/b/barn",
        "/b/baseball_field",
        "/a/aquarium",
        "/a/amusement_park",
        "/b/bakery/shop",
        "/b/barn",
    ]
    val = ["/b/barn", "/a/alley", "/a/airfield"]
    train_lines, val_lines = [], []
    for i, category in enumerate(train):
        image = f"{category}/{i:08d}.jpg"
        train_lines.append(f"{image} {categories.index(category)}")
        if with_images:
            solid_image(
                root / "data_256_standard" / image.lstrip("/"),
                CLASS_COLOURS[label_of.get(category, 0)],
                size=(256, 256),
            )
    for i, category in enumerate(val):
        image = f"Places365_val_{i:08d}.jpg"
        val_lines.append(f"{image} {categories.index(category)}")
        if with_images:
            solid_image(
                root / "val_256" / image, CLASS_COLOURS[label_of.get(category, 0)], size=(256, 256)
            )
    (root / "places365_train_standard.txt").write_text("\n".join(train_lines) + "\n")
    (root / "places365_val.txt").write_text("\n".join(val_lines) + "\n")


def test_places365_five_classes_in_listed_order(tmp_path, accept_tiny_files):
    write_tiny_places(tmp_path)
    train, test = load_image_source("places365_5", tmp_path, download=False)
    assert train.classes == ["airfield", "amusement_park", "aquarium", "baseball_field", "barn"]
    assert train.labels.tolist() == [0, 4, 3, 2, 1, 4] and test.labels.tolist() == [4, 0]
    assert train.images.shape == (6, 3, 32, 32)
    assert_labels_match_colours(train)
    assert_labels_match_colours(test)


def test_places365_without_images_is_an_image_data_error(tmp_path, accept_tiny_files):
    write_tiny_places(tmp_path, with_images=False)
    with pytest.raises(ImageDataError, match="data_256_standard"):
        load_image_source("places365_5", tmp_path, download=False)


def write_tiny_inat(root: Path) -> None:
    supers = {"Plantae": 0, "Insecta": 1, "Aves": 2, "Reptilia": 3, "Mammalia": 4, "Fungi": None}
    for super_category, label in supers.items():
        colour = (9, 9, 9) if label is None else CLASS_COLOURS[label]
        for i in range(5):  # two species per super-category, files of different sizes
            solid_image(
                root / "2017" / super_category / f"species_{i % 2}" / f"{i}.jpg",
                colour,
                size=(60 + 10 * i, 50),
            )


def test_inat2017_holds_out_a_stratified_fifth(tmp_path):
    write_tiny_inat(tmp_path)
    train, test = load_image_source("inat2017_5", tmp_path, download=False, image_size=8)
    assert train.classes == ["plant", "insect", "bird", "reptile", "mammal"]
    assert train.class_counts() == [4] * 5 and test.class_counts() == [1] * 5
    assert_labels_match_colours(train)
    assert_labels_match_colours(test)
    again_train, again_test = load_image_source(
        "inat2017_5", tmp_path, download=False, image_size=8
    )
    assert torch.equal(again_test.images, test.images) and torch.equal(
        again_train.labels, train.labels
    )


def test_inat2017_missing_folder_is_an_image_data_error(tmp_path):
    with pytest.raises(ImageDataError, match=r"'inat2017_5'.*\n.*2017/<SuperCategory>"):
        load_image_source("inat2017_5", tmp_path, download=False)


def test_every_builtin_image_source_has_a_default_imbalance():
    # The workflow validates dataset names against DEFAULT_IMBALANCE without importing torch.
    from imbaug.data.images import IMAGE_DATASETS
    from imbaug.data.profiles import DEFAULT_IMBALANCE

    assert set(IMAGE_DATASETS) - {"imagefolder"} == set(DEFAULT_IMBALANCE)


# --- ImageFolder trees as users leave them (cases I2, I3) ------------------------------------


def add_hidden_entries(root: Path) -> None:
    """What Jupyter and macOS leave behind: checkpoint folders, .DS_Store, AppleDouble files."""
    for part in ("train", "test"):
        solid_image(root / part / ".ipynb_checkpoints" / "a-checkpoint.png", (1, 1, 1))
        (root / part / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    solid_image(root / "train" / "cat" / ".ipynb_checkpoints" / "a-checkpoint.png", (1, 1, 1))
    (root / "train" / "dog" / "._a.png").write_bytes(b"\x00\x05\x16\x07 AppleDouble, not a PNG")


def test_hidden_folders_and_files_are_never_classes_or_images(tmp_path, caplog):
    write_image_folder(tmp_path / "mine")
    add_hidden_entries(tmp_path / "mine")
    with caplog.at_level("INFO", logger="imbaug.data"):
        train, test = load_image_source("mine", "unused", image_size=8, path=tmp_path / "mine")
    assert train.classes == test.classes == ["cat", "dog", "emu"]
    assert train.class_counts() == [3, 3, 3] and test.class_counts() == [2, 2, 2]
    skipped = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any(
        "skipped 4 hidden" in m and ".ipynb_checkpoints" in m and "dog/._a.png" in m
        for m in skipped
    ), skipped
    assert (
        "train 9 images (cat: 3, dog: 3, emu: 3); test 6 images (cat: 2, dog: 2, emu: 2)"
        in caplog.text
    )


def truncated_jpeg(path: Path) -> None:
    """A noise JPEG cut in half: its header is whole, its pixel data stops midway."""
    noise = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    Image.fromarray(noise).save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def png_with_bad_checksum(path: Path) -> None:
    """A PNG whose pixels decode but whose IDAT checksum is wrong: only ``verify`` sees it."""
    solid_image(path, (10, 200, 30))
    data = bytearray(path.read_bytes())
    start = data.index(b"IDAT")
    length = int.from_bytes(data[start - 4 : start], "big")
    data[start + 4 + length] ^= 0xFF  # first CRC byte
    path.write_bytes(bytes(data))


def test_every_unreadable_image_is_named_in_one_message(tmp_path):
    root = tmp_path / "mine"
    write_image_folder(root)
    (root / "train" / "dog" / "empty.jpg").write_bytes(b"")  # an interrupted copy
    truncated_jpeg(root / "train" / "cat" / "half.jpg")
    (root / "test" / "emu" / "error.png").write_text("<html><body>404 Not Found</body></html>")
    png_with_bad_checksum(root / "train" / "emu" / "crc.png")
    with pytest.raises(ImageDataError) as error:
        load_image_source("mine", "unused", image_size=8, path=root)
    message = str(error.value)
    assert message.startswith("4 of 19 image files cannot be read")
    for name, reason in (
        ("dog/empty.jpg", "cannot identify"),
        ("cat/half.jpg", "truncated"),
        ("emu/error.png", "cannot identify"),
        ("emu/crc.png", "checksum"),
    ):
        assert re.search(rf"{re.escape(name)}: \w+: .*{reason}", message, re.I), (name, message)


def test_truncated_images_fail_even_when_pil_is_told_to_accept_them(tmp_path, monkeypatch):
    from PIL import ImageFile

    from imbaug.data.images import read_image_file

    truncated_jpeg(tmp_path / "half.jpg")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # set by some other library
    with pytest.raises(OSError, match="(?i)truncated"):
        read_image_file(tmp_path / "half.jpg", 8)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # the caller's setting is restored


# --- paper cuts: iNaturalist (DA paper Table II), CelebA 40:1, n_max, test_per_class ----------


def test_inaturalist_cut_and_test_sample_follow_da_table_2():
    from imbaug.data.images import cut_train_set, sample_test_set
    from imbaug.data.profiles import DEFAULT_IMBALANCE

    spec = DEFAULT_IMBALANCE["inat2017_5"]
    pool = numbered_set([9000, 8000, 7000, 6500, 6300])  # every class larger than it keeps
    for cut in (0, 10, 100):
        assert cut_train_set(pool, spec, cut).class_counts() == [6250, 6250, 1250, 1250, 1250]
    assert cut_train_set(pool, spec, 0, balanced=True).class_counts() == [6250] * 5
    test = sample_test_set(numbered_set([2000, 1800, 600, 400, 300]), spec["test_per_class"])
    assert test.class_counts() == [500, 500, 250, 250, 250]


def test_celeba_is_cut_to_40_to_1():
    from imbaug.data.images import cut_train_set
    from imbaug.data.profiles import DEFAULT_IMBALANCE

    natural = numbered_set([9000, 7000, 6000, 1500, 1200])  # black .. bald, about 7.5:1
    counts = cut_train_set(natural, DEFAULT_IMBALANCE["celeba_hair"], 0).class_counts()
    assert counts == [1200, 477, 189, 75, 30] and counts[0] / counts[-1] == 40
    bigger = cut_train_set(natural, {**DEFAULT_IMBALANCE["celeba_hair"], "n_max": 4000}, 0)
    assert bigger.class_counts() == [4000, 1590, 632, 251, 100]


def test_test_per_class_errors_name_the_classes():
    from imbaug.data.images import sample_test_set

    test = numbered_set([10, 10, 3])
    assert sample_test_set(test, 3).class_counts() == [3, 3, 3]
    with pytest.raises(ValueError, match=r"'c2' \(class 2\) has 3 test images, 4 needed"):
        sample_test_set(test, [4, 4, 4])
    with pytest.raises(ValueError, match=r"2 counts \[4, 4\] for 3 classes \['c0', 'c1', 'c2'\]"):
        sample_test_set(test, [4, 4])


def test_inat2017_loader_draws_test_per_class(tmp_path):
    write_tiny_inat(tmp_path)
    train, test = load_image_source(
        "inat2017_5", tmp_path, download=False, image_size=8, test_per_class=1
    )
    assert test.class_counts() == [1] * 5 and train.class_counts() == [4] * 5
    with pytest.raises(
        ValueError,
        match=r"^config image\.imbalance\.inat2017_5\.test_per_class: "
        r"'plant' \(class 0\) has 1 test image, 2 needed",
    ):
        load_image_source("inat2017_5", tmp_path, download=False, image_size=8, test_per_class=2)


def test_class_size_errors_of_the_jobs_name_the_folder_class(tmp_path):
    """The data and cut jobs' class-size messages (a built-in dataset's, whose sizes the config
    check cannot know): class name and index, count, count needed and the config key."""
    from imbaug.data.images import cut_train_set
    from imbaug.data.profiles import ClassSizeError

    write_image_folder(tmp_path / "mine")  # train: cat, dog, emu 3 images each; test: 2 each
    with pytest.raises(ClassSizeError) as error:
        load_image_source(
            "mine", "unused", image_size=8, path=tmp_path / "mine", test_per_class=[2, 3, 2]
        )
    assert str(error.value) == (
        "config image.imbalance.mine.test_per_class: 'dog' (class 1) has 2 test images, "
        "3 needed. Lower test_per_class to at most [2, 2, 2] (what the classes hold) or add "
        "test images"
    )
    train, _ = load_image_source("mine", "unused", image_size=8, path=tmp_path / "mine")
    with pytest.raises(ClassSizeError) as error:
        cut_train_set(train, {"profile": "exp", "ratio": 2, "n_max": 4}, 0, dataset="mine")
    message = str(error.value)
    assert message.startswith("config image.imbalance.mine.n_max: the 'exp' cut (ratio 2, n_max 4)")
    assert "'cat' (class 0) has 3 train images, 4 needed" in message and "dog" not in message
    assert "The largest n_max that fits is 3" in message
    with pytest.raises(
        ClassSizeError,
        match=r"^config image\.imbalance\.mine\.n_max: the Balanced reference .*"
        r"'emu' \(class 2\) has 3 train images, 4 needed",
    ):
        cut_train_set(train, {"profile": "natural", "n_max": 4}, 0, balanced=True, dataset="mine")
    with pytest.raises(
        ClassSizeError,
        match=r"^config image\.imbalance\.mine\.ratio: .* keeps \[3, 0, 0\] train images per "
        r"class, none of 'dog' \(class 1\), 'emu' \(class 2\)\. .*raise image\.imbalance\.mine\.n_max",
    ):
        cut_train_set(train, {"profile": "exp", "ratio": 10}, 0, dataset="mine")
    with pytest.raises(ClassSizeError, match=r"^config image\.imbalance\.<dataset>\.n_max: "):
        cut_train_set(train, {"profile": "none", "n_max": 4}, 0)  # no dataset name given


def test_tree_signature_changes_with_the_images_the_loader_reads(tmp_path):
    from imbaug.data.folders import tree_signature

    for part in ("train", "test"):
        for name in ("ant", "bee"):
            (tmp_path / part / name).mkdir(parents=True)
            Image.new("RGB", (4, 4), (10, 20, 30)).save(tmp_path / part / name / "0.png")
    first = tree_signature(tmp_path)
    assert tree_signature(tmp_path) == first
    (tmp_path / "train" / "ant" / "notes.txt").write_text("not an image")
    (tmp_path / "train" / "ant" / ".DS_Store").write_bytes(b"\0")
    assert tree_signature(tmp_path) == first  # files the loader skips do not count
    Image.new("RGB", (4, 4)).save(tmp_path / "train" / "ant" / "1.png")
    added = tree_signature(tmp_path)
    assert added != first
    Image.new("RGB", (4, 4), (200, 0, 0)).save(tmp_path / "test" / "bee" / "0.png")
    assert tree_signature(tmp_path) != added  # replaced in place
