from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_IMBLEARN = REPO.parent / "shared" / "data" / "imblearn"


@pytest.fixture
def imblearn_cache():
    if not (SHARED_IMBLEARN / "zenodo" / "x14data.npz").exists():
        pytest.skip("shared imbalanced-learn cache not present")
    return SHARED_IMBLEARN
