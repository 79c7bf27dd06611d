"""Known answers of the classification-embedding (CE paper) and weight (DA paper) analyses."""

import numpy as np
import pytest

from imbaug.analysis.embeddings import (
    NOT_REACHED,
    binary_oriented,
    distinct_needed,
    multiclass_oriented,
    needed_counts,
    needed_frequency,
    needed_share,
    sorted_mean_magnitudes,
    top_share,
)
from imbaug.analysis.weights import class_norms, frobenius_norm, negligible_share, weight_change
from imbaug.plots.style import method_colour, save_figure


def test_needed_counts_on_a_hand_built_weight_row():
    # w = [4, 3, 2, 1, -5], bias -1; x = ones -> CE = w. Start = -1 - 5 = -6;
    # +4 -> -2, +3 -> 1 > 0: two CE needed.
    ce = np.array([[4.0, 3.0, 2.0, 1.0, -5.0]])
    assert needed_counts(ce, offset=-1.0, target=0.0).tolist() == [2]
    # Order is by size, not by index: the same row shuffled needs the same count.
    assert needed_counts(ce[:, [3, 4, 0, 2, 1]], -1.0, 0.0).tolist() == [2]
    # Exceeding is strict: a sum landing exactly on the target needs one more.
    assert needed_counts([[4.0, 2.0, 1.0]], offset=-6.0, target=0.0).tolist() == [3]
    assert needed_share(ce, -1.0, 0.0).tolist() == [pytest.approx(2 / 5)]


def test_needed_counts_zero_and_not_reached():
    rows = np.array([[1.0, 1.0], [1.0, 1.0], [1.0, -3.0]])
    counts = needed_counts(rows, offset=[5.0, -10.0, 0.0], target=0.0)
    assert counts.tolist() == [0, NOT_REACHED, NOT_REACHED]
    assert np.isnan(needed_share(rows, [5.0, -10.0, 0.0], 0.0)[1:]).all()


def test_binary_orientation_flips_class_zero():
    # LG score sum(ce) + b = 3 - 6 + 1 = -2 < 0 -> class 0; oriented: -3, +6, offset -1 -> 1 CE.
    contributions, offset, target = binary_oriented([[3.0, -6.0]], bias=1.0, predicted=[0])
    assert contributions.tolist() == [[-3.0, 6.0]]
    assert needed_counts(contributions, offset, target).tolist() == [1]


def test_multiclass_runner_up_target():
    features = np.array([[1.0, 2.0, 0.5]])
    weight = np.array([[1.0, 1.0, 1.0], [3.0, 1.0, 0.0]])
    bias = np.array([0.0, -1.0])
    # logits: class 0 = 3.5, class 1 = 4.0 -> predicted 1, runner-up 3.5.
    contributions, offset, target = multiclass_oriented(features, weight, bias, [1])
    assert contributions.tolist() == [[3.0, 2.0, 0.0]]
    assert offset.tolist() == [-1.0] and target.tolist() == [3.5]
    assert needed_counts(contributions, offset, target).tolist() == [2]


def test_class_summaries():
    # Row 0 needs {0}; row 1 needs {2, 1}: 3 distinct indices across the class.
    rows = np.array([[5.0, 1.0, 0.0, 0.0], [0.0, 2.0, 3.0, 0.0]])
    offset = [-1.0, -4.0]
    assert needed_counts(rows, offset, 0.0).tolist() == [1, 2]
    assert distinct_needed(rows, offset, 0.0) == 3
    assert needed_frequency(rows, offset, 0.0).tolist() == [1, 1, 1, 0]
    values, indices = sorted_mean_magnitudes(rows)
    assert values.tolist() == [2.5, 1.5, 1.5, 0.0] and indices.tolist() == [0, 1, 2, 3]


def test_top_share():
    # Class-mean CE 10 entries: one of 6, nine of 0.5 (one negative ignored) -> top 10% = 6 / 10.
    mean = np.array([6.0] + [0.5] * 8 + [-4.0])
    assert top_share(mean[None, :]) == pytest.approx(6.0 / 10.0)
    assert np.isnan(top_share(-np.ones((2, 3))))
    with pytest.raises(ValueError, match="fraction"):
        top_share(mean[None, :], fraction=0)


def test_weight_change_on_hand_set_matrices():
    base = np.array([[1.0, -2.0], [4.0, 0.0]])
    other = np.array([[2.0, -1.0], [4.0, 7.0]])
    # |2-1|/1 = 1, |-1+2|/2 = 0.5, 0/4 = 0; the zero base weight is left out -> mean 0.5.
    assert weight_change(other, base) == pytest.approx(0.5)
    assert weight_change(base, base) == 0.0
    with pytest.raises(ValueError, match="shape"):
        weight_change(other[:, :1], base)
    with pytest.raises(ValueError, match="zero"):
        weight_change(other, np.zeros_like(base))


def test_weight_change_is_a_ratio_and_ignores_base_weights_near_zero():
    # Doubling every weight is a change of 1 (100 %, as the DA paper's 2.143 reads "200%").
    base = np.array([[0.5, -0.25], [0.4, 0.2]])
    assert weight_change(2 * base, base) == pytest.approx(1.0)
    # A base weight weight decay shrank to 1e-7 (a latent unit Base does not use): the
    # paper's formula taken literally gives (0.3 / 1e-7 + 0.5 + 0 + 0.5) / 4 = 750000.25;
    # left out, the mean of the other three is 1/3.
    base = np.array([[1e-7, 0.5], [0.4, -0.2]])
    other = np.array([[0.3, 0.25], [0.4, -0.3]])
    assert weight_change(other, base) == pytest.approx(1 / 3)
    assert weight_change(other, base, negligible=0) == pytest.approx(750000.25)
    assert negligible_share(base) == 0.25
    # 1e-3 of the largest |base weight| (0.5) is the bound: 4e-4 is left out, 6e-4 kept
    assert negligible_share(np.array([[0.5, 4e-4, 6e-4, 0.0]])) == 0.5
    with pytest.raises(ValueError, match="negligible"):
        weight_change(other, base, negligible=1.0)


def test_norms():
    weight = np.array([[3.0, 4.0], [0.0, 1.0]])
    assert frobenius_norm(weight) == pytest.approx(np.sqrt(26.0))
    assert class_norms(weight).tolist() == [5.0, 1.0]
    assert frobenius_norm([3.0, 4.0]) == 5.0


def test_method_colours_are_distinct_and_sweeps_share_them(tmp_path):
    from imbaug.plots.style import METHOD_COLOURS

    named = {m: c for m, c in METHOD_COLOURS.items() if m != "ReMix"}
    assert len(set(named.values())) == len(named)
    assert method_colour("EOS_K5") == method_colour("EOS")
    import matplotlib.pyplot as plt

    with pytest.raises(ValueError, match="figure_format"):
        save_figure(plt.figure(), tmp_path / "x.jpg")
    save_figure(plt.figure(), tmp_path / "x.svg")
    assert (tmp_path / "x.svg").read_text().lstrip().startswith("<?xml")


def test_accuracy_figure_draws_each_method_in_its_shared_colour(tmp_path, monkeypatch):
    """DA Fig 1 uses the colour every other figure gives a method (not matplotlib's cycle)."""
    import matplotlib.pyplot as plt
    import pandas as pd
    from matplotlib.colors import to_hex

    from imbaug.plots import accuracy

    figures = []
    monkeypatch.setattr(plt, "close", figures.append)
    table = pd.DataFrame(
        [
            {"dataset": "d", "classifier": c, "method": m, "bac_mean": 0.8, "fm_mean": 0.7}
            for c in ("SVM", "LG")
            for m in ("Base", "ROS", "SMOTE")
        ]
    )
    accuracy.plot_tabular_accuracy(table, tmp_path / "fig1.png")
    ax = figures[0].axes[0]
    colours = {
        label: to_hex(bars.patches[0].get_facecolor())
        for bars, label in zip(ax.containers, ax.get_legend_handles_labels()[1])
    }
    assert colours == {m: to_hex(method_colour(m)) for m in ("Base", "ROS", "SMOTE")}
