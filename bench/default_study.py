"""Time the default study (config.yaml) from scratch and measure per-job overhead.

    python bench/default_study.py [--cores 2] [--keep DIR] [--only tabular|image]

Every job logs its startup seconds (interpreter, Snakemake preamble, imports) and its
compute seconds. Overhead = the core-seconds spent starting jobs plus Snakemake's own time
before the first job starts (all cores wait for it), as a share of cores x wall time.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
LINE = re.compile(r"^(\S+ \S+) INFO imbaug: (startup|compute) seconds: ([\d.]+)")


def run_study(folder: Path, cores: int, only: str | None) -> float:
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    if only:  # drop the other study's datasets
        config["image" if only == "tabular" else "tabular"]["datasets"] = []
    (folder / "config.yaml").write_text(yaml.safe_dump(config))
    snakemake = Path(sys.executable).with_name("snakemake")
    start = time.time()
    subprocess.run(
        [
            str(snakemake),
            "-s",
            str(REPO / "Snakefile"),
            "--directory",
            str(folder),
            "--cores",
            str(cores),
            "--quiet",
        ],
        check=True,
    )
    return start


def job_timings(folder: Path) -> list[dict]:
    jobs = []
    for log in sorted((folder / "results" / "logs").rglob("*.log")):
        job = {"job": str(log.relative_to(folder / "results" / "logs"))}
        for line in log.read_text().splitlines():
            match = LINE.match(line)
            if match:
                stamp = datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S,%f").timestamp()
                job[match[2]] = float(match[3])
                if match[2] == "startup":
                    job["process_start"] = stamp - float(match[3])
        jobs.append(job)
    return jobs


def report(jobs: list[dict], started: float, wall: float, cores: int) -> None:
    startup = sum(job["startup"] for job in jobs)
    compute = sum(job["compute"] for job in jobs)
    before_first_job = min(job["process_start"] for job in jobs) - started
    overhead = (startup + cores * before_first_job) / (cores * wall)
    print(f"jobs: {len(jobs)}   cores: {cores}   wall: {wall:.1f} s")
    print(
        f"compute: {compute:.1f} core-s   job startup: {startup:.1f} core-s "
        f"({startup / len(jobs):.2f} s/job)   Snakemake before first job: {before_first_job:.1f} s"
    )
    print(f"per-job overhead: {overhead:.1%} of cores x wall (target < 25%)")
    for job in sorted(jobs, key=lambda job: -job["compute"])[:8]:
        print(f"  {job['compute']:7.1f} s compute  {job['startup']:5.2f} s startup  {job['job']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="run in this folder and keep its results")
    parser.add_argument("--only", choices=["tabular", "image"], help="run one of the two studies")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="imbaug-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    started = run_study(folder, args.cores, args.only)
    wall = time.time() - started
    report(job_timings(folder), started, wall, args.cores)
    if not args.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
