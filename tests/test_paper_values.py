"""The transcribed paper values name keys the paper studies produce, and the image tables
(accuracy, CNN weight change and saliency overlap) are compared with ours."""

from __future__ import annotations

import pandas as pd
import pytest
from test_paper_presets import common_of

from imbaug.analysis.paper_comparison import (
    KEYS,
    compare,
    comparison,
    not_computed,
    our_values,
    paper_values,
)

ACCURACY = ("bac", "gm", "gm_macro", "fm")


def study_keys(study: str) -> set[tuple]:
    """Every (dataset, classifier, arch, loss, method, space, metric) whose number the study
    ``studies/<study>`` computes, from the workflow's own run lists and the run names the
    pipeline gives (latent runs, DA labels)."""
    from imbaug.pipeline.image import ImageStudy
    from imbaug.pipeline.image_analysis import da_label
    from imbaug.pipeline.image_latent import latent_names

    common = common_of(study)
    tabular, image = common["TABULAR"], common["IMAGE"]
    keys = set()
    for dataset in tabular["datasets"]:
        for classifier in tabular["classifiers"]:
            methods = list(common["TABULAR_METHODS"])
            methods += list(common["TABULAR_LATENT_METHODS"]) if classifier == "NN" else []
            for method in methods:
                keys |= {(dataset, classifier, "", "", method, "", m) for m in ACCURACY}
                if classifier in ("LG", "NN") and method != "Base":
                    keys |= {(dataset, classifier, "", "", method, "", "weight_change")}
                    keys |= {(dataset, classifier, "", "", method, "", "overlap")}
    reference = "CE" if "CE" in image["losses"] else image["losses"][0]
    names = latent_names(ImageStudy.from_config(image))
    for dataset in image["datasets"]:
        trained, latent = common["image_runs"](dataset)
        runs = [(arch, loss, m, "input") for arch, loss, m in trained]
        runs += [(arch, loss, n, "latent") for arch, loss in latent for n in names]
        archs = {a for a, *_ in runs}
        for arch, loss, method, space in runs:
            keys |= {(dataset, "CNN", arch, loss, method, space, m) for m in ACCURACY}
            if (loss, method, space) != (reference, "Base", "input"):
                classifier = "CNN" if len(archs) == 1 else f"CNN {arch}"
                label = da_label(loss, method, space, reference)
                keys |= {(dataset, classifier, "", "", label, "", "weight_change")}
                keys |= {(dataset, classifier, "", "", label, "", "overlap")}
    return keys


def test_every_transcribed_value_is_a_number_the_paper_study_computes():
    values = paper_values()
    architectures = values["table"].eq("V") & values["paper"].eq("EOS")
    for study, rows in (
        ("paper.yaml", values[~architectures]),
        ("eos-architectures.yaml", values[architectures]),
    ):
        keys = study_keys(study)
        missing = rows[[tuple(r) not in keys for r in rows[KEYS].itertuples(index=False)]]
        assert missing.empty, f"not a key of studies/{study}:\n{missing.to_string()}"


def test_the_key_check_catches_a_misnamed_row():
    keys = study_keys("paper.yaml")
    assert ("cifar10", "CNN", "resnet32", "CE", "EOS_K10", "latent", "bac") in keys
    assert ("cifar10", "CNN", "resnet32", "CE", "EOS", "latent", "bac") not in keys  # sweep
    assert ("cifar10", "CNN", "resnet32", "LDAM", "Base", "input", "gm_macro") in keys
    assert ("inat2017_5", "CNN", "", "", "EOS_K10 (FE)", "", "weight_change") in keys
    assert ("inat2017_5", "CNN", "", "", "EOS (FE)", "", "weight_change") not in keys
    assert ("celeba_hair", "CNN", "resnet32", "CE", "Base", "input", "bac") not in keys


def test_image_values_cite_their_table_and_row():
    values = paper_values().set_index(["paper", "table", "row", "column"])["paper_value"]
    assert values[("EOS", "II", "CIFAR 10 / CE", "Baseline BAC")] == 0.7256
    assert values[("EOS", "II", "CIFAR 10 / LDAM", "EOS FM")] == 0.7862
    assert values[("EOS", "I", "Cross-Entropy / Post-BSMOTE", "SVHN GM")] == 0.8987
    assert values[("EOS", "IV", "CelebA / K=300", "FM")] == 0.8116
    assert values[("EOS", "IV", "SVHN / K=300", "FM")] == 0.9098
    assert values[("EOS", "V", "EOS: WideResNet", "BAC")] == 0.7879
    assert values[("DA", "V", "LDAM", "INaturalist BAC")] == 0.5018
    assert values[("DA", "VIII", "Inaturalist", "ROS")] == 20.77
    assert values[("DA", "XI", "Places", "DSM")] == 0.8
    counts = paper_values().groupby(["paper", "table"]).size()
    assert counts[("EOS", "II")] == 4 * 4 * 5 * 3 and counts[("EOS", "IV")] == 4 * 5 * 3
    assert counts[("DA", "V")] == 3 * 7 * 2 and counts[("DA", "XI")] == 3 * 5
    # the EOS paper's LDAM is LDAM-DRW; the DA paper's is not
    table_ii = paper_values().query("paper == 'EOS' and table == 'II'")
    assert set(table_ii["loss"]) == {"CE", "ASL", "Focal", "LDAM_DRW"}
    assert set(paper_values().query("paper == 'DA' and table == 'V'")["loss"]) == {"CE", "LDAM"}


def _image_accuracy() -> pd.DataFrame:
    rows = [
        ("cifar10", "resnet32", "CE", "Base", "input", "last", 0.70, 0.80, 0.69),
        ("cifar10", "resnet32", "CE", "Base", "input", "best_test_macro_f1", 0.75, 0.85, 0.74),
        ("cifar10", "resnet32", "LDAM_DRW", "EOS_K10", "latent", "last", 0.78, 0.87, 0.77),
        ("cifar10", "resnet32", "CE", "EOS_K50", "latent", "last", 0.76, 0.86, 0.76),
    ]
    columns = ["dataset", "arch", "loss", "method", "space", "selection"]
    return pd.DataFrame(rows, columns=[*columns, "bac_mean", "gm_macro_mean", "fm_mean"])


def test_image_accuracy_is_compared_cell_by_cell_with_the_papers():
    ours = our_values(image_accuracy=_image_accuracy())
    table = compare(paper_values(), ours).set_index(["paper", "table", "row", "column"])
    # EOS Table II CIFAR-10 CE Baseline: .7256 / .8387 / .7246, ours the last-epoch model
    base = table.loc[("EOS", "II", "CIFAR 10 / CE")]
    assert base.loc["Baseline BAC", "ours"] == 0.70
    assert base.loc["Baseline BAC", "difference"] == pytest.approx(0.70 - 0.7256)
    assert base.loc["Baseline GM", "difference"] == pytest.approx(0.80 - 0.8387)  # gm_macro
    # the same run is DA Table V's Base (.7232) too
    assert table.loc[("DA", "V", "Base", "CIFAR-10 BAC"), "difference"] == pytest.approx(
        0.70 - 0.7232
    )
    # EOS with LDAM-DRW features, K=10: Table II (.7865) and Table III's EOS column
    assert table.loc[("EOS", "II", "CIFAR 10 / LDAM", "EOS BAC"), "ours"] == 0.78
    assert table.loc[("EOS", "III", "CIFAR 10 / LDAM", "EOS BAC"), "ours"] == 0.78
    assert table.loc[("EOS", "IV", "CIFAR-10 / K=50", "BAC"), "ours"] == 0.76
    assert not table["ours"].isna().any()
    # Base CE: EOS II (3) + DA V (BAC, FM); EOS_K10 LDAM-DRW: EOS II + III (6); EOS_K50: IV (3)
    assert len(table) == 3 + 2 + 6 + 3
    assert table.loc[("EOS", "II", "CIFAR 10 / CE", "Baseline BAC"), "space"] == "input"


def test_cnn_weight_change_and_saliency_overlap_rows_are_compared():
    analysis = pd.DataFrame(
        {
            "dataset": ["places365_5", "places365_5", "places365_5"],
            "classifier": ["CNN", "CNN", "CNN resnet56"],
            "method": ["EOS_K10 (FE)", "LDAM", "ROS"],
            "weight_change": [3.5, 1.0, 9.0],
            "overlap": [0.7, 0.3, 0.1],
        }
    )
    ours = our_values(weight_change=analysis, top_k_overlap=analysis)
    table = compare(paper_values(), ours).set_index(["table", "column"])
    assert table.loc[("VIII", "EOS"), "difference"] == pytest.approx(3.5 - 3.090)
    assert table.loc[("XI", "EOS"), "difference"] == pytest.approx(0.7 - 0.7909)
    assert table.loc[("XI", "LDAM"), "difference"] == pytest.approx(0.3 - 0.2028)
    # "CNN resnet56" (a dataset run with several archs) is not the paper's single CNN
    assert ("VIII", "ROS") not in table.index and len(table) == 3


def test_values_not_computed_are_listed_not_dropped_silently(tmp_path):
    image = _image_accuracy()
    image.to_csv(tmp_path / "image_accuracy.csv", index=False)
    table, missing = comparison({"image_accuracy": tmp_path / "image_accuracy.csv"})
    assert len(table) + len(missing) == len(paper_values())
    assert ("EOS", "II", "SVHN / CE", "Baseline BAC") in set(
        missing[["paper", "table", "row", "column"]].itertuples(index=False, name=None)
    )
    assert not_computed(paper_values(), our_values()).shape[0] == len(paper_values())


def test_duplicate_keys_of_ours_are_refused():
    image = pd.concat([_image_accuracy().iloc[:1]] * 2)
    with pytest.raises(ValueError, match="twice"):
        our_values(image_accuracy=image)
