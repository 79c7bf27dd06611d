"""Artifact I/O: every write goes to a temporary file first, so a killed job never leaves a
half-written output, and the finished file gets the permissions the user's umask gives any new
file; every read of a ``.pt`` file refuses to execute code. Workflow jobs log through
:func:`job_log`, which also stops a job when the Snakemake process that started it dies."""

from __future__ import annotations

import logging
import os
import signal
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pandas as pd


def current_umask() -> int:
    """The process's umask (e.g. ``0o022``), read without changing it where Linux allows."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o077)  # elsewhere: the classic set-and-restore (not thread-safe)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(path):
    """Yield a temporary path beside ``path``; move it into place only on success.

    ``tempfile.mkstemp`` creates its file with mode 0600; before the move the file gets mode
    ``0o666 & ~umask``, what ``open()`` would have given it, so group members can read results
    when the user's umask lets them (:func:`current_umask`).

    Parameters
    ----------
    path : str or Path
        The final file. Its folder is created if missing.

    Yields
    ------
    Path
        A hidden file in the same folder (same file system, so the move is atomic). Write it
        completely; an exception (or a stop, see :func:`job_log`) inside the block removes it
        and leaves any previous ``path`` untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(handle)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~current_umask())
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
        raise ValueError(
            f"cannot load {path}: corrupt or not a plain tensor file ({error})"
        ) from error


def log_to(path) -> logging.Logger:
    """Send the ``imbaug`` logger (and warnings) to a rule's log file and stderr. On stderr,
    where the lines of parallel jobs mix, each line names its job: the log file's path under
    ``logs/`` without ``.log`` (``[tabular/digits_eight/latent]``)."""
    logging.captureWarnings(True)
    logger = logging.getLogger("imbaug")
    logger.setLevel(logging.INFO)
    job = _job_name(path).replace("%", "%%")
    for handler, where in (
        (logging.FileHandler(path, mode="w"), ""),
        (logging.StreamHandler(sys.stderr), f" [{job}]"),
    ):
        handler.setFormatter(
            logging.Formatter(f"%(asctime)s{where} %(levelname)s %(name)s: %(message)s")
        )
        logger.addHandler(handler)
        logging.getLogger("py.warnings").addHandler(handler)
    return logger


def _job_name(path) -> str:
    """``tabular/digits_eight/latent`` for ``results/logs/tabular/digits_eight/latent.log``;
    the file name without its suffix for a log outside a ``logs`` folder."""
    parts = Path(path).with_suffix("").parts
    return "/".join(parts[parts.index("logs") + 1 :]) if "logs" in parts else parts[-1]


def is_snakemake(cmdline: list[str]) -> bool:
    """Whether a process command line (``psutil.Process.cmdline()``) runs Snakemake itself:
    ``.../bin/snakemake ...``, ``python .../bin/snakemake ...`` or ``python -m snakemake ...``
    (how Snakemake starts job steps), not a job that merely mentions ``.snakemake/``."""
    head = cmdline[:3]
    return any(Path(arg).name == "snakemake" for arg in head[:2]) or (
        "-m" in head and head[head.index("-m") + 1 :][:1] == ["snakemake"]
    )


def snakemake_ancestor():
    """The nearest ancestor process running Snakemake (``psutil.Process``), or ``None`` when
    this process was not started by Snakemake (a test, a script run by hand)."""
    import psutil

    for process in psutil.Process().parents():
        try:
            if is_snakemake(process.cmdline()):
                return process
        except psutil.Error:  # exited or not ours to inspect: not the one we look for
            continue
    return None


def started_by_snakemake(script: str) -> bool:
    """Whether ``script`` (``sys.argv[0]``) is a copy Snakemake wrote to run a rule's
    ``script:`` (``<workdir>/.snakemake/scripts/tmp*.py``)."""
    return Path(script).parent.parts[-2:] == (".snakemake", "scripts")


def _is_alive(process) -> bool:
    import psutil

    try:  # is_running() also checks the pid was not reused; a zombie has exited
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def stop_with(process, logger: logging.Logger, poll_seconds: float = 0.5) -> threading.Thread:
    """Stop this process cleanly when ``process`` (its Snakemake) dies, e.g. by ``kill -9``.

    Without this a job outlives a killed Snakemake as an orphan that keeps a GPU and a core
    busy and races the resumed run for the same outputs. A daemon thread polls ``process``
    every ``poll_seconds`` (polling, not ``PR_SET_PDEATHSIG``, because a job under
    ``--sdm conda`` or a SLURM job step is not Snakemake's direct child); when it is gone the
    thread sends this process SIGTERM. SIGTERM (also SLURM's ``scancel``, and pre-emption)
    is turned into ``SystemExit(143)`` in the main thread, so :func:`atomic_path` removes its
    temporary files and no output of the job appears. Call from the main thread.

    Returns
    -------
    threading.Thread
        The started watcher (a daemon: it never keeps the job alive).
    """

    def on_term(signum, frame):
        logger.error("stopped by SIGTERM (Snakemake died, or the job was cancelled)")
        raise SystemExit(128 + signum)

    def watch():
        while _is_alive(process):
            time.sleep(poll_seconds)
        logger.error("Snakemake (pid %d) is gone; stopping this job", process.pid)
        os.kill(os.getpid(), signal.SIGTERM)

    signal.signal(signal.SIGTERM, on_term)
    watcher = threading.Thread(target=watch, name="stop-with-snakemake", daemon=True)
    watcher.start()
    return watcher


@contextmanager
def job_log(path):
    """Log a workflow job to ``path``: its startup seconds (interpreter start, Snakemake's
    preamble, imports), then its failure with traceback or its compute seconds. bench/
    adds these up to measure per-job overhead. When Snakemake started the job, the job also
    stops (cleanly, see :func:`stop_with`) if that Snakemake process dies, or at once if it
    died before the job could find it, and a finished job ends without the interpreter's
    teardown (:func:`exit_now`).

    Raises
    ------
    SystemExit
        Status 143 when the job was started by Snakemake (:func:`started_by_snakemake`) but
        no Snakemake process is among its ancestors any more."""
    import psutil

    parent = snakemake_ancestor()  # before the log opens: an open log means a watched job
    logger = log_to(path)
    logger.info("startup seconds: %.3f", time.time() - psutil.Process().create_time())
    if parent is not None:
        stop_with(parent, logger)
    elif started_by_snakemake(sys.argv[0]):  # its Snakemake died before we could look
        logger.error("started by Snakemake, which is gone; stopping this job")
        raise SystemExit(128 + signal.SIGTERM)
    start = time.perf_counter()
    try:
        yield logger
    except Exception:
        logger.exception("job failed")
        raise
    logger.info("compute seconds: %.3f", time.perf_counter() - start)
    if parent is not None:
        exit_now()


def exit_now() -> None:
    """End a finished workflow job at once: flush the logs and standard streams, then
    ``os._exit(0)``. Freeing torch, scikit-learn and pandas at interpreter exit takes 1-2 s
    of CPU per job (measured on the 2-core VM, README "Performance"), which with dozens of
    jobs is a large part of a small study. Every output is closed before this point: they
    are written through :func:`atomic_path` inside the job's ``with job_log(...)`` block."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
