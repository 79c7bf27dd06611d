"""The papers' reported numbers beside ours.

``paper_values.csv`` (beside this module) holds every number transcribed once from the papers,
each citing its table, row and column, with a ``note`` where the mapping needs one:

- DA paper: Tables III, IV (tabular accuracy), V (image accuracy), VI-VIII (weight change of
  the classification layer, LG / NN / CNN), IX-XI (top-K feature overlap, LG / NN / CNN);
- EOS paper: Tables I, II, IV (image accuracy), III (its EOS column only; the GAN columns are
  not run here), V (architectures, ``studies/eos-architectures.yaml``) and the pixel-space EOS
  numbers of section V-E3.

Its names are this package's: dataset (Ozone = ``ozone_level``, CIFAR-10 = ``cifar10``, Places
= ``places365_5`` ...), metric (the papers' GM is ``gm_macro``, the one-vs-rest macro GM they
print), and for image accuracy ``arch``, ``loss`` (the EOS paper's LDAM is ``LDAM_DRW``) and
``method``/``space`` as ``image_accuracy.csv`` names the run under ``studies/paper.yaml``
(EOS with the papers' K=10 is ``EOS_K10`` there, as the K sweep names it). DA Tables VIII and XI
use the DA labels of ``weight_change.csv`` / ``top_k_overlap.csv`` (``DSM (FE)``,
``EOS_K10 (FE)``, ``LDAM``). A test checks that every row is a key that study produces.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from imbaug.metrics import METRIC_NAMES

PAPER_VALUES = Path(__file__).with_name("paper_values.csv")
# Where a number lives: tabular and DA-layout rows leave arch, loss and space empty.
KEYS = ["dataset", "classifier", "arch", "loss", "method", "space", "metric"]
COLUMNS = [
    "paper",
    "table",
    "dataset",
    "classifier",
    "method",
    "metric",
    "paper_value",
    "ours",
    "difference",
]
# After COLUMNS: the rest of the key, and where in the paper the number is.
EXTRA_COLUMNS = ["arch", "loss", "space", "row", "column", "note"]
# The model image_accuracy.csv scores with the study's default epoch choice (STUDY.md 2).
IMAGE_SELECTION = "last"


def paper_values(path=PAPER_VALUES) -> pd.DataFrame:
    """The transcribed values: paper, table, row, column, the :data:`KEYS`, paper_value, note
    (empty key parts and notes are ``""``)."""
    values = pd.read_csv(path, dtype={"table": str})
    text = [*KEYS, "row", "column", "note"]
    values[text] = values[text].fillna("")
    return values


def our_values(
    accuracy: pd.DataFrame | None = None,
    weight_change: pd.DataFrame | None = None,
    top_k_overlap: pd.DataFrame | None = None,
    image_accuracy: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Our numbers in long form: the :data:`KEYS` and ``ours`` (means over splits or cuts).

    Parameters
    ----------
    accuracy : tabular_accuracy.csv (``bac_mean``, ``fm_mean`` ...)
    weight_change : weight_change.csv (LG, NN and CNN rows)
    top_k_overlap : top_k_overlap.csv (LG, NN and CNN rows)
    image_accuracy : image_accuracy.csv; only the rows of the ``last``-epoch models

    Raises
    ------
    ValueError
        If two of our rows have the same key (a number would be compared twice).
    """
    keys = ["dataset", "classifier", "method"]
    blank = {"arch": "", "loss": "", "space": ""}
    parts = []
    if accuracy is not None and len(accuracy):
        parts += _metrics(accuracy[keys].assign(**blank), accuracy)
    for table, metric in ((weight_change, "weight_change"), (top_k_overlap, "overlap")):
        if table is not None and len(table):
            parts.append(table[keys].assign(**blank, metric=metric, ours=table[metric]))
    if image_accuracy is not None and len(image_accuracy):
        image = image_accuracy
        if "selection" in image:
            image = image[image["selection"].fillna(IMAGE_SELECTION) == IMAGE_SELECTION]
        runs = image[["dataset", "arch", "loss", "method", "space"]].assign(classifier="CNN")
        parts += _metrics(runs, image)
    if not parts:
        return pd.DataFrame(columns=[*KEYS, "ours"])
    ours = pd.concat(parts, ignore_index=True)[[*KEYS, "ours"]]
    ours[KEYS] = ours[KEYS].astype(str)
    repeated = ours[ours.duplicated(KEYS, keep=False)]
    if len(repeated):
        raise ValueError(f"our tables give some keys twice:\n{repeated.head().to_string()}")
    return ours


def _metrics(runs: pd.DataFrame, table: pd.DataFrame) -> list[pd.DataFrame]:
    return [
        runs.assign(metric=metric, ours=table[f"{metric}_mean"].to_numpy())
        for metric in METRIC_NAMES
        if f"{metric}_mean" in table
    ]


def compare(paper: pd.DataFrame, ours: pd.DataFrame) -> pd.DataFrame:
    """Every paper value this study computed, with ours and ``difference = ours - paper``.

    Returns
    -------
    DataFrame with :data:`COLUMNS` then :data:`EXTRA_COLUMNS`, in the paper file's order;
    values our study did not compute are left out (:func:`not_computed` lists them).
    """
    paper = _keyed(paper, [*KEYS, "note"])
    merged = paper.merge(_keyed(ours), on=KEYS, how="inner", sort=False)
    merged["difference"] = merged["ours"] - merged["paper_value"]
    return merged[[*COLUMNS, *EXTRA_COLUMNS]]


def not_computed(paper: pd.DataFrame, ours: pd.DataFrame) -> pd.DataFrame:
    """The paper values without a number of ours (not run in this study, or not named as
    ``paper_values.csv`` expects): ``paper, table, row, column`` and the :data:`KEYS`."""
    merged = _keyed(paper).merge(_keyed(ours)[KEYS], on=KEYS, how="left", indicator=True)
    return merged.loc[merged["_merge"] == "left_only", ["paper", "table", "row", "column", *KEYS]]


def _keyed(frame: pd.DataFrame, columns=KEYS) -> pd.DataFrame:
    """``frame`` with every one of ``columns`` (absent ones empty, as in a tabular row)."""
    absent = [c for c in columns if c not in frame]
    return frame.assign(**dict.fromkeys(absent, "")) if absent else frame


TABLES = ("accuracy", "weight_change", "top_k_overlap", "image_accuracy")


def comparison(paths) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`compare` and :func:`not_computed` from the result tables.

    Parameters
    ----------
    paths : mapping of any of :data:`TABLES` to a CSV path (a missing or empty entry: the study
        did not build that table)
    """
    tables = {name: pd.read_csv(paths[name]) if paths.get(name) else None for name in TABLES}
    paper, ours = paper_values(), our_values(**tables)
    return compare(paper, ours), not_computed(paper, ours)
