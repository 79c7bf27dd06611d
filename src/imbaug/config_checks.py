"""Data checks run when the workflow reads its config, before any job starts.

They read only what is cheap: a user CSV's first :data:`imbaug.data.tabular.SAMPLE_ROWS` rows
and its target column (a Parquet file's schema and target column), and an ImageFolder tree's
listing. The jobs repeat the same checks (the same functions) on the whole file, so nothing
that slips past the sample enters a study. No torch import: a dry run stays fast.
Every message starts with the config key at fault.
"""

from __future__ import annotations

from imbaug.data.folders import FolderListing, ImageFolderError, list_image_tree
from imbaug.data.profiles import ClassSizeError, cut_counts, drawn_test_counts, imbalance_of
from imbaug.data.tabular import TabularDataError, check_user_frame, read_user_file


class ConfigError(ValueError):
    """The config asks for data that cannot work; the message names the config key."""


def check_tabular_files(tabular: dict) -> None:
    """Check every user file (``tabular.files``) that ``tabular.datasets`` uses.

    Parameters
    ----------
    tabular : dict
        The config's ``tabular`` section (validated against the schema).

    Raises
    ------
    ConfigError
        ``config tabular.files.<name>: ...`` for a missing or unreadable file, a missing target
        column, unknown ``exclude`` columns, unnamed (saved index) or non-numeric feature
        columns, missing target values, or a minority label that never occurs (with the YAML
        quoting hint when ``yes``/``no`` was read as a boolean).
    """
    files = tabular.get("files", {})
    for name in tabular.get("datasets", []):
        if name not in files:
            continue
        try:
            features, labels = read_user_file(name, files[name], sample=True)
            check_user_frame(name, files[name], features, labels)
        except TabularDataError as error:
            raise ConfigError(f"config tabular.files.{name}: {error}") from None


def check_image_folders(image: dict) -> None:
    """Check the ImageFolder trees (``image.folders``) that ``image.datasets`` uses, and each
    tree's cuts and test draw against its class sizes, so no job starts on a cut that cannot
    be drawn.

    Hidden entries (``.ipynb_checkpoints``, ``.DS_Store``) are no classes; the images are not
    opened here (the data job checks every file). A built-in dataset's class sizes are known
    only once it is loaded: its data and cut jobs check the same (same functions, same
    messages, without the folder paths).

    Raises
    ------
    ConfigError
        ``config image.folders.<name>: ...`` when train/ or test/ is missing, the class folders
        differ between them, or a class folder holds no image;
        ``config image.imbalance.<name>.test_per_class: ...`` when test_per_class does not
        give one count per class or asks more test images of a class than its folder holds;
        ``config image.imbalance.<name>.n_max: ...`` or ``.ratio: ...`` when the cut (or the
        Balanced reference's, when ``image.methods`` has Balanced) needs more train images of
        a class than its folder holds, or leaves a class none. Every class is named by its
        folder name and index, with the folder, its image count and the count needed;
        ``config image.imbalance.<name>: ...`` for another bad cut setting (n_majority).
    """
    folders = image.get("folders", {})
    balanced = "Balanced" in image.get("methods", [])
    for name in image.get("datasets", []):
        if name not in folders:
            continue
        try:
            listings = list_image_tree(folders[name])
        except ImageFolderError as error:
            raise ConfigError(f"config image.folders.{name}: {error}") from None
        imbalance = imbalance_of(name, image.get("imbalance", {}))
        try:
            _check_class_sizes(name, imbalance, listings, balanced)
        except ClassSizeError as error:
            raise ConfigError(str(error)) from None  # it starts with the config key
        except ValueError as error:  # e.g. n_majority larger than the number of classes
            raise ConfigError(f"config image.imbalance.{name}: {error}") from None


def _check_class_sizes(
    name: str, imbalance: dict, listings: dict[str, FolderListing], balanced: bool
) -> None:
    """The tree's test draw and cuts as the data and cut jobs make them (ClassSizeError)."""

    def sizes(part: str) -> dict:
        listing = listings[part]
        return {
            "classes": listing.classes,
            "available": [len(paths) for paths in listing.files],
            "places": [listing.root / class_name for class_name in listing.classes],
        }

    if imbalance.get("test_per_class") is not None:
        drawn_test_counts(**sizes("test"), per_class=imbalance["test_per_class"], dataset=name)
    cut_counts(**sizes("train"), imbalance=imbalance, dataset=name)
    if balanced:
        cut_counts(**sizes("train"), imbalance=imbalance, balanced=True, dataset=name)


def schema_problem(config: dict, schema_path) -> str | None:
    """The first problem of ``config`` against the JSON schema, as one line, or None.

    Snakemake's own ``validate`` prints the whole schema and config after the message (hundreds
    of lines for a one-key typo); this gives the line a user needs: the config key at fault and
    what is wrong with it, e.g. ``config tabular: unknown key 'n_split'; allowed: ...``.

    Parameters
    ----------
    config : dict
        The merged config as Snakemake read it (before schema defaults are filled in).
    schema_path : str or Path
        The YAML JSON-schema file (``workflow/schemas/config.schema.yaml``).
    """
    from pathlib import Path

    import jsonschema
    import yaml

    schema = yaml.safe_load(Path(schema_path).read_text())
    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(config))
    if error is None:
        return None
    where = "config " + (".".join(str(part) for part in error.absolute_path) or "(top level)")
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(allowed))
        return f"{where}: unknown key(s) {unknown}; allowed: {allowed}"
    choices = _enum_choices(error)
    if choices:
        return f"{where}: unknown value {error.instance!r}; choose from {choices}"
    return f"{where}: {error.message}"


def _enum_choices(error) -> list | None:
    """The allowed values when ``error`` is an enum mismatch, also inside oneOf/anyOf."""
    if error.validator == "enum":
        return list(error.validator_value)
    for sub_error in error.context or ():
        if sub_error.validator == "enum":
            return list(sub_error.validator_value)
    return None
