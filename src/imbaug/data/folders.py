"""ImageFolder trees (``<root>/train/<class>/*``, ``<root>/test/<class>/*``) listed without torch.

The listing follows torchvision's ``ImageFolder`` (class = sub-folder, sorted by name; image
files found recursively below it; the same extensions), except that hidden entries, whose name
starts with a dot, are never classes or images: Jupyter's ``.ipynb_checkpoints/`` folders,
macOS's ``.DS_Store`` and ``._<name>`` AppleDouble files (which carry image extensions but
are not images). :func:`log_skipped` logs what was skipped (the image loader calls it).
It imports no torch, so the workflow's config check can list a tree in milliseconds.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from imbaug.data.profiles import class_label, class_summary

# torchvision.datasets.folder.IMG_EXTENSIONS, the files ImageFolder reads.
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")
PARTS = ("train", "test")

_log = logging.getLogger(__name__)


class ImageFolderError(ValueError):
    """An ImageFolder tree is missing a part, or its classes are empty or differ; says which."""


@dataclass(frozen=True)
class FolderListing:
    """One part (``train/`` or ``test/``) of a tree.

    ``classes`` are the class folder names in label order; ``files[c]`` the sorted image paths
    of class ``c``; ``hidden`` the skipped hidden files and folders and ``ignored`` the skipped
    files without an image extension, both relative to ``root``.
    """

    root: Path
    classes: list[str]
    files: list[list[Path]]
    hidden: list[Path]
    ignored: list[Path]

    def samples(self) -> list[tuple[Path, int]]:
        """``(path, label)`` of every image, class by class."""
        return [(path, label) for label, paths in enumerate(self.files) for path in paths]

    def class_counts(self) -> dict[str, int]:
        """Images per class, by class name."""
        return {name: len(paths) for name, paths in zip(self.classes, self.files)}


def _hidden(name: str) -> bool:
    return name.startswith(".")


def list_image_folder(root: str | Path) -> FolderListing:
    """List one part of a tree: class folders of ``root`` and the image files below each.

    Raises
    ------
    ImageFolderError
        ``root`` is not a folder or has no (visible) class folder.
    """
    root = Path(root)
    if not root.is_dir():
        raise ImageFolderError(f"image folder {root} does not exist")
    entries = sorted(os.scandir(root), key=lambda entry: entry.name)
    hidden = [Path(e.name) for e in entries if _hidden(e.name)]
    ignored = [Path(e.name) for e in entries if not _hidden(e.name) and not e.is_dir()]
    classes = [e.name for e in entries if not _hidden(e.name) and e.is_dir()]
    if not classes:
        raise ImageFolderError(f"{root} holds no class folders (one sub-folder per class)")
    files = []
    for name in classes:
        images, skipped_hidden, skipped_other = _walk_class(root, root / name)
        files.append(images)
        hidden += skipped_hidden
        ignored += skipped_other
    return FolderListing(root, classes, files, hidden, ignored)


def _walk_class(root: Path, folder: Path) -> tuple[list[Path], list[Path], list[Path]]:
    images, hidden, ignored = [], [], []
    for directory, subfolders, names in os.walk(folder, followlinks=True):
        here = Path(directory)
        hidden += [(here / d).relative_to(root) for d in subfolders if _hidden(d)]
        subfolders[:] = [d for d in subfolders if not _hidden(d)]  # os.walk skips pruned folders
        for name in names:
            path = here / name
            if _hidden(name):
                hidden.append(path.relative_to(root))
            elif name.lower().endswith(IMAGE_EXTENSIONS):
                images.append(path)
            else:
                ignored.append(path.relative_to(root))
    return sorted(images), hidden, ignored


def log_skipped(listing: FolderListing) -> None:
    """Log (warning, logger ``imbaug.data.folders``) the hidden and non-image entries skipped."""
    for kind, paths in (("hidden", listing.hidden), ("non-image", listing.ignored)):
        if paths:
            shown = ", ".join(str(p) for p in sorted(paths)[:10])
            more = f" and {len(paths) - 10} more" if len(paths) > 10 else ""
            _log.warning(
                "%s: skipped %d %s entries (never classes or images): %s%s",
                listing.root,
                len(paths),
                kind,
                shown,
                more,
            )


def list_image_tree(folder: str | Path) -> dict[str, FolderListing]:
    """List ``folder/train`` and ``folder/test``; both must have the same, non-empty classes.

    Returns
    -------
    dict
        ``{"train": FolderListing, "test": FolderListing}``.

    Raises
    ------
    ImageFolderError
        A part is missing, the class folders differ between the parts, or a class folder holds
        no image file; the message names the folders and classes.
    """
    folder = Path(folder)
    missing = [part for part in PARTS if not (folder / part).is_dir()]
    if missing:
        raise ImageFolderError(
            f"{folder} needs train/ and test/ folders (missing: "
            f"{', '.join(missing)}), each with one sub-folder per class"
        )
    listings = {part: list_image_folder(folder / part) for part in PARTS}
    train, test = listings["train"].classes, listings["test"].classes
    if train != test:
        raise ImageFolderError(
            f"class folders differ between {folder / 'train'} and {folder / 'test'}: "
            f"only in train {sorted(set(train) - set(test))}, "
            f"only in test {sorted(set(test) - set(train))}"
        )
    for listing in listings.values():
        empty = [
            f"{class_label(listing.classes, c)} in {listing.root / name}"
            for c, name in enumerate(listing.classes)
            if not listing.files[c]
        ]
        if empty:
            raise ImageFolderError(
                f"no image file ({', '.join(IMAGE_EXTENSIONS)}) for class "
                f"{'; '.join(empty)}; add images or remove "
                f"the class from both {folder / 'train'} and {folder / 'test'} "
                f"(images per class in {listing.root.name}/: "
                f"{class_summary(listing.classes, [len(f) for f in listing.files])})"
            )
    return listings


def missing_folders(path: str | Path) -> list[Path]:
    """``path`` and those of its parents that do not exist yet, outermost first.

    Record them before a download so :func:`remove_empty_folders` can undo what it created.
    """
    path = Path(path).expanduser().absolute()
    return [folder for folder in reversed([path, *path.parents]) if not folder.exists()]


def remove_empty_folders(folders: list[Path]) -> None:
    """Remove ``folders`` (as listed by :func:`missing_folders`) that exist and are empty,
    deepest first: a failed download leaves no empty tree behind, and never touches a file."""
    for folder in reversed(folders):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def tree_signature(folder: str | Path) -> str:
    """A short hash of every image file the loader reads from the tree ``folder``: its path
    relative to the tree, size in bytes and modification time in ns. It changes when an image
    is added, removed, replaced or touched (hidden and non-image files do not count), so the
    workflow, which passes it to the data job as a parameter, reruns the data job of a changed
    tree. ImageFolderError as :func:`list_image_tree`."""
    digest = hashlib.sha256()
    for listing in list_image_tree(folder).values():
        for path, _ in listing.samples():
            stat = Path(path).stat()
            entry = f"{os.path.relpath(path, folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\n"
            digest.update(entry.encode())
    return digest.hexdigest()[:16]
