"""A run killed with SIGKILL during a training resumes with the README's command and ends with
the same results as an uninterrupted run; the killed Snakemake's jobs do not live on."""

import os
import signal
import subprocess
import time

import psutil
import pytest

from workflow_helpers import (
    ACCURACY_TABLES,
    REPO,
    SNAKEMAKE,
    reference_run,
    result_differences,
    snakemake,
    study_args,
    write_study,
)

pytestmark = pytest.mark.slow  # a whole-study run; `pytest -m "not slow"` leaves it out

STUDY = "small"
# The README's resume command (Running section), run here exactly as written.
RESUME = "snakemake --unlock && snakemake --cores 2 --rerun-incomplete"


def _running_training(process: psutil.Process):
    """(job, its log file) of a training job of ``process`` (Snakemake) that has opened its
    log, i.e. is past start-up and inside its job; None if there is none yet."""
    for child in process.children(recursive=True):
        try:
            if any("train" in arg and ".snakemake" in arg for arg in child.cmdline()):
                logs = [f.path for f in child.open_files() if f.path.endswith(".log")]
                if logs:
                    return child, logs[0]
        except psutil.Error:
            continue
    return None


def _wait_until_gone(process: psutil.Process, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if process.status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


def _kill_during_training(folder, timeout=300.0):
    """Start the study, SIGKILL Snakemake once a training runs; return (job, its log)."""
    write_study(folder, {})
    run = subprocess.Popen(
        [
            SNAKEMAKE,
            "-s",
            str(REPO / "Snakefile"),
            "--directory",
            str(folder),
            *study_args(STUDY),
            "--cores",
            "2",
            *ACCURACY_TABLES,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + timeout
    try:
        while (job := _running_training(psutil.Process(run.pid))) is None:
            assert run.poll() is None, "the study ended before any training started"
            assert time.monotonic() < deadline, "no training started"
            time.sleep(0.05)
        os.kill(run.pid, signal.SIGKILL)
    finally:
        run.kill()
        run.wait()
    return job


def test_sigkill_during_training_then_readme_resume_gives_the_same_results(tmp_path_factory):
    assert RESUME in (REPO / "README.md").read_text(), "README's resume command changed"
    folder = tmp_path_factory.mktemp("killed")
    job, log = _kill_during_training(folder)

    # the orphaned training stops by itself (it watches its Snakemake) instead of racing
    # the resumed run; it leaves no half-written output behind
    try:
        assert _wait_until_gone(job, timeout=30), "the killed Snakemake's training lives on"
    finally:
        if job.is_running():
            job.kill()
    assert "stopping this job" in open(log).read()
    leftovers = [p for p in (folder / "results").rglob(".*") if p.is_file()]
    assert leftovers == [], leftovers

    for command in RESUME.split(" && "):
        targets = ACCURACY_TABLES if "--cores" in command else ()
        result = snakemake(folder, *study_args(STUDY), *command.split()[1:], *targets)
        assert result.returncode == 0, f"{command}:\n{result.stdout[-4000:]}"
    assert "rerun-incomplete" in RESUME

    reference = reference_run(STUDY, tmp_path_factory)
    assert result_differences(reference, folder) == {}
