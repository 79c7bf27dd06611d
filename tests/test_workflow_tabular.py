"""The tabular study through Snakemake: dry runs, config errors, a small real run."""

import numpy as np
import pandas as pd
import pytest

from workflow_helpers import REPO, job_counts, snakemake, write_study

SMALL_TABULAR = {
    "datasets": ["breast_cancer"], "n_splits": 2, "methods": ["Base", "CS", "ROS", "SMOTE", "REMIX"],
    "latent_methods": ["EOS", "DSM"], "classifiers": ["LG", "NN"], "nn": {"epochs": 5},
}
NO_IMAGES = {"image": {"datasets": []}}


def _study(tmp_path, tabular=None, extra=None):
    return write_study(tmp_path, {"tabular": tabular or {}, **NO_IMAGES, **(extra or {})})


def test_default_study_dry_run_plans_every_tabular_job(tmp_path):
    result = snakemake(write_study(tmp_path, {}), "-n")
    assert result.returncode == 0, result.stdout
    counts = job_counts(result.stdout)
    assert counts["tabular_run"] == 2 and counts["tabular_table"] == 1
    assert counts["image_train"] == 9 and counts["image_latent"] == 2  # (CE, LDAM) bases + 7 methods


def test_lint_is_clean():
    result = snakemake(REPO, "--lint")
    assert result.returncode == 0 and "good condition" in result.stdout


@pytest.mark.parametrize("override, message", [
    ({"tabular": {"n_splits": "five"}}, "'five' is not of type 'integer'"),
    ({"tabular": {"colour": "red"}}, "'colour' was unexpected"),
    ({"tabular": {"methods": ["SMOTE", "GAN"]}}, "'GAN' is not one of"),
])
def test_schema_errors_name_the_key(tmp_path, override, message):
    result = snakemake(write_study(tmp_path, override), "-n")
    assert result.returncode != 0
    assert message in result.stdout


def test_unknown_dataset_fails_before_any_job(tmp_path):
    result = snakemake(_study(tmp_path, {"datasets": ["breast_cancer", "ozone_levle"]}), "-n")
    assert result.returncode != 0
    assert "unknown dataset 'ozone_levle'" in result.stdout


@pytest.mark.parametrize("profile", ["local", "gpu", "slurm"])
def test_profiles_dry_run(tmp_path, profile):
    if profile == "slurm":
        pytest.importorskip("snakemake_executor_plugin_slurm")
    result = snakemake(write_study(tmp_path, {}), "-n", "--profile", str(REPO / "profiles" / profile))
    assert result.returncode == 0, result.stdout


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    folder = _study(tmp_path_factory.mktemp("tabular"), SMALL_TABULAR)
    result = snakemake(folder, "--cores", "2")
    assert result.returncode == 0, result.stdout[-3000:]
    return folder


def test_small_run_writes_the_tables_and_figure(small_run):
    table = pd.read_csv(small_run / "results/tables/tabular_accuracy.csv")
    assert list(table.columns) == ["dataset", "method", "classifier", "bac_mean", "bac_std",
                                   "gm_mean", "gm_std", "fm_mean", "fm_std", "n_splits"]
    # 5 input methods x 2 classifiers + 2 latent methods on the NN
    assert len(table) == 12 and (table.n_splits == 2).all()
    assert set(table[table.method.isin(["EOS", "DSM"])].classifier) == {"NN"}
    assert table.bac_mean.between(0.5, 1).all()
    assert "## breast_cancer" in (small_run / "results/tables/tabular_accuracy.md").read_text()
    assert (small_run / "results/figures/tabular_accuracy.png").stat().st_size > 10_000


def test_provenance_marks_originals_and_synthetic_rows(small_run):
    provenance = pd.read_parquet(small_run / "results/tabular/breast_cancer/split0/provenance.parquet")
    data = pd.read_parquet(small_run / "results/tabular/breast_cancer/data.parquet")
    n_train = len(provenance[(provenance.method == "Base")])
    assert n_train == round(0.7 * len(data))
    smote = provenance[provenance.method == "SMOTE"]
    assert (smote.source_index.iloc[:n_train] == np.arange(n_train)).all()
    assert smote.synthetic.iloc[n_train:].all() and (smote.source_index.iloc[n_train:] == -1).all()
    majority = int((smote.label.iloc[:n_train] == 0).sum())
    assert np.bincount(smote.label).tolist() == [majority, majority]
    ros = provenance[provenance.method == "ROS"]
    assert (ros.source_index.iloc[n_train:] >= 0).all()  # ROS rows are copies of originals


def test_single_figure_target_rebuilds_only_that_figure(small_run):
    figure = small_run / "results/figures/tabular_accuracy.png"
    figure.unlink()
    result = snakemake(small_run, "--cores", "1", "results/figures/tabular_accuracy.png")
    assert result.returncode == 0, result.stdout
    assert figure.exists()
    assert job_counts(result.stdout) == {"tabular_figure": 1, "total": 1}


def test_class_too_small_for_k_fails_before_training(tmp_path):
    folder = _study(tmp_path, {**SMALL_TABULAR, "k_neighbors": 30})
    result = snakemake(folder, "--cores", "1")
    assert result.returncode != 0
    log = (folder / "results/logs/tabular/breast_cancer/run.log").read_text()
    assert "class 1 has 24 training rows" in log and "needs at least 31" in log
    assert not (folder / "results/tabular/breast_cancer/split0").exists()


def test_user_csv_runs_through_config_alone(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(120, 3)), columns=["a", "b", "c"])
    frame["label"] = np.where(np.arange(120) < 12, "rare", "common")
    frame.loc[frame.label == "rare", "a"] += 3
    frame.to_csv(tmp_path / "mine.csv", index=False)
    tabular = {"datasets": ["mine"], "n_splits": 2, "methods": ["Base", "ROS"], "latent_methods": [],
               "classifiers": ["LG"],
               "files": {"mine": {"path": str(tmp_path / "mine.csv"), "target": "label", "minority": "rare"}}}
    result = snakemake(_study(tmp_path, tabular), "--cores", "2")
    assert result.returncode == 0, result.stdout[-3000:]
    table = pd.read_csv(tmp_path / "results/tables/tabular_accuracy.csv")
    assert table.dataset.unique().tolist() == ["mine"] and table.method.tolist() == ["Base", "ROS"]
    assert table.bac_mean.min() > 0.7


def test_missing_user_file_fails_before_any_job(tmp_path):
    files = {"mine": {"path": str(tmp_path / "absent.csv"), "target": "y", "minority": 1}}
    result = snakemake(_study(tmp_path, {"datasets": ["mine"], "files": files}), "-n")
    assert result.returncode != 0 and "tabular.files.mine.path" in result.stdout
