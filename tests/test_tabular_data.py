import numpy as np
import pandas as pd
import pytest

from imbaug.data.splits import make_split, split_indices
from imbaug.data.tabular import (
    EMBEDDED_DATASETS,
    TabularData,
    TabularDataError,
    load_tabular,
    validate_tabular,
)


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
    return pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": rng.normal(size=n),
            "label": ["yes"] * minority + ["no"] * (n - minority),
        }
    )


@pytest.mark.parametrize("file_name", ["mine.csv", "mine.parquet"])
def test_user_file_with_named_minority(tmp_path, file_name):
    files = {
        "mine": {
            "path": _write_csv(tmp_path, _frame(), file_name),
            "target": "label",
            "minority": "yes",
        }
    }
    data = load_tabular("mine", files=files)
    assert data.feature_names == ["a", "b"]
    assert data.y[:4].tolist() == [1, 1, 1, 1] and data.y.sum() == 4


@pytest.mark.parametrize(
    "spec, message",
    [
        ({"target": "class", "minority": "yes"}, "target column 'class' is not in"),
        ({"target": "label", "minority": "maybe"}, "minority label 'maybe' never occurs"),
    ],
)
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


# --- user files: labels, columns, the cases T5, T6, T7 --------------------------------------


def _user(tmp_path, frame, file_name="mine.csv", index=False, **spec):
    path = tmp_path / file_name
    frame.to_csv(path, index=index) if file_name.endswith(".csv") else frame.to_parquet(path)
    return {"mine": {"path": str(path), "target": "label", "minority": "yes", **spec}}


def test_missing_labels_are_refused_with_count_and_file_lines(tmp_path):
    frame = _frame()
    frame.loc[[3, 7, 30], "label"] = None  # one minority row (3) and two majority rows
    with pytest.raises(
        TabularDataError,
        match=r"'label' is empty in 3 rows \(first at lines 5, 9, 32 "
        r"of the file\)",
    ):
        load_tabular("mine", files=_user(tmp_path, frame))
    with pytest.raises(
        TabularDataError, match=r"empty in 3 rows \(first at rows 3, 7, 30 \(from 0\)"
    ):
        load_tabular("mine", files=_user(tmp_path, frame, "mine.parquet"))


def test_missing_feature_values_name_the_column_and_line(tmp_path):
    frame = _frame()
    frame.loc[12, "b"] = None
    with pytest.raises(
        TabularDataError, match=r"columns \['b'\] hold missing.* in 1 row \(first at line 14 "
    ):
        load_tabular("mine", files=_user(tmp_path, frame))


def test_yaml_boolean_minority_says_to_quote_it(tmp_path):
    files = _user(tmp_path, _frame(), minority=True)  # what YAML makes of `minority: yes`
    with pytest.raises(
        TabularDataError,
        match=r"boolean True.*\['no', 'yes'\].*YAML.*quote.*"
        r"minority: \"yes\"",
    ):
        load_tabular("mine", files=files)
    off = _user(tmp_path, _frame().replace({"yes": "on", "no": "off"}), minority=False)
    with pytest.raises(TabularDataError, match=r'boolean False.*minority: "off"'):
        load_tabular("mine", files=off)


def test_boolean_minority_matches_a_boolean_column(tmp_path):
    frame = _frame().assign(label=lambda f: f["label"] == "yes")
    data = load_tabular("mine", files=_user(tmp_path, frame, "mine.parquet", minority=True))
    assert data.y.sum() == 4 and data.y[:4].all()


@pytest.mark.parametrize(
    "labels, minority",
    [
        ([0.0, 1.0], 1),
        ([0.0, 1.0], "1"),
        ([0, 1], 1.0),
        ([0, 1], "1"),
        (["0", "1"], 1),
    ],
)
def test_numeric_minority_matches_numerically(tmp_path, labels, minority):
    frame = _frame().assign(label=[labels[1]] * 4 + [labels[0]] * 36)
    path = tmp_path / "mine.parquet"
    frame.to_parquet(path)  # Parquet keeps the label dtype (float, int or text) exactly
    data = load_tabular(
        "mine", files={"mine": {"path": str(path), "target": "label", "minority": minority}}
    )
    assert data.y.tolist() == [1] * 4 + [0] * 36


def test_saved_row_index_is_refused_and_can_be_excluded(tmp_path, caplog):
    frame = _frame()
    with pytest.raises(
        TabularDataError,
        match=r"\['Unnamed: 0'\] have no name.*index=False.*"
        r"tabular\.files\.mine\.exclude",
    ):
        load_tabular("mine", files=_user(tmp_path, frame, index=True))
    files = _user(tmp_path, frame, index=True, exclude=["Unnamed: 0"])
    with caplog.at_level("INFO", logger="imbaug.data.tabular"):
        data = load_tabular("mine", files=files)
    clean = load_tabular("clean", files={"clean": {**_user(tmp_path, frame, "clean.csv")["mine"]}})
    np.testing.assert_array_equal(data.X, clean.X)
    assert data.feature_names == ["a", "b"]
    assert (
        "feature columns used: a, b" in caplog.text
        and "excluded columns ['Unnamed: 0']" in caplog.text
    )


def test_non_numeric_columns_are_named_and_can_be_excluded(tmp_path):
    frame = _frame().assign(
        id=[f"p{i}" for i in range(40)], day=pd.date_range("2024-01-01", periods=40)
    )
    with pytest.raises(
        TabularDataError,
        match=r"non-numeric feature columns \{'id': '\w+', "
        r"'day': '\w+'\}.*exclude",
    ):
        load_tabular("mine", files=_user(tmp_path, frame))
    data = load_tabular("mine", files=_user(tmp_path, frame, exclude=["id", "day"]))
    assert data.feature_names == ["a", "b"]
    with pytest.raises(TabularDataError, match=r"exclude names columns \['ID'\] that are not in"):
        load_tabular("mine", files=_user(tmp_path, frame, exclude=["ID", "day"]))


# --- imbalanced-learn cache: corrupt files, offline failures ---------------------------------


def test_corrupt_imblearn_cache_file_is_named(tmp_path):
    cache = tmp_path / "zenodo" / "x24data.npz"  # ozone_level
    cache.parent.mkdir()
    cache.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(TabularDataError, match=r"x24data\.npz is corrupt or truncated.*delete it"):
        load_tabular("ozone_level", data_home=str(tmp_path), download=False)


@pytest.mark.parametrize("download", [False, True])
def test_failed_offline_fetch_creates_no_folder(tmp_path, monkeypatch, download):
    from urllib.error import URLError

    import imblearn.datasets._zenodo as zenodo

    def offline(url):
        raise URLError("no network")

    monkeypatch.setattr(zenodo, "urlopen", offline)
    home = tmp_path / "data" / "imblearn"
    (tmp_path / "data").mkdir()
    with pytest.raises(TabularDataError, match=rf"Place x24data\.npz .* in {home / 'zenodo'}"):
        load_tabular("ozone_level", data_home=str(home), download=download)
    assert list((tmp_path / "data").iterdir()) == []  # no empty imblearn/zenodo tree left behind


def test_truncated_csv_is_named_with_its_last_line(tmp_path):
    path = tmp_path / "cut.csv"
    _frame().to_csv(path, index=False)
    text = path.read_text()
    path.write_text(text[: text.rindex("\n", 0, len(text) - 1) + 12])  # last row cut after 12 chars
    files = {"cut": {"path": str(path), "target": "label", "minority": "yes"}}
    with pytest.raises(
        TabularDataError, match=r"cut\.csv.*in 1 row \(first at line 41 of the file\)"
    ):
        load_tabular("cut", files=files)


def test_config_sample_of_a_parquet_file_reads_its_schema_and_labels_only(tmp_path):
    from imbaug.data.tabular import check_user_frame, read_user_file

    frame = _frame().assign(id=[f"p{i}" for i in range(40)])
    spec = _user(tmp_path, frame, "mine.parquet")["mine"]
    features, labels = read_user_file("mine", spec, sample=True)
    assert len(features) == 0 and list(features.columns) == ["a", "b", "id"] and len(labels) == 40
    with pytest.raises(TabularDataError, match=r"non-numeric feature columns \{'id'"):
        check_user_frame("mine", spec, features, labels)
    used, minority = check_user_frame("mine", {**spec, "exclude": ["id"]}, features, labels)
    assert used == ["a", "b"] and minority.sum() == 4


def test_benchmark_ids_read_from_source_match_imbalanced_learn():
    """The Snakefile reads imbalanced-learn's benchmark table without importing it; the table
    (and so every cache file name) must be exactly the library's."""
    from imblearn.datasets._zenodo import MAP_NAME_ID

    from imbaug.data.tabular import imblearn_cache_file, imblearn_dataset_ids

    assert imblearn_dataset_ids() == dict(MAP_NAME_ID)
    assert (
        imblearn_cache_file("ozone_level", "/data").name == f"x{MAP_NAME_ID['ozone_level']}data.npz"
    )


def test_a_non_number_in_a_numeric_column_is_found_by_line(tmp_path):
    frame = _frame().astype({"a": object})
    frame.loc[5, "a"] = "1,5"  # a decimal comma in one cell of a numeric feature
    with pytest.raises(TabularDataError) as error:
        load_tabular("mine", files=_user(tmp_path, frame))
    message = str(error.value)
    assert "a: 1 value not a number, the first '1,5' at line 7 of the file" in message
    assert "a decimal comma? write 1.5" in message


def test_missing_feature_values_are_found_by_line_and_the_message_says_what_to_do(tmp_path):
    frame = _frame()
    frame.loc[3, "b"] = np.nan
    with pytest.raises(TabularDataError) as error:
        load_tabular("mine", files=_user(tmp_path, frame))
    message = str(error.value)
    assert "feature columns ['b'] hold missing, NaN or inf values in 1 row" in message
    assert "line 5 of the file" in message and "Fill those cells in or drop their rows" in message
