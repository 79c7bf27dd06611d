"""The tabular study through Snakemake: the stages as rules, config edits that rerun only what
they change, not-applicable methods, empty lists, single-target rebuilds."""

import re

import numpy as np
import pandas as pd
import pytest
import yaml

from workflow_helpers import REPO, job_counts, snakemake, write_study

SMALL_TABULAR = {
    "datasets": ["breast_cancer"],
    "n_splits": 2,
    "methods": ["Base", "CS", "SMOTE"],
    "latent_methods": ["EOS"],
    "classifiers": ["SVM", "LG", "NN"],
    "nn": {"epochs": 3, "head_epochs": 2, "weight_decay": [0.01], "validation_size": 0},
}
NO_IMAGES = {"image": {"datasets": []}}
STAGES = [
    "tabular_data",
    "tabular_resample",
    "tabular_fit",
    "tabular_fit_nn",
    "tabular_latent",
    "tabular_analysis_svm",
    "tabular_analysis_lg",
    "tabular_analysis_nn",
]


def _study(tmp_path, tabular=None, extra=None):
    return write_study(tmp_path, {"tabular": tabular or {}, **NO_IMAGES, **(extra or {})})


def _dataset_wildcards(output: str) -> set[str]:
    return set(re.findall(r"wildcards: dataset=([\w\-]+)", output))


def test_default_study_dry_run_plans_every_stage(tmp_path):
    result = snakemake(write_study(tmp_path, {}), "-n")
    assert result.returncode == 0, result.stdout
    counts = job_counts(result.stdout)
    for rule, n in [
        ("tabular_data", 1),
        ("tabular_resample", 1),
        ("tabular_fit", 2),
        ("tabular_fit_nn", 1),
        ("tabular_latent", 1),
        ("tabular_analysis_svm", 1),
        ("tabular_analysis_lg", 1),
        ("tabular_analysis_nn", 1),
        ("tabular_tables", 1),
    ]:
        assert counts[rule] == n, (rule, counts)


def test_rulegraph_shows_the_stages_in_order():
    result = snakemake(REPO, "--rulegraph", "--config", "image={'datasets': []}")
    assert result.returncode == 0, result.stdout[-2000:]
    labels = dict(re.findall(r'(\d+)\[label = "(\w+)"', result.stdout))
    edges = {(labels[a], labels[b]) for a, b in re.findall(r"(\d+) -> (\d+)", result.stdout)}
    for edge in [
        ("tabular_data", "tabular_resample"),
        ("tabular_resample", "tabular_fit"),
        ("tabular_fit_nn", "tabular_latent"),
        ("tabular_latent", "tabular_analysis_nn"),
        ("tabular_fit", "tabular_analysis_svm"),
        ("tabular_analysis_lg", "tabular_tables"),
        ("analysis_tables", "tabular_figures"),
    ]:
        assert edge in edges, edge


def test_lint_is_clean_for_the_tabular_and_analysis_rules():
    result = snakemake(REPO, "--lint")
    linted = re.findall(r"Lints for snakefile \S+/(\w+\.smk)", result.stdout)
    assert not set(linted) & {"tabular.smk", "tabular_common.smk", "analysis.smk"}, result.stdout[
        -3000:
    ]
    assert "Lints for snakefile" in result.stdout or "good condition" in result.stdout


@pytest.mark.parametrize(
    "override, message",
    [
        ({"tabular": {"n_splits": "five"}}, "'five' is not of type 'integer'"),
        ({"tabular": {"colour": "red"}}, "config tabular: unknown key(s) ['colour']"),
        ({"figure_format": "gif"}, "config figure_format: unknown value 'gif'; choose from"),
    ],
)
def test_schema_errors_name_the_key(tmp_path, override, message):
    result = snakemake(write_study(tmp_path, override), "-n")
    assert result.returncode != 0
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert message in lines[-1]  # the one line the user sees last, no schema dump after it
    assert len(lines) <= 3


def test_unknown_dataset_fails_before_any_job(tmp_path):
    result = snakemake(_study(tmp_path, {"datasets": ["breast_cancer", "ozone_levle"]}), "-n")
    assert result.returncode != 0
    assert "unknown dataset 'ozone_levle'" in result.stdout


@pytest.mark.parametrize("profile", ["local", "gpu", "slurm"])
def test_profiles_dry_run(tmp_path, profile):
    if profile == "slurm":
        pytest.importorskip("snakemake_executor_plugin_slurm")
    result = snakemake(
        write_study(tmp_path, {}), "-n", "--profile", str(REPO / "profiles" / profile)
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    "tabular, absent",
    [
        ({"datasets": []}, STAGES + ["tabular_tables"]),
        ({"latent_methods": []}, ["tabular_latent"]),
        (
            {"classifiers": ["LG"]},
            ["tabular_fit_nn", "tabular_analysis_svm"],
        ),
        ({"methods": [], "classifiers": ["NN"]}, ["tabular_fit", "tabular_analysis_lg"]),
    ],
)
def test_empty_lists_plan_only_what_runs(tmp_path, tabular, absent):
    result = snakemake(_study(tmp_path, {**SMALL_TABULAR, **tabular}), "-n")
    assert result.returncode == 0, result.stdout[-3000:]
    counts = job_counts(result.stdout) if "Job stats:" in result.stdout else {}
    assert not set(absent) & set(counts), counts


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    folder = _study(tmp_path_factory.mktemp("tabular"), SMALL_TABULAR)
    result = snakemake(folder, "--cores", "2", timeout=1800)
    assert result.returncode == 0, result.stdout[-3000:]
    return folder


def test_small_run_writes_every_table_and_figure(small_run):
    table = pd.read_csv(small_run / "results/tables/tabular_accuracy.csv")
    assert (
        len(table) == 3 * 3 + 1 and (table.n_splits == 2).all()
    )  # 3 methods x 3 classifiers + EOS
    tables = small_run / "results/tables"
    assert pd.read_csv(tables / "support_vectors.csv").method.tolist() == ["Base", "CS", "SMOTE"]
    weights = pd.read_csv(tables / "weight_change.csv")
    assert list(weights.columns[:4]) == ["dataset", "classifier", "method", "weight_change"]
    assert set(zip(weights.classifier, weights.method)) >= {("LG", "SMOTE"), ("NN", "EOS")}
    assert list(pd.read_csv(tables / "top_k_overlap.csv").columns[:4]) == [
        "dataset",
        "classifier",
        "method",
        "overlap",
    ]
    assert set(pd.read_csv(tables / "classification_embeddings.csv").classifier) == {"LG", "SVM"}
    figures = {p.name for p in (small_run / "results/figures").glob("*.png")}
    assert {
        "da_fig2_sv_ratio_to_base.png",
        "da_fig7_lg_weight_norms.png",
        "top5_features_NN_breast_cancer.png",
        "ce_needed_share_SVM.png",
    } <= figures


def test_models_are_stored_without_pickle(small_run):
    import skops.io as sio

    models = small_run / "results/tabular/breast_cancer/models"
    assert sio.get_untrusted_types(file=models / "SVM.skops") == []
    from imbaug.io import load_torch

    assert set(load_torch(models / "NN.pt")["models"]) == {
        "split0/Base",
        "split0/CS",
        "split0/SMOTE",
        "split1/Base",
        "split1/CS",
        "split1/SMOTE",
    }


def test_stored_split_partition_is_used_per_split(small_run):
    from sklearn.preprocessing import StandardScaler

    root = small_run / "results/tabular/breast_cancer"
    data = pd.read_parquet(root / "data.parquet").drop(columns="target").to_numpy()
    partition = pd.read_parquet(root / "partition.parquet")
    for split in (0, 1):
        rows = np.sort(partition.query("split == @split and part == 'train'").row.to_numpy())
        base = pd.read_parquet(root / f"split{split}/resampled.parquet").query("method == 'Base'")
        features = base[[c for c in base.columns if re.fullmatch(r"f\d+", c)]].to_numpy()
        np.testing.assert_allclose(features, StandardScaler().fit_transform(data[rows]))


def test_latent_sets_hold_training_features_only(small_run):
    from imbaug.data.tabular import TabularData
    from imbaug.pipeline.tabular import resampled_from_frame, split_data
    from imbaug.pipeline.tabular_artifacts import load_nn_models
    from imbaug.training.tabular import mlp_features

    root = small_run / "results/tabular/breast_cancer"
    data = TabularData.from_frame("breast_cancer", pd.read_parquet(root / "data.parquet"))
    part = split_data(data, pd.read_parquet(root / "partition.parquet"), 1)
    base = load_nn_models(root / "models/NN.pt")["split1/Base"]
    eos = resampled_from_frame(pd.read_parquet(root / "split1/latent_resampled.parquet"), "EOS")
    originals = eos.source_index >= 0
    np.testing.assert_allclose(
        eos.X[originals], mlp_features(base, part.X_train)[eos.source_index[originals]], rtol=1e-5
    )


def test_report_has_every_figure_and_table_with_a_caption(small_run):
    result = snakemake(small_run, "--report", "report.zip")
    assert result.returncode == 0, result.stdout[-3000:]
    # every caption is valid reStructuredText (docutils reports problems as "(LEVEL/n)")
    assert "(ERROR/" not in result.stdout and "(WARNING/" not in result.stdout, result.stdout
    import zipfile

    names = zipfile.ZipFile(small_run / "report.zip").namelist()
    for output in [
        "da_fig2_sv_ratio_to_base.png",
        "ce_needed_share_LG.png",
        "support_vectors.csv",
        "paper_comparison.csv",
        "critical_difference_NN.png",
    ]:
        assert any(name.endswith(output) for name in names), output


def test_adding_a_dataset_reruns_no_finished_job(small_run):
    """../shared/cases/S1: a second tabular dataset plans only its own jobs and the tables."""
    edit = small_run / "add_dataset.yaml"
    edit.write_text(yaml.safe_dump({"tabular": {"datasets": ["breast_cancer", "synthetic"]}}))
    result = snakemake(small_run, "-n", "--configfile", str(small_run / "config.yaml"), str(edit))
    assert result.returncode == 0, result.stdout[-3000:]
    assert _dataset_wildcards(result.stdout) == {"synthetic"}
    counts = job_counts(result.stdout)
    assert counts["tabular_data"] == 1
    assert [counts[f"tabular_analysis_{c}"] for c in ("svm", "lg", "nn")] == [1, 1, 1]


def test_a_finished_study_plans_nothing(small_run):
    result = snakemake(small_run, "-n")
    assert result.returncode == 0 and "Nothing to be done" in result.stdout, result.stdout[-3000:]


def test_single_figure_target_rebuilds_only_that_figure(small_run):
    figure = small_run / "results/figures/da_fig2_sv_ratio_to_base.png"
    figure.unlink()
    result = snakemake(small_run, "--cores", "1", "results/figures/da_fig2_sv_ratio_to_base.png")
    assert result.returncode == 0, result.stdout
    assert figure.exists()
    assert job_counts(result.stdout) == {"tabular_figures": 1, "total": 1}


def test_a_method_failing_on_a_split_keeps_the_others(tmp_path):
    """../shared/cases/T2: ADASYN has no majority neighbours on a separated minority cluster."""
    tabular = {
        "datasets": ["separated"],
        "n_splits": 2,
        "methods": ["Base", "SMOTE", "ADASYN"],
        "classifiers": ["LG"],
        "latent_methods": [],
        "files": {
            "separated": {
                "path": str(REPO / "tests/data/cases/T2/separated.csv"),
                "target": "y",
                "minority": 1,
            }
        },
    }
    folder = _study(tmp_path, tabular)
    result = snakemake(
        folder,
        "--cores",
        "2",
        "results/tables/tabular_accuracy.csv",
        "results/tables/weight_change.csv",
    )
    assert result.returncode == 0, result.stdout[-3000:]
    table = pd.read_csv(folder / "results/tables/tabular_accuracy.csv").set_index("method")
    assert table.loc["ADASYN", "n_not_applicable"] == 2 and np.isnan(
        table.loc["ADASYN", "bac_mean"]
    )
    assert table.loc["SMOTE", "n_splits"] == 2 and table.loc["SMOTE", "bac_mean"] > 0.5
    assert "n/a on 2 of 2 splits" in (folder / "results/tables/tabular_accuracy.md").read_text()
    assert (
        pd.read_csv(folder / "results/tables/weight_change.csv")
        .set_index("method")
        .loc["ADASYN", "n_not_applicable"]
        == 2
    )
    log = (folder / "results/logs/tabular/separated/resample.log").read_text()
    assert (
        "ADASYN not applicable" in log
        and "dataset 'separated', split 1, over-sampling class 1" in log
    )


def test_class_too_small_for_k_fails_before_training(tmp_path):
    folder = _study(tmp_path, {**SMALL_TABULAR, "k_neighbors": 30})
    result = snakemake(folder, "--cores", "1", "results/tabular/breast_cancer/resampling.parquet")
    assert result.returncode != 0
    log = (folder / "results/logs/tabular/breast_cancer/resample.log").read_text()
    assert (
        "the minority class (label 1) has 24 training row(s)" in log and "needs at least 31" in log
    )
    assert not (folder / "results/tabular/breast_cancer/split0/resampled.parquet").exists()


def test_missing_user_file_fails_before_any_job(tmp_path):
    files = {"mine": {"path": str(tmp_path / "absent.csv"), "target": "y", "minority": 1}}
    result = snakemake(_study(tmp_path, {"datasets": ["mine"], "files": files}), "-n")
    assert result.returncode != 0 and "tabular.files.mine" in result.stdout
