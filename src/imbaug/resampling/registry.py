"""The method registry: one entry per method, and ``resample``, the one entry point for every
input-, pixel- and latent-space method, with provenance.

Every list the workflow needs (schema enums, the image methods, the pixel samplers, the
settings a rule passes, the smallest class a method can over-sample) is derived from
``BUILTIN``. A study can add a sampler by import path in its config (see
:func:`configured_spec`); such an entry is a :class:`MethodSpec` too.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


def _imported_on_use(module: str, name: str) -> Callable[..., Any]:
    """A constructor of ``module.name`` that imports the module when it is first called.

    The Snakefile reads this registry at every Snakemake start, and many jobs never resample;
    importing imbalanced-learn imports scikit-learn, about 3 s of CPU on the 2-core VM."""

    def construct(**params):
        return getattr(importlib.import_module(module), name)(**params)

    construct.__name__ = construct.__qualname__ = name
    return construct


ADASYN = _imported_on_use("imblearn.over_sampling", "ADASYN")
SMOTE = _imported_on_use("imblearn.over_sampling", "SMOTE")
BorderlineSMOTE = _imported_on_use("imblearn.over_sampling", "BorderlineSMOTE")
RandomOverSampler = _imported_on_use("imblearn.over_sampling", "RandomOverSampler")
BalancedSVM = _imported_on_use("imbaug.resampling.balanced_svm", "BalancedSVM")
EOS = _imported_on_use("imbaug.resampling.eos", "EOS")
ReMix = _imported_on_use("imbaug.resampling.remix", "ReMix")
RemixChou = _imported_on_use("imbaug.resampling.remix", "RemixChou")
REMIX_REFERENCE = (
    "C. Bellinger, R. Corizzo and N. Japkowicz, 'ReMix: Calibrated resampling for class "
    "imbalance in deep learning', arXiv:2012.02312, 2020; DA paper section II-A"
)

logger = logging.getLogger("imbaug.resampling")

SPACES = ("tabular", "pixel", "latent")
"""tabular: the tabular study's input space; pixel: flattened images; latent: feature
embeddings (the image FE and the tabular NN's d//2 layer)."""

SETTINGS: dict[str, tuple[str, ...]] = {
    "k_neighbors": ("k_neighbors",),
    "eos_k": ("eos_k",),
    "remix_alpha": ("remix", "alpha"),
    "remix_kappa": ("remix", "kappa"),
    "remix_tau": ("remix", "tau"),
}
"""Every setting a method can take (the keyword of ``resample``) -> its key path in the
config sections ``tabular`` and ``image``."""

# imbalanced-learn's BorderlineSMOTE default; it searches these neighbours over all classes.
_BSMOTE_M_NEIGHBORS = 10


@dataclass(frozen=True)
class MethodSpec:
    """What the pipeline knows about one method.

    Attributes
    ----------
    name : str
        The method name in configs, paths and tables.
    factory : callable or None
        ``factory(random_state=..., **settings)`` returns an object with ``fit_resample``;
        None for methods that do not resample (Base, CS, Balanced).
    spaces : frozenset of str
        Where the method applies, a subset of ``SPACES``.
    settings : tuple of str
        Keys of ``SETTINGS`` the factory takes; ``resample`` raises if one is missing.
    exact_balance : bool
        Every class ends at exactly the majority count (checked by ``resample``).
    per_batch : bool
        A network trains with it per batch (ReMix) instead of on the resampled set.
    resamples : bool
        False for Base, CS and Balanced: the training set is used as it is.
    cost_sensitive : bool
        Class weights in the loss instead of resampling (CS).
    keeps_originals : bool
        The output starts with the original rows, unchanged (False for ReMix's re-draw).
    neighbours_in_class : str or None
        Setting holding K of a same-class neighbour search: a class to over-sample needs
        K + 1 rows.
    neighbours_over_all : str, int or None
        Setting (or constant) K of a neighbour search over all classes: the data set needs
        more than K rows.
    min_rows : int
        Smallest class the method can over-sample regardless of its settings.
    reference : str
        Paper and section the method follows.
    run : callable or None
        ``run(sampler, X, y, **settings)`` replaces ``sampler.fit_resample(X, y)``.
    """

    name: str
    factory: Callable[..., Any] | None
    spaces: frozenset
    settings: tuple[str, ...] = ()
    exact_balance: bool = False
    per_batch: bool = False
    resamples: bool = True
    cost_sensitive: bool = False
    keeps_originals: bool = True
    neighbours_in_class: str | None = None
    neighbours_over_all: str | int | None = None
    min_rows: int = 1
    reference: str = ""
    run: Callable[..., tuple[np.ndarray, np.ndarray]] | None = None

    def __post_init__(self):
        unknown = set(self.settings) - set(SETTINGS)
        if unknown or not set(self.spaces) <= set(SPACES):
            raise ValueError(
                f"method {self.name!r}: unknown settings {sorted(unknown)} or "
                f"spaces {sorted(set(self.spaces) - set(SPACES))}"
            )

    def min_class_size(self, settings: Mapping[str, Any]) -> int:
        """Smallest class (rows) this method can over-sample with ``settings``."""
        if self.neighbours_in_class is None:
            return self.min_rows
        return max(self.min_rows, _setting(self, settings, self.neighbours_in_class) + 1)

    def too_small_classes(self, counts: Sequence[int], settings: Mapping[str, Any]) -> list[int]:
        """Indices of the classes this method over-samples (present, below the largest) that
        have fewer rows than :meth:`min_class_size`; ``counts[c]`` = rows of class c."""
        needed, largest = self.min_class_size(settings), max(counts)
        return [c for c, n in enumerate(counts) if 0 < n < largest and n < needed]


# --------------------------------------------------------------------------- runners


def _run_adasyn(sampler, X, y, **_):
    try:
        return sampler.fit_resample(X, y)
    except (RuntimeError, ValueError) as err:
        # imbalanced-learn raises when no neighbour is of another class, or when the
        # per-row amounts all round to zero.
        raise ValueError(f"ADASYN cannot over-sample this data set: {err}") from err


def _run_borderline_smote(sampler, X, y, *, k_neighbors, **_):
    """BorderlineSMOTE, topping up with plain SMOTE each class that has no row "in danger".

    imbalanced-learn 0.14 silently skips such a class (older versions raised), which
    would leave it unbalanced.
    """
    X_out, y_out = sampler.fit_resample(X, y)
    requested = sampler.sampling_strategy_
    generated = {c: int(np.sum(y_out[len(y) :] == c)) for c in requested}
    short = {c: n for c, n in requested.items() if generated[c] < n}
    if not short:
        return X_out, y_out
    logger.warning(
        "BSMOTE: no row of class(es) %s is in danger; over-sampling them with plain SMOTE instead.",
        sorted(short),
    )
    class_counts = {c: int(np.sum(y == c)) for c in short}
    top_up = SMOTE(
        sampling_strategy={c: class_counts[c] + n - generated[c] for c, n in short.items()},
        k_neighbors=k_neighbors,
        random_state=sampler.random_state,
    )
    X_smote, y_smote = top_up.fit_resample(X, y)
    return np.vstack([X_out, X_smote[len(y) :]]), np.concatenate([y_out, y_smote[len(y) :]])


# --------------------------------------------------------------------------- built-in methods

_ALL = frozenset(SPACES)
_DA = "DA paper (Dablain & Chawla, How data augmentation works with imbalanced data)"
_EOS_PAPER = "EOS paper (Dablain, Krawczyk, Bellinger & Chawla, Efficient augmentation)"

BUILTIN: dict[str, MethodSpec] = {
    spec.name: spec
    for spec in [
        MethodSpec(
            "Base",
            None,
            frozenset({"tabular", "pixel"}),
            resamples=False,
            reference=f"{_DA}, section IV: the model trained on the imbalanced data",
        ),
        MethodSpec(
            "CS",
            None,
            frozenset({"tabular"}),
            resamples=False,
            cost_sensitive=True,
            reference=f"{_DA}, section IV: balanced class weights n / (C n_c)",
        ),
        MethodSpec(
            "Balanced",
            None,
            frozenset({"pixel"}),
            resamples=False,
            reference=f"{_DA}, Table V: trained on a cut without imbalance",
        ),
        MethodSpec(
            "ROS",
            lambda random_state: RandomOverSampler(random_state=random_state),
            _ALL,
            exact_balance=True,
            reference="imbalanced-learn RandomOverSampler; DA paper Fig. 1",
        ),
        MethodSpec(
            "SMOTE",
            lambda random_state, k_neighbors: SMOTE(
                k_neighbors=k_neighbors, random_state=random_state
            ),
            frozenset({"tabular", "pixel"}),
            settings=("k_neighbors",),
            exact_balance=True,
            neighbours_in_class="k_neighbors",
            reference="Chawla et al. 2002, imbalanced-learn SMOTE; EOS paper Table I (pixel space)",
        ),
        MethodSpec(
            "DSM",
            lambda random_state, k_neighbors: SMOTE(
                k_neighbors=k_neighbors, random_state=random_state
            ),
            frozenset({"latent"}),
            settings=("k_neighbors",),
            exact_balance=True,
            neighbours_in_class="k_neighbors",
            reference=f"{_DA}, section III: SMOTE among same-class neighbours in latent space",
        ),
        MethodSpec(
            "ADASYN",
            lambda random_state, k_neighbors: ADASYN(
                n_neighbors=k_neighbors, random_state=random_state
            ),
            frozenset({"tabular"}),
            settings=("k_neighbors",),
            neighbours_in_class="k_neighbors",
            run=_run_adasyn,
            reference="He et al. 2008, imbalanced-learn ADASYN; DA paper Table III",
        ),
        MethodSpec(
            "BSMOTE",
            lambda random_state, k_neighbors: BorderlineSMOTE(
                k_neighbors=k_neighbors, m_neighbors=_BSMOTE_M_NEIGHBORS, random_state=random_state
            ),
            _ALL,
            settings=("k_neighbors",),
            exact_balance=True,
            neighbours_in_class="k_neighbors",
            neighbours_over_all=_BSMOTE_M_NEIGHBORS,
            run=_run_borderline_smote,
            reference="Han et al. 2005, imbalanced-learn BorderlineSMOTE; EOS paper Tables I-II",
        ),
        MethodSpec(
            "BalSVM",
            lambda random_state, k_neighbors: BalancedSVM(
                k_neighbors=k_neighbors, random_state=random_state
            ),
            _ALL,
            settings=("k_neighbors",),
            neighbours_in_class="k_neighbors",
            reference="Farquad & Bose 2012; EOS paper section II, Tables I-II",
        ),
        MethodSpec(
            "REMIX",
            lambda random_state, remix_alpha: ReMix(alpha=remix_alpha, random_state=random_state),
            frozenset({"tabular", "pixel"}),
            settings=("remix_alpha",),
            exact_balance=True,
            per_batch=True,
            keeps_originals=False,
            reference=REMIX_REFERENCE,
        ),
        MethodSpec(
            "RemixChou",
            lambda random_state, remix_alpha, remix_kappa, remix_tau: RemixChou(
                alpha=remix_alpha, kappa=remix_kappa, tau=remix_tau, random_state=random_state
            ),
            frozenset({"tabular", "pixel"}),
            settings=("remix_alpha", "remix_kappa", "remix_tau"),
            per_batch=True,
            reference="Chou et al., Remix: Rebalanced Mixup, ECCV-W 2020",
        ),
        MethodSpec(
            "EOS",
            lambda random_state, eos_k: EOS(k_neighbors=eos_k, random_state=random_state),
            frozenset({"pixel", "latent"}),
            settings=("eos_k",),
            exact_balance=True,
            neighbours_over_all="eos_k",
            min_rows=2,
            reference=f"{_EOS_PAPER}, section III-D, Algorithm 2; pixel space: section V-E3",
        ),
    ]
}

METHOD_NAMES = tuple(BUILTIN)


def names(
    space: str, *, resamples: bool | None = None, per_batch: bool | None = None
) -> tuple[str, ...]:
    """Built-in method names of ``space``, optionally only those that (do not) resample or
    that do (not) resample per batch; in registry order."""
    if space not in SPACES:
        raise ValueError(f"unknown space {space!r}; choose from {SPACES}")
    return tuple(
        s.name
        for s in BUILTIN.values()
        if space in s.spaces
        and (resamples is None or s.resamples == resamples)
        and (per_batch is None or s.per_batch == per_batch)
    )


# --------------------------------------------------------------------------- config entries

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_IMPORT_PATH = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$")


def configured_spec(entry: Mapping[str, Any], key: str = "methods") -> MethodSpec:
    """A method a study defines by import path: ``{name, sampler, params}``.

    ``sampler`` is ``"package.module.Class"``, a class whose instances have
    ``fit_resample`` (any imbalanced-learn sampler, or your own); ``params`` (optional)
    are its constructor's keyword arguments; ``random_state`` is passed too when the
    constructor takes it. There is no allow-list of modules: the config is trusted like
    the Snakefile, only installed modules are imported, and the object is checked to be
    a class with ``fit_resample`` before it is called. A ``k_neighbors`` parameter is
    taken as a same-class neighbour count (imbalanced-learn's convention), so a class
    needs ``k_neighbors + 1`` rows. The result is checked like a built-in's: original
    rows first (or, for samplers with ``sample_indices_``, rows that are copies of
    them).

    Parameters
    ----------
    entry : mapping
        The config entry.
    key : str
        The config key it came from, named in errors (e.g. "image.latent_methods").

    Raises
    ------
    ValueError
        Naming ``key`` and the entry, when the name is malformed or taken by a built-in
        method, the import fails, or the object is not a class with ``fit_resample``, or
        its constructor rejects ``params``.
    """
    entry = dict(entry)
    name, path, params = entry.get("name"), entry.get("sampler"), dict(entry.get("params") or {})
    where = f"config {key}: method {name!r}"
    extra = set(entry) - {"name", "sampler", "params"}
    if extra or not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(
            f"{where}: needs keys name (a letter, then letters, digits or _), sampler and "
            f"optional params; got keys {sorted(entry)}"
        )
    if name in BUILTIN:
        raise ValueError(f"{where}: {name!r} is a built-in method; give the sampler another name")
    sampler_class = _import_sampler(path, where)
    takes_seed = "random_state" in inspect.signature(sampler_class).parameters
    try:
        sampler_class(**params)
    except TypeError as err:
        raise ValueError(f"{where}: {path}({params}) fails: {err}") from err
    k = params.get("k_neighbors")

    def factory(random_state):
        return sampler_class(**params, **({"random_state": random_state} if takes_seed else {}))

    return MethodSpec(
        name,
        factory,
        frozenset(SPACES),
        min_rows=k + 1 if isinstance(k, int) else 1,
        reference=f"{path}(**{params}) from config {key}",
    )


def _import_sampler(path, where: str) -> type:
    if not isinstance(path, str) or not _IMPORT_PATH.match(path):
        raise ValueError(
            f"{where}: sampler must be an import path like "
            f"imblearn.over_sampling.SVMSMOTE; got {path!r}"
        )
    module_name, _, attribute = path.rpartition(".")
    try:
        found = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as err:
        raise ValueError(f"{where}: cannot import sampler {path!r}: {err}") from err
    if not (inspect.isclass(found) and callable(getattr(found, "fit_resample", None))):
        raise ValueError(f"{where}: {path!r} is not a class with a fit_resample method")
    return found


def method_name(entry) -> str:
    """The name of a config method entry: the string itself, or a mapping's ``name``."""
    if isinstance(entry, MethodSpec):
        return entry.name
    return entry["name"] if isinstance(entry, Mapping) else entry


def method_spec(entry, key: str | None = None) -> MethodSpec:
    """The spec of a built-in name, a config mapping (see :func:`configured_spec`), or a spec.

    Raises ValueError naming ``key`` (a config key, if given) and the valid names for an
    unknown name.
    """
    if isinstance(entry, MethodSpec):
        return entry
    if isinstance(entry, Mapping):
        return configured_spec(entry, key or "methods")
    if entry not in BUILTIN:
        where = f" (config {key})" if key else ""
        raise ValueError(
            f"Unknown resampling method {entry!r}{where}; valid names: "
            f"{', '.join(METHOD_NAMES)}, or a mapping {{name, sampler, params}}."
        )
    return BUILTIN[entry]


def config_settings(entry, section: Mapping[str, Any], key: str) -> dict:
    """The part of a config section (``tabular`` or ``image``) that a method's settings
    read, nested as in the config, e.g. ``{"remix": {"alpha": 0.2}}`` for REMIX.

    Raises ValueError naming the missing config key (``key`` is the section's name).
    """
    spec = method_spec(entry, f"{key}.methods")
    subset: dict = {}
    for setting in spec.settings:
        *parents, leaf = SETTINGS[setting]
        source, target = section, subset
        for part in parents:
            source, target = source.get(part, {}), target.setdefault(part, {})
        if leaf not in source:
            raise ValueError(
                f"method {spec.name} needs config key "
                f"{'.'.join([key, *SETTINGS[setting]])}, which is missing"
            )
        target[leaf] = source[leaf]
    return subset


def config_settings_of(entries: Iterable, section: Mapping[str, Any], key: str) -> dict:
    """:func:`config_settings` of several methods, merged (e.g. a rule running all of them)."""
    merged: dict = {}
    for entry in entries:
        for name, value in config_settings(entry, section, key).items():
            merged[name] = {**merged[name], **value} if isinstance(value, dict) else value
    return merged


def settings_from_config(section: Mapping[str, Any]) -> dict:
    """``resample`` keywords from a config section (``tabular``, ``image`` or a rule's part of
    one): every setting whose key is present; lists (image.eos_k) give their first value."""
    found = {}
    for setting, path in SETTINGS.items():
        value = section
        for part in path:
            value = value.get(part) if isinstance(value, Mapping) else None
        if value is not None:
            found[setting] = value[0] if isinstance(value, (list, tuple)) else value
    return found


# --------------------------------------------------------------------------- resampled sets


@dataclass(frozen=True, eq=False)
class Resampled:
    """A resampled data set with row provenance.

    Attributes
    ----------
    X : ndarray (n_rows, n_features)
    y : ndarray of int64 (hard labels)
    source_index : ndarray of int64
        ``i`` for a row that is original row ``i`` or an exact copy of it (ROS
        duplicates), -1 for a synthetic (interpolated or mixed) row.
    synthetic : ndarray of bool
        True for every row that is not an original row in its original place: appended
        rows, and every row of a method that re-draws the set (ReMix).
    soft_labels : ndarray (n_rows, n_classes) or None
        Label distributions of mixing methods (ReMix, RemixChou), columns in the order
        of ``np.unique(y)`` of the input; None for the other methods.
    parents : ndarray of int64 (n_rows, 2) or None
        Where known, the two input rows a synthetic row was made from (-1 elsewhere).
    parent_weight : ndarray of float64 (n_rows,) or None
        Weight of the first parent: row = w * first + (1 - w) * second (NaN elsewhere).
    """

    X: np.ndarray
    y: np.ndarray
    source_index: np.ndarray
    synthetic: np.ndarray
    soft_labels: np.ndarray | None = None
    parents: np.ndarray | None = None
    parent_weight: np.ndarray | None = None

    def __post_init__(self):
        fields = [
            self.X,
            self.y,
            self.source_index,
            self.synthetic,
            self.soft_labels,
            self.parents,
            self.parent_weight,
        ]
        lengths = {len(field) for field in fields if field is not None}
        if len(lengths) != 1:
            raise ValueError(f"Resampled fields have different numbers of rows: {sorted(lengths)}")

    @classmethod
    def unchanged(cls, X, y) -> Resampled:
        """The data as it is: every row original, nothing synthetic."""
        n = len(y)
        return cls(X, y, np.arange(n, dtype=np.int64), np.zeros(n, dtype=bool))

    def to_frame(self) -> pd.DataFrame:
        """Provenance table (no features): columns row, label, source_index, synthetic,
        first_parent, second_parent (-1 where unknown) and parent_weight (NaN there)."""
        n = len(self.y)
        parents = self.parents if self.parents is not None else np.full((n, 2), -1, np.int64)
        weight = self.parent_weight if self.parent_weight is not None else np.full(n, np.nan)
        return pd.DataFrame(
            {
                "row": np.arange(n, dtype=np.int64),
                "label": self.y,
                "source_index": self.source_index,
                "synthetic": self.synthetic,
                "first_parent": parents[:, 0],
                "second_parent": parents[:, 1],
                "parent_weight": weight,
            }
        )


# --------------------------------------------------------------------------- checks


def _setting(spec: MethodSpec, settings: Mapping[str, Any], name) -> Any:
    if isinstance(name, int):
        return name
    value = settings.get(name)
    if value is None:
        raise ValueError(
            f"{spec.name} needs the setting {name!r} (config key "
            f"{'.'.join(SETTINGS[name])}); it was not given."
        )
    return value


def min_class_size(
    method, k_neighbors: int | None = None, eos_k: int | None = None, **settings
) -> int:
    """Smallest number of rows a class must have for ``method`` to over-sample it.

    1 for Base, CS, ROS and the ReMix methods; ``k_neighbors + 1`` for SMOTE, ADASYN,
    BSMOTE, BalSVM and DSM (a row plus its k same-class neighbours); 2 for EOS, whose
    neighbour search runs over all classes, so it needs more than ``eos_k`` rows in the
    whole data set instead (checked by ``resample``).

    Raises ValueError for an unknown method, or when a setting it needs is missing.
    """
    settings = {"k_neighbors": k_neighbors, "eos_k": eos_k, **settings}
    return method_spec(method).min_class_size(settings)


def _validated_inputs(X, y) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
        raise ValueError(
            f"Expected X of shape (n, d) and y of shape (n,); got {X.shape} and {y.shape}."
        )
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must hold integer class labels; got dtype {y.dtype}.")
    if not np.issubdtype(X.dtype, np.floating):
        X = X.astype(np.float64)  # interpolating integer features would truncate them
    if not np.isfinite(X).all():
        raise ValueError("X contains NaN or infinite values; resampling needs finite features.")
    if len(np.unique(y)) < 2:
        raise ValueError(f"y has a single class ({np.unique(y)}); resampling needs at least two.")
    return X, y.astype(np.int64)


def _check_data_size(spec: MethodSpec, y: np.ndarray, settings: Mapping[str, Any]) -> None:
    """Raise if a class the method over-samples, or the whole data set, is too small."""
    labels, counts = np.unique(y, return_counts=True)  # labels may be any integers (-1, 1)
    short = spec.too_small_classes(counts, settings)
    if short:
        reason = (
            f" ({spec.neighbours_in_class}={settings[spec.neighbours_in_class]} + 1)"
            if spec.neighbours_in_class
            else ""
        )
        raise ValueError(
            f"{spec.name} needs at least {spec.min_class_size(settings)} rows of class "
            f"{labels[short[0]]}{reason}; it has {counts[short[0]]}."
        )
    if spec.neighbours_over_all is not None:
        k = _setting(spec, settings, spec.neighbours_over_all)
        if len(y) <= k:
            raise ValueError(
                f"{spec.name} searches {k} neighbours over all classes and needs "
                f"more than {k} rows in total; it has {len(y)}."
            )


def _check_originals_first(spec: MethodSpec, X, y, X_out, y_out) -> None:
    n = len(y)
    if len(y_out) < n or not (np.array_equal(X_out[:n], X) and np.array_equal(y_out[:n], y)):
        raise RuntimeError(
            f"{spec.name}: the sampler did not return the original rows first, unchanged."
        )


def _check_balanced(spec: MethodSpec, y: np.ndarray, y_out: np.ndarray) -> None:
    if not spec.exact_balance:
        return
    _, counts = np.unique(y, return_counts=True)
    labels_out, counts_out = np.unique(y_out, return_counts=True)
    if len(labels_out) != len(counts) or (counts_out != counts.max()).any():
        raise RuntimeError(
            f"{spec.name} returned class counts {counts_out}, not {counts.max()} each."
        )


def _provenance(spec: MethodSpec, sampler, X, y, X_out, y_out) -> dict:
    """source_index, synthetic, soft labels and parents of a sampler's output."""
    n, n_out = len(y), len(y_out)
    found = {"soft_labels": getattr(sampler, "soft_labels_", None)}
    indices = getattr(sampler, "sample_indices_", None)
    if indices is not None:  # every row a copy of an input row (ROS-like, or under-sampling)
        indices = np.asarray(indices, dtype=np.int64)
        if not (np.array_equal(X_out, X[indices]) and np.array_equal(y_out, y[indices])):
            raise RuntimeError(f"{spec.name}: rows do not match the sampler's sample_indices_.")
        first_seen = np.zeros(n_out, dtype=bool)
        first_seen[np.unique(indices, return_index=True)[1]] = True
        return found | {"source_index": indices, "synthetic": ~first_seen}
    if spec.keeps_originals:
        _check_originals_first(spec, X, y, X_out, y_out)
    n_kept = n if spec.keeps_originals else 0
    source = np.full(n_out, -1, dtype=np.int64)
    source[:n_kept] = np.arange(n_kept)
    found |= {"source_index": source, "synthetic": np.arange(n_out) >= n_kept}
    return found | _parents(sampler, n_kept, n_out)


def _parents(sampler, n_kept: int, n_out: int) -> dict:
    """Both parents of each synthetic row where the sampler records them (EOS, ReMix)."""
    if hasattr(sampler, "base_indices_"):  # EOS: base + step * (partner - base)
        first, second = sampler.base_indices_, sampler.partner_indices_
        weight = 1.0 - sampler.steps_
    elif hasattr(sampler, "lambdas_"):  # ReMix, RemixChou: lam * first + (1 - lam) * second
        first, second, weight = sampler.first_indices_, sampler.second_indices_, sampler.lambdas_
    else:
        return {}
    parents = np.full((n_out, 2), -1, dtype=np.int64)
    parents[n_kept:] = np.column_stack([first, second])
    parent_weight = np.full(n_out, np.nan)
    parent_weight[n_kept:] = weight
    return {"parents": parents, "parent_weight": parent_weight}


def resample(method, X, y, *, random_state, **settings) -> Resampled:
    """Over-sample every non-majority class of ``(X, y)`` to the majority count with ``method``.

    Parameters
    ----------
    method : str, mapping or MethodSpec
        A name of ``METHOD_NAMES``, a config entry ``{name, sampler, params}`` (see
        :func:`configured_spec`) or a :class:`MethodSpec`.
    X : array (n, d)
        Features; integer X is converted to float64, float dtypes are kept.
    y : array of int (n,)
        Class labels.
    random_state : int
        Seed of the sampler.
    **settings
        The settings the method takes (``spec.settings``: k_neighbors, eos_k,
        remix_alpha, remix_kappa, remix_tau); others are ignored, so a caller may pass
        all of its settings to every method.

    Returns
    -------
    Resampled
        Base, CS and Balanced: the input unchanged. Others: the sampler's output with
        provenance; BSMOTE tops up with plain SMOTE, with a logged warning, any class
        that has no row in danger; ADASYN and BalSVM balance only approximately; REMIX
        returns a re-drawn, mixed set with soft labels and both parents of each row.

    Raises
    ------
    ValueError
        For an unknown method, a setting the method needs that is missing (None counts
        as missing), non-finite X, non-integer or single-class y, a class smaller than
        the method's ``min_class_size`` among those to over-sample, or a data set no
        larger than a neighbour count searched over all classes (EOS, BSMOTE).
    RuntimeError
        When a sampler breaks its contract: original rows not first and unchanged, or
        (exactly balancing methods) class counts not all equal to the majority count.
    """
    spec = method_spec(method)
    X, y = _validated_inputs(X, y)
    if not spec.resamples:
        return Resampled.unchanged(X, y)
    values = {name: _setting(spec, settings, name) for name in spec.settings}
    _check_data_size(spec, y, values)
    sampler = spec.factory(random_state=random_state, **values)
    if spec.run is not None:
        X_out, y_out = spec.run(sampler, X, y, **values)
    else:
        X_out, y_out = sampler.fit_resample(X, y)
    X_out, y_out = np.asarray(X_out), np.asarray(y_out)
    provenance = _provenance(spec, sampler, X, y, X_out, y_out)
    _check_balanced(spec, y, y_out)
    return Resampled(X=X_out, y=y_out.astype(np.int64), **provenance)


def names_of(entries: Iterable) -> list[str]:
    """Names of config method entries (strings or ``{name, ...}`` mappings)."""
    return [method_name(entry) for entry in entries]
