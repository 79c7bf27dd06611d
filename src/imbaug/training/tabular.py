"""Fitting the tabular classifiers: SVM and LG (scikit-learn defaults) and the dense NN.

The NN (DA paper section III-B: d -> 100 -> 50 -> d//2 -> 2, ReLU, L2 weight decay) is
trained with Adam on the CPU. Its epoch count and weight decay are chosen on an inner,
stratified validation split of the training part (never on test data) by the balanced
accuracy of every epoch of every candidate weight decay (:func:`select_mlp_settings`); the
chosen settings are then refitted on the whole training part (:func:`fit_mlp`).

Speed: the network is tiny (about 16k multiply-adds per row), so a fit is bound by per-step
overhead, not arithmetic. The trainer therefore uses one torch thread (several threads only
synchronise; with ``snakemake --cores 2`` two jobs already share the two cores), builds the
tensors once, gathers each epoch's shuffled rows in one indexing operation, and trains all
candidate weight decays of the selection at once as one stacked network (batched matmuls),
so a grid of G candidates costs little more than one fit.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC

CLASSIFIERS = ("SVM", "LG", "NN")


@dataclass(frozen=True)
class NNSettings:
    """Training settings of the tabular NN (config key ``tabular.nn``); the paper leaves them open.

    Attributes
    ----------
    epochs : int
        Epochs of a fit; with ``validation_size > 0`` the largest epoch count tried, and the
        fit uses the chosen count (1..epochs).
    batch_size : int
        Rows per Adam step.
    lr : float
        Adam learning rate.
    weight_decay : tuple of float
        Candidate L2 weight decays (Adam's coupled decay, i.e. ``wd * w`` added to the
        gradient). A single value (or a one-element tuple) with ``validation_size == 0``
        fixes it.
    validation_size : float
        Share of the training part held out (stratified) to choose the epoch count and weight
        decay by balanced accuracy; 0 disables the choice (train ``epochs`` epochs with the
        single ``weight_decay``).
    threads : int
        torch intra-op threads during a fit (restored afterwards); 1 is fastest for this
        network size.
    """

    epochs: int = 60
    batch_size: int = 512
    lr: float = 4e-3
    weight_decay: tuple[float, ...] = (0.0, 1e-3, 1e-2, 3e-2)
    validation_size: float = 0.2
    threads: int = 1

    def __post_init__(self) -> None:
        decays = self.weight_decay
        decays = tuple(float(d) for d in (decays if isinstance(decays, Sequence) else (decays,)))
        object.__setattr__(self, "weight_decay", decays)
        if self.epochs < 1 or self.batch_size < 1 or self.threads < 1:
            raise ValueError(
                f"tabular.nn: epochs, batch_size and threads must be >= 1, got "
                f"{self.epochs}, {self.batch_size}, {self.threads}"
            )
        if not decays or min(decays) < 0:
            raise ValueError(
                f"tabular.nn.weight_decay: need one or more values >= 0, got {list(decays)}"
            )
        if not 0 <= self.validation_size < 1:
            raise ValueError(
                f"tabular.nn.validation_size must be in [0, 1), got {self.validation_size}"
            )
        if self.validation_size == 0 and len(decays) > 1:
            raise ValueError(
                f"tabular.nn: {len(decays)} weight_decay candidates but validation_size 0; "
                "give one weight decay or a validation share to choose on"
            )

    @property
    def needs_selection(self) -> bool:
        """True when the epoch count and weight decay are still to be chosen on validation data."""
        return self.validation_size > 0


def fit_sklearn(classifier: str, X: np.ndarray, y: np.ndarray, *, cost_sensitive: bool):
    """SVC() or LogisticRegression() with library defaults; CS adds balanced class weights."""
    class_weight = "balanced" if cost_sensitive else None
    if classifier == "SVM":
        return SVC(class_weight=class_weight).fit(X, y)
    if classifier == "LG":
        return LogisticRegression(class_weight=class_weight, max_iter=5000).fit(X, y)
    raise ValueError(f"unknown classifier {classifier!r}; choose from {CLASSIFIERS}")


@contextmanager
def torch_threads(threads: int) -> Iterator[None]:
    """Run the block with ``threads`` torch intra-op threads, restoring the count afterwards.

    Small networks on the CPU (this NN, a linear head) are bound by per-operation overhead;
    extra threads only synchronise, and under ``snakemake --cores N`` parallel jobs they
    oversubscribe the cores (measured: 20-40x slower fits on a busy 2-core VM).
    """
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def _initial_model(n_features: int, n_classes: int, seed: int):
    """TabularMLP with the initial weights of ``torch.manual_seed(seed)``, without touching the
    caller's global torch random state."""
    import torch

    from imbaug.models.mlp import TabularMLP

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return TabularMLP(n_features, n_classes)


def _linears(model) -> list:
    return [*model.encoder[::2], model.head]


class _StackedMLP:
    """G copies of one TabularMLP trained side by side: layer weights (G, in, out), biases
    (G, 1, out). Copy g has weight decay ``decays[g]``; all copies see the same batches."""

    def __init__(self, model, copies: int):
        import torch

        self.params = []
        for linear in _linears(model):
            weight = linear.weight.detach().t().unsqueeze(0).repeat(copies, 1, 1)
            bias = linear.bias.detach().view(1, 1, -1).repeat(copies, 1, 1)
            self.params += [
                weight.contiguous().requires_grad_(),
                bias.contiguous().requires_grad_(),
            ]
        self.n_layers = len(self.params) // 2
        self._torch = torch

    def __call__(self, x):
        """(B, d) rows -> (G, B, C) logits."""
        hidden = x
        for layer in range(self.n_layers):
            weight, bias = self.params[2 * layer], self.params[2 * layer + 1]
            hidden = (
                self._torch.baddbmm(bias, hidden, weight)
                if hidden.dim() == 3
                else self._torch.matmul(hidden, weight).add_(bias)
            )
            if layer < self.n_layers - 1:
                hidden = hidden.relu()
        return hidden

    def load_into(self, model, copy: int):
        """Write copy ``copy``'s weights into ``model`` (a TabularMLP of the same shape)."""
        import torch

        with torch.no_grad():
            for layer, linear in enumerate(_linears(model)):
                linear.weight.copy_(self.params[2 * layer][copy].t())
                linear.bias.copy_(self.params[2 * layer + 1][copy, 0])
        return model


def _balanced_accuracy(logits, y, n_classes: int):
    """(G, N, C) logits, (N,) labels -> (G,) mean recall over the classes present in y."""
    import torch

    predicted = logits.argmax(-1)
    counts = torch.bincount(y, minlength=n_classes).float()
    present = counts > 0
    hits = torch.zeros(logits.shape[0], n_classes)
    hits.scatter_add_(1, y.expand_as(predicted), (predicted == y).float())
    return (hits[:, present] / counts[present]).mean(1)


def _remix_batches(
    inputs,
    labels,
    n_classes: int,
    batch_size: int,
    alpha: float,
    rng: np.random.Generator,
    generator,
):
    """One epoch of ReMix batches (Bellinger et al. 2020): ceil(n / B) class-balanced batches,
    each mixed with a permutation of itself (one lam ~ Beta(alpha, alpha) per batch); yields
    (x, soft targets (B, n_classes))."""
    import torch
    from torch.nn import functional as F

    from imbaug.resampling import balanced_batch_indices, mixup

    plan = balanced_batch_indices(labels.numpy(), batch_size, -(-len(labels) // batch_size), rng)
    for rows in torch.from_numpy(plan):
        partner = torch.randperm(len(rows), generator=generator)
        one_hot = F.one_hot(labels[rows], n_classes).float()
        yield mixup(inputs[rows], one_hot, float(rng.beta(alpha, alpha)), partner)


def _train_stacked(
    X,
    y,
    *,
    n_classes: int,
    settings: NNSettings,
    decays: Sequence[float],
    epochs: int,
    seed: int,
    soft_targets=None,
    cost_sensitive: bool = False,
    validation=None,
    remix_alpha: float | None = None,
):
    """Train len(decays) copies of the seed's TabularMLP with Adam for ``epochs`` epochs.

    Returns the stacked network and, with ``validation = (X_val, y_val)``, the (epochs, G)
    validation balanced accuracy after every epoch (else None).
    """
    import torch
    from torch.nn import functional as F

    from imbaug.losses import balanced_class_weights

    # torch.tensor copies: arrays read from Parquet are read-only, which torch warns about
    inputs = torch.tensor(np.asarray(X), dtype=torch.float32)
    labels = torch.tensor(np.asarray(y), dtype=torch.int64)
    targets = labels if soft_targets is None else torch.as_tensor(soft_targets, dtype=torch.float32)
    counts = np.bincount(np.asarray(y), minlength=n_classes)
    weight = balanced_class_weights(counts) if cost_sensitive else None
    copies = len(decays)
    stacked = _StackedMLP(_initial_model(X.shape[1], n_classes, seed), copies)
    decay = torch.tensor(decays, dtype=torch.float32)
    optimizer = torch.optim.Adam(stacked.params, lr=settings.lr, fused=True)
    generator = torch.Generator().manual_seed(seed)
    if validation is not None:
        val_x = torch.as_tensor(np.ascontiguousarray(validation[0]), dtype=torch.float32)
        val_y = torch.as_tensor(np.asarray(validation[1]), dtype=torch.int64)
        val_bac = torch.empty(epochs, copies)
    remix_rng = np.random.default_rng(seed)
    for epoch in range(epochs):
        order = torch.randperm(len(inputs), generator=generator)
        batches = (
            zip(inputs[order].split(settings.batch_size), targets[order].split(settings.batch_size))
            if remix_alpha is None
            else _remix_batches(
                inputs, labels, n_classes, settings.batch_size, remix_alpha, remix_rng, generator
            )
        )
        for x, t in batches:
            logits = stacked(x)
            # Sum of the copies' mean losses: each copy's gradient is its own fit's gradient.
            repeated = t.repeat(copies) if t.dim() == 1 else t.repeat(copies, 1)
            loss = F.cross_entropy(logits.reshape(-1, n_classes), repeated, weight=weight) * copies
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            with torch.no_grad():  # Adam's coupled L2: wd * w added to the gradient
                for param in stacked.params:
                    param.grad.add_(param * decay.view(-1, *([1] * (param.dim() - 1))))
            optimizer.step()
        if validation is not None:
            with torch.no_grad():
                val_bac[epoch] = _balanced_accuracy(stacked(val_x), val_y, n_classes)
    return stacked, (val_bac.numpy() if validation is not None else None)


def select_mlp_settings(
    X: np.ndarray,
    y: np.ndarray,
    *,
    n_classes: int,
    settings: NNSettings,
    seed: int,
    cost_sensitive: bool = False,
) -> NNSettings:
    """Choose the NN's epoch count and weight decay on an inner validation split (item 7).

    ``X`` (n, d) float, ``y`` (n,) int in [0, n_classes) are the *training part* as it was
    split from the data, before any resampling. A stratified ``settings.validation_size``
    share (seed ``seed``) is held out; every candidate of ``settings.weight_decay`` is
    trained for ``settings.epochs`` epochs on the rest and scored by balanced accuracy on the
    held-out rows after every epoch. The (weight decay, epoch count) with the highest score
    wins; ties go to the larger weight decay, then to fewer epochs. The test part is never
    seen.

    Returns
    -------
    NNSettings
        ``settings`` with the chosen ``epochs`` and single ``weight_decay`` and
        ``validation_size = 0`` (fixed settings, to be fitted on the whole training part).
        Settings that need no selection are returned unchanged.

    Raises
    ------
    ValueError
        If a class has fewer than 2 rows (it could not appear in both parts).
    """
    if not settings.needs_selection:
        return settings
    fit_rows, val_rows = inner_split(y, n_classes=n_classes, settings=settings, seed=seed)
    return choose_mlp_settings(
        (X[fit_rows], y[fit_rows]),
        (X[val_rows], y[val_rows]),
        n_classes=n_classes,
        settings=settings,
        seed=seed,
        cost_sensitive=cost_sensitive,
    )


def inner_split(
    y: np.ndarray, *, n_classes: int, settings: NNSettings, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Stratified (inner-train rows, validation rows) of a training part ``y`` (n,) int, the
    split :func:`select_mlp_settings` chooses on (``settings.validation_size``, seed ``seed``).

    Raises
    ------
    ValueError
        If a class has fewer than 2 rows.
    """
    from sklearn.model_selection import train_test_split

    counts = np.bincount(np.asarray(y), minlength=n_classes)
    if counts.min() < 2:
        raise ValueError(
            f"tabular NN settings selection: class {int(counts.argmin())} has "
            f"{counts.min()} training rows; need >= 2 to hold some out for validation"
        )
    return train_test_split(
        np.arange(len(y)), test_size=settings.validation_size, stratify=y, random_state=seed
    )


def choose_mlp_settings(
    fit: tuple,
    validation: tuple,
    *,
    n_classes: int,
    settings: NNSettings,
    seed: int,
    soft_targets: np.ndarray | None = None,
    cost_sensitive: bool = False,
    remix_alpha: float | None = None,
) -> NNSettings:
    """The (epoch count, weight decay) of ``settings``' candidates with the best validation
    balanced accuracy, all candidates trained at once on ``fit = (X, y)`` (optionally
    ``soft_targets`` or per-batch ReMix ``remix_alpha``, as :func:`fit_mlp`) and scored on
    ``validation = (X_val, y_val)`` after every epoch. Ties: larger weight decay, then fewer
    epochs. Returns fixed settings (``validation_size = 0``)."""
    with torch_threads(settings.threads):
        _, scores = _train_stacked(
            fit[0],
            fit[1],
            n_classes=n_classes,
            settings=settings,
            decays=settings.weight_decay,
            epochs=settings.epochs,
            seed=seed,
            soft_targets=soft_targets,
            cost_sensitive=cost_sensitive,
            validation=validation,
            remix_alpha=remix_alpha,
        )
    epoch, candidate = _best(scores, settings.weight_decay)
    return replace(
        settings,
        epochs=epoch + 1,
        weight_decay=(settings.weight_decay[candidate],),
        validation_size=0.0,
    )


def _best(scores: np.ndarray, decays: Sequence[float]) -> tuple[int, int]:
    """(epoch, candidate) of the highest score; ties: larger weight decay, then earlier epoch."""
    by_decay = sorted(range(len(decays)), key=lambda c: -decays[c])
    best = max(
        ((scores[e, c], -rank, -e) for rank, c in enumerate(by_decay) for e in range(len(scores)))
    )
    return -best[2], by_decay[-best[1]]


def fit_mlp(
    X: np.ndarray,
    y: np.ndarray,
    *,
    n_classes: int,
    settings: NNSettings,
    seed: int,
    soft_targets: np.ndarray | None = None,
    cost_sensitive: bool = False,
    remix_alpha: float | None = None,
):
    """Train a :class:`~imbaug.models.mlp.TabularMLP` on ``X`` (n, d) float, ``y`` (n,) int.

    The loss is cross-entropy on ``y``, or on ``soft_targets`` (n, n_classes) rows summing to
    1 when given; ``cost_sensitive`` weights class c by n / (C * n_c) (scikit-learn's
    'balanced'). Adam, ``settings.batch_size`` rows per step, reshuffled every epoch by a
    generator seeded with ``seed``, which also seeds the initial weights.

    If ``settings.needs_selection``, the epoch count and weight decay are first chosen on
    ``X, y`` with :func:`select_mlp_settings`; that is right only when ``X, y`` is the
    training part itself (Base, CS). For resampled sets, choose the settings once on the
    split's original training part and pass the fixed result here, so no copy or synthetic
    neighbour of a validation row is trained on.

    ``remix_alpha`` trains with ReMix per batch (Bellinger et al. 2020) on the training part
    ``X, y`` as it is: every batch class-balanced, then mixed (mixup, one lambda ~ Beta(alpha,
    alpha) per batch, soft labels); see :func:`imbaug.resampling.balanced_batch_indices`.

    Returns
    -------
    TabularMLP in eval mode (CPU, float32).
    """
    if settings.needs_selection:
        settings = select_mlp_settings(
            X, y, n_classes=n_classes, settings=settings, seed=seed, cost_sensitive=cost_sensitive
        )
    with torch_threads(settings.threads):
        stacked, _ = _train_stacked(
            X,
            y,
            n_classes=n_classes,
            settings=settings,
            decays=settings.weight_decay[:1],
            epochs=settings.epochs,
            seed=seed,
            soft_targets=soft_targets,
            cost_sensitive=cost_sensitive,
            remix_alpha=remix_alpha,
        )
        model = stacked.load_into(_initial_model(X.shape[1], n_classes, seed), 0)
    return model.eval()


def predict_mlp(model, X: np.ndarray) -> np.ndarray:
    """Predicted class (n,) int64 of rows ``X`` (n, d), float32 forward pass."""
    import torch

    with torch.no_grad():
        return model(torch.as_tensor(X, dtype=torch.float32)).argmax(1).numpy()


def mlp_features(model, X: np.ndarray) -> np.ndarray:
    """The NN's latent representation (n, d//2) float32: output of its d//2 layer."""
    import torch

    with torch.no_grad():
        return model.features(torch.as_tensor(X, dtype=torch.float32)).numpy()
