"""Losses for imbalanced image training: CE, CS, Focal, ASL, LDAM, each optionally with DRW.

Every loss is called as ``loss(logits, targets, epoch)`` with ``targets`` either int64 class
indices (N,) or soft targets (N, C) whose rows sum to 1 (REMIX/mixup). One-hot soft targets
give exactly the hard-target value.

All losses share one shape: a base loss gives, per sample i and class k, the loss the sample
would have if its label were k (an (N, C) matrix); the batch loss is that matrix weighted by
the targets (and by class weights, if any), normalised by the total weight::

    loss = sum_ik t_ik w_k L_ik / sum_ik t_ik w_k

With hard targets and no class weights this is the plain batch mean; with class weights it is
PyTorch's weighted ``cross_entropy`` mean (normalised by the summed weights of the batch), as
in the LDAM-DRW reference. For soft targets it is the expected loss over the label
distribution, the usual mixup treatment. LDAM is the one loss whose logits depend on the
label: there the margin subtracted from class k's logit is scaled by t_ik (so a one-hot
target subtracts the full margin at the true class), then soft cross-entropy follows.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

BASE_LOSSES = ("CE", "CS", "Focal", "ASL", "LDAM")
DRW_SUFFIX = "_DRW"
LOSS_NAMES = BASE_LOSSES + tuple(name + DRW_SUFFIX for name in BASE_LOSSES)


def _as_count_tensor(class_counts: Sequence[int] | torch.Tensor) -> torch.Tensor:
    counts = torch.as_tensor(class_counts, dtype=torch.float64).reshape(-1)
    if counts.numel() < 2 or not bool((counts > 0).all()):
        raise ValueError(f"need a positive count for each of >= 2 classes, got {counts.tolist()}")
    return counts


def balanced_class_weights(class_counts: Sequence[int] | torch.Tensor) -> torch.Tensor:
    """sklearn's ``class_weight='balanced'``: n_total / (C * n_c), float32 tensor (C,)."""
    counts = _as_count_tensor(class_counts)
    return (counts.sum() / (counts.numel() * counts)).float()


def class_balanced_weights(
    class_counts: Sequence[int] | torch.Tensor, beta: float = 0.9999
) -> torch.Tensor:
    """Cui et al. (2019) weights (1 - beta) / (1 - beta^n_c), normalised to sum to C."""
    counts = _as_count_tensor(class_counts)
    weights = (1.0 - beta) / (1.0 - torch.pow(torch.tensor(beta, dtype=torch.float64), counts))
    return (weights * counts.numel() / weights.sum()).float()


def ldam_margins(
    class_counts: Sequence[int] | torch.Tensor, max_margin: float = 0.5
) -> torch.Tensor:
    """LDAM margins m_c proportional to n_c^(-1/4), scaled so the largest is ``max_margin``."""
    margins = _as_count_tensor(class_counts) ** -0.25
    return (margins * (max_margin / margins.max())).float()


class CrossEntropyPerLabel(nn.Module):
    """-log p_k."""

    def forward(self, logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        return -F.log_softmax(logits, dim=1)


class FocalPerLabel(nn.Module):
    """Focal loss (Lin et al. 2017): -(1 - p_k)^gamma log p_k."""

    def __init__(self, gamma: float):
        super().__init__()
        self.gamma = gamma

    def forward(self, logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        log_probs = F.log_softmax(logits, dim=1)
        return -((1.0 - log_probs.exp()) ** self.gamma) * log_probs


class ASLPerLabel(nn.Module):
    """Single-label asymmetric loss (Ridnik et al. 2021, ``ASLSingleLabel``), for label k:

    -(1 - eps + eps/C) (1 - p_k)^gamma_pos log p_k  -  (eps/C) sum_{c != k} p_c^gamma_neg log p_c
    """

    def __init__(self, gamma_pos: float, gamma_neg: float, smoothing: float):
        super().__init__()
        self.gamma_pos = gamma_pos
        self.gamma_neg = gamma_neg
        self.smoothing = smoothing

    def forward(self, logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        log_probs = F.log_softmax(logits, dim=1)
        probs = log_probs.exp()
        positive = -((1.0 - probs) ** self.gamma_pos) * log_probs
        negative = -(probs**self.gamma_neg) * log_probs
        off_weight = self.smoothing / logits.shape[1]
        on_weight = 1.0 - self.smoothing + off_weight
        return on_weight * positive + off_weight * (negative.sum(dim=1, keepdim=True) - negative)


class LDAMPerLabel(nn.Module):
    """LDAM (Cao et al. 2019) on scaled cosine logits: cross-entropy after subtracting
    s * m_k from the logit of label k (scaled by the target weight t_ik for soft targets)."""

    def __init__(self, margins: torch.Tensor, scale: float):
        super().__init__()
        self.register_buffer("margins", margins)
        self.scale = scale

    def forward(self, logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        shifted = logits - self.scale * self.margins.to(logits.device) * targets
        return -F.log_softmax(shifted, dim=1)


class ImbalanceLoss(nn.Module):
    """A base loss plus class weights that may switch on at a given epoch (DRW).

    ``weights_before`` applies for epochs < ``switch_epoch``, ``weights_after`` from it on;
    ``None`` means unweighted. Epochs count from 0.
    """

    def __init__(
        self,
        name: str,
        per_label: nn.Module,
        num_classes: int,
        *,
        weights_before: torch.Tensor | None = None,
        weights_after: torch.Tensor | None = None,
        switch_epoch: int | None = None,
        uses_cosine_head: bool = False,
    ):
        super().__init__()
        self.name = name
        self.per_label = per_label
        self.num_classes = num_classes
        self.register_buffer("weights_before", weights_before)
        self.register_buffer("weights_after", weights_after)
        self.switch_epoch = switch_epoch
        self.uses_cosine_head = uses_cosine_head

    def class_weights(self, epoch: int) -> torch.Tensor | None:
        """The class weights in force at ``epoch`` (0-based), or None."""
        if self.switch_epoch is not None and epoch >= self.switch_epoch:
            return self.weights_after
        return self.weights_before

    def forward(self, logits: torch.Tensor, targets: torch.Tensor, epoch: int) -> torch.Tensor:
        logits = logits.float()
        if not targets.is_floating_point():
            targets = F.one_hot(targets.long(), self.num_classes).float()
        elif targets.shape != logits.shape:
            raise ValueError(
                f"soft targets must have the logits' shape {tuple(logits.shape)}, got {tuple(targets.shape)}"
            )
        targets = targets.float()
        sample_class_weight = targets
        weights = self.class_weights(epoch)
        if weights is not None:
            sample_class_weight = targets * weights.to(logits.device)
        per_label = self.per_label(logits, targets)
        return (sample_class_weight * per_label).sum() / sample_class_weight.sum()

    def extra_repr(self) -> str:
        return f"name={self.name!r}, switch_epoch={self.switch_epoch}, uses_cosine_head={self.uses_cosine_head}"


def build_loss(
    name: str,
    class_counts: Sequence[int] | torch.Tensor,
    *,
    total_epochs: int,
    focal_gamma: float = 2.0,
    asl_gamma_pos: float = 0.0,
    asl_gamma_neg: float = 4.0,
    asl_smoothing: float = 0.1,
    ldam_max_margin: float = 0.5,
    ldam_scale: float = 30.0,
    drw_beta: float = 0.9999,
    drw_start_fraction: float = 0.8,
) -> ImbalanceLoss:
    """Build a loss by name (see ``LOSS_NAMES``) for a train set with ``class_counts``.

    ``"<base>_DRW"`` switches to class-balanced weights (``class_balanced_weights`` with
    ``drw_beta``) from epoch ``int(drw_start_fraction * total_epochs)`` on; ``total_epochs``
    must be the training run's epoch count. LDAM variants expect a model with a cosine head
    of scale ``ldam_scale`` (``loss.uses_cosine_head`` is True for them).
    """
    if name not in LOSS_NAMES:
        raise ValueError(f"unknown loss {name!r}; valid names: {', '.join(LOSS_NAMES)}")
    base = name.removesuffix(DRW_SUFFIX)
    counts = _as_count_tensor(class_counts)
    num_classes = counts.numel()
    if base in ("CE", "CS"):
        per_label: nn.Module = CrossEntropyPerLabel()
    elif base == "Focal":
        per_label = FocalPerLabel(focal_gamma)
    elif base == "ASL":
        per_label = ASLPerLabel(asl_gamma_pos, asl_gamma_neg, asl_smoothing)
    else:
        per_label = LDAMPerLabel(ldam_margins(counts, ldam_max_margin), ldam_scale)
    weights_before = balanced_class_weights(counts) if base == "CS" else None
    weights_after = switch_epoch = None
    if name.endswith(DRW_SUFFIX):
        weights_after = class_balanced_weights(counts, drw_beta)
        switch_epoch = int(drw_start_fraction * total_epochs)
    return ImbalanceLoss(
        name,
        per_label,
        num_classes,
        weights_before=weights_before,
        weights_after=weights_after,
        switch_epoch=switch_epoch,
        uses_cosine_head=base == "LDAM",
    )
