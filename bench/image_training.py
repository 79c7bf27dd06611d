"""Image training speed: throughput of the real trainer and the cost of its data path.

    python bench/image_training.py                      # CPU: 20 steps, 0.5-2 min on 2 cores
    python bench/image_training.py --device cuda         # GPU: full epochs, warm-up excluded
    python bench/image_training.py --arch resnet56 --steps 50 --batch-size 256

Data: random uint8 images shaped like CIFAR-10-LT-100 (12,406 images of 3 x 32 x 32,
10 classes, class i keeps int(5000 * 0.01 ** (i / 9))). The real CIFAR-10 cannot be
downloaded here; random pixels cost the model exactly as much as real ones.

(a) Throughput: ``train_image_model`` (the pipeline's trainer) on the data; images/s and
ms/step come from its per-epoch log. On CUDA it runs one extra warm-up epoch first (cuDNN
autotuning, allocator growth) that is left out. ``--steps N`` trains on N x batch-size
images, so an epoch is N steps (default: the whole set on CUDA, 20 steps on the CPU).

(b) Data-path share: the trainer's per-batch data path (index the device-resident uint8
set with a slice of a random permutation, ``random_crop_flip``, convert to float in [0, 1],
channels_last on CUDA) is timed alone over many batches, and so is a full step (data path +
forward under bf16 autocast on CUDA + CE loss + backward + SGD step), in alternating rounds
so a change in machine load hits both alike. CUDA timings are bracketed by
``torch.cuda.synchronize``. Target: data path under 10% of model compute.

CPU timings on a shared machine are noisy; compare ratios, or pass ``--threads 1`` when other
jobs compete for the cores (two torch threads slow down badly when one core is taken).

Finally it projects the seconds for 200 epochs of CIFAR-10-LT-100 at the measured rate
(target on an H100: under 3 minutes).
"""

from __future__ import annotations

import argparse
import functools
import time

import torch

from imbaug.data.normalization import channel_mean_std
from imbaug.data.profiles import imbalance_counts
from imbaug.device import pick_device
from imbaug.losses import build_loss
from imbaug.models import build_model, count_parameters
from imbaug.training.augment import random_crop_flip
from imbaug.training.image import TrainConfig, train_image_model

CIFAR_LT_COUNTS = imbalance_counts(5000, 10, "exp", 100)  # 5000 .. 50, 12,406 images
FULL_RUN_EPOCHS = 200
H100_TARGET_SECONDS = 180
DATA_PATH_TARGET = 0.10
CPU_DEFAULT_STEPS = 20
DATA_BATCHES_PER_ROUND = 40
SEED = 0


def random_lt_data(
    counts: list[int], image_size: int, seed: int = SEED
) -> tuple[torch.Tensor, torch.Tensor]:
    """Random uint8 images (N, 3, size, size) and int64 labels, class c repeated counts[c] times."""
    generator = torch.Generator().manual_seed(seed)
    labels = torch.repeat_interleave(torch.arange(len(counts)), torch.tensor(counts))
    images = torch.randint(
        0, 256, (len(labels), 3, image_size, image_size), dtype=torch.uint8, generator=generator
    )
    return images, labels


def take_steps(images: torch.Tensor, labels: torch.Tensor, steps: int | None, batch_size: int):
    """A random subset of ``steps * batch_size`` images (all of them when ``steps`` is None)."""
    if steps is None or steps * batch_size >= len(labels):
        return images, labels
    rows = torch.randperm(len(labels), generator=torch.Generator().manual_seed(SEED))[
        : steps * batch_size
    ]
    return images[rows], labels[rows]


def measure_throughput(
    args, images, labels, device: torch.device, warmup_epochs: int, epochs: int
) -> dict:
    """Run the real trainer; images/s and ms/step over the epochs after the warm-up ones."""
    torch.manual_seed(SEED)
    model = build_model(args.arch, len(CIFAR_LT_COUNTS))
    loss = build_loss(
        "CE",
        torch.bincount(labels, minlength=len(CIFAR_LT_COUNTS)).clamp_min(1),
        total_epochs=epochs,
    )
    config = TrainConfig(
        epochs=warmup_epochs + epochs, batch_size=args.batch_size, warmup_epochs=1, seed=SEED
    )
    log = train_image_model(model, images, labels, loss, config, device)
    seconds = float(log["seconds"].iloc[warmup_epochs:].sum())
    steps = epochs * -(-len(labels) // args.batch_size)
    return {
        "images_per_s": epochs * len(labels) / seconds,
        "ms_per_step": 1000 * seconds / steps,
        "parameters": count_parameters(model),
    }


def data_path(
    images: torch.Tensor,
    labels: torch.Tensor,
    batch_index: torch.Tensor,
    generator: torch.Generator,
):
    """What the trainer does per batch before the forward pass (no REMIX)."""
    batch = random_crop_flip(images[batch_index], pad=4, flip=True, generator=generator)
    memory_format = torch.channels_last if batch.is_cuda else torch.contiguous_format
    return batch.to(dtype=torch.float32, memory_format=memory_format).div_(255), labels[batch_index]


def batch_indices(
    n: int, batch_size: int, count: int, device: torch.device, generator: torch.Generator
):
    """``count`` full batches of indices, drawn from successive random permutations."""
    batches: list[torch.Tensor] = []
    while len(batches) < count:
        permutation = torch.randperm(n, device=device, generator=generator)
        batches += [chunk for chunk in permutation.split(batch_size) if len(chunk) == batch_size]
    return batches[:count]


def timed(run, batches: list[torch.Tensor], device: torch.device) -> float:
    """Seconds ``run(batch_index)`` takes over ``batches``, waiting for the GPU before and after."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    start = time.perf_counter()
    for batch_index in batches:
        run(batch_index)
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return time.perf_counter() - start


def make_step(model, loss, optimizer, images, labels, generator, device: torch.device):
    """One full training step, as the trainer runs it."""

    def step(batch_index: torch.Tensor) -> None:
        x, targets = data_path(images, labels, batch_index, generator)
        with torch.autocast(
            device_type=device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"
        ):
            logits = model(x)
        batch_loss = loss(logits, targets, 0)
        optimizer.zero_grad(set_to_none=True)
        batch_loss.backward()
        optimizer.step()

    return step


def measure_data_share(args, images, labels, device: torch.device, steps: int) -> dict:
    """ms per batch of the data path alone and of a full step, after a few untimed steps.

    The two are timed in alternating rounds, so a machine whose load changes (other jobs)
    slows both alike and their ratio stays meaningful.
    """
    on_cuda = device.type == "cuda"
    torch.backends.cudnn.benchmark = on_cuda
    images, labels = images.to(device), labels.to(device)
    torch.manual_seed(SEED)
    model = build_model(args.arch, len(CIFAR_LT_COUNTS))
    model.set_normalization(*channel_mean_std(images))
    model.to(
        device, memory_format=torch.channels_last if on_cuda else torch.preserve_format
    ).train()
    loss = build_loss("CE", CIFAR_LT_COUNTS, total_epochs=1).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=2e-4)
    generator = torch.Generator(device=device).manual_seed(SEED)
    step = make_step(model, loss, optimizer, images, labels, generator, device)
    data_only = functools.partial(data_path, images, labels, generator=generator)
    warmup, rounds = (10, 5) if on_cuda else (2, min(steps, 5))
    step_batches = [
        batch_indices(len(labels), args.batch_size, -(-steps // rounds), device, generator)
        for _ in range(rounds)
    ]
    data_batches = [
        batch_indices(len(labels), args.batch_size, DATA_BATCHES_PER_ROUND, device, generator)
        for _ in range(rounds)
    ]
    timed(step, batch_indices(len(labels), args.batch_size, warmup, device, generator), device)
    data_seconds = step_seconds = 0.0
    for data_round, step_round in zip(data_batches, step_batches):
        data_seconds += timed(data_only, data_round, device)
        step_seconds += timed(step, step_round, device)
    data_ms = 1000 * data_seconds / (rounds * DATA_BATCHES_PER_ROUND)
    step_ms = 1000 * step_seconds / sum(map(len, step_batches))
    return {"data_ms": data_ms, "step_ms": step_ms, "model_ms": step_ms - data_ms}


def report(
    args, device: torch.device, n_trained: int, throughput: dict, share: dict, warmup_epochs: int
) -> None:
    on_cuda = device.type == "cuda"
    name = (
        torch.cuda.get_device_name(device)
        if on_cuda
        else f"CPU, {torch.get_num_threads()} torch threads"
    )
    print(
        "data: RANDOM uint8 images shaped like CIFAR-10-LT-100 (real CIFAR-10 is not downloaded here)"
    )
    print(
        f"device: {name}   arch: {args.arch} ({throughput['parameters']:,} parameters)   "
        f"batch: {args.batch_size}   image: 3x{args.image_size}x{args.image_size}   "
        f"bf16 autocast + channels_last: {'on' if on_cuda else 'off'} (as the trainer)"
    )
    print(
        f"(a) train_image_model on {n_trained:,} images, {args.epochs} epoch(s) timed"
        f"{f' after {warmup_epochs} warm-up epoch(s)' if warmup_epochs else ''}: "
        f"{throughput['images_per_s']:,.0f} images/s, {throughput['ms_per_step']:.1f} ms/step"
    )
    share_of_model = share["data_ms"] / share["model_ms"]
    verdict = "meets" if share_of_model < DATA_PATH_TARGET else "misses"
    print(
        f"(b) full step {share['step_ms']:.2f} ms = data path {share['data_ms']:.3f} ms + model "
        f"{share['model_ms']:.2f} ms; data path = {share['data_ms'] / share['step_ms']:.1%} of the step, "
        f"{share_of_model:.1%} of model compute ({verdict} the < {DATA_PATH_TARGET:.0%} target)"
    )
    seconds = FULL_RUN_EPOCHS * sum(CIFAR_LT_COUNTS) / throughput["images_per_s"]
    print(
        f"projection: {FULL_RUN_EPOCHS} epochs of CIFAR-10-LT-100 ({sum(CIFAR_LT_COUNTS):,} images) "
        f"= {seconds:,.0f} s ({seconds / 60:.1f} min) at this rate; GPU target on an H100: "
        f"< {H100_TARGET_SECONDS} s"
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="resnet32")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument(
        "--steps",
        type=int,
        default=None,
        help=f"steps per timed epoch and timed full steps in (b) "
        f"(default: whole set on CUDA, {CPU_DEFAULT_STEPS} on the CPU)",
    )
    parser.add_argument(
        "--epochs", type=int, default=None, help="timed epochs (default: 2 on CUDA, 1 on the CPU)"
    )
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:<index>")
    parser.add_argument("--image-size", type=int, default=32)
    parser.add_argument("--threads", type=int, help="torch CPU threads (default: torch's choice)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    device = pick_device(args.device)
    on_cuda = device.type == "cuda"
    args.steps = args.steps or (None if on_cuda else CPU_DEFAULT_STEPS)
    args.epochs = args.epochs or (2 if on_cuda else 1)
    warmup_epochs = 1 if on_cuda else 0
    images, labels = random_lt_data(CIFAR_LT_COUNTS, args.image_size)
    trained_images, trained_labels = take_steps(images, labels, args.steps, args.batch_size)
    throughput = measure_throughput(
        args, trained_images, trained_labels, device, warmup_epochs, args.epochs
    )
    full_steps = args.steps or -(-len(labels) // args.batch_size)
    share = measure_data_share(args, images, labels, device, full_steps)
    report(args, device, len(trained_labels), throughput, share, warmup_epochs)


if __name__ == "__main__":
    main()
