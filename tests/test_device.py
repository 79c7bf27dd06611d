"""Device slots: concurrent GPU jobs on a simulated N-GPU machine each get their own device."""

import os
import subprocess
import sys
import textwrap

import pytest
import torch

from imbaug import device as device_module
from imbaug.device import device_keys, pick_device

# A GPU job of a machine with N GPUs: take a device slot, print it, hold it until stdin closes.
# (torch-free, so each process starts in a fraction of a second; test_pick_device_takes_a_slot
# covers pick_device's use of the slots)
JOB = textwrap.dedent("""
    import sys
    from imbaug.device import acquire_slot
    print(f"cuda:{acquire_slot(int(sys.argv[1]), wait_seconds=0.1)}", flush=True)
    sys.stdin.read()
""")


def _start_job(n_gpus, env):
    return subprocess.Popen(
        [sys.executable, "-c", JOB, str(n_gpus)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _finish(job):
    job.stdin.close()
    assert job.wait(timeout=30) == 0


@pytest.fixture
def job_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("CUDA_VISIBLE_DEVICES", "SLURM_JOB_ID")}
    env[device_module.LOCK_DIR_VARIABLE] = str(tmp_path / "slots")
    return env


def test_concurrent_jobs_get_distinct_devices_and_a_freed_one_is_reused(job_env):
    jobs = [_start_job(4, job_env) for _ in range(4)]
    devices = [job.stdout.readline().strip() for job in jobs]
    assert sorted(devices) == ["cuda:0", "cuda:1", "cuda:2", "cuda:3"]
    # a fifth GPU job (more jobs than devices) waits instead of doubling up on a device ...
    fifth = _start_job(4, job_env)
    with pytest.raises(subprocess.TimeoutExpired):
        fifth.wait(timeout=3)
    # ... and gets the device of the first job to end; a dead job's slot is free again
    jobs[2].kill()
    jobs[2].wait()
    assert fifth.stdout.readline().strip() == devices[2]
    for job in jobs[:2] + jobs[3:] + [fifth]:
        _finish(job)


def test_slots_are_named_by_the_visible_devices(job_env, tmp_path):
    job_env["CUDA_VISIBLE_DEVICES"] = "5,3"  # e.g. set by the user to keep jobs off 0-2
    jobs = [_start_job(2, job_env) for _ in range(2)]
    assert sorted(job.stdout.readline().strip() for job in jobs) == ["cuda:0", "cuda:1"]
    assert sorted(p.name for p in (tmp_path / "slots").iterdir()) == ["gpu-3.lock", "gpu-5.lock"]
    for job in jobs:
        _finish(job)


@pytest.fixture
def four_gpus(monkeypatch, tmp_path):
    """This process sees 4 simulated GPUs and holds no slot yet."""
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 4)
    monkeypatch.setattr(torch.cuda, "set_device", lambda index: None)
    monkeypatch.setattr(device_module, "_HELD", {})
    monkeypatch.setenv(device_module.LOCK_DIR_VARIABLE, str(tmp_path / "slots"))
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    return tmp_path / "slots"


def test_pick_device_takes_a_slot(four_gpus, job_env):
    others = [_start_job(4, job_env) for _ in range(2)]  # other jobs hold cuda:0 and cuda:1
    assert sorted(job.stdout.readline().strip() for job in others) == ["cuda:0", "cuda:1"]
    assert pick_device("auto") == torch.device("cuda", 2)
    assert pick_device("cuda") == torch.device("cuda", 2)  # the slot it holds, not another
    for job in others:
        _finish(job)


def test_one_visible_device_or_an_explicit_index_takes_no_slot(four_gpus, monkeypatch):
    assert pick_device("cuda:3") == torch.device("cuda", 3)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    assert pick_device("auto") == torch.device("cuda", 0)
    assert not four_gpus.exists()


def test_device_keys_follow_cuda_visible_devices(monkeypatch):
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    assert device_keys(3) == ["0", "1", "2"]
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "GPU-aa, GPU-bb")
    assert device_keys(2) == ["GPU-aa", "GPU-bb"]


def test_lock_dir_is_per_slurm_allocation(monkeypatch):
    monkeypatch.delenv(device_module.LOCK_DIR_VARIABLE, raising=False)
    monkeypatch.delenv("SLURM_JOB_ID", raising=False)
    local = device_module.lock_dir()
    monkeypatch.setenv("SLURM_JOB_ID", "77")
    assert device_module.lock_dir() == local.with_name(local.name + "-slurm77")


def test_settings_and_errors(monkeypatch):
    assert pick_device("cpu") == torch.device("cpu")
    with pytest.raises(ValueError, match="unknown device setting 'tpu'"):
        pick_device("tpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert pick_device("auto") == torch.device("cpu")
    with pytest.raises(RuntimeError, match="asks for a GPU"):
        pick_device("cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    with pytest.raises(RuntimeError, match="only 2 CUDA device"):
        pick_device("cuda:2")
