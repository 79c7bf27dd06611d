"""Profiles and job sizing: requests follow the data and model (a small digits network fits a
16 GB node, a CIFAR WideResNet asks for hours), overrides and floors work, GPU rules ask for a
GPU and CPU rules do not, small jobs are grouped, plugin versions are pinned."""

import re
from types import SimpleNamespace

import pytest
import yaml

from imbaug.resampling import method_spec
from workflow_helpers import REPO, snakemake, study_args, write_study

PROFILES = REPO / "profiles"
GPU_RULES = {"image_train", "image_analysis"}  # the rules that run networks


def resource_defaults():
    """The schema's defaults of config ``resources`` (what validate() fills in)."""
    schema = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text())
    keys = schema["properties"]["resources"]["properties"]
    return {key: spec["default"] for key, spec in keys.items()}


def sizing(image_methods=("ROS", "REMIX", "Balanced"), epochs=200, resources=None):
    """workflow/rules/resources.smk executed (it is plain Python) with a stand-in config."""
    namespace = {
        "config": {"resources": {**resource_defaults(), **(resources or {})}},
        "IMAGE_METHODS": {m: m for m in image_methods},
        "method_spec": method_spec,
        "image_setting": lambda dataset, key, arch=None: {"epochs": epochs},
    }
    exec((REPO / "workflow/rules/resources.smk").read_text(), namespace)
    return SimpleNamespace(**namespace)


def train_request(s, arch="resnet32", method="Base", input_mb=68.0, attempt=1):
    wildcards = SimpleNamespace(dataset="cifar10", arch=arch, method=method)
    files = SimpleNamespace(size_mb=input_mb)
    return (
        s.mem_mb_from_input("gpu", s.image_train_growth)(wildcards, files, attempt),
        s.image_train_runtime(wildcards, files, attempt),
    )


def test_small_network_on_small_data_fits_a_16gb_node():
    # the refusal: every training asked 32 GB / 8 h; digits 16x16 is ~0.3 MB of images
    mem_mb, runtime = train_request(sizing(epochs=30), arch="resnet8", input_mb=0.3)
    assert mem_mb <= 16000 and runtime <= 15


def test_requests_grow_with_data_epochs_network_and_oversampling():
    s = sizing()
    base_mem, base_time = train_request(s)  # CIFAR-10-LT-100, ResNet-32
    assert 10 <= base_time <= 120 and 4000 <= base_mem <= 16000
    assert train_request(s, input_mb=180)[1] > base_time  # balanced CIFAR-10
    assert train_request(s, arch="resnet56")[1] > base_time
    assert train_request(s, arch="wrn28_10")[1] > 20 * base_time  # ~75x the compute
    assert train_request(s, method="ROS") > (base_mem, base_time)  # trains on a grown set
    assert train_request(s, method="REMIX") == (base_mem, base_time)  # mixes within batches
    assert train_request(s, method="Balanced") == (base_mem, base_time)
    assert train_request(sizing(epochs=400))[1] > base_time


def test_retry_doubles_and_config_scales_and_floors():
    s = sizing()
    mem_mb, runtime = train_request(s)
    assert train_request(s, attempt=2) == (2 * mem_mb, 2 * runtime)
    scaled = sizing(resources={"mem_scale": 2, "runtime_scale": 3})
    assert train_request(scaled) == (2 * mem_mb, 3 * runtime)
    tiny = SimpleNamespace(size_mb=0.01)
    assert s.runtime_from_input(None, tiny, 1) == resource_defaults()["runtime_min"]
    floored = sizing(resources={"mem_mb_min": 50000, "runtime_min": 240})
    assert train_request(floored, input_mb=0.3) == (50000, 240)
    assert floored.runtime_from_input(None, tiny, 1) == 240


def _profile(name):
    return yaml.safe_load((PROFILES / name / "config.yaml").read_text())


def _dry_run_jobs(tmp_path, profile):
    """{rule: resources line} of a dry run of the small test study through ``profile``."""
    result = snakemake(
        write_study(tmp_path, {}), *study_args("small"), "-n", "--profile", str(PROFILES / profile)
    )
    assert result.returncode == 0, result.stdout[-3000:]
    jobs = {}
    for block in re.split(r"\n(?=\s*(?:local)?rule \w+:)", result.stdout):
        match = re.match(r"\s*(?:local)?rule (\w+):", block)
        resources = re.search(r"resources: (.*)", block)
        if match and resources:
            jobs[match.group(1)] = resources.group(1)
    return jobs, result.stdout


def test_slurm_profile_gpu_rules_ask_a_gpu_cpu_rules_do_not_small_jobs_grouped(tmp_path):
    pytest.importorskip("snakemake_executor_plugin_slurm")
    jobs, output = _dry_run_jobs(tmp_path, "slurm")
    gpu = {rule for rule, line in jobs.items() if re.search(r"\bgpu=1\b", line)}
    assert gpu == GPU_RULES & set(jobs) and {"image_train", "image_analysis"} <= gpu
    for rule in GPU_RULES & set(jobs):  # sized by resources.smk, not the profile's default
        assert "mem_mb=<TBD>" in jobs[rule] and "runtime=<TBD>" in jobs[rule], jobs[rule]
    assert "Group job tabular" in output and "Group job summaries" in output


def test_profile_groups_name_existing_rules(tmp_path):
    """A renamed rule would silently fall out of its group (Snakemake ignores unknown names)."""
    result = snakemake(write_study(tmp_path, {}), "--list-rules")
    assert result.returncode == 0, result.stdout[-3000:]
    rules = set(result.stdout.split())
    profile = _profile("slurm")
    grouped = {entry.split("=")[0] for entry in profile["groups"]}
    assert grouped <= rules, f"profiles/slurm groups unknown rules {grouped - rules}"
    groups = {entry.split("=")[1] for entry in profile["groups"]}
    assert groups == {entry.split("=")[0] for entry in profile["group-components"]}
    assert not grouped & GPU_RULES  # GPU jobs stay separate SLURM jobs with their own GPU


def test_profiles_resume_after_a_crash():
    for name in ("local", "gpu", "slurm"):
        assert _profile(name)["rerun-incomplete"] is True, name


def test_slurm_plugin_pinned_where_gpu_jobs_run_once():
    pyproject = (REPO / "pyproject.toml").read_text()  # (tomllib is Python >= 3.11 only)
    for extra in ("slurm", "test"):
        line = re.search(rf"^{extra} = \[.*\]$", pyproject, re.MULTILINE).group(0)
        assert '"snakemake-executor-plugin-slurm>=2.7.1"' in line, line
