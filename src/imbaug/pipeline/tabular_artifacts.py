"""Stored tabular models: scikit-learn bundles through ``skops.io`` (trusted types only, never
pickle) and NN bundles as plain tensor dicts loaded with ``weights_only=True``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from imbaug.io import atomic_path, load_torch, save_torch

if TYPE_CHECKING:
    import pandas as pd


def save_sklearn_models(models: dict, path) -> None:
    """Store ``{model_key: fitted estimator}`` with skops."""
    import skops.io as sio

    with atomic_path(path) as tmp:
        sio.dump(dict(models), tmp)


def load_sklearn_models(path) -> dict:
    """Load a bundle written by :func:`save_sklearn_models`.

    Only skops' default trusted types are accepted; loading never runs code from the file.

    Raises
    ------
    ValueError
        If the file holds types outside the trusted set, or cannot be read.
    """
    import skops.io as sio

    untrusted = sio.get_untrusted_types(file=path)
    if untrusted:
        raise ValueError(f"{path}: refusing to load untrusted types {untrusted}")
    return sio.load(path, trusted=None)


def save_nn_models(models: dict, n_features: int, path) -> None:
    """Store ``{model_key: TabularMLP}`` as state dicts plus the input width."""
    save_torch(
        {
            "n_features": int(n_features),
            "models": {key: model.state_dict() for key, model in models.items()},
        },
        path,
    )


def load_nn_models(path, n_classes: int = 2) -> dict:
    """``{model_key: TabularMLP}`` (eval mode) from a file written by :func:`save_nn_models`."""
    from imbaug.models.mlp import TabularMLP

    bundle = load_torch(path)
    models = {}
    for key, state in bundle["models"].items():
        model = TabularMLP(bundle["n_features"], n_classes)
        model.load_state_dict(state)
        models[key] = model.eval()
    return models


def save_heads(heads: dict, path) -> None:
    """Store ``{model_key: nn.Linear}`` retrained heads as state dicts."""
    save_torch({key: head.state_dict() for key, head in heads.items()}, path)


def load_heads(path) -> dict:
    """``{model_key: nn.Linear}`` (eval mode) from a file written by :func:`save_heads`."""
    from torch import nn

    heads = {}
    for key, state in load_torch(path).items():
        out_features, in_features = state["weight"].shape
        head = nn.Linear(in_features, out_features)
        head.load_state_dict(state)
        heads[key] = head.eval()
    return heads


def with_head(network, head):
    """A copy of a TabularMLP whose last layer is ``head`` (a latent method's retrained head)."""
    import copy

    combined = copy.deepcopy(network)
    combined.head = head
    return combined.eval()


def load_tabular_models(classifier: str, inputs) -> tuple[dict, pd.DataFrame]:
    """Every stored model of one classifier of a dataset, and the status rows they belong to.

    Parameters
    ----------
    classifier : "SVM", "LG" or "NN"
    inputs : mapping with ``model`` and ``status`` paths; for the NN's latent stage also
        ``heads`` and ``latent_status``.

    Returns
    -------
    models : dict ``(split, space, method) -> model`` (a fitted estimator or a TabularMLP; a
        latent method's model is the Base NN with its retrained head)
    statuses : DataFrame of the resampling status rows (input, and latent for the NN)
    """
    import pandas as pd

    from imbaug.io import read_parquet

    statuses = [read_parquet(inputs["status"])]
    if classifier != "NN":
        stored = load_sklearn_models(inputs["model"])
    else:
        stored = load_nn_models(inputs["model"])
    models = {
        (_split_of(key), "input", method): model
        for key, model in stored.items()
        for method in [key.split("/", 1)[1]]
    }
    if classifier == "NN" and "heads" in inputs.keys():
        statuses.append(read_parquet(inputs["latent_status"]))
        for key, head in load_heads(inputs["heads"]).items():
            split = _split_of(key)
            base = stored[f"split{split}/Base"]
            models[(split, "latent", key.split("/", 1)[1])] = with_head(base, head)
    return models, pd.concat(statuses, ignore_index=True)


def _split_of(key: str) -> int:
    return int(key.split("/", 1)[0].removeprefix("split"))
