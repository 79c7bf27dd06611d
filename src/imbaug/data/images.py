"""Image datasets: torchvision sources, user ImageFolder trees, an embedded offline default.

Every source loads as a pair of :class:`ImageSet` (full train set, test set as published) of
uint8 N x C x H x W images resized to ``image_size`` x ``image_size``; :func:`make_imbalanced`
then cuts the train set with an imbalance profile and a cut seed. Class order is label order.

Data are never fetched behind the user's back: torchvision downloads only with
``download=True`` and verifies its checksums; when files are missing, corrupt or cannot be
downloaded, an :class:`ImageDataError` says which files are expected in which folder.
torchvision is imported only when one of its sources is loaded: the import takes seconds.
"""

from __future__ import annotations

import functools
import logging
import struct
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageFile

from imbaug.data.folders import (
    ImageFolderError,
    list_image_tree,
    log_skipped,
    missing_folders,
    remove_empty_folders,
)
from imbaug.data.profiles import (
    class_label,
    class_summary,
    cut_counts,
    drawn_test_counts,
    imbalanced_indices,
)
from imbaug.io import load_torch, save_torch

_IMAGESET_KEYS = ("images", "labels", "classes")
_log = logging.getLogger(__name__)


class ImageDataError(RuntimeError):
    """Dataset files are missing, corrupt or could not be downloaded; the message says which."""


@dataclass
class ImageSet:
    """Images (uint8, N x C x H x W), labels (int64, N, values in 0..len(classes)-1), class names.

    Construction validates dtypes, shapes and label range and raises ValueError on a mismatch.
    """

    images: torch.Tensor
    labels: torch.Tensor
    classes: list[str]

    def __post_init__(self) -> None:
        problem = _imageset_problem(self.images, self.labels, self.classes)
        if problem:
            raise ValueError(f"invalid ImageSet: {problem}")

    def __len__(self) -> int:
        return len(self.labels)

    def class_counts(self) -> list[int]:
        """Number of images of each class, in class order."""
        return torch.bincount(self.labels, minlength=len(self.classes)).tolist()

    def count_summary(self) -> str:
        """Class sizes by class name, e.g. ``"cat: 12, dog: 8"`` (for logs and messages)."""
        return class_summary(self.classes, self.class_counts())

    def take_per_class(self, counts: Sequence[int], seed: int) -> ImageSet:
        """``counts[c]`` images of each class c, drawn without replacement with ``seed``
        (:func:`imbaug.data.profiles.imbalanced_indices`); ValueError naming every class
        that has too few images by name and index (:func:`cut_train_set` and
        :func:`sample_test_set` check first, naming the config key as well)."""
        short = [
            f"{class_label(self.classes, c)} has {have} images, {want} asked for"
            for c, (have, want) in enumerate(zip(self.class_counts(), counts))
            if have < want
        ]
        if short:
            raise ValueError(
                f"not enough images to draw {list(counts)} per class: {'; '.join(short)}"
            )
        return self.subset(imbalanced_indices(self.labels.numpy(), list(counts), seed))

    def subset(self, rows: Sequence[int] | np.ndarray | torch.Tensor) -> ImageSet:
        """The images at ``rows`` (in that order), with the same class list."""
        rows = torch.as_tensor(np.asarray(rows), dtype=torch.long)
        return ImageSet(self.images[rows], self.labels[rows], list(self.classes))

    def save(self, path: str | Path) -> None:
        """Write a ``.pt`` dict of plain tensors and a list of names, atomically.

        The file is written next to ``path`` and renamed into place (``imbaug.io.save_torch``), so a
        crash never leaves a half-written file under the final name.
        """
        save_torch(
            {
                "images": _compact(self.images),
                "labels": _compact(self.labels),
                "classes": list(self.classes),
            },
            path,
        )

    @classmethod
    def load(cls, path: str | Path) -> ImageSet:
        """Read a file written by :meth:`save`; ValueError naming the file if it is not one."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"ImageSet file {path} does not exist")
        try:
            payload = load_torch(path)
        except ValueError as err:
            raise ValueError(
                f"{path} is not a readable ImageSet file (corrupt or truncated?): {err}"
            ) from err
        if not isinstance(payload, dict) or set(payload) != set(_IMAGESET_KEYS):
            found = sorted(payload) if isinstance(payload, dict) else type(payload).__name__
            raise ValueError(
                f"{path} is not an ImageSet file: expected keys "
                f"{list(_IMAGESET_KEYS)}, found {found}"
            )
        try:
            return cls(payload["images"], payload["labels"], payload["classes"])
        except ValueError as err:
            raise ValueError(f"{path} holds an invalid ImageSet: {err}") from err


def _imageset_problem(images: object, labels: object, classes: object) -> str | None:
    if not isinstance(images, torch.Tensor) or images.dtype != torch.uint8 or images.ndim != 4:
        return f"images must be a uint8 N x C x H x W tensor, got {_describe(images)}"
    if not isinstance(labels, torch.Tensor) or labels.dtype != torch.int64 or labels.ndim != 1:
        return f"labels must be a one-dimensional int64 tensor, got {_describe(labels)}"
    if len(labels) != len(images):
        return f"{len(images)} images but {len(labels)} labels"
    if not isinstance(classes, list) or not classes or not all(isinstance(c, str) for c in classes):
        return f"classes must be a non-empty list of names, got {classes!r}"
    if len(labels) and (labels.min() < 0 or labels.max() >= len(classes)):
        return (
            f"labels must lie in 0..{len(classes) - 1}, "
            f"got {labels.min().item()}..{labels.max().item()}"
        )
    return None


def _describe(value: object) -> str:
    if isinstance(value, torch.Tensor):
        return f"{value.dtype} tensor of shape {tuple(value.shape)}"
    return type(value).__name__


def _compact(tensor: torch.Tensor) -> torch.Tensor:
    # torch.save writes a view's whole underlying storage; copy views so files hold only their data.
    if tensor.is_contiguous() and tensor.untyped_storage().nbytes() == tensor.nbytes:
        return tensor
    return tensor.clone(memory_format=torch.contiguous_format)


# ---------------------------------------------------------------------------------------------
# Resizing and image files


def resize_images(
    images: torch.Tensor, size: int, *, antialias: bool = True, chunk: int = 2048
) -> torch.Tensor:
    """Bilinearly resize uint8 N x C x H x W images to ``size`` x ``size`` (contiguous uint8).

    Images already at that size are returned unchanged (no interpolation). ``antialias``
    low-pass filters when shrinking, as PIL does; it has no use when enlarging. Works in chunks
    so a full train set never exists as float at once.
    """
    if tuple(images.shape[-2:]) == (size, size):
        return images.contiguous()
    resized = torch.empty((len(images), images.shape[1], size, size), dtype=torch.uint8)
    for start in range(0, len(images), chunk):
        batch = images[start : start + chunk].float()
        batch = F.interpolate(
            batch, size=(size, size), mode="bilinear", align_corners=False, antialias=antialias
        )
        resized[start : start + chunk] = batch.round_().clamp_(0, 255).to(torch.uint8)
    return resized


def _pil_to_tensor(image: Image.Image, size: int) -> torch.Tensor:
    """An opened image file as an RGB uint8 3 x size x size tensor (the torchvision transform)."""
    with image:
        # JPEG only (a no-op otherwise): decode at 1/2..1/8 scale, still >= 2x the target size,
        # which makes large photos (iNaturalist, Places) several times faster to read.
        image.draft(None, (2 * size, 2 * size))
        pixels = np.array(image.convert("RGB"))
    return resize_images(torch.from_numpy(pixels).permute(2, 0, 1).unsqueeze(0), size)[0]


# What PIL raises for a file that is empty, truncated, damaged or not an image.
_UNREADABLE = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    Image.DecompressionBombError,
)
MAX_NAMED_FILES = 100


def read_image_file(path: str | Path, size: int) -> torch.Tensor:
    """Image file ``path`` as an RGB uint8 3 x size x size tensor, checked in full.

    PIL's ``verify`` checks the file's structure (PNG chunk checksums, for instance), then a
    fresh open decodes every pixel, so a truncated file fails here rather than being padded
    with grey (``ImageFile.LOAD_TRUNCATED_IMAGES`` is forced off while reading).

    Raises
    ------
    OSError, SyntaxError, ValueError, EOFError, struct.error, PIL.Image.DecompressionBombError
        The file is empty, truncated, damaged or not an image.
    """
    with _strict_decoding():
        with Image.open(path) as probe:
            probe.verify()
        return _pil_to_tensor(Image.open(path), size)


@contextmanager
def _strict_decoding() -> Iterator[None]:
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def read_image_files(paths: Sequence[str | Path], size: int) -> torch.Tensor:
    """Read every file of ``paths`` (see :func:`read_image_file`) into an N x 3 x size x size
    uint8 tensor.

    Raises
    ------
    ImageDataError
        One message naming every unreadable file with PIL's reason (the first
        :data:`MAX_NAMED_FILES`, then how many more), raised after all files were tried.
    """
    images = torch.empty((len(paths), 3, size, size), dtype=torch.uint8)
    bad = []
    for position, path in enumerate(paths):
        try:
            images[position] = read_image_file(path, size)
        except _UNREADABLE as err:
            reason = str(err).replace(f" {str(path)!r}", "")  # PIL repeats the path
            bad.append(f"{path}: {type(err).__name__}: {reason}")
    if bad:
        more = (
            f"\n  ... and {len(bad) - MAX_NAMED_FILES} more" if len(bad) > MAX_NAMED_FILES else ""
        )
        raise ImageDataError(
            f"{len(bad)} of {len(paths)} image files cannot be read (empty, truncated, damaged "
            "or not an image); replace or delete them and run again:\n  "
            + "\n  ".join(bad[:MAX_NAMED_FILES])
            + more
        )
    return images


def _select_targets(targets: Sequence[int], wanted: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose target is one of ``wanted``, and their new labels (position in ``wanted``)."""
    label_of = {target: label for label, target in enumerate(wanted)}
    rows = np.array(
        [row for row, target in enumerate(targets) if target in label_of], dtype=np.int64
    )
    labels = np.array([label_of[targets[row]] for row in rows], dtype=np.int64)
    return rows, labels


def _stratified_rows(labels: np.ndarray, test_fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """Deterministic (seed 0) stratified train/test row split, each part in ascending row order."""
    from sklearn.model_selection import train_test_split

    train_rows, test_rows = train_test_split(
        np.arange(len(labels)), test_size=test_fraction, stratify=labels, random_state=0
    )
    return np.sort(train_rows), np.sort(test_rows)


# ---------------------------------------------------------------------------------------------
# Errors from torchvision


@contextmanager
def _dataset_errors(name: str, root: Path, download: bool | None) -> Iterator[None]:
    """Turn torchvision's missing/corrupt/download errors into an ImageDataError that helps.

    ``download`` is None for sources that are never downloaded (ImageFolder trees).
    """
    try:
        yield
    except (RuntimeError, OSError) as err:  # URLError and FileNotFoundError are OSErrors
        raise ImageDataError(_missing_data_message(name, root, download, err)) from err


def _missing_data_message(name: str, root: Path, download: bool | None, err: BaseException) -> str:
    message = (
        f"cannot load image dataset {name!r} from {root.resolve()}: {err}\n"
        f"Expected there: {_SOURCES[name].expected_files}."
    )
    if download is not None:
        message += (
            f"\ndownload is {str(download).lower()}: download=true fetches the files from "
            "the internet and needs network access; on an offline machine copy the files "
            "into that folder and use download=false."
        )
    return message


# ---------------------------------------------------------------------------------------------
# Sources


def _array_set(
    images: np.ndarray, labels: Sequence[int], classes: Sequence[str], image_size: int
) -> ImageSet:
    """An ImageSet from an in-memory N x C x H x W uint8 array (CIFAR, SVHN)."""
    resized = resize_images(torch.from_numpy(images), image_size)
    return ImageSet(resized, torch.as_tensor(np.asarray(labels), dtype=torch.int64), list(classes))


def _load_digits(root: Path, image_size: int, download: bool) -> tuple[ImageSet, ImageSet]:
    """scikit-learn's bundled 8x8 digits: stratified 2/3 train, 1/3 test (seed 0)."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    pixels = np.rint(digits.images * (255 / 16)).astype(np.uint8)[:, None]  # values 0..16
    images = resize_images(torch.from_numpy(pixels), image_size, antialias=False)
    labels = torch.from_numpy(digits.target.astype(np.int64))
    full = ImageSet(images, labels, [str(d) for d in range(10)])
    train_rows, test_rows = _stratified_rows(digits.target, test_fraction=1 / 3)
    return full.subset(train_rows), full.subset(test_rows)


def _load_cifar(
    name: str, class_name: str, root: Path, image_size: int, download: bool
) -> tuple[ImageSet, ImageSet]:
    from torchvision import datasets

    def split(train: bool) -> ImageSet:
        with _dataset_errors(name, root, download):
            dataset = getattr(datasets, class_name)(str(root), train=train, download=download)
        # torchvision keeps CIFAR as N x H x W x C
        return _array_set(
            dataset.data.transpose(0, 3, 1, 2), dataset.targets, dataset.classes, image_size
        )

    return split(True), split(False)


def _load_svhn(root: Path, image_size: int, download: bool) -> tuple[ImageSet, ImageSet]:
    from torchvision import datasets

    def split(part: str) -> ImageSet:
        with _dataset_errors("svhn", root, download):
            dataset = datasets.SVHN(str(root), split=part, download=download)
        # torchvision already maps SVHN's label 10 to digit 0 and stores N x C x H x W
        return _array_set(dataset.data, dataset.labels, [str(d) for d in range(10)], image_size)

    return split("train"), split("test")


CELEBA_HAIR_ATTRIBUTES = ("Black_Hair", "Brown_Hair", "Blond_Hair", "Gray_Hair", "Bald")
CELEBA_HAIR_CLASSES = ("black", "brown", "blond", "gray", "bald")


def _load_celeba_hair(root: Path, image_size: int, download: bool) -> tuple[ImageSet, ImageSet]:
    from torchvision import datasets

    def split(part: str) -> ImageSet:
        with _dataset_errors("celeba_hair", root, download):
            dataset = datasets.CelebA(str(root), split=part, target_type="attr", download=download)
        hair = dataset.attr[:, [dataset.attr_names.index(a) for a in CELEBA_HAIR_ATTRIBUTES]]
        single = hair.sum(dim=1) == 1  # exactly one hair attribute set
        folder = Path(dataset.root, dataset.base_folder, "img_align_celeba")
        paths = [folder / dataset.filename[row] for row in torch.nonzero(single).flatten().tolist()]
        return ImageSet(
            read_image_files(paths, image_size),
            hair[single].argmax(dim=1),
            list(CELEBA_HAIR_CLASSES),
        )

    return split("train"), split("test")


PLACES365_CLASSES = ("airfield", "amusement_park", "aquarium", "baseball_field", "barn")


def _load_places365_5(root: Path, image_size: int, download: bool) -> tuple[ImageSet, ImageSet]:
    """Places365-Standard 256x256 images of five classes; the labelled val split is the test set."""
    from torchvision import datasets

    def split(part: str) -> ImageSet:
        with _dataset_errors("places365_5", root, download):
            dataset = datasets.Places365(str(root), split=part, small=True, download=download)
            # torchvision checks only the file lists; the images are read later
            if not Path(dataset.images_dir).is_dir():
                raise FileNotFoundError(f"image folder {dataset.images_dir} not found")
        # category names look like "/a/airfield" or "/b/bakery/shop"
        index_of = {
            category.strip("/").split("/", 1)[1]: index
            for category, index in dataset.class_to_idx.items()
        }
        rows, labels = _select_targets(dataset.targets, [index_of[c] for c in PLACES365_CLASSES])
        paths = [dataset.imgs[row][0] for row in rows]
        return ImageSet(
            read_image_files(paths, image_size), torch.from_numpy(labels), list(PLACES365_CLASSES)
        )

    return split("train-standard"), split("val")


INAT_SUPERCATEGORIES = ("Plantae", "Insecta", "Aves", "Reptilia", "Mammalia")
INAT_CLASSES = ("plant", "insect", "bird", "reptile", "mammal")
INAT_TEST_FRACTION = 0.2


def _load_inat2017_5(root: Path, image_size: int, download: bool) -> tuple[ImageSet, ImageSet]:
    """iNaturalist 2017 super-categories; torchvision's 2017 version merges train and val, so a
    stratified 20% (seed 0) of the five super-categories' images is held out as the test set."""
    from torchvision import datasets

    with _dataset_errors("inat2017_5", root, download):
        dataset = datasets.INaturalist(
            str(root), version="2017", target_type="super", download=download
        )
        missing = [s for s in INAT_SUPERCATEGORIES if s not in dataset.categories_index["super"]]
        if missing:
            raise FileNotFoundError(f"super-category folders {missing} not found in {dataset.root}")
    # torchvision lists image files in os.listdir order, which depends on the file system;
    # sorting makes the held-out test set the same on every machine.
    dataset.index.sort()
    supers = [dataset.categories_map[category]["super"] for category, _ in dataset.index]
    wanted = [dataset.categories_index["super"][s] for s in INAT_SUPERCATEGORIES]
    rows, labels = _select_targets(supers, wanted)
    train_rows, test_rows = _stratified_rows(labels, INAT_TEST_FRACTION)

    def part(selected: np.ndarray) -> ImageSet:
        paths = [
            Path(dataset.root, dataset.all_categories[dataset.index[row][0]], dataset.index[row][1])
            for row in rows[selected]
        ]
        return ImageSet(
            read_image_files(paths, image_size),
            torch.from_numpy(labels[selected]),
            list(INAT_CLASSES),
        )

    return part(train_rows), part(test_rows)


def _load_image_folder(folder: Path, image_size: int, download: bool) -> tuple[ImageSet, ImageSet]:
    """A user tree ``folder/train/<class>/*`` and ``folder/test/<class>/*`` (download unused).

    Classes are the visible sub-folders (hidden ones such as ``.ipynb_checkpoints`` are skipped
    and logged, see :mod:`imbaug.data.folders`); every image file is checked as it is read.
    """
    try:
        listings = list_image_tree(folder)
    except ImageFolderError as err:
        if folder.is_dir():
            raise
        raise ImageDataError(_missing_data_message("imagefolder", folder, None, err)) from err
    samples = {part: listing.samples() for part, listing in listings.items()}
    for listing in listings.values():
        log_skipped(listing)
    # One read of both parts, so a single error names every bad file of the tree.
    images = read_image_files([path for part in samples.values() for path, _ in part], image_size)
    train, test = samples["train"], samples["test"]
    classes = listings["train"].classes
    return (
        ImageSet(images[: len(train)], torch.tensor([label for _, label in train]), list(classes)),
        ImageSet(images[len(train) :], torch.tensor([label for _, label in test]), list(classes)),
    )


@dataclass(frozen=True)
class _Source:
    description: str
    expected_files: str  # what must be in the root folder, for error messages
    load: Callable[[Path, int, bool], tuple[ImageSet, ImageSet]]


_SOURCES: dict[str, _Source] = {
    "digits": _Source(
        "scikit-learn's bundled 8x8 handwritten digits, 10 classes (embedded, offline)",
        "nothing (bundled with scikit-learn)",
        _load_digits,
    ),
    "cifar10": _Source(
        "CIFAR-10, 10 classes, 32x32 (torchvision)",
        "the extracted cifar-10-batches-py/ folder (data_batch_1..5, test_batch, batches.meta), "
        "or cifar-10-python.tar.gz, which download=true extracts",
        functools.partial(_load_cifar, "cifar10", "CIFAR10"),
    ),
    "cifar100": _Source(
        "CIFAR-100, 100 fine classes, 32x32 (torchvision)",
        "the extracted cifar-100-python/ folder (train, test, meta), "
        "or cifar-100-python.tar.gz, which download=true extracts",
        functools.partial(_load_cifar, "cifar100", "CIFAR100"),
    ),
    "svhn": _Source(
        "SVHN cropped digits, 10 classes, 32x32 (torchvision; 'extra' not used)",
        "train_32x32.mat and test_32x32.mat",
        _load_svhn,
    ),
    "celeba_hair": _Source(
        "CelebA aligned faces with exactly one of black/brown/blond/gray hair or bald, 5 classes "
        "(torchvision)",
        "celeba/img_align_celeba/ (the extracted img_align_celeba.zip) and celeba/list_attr_celeba.txt, "
        "identity_CelebA.txt, list_bbox_celeba.txt, list_landmarks_align_celeba.txt, "
        "list_eval_partition.txt (download=true uses Google Drive and needs the gdown package)",
        _load_celeba_hair,
    ),
    "places365_5": _Source(
        "Places365-Standard small (256x256) images of airfield, amusement_park, aquarium, "
        "baseball_field, barn; test = the val split (torchvision)",
        "categories_places365.txt, places365_train_standard.txt, places365_val.txt "
        "(from filelist_places365-standard.tar) and the image folders data_256_standard/ "
        "(from train_256_places365standard.tar) and val_256/ (from val_256.tar)",
        _load_places365_5,
    ),
    "inat2017_5": _Source(
        "iNaturalist 2017 super-categories Plantae, Insecta, Aves, Reptilia, Mammalia; "
        "test = stratified 20% hold-out, seed 0 (torchvision)",
        "2017/<SuperCategory>/<species>/*.jpg, i.e. the train_val_images/ folder of "
        "train_val_images.tar.gz renamed to 2017 (download=true saves the archive as 2017.tgz "
        "and does this)",
        _load_inat2017_5,
    ),
    "imagefolder": _Source(
        "your own images: <path>/train/<class>/* and <path>/test/<class>/* (needs path)",
        "train/<class>/<image files> and test/<class>/<image files>, the same class folders in both",
        _load_image_folder,
    ),
}

IMAGE_DATASETS: dict[str, str] = {name: source.description for name, source in _SOURCES.items()}


def load_image_source(
    name: str,
    root: str | Path,
    *,
    image_size: int = 32,
    download: bool = True,
    path: str | Path | None = None,
    test_per_class: int | Sequence[int] | None = None,
) -> tuple[ImageSet, ImageSet]:
    """The full train set and the test set of an image source, resized to image_size x image_size.

    ``name`` is a key of :data:`IMAGE_DATASETS`; ``root`` is the folder holding (or receiving)
    torchvision's files. Giving ``path`` (or name ``"imagefolder"``, which then needs ``path``)
    loads a user ImageFolder tree from ``path`` instead. ``test_per_class`` (one count, or one
    per class in class order) draws that many test images of each class (seed 0, the same for
    every cut), e.g. iNaturalist's 500/250 of DA paper Table II; None keeps the whole test set.
    Both sets' class sizes are logged by class name (logger ``imbaug.data.images``).

    Raises
    ------
    ValueError
        Unknown name (the message lists the valid ones), bad image_size.
    imbaug.data.profiles.ClassSizeError
        A test_per_class that does not fit the classes: ``config
        image.imbalance.<name>.test_per_class: ...`` naming each short class (name and index)
        with its count.
    ImageDataError
        Missing or undownloadable files, or unreadable images (every one named).
    """
    if isinstance(image_size, bool) or int(image_size) != image_size or image_size < 1:
        raise ValueError(f"image_size must be a positive integer, got {image_size!r}")
    kind = "imagefolder" if path is not None else name
    if kind not in _SOURCES:
        raise ValueError(
            f"unknown image dataset {name!r}; valid names: {', '.join(_SOURCES)} "
            "(or give path= for your own ImageFolder tree)"
        )
    if path is None and kind == "imagefolder":
        raise ValueError("the 'imagefolder' source needs path=<folder holding train/ and test/>")
    folder = Path(path if path is not None else root).expanduser()
    created = missing_folders(folder)
    try:
        train, test = _SOURCES[kind].load(folder, int(image_size), download)
    except ImageDataError:
        remove_empty_folders(created)  # a failed download leaves no empty tree behind
        raise
    if test_per_class is not None:
        test = sample_test_set(test, test_per_class, dataset=name)
    _log.info(
        "image dataset %r: train %d images (%s); test %d images (%s)",
        name,
        len(train),
        train.count_summary(),
        len(test),
        test.count_summary(),
    )
    return train, test


def sample_test_set(
    test: ImageSet, per_class: int | Sequence[int], seed: int = 0, *, dataset: str | None = None
) -> ImageSet:
    """``per_class`` test images of each class (one count for all, or one per class), seed 0.

    Raises :class:`~imbaug.data.profiles.ClassSizeError` (a ValueError) when the list length
    differs from the number of classes or a class has too few test images; the message starts
    with ``config image.imbalance.<dataset>.test_per_class`` and names each short class by
    name and index, with its count.
    """
    counts = drawn_test_counts(test.classes, test.class_counts(), per_class, dataset=dataset)
    return test.take_per_class(counts, seed)


def make_imbalanced(
    train: ImageSet,
    profile: str,
    ratio: float,
    cut_seed: int,
    n_majority: int | None = None,
    n_max: int | None = None,
    *,
    dataset: str | None = None,
) -> ImageSet:
    """Cut ``train`` to an imbalance profile (see :func:`imbalance_counts`), keeping class order.

    ``n_max`` defaults to the smallest class count so every class can be cut (5000 for
    CIFAR-10); profile ``"none"`` gives ``n_max`` images of every class (the "Balanced"
    reference). ``cut_seed`` chooses which images each class keeps. A class too small for the
    cut raises :class:`~imbaug.data.profiles.ClassSizeError` naming the class (name and
    index), its count, the count needed and the config key (``dataset`` names it).
    """
    imbalance = {"profile": profile, "ratio": ratio, "n_majority": n_majority, "n_max": n_max}
    return _cut(train, imbalance, cut_seed, balanced=False, dataset=dataset)


def _cut(
    train: ImageSet, imbalance: dict, cut_seed: int, balanced: bool, dataset: str | None
) -> ImageSet:
    counts = cut_counts(
        train.classes, train.class_counts(), imbalance, balanced=balanced, dataset=dataset
    )
    return train if counts is None else train.take_per_class(counts, cut_seed)


def cut_train_set(
    train: ImageSet,
    imbalance: dict,
    cut: int,
    balanced: bool = False,
    *,
    dataset: str | None = None,
) -> ImageSet:
    """A cut's train set: ``imbalance`` (see ``profiles.imbalance_of``; keys profile, ratio,
    n_majority, n_max) drawn with seed ``cut``, or, for the Balanced reference, every class at
    ``n_max`` (default: the smallest class's count, all of CIFAR-10's 5000 per class).
    The cut's class sizes are logged by class name. A class too small for the cut raises
    :class:`~imbaug.data.profiles.ClassSizeError` starting with the config key to change,
    ``config image.imbalance.<dataset>.n_max`` or ``.ratio`` (``<dataset>`` when ``dataset``
    is not given), and naming each short class by name and index with its count."""
    cut_set = _cut(train, imbalance, cut, balanced, dataset)
    _log.info(
        "cut %d%s: %d images (%s)",
        cut,
        " balanced" if balanced else "",
        len(cut_set),
        cut_set.count_summary(),
    )
    return cut_set
