# Shared helpers: config checks that must fail before any job runs, and the final targets.
from imbaug.data.tabular import known_dataset_names

TABULAR = config["tabular"]


def check_tabular_config():
    files = TABULAR["files"]
    known = known_dataset_names(files)
    for name in TABULAR["datasets"]:
        if name not in known:
            raise ValueError(
                f"config tabular.datasets: unknown dataset {name!r}; choose from {known} "
                "or define it under tabular.files"
            )
    for name, spec in files.items():
        if not Path(spec["path"]).exists():
            raise ValueError(f"config tabular.files.{name}.path: {spec['path']} does not exist")


check_tabular_config()


def tabular_file_input(wildcards):
    spec = TABULAR["files"].get(wildcards.dataset)
    return [spec["path"]] if spec else []


def final_targets():
    if not TABULAR["datasets"]:
        return []
    return [
        "results/tables/tabular_accuracy.csv",
        "results/tables/tabular_accuracy.md",
        "results/figures/tabular_accuracy.png",
    ]
