"""The tabular stages at library level: splits, resampling with not-applicable methods, the
latent stage's training-only features, evaluation rows, early errors."""

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imbaug.data.tabular import TabularDataError, load_tabular
from imbaug.pipeline.tabular import (
    PROVENANCE_COLUMNS,
    TabularStudy,
    check_class_sizes,
    evaluate_models,
    fit_model,
    latent_split,
    make_partition,
    nn_method_settings,
    resample_split,
    resampled_from_frame,
    split_data,
)
from imbaug.resampling import Resampled
from imbaug.training.tabular import NNSettings, mlp_features, select_mlp_settings

SMALL = TabularStudy(
    methods=("Base", "CS", "SMOTE", "REMIX"),
    latent_methods=("EOS", "DSM"),
    classifiers=("LG", "NN"),
    n_splits=2,
    nn=NNSettings(epochs=3),
    head_epochs=2,
    k_neighbors=5,
    eos_k=10,
    remix_alpha=0.2,
)
T2_CSV = Path(__file__).parent / "data/cases/T2/separated.csv"  # ../shared/cases/T2, copied
T2_FILES = {"separated": {"path": str(T2_CSV), "target": "y", "minority": 1}}


@pytest.fixture(scope="module")
def data():
    return load_tabular("breast_cancer")


@pytest.fixture(scope="module")
def partition(data):
    return make_partition(data.y, 3, 0.3)


def test_each_split_uses_its_own_partition(data, partition):
    from sklearn.preprocessing import StandardScaler

    train = {s: set(partition.query("split == @s and part == 'train'").row) for s in range(3)}
    assert train[0] != train[1] != train[2]
    rows = np.array(sorted(train[1]))
    expected = StandardScaler().fit_transform(data.X[rows])
    np.testing.assert_allclose(split_data(data, partition, 1).X_train, expected)
    assert not np.allclose(split_data(data, partition, 0).X_train[:5], expected[:5])


def test_resampled_sets_round_trip_with_provenance(data, partition):
    frame, statuses = resample_split(
        SMALL, "breast_cancer", split_data(data, partition, 0), 0, SMALL.methods
    )
    assert [s["method"] for s in statuses] == list(SMALL.methods) and all(
        s["applicable"] for s in statuses
    )
    smote = resampled_from_frame(frame, "SMOTE")
    n = 274  # 70% of 392 rows
    assert (smote.source_index[:n] == np.arange(n)).all() and (smote.source_index[n:] == -1).all()
    assert np.bincount(smote.y).tolist() == [250, 250]
    assert resampled_from_frame(frame, "REMIX").soft_labels is not None
    again, _ = resample_split(
        SMALL, "breast_cancer", split_data(data, partition, 0), 0, SMALL.methods
    )
    pd.testing.assert_frame_equal(frame, again)


def test_a_method_that_cannot_run_on_a_split_is_marked_not_applicable(caplog):
    data = load_tabular("separated", files=T2_FILES)
    partition = make_partition(data.y, 1, 0.3)
    study = dataclasses.replace(SMALL, methods=("Base", "SMOTE", "ADASYN"))
    frame, statuses = resample_split(
        study, "separated", split_data(data, partition, 0), 0, study.methods
    )
    adasyn = statuses[2]
    assert not adasyn["applicable"] and adasyn["n_train"] == 0
    assert "dataset 'separated', split 0, over-sampling class 1" in adasyn["reason"]
    assert "ADASYN not applicable" in caplog.text and "split 0" in caplog.text
    assert set(frame.method) == {"Base", "SMOTE"}  # the others are kept
    rows = evaluate_models(
        data,
        partition,
        "LG",
        {
            (0, "input", m): fit_model("LG", m, resampled_from_frame(frame, m), study, 0)
            for m in ("Base", "SMOTE")
        },
        pd.DataFrame(statuses),
        pd.DataFrame(columns=["split", "method", "fit_seconds"]),
    )
    assert rows.method.tolist() == ["Base", "SMOTE", "ADASYN"]
    assert rows.applicable.tolist() == [True, True, False] and np.isnan(rows.bac.iloc[2])
    assert rows.bac.iloc[:2].between(0.5, 1).all()


def test_latent_heads_see_only_training_features(data, partition):
    part = split_data(data, partition, 0)
    base = fit_model("NN", "Base", Resampled.unchanged(part.X_train, part.y_train), SMALL, 0)
    heads, frame, statuses = latent_split(SMALL, "breast_cancer", base, part, 0)
    assert set(heads) == {"EOS", "DSM"} and all(s["space"] == "latent" for s in statuses)
    eos = resampled_from_frame(frame, "EOS")
    originals = eos.source_index >= 0
    # the original rows of the latent set are the Base NN's features of the training rows, in order
    np.testing.assert_allclose(
        eos.X[originals], mlp_features(base, part.X_train)[eos.source_index[originals]]
    )
    assert np.bincount(eos.y).tolist() == [250, 250]
    assert not np.isin(mlp_features(base, part.X_test)[:, 0], eos.X[originals][:, 0]).all()


def test_class_too_small_for_k_is_reported_before_training(data, partition):
    with pytest.raises(
        TabularDataError,
        match=r"the minority class \(label 1\) has 24 training row\(s\) in split 0, but "
        r"SMOTE needs at least 41; lower tabular.k_neighbors",
    ):
        check_class_sizes(data, partition, ("Base", "SMOTE"), k_neighbors=40)
    check_class_sizes(data, partition, ())  # no methods: nothing to check


def test_class_too_small_for_any_k_asks_for_rows_not_a_smaller_k(data):
    y = np.zeros(40, dtype=np.int64)
    y[:2] = 1  # 2 minority rows: one per part, 1 training row, below SMOTE's 2 at any K
    tiny = type(data)(data.name, data.X[:40], y, data.feature_names)
    with pytest.raises(TabularDataError, match=r"has 1 training row\(s\) .* no K fits so few rows"):
        check_class_sizes(tiny, make_partition(y, 1, 0.5, "tiny"), ("SMOTE",), k_neighbors=5)


def test_a_class_of_one_row_cannot_be_split_and_is_named():
    y = np.array([0] * 9 + [1])
    with pytest.raises(
        TabularDataError, match=r"^dataset 'churn': the minority class \(label 1\) has 1 row\(s\)"
    ):
        make_partition(y, 2, 0.3, "churn")


def test_study_from_a_partial_config_keeps_defaults():
    study = TabularStudy.from_config(
        {"methods": ["ROS"], "remix": {"alpha": 0.5}, "nn": {"head_epochs": 3}}, 7
    )
    assert study.methods == ("ROS",) and study.remix_alpha == 0.5 and study.head_epochs == 3
    assert study.seed == 7 and study.k_neighbors is None and study.nn == NNSettings()


def test_study_fills_method_settings_from_the_config_and_refuses_missing_ones():
    import yaml

    with open("config.yaml") as handle:
        tabular = yaml.safe_load(handle)["tabular"]
    study = TabularStudy.from_config(tabular)
    assert (study.k_neighbors, study.eos_k) == (tabular["k_neighbors"], tabular["eos_k"])
    assert (study.remix_alpha, study.remix_kappa, study.remix_tau) == (0.2, 3.0, 0.5)
    X, y = np.random.default_rng(0).normal(size=(30, 2)), np.repeat([0, 1], [22, 8])
    bare = TabularStudy.from_config({"methods": ["SMOTE", "REMIX"]})
    with pytest.raises(ValueError, match="k_neighbors"):
        bare.resample("SMOTE", X, y, 0)
    with pytest.raises(ValueError, match="remix_alpha"):
        bare.resample("REMIX", X, y, 0)
    with pytest.raises(ValueError, match="k_neighbors"):
        check_class_sizes(
            load_tabular("breast_cancer"),
            make_partition(np.repeat([0, 1], [30, 10]), 1, 0.3),
            ("SMOTE",),
        )


def test_remix_and_eos_rows_keep_both_parents_in_the_stored_parquet(data, partition, tmp_path):
    from imbaug.io import read_parquet, write_parquet

    part = split_data(data, partition, 0)
    frame, _ = resample_split(SMALL, "breast_cancer", part, 0, ("REMIX", "EOS"))
    write_parquet(frame, tmp_path / "resampled.parquet")
    stored = read_parquet(tmp_path / "resampled.parquet")
    assert set(PROVENANCE_COLUMNS) <= set(stored)
    for method in ("REMIX", "EOS"):
        direct = SMALL.resample(method, part.X_train, part.y_train, 0)
        loaded = resampled_from_frame(stored, method)
        np.testing.assert_array_equal(loaded.parents, direct.parents)
        np.testing.assert_array_equal(loaded.parent_weight, direct.parent_weight)
        mixed = loaded.synthetic
        assert mixed.any() and (loaded.parents[mixed] >= 0).all()
    empty, _ = resample_split(dataclasses.replace(SMALL, methods=()), "breast_cancer", part, 0, ())
    assert list(empty.columns) == PROVENANCE_COLUMNS


def test_nn_settings_are_chosen_per_method_on_its_resampled_inner_rows(data, partition):
    from imbaug.training.tabular import choose_mlp_settings, inner_split

    study = dataclasses.replace(
        SMALL,
        methods=("Base", "ROS"),
        nn=NNSettings(epochs=6, weight_decay=[0.0, 0.03], batch_size=64),
    )
    part = split_data(data, partition, 0)
    fit_rows, val_rows = inner_split(part.y_train, n_classes=2, settings=study.nn, seed=0)
    assert set(fit_rows).isdisjoint(val_rows) and len(fit_rows) + len(val_rows) == len(part.y_train)
    ros = study.resample(
        "ROS", part.X_train[fit_rows], part.y_train[fit_rows], 0
    )  # inner rows only
    expected = choose_mlp_settings(
        (ros.X, ros.y),
        (part.X_train[val_rows], part.y_train[val_rows]),
        n_classes=2,
        settings=study.nn,
        seed=0,
    )
    assert nn_method_settings(study, "ROS", part, 0) == expected
    assert nn_method_settings(study, "Base", part, 0) == select_mlp_settings(
        part.X_train, part.y_train, n_classes=2, settings=study.nn, seed=0
    )
