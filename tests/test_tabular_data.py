import numpy as np
import pandas as pd
import pytest

from imbaug.data.splits import make_split, split_indices
from imbaug.data.tabular import (EMBEDDED_DATASETS, TabularData, TabularDataError, load_tabular,
                                 validate_tabular)


@pytest.mark.parametrize("name", list(EMBEDDED_DATASETS))
def test_embedded_datasets_are_binary_and_at_least_9_to_1(name):
    data = load_tabular(name)
    counts = np.bincount(data.y)
    assert len(counts) == 2 and counts[0] / counts[1] >= 9
    assert data.X.dtype == np.float64 and len(data.feature_names) == data.X.shape[1]


def test_embedded_datasets_are_deterministic():
    first, second = load_tabular("breast_cancer"), load_tabular("breast_cancer")
    np.testing.assert_array_equal(first.X, second.X)


def test_shared_imblearn_cache_loads_offline(imblearn_cache):
    ozone = load_tabular("ozone_level", data_home=str(imblearn_cache), download=False)
    assert ozone.X.shape == (2536, 72)
    assert np.bincount(ozone.y).tolist() == [2463, 73]  # labels -1/+1 mapped to 0/1
    thyroid = load_tabular("thyroid_sick", data_home=str(imblearn_cache), download=False)
    assert thyroid.X.shape == (3772, 52) and thyroid.y.sum() == 231


def test_missing_benchmark_names_dataset_and_file(tmp_path):
    with pytest.raises(TabularDataError, match=r"'scene'.*x12data\.npz.*zenodo"):
        load_tabular("scene", data_home=str(tmp_path), download=False)


def test_unknown_dataset_lists_choices():
    with pytest.raises(TabularDataError, match="unknown tabular dataset 'nope'.*breast_cancer"):
        load_tabular("nope")


def _write_csv(tmp_path, frame, name="mine.csv"):
    path = tmp_path / name
    frame.to_csv(path, index=False) if name.endswith(".csv") else frame.to_parquet(path)
    return str(path)


def _frame(n=40, minority=4):
    rng = np.random.default_rng(0)
    return pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n),
                         "label": ["yes"] * minority + ["no"] * (n - minority)})


@pytest.mark.parametrize("file_name", ["mine.csv", "mine.parquet"])
def test_user_file_with_named_minority(tmp_path, file_name):
    files = {"mine": {"path": _write_csv(tmp_path, _frame(), file_name), "target": "label",
                      "minority": "yes"}}
    data = load_tabular("mine", files=files)
    assert data.feature_names == ["a", "b"]
    assert data.y[:4].tolist() == [1, 1, 1, 1] and data.y.sum() == 4


@pytest.mark.parametrize("spec, message", [
    ({"target": "class", "minority": "yes"}, "target column 'class' is not in"),
    ({"target": "label", "minority": "maybe"}, "minority label 'maybe' never occurs"),
])
def test_user_file_errors_name_the_problem(tmp_path, spec, message):
    files = {"mine": {"path": _write_csv(tmp_path, _frame()), **spec}}
    with pytest.raises(TabularDataError, match=message):
        load_tabular("mine", files=files)


def test_nan_features_and_single_class_are_rejected():
    X = np.ones((5, 2))
    X[3, 1] = np.nan
    with pytest.raises(TabularDataError, match="1 rows hold NaN or inf.*first row 3"):
        validate_tabular(TabularData("d", X, np.array([0, 0, 0, 1, 1]), ["a", "b"]))
    with pytest.raises(TabularDataError, match="single class"):
        validate_tabular(TabularData("d", np.ones((3, 2)), np.zeros(3, np.int64), ["a", "b"]))


def test_frame_roundtrip_keeps_features_and_labels():
    data = load_tabular("synthetic")
    back = TabularData.from_frame("synthetic", data.to_frame())
    np.testing.assert_array_equal(back.X, data.X)
    np.testing.assert_array_equal(back.y, data.y)


def test_splits_are_stratified_70_30_and_seeded_by_index():
    y = np.array([0] * 90 + [1] * 10)
    train, test = split_indices(y, split=0)
    assert len(train) == 70 and len(test) == 30 and y[test].sum() == 3
    assert not set(train) & set(test)
    np.testing.assert_array_equal(split_indices(y, 0)[0], train)
    assert not np.array_equal(split_indices(y, 1)[0], train)


def test_scaler_is_fitted_on_the_train_part_only():
    data = load_tabular("synthetic")
    part = make_split(data.X, data.y, split=2)
    np.testing.assert_allclose(part.X_train.mean(0), 0, atol=1e-9)
    np.testing.assert_allclose(part.X_train.std(0), 1, atol=1e-9)
    assert np.abs(part.X_test.mean(0)).max() > 1e-3


def test_download_without_network_names_dataset_and_file(tmp_path, monkeypatch):
    from urllib.error import URLError

    import imblearn.datasets._zenodo as zenodo

    def offline(url):
        raise URLError("no network")

    monkeypatch.setattr(zenodo, "urlopen", offline)
    with pytest.raises(TabularDataError, match=r"'us_crime'.*no network.*x10data\.npz"):
        load_tabular("us_crime", data_home=str(tmp_path), download=True)


def test_corrupt_user_file_is_named(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"not a parquet file")
    files = {"broken": {"path": str(path), "target": "label", "minority": 1}}
    with pytest.raises(TabularDataError, match=r"dataset 'broken': cannot read .*broken\.parquet"):
        load_tabular("broken", files=files)
