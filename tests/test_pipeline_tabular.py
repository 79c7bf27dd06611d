"""One tabular split end to end at library level: determinism, latent runs, early errors."""

import dataclasses

import numpy as np
import pytest

from imbaug.data.tabular import TabularDataError, load_tabular
from imbaug.pipeline.tabular import TabularStudy, check_class_sizes, run_split
from imbaug.training.tabular import NNSettings

SMALL = TabularStudy(methods=("Base", "CS", "SMOTE", "REMIX"), latent_methods=("EOS", "DSM"),
                     classifiers=("LG", "NN"), nn=NNSettings(epochs=5), head_epochs=3)


@pytest.fixture(scope="module")
def data():
    return load_tabular("breast_cancer")


def test_same_seed_gives_the_same_numbers(data):
    first, provenance = run_split(data, 1, SMALL)
    second, _ = run_split(data, 1, SMALL)
    np.testing.assert_array_equal(first[["bac", "gm", "fm"]], second[["bac", "gm", "fm"]])
    assert set(provenance.method) == {"Base", "CS", "SMOTE", "REMIX", "EOS", "DSM"}


def test_rows_cover_every_method_classifier_and_the_latent_space(data):
    metrics, _ = run_split(data, 0, SMALL)
    assert len(metrics) == 4 * 2 + 2
    latent = metrics[metrics.space == "latent"]
    assert latent.method.tolist() == ["EOS", "DSM"] and set(latent.classifier) == {"NN"}
    smote = metrics[(metrics.method == "SMOTE") & (metrics.classifier == "LG")].iloc[0]
    n_majority = 250  # 357 benign rows, 70% in the train part
    assert smote.n_train == 2 * n_majority and smote.n_synthetic == n_majority - 24


def test_latent_provenance_balances_the_nn_feature_space(data):
    _, provenance = run_split(data, 0, dataclasses.replace(SMALL, methods=("Base",)))
    eos = provenance[provenance.method == "EOS"]
    assert (eos.space == "latent").all()
    assert np.bincount(eos.label).tolist() == [250, 250]
    assert (eos.source_index[eos.synthetic] == -1).all()


def test_latent_methods_run_without_base_among_the_input_methods(data):
    metrics, _ = run_split(data, 0, dataclasses.replace(SMALL, methods=("ROS",)))
    assert set(metrics.method) == {"ROS", "EOS", "DSM"}


def test_class_too_small_for_k_is_reported_before_training(data):
    study = dataclasses.replace(SMALL, k_neighbors=40)
    with pytest.raises(TabularDataError, match=r"class 1 has 24 training rows in split 0, but "
                                               r"SMOTE needs at least 41"):
        check_class_sizes(data, study)
