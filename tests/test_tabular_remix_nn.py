"""The NN's REMIX trains per batch on the split's original rows (Bellinger et al. 2020, as the DA
paper's NN used it); SVM and LG keep REMIX's fixed resampled set."""

import numpy as np
import pandas as pd
import pytest

from imbaug.data.tabular import load_tabular
from imbaug.pipeline.tabular import (
    TabularStudy,
    evaluate_models,
    fit_split,
    make_partition,
    nn_remix_alpha,
    resample_split,
    split_data,
)
from imbaug.training.tabular import NNSettings, fit_mlp, predict_mlp

STUDY = TabularStudy(
    methods=("REMIX",),
    classifiers=("LG", "NN"),
    n_splits=1,
    remix_alpha=0.2,
    nn=NNSettings(epochs=4, weight_decay=[0.0], validation_size=0.0),
)


@pytest.fixture(scope="module")
def stored():
    data = load_tabular("breast_cancer")
    partition = make_partition(data.y, 1, 0.3)
    part = split_data(data, partition, 0)
    frame, statuses = resample_split(STUDY, "breast_cancer", part, 0, STUDY.methods)
    return data, partition, part, frame, pd.DataFrame(statuses)


def test_nn_remix_is_the_per_batch_trainer_on_the_original_rows(stored):
    _, _, part, frame, _ = stored
    models, fits = fit_split("NN", STUDY, frame, 0, part)
    per_batch = fit_mlp(
        part.X_train, part.y_train, n_classes=2, settings=STUDY.nn, seed=0, remix_alpha=0.2
    )
    np.testing.assert_array_equal(
        predict_mlp(models["split0/REMIX"], part.X_test), predict_mlp(per_batch, part.X_test)
    )
    # the same weights exactly: per-batch ReMix on the originals, not the fixed set's soft labels
    for got, want in zip(
        models["split0/REMIX"].state_dict().values(), per_batch.state_dict().values()
    ):
        np.testing.assert_array_equal(got.numpy(), want.numpy())
    assert (fits[0]["n_train"], fits[0]["n_synthetic"]) == (len(part.y_train), 0)


def test_svm_and_lg_keep_the_fixed_remix_set_and_report_its_size(stored):
    data, partition, part, frame, statuses = stored
    models, fits = fit_split("LG", STUDY, frame, 0, None)
    fixed = int((frame.method == "REMIX").sum())
    assert fits[0]["n_train"] == fixed and fits[0]["n_synthetic"] == int(frame.synthetic.sum()) > 0
    nn_models, nn_fits = fit_split("NN", STUDY, frame, 0, part)
    rows = evaluate_models(
        data,
        partition,
        "NN",
        {(0, "input", "REMIX"): nn_models["split0/REMIX"]},
        statuses,
        pd.DataFrame(nn_fits),
    )
    assert rows.n_train.tolist() == [len(part.y_train)] and rows.n_synthetic.tolist() == [0]
    lg_rows = evaluate_models(
        data,
        partition,
        "LG",
        {(0, "input", "REMIX"): models["split0/REMIX"]},
        statuses,
        pd.DataFrame(fits),
    )
    assert lg_rows.n_train.tolist() == [fixed]


def test_nn_remix_without_alpha_names_the_config_key():
    with pytest.raises(ValueError, match=r"tabular\.remix\.alpha"):
        nn_remix_alpha(TabularStudy(methods=("REMIX",)), "REMIX")
    assert nn_remix_alpha(STUDY, "ROS") is None
