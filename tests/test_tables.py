import pandas as pd
import pytest

from imbaug.analysis.tables import tabular_accuracy, tabular_accuracy_markdown


def _metrics():
    rows = []
    for split, (bac, fm) in enumerate([(0.6, 0.5), (0.8, 0.7)]):
        rows.append(
            {
                "dataset": "d",
                "split": split,
                "method": "Base",
                "classifier": "SVM",
                "bac": bac,
                "gm": bac,
                "gm_macro": bac,
                "fm": fm,
            }
        )
        rows.append(
            {
                "dataset": "d",
                "split": split,
                "method": "ROS",
                "classifier": "SVM",
                "bac": 1.0,
                "gm": 1.0,
                "gm_macro": 1.0,
                "fm": 1.0,
            }
        )
    return pd.DataFrame(rows)


def test_tabular_accuracy_means_and_sample_std_over_splits():
    table = tabular_accuracy(_metrics())
    assert list(table.columns) == [
        "dataset",
        "method",
        "classifier",
        "bac_mean",
        "bac_std",
        "gm_mean",
        "gm_std",
        "gm_macro_mean",
        "gm_macro_std",
        "fm_mean",
        "fm_std",
        "n_splits",
    ]
    base = table[table.method == "Base"].iloc[0]
    assert base.bac_mean == pytest.approx(0.7) and base.bac_std == pytest.approx(0.1414, abs=1e-4)
    assert base.n_splits == 2
    assert table.method.tolist() == ["Base", "ROS"]  # first-seen order, not alphabetical


def test_markdown_lays_out_methods_by_classifier():
    text = tabular_accuracy_markdown(tabular_accuracy(_metrics()))
    assert "## d (mean ± std over 2 splits)" in text
    assert "| Method | SVM BAC | SVM FM |" in text
    assert "| ROS | 1.0000 ± 0.0000 | 1.0000 ± 0.0000 |" in text


def _image_metrics():
    rows = []
    for loss in ("CE", "LDAM"):
        rows.append(
            {
                "dataset": "d",
                "cut": 0,
                "arch": "resnet8",
                "loss": loss,
                "method": "Base",
                "space": "input",
                "bac": 0.5,
                "gm": 0.0,
                "gm_macro": 0.4,
                "fm": 0.3,
            }
        )
        for k in (10, 50):
            for cut in (0, 1):
                rows.append(
                    {
                        "dataset": "d",
                        "cut": cut,
                        "arch": "resnet8",
                        "loss": loss,
                        "method": f"EOS_K{k}",
                        "space": "latent",
                        "bac": k / 100 + cut / 10,
                        "gm": 0.0,
                        "gm_macro": 0.5,
                        "fm": 0.5,
                    }
                )
    return pd.DataFrame(rows)


def test_image_accuracy_means_over_cuts():
    from imbaug.analysis.tables import image_accuracy

    table = image_accuracy(_image_metrics())
    assert list(table.columns) == [
        "dataset",
        "arch",
        "loss",
        "method",
        "space",
        "selection",
        "bac_mean",
        "gm_mean",
        "gm_macro_mean",
        "fm_mean",
        "n_cuts",
    ]
    row = table[(table.loss == "CE") & (table.method == "EOS_K50")].iloc[0]
    assert row.bac_mean == pytest.approx(0.55) and row.n_cuts == 2


def test_image_markdown_shows_the_k_sweep_and_its_smallest_k_as_eos():
    from imbaug.analysis.tables import image_accuracy, image_accuracy_markdown

    text = image_accuracy_markdown(image_accuracy(_image_metrics()))
    assert "| Loss | K=10 | K=50 |" in text
    assert "| CE | 0.1500 / 0.5000 / 0.5000 | 0.5500 / 0.5000 / 0.5000 |" in text
    assert "| EOS | 0.1500 / 0.5000 / 0.5000 |" in text  # DA Table V uses K=10


def test_image_cells_show_the_papers_gm_and_say_so():
    from imbaug.analysis.tables import image_accuracy, image_accuracy_markdown

    text = image_accuracy_markdown(image_accuracy(_image_metrics()))
    # gm is 0.0 in every row: the cells must show gm_macro (0.4 for Base), labelled as such.
    assert "| Base | 0.5000 / 0.4000 / 0.3000 |" in text
    assert "GM (one-vs-rest macro, as the papers print it)" in text


def test_test_set_selection_rows_are_shown_apart_and_labelled():
    from imbaug.analysis.tables import image_accuracy, image_accuracy_markdown

    metrics = _image_metrics().assign(selection="last")
    best = metrics[metrics.method == "Base"].assign(selection="best_test_macro_f1", bac=0.7, fm=0.6)
    table = image_accuracy(pd.concat([metrics, best], ignore_index=True))
    assert set(table.selection) == {"last", "best_test_macro_f1"}
    text = image_accuracy_markdown(table)
    # the paper tables keep the last-epoch numbers ...
    assert "| Base | 0.5000 / 0.4000 / 0.3000 |" in text
    # ... and a labelled section sets the test-selected ones beside them
    assert "Model selection on the test set, as the authors' code does" in text
    assert (
        "| CE | Base | input | 0.5000 / 0.4000 / 0.3000 | 0.7000 / 0.4000 / 0.6000 | +0.2000 |"
        in text
    )
    assert "Model selection on the test set" not in image_accuracy_markdown(
        image_accuracy(_image_metrics())
    )


def test_image_runs_no_paper_layout_shows_get_their_own_section():
    from imbaug.analysis.tables import image_accuracy, image_accuracy_markdown

    assert "Other runs" not in image_accuracy_markdown(image_accuracy(_image_metrics()))
    base = _image_metrics().iloc[0]
    added = pd.DataFrame(
        [
            base.to_dict() | {"method": "SVMSMOTE", "bac": 0.9},  # a sampler added by config
            base.to_dict() | {"method": "SVMSMOTE", "space": "latent", "bac": 0.8},
        ]
    )
    text = image_accuracy_markdown(image_accuracy(pd.concat([_image_metrics(), added])))
    section = text.split("### Other runs (in none of the papers' tables)")[1]
    assert "| CE | SVMSMOTE | input | 0.9000 / 0.4000 / 0.3000 |" in section
    assert "| CE | SVMSMOTE | latent | 0.8000 / 0.4000 / 0.3000 |" in section
    assert "| Base |" not in section and "EOS_K" not in section  # those are in the layouts
