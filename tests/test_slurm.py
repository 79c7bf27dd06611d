"""A small study through profiles/slurm on a real single-node SLURM cluster (.ci/slurm/up.sh):
every job is a SLURM job, GPU rules ask SLURM for a GPU and CPU rules do not, the run completes
and its accuracy tables equal a local run's. Evidence comes from SLURM's own records:
slurmctld's job table (`scontrol show job`, kept for MinJobAge = 1 h) and the job completion
log (jobcomp/filetxt)."""

import re
import shutil
import subprocess
import time

import pytest

from workflow_helpers import (
    ACCURACY_TABLES,
    REPO,
    reference_run,
    result_differences,
    snakemake,
    study_args,
    write_study,
)

pytestmark = pytest.mark.slow  # a whole-study run; `pytest -m "not slow"` leaves it out

pytest.importorskip("snakemake_executor_plugin_slurm")
UP = REPO / ".ci" / "slurm" / "up.sh"
JOBCOMP = "/var/log/slurm/jobcomp.log"
GPU_RULES = {"image_train", "image_analysis"}
# No accounting database on the test cluster: no account to look up, and the plugin's status
# queries use squeue (sacct has nothing to read), which MinJobAge=3600 keeps reliable.
TEST_CLUSTER_ARGS = (
    "--slurm-no-account",
    "--slurm-status-command",
    "squeue",
    "--slurm-init-seconds-before-status-checks",
    "2",
    "--slurm-keep-successful-logs",
    "--cores",
    "2",
)


@pytest.fixture(scope="module")
def cluster():
    if shutil.which("sbatch") is None or subprocess.run([str(UP), "--check"]).returncode != 0:
        pytest.skip(
            "no SLURM cluster answers here; bring up the single-node test cluster "
            "with `sudo .ci/slurm/up.sh` (Debian/Ubuntu; CI does this)"
        )


def _slurm_job(job_id: str) -> dict[str, str]:
    """slurmctld's record of a job, e.g. {'JobState': 'COMPLETED', 'TresPerJob': ...}."""
    line = subprocess.run(
        ["scontrol", "show", "job", "-o", job_id], capture_output=True, text=True, check=True
    ).stdout
    return dict(re.findall(r"(\w+)=(\S*)", line))


def _completed_in_jobcomp(job_ids) -> set[str]:
    with open(JOBCOMP) as log:
        return {
            m.group(1)
            for m in map(re.compile(r"JobId=(\d+) .*JobState=COMPLETED").search, log)
            if m and m.group(1) in job_ids
        }


def test_small_study_runs_as_slurm_jobs_with_gpus_for_gpu_rules(cluster, tmp_path_factory):
    folder = write_study(tmp_path_factory.mktemp("slurm"), {})
    start = time.monotonic()
    result = snakemake(
        folder,
        *study_args("small"),
        "--profile",
        str(REPO / "profiles/slurm"),
        *TEST_CLUSTER_ARGS,
        *ACCURACY_TABLES,
        timeout=900,
    )
    seconds = time.monotonic() - start
    assert result.returncode == 0, result.stdout[-5000:]

    submitted = re.findall(r"Job \S+ has been submitted with SLURM jobid (\d+)", result.stdout)
    assert submitted, result.stdout[-3000:]
    records = {job_id: _slurm_job(job_id) for job_id in submitted}
    # every job ran under SLURM, in this study's folder, and completed
    assert {r["JobState"] for r in records.values()} == {"COMPLETED"}
    assert {r["WorkDir"] for r in records.values()} == {str(folder)}
    assert _completed_in_jobcomp(set(submitted)) == set(submitted)
    # the plugin names the rule (or group) in the job's comment: rule_<name>[_wildcards_...]
    rules = {
        i: re.match(r"rule_(.+?)(?:_wildcards_.*)?$", r["Comment"]).group(1)
        for i, r in records.items()
    }
    gpu_jobs = {i for i, r in records.items() if "gpu" in r.get("TresPerJob", "")}
    assert gpu_jobs == {i for i, rule in rules.items() if rule in GPU_RULES} and gpu_jobs, {
        i: (rules[i], r.get("TresPerJob")) for i, r in records.items()
    }
    assert all(records[i]["TresPerJob"] == "gres:gpu:1" for i in gpu_jobs)
    print(
        f"\nSLURM test: {seconds:.0f} s, {len(submitted)} SLURM jobs, {len(gpu_jobs)} asked a GPU"
    )

    # the same tables as a local run of the same study
    reference = reference_run("small", tmp_path_factory)
    assert result_differences(reference, folder, only="tables/") == {}
