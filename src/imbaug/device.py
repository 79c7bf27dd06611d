"""The one place that turns the pipeline's device setting into a ``torch.device``."""

from __future__ import annotations

import torch


def pick_device(setting: str = "auto") -> torch.device:
    """Resolve a device setting.

    ``"auto"`` gives CUDA when a GPU is visible, else the CPU; ``"cpu"`` always the CPU;
    ``"cuda"`` (or ``"cuda:<index>"``) a GPU, and fails with a clear message when none is
    visible instead of crashing later inside a kernel.
    """
    name = setting.strip().lower()
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cpu":
        return torch.device("cpu")
    if name == "cuda" or name.startswith("cuda:"):
        if not torch.cuda.is_available():
            raise RuntimeError(
                f"device setting {setting!r} asks for a GPU, but torch sees no CUDA device "
                f"(torch {torch.__version__}, built for CUDA {torch.version.cuda}); "
                "use 'auto' or 'cpu' to run on the CPU"
            )
        device = torch.device(name)
        if device.index is not None and device.index >= torch.cuda.device_count():
            raise RuntimeError(
                f"device setting {setting!r}: only {torch.cuda.device_count()} CUDA device(s) visible"
            )
        return device
    raise ValueError(f"unknown device setting {setting!r}; use 'auto', 'cpu', 'cuda' or 'cuda:<index>'")
