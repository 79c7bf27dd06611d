# Shared helpers: config checks that must fail before any job runs, and the final targets.
from imbaug.arch_names import parse_arch
from imbaug.data.profiles import DEFAULT_IMAGE_SIZE, DEFAULT_IMBALANCE, imbalance_of
from imbaug.data.tabular import known_dataset_names
from imbaug.resampling import config_settings, config_settings_of, method_spec, names

TABULAR = config["tabular"]
IMAGE = config["image"]

# The heads of the study's two longest chains (the image trainings; the tabular NN fit, then
# its latent stage, analysis, tables and figures) start before other ready jobs, so the short
# jobs fill the cores while the long chains run, not after them.
LONG_CHAIN_PRIORITY = 10


def checked_methods(section, key, space):
    """{name: config entry} of config ``section.key``, each checked against the method
    registry (built-in name, or a sampler by import path) and the space it runs in."""
    where = f"{section}.{key}"
    entries = {}
    for entry in config[section][key]:
        spec = method_spec(entry, where)
        if space not in spec.spaces:
            raise ValueError(
                f"config {where}: {spec.name} does not run in {space} space; "
                f"choose from {list(names(space))} or a {{name, sampler}} entry"
            )
        if spec.name in entries:
            raise ValueError(f"config {where}: method {spec.name} is listed twice")
        entries[spec.name] = entry
    return entries


# Every method list of the study, derived from the registry (imbaug.resampling.BUILTIN).
# A config error ends the run with its one-line message (no traceback after it).
try:
    TABULAR_METHODS = checked_methods("tabular", "methods", "tabular")
    TABULAR_LATENT_METHODS = checked_methods("tabular", "latent_methods", "latent")
    IMAGE_METHODS = checked_methods("image", "methods", "pixel")
    IMAGE_LATENT_METHODS = checked_methods("image", "latent_methods", "latent")
except ValueError as error:
    sys.exit(str(error))
IMAGE_INPUT_METHODS = list(dict.fromkeys(["Base", *IMAGE_METHODS]))
IMAGE_KINDS = ["imbalanced", "balanced"] if "Balanced" in IMAGE_METHODS else ["imbalanced"]


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
    from imbaug.config_checks import ConfigError, check_tabular_files

    try:
        check_tabular_files(TABULAR)  # user files' columns and labels
    except ConfigError as error:
        sys.exit(str(error))  # the message alone, no traceback after it


def image_arch_lists():
    """(config key, list of architecture names) of image.archs and every per_dataset archs."""
    yield "image.archs", IMAGE["archs"]
    for name, settings in IMAGE.get("per_dataset", {}).items():
        if "archs" in settings:
            yield f"image.per_dataset.{name}.archs", settings["archs"]


def image_tree_signature(dataset):
    """tree_signature of an image.folders dataset's files; None for a built-in source."""
    from imbaug.data.folders import tree_signature

    path = IMAGE["folders"].get(dataset)
    return tree_signature(path) if path else None


def check_image_config():
    known = list(DEFAULT_IMBALANCE) + list(IMAGE["folders"])  # every built-in image source
    for name in IMAGE["datasets"]:
        if name not in known:
            raise ValueError(
                f"config image.datasets: unknown dataset {name!r}; choose from {known} "
                "or define it under image.folders"
            )
    for name, path in IMAGE["folders"].items():
        if not Path(path, "train").is_dir() or not Path(path, "test").is_dir():
            raise ValueError(f"config image.folders.{name}: {path} needs train/ and test/ folders")
    for where, archs in image_arch_lists():
        for arch in archs:
            try:
                parse_arch(arch)
            except ValueError as error:
                raise ValueError(f"config {where}: {error}") from None
    from imbaug.config_checks import ConfigError, check_image_folders

    try:
        check_image_folders(IMAGE)  # class folders, test_per_class
    except ConfigError as error:
        sys.exit(str(error))


try:
    check_tabular_config()
    check_image_config()
except ValueError as error:
    sys.exit(str(error))


def tabular_file_input(wildcards):
    spec = TABULAR["files"].get(wildcards.dataset)
    return [spec["path"]] if spec else []


def image_size(dataset):
    return IMAGE["image_size"].get(dataset, DEFAULT_IMAGE_SIZE.get(dataset, 32))


def image_imbalance(dataset):
    return imbalance_of(dataset, IMAGE["imbalance"])


def image_setting(dataset, key, arch=None):
    """A setting of the image study, with the dataset's image.per_dataset override applied,
    then (given ``arch``) the architecture's image.per_arch override."""
    override = IMAGE["per_dataset"].get(dataset, {}).get(key)
    if isinstance(override, dict):
        value = {**IMAGE[key], **override}
    else:
        value = IMAGE[key] if override is None else override
    arch_override = IMAGE.get("per_arch", {}).get(arch, {}).get(key) if arch else None
    return {**value, **arch_override} if isinstance(arch_override, dict) else value


def image_train_params(dataset, method, arch=None):
    """Only the settings this training uses (the registry's spec.settings, always all of
    them), so a config edit reruns just what it affects; a config sampler's entry too."""
    entry = IMAGE_METHODS.get(method, method)
    params = {
        "train": image_setting(dataset, "train", arch),
        **config_settings(entry, IMAGE, "image"),
    }
    if "eos_k" in params:
        params["eos_k"] = params["eos_k"][:1]  # pixel-space EOS uses the first K
    if isinstance(entry, dict):
        params["methods"] = [entry]
    return params


def image_latent_params():
    """The latent samplers, the head settings and every setting those samplers use."""
    entries = list(IMAGE_LATENT_METHODS.values())
    return {
        "latent_methods": entries,
        "head": IMAGE["head"],
        **config_settings_of(entries, IMAGE, "image"),
    }


def image_cut_path(wildcards):
    kind = "balanced" if wildcards.method == "Balanced" else "imbalanced"
    return f"results/image/{wildcards.dataset}/cut{wildcards.cut}/{kind}.pt"


def image_runs(dataset):
    """(arch, loss, method) of every end-to-end training, and (arch, loss) of latent runs."""
    archs = image_setting(dataset, "archs")
    trained = {(a, l, "Base") for a in archs for l in IMAGE["losses"]}
    trained |= {(a, l, m) for a in archs for l in IMAGE["input_losses"] for m in IMAGE_METHODS}
    latent = {(a, l) for a in archs for l in IMAGE["losses"]} if IMAGE["latent_methods"] else set()
    return sorted(trained), sorted(latent)


def image_metrics_paths():
    paths = []
    for dataset in IMAGE["datasets"]:
        trained, latent = image_runs(dataset)
        for cut in IMAGE["cuts"]:
            prefix = f"results/image/{dataset}/cut{cut}"
            paths += [f"{prefix}/{a}/{l}/{m}/metrics.parquet" for a, l, m in trained]
            paths += [f"{prefix}/{a}/{l}/latent/metrics.parquet" for a, l in latent]
    return paths


def final_targets():
    targets = []
    if TABULAR["datasets"]:
        targets += [
            "results/tables/tabular_accuracy.csv",
            "results/tables/tabular_accuracy.md",
        ]
    if IMAGE["datasets"]:
        targets += ["results/tables/image_accuracy.csv", "results/tables/image_accuracy.md"]
        targets += image_analysis_targets()  # workflow/rules/image_analysis.smk
    targets += analysis_targets()  # DA/CE tables of both studies (workflow/rules/analysis.smk)
    return targets
