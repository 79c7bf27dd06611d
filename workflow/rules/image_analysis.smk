# Image analyses (DA paper Fig 10, Tables VIII, XI; EOS paper Figs 3-7, Table IV, V-E2; CE
# paper Figs 1, 4-7), from stored artifacts only - no job here trains a network.
#   image_analysis (per dataset, cut, arch: every model's weights, saliency, FE gaps, CE)
#   -> tables (all datasets) and figures (per dataset and arch, one job per figure, so a
#   deleted figure is rebuilt by its own job alone); image_tsne reads FE directly.

import re

ANALYSIS = "results/image/{dataset}/cut{cut}/{arch}/analysis"
IMAGE_ANALYSES = ["head_norms", "weight_change", "top_k_overlap", "generalization_gap",
                  "embeddings", "embedding_profile"]
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
    return {"test": f"results/image/{wc.dataset}/test.pt",
            "models": [f"{prefix}/{l}/{m}/model.pt" for l, m in runs],
            "features": [f"{prefix}/{l}/{m}/features.pt" for l, m in runs],
            "heads": [f"{prefix}/{l}/latent/heads.pt" for l in latent],
            "sets": [f"{prefix}/{l}/latent/resampled.pt" for l in latent]}


rule image_analysis:
    input:
        unpack(image_analysis_input),
    output:
        **{name: f"{ANALYSIS}/{name}.parquet" for name in IMAGE_ANALYSES},
    params:
        runs=lambda wc: cut_runs(wc.dataset, wc.arch)[0],
        latent_losses=lambda wc: cut_runs(wc.dataset, wc.arch)[1],
        reference_loss=REFERENCE_LOSS,
        top_fraction=IMAGE["saliency_top_fraction"],
        device=config["device"],
    threads: 1
    resources:
        gpu=1,
        mem_mb=mem_mb_from_input("gpu"),  # resources.smk
        runtime=network_runtime(lambda wildcards: 1),
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/image/{dataset}/cut{cut}/{arch}/analysis.log",
    script:
        "../scripts/image_analysis.py"


def image_analysis_files(name, dataset=None, arch=None):
    """Per-cut tables ``name`` of one dataset/arch, or of the whole study. H3's DA-paper
    tables (weight_change, top_k_overlap) take the CNN rows from these files."""
    paths = []
    for d in [dataset] if dataset else IMAGE["datasets"]:
        for a in [arch] if arch else image_archs(d):
            paths += expand(f"{ANALYSIS}/{name}.parquet", dataset=d, cut=IMAGE["cuts"], arch=a)
    return paths


rule image_analysis_tables:
    input:
        gaps=image_analysis_files("generalization_gap"),
        embeddings=image_analysis_files("embeddings"),
    output:
        gaps=report("results/tables/generalization_gap.csv", caption="../report/image_generalization_gap_table.rst",
                    category="Image analyses"),
        embeddings=report("results/tables/image_classification_embeddings.csv",
                          caption="../report/image_classification_embeddings_table.rst", category="Image analyses"),
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/tables/image_analysis.log",
    script:
        "../scripts/image_analysis_tables.py"


rule image_wall_time:
    input:
        image_metrics_paths(),
    output:
        csv=report("results/tables/image_wall_time.csv", caption="../report/image_wall_time.rst",
                   category="Image analyses"),
        md="results/tables/image_wall_time.md",
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/tables/image_wall_time.log",
    script:
        "../scripts/image_wall_time.py"


def per_cut_latent(pattern):
    def files(wc):
        _, latent = cut_runs(wc.dataset, wc.arch)
        return expand(pattern, dataset=wc.dataset, arch=wc.arch, cut=IMAGE["cuts"], loss=latent)
    return files


# figure name -> (its inputs, EOS/DA/CE paper item it shows); one rule per figure.
IMAGE_FIGURES = {
    "generalization_gap": lambda wc: image_analysis_files("generalization_gap", wc.dataset, wc.arch)
    + image_analysis_files("head_norms", wc.dataset, wc.arch),
    "generalization_gap_tp_fp": lambda wc: image_analysis_files("generalization_gap", wc.dataset, wc.arch),
    "head_weight_norms": lambda wc: image_analysis_files("head_norms", wc.dataset, wc.arch),
    "saliency_overlap": lambda wc: image_analysis_files("top_k_overlap", wc.dataset, wc.arch),
    "classification_embeddings": lambda wc: image_analysis_files("embeddings", wc.dataset, wc.arch)
    + image_analysis_files("embedding_profile", wc.dataset, wc.arch),
    "head_retraining_curve": per_cut_latent("results/image/{dataset}/cut{cut}/{arch}/{loss}/latent/head_curve.parquet"),
    "eos_k_sweep": per_cut_latent("results/image/{dataset}/cut{cut}/{arch}/{loss}/latent/metrics.parquet"),
}


def image_figures():
    """The figures this config can draw (each needs its runs to exist)."""
    figures = ["head_weight_norms", "generalization_gap", "generalization_gap_tp_fp",
               "classification_embeddings"]
    if len(IMAGE["losses"]) > 1 or IMAGE_METHODS or IMAGE_LATENT_METHODS:
        figures.append("saliency_overlap")  # needs a run besides the reference Base
    if IMAGE_LATENT_METHODS and IMAGE["head_curve_epochs"]:
        figures.append("head_retraining_curve")
    if "EOS" in IMAGE_LATENT_METHODS and len(IMAGE["eos_k"]) > 1:
        figures.append("eos_k_sweep")
    if "EOS" in IMAGE_LATENT_METHODS:
        figures.append("tsne")
    return figures


for _figure, _inputs in IMAGE_FIGURES.items():

    rule:
        name:
            f"image_figure_{_figure}"
        input:
            _inputs,
        output:
            report(f"results/figures/{{dataset}}_{{arch}}_{_figure}.{IMAGE_FIGURE_FORMAT}",
                   caption=f"../report/image_{_figure}.rst", category="Image analyses",
                   subcategory="{dataset} {arch}"),
        wildcard_constraints:
            dataset=IMAGE_DATASET_RE,
            arch=IMAGE_ARCH_RE,
        params:
            figure=_figure,
            reference_loss=REFERENCE_LOSS,
            kept_epochs=IMAGE["head"]["epochs"],
        conda:
            "../../envs/imbaug.yaml"
        log:
            f"results/logs/figures/{{dataset}}_{{arch}}_{_figure}.log",
        script:
            "../scripts/image_figure.py"


def image_tsne_input(wc):
    cut, loss = IMAGE["cuts"][0], IMAGE["tsne"].get("loss") or REFERENCE_LOSS
    run = f"results/image/{wc.dataset}/cut{cut}/{wc.arch}/{loss}"
    return {"features": f"{run}/Base/features.pt", "sets": f"{run}/latent/resampled.pt",
            "test": f"results/image/{wc.dataset}/test.pt"}


# EOS paper Fig 6 on the first cut: t-SNE is seconds to minutes of CPU work, not per cut.
rule image_tsne:
    input:
        unpack(image_tsne_input),
    output:
        report(f"results/figures/{{dataset}}_{{arch}}_tsne.{IMAGE_FIGURE_FORMAT}",
               caption="../report/image_tsne.rst", category="Image analyses", subcategory="{dataset} {arch}"),
    wildcard_constraints:
        dataset=IMAGE_DATASET_RE,
        arch=IMAGE_ARCH_RE,
    params:
        classes=lambda wc: IMAGE["tsne"]["classes"].get(wc.dataset),
        max_points=IMAGE["tsne"]["max_points"],
        loss=IMAGE["tsne"].get("loss") or REFERENCE_LOSS,
        cut=IMAGE["cuts"][0] if IMAGE["cuts"] else 0,
        seed=config["seed"],
    threads: 1
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/figures/{dataset}_{arch}_tsne.log",
    script:
        "../scripts/image_tsne.py"


def image_analysis_targets():
    """Every image analysis table and figure of the study (final targets)."""
    if not IMAGE["datasets"] or not IMAGE["losses"]:
        return []
    targets = ["results/tables/generalization_gap.csv", "results/tables/image_classification_embeddings.csv",
               "results/tables/image_wall_time.csv", "results/tables/image_wall_time.md"]
    for dataset in IMAGE["datasets"]:
        for arch in image_archs(dataset):
            targets += [f"results/figures/{dataset}_{arch}_{figure}.{IMAGE_FIGURE_FORMAT}"
                        for figure in image_figures()]
    return targets
