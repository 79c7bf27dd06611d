"""The image benchmarks keep running as the library changes (one of them once broke unnoticed
when the method registry began to require every method's settings): each runs its smallest
setting on the CPU and prints its report."""

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.parametrize(
    ("script", "args", "last_line"),
    [
        ("three_phase_vs_pixel.py", ["--epochs", "1", "--repeats", "1"], "projected to 200 epochs"),
        ("image_training.py", ["--steps", "2", "--arch", "resnet8"], "projection: 200 epochs"),
    ],
)
def test_bench_runs_its_smallest_setting(script, args, last_line):
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args, "--device", "cpu", "--threads", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert last_line in done.stdout.strip().splitlines()[-1], done.stdout[-2000:]
