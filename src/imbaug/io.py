"""Artifact I/O: every write goes to a temporary file first, so a killed job never leaves a
half-written output; every read of a ``.pt`` file refuses to execute code."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pandas as pd


@contextmanager
def atomic_path(path):
    """Yield a temporary path beside ``path``; move it into place only on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(handle)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def write_parquet(frame: pd.DataFrame, path) -> None:
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False)


def write_text(text: str, path) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text)


def write_csv(frame: pd.DataFrame, path) -> None:
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False)


def read_parquet(path) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except Exception as error:  # pyarrow raises several types for damaged files
        raise ValueError(f"cannot read {path}: not a valid Parquet file ({error})") from error


def save_torch(obj, path) -> None:
    import torch

    with atomic_path(path) as tmp:
        torch.save(obj, tmp)


def load_torch(path):
    import torch

    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises several types for damaged/unsafe files
        raise ValueError(f"cannot load {path}: corrupt or not a plain tensor file ({error})") from error


def log_to(path) -> logging.Logger:
    """Send the ``imbaug`` logger (and warnings) to a rule's log file and stderr."""
    logging.captureWarnings(True)
    logger = logging.getLogger("imbaug")
    logger.setLevel(logging.INFO)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in (logging.FileHandler(path, mode="w"), logging.StreamHandler(sys.stderr)):
        handler.setFormatter(formatter)
        logger.addHandler(handler)
        logging.getLogger("py.warnings").addHandler(handler)
    return logger


@contextmanager
def job_log(path):
    """Log a workflow job to ``path``: its startup seconds (interpreter start, Snakemake's
    preamble, imports), then its failure with traceback or its compute seconds. bench/
    adds these up to measure per-job overhead."""
    import psutil

    logger = log_to(path)
    logger.info("startup seconds: %.3f", time.time() - psutil.Process().create_time())
    start = time.perf_counter()
    try:
        yield logger
    except Exception:
        logger.exception("job failed")
        raise
    logger.info("compute seconds: %.3f", time.perf_counter() - start)
