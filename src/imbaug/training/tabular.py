"""Fitting the tabular classifiers: SVM and LG (scikit-learn defaults) and the dense NN.

The NN (DA paper section III-B: d -> 100 -> 50 -> d//2 -> 2, ReLU, L2 weight decay) is
trained with Adam on the CPU. Its epoch count and weight decay are chosen on an inner,
stratified validation split of the training part (never on test data) by the balanced
accuracy of every epoch of every candidate weight decay (:func:`select_mlp_settings`); the
chosen settings are then refitted on the whole training part (:func:`fit_mlp`).

Speed: the network is tiny (about 16k multiply-adds per row), so the trainer keeps everything
but the matrix products off the clock. It uses one torch thread (several threads only
synchronise; with ``snakemake --cores 2`` two jobs already share the two cores), builds the
tensors once, gathers each epoch's shuffled rows in one operation, and trains all candidate
weight decays of the selection at once as one stacked network (batched matrix products, the
batch shared by the copies). Forward and backward are written out (:class:`_StackedMLP`: no
autograd graph, activations in buffers reused across steps, narrow layers computed
transposed), and Adam runs as torch's fused kernel over one flat parameter vector. At the
paper's settings about 80% of a step is the matrix products themselves (about 38k
multiply-adds per row and copy, forward and backward), so fewer steps, not faster ones, is
what would make a fit much cheaper (``bench/tabular_paper.py``).
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
    """G copies of one TabularMLP trained side by side, with forward and backward written out.

    All weights and biases are views into one flat float32 vector (``flat``; the gradient in
    ``grad``, same layout), so the weight decay and Adam are a handful of whole-vector
    operations per step. Activations live in buffers reused across steps (one set per batch
    size): no autograd graph and no allocation of the (G, B, 100) activations per step. All
    copies see the same batches, so the first layer multiplies the shared batch (broadcast,
    not copied). Copy g's decay is ``decay_vector(decays)``'s ``decays[g]``.

    Layout: a layer computes its (G, B, out) output either as rows (buffer (G, B, out), weight
    stored (G, in, out), bias (G, 1, out)) or, for narrow layers, as columns (buffer (G, out,
    B), weight (G, out, in), bias (G, out, 1)): a matrix product with a very narrow output
    (the 2 logits, the d//2 latent layer) is several times slower on the CPU than its
    transpose. ``weights_io(l)`` is always the (G, in, out) view."""

    def __init__(self, model, copies: int):
        import torch

        linears = _linears(model)
        self.copies = copies
        self.shapes = [(linear.in_features, linear.out_features) for linear in linears]
        # columns for the layers after the first that narrow (100 -> 50, 50 -> d//2 when
        # d < 100, and the head)
        self.columns = [
            layer > 0 and n_out < n_in for layer, (n_in, n_out) in enumerate(self.shapes)
        ]
        total = sum(copies * (n_in + 1) * n_out for n_in, n_out in self.shapes)
        self.flat = torch.empty(total)
        self.grad = torch.zeros(total)
        self.weights, self.biases = self._views(self.flat)
        self.weight_grads, self.bias_grads = self._views(self.grad)
        with torch.no_grad():
            for layer, linear in enumerate(linears):
                self.weights_io(layer).copy_(linear.weight.t().expand(copies, -1, -1))
                self.biases[layer].view(copies, -1).copy_(linear.bias.expand(copies, -1))
        self._buffers: dict[int, tuple[list, list]] = {}

    def _views(self, vector) -> tuple[list, list]:
        """(weights, biases) per layer as views into ``vector`` (the layout of ``flat``: layer
        by layer, its weights then its biases; shapes as the class docstring)."""
        weights, biases, offset = [], [], 0
        for (n_in, n_out), columns in zip(self.shapes, self.columns):
            size = self.copies * n_in * n_out
            weight = vector[offset : offset + size]
            bias = vector[offset + size : offset + size + self.copies * n_out]
            if columns:
                weights.append(weight.view(self.copies, n_out, n_in))
                biases.append(bias.view(self.copies, n_out, 1))
            else:
                weights.append(weight.view(self.copies, n_in, n_out))
                biases.append(bias.view(self.copies, 1, n_out))
            offset += size + self.copies * n_out
        return weights, biases

    def weights_io(self, layer: int):
        """Layer ``layer``'s weights as a (G, in, out) view."""
        weight = self.weights[layer]
        return weight.transpose(1, 2) if self.columns[layer] else weight

    def decay_vector(self, decays: Sequence[float]):
        """Per-element weight decay, laid out like ``flat``: ``decays[g]`` on copy g."""
        import torch

        vector = torch.empty_like(self.flat)
        per_copy = torch.tensor(decays, dtype=torch.float32)
        for views in self._views(vector):
            for view in views:
                view.view(self.copies, -1).copy_(per_copy.view(-1, 1).expand(-1, view[0].numel()))
        return vector

    def _buffers_for(self, rows: int) -> tuple[list, list]:
        """(activations, their gradients) per layer for a batch of ``rows`` rows, reused."""
        import torch

        if rows not in self._buffers:
            shapes = [
                (self.copies, n_out, rows) if columns else (self.copies, rows, n_out)
                for (_, n_out), columns in zip(self.shapes, self.columns)
            ]
            self._buffers[rows] = (
                [torch.empty(shape) for shape in shapes],
                [torch.empty(shape) for shape in shapes],
            )
        return self._buffers[rows]

    def _rows(self, layer: int, buffer):
        """A layer's output buffer as a (G, B, out) view."""
        return buffer.transpose(1, 2) if self.columns[layer] else buffer

    def forward(self, x) -> list:
        """(B, d) float32 rows -> the layers' output buffers (ReLU applied, logits last);
        valid until the next call with B rows."""
        import torch

        activations, _ = self._buffers_for(len(x))
        below = x.expand(self.copies, *x.shape)
        for layer, out in enumerate(activations):
            if self.columns[layer]:
                torch.baddbmm(
                    self.biases[layer], self.weights[layer], below.transpose(1, 2), out=out
                )
            else:
                torch.baddbmm(self.biases[layer], below, self.weights[layer], out=out)
            if layer < len(activations) - 1:
                out.clamp_min_(0)
            below = self._rows(layer, out)
        return activations

    def __call__(self, x):
        """(B, d) float32 rows -> (G, B, C) logits (a view of a buffer, valid until the next
        call with B rows)."""
        return self._rows(len(self.shapes) - 1, self.forward(x)[-1])

    def predict(self, x):
        """(B, d) float32 rows -> (G, B) predicted classes."""
        logits = self.forward(x)[-1]
        return _argmax_classes(logits if self.columns[-1] else logits.transpose(1, 2))

    def backward(self, x, logits_grad) -> None:
        """Write d(loss)/d(parameters) into ``grad``, given the last forward's input ``x``
        (B, d) and d(loss)/d(logits) laid out like the logits buffer."""
        import torch

        activations, gradients = self._buffers_for(len(x))
        gradient = logits_grad
        for layer in range(len(activations) - 1, -1, -1):
            below = (
                self._rows(layer - 1, activations[layer - 1])
                if layer
                else x.expand(self.copies, *x.shape)
            )
            if self.columns[layer]:
                torch.bmm(gradient, below, out=self.weight_grads[layer])
                torch.sum(gradient, 2, keepdim=True, out=self.bias_grads[layer])
            else:
                torch.bmm(below.transpose(1, 2), gradient, out=self.weight_grads[layer])
                torch.sum(gradient, 1, keepdim=True, out=self.bias_grads[layer])
            if not layer:
                break
            upstream = gradients[layer - 1]
            rows_gradient = self._rows(layer, gradient)
            if self.columns[layer - 1]:
                torch.bmm(self.weights_io(layer), rows_gradient.transpose(1, 2), out=upstream)
            else:
                torch.bmm(rows_gradient, self.weights_io(layer).transpose(1, 2), out=upstream)
            # ReLU: the gradient passes where the activation is positive (in place)
            torch.ops.aten.threshold_backward.grad_input(
                upstream, activations[layer - 1], 0, grad_input=upstream
            )
            gradient = upstream

    def load_into(self, model, copy: int):
        """Write copy ``copy``'s weights into ``model`` (a TabularMLP of the same shape)."""
        import torch

        with torch.no_grad():
            for layer, linear in enumerate(_linears(model)):
                linear.weight.copy_(self.weights_io(layer)[copy].t())
                linear.bias.copy_(self.biases[layer][copy].view(-1))
        return model


def _argmax_classes(logits):
    """(G, C, B) logits -> (G, B) index of the first largest class, as torch's argmax over C,
    by a running comparison over the few classes: torch's argmax over a dimension of size 2
    costs ~0.3 us per row here, more than the validation forward pass itself."""
    import torch

    best = logits[:, 0]
    predicted = torch.zeros(best.shape, dtype=torch.int64)
    for label in range(1, logits.shape[1]):
        better = logits[:, label] > best
        best = torch.where(better, logits[:, label], best)
        predicted.masked_fill_(better, label)
    return predicted


class _FlatAdam:
    """Adam (torch's defaults: betas (0.9, 0.999), eps 1e-8, no amsgrad) on one flat parameter
    vector with its gradient vector, by torch's fused kernel (one pass over the vector; the
    update of torch.optim.Adam up to float rounding), called directly: torch.optim's per-step
    Python bookkeeping costs ~5x the kernel here. ``decay`` (like ``params``, or None) is
    Adam's coupled L2, ``decay * param`` added to the gradient before each step."""

    def __init__(self, params, grad, *, lr: float, decay=None):
        import torch

        self.params, self.grad, self.decay, self.lr = params, grad, decay, lr
        self.exp_avg = torch.zeros_like(params)
        self.exp_avg_sq = torch.zeros_like(params)
        self.steps = torch.zeros(())

    def step(self) -> None:
        import torch

        if self.decay is not None:
            self.grad.addcmul_(self.params, self.decay)
        self.steps += 1
        torch._fused_adam_(
            [self.params],
            [self.grad],
            [self.exp_avg],
            [self.exp_avg_sq],
            [],
            [self.steps],
            lr=self.lr,
            beta1=0.9,
            beta2=0.999,
            weight_decay=0.0,
            eps=1e-8,
            amsgrad=False,
            maximize=False,
        )


def _cross_entropy_grad(logits, columns: bool, weighted_targets, row_weights, normaliser: float):
    """d/d(logits) of the copies' summed cross-entropy, laid out like ``logits``: (G, B, C),
    or (G, C, B) with ``columns``.

    ``weighted_targets`` (B, C) = targets x class weights, ``row_weights`` (B, 1) their row
    sums; the loss of a copy is -sum(weighted_targets * log_softmax(logits)) / ``normaliser``
    (torch's weighted mean for hard labels: the batch's summed row weights; its mean over rows
    for soft targets: B), so the gradient is (softmax * row_weights - weighted_targets) /
    normaliser."""
    import torch

    if columns:
        weighted_targets, row_weights = weighted_targets.t(), row_weights.t()
    probabilities = torch.softmax(logits, 1 if columns else -1)
    return probabilities.mul_(row_weights).sub_(weighted_targets).div_(normaliser)


def _balanced_accuracy(predicted, y, n_classes: int):
    """(G, N) predicted classes, (N,) labels -> (G,) mean recall over the classes present in y."""
    import torch

    counts = torch.bincount(y, minlength=n_classes).float()
    present = counts > 0
    hits = torch.zeros(predicted.shape[0], n_classes)
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
    inputs = torch.tensor(np.asarray(X), dtype=torch.float32).contiguous()
    labels = torch.tensor(np.asarray(y), dtype=torch.int64)
    hard = soft_targets is None
    targets = (
        F.one_hot(labels, n_classes).float()
        if hard
        else torch.tensor(np.asarray(soft_targets), dtype=torch.float32)
    )
    counts = np.bincount(np.asarray(y), minlength=n_classes)
    class_weight = balanced_class_weights(counts) if cost_sensitive else None

    def weighted(batch_targets):
        """(targets x class weights, their row sums): what the loss gradient needs per row."""
        if class_weight is not None:
            batch_targets = batch_targets * class_weight
        return batch_targets, batch_targets.sum(1, keepdim=True)

    copies = len(decays)
    stacked = _StackedMLP(_initial_model(X.shape[1], n_classes, seed), copies)
    decay = stacked.decay_vector(decays) if any(decays) else None
    optimizer = _FlatAdam(stacked.flat, stacked.grad, lr=settings.lr, decay=decay)
    generator = torch.Generator().manual_seed(seed)
    if validation is not None:
        val_x = torch.tensor(np.asarray(validation[0]), dtype=torch.float32).contiguous()
        val_y = torch.tensor(np.asarray(validation[1]), dtype=torch.int64)
        val_bac = torch.empty(epochs, copies)
    all_weighted, all_row_weights = weighted(targets)
    remix_rng = np.random.default_rng(seed)
    with torch.no_grad():  # gradients are computed by hand (_StackedMLP.backward)
        for epoch in range(epochs):
            if remix_alpha is None:
                order = torch.randperm(len(inputs), generator=generator)
                batches = zip(
                    *(
                        torch.index_select(rows, 0, order).split(settings.batch_size)
                        for rows in (inputs, all_weighted, all_row_weights)
                    )
                )
            else:
                batches = (
                    (x, *weighted(t))
                    for x, t in _remix_batches(
                        inputs,
                        labels,
                        n_classes,
                        settings.batch_size,
                        remix_alpha,
                        remix_rng,
                        generator,
                    )
                )
            for x, batch_targets, row_weights in batches:
                # Per copy torch's cross-entropy: weighted mean over the batch for hard labels,
                # plain mean for soft targets; the copies' gradients are independent.
                normaliser = float(row_weights.sum()) if hard else float(len(x))
                logits = stacked.forward(x)[-1]
                stacked.backward(
                    x,
                    _cross_entropy_grad(
                        logits, stacked.columns[-1], batch_targets, row_weights, normaliser
                    ),
                )
                optimizer.step()
            if validation is not None:
                val_bac[epoch] = _balanced_accuracy(stacked.predict(val_x), val_y, n_classes)
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
