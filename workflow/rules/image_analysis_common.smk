# Functions and constants of the image analysis rules (workflow/rules/image_analysis.smk).

import re

ANALYSIS = "results/image/{dataset}/cut{cut}/{arch}/analysis"
IMAGE_ANALYSES = [
    "head_norms",
    "weight_change",
    "top_k_overlap",
    "generalization_gap",
    "embeddings",
    "embedding_profile",
    "classification_embeddings",  # the CE rows in the tabular layout (analysis_tables)
]
IMAGE_FIGURE_FORMAT = config.get("figure_format", "png")
REFERENCE_LOSS = "CE" if "CE" in IMAGE["losses"] else (IMAGE["losses"] or [None])[0]


def image_archs(dataset):
    return image_setting(dataset, "archs")


def _alternatives(values):
    return "|".join(re.escape(str(v)) for v in sorted(set(values), key=len, reverse=True)) or "(?!)"


IMAGE_DATASET_RE = _alternatives(IMAGE["datasets"])
IMAGE_ARCH_RE = _alternatives([a for d in IMAGE["datasets"] for a in image_archs(d)])


def cut_runs(dataset, arch):
    """(loss, method) of the cut's end-to-end trainings and the losses with latent heads."""
    trained, latent = image_runs(dataset)
    return [(l, m) for a, l, m in trained if a == arch], [l for a, l in latent if a == arch]


def image_analysis_input(wc):
    runs, latent = cut_runs(wc.dataset, wc.arch)
    prefix = f"results/image/{wc.dataset}/cut{wc.cut}/{wc.arch}"
    return {
        "test": f"results/image/{wc.dataset}/test.pt",
        "models": [f"{prefix}/{l}/{m}/model.pt" for l, m in runs],
        "features": [f"{prefix}/{l}/{m}/features.pt" for l, m in runs],
        "heads": [f"{prefix}/{l}/latent/heads.pt" for l in latent],
        "sets": [f"{prefix}/{l}/latent/resampled.pt" for l in latent],
    }


def image_analysis_files(name, dataset=None, arch=None):
    """Per-cut tables ``name`` of one dataset/arch, or of the whole study. H3's DA-paper
    tables (weight_change, top_k_overlap) take the CNN rows from these files."""
    paths = []
    for d in [dataset] if dataset else IMAGE["datasets"]:
        for a in [arch] if arch else image_archs(d):
            paths += expand(f"{ANALYSIS}/{name}.parquet", dataset=d, cut=IMAGE["cuts"], arch=a)
    return paths


def per_cut_latent(pattern):
    def files(wc):
        _, latent = cut_runs(wc.dataset, wc.arch)
        return expand(pattern, dataset=wc.dataset, arch=wc.arch, cut=IMAGE["cuts"], loss=latent)

    return files


# figure name -> its input tables; image_figures() below lists the figures of this config.
IMAGE_FIGURES = {
    "generalization_gap": lambda wc: image_analysis_files("generalization_gap", wc.dataset, wc.arch)
    + image_analysis_files("head_norms", wc.dataset, wc.arch),
    "generalization_gap_tp_fp": lambda wc: image_analysis_files(
        "generalization_gap", wc.dataset, wc.arch
    ),
    "head_weight_norms": lambda wc: image_analysis_files("head_norms", wc.dataset, wc.arch),
    "saliency_overlap": lambda wc: image_analysis_files("top_k_overlap", wc.dataset, wc.arch),
    "classification_embeddings": lambda wc: image_analysis_files("embeddings", wc.dataset, wc.arch)
    + image_analysis_files("embedding_profile", wc.dataset, wc.arch),
    "head_retraining_curve": per_cut_latent(
        "results/image/{dataset}/cut{cut}/{arch}/{loss}/latent/head_curve.parquet"
    ),
    "eos_k_sweep": per_cut_latent(
        "results/image/{dataset}/cut{cut}/{arch}/{loss}/latent/metrics.parquet"
    ),
}


def image_figures():
    """The figures this config can draw (each needs its runs to exist)."""
    figures = [
        "head_weight_norms",
        "generalization_gap",
        "generalization_gap_tp_fp",
        "classification_embeddings",
    ]
    if len(IMAGE["losses"]) > 1 or IMAGE_METHODS or IMAGE_LATENT_METHODS:
        figures.append("saliency_overlap")  # needs a run besides the reference Base
    if IMAGE_LATENT_METHODS and IMAGE["head_curve_epochs"]:
        figures.append("head_retraining_curve")
    if "EOS" in IMAGE_LATENT_METHODS and len(IMAGE["eos_k"]) > 1:
        figures.append("eos_k_sweep")
    if "EOS" in IMAGE_LATENT_METHODS:
        figures.append("tsne")
    return figures


def image_tsne_input(wc):
    cut, loss = IMAGE["cuts"][0], IMAGE["tsne"].get("loss") or REFERENCE_LOSS
    run = f"results/image/{wc.dataset}/cut{cut}/{wc.arch}/{loss}"
    return {
        "features": f"{run}/Base/features.pt",
        "sets": f"{run}/latent/resampled.pt",
        "test": f"results/image/{wc.dataset}/test.pt",
    }


# The figures the image_figures rule draws (t-SNE has its own rule: it reads FE, not tables).
IMAGE_FIGURE_NAMES = [name for name in image_figures() if name != "tsne"]


def image_figure_inputs(wc):
    """Every table the figures of one dataset and arch are drawn from (each file once)."""
    return list(dict.fromkeys(p for name in IMAGE_FIGURE_NAMES for p in IMAGE_FIGURES[name](wc)))


def image_analysis_targets():
    """Every image analysis table and figure of the study (final targets)."""
    if not IMAGE["datasets"] or not IMAGE["losses"]:
        return []
    targets = [
        "results/tables/generalization_gap.csv",
        "results/tables/image_classification_embeddings.csv",
        "results/tables/image_wall_time.csv",
        "results/tables/image_wall_time.md",
    ]
    for dataset in IMAGE["datasets"]:
        for arch in image_archs(dataset):
            targets += [
                f"results/figures/{dataset}_{arch}_{figure}.{IMAGE_FIGURE_FORMAT}"
                for figure in image_figures()
            ]
    return targets


# Rows with classifier CNN for the DA tables the tabular analyses build
# (results/tables/weight_change.csv, top_k_overlap.csv; hook in tabular_common.smk).
IMAGE_ANALYSIS_INPUTS["weights"] = image_analysis_files("weight_change")
IMAGE_ANALYSIS_INPUTS["top_k"] = image_analysis_files("top_k_overlap")
IMAGE_ANALYSIS_INPUTS["embeddings"] = image_analysis_files("classification_embeddings")


def da_classifier(wc):
    """The CNN's name in the DA/CE tables: ``CNN``, or ``CNN <arch>`` when the dataset is run
    with several architectures (their rows would otherwise be averaged together)."""
    return "CNN" if len(image_archs(wc.dataset)) == 1 else f"CNN {wc.arch}"
