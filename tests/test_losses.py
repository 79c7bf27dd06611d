"""Loss values checked against independent numpy arithmetic on small hand-made batches."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from imbaug.losses import LOSS_NAMES, build_loss, class_balanced_weights, ldam_margins

COUNTS = [6, 3, 1]
LOGITS = np.array([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0], [-0.5, 1.5, 0.0], [1.0, 1.0, 1.0]])
TARGETS = np.array([0, 2, 1, 2])
CIFAR10_LT_COUNTS = [int(5000 * 0.01 ** (i / 9)) for i in range(10)]


def np_log_softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def evaluate(
    name, logits=LOGITS, targets=TARGETS, epoch=0, counts=COUNTS, total_epochs=10, **kwargs
):
    loss = build_loss(name, counts, total_epochs=total_epochs, **kwargs)
    target_tensor = torch.as_tensor(targets)
    return loss(torch.tensor(logits, dtype=torch.float32), target_tensor, epoch).item()


def test_cross_entropy_by_hand():
    # sample 3 (uniform logits over 3 classes) alone is log(3)
    assert evaluate("CE", LOGITS[3:], TARGETS[3:]) == pytest.approx(np.log(3), rel=1e-6)
    expected = -np_log_softmax(LOGITS)[np.arange(4), TARGETS].mean()
    assert evaluate("CE") == pytest.approx(expected, rel=1e-6)


def test_cost_sensitive_uses_balanced_weights_normalised_by_batch_weight():
    weights = np.array([10 / 18, 10 / 9, 10 / 3])  # n_total / (C * n_c) for counts 6, 3, 1
    per_sample = -np_log_softmax(LOGITS)[np.arange(4), TARGETS]
    sample_weights = weights[TARGETS]
    expected = (sample_weights * per_sample).sum() / sample_weights.sum()
    assert evaluate("CS") == pytest.approx(expected, rel=1e-6)
    torch_reference = F.cross_entropy(
        torch.tensor(LOGITS), torch.tensor(TARGETS), weight=torch.tensor(weights)
    ).item()
    assert evaluate("CS") == pytest.approx(torch_reference, rel=1e-6)


def test_focal_by_hand():
    log_p = np_log_softmax(LOGITS)[np.arange(4), TARGETS]
    expected = (-((1 - np.exp(log_p)) ** 2) * log_p).mean()
    assert evaluate("Focal") == pytest.approx(expected, rel=1e-6)
    # gamma 0 is cross-entropy
    assert evaluate("Focal", focal_gamma=0.0) == pytest.approx(evaluate("CE"), rel=1e-6)


def test_asl_single_label_by_hand():
    """Ridnik et al.'s ASLSingleLabel written out with numpy."""
    gamma_pos, gamma_neg, eps = 0.0, 4.0, 0.1
    log_p = np_log_softmax(LOGITS)
    p = np.exp(log_p)
    one_hot = np.eye(3)[TARGETS]
    anti = 1 - one_hot
    base = 1 - p * one_hot - (1 - p) * anti  # 1 - p at the target, p elsewhere
    asym_weight = base ** (gamma_pos * one_hot + gamma_neg * anti)
    smoothed = one_hot * (1 - eps) + eps / 3
    expected = (-(smoothed * asym_weight * log_p).sum(axis=1)).mean()
    assert evaluate("ASL") == pytest.approx(expected, rel=1e-6)
    # single sample, written out term by term
    z = LOGITS[0]
    q = np.exp(z) / np.exp(z).sum()
    by_hand = -(0.9 + 0.1 / 3) * np.log(q[0]) - (0.1 / 3) * (
        q[1] ** 4 * np.log(q[1]) + q[2] ** 4 * np.log(q[2])
    )
    assert evaluate("ASL", LOGITS[:1], TARGETS[:1]) == pytest.approx(by_hand, rel=1e-6)


def test_asl_without_smoothing_or_focusing_is_cross_entropy():
    assert evaluate("ASL", asl_gamma_neg=0.0, asl_smoothing=0.0) == pytest.approx(
        evaluate("CE"), rel=1e-6
    )


def test_ldam_margins_for_cifar10_lt():
    margins = ldam_margins(CIFAR10_LT_COUNTS, max_margin=0.5).numpy()
    assert CIFAR10_LT_COUNTS[0] == 5000 and CIFAR10_LT_COUNTS[-1] == 50
    assert margins[0] == pytest.approx(0.5 * (50 / 5000) ** 0.25, rel=1e-5)
    assert margins[0] == pytest.approx(0.158, abs=5e-4)
    assert margins[-1] == pytest.approx(0.5, rel=1e-6)
    assert np.all(np.diff(margins) > 0)


def test_ldam_by_hand():
    scale = 30.0
    cos = np.array([[0.8, 0.1, -0.3], [0.2, 0.6, 0.5], [0.0, 0.1, 0.05]])
    targets = np.array([0, 2, 1])
    margins = np.array([6.0, 3.0, 1.0]) ** -0.25
    margins *= 0.5 / margins.max()
    shifted = scale * cos
    shifted[np.arange(3), targets] -= scale * margins[targets]
    expected = -np_log_softmax(shifted)[np.arange(3), targets].mean()
    assert evaluate("LDAM", scale * cos, targets) == pytest.approx(expected, rel=1e-6)
    assert evaluate("LDAM", scale * cos, targets) > evaluate("CE", scale * cos, targets)


def test_class_balanced_weights_by_hand():
    beta = 0.9999
    counts = np.array(CIFAR10_LT_COUNTS, dtype=float)
    raw = (1 - beta) / (1 - beta**counts)
    expected = raw / raw.sum() * 10
    weights = class_balanced_weights(CIFAR10_LT_COUNTS, beta).numpy()
    np.testing.assert_allclose(weights, expected, rtol=1e-5)
    assert weights.sum() == pytest.approx(10, rel=1e-5)
    assert weights[-1] > weights[0]


def test_drw_switches_to_class_balanced_weights_at_epoch_160_of_200():
    loss = build_loss("LDAM_DRW", COUNTS, total_epochs=200)
    assert loss.class_weights(159) is None
    assert torch.equal(loss.class_weights(160), class_balanced_weights(COUNTS))
    logits = torch.tensor(LOGITS, dtype=torch.float32)
    targets = torch.tensor(TARGETS)
    plain = build_loss("LDAM", COUNTS, total_epochs=200)
    assert loss(logits, targets, 159).item() == pytest.approx(
        plain(logits, targets, 159).item(), rel=1e-6
    )
    assert loss(logits, targets, 160).item() != pytest.approx(
        plain(logits, targets, 160).item(), rel=1e-3
    )

    weights = class_balanced_weights(COUNTS, 0.9999).numpy()[TARGETS]
    per_sample = -np_log_softmax(LOGITS)[np.arange(4), TARGETS]
    expected = (weights * per_sample).sum() / weights.sum()
    assert evaluate("CE_DRW", epoch=160, total_epochs=200) == pytest.approx(expected, rel=1e-6)
    assert evaluate("CE_DRW", epoch=159, total_epochs=200) == pytest.approx(
        evaluate("CE"), rel=1e-6
    )
    assert build_loss("CE_DRW", COUNTS, total_epochs=50).switch_epoch == 40


@pytest.mark.parametrize("name", LOSS_NAMES)
def test_one_hot_soft_targets_equal_hard_targets(name):
    one_hot = np.eye(3, dtype=np.float32)[TARGETS]
    for epoch in (0, 9):
        hard = evaluate(name, epoch=epoch)
        soft = evaluate(name, targets=one_hot, epoch=epoch)
        assert soft == pytest.approx(hard, rel=1e-6)


def test_soft_targets_give_the_mixture_of_hard_losses():
    lam = 0.3
    other = np.array([1, 0, 2, 0])
    soft = lam * np.eye(3)[TARGETS] + (1 - lam) * np.eye(3)[other]
    for name in ("CE", "Focal", "ASL"):
        mixture = lam * evaluate(name) + (1 - lam) * evaluate(name, targets=other)
        assert evaluate(name, targets=soft) == pytest.approx(mixture, rel=1e-6)


def test_ldam_soft_targets_subtract_target_weighted_margins():
    scale, lam = 30.0, 0.25
    cos = np.array([[0.8, 0.1, -0.3], [0.2, 0.6, 0.5]])
    soft = np.array([[lam, 1 - lam, 0.0], [0.0, 0.5, 0.5]])
    margins = ldam_margins(COUNTS).numpy()
    shifted = scale * cos - scale * margins * soft
    expected = -(soft * np_log_softmax(shifted)).sum(axis=1).mean()
    assert evaluate("LDAM", scale * cos, soft) == pytest.approx(expected, rel=1e-6)


def test_loss_has_gradients_and_accepts_bf16_logits():
    loss = build_loss("Focal", COUNTS, total_epochs=10)
    logits = torch.tensor(LOGITS, dtype=torch.float32, requires_grad=True)
    loss(logits.bfloat16(), torch.tensor(TARGETS), 0).backward()
    assert torch.isfinite(logits.grad).all() and logits.grad.abs().sum() > 0


def test_uses_cosine_head_only_for_ldam():
    flags = {
        name: build_loss(name, COUNTS, total_epochs=10).uses_cosine_head for name in LOSS_NAMES
    }
    assert flags == {name: name.startswith("LDAM") for name in LOSS_NAMES}


def test_unknown_loss_lists_valid_names():
    with pytest.raises(ValueError) as info:
        build_loss("Hinge", COUNTS, total_epochs=10)
    assert (
        "'Hinge'" in str(info.value) and "LDAM_DRW" in str(info.value) and "ASL" in str(info.value)
    )


def test_bad_counts_are_rejected():
    with pytest.raises(ValueError):
        build_loss("CS", [5, 0, 3], total_epochs=10)
