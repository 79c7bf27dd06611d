"""Artifact I/O: atomic writes give files the user's umask, a failed write leaves nothing."""

import os
import stat
import subprocess
import sys

import pandas as pd
import pytest
import torch

from imbaug.io import (
    atomic_path,
    current_umask,
    is_snakemake,
    save_torch,
    started_by_snakemake,
    write_csv,
    write_parquet,
    write_text,
)

FRAME = pd.DataFrame({"a": [1, 2], "b": [0.5, 1.5]})
WRITERS = {
    "parquet": lambda path: write_parquet(FRAME, path),
    "csv": lambda path: write_csv(FRAME, path),
    "md": lambda path: write_text("# table\n", path),
    "pt": lambda path: save_torch({"w": torch.zeros(2)}, path),
}


@pytest.fixture
def umask():
    """Set the process umask for one test and restore it afterwards."""
    previous = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(previous)


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002, 0o077])
@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_written_files_follow_the_umask(tmp_path, umask, mask, kind):
    umask(mask)
    path = tmp_path / "out" / f"result.{kind}"
    WRITERS[kind](path)
    assert _mode(path) == 0o666 & ~mask
    # a plain open() gives the same mode: results are as readable as any file the user makes
    (tmp_path / "plain").touch()
    assert _mode(path) == _mode(tmp_path / "plain")


def test_rewrite_of_a_private_file_gets_the_umask_too(tmp_path, umask):
    umask(0o022)
    path = tmp_path / "table.csv"
    path.touch(mode=0o600)
    write_csv(FRAME, path)
    assert _mode(path) == 0o644


def test_current_umask_reads_without_changing(umask):
    umask(0o027)
    assert current_umask() == 0o027
    assert current_umask() == 0o027


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "metrics.parquet"
    write_parquet(FRAME, path)
    with pytest.raises(RuntimeError):
        with atomic_path(path) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("killed")
    assert pd.read_parquet(path).equals(FRAME)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["metrics.parquet"]


@pytest.mark.parametrize(
    "cmdline, expected",
    [
        (["/home/u/.venv/bin/python3", "/home/u/.venv/bin/snakemake", "--cores", "2"], True),
        (["/opt/conda/bin/snakemake", "--profile", "profiles/slurm"], True),
        (["/usr/bin/python3", "-m", "snakemake", "--target-jobs", "image_train:cut=0"], True),
        (["/usr/bin/python3", "/w/.snakemake/scripts/tmpa1b2.image_train.py"], False),
        (["/usr/bin/bash", "-c", "set -euo pipefail; python /w/.snakemake/scripts/tmp.py"], False),
        (["/usr/bin/python3", "-m", "pytest", "tests/test_snakemake.py"], False),
    ],
)
def test_is_snakemake_tells_snakemake_from_its_jobs(cmdline, expected):
    assert is_snakemake(cmdline) is expected


JOB = """
import logging, sys, time
import psutil
from imbaug.io import atomic_path, stop_with
stop_with(psutil.Process(int(sys.argv[1])), logging.getLogger("test"), poll_seconds=0.1)
with atomic_path(sys.argv[2]) as tmp:
    tmp.write_text("half")
    print("writing", flush=True)
    time.sleep(60)
"""


def test_job_stops_cleanly_when_its_snakemake_dies(tmp_path):
    """SIGKILL the 'Snakemake' a job watches: the job exits at once, with SIGTERM's status,
    and its half-written output vanishes instead of surviving as an orphan."""
    fake_snakemake = subprocess.Popen(["sleep", "60"])
    out = tmp_path / "model.pt"
    job = subprocess.Popen(
        [sys.executable, "-c", JOB, str(fake_snakemake.pid), str(out)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert job.stdout.readline() == "writing\n"
    assert job.poll() is None  # alive while its Snakemake is
    fake_snakemake.kill()
    fake_snakemake.wait()
    try:
        assert job.wait(timeout=10) == 143
    finally:
        job.kill()
    assert list(tmp_path.iterdir()) == []


def test_started_by_snakemake_recognises_snakemakes_script_copies():
    assert started_by_snakemake("/w/.snakemake/scripts/tmpa1b2.image_train.py")
    assert not started_by_snakemake("/w/workflow/scripts/image_train.py")
    assert not started_by_snakemake("-c")


def test_job_whose_snakemake_died_before_it_looked_stops_at_once(tmp_path):
    """A job Snakemake started, killed with Snakemake before the job found it (an orphan from
    its first line): it stops with SIGTERM's status instead of running to the end."""
    scripts = tmp_path / ".snakemake" / "scripts"
    scripts.mkdir(parents=True)
    script = scripts / "tmp0.image_train.py"
    script.write_text(
        "import sys, time\n"
        "from imbaug.io import job_log\n"
        "with job_log(sys.argv[1]):\n"
        "    time.sleep(60)\n"
    )
    log = tmp_path / "job.log"
    job = subprocess.run([sys.executable, str(script), str(log)], timeout=30, capture_output=True)
    assert job.returncode == 143
    assert "stopping this job" in log.read_text()


def test_console_lines_name_their_job_and_the_log_file_stays_plain(tmp_path):
    """Parallel jobs' stderr lines mix on the console: each names its job (its log path under
    logs/); the log file, one per job, does not repeat it."""
    log = tmp_path / "results" / "logs" / "tabular" / "digits_eight" / "latent.log"
    log.parent.mkdir(parents=True)
    job = subprocess.run(
        [
            sys.executable,
            "-c",
            "import logging, sys\n"
            "from imbaug.io import log_to\n"
            "log_to(sys.argv[1])\n"
            "logging.getLogger('imbaug.resampling').warning('no enemy among the neighbours')\n",
            str(log),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert job.returncode == 0, job.stderr
    assert (
        " [tabular/digits_eight/latent] WARNING imbaug.resampling: no enemy among the neighbours"
        in job.stderr
    )
    assert " WARNING imbaug.resampling: no enemy" in log.read_text()
    assert "[tabular/" not in log.read_text()
