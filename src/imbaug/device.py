"""The one place that turns the pipeline's device setting into a ``torch.device``.

On a machine with several visible GPUs each job takes a device *slot*: an exclusive ``fcntl``
lock on one file per device, held until the process ends (the kernel drops it even on
``kill -9``). So ``snakemake --cores 16 --resources gpu=N`` on an N-GPU workstation runs its N
GPU jobs on N different devices; Snakemake itself never assigns devices (its issue #281).
"""

from __future__ import annotations

import fcntl
import logging
import os
import tempfile
import time
from pathlib import Path

LOCK_DIR_VARIABLE = "IMBAUG_GPU_LOCK_DIR"
_HELD: dict[int, object] = {}  # visible index -> open lock file, kept for the process' life
logger = logging.getLogger("imbaug")


def pick_device(setting: str = "auto"):
    """Resolve a device setting.

    ``"auto"`` gives a GPU when one is visible, else the CPU; ``"cpu"`` always the CPU;
    ``"cuda"`` a GPU, and fails with a clear message when none is visible instead of crashing
    later inside a kernel; ``"cuda:<index>"`` exactly that visible device, without a slot.
    With ``"auto"`` or ``"cuda"`` and more than one visible device, the job takes a free
    device slot (:func:`acquire_slot`) and makes it the current CUDA device.

    Returns
    -------
    torch.device

    Raises
    ------
    RuntimeError
        A GPU is asked for but torch sees none, or the index is not visible.
    ValueError
        An unknown setting.
    """
    import torch  # here, so device slots work in processes that never import torch

    name = setting.strip().lower()
    if name == "cpu" or (name == "auto" and not torch.cuda.is_available()):
        return torch.device("cpu")
    if name not in ("auto", "cuda") and not name.startswith("cuda:"):
        raise ValueError(
            f"unknown device setting {setting!r}; use 'auto', 'cpu', 'cuda' or 'cuda:<index>'"
        )
    if not torch.cuda.is_available():
        raise RuntimeError(
            f"device setting {setting!r} asks for a GPU, but torch sees no CUDA device "
            f"(torch {torch.__version__}, built for CUDA {torch.version.cuda}); "
            "use 'auto' or 'cpu' to run on the CPU"
        )
    count = torch.cuda.device_count()
    if name.startswith("cuda:"):
        device = torch.device(name)
        if device.index >= count:
            raise RuntimeError(f"device setting {setting!r}: only {count} CUDA device(s) visible")
        return device
    index = acquire_slot(count) if count > 1 else 0
    torch.cuda.set_device(index)
    return torch.device("cuda", index)


def device_keys(count: int) -> list[str]:
    """Names of the ``count`` visible devices that stay the same across processes: the entries
    of ``CUDA_VISIBLE_DEVICES`` when it is set (indices or UUIDs), else ``"0"`` .. ``"count-1"``.
    Visible index i is ``cuda:i``."""
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible is None:
        return [str(i) for i in range(count)]
    keys = [entry.strip() for entry in visible.split(",") if entry.strip()]
    return keys[:count]


def lock_dir() -> Path:
    """Folder of the slot lock files: ``$IMBAUG_GPU_LOCK_DIR``, else one per user (and per
    SLURM allocation, whose renumbered devices are its own) in the temporary folder."""
    if os.environ.get(LOCK_DIR_VARIABLE):
        return Path(os.environ[LOCK_DIR_VARIABLE])
    name = f"imbaug-gpu-slots-{os.getuid()}"
    if os.environ.get("SLURM_JOB_ID"):
        name += f"-slurm{os.environ['SLURM_JOB_ID']}"
    return Path(tempfile.gettempdir(), name)


def acquire_slot(count: int, wait_seconds: float = 1.0) -> int:
    """Take the lowest free device slot among ``count`` visible devices; wait while all are
    taken (more GPU jobs than devices, e.g. ``--resources gpu`` above the device count).

    Returns
    -------
    int
        The visible index i (use ``cuda:i``). The slot stays held until this process ends;
        a second call in the same process returns the slot it already holds.
    """
    if _HELD:
        return next(iter(_HELD))
    folder = lock_dir()
    folder.mkdir(parents=True, exist_ok=True)
    keys = device_keys(count)
    waited = 0.0
    while True:
        for index, key in enumerate(keys):
            if _try_lock(folder / f"gpu-{key}.lock", index):
                logger.info("GPU slot: cuda:%d (device %s, lock %s)", index, key, folder)
                return index
        if waited == 0.0 or waited % 60 < wait_seconds:
            logger.warning("all %d GPU slots in %s are taken; waiting for one", len(keys), folder)
        time.sleep(wait_seconds)
        waited += wait_seconds


def _try_lock(path: Path, index: int) -> bool:
    handle = open(path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return False
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")  # who holds it, for a curious user
    handle.flush()
    _HELD[index] = handle
    return True
