import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_IMBLEARN = REPO.parent / "shared" / "data" / "imblearn"


@pytest.fixture
def imblearn_cache():
    if not (SHARED_IMBLEARN / "zenodo" / "x14data.npz").exists():
        pytest.skip("shared imbalanced-learn cache not present")
    return SHARED_IMBLEARN


SLOW_TESTS_VARIABLE = "IMBAUG_SLOW_TESTS"


def pytest_collection_modifyitems(config, items):
    """Tests marked ``slow`` (whole-study runs: kill-and-resume, determinism, SLURM; 3-5 min
    each on 2 cores) run only with IMBAUG_SLOW_TESTS=1 (``.ci/run-full``), so the default test
    command stays well under CI's 20 minutes."""
    if os.environ.get(SLOW_TESTS_VARIABLE) == "1":
        return
    skip = pytest.mark.skip(
        reason=f"slow whole-study test: run with {SLOW_TESTS_VARIABLE}=1 (or .ci/run-full)"
    )
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
