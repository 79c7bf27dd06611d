# Image analyses (DA paper Fig 10, Tables VIII, XI; EOS paper Figs 3-7, Table IV, V-E2; CE
# paper Figs 1, 4-7), from stored artifacts only - no job here trains a network.
#   image_analysis (per dataset, cut, arch: every model's weights, saliency, FE gaps, CE)
#   -> tables (all datasets) and figures (one job per dataset and arch draws them all, so a
#   deleted figure is rebuilt by that job alone, never a training); image_tsne reads FE.


include: "image_analysis_common.smk"


rule image_analysis:
    input:
        unpack(image_analysis_input),
    output:
        **{name: f"{ANALYSIS}/{name}.parquet" for name in IMAGE_ANALYSES},
    log:
        "results/logs/image/{dataset}/cut{cut}/{arch}/analysis.log",
    conda:
        "../../envs/imbaug.yaml"
    threads: 1
    resources:
        gpu=1,
        mem_mb=mem_mb_from_input("gpu"),  # resources.smk
        runtime=network_runtime(lambda wildcards: 1),
    params:
        runs=lambda wc: cut_runs(wc.dataset, wc.arch)[0],
        latent_losses=lambda wc: cut_runs(wc.dataset, wc.arch)[1],
        reference_loss=REFERENCE_LOSS,
        top_fraction=IMAGE["saliency_top_fraction"],
        da_classifier=da_classifier,
        device=config["device"],
    script:
        "../scripts/image_analysis.py"


rule image_analysis_tables:
    input:
        gaps=image_analysis_files("generalization_gap"),
        embeddings=image_analysis_files("embeddings"),
    output:
        gaps=report(
            "results/tables/generalization_gap.csv",
            caption="../report/image_generalization_gap_table.rst",
            category="Image analyses",
        ),
        embeddings=report(
            "results/tables/image_classification_embeddings.csv",
            caption="../report/image_classification_embeddings_table.rst",
            category="Image analyses",
        ),
    log:
        "results/logs/tables/image_analysis.log",
    conda:
        "../../envs/imbaug.yaml"
    script:
        "../scripts/image_analysis_tables.py"


# One job draws every figure of a dataset and architecture from its analysis tables (a second
# each; separate jobs would mostly start Python). Deleting one reruns this job alone.
rule image_figures:
    input:
        image_figure_inputs,
    output:
        [
            report(
                f"results/figures/{{dataset}}_{{arch}}_{name}.{IMAGE_FIGURE_FORMAT}",
                caption=f"../report/image_{name}.rst",
                category="Image analyses",
                subcategory="{dataset} {arch}",
            )
            for name in IMAGE_FIGURE_NAMES
        ],
    log:
        "results/logs/figures/{dataset}_{arch}_figures.log",
    wildcard_constraints:
        dataset=IMAGE_DATASET_RE,
        arch=IMAGE_ARCH_RE,
    conda:
        "../../envs/imbaug.yaml"
    params:
        figures=IMAGE_FIGURE_NAMES,
        reference_loss=REFERENCE_LOSS,
        kept_epochs=IMAGE["head"]["epochs"],
    script:
        "../scripts/image_figure.py"


# EOS paper Fig 6 on the first cut: t-SNE is seconds to minutes of CPU work, not per cut.
rule image_tsne:
    input:
        unpack(image_tsne_input),
    output:
        report(
            f"results/figures/{{dataset}}_{{arch}}_tsne.{IMAGE_FIGURE_FORMAT}",
            caption="../report/image_tsne.rst",
            category="Image analyses",
            subcategory="{dataset} {arch}",
        ),
    log:
        "results/logs/figures/{dataset}_{arch}_tsne.log",
    wildcard_constraints:
        dataset=IMAGE_DATASET_RE,
        arch=IMAGE_ARCH_RE,
    conda:
        "../../envs/imbaug.yaml"
    threads: 1
    params:
        classes=lambda wc: IMAGE["tsne"]["classes"].get(wc.dataset),
        max_points=IMAGE["tsne"]["max_points"],
        loss=IMAGE["tsne"].get("loss") or REFERENCE_LOSS,
        cut=IMAGE["cuts"][0] if IMAGE["cuts"] else 0,
        seed=config["seed"],
    script:
        "../scripts/image_tsne.py"
