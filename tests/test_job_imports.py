"""Job start-up: every job pays its script's imports (torch ~3 s, scikit-learn ~2 s,
imbalanced-learn ~1 s more on a 2-core VM), so a job imports at start only what its work
needs (README, Performance). Each script's top-level imports run in a fresh interpreter and
must not load the packages its job does without."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "workflow" / "scripts"
HEAVY = ("torch", "sklearn", "imblearn", "matplotlib")
TABLES = ("analysis_comparison", "analysis_table", "image_analysis_tables", "image_tables")
WITHOUT = {
    # Data and cuts only read, cut and store images: no training stack.
    "image_data": {"sklearn", "imblearn", "matplotlib"},
    "image_cut": {"sklearn", "imblearn", "matplotlib"},
    # Tabular jobs import torch only where the NN runs (inside the job's work).
    "tabular_data": {"torch", "matplotlib"},
    "tabular_resample": {"torch", "matplotlib"},
    "tabular_fit": {"torch", "matplotlib"},
    # Tables aggregate Parquet files with pandas (the rank tests import theirs when they run).
    "tabular_tables": {"torch", "sklearn", "imblearn"},
    **{name: set(HEAVY) for name in TABLES},
}


def loaded_packages(script: Path) -> set[str]:
    """The HEAVY packages that the script's top-level imports load, in a fresh interpreter."""
    tree = ast.parse(script.read_text())
    imports = [ast.unparse(n) for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    probe = "\n".join(
        [
            *imports,
            "import json, sys",
            f"print(json.dumps([p for p in {HEAVY!r} if p in sys.modules]))",
        ]
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize("name", sorted(WITHOUT))
def test_job_script_does_not_import_what_its_job_does_without(name):
    loaded = loaded_packages(SCRIPTS / f"{name}.py") & WITHOUT[name]
    assert not loaded, f"workflow/scripts/{name}.py imports {sorted(loaded)} at start"
