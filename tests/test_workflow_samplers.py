"""A sampler added by config alone (import path, no code) runs through the workflow in pixel,
latent and tabular space, with provenance."""

import numpy as np
import pandas as pd

from workflow_helpers import snakemake, write_study

SVMSMOTE = {
    "name": "SVMSMOTE",
    "sampler": "imblearn.over_sampling.SVMSMOTE",
    "params": {"k_neighbors": 3},
}
RUS = {"name": "RUS", "sampler": "imblearn.under_sampling.RandomUnderSampler"}
IMAGE = {
    "datasets": ["digits"],
    "image_size": {"digits": 8},
    "cuts": [0],
    "imbalance": {},
    "archs": ["resnet8"],
    "losses": ["CE"],
    "input_losses": ["CE"],
    "methods": [SVMSMOTE],
    "latent_methods": [SVMSMOTE, RUS],
    "train": {"epochs": 1, "batch_size": 128, "warmup_epochs": 1, "flip": False},
    "head": {"epochs": 1},
}
TABULAR = {
    "datasets": ["breast_cancer"],
    "n_splits": 1,
    "methods": ["Base", SVMSMOTE],
    "latent_methods": [SVMSMOTE],
    "classifiers": ["LG", "NN"],
    "nn": {"epochs": 2},
}


def test_config_sampler_runs_in_pixel_latent_and_tabular_space(tmp_path):
    """One run (per-job start-up dominates this tiny study) of both studies."""
    write_study(tmp_path, {"tabular": TABULAR, "image": IMAGE})
    result = snakemake(
        tmp_path,
        "--cores",
        "2",
        "results/tables/image_accuracy.csv",
        "results/tables/tabular_accuracy.csv",
    )
    assert result.returncode == 0, result.stdout[-4000:]
    table = pd.read_csv(tmp_path / "results/tables/image_accuracy.csv")
    rows = set(zip(table.method, table.space))
    assert {("SVMSMOTE", "input"), ("SVMSMOTE", "latent"), ("RUS", "latent")} <= rows
    provenance = pd.read_parquet(
        tmp_path / "results/image/digits/cut0/resnet8/CE/SVMSMOTE/provenance.parquet"
    )
    n = int((~provenance.synthetic).sum())
    assert provenance.synthetic.sum() > 0 and not provenance.synthetic[:n].any()
    assert (provenance.source_index[:n] == np.arange(n)).all()
    tabular = pd.read_csv(tmp_path / "results/tables/tabular_accuracy.csv")
    assert {"Base", "SVMSMOTE"} <= set(tabular.method)
    assert tabular.loc[tabular.method == "SVMSMOTE", "bac_mean"].notna().all()
    if "space" in tabular:
        assert ("SVMSMOTE", "latent") in set(zip(tabular.method, tabular.space))


def test_a_misspelt_config_sampler_fails_before_any_job(tmp_path):
    bad = {**SVMSMOTE, "sampler": "imblearn.over_sampling.SVMSMOT"}
    write_study(tmp_path, {"tabular": {"datasets": []}, "image": {**IMAGE, "methods": [bad]}})
    result = snakemake(tmp_path, "-n")
    assert result.returncode != 0
    assert "config image.methods: method 'SVMSMOTE': cannot import sampler" in result.stdout
