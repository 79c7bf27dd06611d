from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

from imbaug.models import ARCHS, CosineHead, build_model, count_parameters
from imbaug.models.resnet import OptionAShortcut


def test_resnet32_has_the_published_parameter_count():
    assert count_parameters(build_model("resnet32", 10)) == 464_154


@pytest.mark.parametrize(
    "arch, expected",
    [
        ("resnet56", 853_018),  # He et al. report 0.85M
        ("resnet20", 269_722),  # 0.27M
        ("densenet100", 769_162),  # DenseNet-BC-100, k=12: 0.8M
        ("wrn28_10", 36_479_194),  # WRN-28-10: 36.5M
    ],
)
def test_other_architectures_have_the_published_parameter_counts(arch, expected):
    assert count_parameters(build_model(arch, 10)) == expected


def test_resnet_parameter_count_matches_hand_count_so_option_a_shortcut_is_free():
    blocks = 5
    conv_bn = lambda cin, cout: 9 * cin * cout + 2 * cout  # noqa: E731
    expected = conv_bn(3, 16)
    width = 16
    for out in (16, 32, 64):
        expected += conv_bn(width, out) + conv_bn(out, out)
        expected += (blocks - 1) * 2 * conv_bn(out, out)
        width = out
    expected += 64 * 10 + 10
    assert expected == 464_154
    assert count_parameters(build_model("resnet32", 10)) == expected


def test_option_a_shortcut_subsamples_and_zero_pads_channels():
    shortcut = OptionAShortcut(2, 4, stride=2)
    assert sum(p.numel() for p in shortcut.parameters()) == 0
    x = torch.arange(2 * 4 * 4, dtype=torch.float32).reshape(1, 2, 4, 4)
    out = shortcut(x)
    assert out.shape == (1, 4, 2, 2)
    assert torch.equal(out[0, 0], torch.zeros(2, 2))
    assert torch.equal(out[0, 3], torch.zeros(2, 2))
    assert torch.equal(out[0, 1], torch.tensor([[0.0, 2.0], [8.0, 10.0]]))
    assert torch.equal(out[0, 2], torch.tensor([[16.0, 18.0], [24.0, 26.0]]))


ALL_ARCHS = ["resnet8", "resnet32", "wrn10_2", "densenet10"]


@pytest.mark.parametrize("arch", ALL_ARCHS)
@pytest.mark.parametrize("cosine", [False, True])
def test_shapes_and_interface(arch, cosine):
    torch.manual_seed(0)
    model = build_model(arch, 5, cosine_head=cosine).eval()
    x = torch.rand(3, 3, 32, 32)
    features = model.features(x)
    assert features.shape == (3, model.feature_dim)
    assert features.dtype == torch.float32
    assert torch.allclose(model(x), model.head(features))
    assert model(x).shape == (3, 5)
    assert model.head.weight.shape == (5, model.feature_dim)
    assert isinstance(model.head, CosineHead if cosine else nn.Linear)


@pytest.mark.parametrize("arch", ALL_ARCHS)
@pytest.mark.parametrize("size", [8, 16, 13])
def test_one_channel_small_inputs(arch, size):
    model = build_model(arch, 3, in_channels=1).eval()
    out = model(torch.rand(2, 1, size, size))
    assert out.shape == (2, 3)
    assert torch.isfinite(out).all()


def test_feature_dims():
    assert build_model("resnet32", 10).feature_dim == 64
    assert build_model("wrn16_4", 10).feature_dim == 256
    assert (
        build_model("densenet40", 10).feature_dim == 132
    )  # 24 + 3 blocks of 6x12 with 0.5 compression


def test_normalization_is_applied_inside_the_model():
    torch.manual_seed(0)
    model = build_model("resnet8", 2).eval()
    x = torch.rand(2, 3, 8, 8)
    mean, std = [0.5, 0.4, 0.3], [0.2, 0.25, 0.5]
    model.set_normalization(mean, std)
    assert model.input_mean.shape == (1, 3, 1, 1)
    manual = (x - torch.tensor(mean).view(1, 3, 1, 1)) / torch.tensor(std).view(1, 3, 1, 1)
    assert torch.allclose(model.features(x), model.backbone(manual), atol=1e-6)
    assert "input_mean" in model.state_dict() and "input_std" in model.state_dict()
    with pytest.raises(ValueError):
        model.set_normalization([0.5], [0.2])
    with pytest.raises(ValueError):
        model.set_normalization(mean, [0.2, 0.0, 0.1])


def test_kaiming_normal_init():
    torch.manual_seed(0)
    model = build_model("resnet56", 10)
    conv = model.backbone.stages[2][3].conv1.weight  # 64 -> 64, 3x3: fan_in 576
    assert conv.std().item() == pytest.approx(math.sqrt(2 / 576), rel=0.05)


def test_cosine_head_matches_numpy_and_is_bounded_by_scale():
    torch.manual_seed(0)
    head = CosineHead(6, 4, scale=30.0)
    features = torch.randn(50, 6) * 10
    logits = head(features).detach().numpy()
    f, w = features.numpy(), head.weight.detach().numpy()
    expected = (
        30.0
        * (f / np.linalg.norm(f, axis=1, keepdims=True))
        @ (w / np.linalg.norm(w, axis=1, keepdims=True)).T
    )
    np.testing.assert_allclose(logits, expected, rtol=1e-5, atol=1e-4)
    assert np.abs(logits).max() <= 30.0 + 1e-4
    assert sum(p.numel() for p in head.parameters()) == 24  # no bias


@pytest.mark.parametrize(
    "bad", ["resnet33", "resnet2", "wrn28", "wrn27_10", "densenet41", "vgg16", ""]
)
def test_bad_arch_names_are_rejected_with_the_accepted_forms(bad):
    with pytest.raises(ValueError) as info:
        build_model(bad, 10)
    assert repr(bad) in str(info.value)
    assert "resnet{6n+2}" in str(info.value)
    assert len(ARCHS) == 3
