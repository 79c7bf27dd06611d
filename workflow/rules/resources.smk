# Memory and runtime of each job, sized from its data and model, so a cluster gets requests it
# can grant: a 16x16 digits ResNet-8 asks a few GB and minutes, a CIFAR-10 WideResNet hours.
# Rules use these as `resources:` (mem_mb=..., runtime=...); the local executor ignores them.
# Only plain Python here (tests/test_profiles.py executes this file to check the numbers).
#
# Override, most specific first:
#   snakemake --set-resources image_train:mem_mb=64000 image_train:runtime=600   (one rule)
#   config `resources: {mem_scale: 2, runtime_scale: 3}`   (every job, e.g. a slower GPU)
#   config `resources: {mem_mb_min: 2000, runtime_min: 30}`   (floors, e.g. a site minimum)
# Every request is multiplied by the attempt number, so a retried job (profiles/slurm sets
# retries: 1) asks twice as much.

RESOURCE_SETTINGS = config["resources"]  # defaults: workflow/schemas/config.schema.yaml

# Resident memory of a job before its data: Python, numpy/pandas/scikit-learn, torch; a GPU job
# also maps the CUDA libraries and context (about 3 GB of host memory with torch 2.x).
BASE_MB = {"cpu": 1500, "gpu": 4000}
# Host memory per MB of input file: the data loaded plus its float32 copies (uint8 images
# become 4x larger as float) and the resampled set.
MB_PER_INPUT_MB = {"cpu": 8, "gpu": 8}
# GPU minutes to train one epoch on 1 MB of uint8 images (the train cut + test set file size)
# with a ResNet-32: CIFAR-10-LT-100 (68 MB) x 200 epochs -> 27 min, about 4x what a V100 needs.
GPU_MINUTES_PER_EPOCH_MB = 0.002
# CPU minutes per MB of input of a CPU job (tabular fits, FE resampling, tables, figures).
CPU_MINUTES_PER_INPUT_MB = 0.5
# Input-space methods that train on a set grown to the majority count; 4 is the growth of an
# exponential 100:1 cut of 10 classes (CIFAR-10-LT-100), the largest of the papers' cuts.
OVERSAMPLED_GROWTH = 4


def arch_cost(arch):
    """Compute per image of a network relative to ResNet-32 (He et al. CIFAR ResNets scale
    with depth, WideResNets with depth x width^2, DenseNet-BC about 4x at depth 100)."""
    import re

    depth, width = (int(n) for n in (re.findall(r"\d+", arch) + ["1", "1"])[:2])
    if arch.startswith("wrn"):
        return depth * width**2 / 32
    if arch.startswith("densenet"):
        return depth / 25
    return depth / 32


def enlarges_training_set(method):
    """Whether an image method trains on a set grown by over-sampling (not Base, Balanced or a
    per-batch method such as ReMix); from the method registry."""
    if method not in IMAGE_METHODS:
        return False
    spec = method_spec(IMAGE_METHODS[method])
    return spec.resamples and not spec.per_batch


SCALE_AND_FLOOR = {
    "mem_mb": ("mem_scale", "mem_mb_min"),
    "runtime": ("runtime_scale", "runtime_min"),
}


def _request(value, resource, attempt):
    """``value`` of ``resource`` ("mem_mb" or "runtime") scaled, floored, times the attempt."""
    scale, floor = (RESOURCE_SETTINGS[key] for key in SCALE_AND_FLOOR[resource])
    return int(max(value * scale, floor) * attempt)


def mem_mb_from_input(kind="cpu", growth=lambda wildcards: 1):
    """A `mem_mb` resource: base memory of a ``kind`` ("cpu" or "gpu") job plus a multiple of its
    input size (times ``growth(wildcards)``), never under the floor; MB."""

    def mem_mb(wildcards, input, attempt):
        size = input.size_mb * growth(wildcards)
        return _request(BASE_MB[kind] + MB_PER_INPUT_MB[kind] * size, "mem_mb", attempt)

    return mem_mb


def runtime_from_input(wildcards, input, attempt):
    """`runtime` of a CPU job: proportional to its input size, never under the floor; minutes."""
    return _request(CPU_MINUTES_PER_INPUT_MB * input.size_mb, "runtime", attempt)


def image_train_growth(wildcards):
    return OVERSAMPLED_GROWTH if enlarges_training_set(wildcards.method) else 1


def image_train_runtime(wildcards, input, attempt):
    """`runtime` of an image training: epochs x images (input size, grown by over-sampling)
    x network cost, never under the floor; minutes."""
    epochs = image_setting(wildcards.dataset, "train", wildcards.arch)["epochs"]
    work = epochs * input.size_mb * image_train_growth(wildcards) * arch_cost(wildcards.arch)
    return _request(GPU_MINUTES_PER_EPOCH_MB * work, "runtime", attempt)


def image_head_epochs(wildcards):
    """Epochs of head retraining: the kept heads plus the optional head curve."""
    return IMAGE["head"]["epochs"] + IMAGE.get("head_curve_epochs", 0)


def network_runtime(epochs_of):
    """`runtime` of a GPU job that runs a trained network over its inputs ``epochs_of(wildcards)``
    times (head retraining, analyses); minutes."""

    def runtime(wildcards, input, attempt):
        work = epochs_of(wildcards) * input.size_mb * arch_cost(wildcards.arch)
        return _request(GPU_MINUTES_PER_EPOCH_MB * work, "runtime", attempt)

    return runtime
