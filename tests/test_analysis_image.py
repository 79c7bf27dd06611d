"""Image analyses on small hand-made inputs with known answers: generalization gap (EOS paper
Figs 3-4), saliency top-K overlap (DA paper Table XI), CNN classification embeddings (CE paper
Figs 1, 4-7) and the t-SNE map (EOS paper Fig 6)."""

import numpy as np
import pandas as pd
import pytest
import torch
from torch import nn

from imbaug.analysis.cnn_embeddings import class_profile, class_summary, linear_form
from imbaug.analysis.generalization_gap import class_gaps, range_gap
from imbaug.analysis.saliency import class_mean, input_saliency, top_k_overlap, top_pixels
from imbaug.analysis.tsne import embed, two_class_points
from imbaug.models import CosineHead

# ---------------------------------------------------------------------------------------------
# Generalization gap


def test_range_gap_is_exactly_half_from_hand_set_ranges():
    train = np.array([[0.0, 0.0], [1.0, 1.0]])  # ranges [0, 1] and [0, 1]
    test = np.array([[-0.5, 0.2], [0.7, 1.5]])  # dim 0 sticks out 0.5 below, dim 1 0.5 above
    assert range_gap(train, test) == 0.5
    # a test range wider on both sides adds both overhangs: (1 + 0.25 + 0 + 0) / 2 dims
    assert range_gap(train, np.array([[-1.0, 0.5], [1.25, 0.5]])) == pytest.approx(0.625)


def test_range_gap_is_zero_inside_the_train_range_and_nan_without_test_rows():
    train = np.array([[0.0, -2.0], [4.0, 2.0]])
    assert range_gap(train, np.array([[1.0, 0.0], [4.0, -2.0]])) == 0.0  # floor at zero
    assert np.isnan(range_gap(train, np.zeros((0, 2))))
    with pytest.raises(ValueError, match="no rows"):
        range_gap(np.zeros((0, 2)), train)
    with pytest.raises(ValueError, match="same number of features"):
        range_gap(train, np.zeros((1, 3)))


def test_class_gaps_split_tp_and_fp_by_hand_set_predictions():
    train_fe = np.array([[0.0], [1.0], [10.0], [11.0]])
    train_y = np.array([0, 0, 1, 1])
    test_fe = np.array([[0.5], [3.0], [9.0], [10.5], [-1.0]])
    test_y = np.array([0, 0, 1, 1, 1])
    test_pred = np.array([0, 1, 0, 1, 0])
    gaps = class_gaps(train_fe, train_y, test_fe, test_y, test_pred, 2).set_index(
        ["class", "subset"]
    )
    # class 0, train range [0, 1]: all = {0.5, 3} -> 2; TP = {0.5} -> 0; FP (predicted 0,
    # true 1) = {9, -1} -> 1 below + 8 above = 9
    assert gaps.loc[(0, "all"), "gap"] == 2.0
    assert gaps.loc[(0, "TP"), "gap"] == 0.0 and gaps.loc[(0, "TP"), "n_test"] == 1
    assert gaps.loc[(0, "FP"), "gap"] == 9.0 and gaps.loc[(0, "FP"), "n_test"] == 2
    # class 1, train range [10, 11]: all = {9, 10.5, -1} -> 11; TP = {10.5} -> 0; FP = {3} -> 7
    assert gaps.loc[(1, "all"), "gap"] == 11.0
    assert gaps.loc[(1, "TP"), "gap"] == 0.0
    assert gaps.loc[(1, "FP"), "gap"] == 7.0
    assert list(gaps.index.get_level_values("subset")[:3]) == ["all", "TP", "FP"]


def test_class_gaps_are_zero_without_a_gap_and_fail_for_a_class_without_train_rows():
    fe = np.array([[0.0, 1.0], [1.0, 0.0], [5.0, 5.0], [6.0, 6.0]])
    y = np.array([0, 0, 1, 1])
    gaps = class_gaps(fe, y, fe, y, y, 2)  # test = train: nothing outside the train range
    assert (gaps.loc[gaps.subset != "FP", "gap"] == 0).all()
    assert gaps.loc[gaps.subset == "FP", "gap"].isna().all()  # no false positive at all
    with pytest.raises(ValueError, match="class 2 has no train rows"):
        class_gaps(fe, y, fe, y, y, 3)


# ---------------------------------------------------------------------------------------------
# Saliency top-K overlap


class PixelLinear(nn.Module):
    """logits = flattened [0, 1] image @ W.T: the input gradient of class c is W[c]."""

    def __init__(self, weight: torch.Tensor):
        super().__init__()
        self.weight = nn.Parameter(weight)

    def forward(self, x):
        return x.flatten(1) @ self.weight.t()


def test_input_saliency_is_the_predicted_class_weight_max_over_channels():
    torch.manual_seed(0)
    weight = torch.randn(3, 2 * 4 * 4)  # 3 classes, 2 channels of 4 x 4
    model = PixelLinear(weight)
    images = torch.randint(0, 256, (5, 2, 4, 4), dtype=torch.uint8)
    saliency, predicted = input_saliency(model, images, torch.device("cpu"), batch_size=2)
    expected_pred = (images.float().div(255).flatten(1) @ weight.t()).argmax(1)
    assert torch.equal(predicted, expected_pred)
    expected = weight[expected_pred].abs().reshape(5, 2, 4, 4).amax(dim=1)
    assert torch.allclose(saliency, expected)
    assert saliency.shape == (5, 4, 4) and saliency.dtype == torch.float32


def test_top_pixels_take_the_top_tenth_largest_first():
    saliency = np.arange(20, dtype=float).reshape(1, 4, 5)  # pixel i has saliency i
    assert top_pixels(saliency, 0.1).tolist() == [[19, 18]]  # ceil(0.1 * 20) = 2
    assert top_pixels(saliency, 0.15).shape == (1, 3)
    with pytest.raises(ValueError, match="fraction"):
        top_pixels(saliency, 0)


def test_identical_models_overlap_fully_and_disjoint_gradients_not_at_all():
    torch.manual_seed(1)
    model = PixelLinear(torch.randn(2, 100))
    images = torch.randint(0, 256, (6, 1, 10, 10), dtype=torch.uint8)
    a, _ = input_saliency(model, images, torch.device("cpu"))
    b, _ = input_saliency(PixelLinear(model.weight.detach().clone()), images, torch.device("cpu"))
    assert (top_k_overlap(top_pixels(a), top_pixels(b)) == 1.0).all()
    left = np.zeros((3, 10, 10))
    left[:, :, :5] = 1 + np.random.default_rng(0).random((3, 10, 5))  # salient left half
    right = left[:, :, ::-1]  # the mirror image: salient right half
    assert (top_k_overlap(top_pixels(left), top_pixels(right)) == 0.0).all()
    half = left.copy()
    half[:, 5:, :] = 0  # top half of the left half only: 25 pixels
    assert top_k_overlap(top_pixels(half, 0.5), top_pixels(left, 0.5)).tolist() == [0.5] * 3


def test_class_mean_averages_per_class_and_marks_absent_classes():
    means = class_mean([1.0, 0.0, 0.5, 0.25], [0, 0, 2, 2], 3)
    assert means[0] == 0.5 and np.isnan(means[1]) and means[2] == 0.375


# ---------------------------------------------------------------------------------------------
# Classification embeddings


def test_ce_needed_count_from_a_hand_built_weight_row_and_fe():
    # class 0 logit: 3 + 1 + 2 - 1 + 0.5 = 5.5; class 1 logit: 3 (bias only). Start at the bias
    # plus the negative CE: 0.5 - 1 = -0.5; + 3 = 2.5 is not above 3; + 2 = 4.5 is: 2 CE needed.
    features = np.array([[3.0, 1.0, 2.0, -1.0]])
    weight = np.array([[1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0]])
    bias = np.array([0.5, 3.0])
    summary = class_summary(features, weight, bias, np.array([0]), 2).set_index("class")
    assert summary.loc[0, "n_tp"] == 1 and summary.loc[0, "needed_mean"] == 2
    assert summary.loc[0, "needed_share"] == 0.5 and summary.loc[0, "distinct_needed"] == 2
    # top 10% of 4 CE = the single largest mean CE: 3 of the positive sum 6
    assert summary.loc[0, "top_share"] == 0.5
    assert summary.loc[1, "n_tp"] == 0 and np.isnan(summary.loc[1, "needed_mean"])
    profile = class_profile(features, weight, bias, np.array([0]), 2)
    assert profile["mean_ce"].tolist() == [3.0, 1.0, 2.0, -1.0]
    assert profile["rank"].tolist() == [0, 2, 1, 3]
    assert profile["frequency"].tolist() == [1, 0, 1, 0]  # indices 0 and 2 were needed
    assert set(profile["class"]) == {0}


def test_ce_counts_only_true_positives_and_distinct_indices_across_the_class():
    weight = np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]])
    bias = np.array([0.0, 1.5])
    features = np.array(
        [
            [2.0, 0.0, 0.0],  # TP: needs index 0
            [0.0, 0.0, 2.0],  # TP: needs index 2
            [1.0, 1.0, 0.0],  # TP: 1 + 1 > 1.5 needs 2 (indices 0, 1)
            [5.0, 5.0, 5.0],
        ]
    )  # predicted 0 but true 1: not a TP
    summary = class_summary(features, weight, bias, np.array([0, 0, 0, 1]), 2).set_index("class")
    assert summary.loc[0, "n_tp"] == 3
    assert summary.loc[0, "needed_mean"] == pytest.approx(4 / 3)
    assert summary.loc[0, "distinct_needed"] == 3


def test_linear_form_of_a_cosine_head_reproduces_its_logits():
    torch.manual_seed(0)
    head = CosineHead(6, 3)
    fe = torch.randn(4, 6).abs()
    features, weight, bias = linear_form(fe.numpy(), head.weight.detach().numpy(), None, head.scale)
    assert np.allclose(features @ weight.T + bias, head(fe).detach().numpy(), atol=1e-5)


# ---------------------------------------------------------------------------------------------
# t-SNE


def test_two_class_points_pick_the_classes_and_cap_each_group():
    fe = np.arange(40, dtype=float).reshape(20, 2)
    labels = np.array([0] * 10 + [1] * 5 + [2] * 5)
    points = two_class_points(
        {"train": (fe, labels), "test": (fe[:6], labels[:6])}, (0, 1), max_points=4, seed=0
    )
    counts = points.groupby(["subset", "class"]).size().to_dict()
    assert counts == {("test", 0): 4, ("train", 0): 4, ("train", 1): 4}
    with pytest.raises(ValueError, match="two different classes"):
        two_class_points({}, (1, 1), 4, 0)


def test_tsne_keeps_separated_classes_apart_and_is_seeded():
    rng = np.random.default_rng(0)
    fe = np.concatenate([rng.normal(0, 1, (30, 8)), rng.normal(20, 1, (30, 8))])
    labels = np.repeat([0, 1], 30)
    points = two_class_points(
        {"train": (fe[::2], labels[::2]), "test": (fe[1::2], labels[1::2])}, (0, 1), 100, 0
    )
    first, second = embed(points, seed=3), embed(points, seed=3)
    pd.testing.assert_frame_equal(first, second)
    xy = first[["x", "y"]].to_numpy()
    distance = np.linalg.norm(xy[:, None] - xy[None], axis=2)
    np.fill_diagonal(distance, np.inf)
    nearest = first["class"].to_numpy()[distance.argmin(axis=1)]
    assert (nearest == first["class"].to_numpy()).all()
    assert list(first.columns) == ["subset", "class", "x", "y"]


# ---------------------------------------------------------------------------------------------
# Runs of a cut: references, weight change, per-class norms; wall time; tables over cuts


def _run(loss, method, space, weight, train_labels=(0, 1)):
    from imbaug.pipeline.image_analysis import AnalysedRun

    model = nn.Module()
    model.head = nn.Linear(2, 2)
    with torch.no_grad():
        model.head.weight.copy_(torch.tensor(weight))
    fe = np.eye(2)
    return AnalysedRun(loss, method, space, model, fe, np.array(train_labels), fe, fe)


def test_runs_are_compared_with_base_of_their_loss_and_base_of_another_loss_with_base_ce():
    from imbaug.pipeline.image_analysis import head_norms, weight_changes

    runs = [
        _run("CE", "Base", "input", [[1.0, 2.0], [4.0, -1.0]]),
        _run("CE", "ROS", "input", [[2.0, 2.0], [2.0, -1.0]]),
        _run("LDAM", "Base", "input", [[1.0, 1.0], [1.0, 1.0]]),
        _run("LDAM", "EOS", "latent", [[1.0, 3.0], [3.0, 1.0]]),
    ]
    change = weight_changes(runs, "CE").set_index(["loss", "method", "space"])
    # ROS vs Base CE: |2-1|/1, 0, |2-4|/4, 0 -> mean (1 + 0.5) / 4
    assert change.loc[("CE", "ROS", "input"), "weight_change"] == pytest.approx(0.375)
    assert change.loc[("LDAM", "Base", "input"), "reference_loss"] == "CE"  # DA Table XI's LDAM
    # EOS on the LDAM base vs Base LDAM: 0, 2, 2, 0 -> mean 1
    assert change.loc[("LDAM", "EOS", "latent"), "weight_change"] == pytest.approx(1.0)
    assert ("CE", "Base", "input") not in change.index and len(change) == 3
    norms = head_norms(runs[:1])
    assert norms["norm"].tolist() == pytest.approx([5**0.5, 17**0.5])
    assert norms["n_train"].tolist() == [1, 1]


def test_da_labels_name_each_run_as_the_da_tables_do():
    from imbaug.pipeline.image_analysis import da_label

    assert da_label("LDAM", "Base", "input", "CE") == "LDAM"
    assert da_label("CE", "ROS", "input", "CE") == "ROS"
    assert da_label("CE", "EOS", "latent", "CE") == "EOS (FE)"
    assert da_label("LDAM", "DSM", "latent", "CE") == "DSM (FE) [LDAM]"


def test_wall_time_adds_the_three_phases_and_compares_pixel_methods():
    from imbaug.analysis.image_timing import wall_time, wall_time_markdown

    rows = []
    for cut, scale in [(0, 1.0), (1, 3.0)]:
        key = {"dataset": "d", "cut": cut, "arch": "a", "loss": "CE"}
        rows += [
            {
                **key,
                "space": "input",
                "method": "Base",
                "fit_seconds": 10 * scale,
                "resample_seconds": 0.0,
                "extract_seconds": 1 * scale,
            },
            {
                **key,
                "space": "latent",
                "method": "EOS",
                "fit_seconds": 2 * scale,
                "resample_seconds": 1 * scale,
            },
            {
                **key,
                "space": "latent",
                "method": "DSM",
                "fit_seconds": 99.0,
                "resample_seconds": 99.0,
            },
            {
                **key,
                "space": "input",
                "method": "SMOTE",
                "fit_seconds": 40 * scale,
                "resample_seconds": 2 * scale,
                "extract_seconds": 0.5,
            },
        ]
    table = wall_time(pd.DataFrame(rows)).set_index("method")
    assert table.loc["EOS", "total_seconds"] == pytest.approx(
        2 * (10 + 1 + 1 + 2)
    )  # mean of 14 and 42
    assert table.loc["SMOTE", "total_seconds"] == pytest.approx(
        2 * 42
    )  # extracting FE is not a pixel phase
    assert table.loc["SMOTE", "approach"].startswith("pixel") and (table.n_cuts == 2).all()
    assert "DSM" not in table.index
    assert "takes 3.00x the time of three-phase EOS" in wall_time_markdown(table.reset_index())
    assert wall_time(pd.DataFrame(rows).query("method != 'EOS'")).empty


def test_gap_table_averages_over_cuts_with_their_spread():
    from imbaug.analysis.image_tables import generalization_gap_table

    keys = {
        "dataset": "d",
        "arch": "a",
        "loss": "CE",
        "method": "EOS",
        "space": "latent",
        "class": 0,
        "subset": "all",
    }
    rows = pd.DataFrame(
        [{**keys, "cut": 0, "gap": 0.2, "n_test": 10}, {**keys, "cut": 1, "gap": 0.4, "n_test": 10}]
    )
    table = generalization_gap_table(rows)
    assert len(table) == 1 and table.gap[0] == pytest.approx(0.3)
    assert table.gap_std[0] == pytest.approx(np.std([0.2, 0.4], ddof=1)) and table.n_cuts[0] == 2


# ---------------------------------------------------------------------------------------------
# Figures over several cuts (each cut visible)


def _per_cut_rows(rng, **values):
    rows = []
    for cut in (0, 10, 100):
        for loss in ("CE", "LDAM"):
            for method, space in [
                ("Base", "input"),
                ("ROS", "input"),
                ("EOS", "latent"),
                ("EOS_K50", "latent"),
            ]:
                for label in range(4):
                    rows.append(
                        {
                            "cut": cut,
                            "loss": loss,
                            "method": method,
                            "space": space,
                            "class": label,
                            **{k: v(rng) for k, v in values.items()},
                        }
                    )
    return pd.DataFrame(rows)


def test_figures_of_several_cuts_draw_every_cut(tmp_path):
    from imbaug.plots import image_analysis as plots

    rng = np.random.default_rng(0)
    norms = _per_cut_rows(
        rng, norm=lambda r: r.random() + 1, n_train=lambda r: int(r.integers(5, 50))
    )
    gaps = pd.concat(
        [
            _per_cut_rows(rng, gap=lambda r: r.random(), n_test=lambda r: 5).assign(subset=s)
            for s in ("all", "TP", "FP")
        ],
        ignore_index=True,
    )
    plots.plot_generalization_gap(gaps, norms, tmp_path / "gap.png", "hand-made")
    plots.plot_head_norms(norms, tmp_path / "norms.png", "hand-made")
    plots.plot_gap_tp_fp(gaps, tmp_path / "tp_fp.png", "hand-made")
    curve = pd.DataFrame(
        [
            {"cut": c, "loss": "CE", "method": m, "epoch": e, "bac": rng.random()}
            for c in (0, 10)
            for m in ("EOS", "DSM")
            for e in range(1, 6)
        ]
    )
    plots.plot_head_curve(curve, tmp_path / "curve.png", "hand-made", kept_epochs=3)
    overlap = pd.DataFrame(
        [
            {
                "cut": c,
                "method": m,
                "run_method": m.split(" ")[0],
                "space": s,
                "overlap": rng.random(),
            }
            for c in (0, 10)
            for m, s in [("ROS", "input"), ("EOS (FE)", "latent")]
        ]
    )
    plots.plot_saliency_overlap(overlap, tmp_path / "saliency.png", "hand-made")
    sweep = pd.DataFrame(
        [
            {"cut": c, "loss": "CE", "space": "latent", "method": f"EOS_K{k}", "bac": rng.random()}
            for c in (0, 10)
            for k in (10, 50, 100)
        ]
    )
    plots.plot_eos_k_sweep(sweep, tmp_path / "sweep.png", "hand-made")
    for name in ["gap", "norms", "tp_fp", "curve", "saliency", "sweep"]:
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000, name
    # every cut is drawn: one faint point per cut and class on each run's line
    fig_points = plots.plt.figure()
    ax = fig_points.add_subplot()
    plots._class_lines(ax, norms[norms.loss == "CE"], "norm")
    assert sum(len(c.get_offsets()) for c in ax.collections) == 3 * 4 * 4  # cuts x classes x runs


def test_cnn_ce_rows_take_the_tabular_layout_with_distinct_share_of_the_fe_width():
    from imbaug.pipeline.image_analysis import ce_rows

    key = {"loss": "CE", "method": "EOS", "space": "latent"}
    summary = pd.DataFrame(
        [
            {**key, "class": 0, "n_tp": 5, "n_features": 8, "needed_mean": 2.0,
             "needed_share": 0.25, "distinct_needed": 4, "top_share": 0.5},
            {**key, "class": 1, "n_tp": 3, "n_features": 8, "needed_mean": 1.0,
             "needed_share": 0.125, "distinct_needed": 2, "top_share": 0.75},
        ]
    )  # fmt: skip
    profile = pd.DataFrame(
        [
            {**key, "class": c, "index": i, "mean_ce": m, "rank": r, "frequency": f}
            for c, rows in {0: [(3, 0.9, 0, 5), (1, 0.2, 1, 2)], 1: [(6, 0.7, 0, 3)]}.items()
            for i, m, r, f in rows
        ]
    )
    rows = ce_rows(summary, profile)
    assert len(rows) == 3 and set(rows["n_ce"]) == {8}
    by_class = rows.groupby("class")["distinct_share"].first()
    assert by_class.tolist() == [0.5, 0.25]  # 4 of 8 and 2 of 8 FE indices
    top = rows[(rows["class"] == 0) & (rows["rank"] == 0)].iloc[0]
    assert (top["index"], top["mean_ce"], top["needed_share"]) == (3, 0.9, 0.25)
