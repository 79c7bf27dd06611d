"""The image study through Snakemake: a small real run on digits and on a user ImageFolder tree,
config errors, and which jobs rerun when a setting is edited."""

import re

import numpy as np
import pandas as pd
import pytest
import torch
import yaml
from PIL import Image

from imbaug.data.images import ImageSet
from imbaug.metrics import score
from imbaug.pipeline.image import model_from_record
from imbaug.training.image import predict
from workflow_helpers import job_counts, snakemake, write_study

NO_TABULAR = {"tabular": {"datasets": []}}
EPOCHS = 3
SMALL_IMAGE = {
    "datasets": ["digits"],
    "image_size": {"digits": 8},
    "cuts": [0],
    "imbalance": {},
    "archs": ["resnet8"],
    "losses": ["CE", "LDAM"],
    "input_losses": ["CE"],
    "methods": ["ROS", "SMOTE", "EOS", "REMIX", "Balanced"],
    "latent_methods": ["EOS", "DSM"],
    "k_neighbors": 5,
    "eos_k": [5, 10],
    "train": {"epochs": EPOCHS, "batch_size": 128, "lr": 0.1, "warmup_epochs": 2, "flip": False},
    "head": {"epochs": 2},
    "head_curve_epochs": 4,
}
CUT = "results/image/digits/cut0"
RUN = f"{CUT}/resnet8"


def _study(folder, image=None):
    return write_study(folder, {**NO_TABULAR, "image": {**SMALL_IMAGE, **(image or {})}})


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    folder = _study(tmp_path_factory.mktemp("image"))
    result = snakemake(folder, "--cores", "2", timeout=2400)  # generous: shared, busy CI machines
    assert result.returncode == 0, result.stdout[-4000:]
    return folder, result.stdout


def test_accuracy_table_has_every_run(small_run):
    folder, _ = small_run
    table = pd.read_csv(folder / "results/tables/image_accuracy.csv")
    assert list(table.columns) == [
        "dataset",
        "arch",
        "loss",
        "method",
        "space",
        "selection",
        "bac_mean",
        "gm_mean",
        "gm_macro_mean",
        "fm_mean",
        "n_cuts",
    ]
    assert set(table.space) == {"input", "latent"}
    input_rows = {("CE", "Base"), ("LDAM", "Base")} | {
        ("CE", m) for m in ["ROS", "SMOTE", "EOS", "REMIX", "Balanced"]
    }
    # several eos_k: one latent EOS row per K, named EOS_K<k>
    latent_rows = {(loss, m) for loss in ["CE", "LDAM"] for m in ["EOS_K5", "EOS_K10", "DSM"]}
    rows = list(zip(table.loss, table.method, table.space))
    assert len(rows) == len(set(rows)) == 13
    assert set(rows) == (
        {(loss, m, "input") for loss, m in input_rows}
        | {(loss, m, "latent") for loss, m in latent_rows}
    )
    assert (table.dataset == "digits").all() and (table.arch == "resnet8").all()
    assert (table.n_cuts == 1).all()
    for column in ["bac_mean", "gm_mean", "fm_mean"]:
        assert table[column].between(0, 1).all(), column
    # 3 epochs learn something: the best run (a retrained head) is well above chance (0.1)
    assert table.bac_mean.max() > 0.2


def test_accuracy_markdown_has_the_three_paper_tables(small_run):
    folder, _ = small_run
    markdown = (folder / "results/tables/image_accuracy.md").read_text()
    assert "## digits, resnet8 (mean over 1 cuts" in markdown
    for title in ["(EOS paper Table I)", "(EOS paper Table II)", "(DA paper Table V)"]:
        assert markdown.count(title) == 1, title
    table = pd.read_csv(folder / "results/tables/image_accuracy.csv")
    base = table[(table.loss == "CE") & (table.method == "Base")].iloc[0]
    assert (
        f"| Base | {base.bac_mean:.4f} / {base.gm_macro_mean:.4f} / {base.fm_mean:.4f} |"
        in markdown
    )


def _section(markdown: str, title: str) -> str:
    return markdown.split(title, 1)[1].split("###", 1)[0]


def _row_cells(section: str, label: str) -> list[str]:
    line = next(line for line in section.splitlines() if line.startswith(f"| {label} |"))
    return [cell.strip() for cell in line.strip("|").split("|")][1:]


def test_markdown_shows_latent_eos_when_several_k_are_swept(small_run):
    """studies/paper.yaml sweeps eos_k; the EOS FE-space results must still reach the tables."""
    folder, _ = small_run
    markdown = (folder / "results/tables/image_accuracy.md").read_text()
    table = pd.read_csv(folder / "results/tables/image_accuracy.csv")
    latent_eos = table[
        (table.loss == "CE") & (table.space == "latent") & table.method.str.startswith("EOS")
    ]
    shown = {
        f"{r.bac_mean:.4f} / {r.gm_macro_mean:.4f} / {r.fm_mean:.4f}"
        for r in latent_eos.itertuples()
    }
    assert len(shown) == 2
    table_1 = _row_cells(_section(markdown, "(EOS paper Table I)"), "EOS")  # pixel, FE
    assert table_1[1] in shown, table_1
    table_2 = _row_cells(_section(markdown, "(EOS paper Table II)"), "CE")  # last column: EOS
    assert table_2[-1] in shown, table_2
    table_v = _row_cells(_section(markdown, "(DA paper Table V)"), "EOS")
    assert table_v[0] in shown, table_v


def test_model_loads_safely_and_reproduces_its_metrics(small_run):
    folder, _ = small_run
    record = torch.load(folder / f"{RUN}/CE/Base/model.pt", weights_only=True)
    assert {
        k: record[k] for k in ["arch", "loss", "num_classes", "in_channels", "cosine_head"]
    } == {
        "arch": "resnet8",
        "loss": "CE",
        "num_classes": 10,
        "in_channels": 1,
        "cosine_head": False,
    }
    assert (
        torch.load(folder / f"{RUN}/LDAM/Base/model.pt", weights_only=True)["cosine_head"] is True
    )
    test = ImageSet.load(folder / "results/image/digits/test.pt")
    assert tuple(test.images.shape[1:]) == (1, 8, 8)  # image_size {digits: 8}
    y_pred = predict(model_from_record(record), test.images, torch.device("cpu"))
    metrics = pd.read_parquet(folder / f"{RUN}/CE/Base/metrics.parquet").iloc[0]
    assert score(test.labels.numpy(), y_pred.numpy(), 10)["bac"] == pytest.approx(
        metrics.bac, abs=1e-9
    )


def test_epoch_log_has_one_row_per_epoch(small_run):
    folder, _ = small_run
    for method in ["Base", "REMIX", "SMOTE"]:
        epochs = pd.read_parquet(folder / f"{RUN}/CE/{method}/epochs.parquet")
        assert {"epoch", "loss", "lr", "seconds"} <= set(epochs.columns)
        assert epochs.epoch.tolist() == list(range(EPOCHS))
        assert np.isfinite(epochs.loss).all() and (epochs.seconds > 0).all()
        assert epochs.lr.iloc[0] == pytest.approx(0.05)  # warm-up over 2 epochs from lr 0.1


def test_imbalanced_cut_follows_the_exp_10_profile_and_balanced_cut_is_flat(small_run):
    folder, _ = small_run
    balanced = ImageSet.load(folder / f"{CUT}/balanced.pt").class_counts()
    imbalanced = ImageSet.load(folder / f"{CUT}/imbalanced.pt").class_counts()
    n_max = balanced[0]
    assert n_max > 100 and balanced == [n_max] * 10
    assert imbalanced == [int(n_max * 0.1 ** (i / 9)) for i in range(10)]
    assert imbalanced[0] / imbalanced[-1] == pytest.approx(10, rel=0.1)


def test_smote_provenance_originals_first_then_synthetic(small_run):
    folder, _ = small_run
    cut = ImageSet.load(folder / f"{CUT}/imbalanced.pt")
    n, majority = len(cut), max(cut.class_counts())
    provenance = pd.read_parquet(folder / f"{RUN}/CE/SMOTE/provenance.parquet")
    assert (provenance.source_index.iloc[:n] == np.arange(n)).all()
    assert (provenance.label.iloc[:n].to_numpy() == cut.labels.numpy()).all()
    assert not provenance.synthetic.iloc[:n].any()
    assert provenance.synthetic.iloc[n:].all() and (provenance.source_index.iloc[n:] == -1).all()
    assert np.bincount(provenance.label).tolist() == [majority] * 10
    metrics = pd.read_parquet(folder / f"{RUN}/CE/SMOTE/metrics.parquet").iloc[0]
    assert metrics.n_train == 10 * majority and metrics.n_synthetic == 10 * majority - n
    # Balanced trains on the flat cut, without synthetic rows
    balanced = pd.read_parquet(folder / f"{RUN}/CE/Balanced/provenance.parquet")
    assert len(balanced) == len(ImageSet.load(folder / f"{CUT}/balanced.pt"))
    assert not balanced.synthetic.any()


def test_latent_outputs(small_run):
    folder, _ = small_run
    heads = torch.load(folder / f"{RUN}/CE/latent/heads.pt", weights_only=True)
    assert list(heads) == ["EOS_K5", "EOS_K10", "DSM"]
    features = torch.load(folder / f"{RUN}/CE/Base/features.pt", weights_only=True)
    cut = ImageSet.load(folder / f"{CUT}/imbalanced.pt")
    n = len(cut)
    assert features["train"].shape == (n, 64) and features["train_labels"].shape == (n,)
    assert features["test_logits"].shape == (len(features["test_labels"]), 10)
    # phase 2 stored each balanced FE set: the Base FE first, then synthetic rows
    sets = torch.load(folder / f"{RUN}/CE/latent/resampled.pt", weights_only=True)
    assert list(sets) == ["EOS_K5", "EOS_K10", "DSM"]
    for data in sets.values():
        assert torch.equal(data["X"][:n], features["train"]) and not data["synthetic"][:n].any()
        assert data["synthetic"][n:].all() and (data["source_index"][n:] == -1).all()
        assert torch.bincount(data["y"]).tolist() == [max(cut.class_counts())] * 10
    provenance = pd.read_parquet(folder / f"{RUN}/CE/latent/provenance.parquet")
    assert provenance.groupby("method").size().to_dict() == {
        name: len(d["y"]) for name, d in sets.items()
    }


def test_head_curve_logs_every_epoch_and_the_kept_head_is_scored(small_run):
    folder, _ = small_run
    curve = pd.read_parquet(folder / f"{RUN}/CE/latent/head_curve.parquet")
    assert curve.groupby("method").epoch.apply(list).to_dict() == {
        m: [1, 2, 3, 4] for m in ["EOS_K5", "EOS_K10", "DSM"]
    }  # head_curve_epochs 4, head epochs 2
    metrics = pd.read_parquet(folder / f"{RUN}/CE/latent/metrics.parquet").set_index("method")
    kept = curve[curve.epoch == 2].set_index("method")
    assert np.allclose(kept.bac, metrics.loc[kept.index, "bac"])


def _job_blocks(stdout: str) -> list[tuple[str, str]]:
    """(rule, resources line) of every job a Snakemake run printed."""
    blocks = re.split(r"\n(?:local)?rule ", stdout)[1:]
    jobs = []
    for block in blocks:
        rule = block.split(":", 1)[0]
        resources = re.search(r"^\s+resources: (.*)$", block, flags=re.M)
        jobs.append((rule, resources.group(1) if resources else ""))
    return jobs


def test_gpu_rules_declare_one_gpu(small_run):
    _, stdout = small_run
    jobs = _job_blocks(stdout)
    rules = {rule for rule, _ in jobs}
    assert {
        "image_data",
        "image_cut",
        "image_train",
        "image_latent",
        "image_analysis",
        "image_tables",
    } <= rules
    for rule, resources in jobs:
        gpus = re.findall(r"\bgpu=(\d+)", resources)
        if rule in ("image_train", "image_analysis"):  # not image_latent (CPU)
            assert gpus == ["1"], (rule, resources)
        else:
            assert gpus == [], (rule, resources)


def _dry_run_after_edit(folder, edit: dict) -> dict:
    config_path = folder / "config.yaml"
    original = config_path.read_text()
    config = yaml.safe_load(original)
    config["image"].update(edit)
    try:
        config_path.write_text(yaml.safe_dump(config))
        result = snakemake(folder, "-n")
    finally:
        config_path.write_text(original)
    assert result.returncode == 0, result.stdout[-3000:]
    return job_counts(result.stdout) if "Job stats:" in result.stdout else {}


TRAINING_RULES = {"image_data", "image_cut", "image_train"}
# Jobs that aggregate every run and so rerun whenever any run changes (seconds each).
AGGREGATES = {
    "analysis_tables",  # the DA/CE tidy tables hold the CNN's rows too
    "image_analysis",
    "image_analysis_tables",
    "image_tables",
    "image_tsne",
    "paper_comparison",  # compares image_accuracy.csv with the papers' tables
    "all",
}


def _reruns(counts: dict) -> dict:
    """The rerun jobs, without aggregations and figures."""
    return {
        rule: n
        for rule, n in counts.items()
        if rule not in AGGREGATES and rule != "image_figures" and rule != "total"
    }


@pytest.mark.parametrize(
    "edit",
    [
        {"latent_methods": ["EOS", "DSM", "ROS"]},
        {"head": {"epochs": 3}, "eos_k": [5, 20]},  # eos_k[0], used by pixel EOS, is unchanged
    ],
    ids=["latent_methods", "head+eos_k_tail"],
)
def test_editing_latent_settings_reruns_only_latent_jobs(small_run, edit):
    folder, _ = small_run
    assert _reruns(_dry_run_after_edit(folder, edit)) == {"image_latent": 2}


def test_editing_k_neighbors_retrains_only_the_methods_that_use_it(small_run):
    """k_neighbors is used by SMOTE in pixel space and by DSM in FE space; the base models
    (the expensive phase 1), ROS, EOS (eos_k), REMIX and Balanced do not use it."""
    folder, _ = small_run
    assert _reruns(_dry_run_after_edit(folder, {"k_neighbors": 4})) == {
        "image_train": 1,
        "image_latent": 2,
    }


def test_deleting_a_figure_reruns_only_its_own_job(small_run):
    folder, _ = small_run
    for figure in ["generalization_gap", "tsne"]:  # image_figures draws all but t-SNE
        path = folder / f"results/figures/digits_resnet8_{figure}.png"
        path.unlink()
        result = snakemake(folder, "-n", str(path.relative_to(folder)))
        assert result.returncode == 0, result.stdout[-3000:]
        rule = "image_tsne" if figure == "tsne" else "image_figures"
        assert job_counts(result.stdout) == {rule: 1, "total": 1}
        assert job_counts(snakemake(folder, "-n").stdout) == {rule: 1, "all": 1, "total": 2}
        assert snakemake(folder, "--cores", "1", str(path.relative_to(folder))).returncode == 0


# ---------------------------------------------------------------------------------------------
# Image analyses (issue 9)

FIGURES = [
    "head_weight_norms",
    "generalization_gap",
    "generalization_gap_tp_fp",
    "classification_embeddings",
    "saliency_overlap",
    "head_retraining_curve",
    "eos_k_sweep",
    "tsne",
]


def test_every_image_figure_and_analysis_table_is_built(small_run):
    folder, _ = small_run
    for figure in FIGURES:
        assert (folder / f"results/figures/digits_resnet8_{figure}.png").stat().st_size > 10_000, (
            figure
        )
    gaps = pd.read_csv(folder / "results/tables/generalization_gap.csv")
    assert list(gaps.columns[:8]) == [
        "dataset",
        "arch",
        "loss",
        "method",
        "space",
        "class",
        "subset",
        "gap",
    ]
    assert set(gaps.subset) == {"all", "TP", "FP"} and set(gaps["class"]) == set(range(10))
    runs = set(zip(gaps.loss, gaps.method, gaps.space))
    assert ("CE", "EOS", "input") in runs and ("CE", "EOS_K5", "latent") in runs
    assert ("CE", "Balanced", "input") in runs and len(
        runs
    ) == 13  # every run of the accuracy table
    assert (gaps.loc[gaps.subset == "all", "gap"] >= 0).all()
    ce = pd.read_csv(folder / "results/tables/image_classification_embeddings.csv")
    assert {"needed_share", "distinct_needed", "top_share", "n_tp"} <= set(ce.columns)
    assert (
        ce.needed_share.dropna().between(0, 1).all() and ce.top_share.dropna().between(0, 1).all()
    )
    # the CNN's CE rows also land in the CE paper's tidy tables, beside LG's and SVM's
    tidy = pd.read_csv(folder / "results/tables/classification_embeddings.csv")
    cnn = tidy[tidy.classifier == "CNN"]
    assert {"EOS_K5 (FE)", "Balanced"} <= set(cnn.method) and set(cnn["class"]) == set(range(10))
    assert cnn.distinct_share.between(0, 1).all() and (cnn.n_splits == 1).all()
    profiles = pd.read_csv(folder / "results/tables/embedding_profiles.csv")
    assert (profiles.classifier == "CNN").any()
    for table in ("weight_change", "top_k_overlap"):
        assert (pd.read_csv(folder / f"results/tables/{table}.csv").classifier == "CNN").any()
    wall = pd.read_csv(folder / "results/tables/image_wall_time.csv")
    three_phase = wall[wall.approach.str.startswith("three")]
    assert set(three_phase.loss) == {"CE", "LDAM"} and set(three_phase.method) == {"EOS_K5"}
    assert set(wall[wall.approach.str.startswith("pixel")].method) == {"SMOTE", "EOS"}
    assert (wall.total_seconds > 0).all()


def test_per_cut_weight_change_and_saliency_rows_for_the_da_tables(small_run):
    folder, _ = small_run
    analysis = folder / f"{RUN}/analysis"
    change = pd.read_parquet(analysis / "weight_change.parquet")
    assert {"dataset", "classifier", "method", "weight_change", "applicable"} <= set(change.columns)
    assert (change.classifier == "CNN").all() and (change.weight_change > 0).all()
    # rows of the DA tables: one unique name per run, as the paper's columns
    assert set(change.method) == {
        "LDAM",
        "ROS",
        "SMOTE",
        "EOS",
        "REMIX",
        "Balanced",
        "EOS_K5 (FE)",
        "EOS_K10 (FE)",
        "DSM (FE)",
        "EOS_K5 (FE) [LDAM]",
        "EOS_K10 (FE) [LDAM]",
        "DSM (FE) [LDAM]",
    }
    keyed = change.set_index(["loss", "run_method", "space"])
    assert ("CE", "Base", "input") not in keyed.index  # the reference itself
    assert (
        keyed.loc[("LDAM", "Base", "input"), "reference_loss"] == "CE"
    )  # DA Table XI's LDAM column
    assert keyed.loc[("LDAM", "DSM", "latent"), "reference_loss"] == "LDAM"
    overlap = pd.read_parquet(analysis / "top_k_overlap.parquet")
    assert overlap.overlap.between(0, 1).all() and (overlap.classifier == "CNN").all()
    assert set(zip(overlap.loss, overlap.run_method, overlap.space)) == set(keyed.index)
    norms = pd.read_parquet(analysis / "head_norms.parquet")
    assert ("CE", "Balanced", "input") in set(zip(norms.loss, norms.method, norms.space))


# ---------------------------------------------------------------------------------------------
# A minimal study (cases S1 and X1): Base only, no input-space and no latent methods

MINIMAL_IMAGE = {
    "datasets": ["digits"],
    "image_size": {"digits": 8},
    "cuts": [0],
    "archs": ["resnet8"],
    "losses": ["CE"],
    "input_losses": ["CE"],
    "methods": [],
    "latent_methods": [],
    "train": {"epochs": 1, "warmup_epochs": 0},
}


@pytest.fixture(scope="module")
def minimal_run(tmp_path_factory):
    folder = write_study(tmp_path_factory.mktemp("minimal"), {**NO_TABULAR, "image": MINIMAL_IMAGE})
    result = snakemake(folder, "--cores", "2", timeout=2400)  # generous: shared, busy CI machines
    assert result.returncode == 0, result.stdout[-4000:]
    return folder


def test_study_without_latent_or_input_methods_shows_what_ran(minimal_run):
    table = pd.read_csv(minimal_run / "results/tables/image_accuracy.csv")
    assert list(zip(table.loss, table.method, table.space)) == [("CE", "Base", "input")]
    assert "| Base |" in (minimal_run / "results/tables/image_accuracy.md").read_text()
    gaps = pd.read_csv(minimal_run / "results/tables/generalization_gap.csv")
    assert set(zip(gaps.method, gaps.space)) == {("Base", "input")}
    figures = sorted(p.name for p in (minimal_run / "results/figures").iterdir())
    assert figures == [
        f"digits_resnet8_{f}.png"
        for f in sorted(
            [
                "classification_embeddings",
                "generalization_gap",
                "generalization_gap_tp_fp",
                "head_weight_norms",
            ]
        )
    ]
    assert pd.read_csv(minimal_run / "results/tables/image_wall_time.csv").empty  # no EOS ran
    assert not list(minimal_run.glob("results/image/digits/cut0/resnet8/CE/latent"))


@pytest.mark.parametrize(
    "edit, new_jobs",
    [
        (
            {"cuts": [0, 1]},
            {"image_cut": 1, "image_train": 1},
        ),  # ../shared/cases/S1/config_add_cut.yaml
        ({"methods": ["Balanced"]}, {"image_cut": 1, "image_train": 1}),  # config_add_balanced.yaml
    ],
    ids=["add_cut", "add_Balanced"],
)
def test_adding_a_cut_or_balanced_adds_jobs_and_reruns_none(minimal_run, edit, new_jobs):
    """Case S1: the dry run lists the new cut file and training only (plus the aggregations
    that must take the new run in); no finished cut file or training is redone."""
    counts = _dry_run_after_edit(minimal_run, edit)
    assert _reruns(counts) == new_jobs
    assert "image_data" not in counts


@pytest.mark.parametrize(
    "edit",
    [
        {
            "latent_methods": [],
            "methods": ["ROS"],
            "losses": [],
        },  # input-space methods only, no Base
        {"methods": ["ROS"], "input_losses": []},  # nothing trained with input-space methods
        {"latent_methods": ["DSM"], "methods": []},
        {"datasets": []},
    ],
    ids=["no_losses", "no_input_losses", "no_input_methods", "no_datasets"],
)
def test_empty_image_lists_make_a_valid_study(minimal_run, edit):
    _dry_run_after_edit(minimal_run, edit)  # asserts the dry run succeeds


# ---------------------------------------------------------------------------------------------
# A user ImageFolder tree, configured by its path alone

FOLDER_COUNTS = {"train": [12, 6, 4], "test": [4, 4, 4]}
COLOURS = [(220, 30, 30), (30, 200, 30), (30, 30, 220)]


def _write_image_folder(root):
    rng = np.random.default_rng(0)
    for part, counts in FOLDER_COUNTS.items():
        for name, colour, count in zip(["ant", "bee", "cat"], COLOURS, counts):
            (root / part / name).mkdir(parents=True)
            for i in range(count):
                noise = rng.integers(-25, 26, size=(10, 12, 3))
                pixels = np.clip(np.array(colour) + noise, 0, 255).astype(np.uint8)
                Image.fromarray(pixels).save(root / part / name / f"{i}.png")
    return root


def test_image_folder_tree_runs_through_the_whole_study(tmp_path):
    tree = _write_image_folder(tmp_path / "tree")
    folder = tmp_path / "study"
    folder.mkdir()
    _study(
        folder,
        {
            "datasets": ["mine"],
            "folders": {"mine": str(tree)},
            "image_size": {},
            "losses": ["CE"],
            "methods": ["ROS"],
            "latent_methods": ["DSM"],
            "k_neighbors": 3,
            "eos_k": [5],
            "train": {"epochs": 2, "batch_size": 8},
        },
    )
    # the accuracy table needs data, cut, every training and the latent runs (analyses: above)
    table = "results/tables/image_accuracy.csv"
    result = snakemake(folder, "--cores", "2", table, timeout=2400)
    assert result.returncode == 0, result.stdout[-4000:]
    cut = ImageSet.load(folder / "results/image/mine/cut0/imbalanced.pt")
    assert cut.classes == ["ant", "bee", "cat"]
    assert cut.class_counts() == FOLDER_COUNTS["train"]  # natural profile: kept as it is
    assert tuple(cut.images.shape[1:]) == (3, 32, 32)  # default size, RGB
    test = ImageSet.load(folder / "results/image/mine/test.pt")
    assert test.class_counts() == FOLDER_COUNTS["test"]
    table = pd.read_csv(folder / "results/tables/image_accuracy.csv")
    assert set(zip(table.dataset, table.loss, table.method, table.space)) == {
        ("mine", "CE", "Base", "input"),
        ("mine", "CE", "ROS", "input"),
        ("mine", "CE", "DSM", "latent"),
    }
    assert table.bac_mean.between(0, 1).all()
    ros = pd.read_parquet(folder / "results/image/mine/cut0/resnet8/CE/ROS/provenance.parquet")
    assert np.bincount(ros.label).tolist() == [12, 12, 12]
    assert "## mine, resnet8" in (folder / "results/tables/image_accuracy.md").read_text()
    # adding an image to the tree reruns its data job (and what depends on it), not nothing
    assert (
        "Nothing to be done"
        in snakemake(folder, "-n", "--cores", "2", "results/tables/image_accuracy.csv").stdout
    )
    Image.open(tree / "train" / "ant" / "0.png").save(tree / "train" / "ant" / "extra.png")
    planned = snakemake(folder, "-n", "--cores", "2", "results/tables/image_accuracy.csv")
    assert job_counts(planned.stdout).get("image_data") == 1, planned.stdout[-3000:]


# ---------------------------------------------------------------------------------------------
# Config errors stop the workflow before any job runs


def _fails_before_any_job(folder, message):
    result = snakemake(folder, "--cores", "1")
    assert result.returncode != 0
    assert message in result.stdout, result.stdout[-3000:]
    assert "Job stats:" not in result.stdout
    assert not (folder / "results").exists()


def test_unknown_image_dataset_fails_before_any_job(tmp_path):
    _fails_before_any_job(
        _study(tmp_path, {"datasets": ["digits", "cifar11"]}), "unknown dataset 'cifar11'"
    )


def test_image_folder_without_train_and_test_fails_before_any_job(tmp_path):
    tree = tmp_path / "tree"
    (tree / "train" / "ant").mkdir(parents=True)  # no test/
    study = tmp_path / "study"
    study.mkdir()
    _fails_before_any_job(
        _study(study, {"datasets": ["mine"], "folders": {"mine": str(tree)}}),
        "needs train/ and test/ folders",
    )


@pytest.mark.parametrize(
    "override, message",
    [
        ({"archs": ["resnet8", "vgg16"]}, "'vgg16' does not match"),
        ({"losses": ["CE", "Hinge"]}, "'Hinge' does not match"),
    ],
    ids=["arch", "loss"],
)
def test_schema_rejects_bad_arch_and_loss_names(tmp_path, override, message):
    _fails_before_any_job(_study(tmp_path, override), message)


@pytest.mark.parametrize(
    "override, message",
    [
        (
            {"archs": ["resnet8", "resnet9"]},
            "config image.archs: unknown architecture 'resnet9'; accepted forms: resnet{6n+2}",
        ),
        (
            {"per_dataset": {"digits": {"archs": ["wrn12_2"]}}},
            "config image.per_dataset.digits.archs: unknown architecture 'wrn12_2'",
        ),
    ],
    ids=["depth", "per_dataset"],
)
def test_arch_of_a_depth_no_network_has_fails_before_any_job(tmp_path, override, message):
    _fails_before_any_job(_study(tmp_path, override), message)
