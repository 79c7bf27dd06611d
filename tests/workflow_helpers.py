"""Run the real Snakefile on a study written into a temporary folder."""

import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))


def deep_update(base: dict, override: dict) -> dict:
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            deep_update(base[key], value)
        else:
            base[key] = value
    return base


def write_study(folder: Path, override: dict) -> Path:
    """config.yaml = the repo's default study updated with ``override``."""
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    (folder / "config.yaml").write_text(yaml.safe_dump(deep_update(config, override)))
    return folder


def snakemake(folder: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SNAKEMAKE, "-s", str(REPO / "Snakefile"), "--directory", str(folder), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )


def job_counts(output: str) -> dict[str, int]:
    """The 'Job stats' table of a Snakemake run or dry run, as {rule: count}."""
    table = output.split("Job stats:", 1)[1].split("\n\n", 1)[0]
    rows = [line.split() for line in table.splitlines()[3:]]
    return {row[0]: int(row[1]) for row in rows if len(row) == 2 and row[1].isdigit()}


# --- small test studies (.test/config_<name>/config.yaml) and comparing whole result trees ---

TIMING = "seconds"  # columns whose name contains this hold wall-clock times, never repeatable
# The paper accuracy tables of both parts: their jobs load data, resample, fit, train networks
# (input and latent space) and aggregate, about a dozen jobs on a small test study.
ACCURACY_TABLES = (
    "results/tables/tabular_accuracy.csv",
    "results/tables/tabular_accuracy.md",
    "results/tables/image_accuracy.csv",
    "results/tables/image_accuracy.md",
)


def study_config(name: str) -> Path:
    """.test/config_<name>/config.yaml, the file CI and a user pass to --configfile."""
    return REPO / ".test" / f"config_{name}" / "config.yaml"


def study_args(name: str) -> list[str]:
    """Snakemake arguments that run test study ``name`` merged over the default config."""
    return ["--configfile", str(study_config(name))]


def run_test_study(folder: Path, name: str, *args: str, timeout: int = 600):
    """Run test study ``name`` to completion in ``folder``; fail the test with the log tail."""
    write_study(folder, {})
    result = snakemake(folder, *study_args(name), *args, timeout=timeout)
    assert result.returncode == 0, result.stdout[-4000:]
    return result


# The one table whose subject is wall-clock time (EOS paper V-E2); runs never repeat it.
TIMING_TABLES = ("tables/image_wall_time.",)


def result_files(folder: Path) -> dict[str, Path]:
    """Every file under results/ except logs and the timing tables, by relative path."""
    root = folder / "results"
    files = {str(p.relative_to(root)): p for p in sorted(root.rglob("*")) if p.is_file()}
    return {
        name: path for name, path in files.items() if not name.startswith(("logs/", *TIMING_TABLES))
    }


def _same_content(a: Path, b: Path) -> str | None:
    """None when ``a`` and ``b`` hold the same results, else why not. Parquet tables are
    compared without timing columns; .pt files tensor by tensor (timing entries aside);
    .skops models by their fitted attributes (the zip container holds write times and object
    ids); anything else byte by byte."""
    import pandas as pd
    import torch

    if a.suffix == ".skops":
        from imbaug.pipeline.tabular_artifacts import load_sklearn_models

        left, right = load_sklearn_models(a), load_sklearn_models(b)
        return None if _equal(left, right) else "fitted models differ"

    if a.suffix == ".parquet":
        left, right = pd.read_parquet(a), pd.read_parquet(b)
        timing = [c for c in left.columns if TIMING in c]
        try:
            pd.testing.assert_frame_equal(
                left.drop(columns=timing), right.drop(columns=timing), check_exact=True
            )
        except AssertionError as error:
            return str(error)[:500]
        return None
    if a.suffix == ".pt":
        left, right = (torch.load(p, weights_only=True) for p in (a, b))
        return None if _equal(left, right) else "tensors differ"
    return None if a.read_bytes() == b.read_bytes() else "bytes differ"


def _equal(left, right) -> bool:
    """Exact equality of nested dicts/lists of tensors, arrays, numbers, strings and fitted
    estimators (their attributes); dict entries named like timings are not compared."""
    import numpy as np
    import torch

    if isinstance(left, torch.Tensor) and isinstance(right, torch.Tensor):
        return left.dtype == right.dtype and torch.equal(left, right)
    if isinstance(left, np.ndarray) and isinstance(right, np.ndarray):
        return left.dtype == right.dtype and np.array_equal(
            left, right, equal_nan=left.dtype.kind == "f"
        )
    if isinstance(left, dict) and isinstance(right, dict):
        keys = [k for k in left if TIMING not in str(k)]
        return left.keys() == right.keys() and all(_equal(left[k], right[k]) for k in keys)
    if isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
        return len(left) == len(right) and all(map(_equal, left, right))
    if hasattr(left, "get_params") and type(left) is type(right):  # a scikit-learn estimator
        return _equal(vars(left), vars(right))
    return type(left) is type(right) and left == right


def result_differences(first: Path, second: Path, only: str = "") -> dict[str, str]:
    """{relative path: what differs} between the results of two runs (missing files too),
    for the files whose relative path starts with ``only``."""
    a, b = result_files(first), result_files(second)
    names = sorted(n for n in set(a) | set(b) if n.startswith(only))
    differences = {n: "only in one run" for n in names if n not in a or n not in b}
    for name in names:
        if name not in differences and (why := _same_content(a[name], b[name])) is not None:
            differences[name] = why
    return differences


_REFERENCE_RUNS: dict[tuple, Path] = {}


def reference_run(name: str, tmp_path_factory, targets=ACCURACY_TABLES) -> Path:
    """One uninterrupted run of test study ``name`` (building ``targets``) per pytest session,
    shared by the tests that compare other runs with it (resume, determinism)."""
    key = (name, *targets)
    if key not in _REFERENCE_RUNS:
        folder = tmp_path_factory.mktemp(f"reference_{name}")
        run_test_study(folder, name, "--cores", "2", *targets)
        _REFERENCE_RUNS[key] = folder
    return _REFERENCE_RUNS[key]
