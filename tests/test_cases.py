"""The user cases T5, T6, T7, I2 and I3 of ``../shared/cases``, rebuilt here in a temporary
folder (so the suite needs nothing outside the repo) and run as a user runs them: through the
real Snakefile. A config the data cannot satisfy stops before any job, and its message is the
only thing printed; an ImageFolder tree's problems are named by the data job, before training.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from imbaug.config_checks import ConfigError, check_image_folders, check_tabular_files
from imbaug.data.tabular import load_tabular
from workflow_helpers import snakemake, write_study

NO_IMAGES = {"image": {"datasets": []}}


def tabular_study(folder: Path, name: str, spec: dict) -> dict:
    return {
        "tabular": {
            "datasets": [name],
            "files": {name: spec},
            "n_splits": 1,
            "methods": ["Base"],
            "classifiers": ["LG"],
            "latent_methods": [],
        },
        **NO_IMAGES,
    }


def write_nan_target(folder: Path) -> dict:
    """T5: 120 rows, 4 of them (two minority) with an empty label."""
    rng = np.random.default_rng(5)
    frame = pd.DataFrame(rng.normal(size=(120, 3)), columns=["a", "b", "c"])
    frame["label"] = np.where(np.arange(120) % 8 == 0, "pos", "neg").astype(object)
    frame.loc[[3, 10, 16, 24], "label"] = None  # rows 16 and 24 would be minority (i % 8 == 0)
    frame.to_csv(folder / "nan_target.csv", index=False)
    return {"path": str(folder / "nan_target.csv"), "target": "label", "minority": "pos"}


def write_churn(folder: Path) -> dict:
    """T6: a yes/no target column; the config says ``minority: yes`` without quotes."""
    rng = np.random.default_rng(6)
    frame = pd.DataFrame(
        {
            "tenure": rng.normal(size=100),
            "spend": rng.normal(size=100),
            "churned": ["yes"] * 12 + ["no"] * 88,
        }
    )
    frame.to_csv(folder / "churn.csv", index=False)
    return {"path": str(folder / "churn.csv"), "target": "churned", "minority": True}


def write_with_index(folder: Path) -> tuple[dict, dict]:
    """T7: the same 300 rows (270:30, ordered by class) saved with and without pandas' index."""
    rng = np.random.default_rng(7)
    frame = pd.DataFrame(rng.normal(size=(300, 4)), columns=["f1", "f2", "f3", "f4"])
    frame["label"] = [0] * 270 + [1] * 30
    frame.to_csv(folder / "with_index.csv")  # index=True, pandas' default
    frame.to_csv(folder / "no_index.csv", index=False)
    return (
        {"path": str(folder / "with_index.csv"), "target": "label", "minority": 1},
        {"path": str(folder / "no_index.csv"), "target": "label", "minority": 1},
    )


def write_ids_and_dates(folder: Path) -> dict:
    """Issue 10: a customer ID and a date next to the features."""
    frame = pd.DataFrame(
        {
            "customer": [f"c{i:03d}" for i in range(60)],
            "signup": pd.date_range("2024-01-01", periods=60).astype(str),
            "x": np.arange(60.0),
            "label": [1] * 6 + [0] * 54,
        }
    )
    frame.to_csv(folder / "customers.csv", index=False)
    return {"path": str(folder / "customers.csv"), "target": "label", "minority": 1}


def only_output(result) -> str:
    """The one line a failed config check prints (Snakemake adds nothing before or after it)."""
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert result.returncode != 0 and len(lines) == 1, result.stdout
    return lines[0]


CONFIG_CASES = {
    # case: (writer, dataset name, expected message after "config tabular.files.<name>: ")
    "T5": (
        write_nan_target,
        "nan_target",
        r"target column 'label' is empty in 4 rows \(first at lines 5, 12, 18, 26 of the file\)",
    ),
    "T6": (write_churn, "churn", r"boolean True.*YAML reads an unquoted yes/no.*minority: \"yes\""),
    "T7": (
        lambda folder: write_with_index(folder)[0],
        "with_index",
        r"\['Unnamed: 0'\] have no name.*exclude",
    ),
    "ids": (
        write_ids_and_dates,
        "customers",
        r"non-numeric feature columns \{'customer': '\w+', 'signup': '\w+'\}.*exclude",
    ),
}


@pytest.mark.parametrize("case", list(CONFIG_CASES))
def test_bad_user_file_stops_the_workflow_before_any_job(tmp_path, case):
    writer, name, message = CONFIG_CASES[case]
    study = write_study(tmp_path, tabular_study(tmp_path, name, writer(tmp_path)))
    line = only_output(snakemake(study, "--cores", "1", "-n", timeout=300))
    assert line.startswith(f"config tabular.files.{name}: dataset '{name}' (")
    assert re.search(message, line), line
    assert not (tmp_path / "results").exists()


def test_fixed_configs_of_the_tabular_cases_pass_the_check(tmp_path):
    churn = {**write_churn(tmp_path), "minority": "yes"}  # quoted
    with_index, no_index = write_with_index(tmp_path)
    with_index["exclude"] = ["Unnamed: 0"]
    customers = {**write_ids_and_dates(tmp_path), "exclude": ["customer", "signup"]}
    files = {"churn": churn, "with_index": with_index, "customers": customers}
    check_tabular_files({"datasets": list(files), "files": files})
    assert load_tabular("churn", files=files).y.sum() == 12
    np.testing.assert_array_equal(
        load_tabular("with_index", files=files).X,
        load_tabular("no_index", files={"no_index": no_index}).X,
    )
    assert load_tabular("customers", files=files).feature_names == ["x"]


def test_numeric_minority_matches_float_labels_in_the_config_check(tmp_path):
    frame = pd.DataFrame({"x": np.arange(20.0), "label": [1.0] * 4 + [0.0] * 16})
    frame.to_csv(tmp_path / "float.csv", index=False)
    spec = {"path": str(tmp_path / "float.csv"), "target": "label", "minority": 1}
    check_tabular_files({"datasets": ["f"], "files": {"f": spec}})
    assert load_tabular("f", files={"f": spec}).y.sum() == 4


def test_config_check_reads_past_the_csv_sample_for_labels(tmp_path, monkeypatch):
    import imbaug.data.tabular as tabular

    monkeypatch.setattr(tabular, "SAMPLE_ROWS", 10)  # the label problem lies past the sample
    frame = pd.DataFrame({"x": np.arange(40.0), "label": ["no"] * 30 + ["yes"] * 9 + [None]})
    frame.to_csv(tmp_path / "late.csv", index=False)
    spec = {"path": str(tmp_path / "late.csv"), "target": "label", "minority": "yes"}
    with pytest.raises(
        ConfigError, match=r"config tabular\.files\.late: .*empty in 1 row \(first at line 41 "
    ):
        check_tabular_files({"datasets": ["late"], "files": {"late": spec}})


# --- image cases ------------------------------------------------------------------------------


def write_tree(root: Path, counts: dict[str, dict[str, int]]) -> None:
    rng = np.random.default_rng(2)
    for part, classes in counts.items():
        for name, n in classes.items():
            (root / part / name).mkdir(parents=True, exist_ok=True)
            for i in range(n):
                pixels = rng.integers(0, 256, (12, 12, 3), dtype=np.uint8)
                Image.fromarray(pixels).save(root / part / name / f"{i:03d}.png")


def write_hidden_tree(root: Path) -> None:
    """I2: cat 12 / dog 8 train images with Jupyter checkpoints and .DS_Store files."""
    write_tree(root, {"train": {"cat": 12, "dog": 8}, "test": {"cat": 4, "dog": 4}})
    for part in ("train", "test"):
        (root / part / ".ipynb_checkpoints").mkdir()
        Image.new("RGB", (12, 12)).save(root / part / ".ipynb_checkpoints" / "000-checkpoint.png")
    for folder in ("train", "train/cat", "test/dog"):
        (root / folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")


def write_corrupt_tree(root: Path) -> None:
    """I3: the three bad files of tree_a, tree_b and tree_c in one tree."""
    write_tree(root, {"train": {"cat": 6, "dog": 6}, "test": {"cat": 2, "dog": 2}})
    (root / "train" / "dog" / "empty.jpg").write_bytes(b"")
    noise = np.random.default_rng(3).integers(0, 256, (40, 40, 3), dtype=np.uint8)
    Image.fromarray(noise).save(root / "train" / "dog" / "half.jpg")
    data = (root / "train" / "dog" / "half.jpg").read_bytes()
    (root / "train" / "dog" / "half.jpg").write_bytes(data[: len(data) // 2])
    (root / "test" / "cat" / "page.png").write_text("<!DOCTYPE html><html>Error 403</html>")


def test_image_cases_data_jobs_name_classes_and_every_bad_file(tmp_path):
    write_hidden_tree(tmp_path / "hidden")
    write_corrupt_tree(tmp_path / "corrupt")
    study = write_study(
        tmp_path,
        {
            "tabular": {"datasets": []},
            "image": {
                "datasets": ["hidden", "corrupt"],
                "image_size": {"hidden": 8, "corrupt": 8},
                "folders": {
                    "hidden": str(tmp_path / "hidden"),
                    "corrupt": str(tmp_path / "corrupt"),
                },
                "archs": ["resnet8"],
                "losses": ["CE"],
                "input_losses": ["CE"],
                "methods": ["ROS"],
                "latent_methods": ["EOS"],
                "train": {"epochs": 1, "batch_size": 16, "warmup_epochs": 0},
            },
        },
    )
    result = snakemake(study, "--cores", "2", "--keep-going", "--until", "image_data", timeout=600)
    assert result.returncode != 0  # the corrupt tree's data job fails
    logs = tmp_path / "results" / "logs" / "image"
    hidden_log = (logs / "hidden" / "data.log").read_text()
    assert "train 20 images (cat: 12, dog: 8); test 8 images (cat: 4, dog: 4)" in hidden_log
    assert "skipped 3 hidden entries" in hidden_log and ".ipynb_checkpoints" in hidden_log
    corrupt_log = (logs / "corrupt" / "data.log").read_text()
    assert "3 of 19 image files cannot be read" in corrupt_log
    for bad in ("train/dog/empty.jpg", "train/dog/half.jpg", "test/cat/page.png"):
        assert str(tmp_path / "corrupt" / bad) in corrupt_log and bad in result.stdout
    assert not list(tmp_path.glob("results/image/*/cut*/*/*/*/model.pt"))  # nothing trained


def test_image_folder_problems_are_config_errors(tmp_path):
    write_tree(tmp_path / "tree", {"train": {"cat": 2, "dog": 2}, "test": {"cat": 1, "fox": 1}})
    image = {"datasets": ["mine"], "folders": {"mine": str(tmp_path / "tree")}, "imbalance": {}}
    with pytest.raises(
        ConfigError,
        match=r"config image\.folders\.mine: class folders differ.*"
        r"only in train \['dog'\], only in test \['fox'\]",
    ):
        check_image_folders(image)
    write_hidden_tree(tmp_path / "hidden")
    hidden = {
        "datasets": ["h"],
        "folders": {"h": str(tmp_path / "hidden")},
        "imbalance": {"h": {"test_per_class": [2, 2, 2]}},
    }
    with pytest.raises(
        ConfigError,
        match=r"config image\.imbalance\.h\.test_per_class: 3 counts "
        r"\[2, 2, 2\] for 2 classes \['cat', 'dog'\]",
    ):
        check_image_folders(hidden)  # .ipynb_checkpoints is not a third class
    hidden["imbalance"]["h"]["test_per_class"] = [2, 2]
    check_image_folders(hidden)


# tree "mine": train cat 12 / dog 8, test cat 4 / dog 4 (case I2's class sizes)
CLASS_SIZE_CASES = {
    # case: (image.imbalance.mine, image.methods, config key, expected parts of the message)
    "n_max": (
        {"profile": "none", "n_max": 10},
        ["ROS"],
        "n_max",
        ["'dog' (class 1) has 8 train images (in {tree}/train/dog), 10 needed", "fits is 8"],
    ),
    "balanced": (
        {"n_max": 10},  # natural cut, but the Balanced reference keeps n_max of every class
        ["ROS", "Balanced"],
        "n_max",
        ["Balanced reference", "'dog' (class 1) has 8 train images (in {tree}/train/dog)"],
    ),
    "ratio": (
        {"profile": "exp", "ratio": 100},
        ["ROS"],
        "ratio",
        ["keeps [8, 0] train images per class, none of 'dog' (class 1)", "cat: 12, dog: 8"],
    ),
    "test_per_class": (
        {"test_per_class": [4, 6]},
        ["ROS"],
        "test_per_class",
        ["'dog' (class 1) has 4 test images (in {tree}/test/dog), 6 needed", "at most [4, 4]"],
    ),
}


@pytest.mark.parametrize("case", list(CLASS_SIZE_CASES))
def test_class_size_problems_name_folder_index_counts_and_key(tmp_path, case):
    imbalance, methods, key, parts = CLASS_SIZE_CASES[case]
    tree = tmp_path / "tree"
    write_tree(tree, {"train": {"cat": 12, "dog": 8}, "test": {"cat": 4, "dog": 4}})
    image = {
        "datasets": ["mine"],
        "folders": {"mine": str(tree)},
        "imbalance": {"mine": imbalance},
        "methods": methods,
    }
    with pytest.raises(ConfigError) as error:
        check_image_folders(image)
    message = str(error.value)
    assert message.startswith(f"config image.imbalance.mine.{key}: "), message
    for part in parts:
        assert part.format(tree=tree) in message, (part, message)


def test_empty_class_folder_is_named_with_its_index(tmp_path):
    tree = tmp_path / "tree"
    write_tree(tree, {"train": {"cat": 3, "dog": 3, "emu": 1}, "test": {"cat": 1, "dog": 1}})
    (tree / "test" / "emu").mkdir()
    (tree / "test" / "emu" / "notes.txt").write_text("not an image")
    image = {"datasets": ["mine"], "folders": {"mine": str(tree)}, "imbalance": {}}
    with pytest.raises(ConfigError) as error:
        check_image_folders(image)
    message = str(error.value)
    assert message.startswith("config image.folders.mine: no image file (.jpg")
    assert f"'emu' (class 2) in {tree}/test/emu" in message
    assert "images per class in test/: cat: 1, dog: 1, emu: 0" in message


def test_class_size_problem_stops_the_workflow_before_any_job(tmp_path):
    write_tree(tmp_path / "tree", {"train": {"cat": 12, "dog": 8}, "test": {"cat": 4, "dog": 4}})
    study = write_study(
        tmp_path,
        {
            "tabular": {"datasets": []},
            "image": {
                "datasets": ["mine"],
                "folders": {"mine": str(tmp_path / "tree")},
                "imbalance": {"mine": {"profile": "exp", "ratio": 1.2, "n_max": 12}},
            },
        },
    )
    line = only_output(snakemake(study, "--cores", "1", "-n", timeout=300))
    assert line.startswith("config image.imbalance.mine.n_max: the 'exp' cut (ratio 1.2, n_max 12)")
    dog = tmp_path / "tree" / "train" / "dog"
    assert f"'dog' (class 1) has 8 train images (in {dog}), 10 needed" in line, line
    assert "The largest n_max that fits is 10" in line
    assert not (tmp_path / "results").exists()
