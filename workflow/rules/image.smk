# Image study in stages, each a rule exchanging stored artifacts:
#   image_data (source + test, per dataset) -> image_cut (per cut and kind)
#   -> image_train (end-to-end, per loss and input-space method; also writes the model's FE)
#   -> image_latent (CPU, per cut/arch/loss: every latent sampler on the Base FE, then
#      head-only retraining on each balanced FE set)
#   -> image_tables; analyses in image_analysis.smk.
# Granularity: a job per training (the expensive, GPU part), one latent job per base model
# covering all latent methods (seconds of work), so per-job start-up (Python + torch
# imports) stays a small share of the default study (README).


wildcard_constraints:
    cut=r"\d+",
    method="|".join(IMAGE_INPUT_METHODS),
    kind=r"imbalanced|balanced",


IMG = "results/image/{dataset}"
RUN = "results/image/{dataset}/cut{cut}/{arch}/{loss}"


# One job per dataset loads the source once; cuts are drawn from its stored copy, so adding a
# cut (or Balanced) adds cut jobs and never rewrites an existing cut file.
rule image_data:
    output:
        source=f"{IMG}/source.pt",
        test=f"{IMG}/test.pt",
        normalization=f"{IMG}/normalization.json",  # fixed input scaling of every training
    log:
        "results/logs/image/{dataset}/data.log",
    priority: LONG_CHAIN_PRIORITY
    conda:
        "../../envs/imbaug.yaml"
    params:
        root=IMAGE["root"],
        download=IMAGE["download"],
        path=lambda wc: IMAGE["folders"].get(wc.dataset),
        # a user tree's files: adding, replacing or removing an image reruns this job
        tree_signature=lambda wc: image_tree_signature(wc.dataset),
        image_size=lambda wc: image_size(wc.dataset),
        test_per_class=lambda wc: image_imbalance(wc.dataset).get("test_per_class"),
    script:
        "../scripts/image_data.py"


rule image_cut:
    input:
        source=f"{IMG}/source.pt",
    output:
        f"{IMG}/cut{{cut}}/{{kind}}.pt",
    log:
        "results/logs/image/{dataset}/cut{cut}/{kind}.log",
    priority: LONG_CHAIN_PRIORITY
    conda:
        "../../envs/imbaug.yaml"
    params:
        imbalance=lambda wc: {
            k: v for k, v in image_imbalance(wc.dataset).items() if k != "test_per_class"
        },
    script:
        "../scripts/image_cut.py"


rule image_train:
    input:
        train=lambda wc: image_cut_path(wc),
        test=f"{IMG}/test.pt",
        normalization=f"{IMG}/normalization.json",
    output:
        model=f"{RUN}/{{method}}/model.pt",
        log=f"{RUN}/{{method}}/epochs.parquet",
        metrics=f"{RUN}/{{method}}/metrics.parquet",
        provenance=f"{RUN}/{{method}}/provenance.parquet",
        features=f"{RUN}/{{method}}/features.pt",
    log:
        "results/logs/image/{dataset}/cut{cut}/{arch}/{loss}/{method}.log",
    priority: LONG_CHAIN_PRIORITY
    conda:
        "../../envs/imbaug.yaml"
    threads: 1
    resources:
        gpu=1,
        mem_mb=mem_mb_from_input("gpu", image_train_growth),  # resources.smk
        runtime=image_train_runtime,
    params:
        train=lambda wc: image_train_params(wc.dataset, wc.method, wc.arch),
        seed=config["seed"],
        device=config["device"],
    script:
        "../scripts/image_train.py"


# Phases 2 and 3 of the three-phase framework in one CPU job per base model: every latent
# sampler on the Base FE (nearest neighbours), then a copy of the Base head retrained on each
# balanced FE set (each set and head stored). A linear layer on stored FE is seconds of CPU
# work, less than a GPU job's start, so neither phase asks for a GPU (as in tabular_latent).
rule image_latent:
    input:
        model=f"{RUN}/Base/model.pt",
        features=f"{RUN}/Base/features.pt",
        test=f"{IMG}/test.pt",
    output:
        sets=f"{RUN}/latent/resampled.pt",
        provenance=f"{RUN}/latent/provenance.parquet",
        heads=f"{RUN}/latent/heads.pt",
        metrics=f"{RUN}/latent/metrics.parquet",
        curve=f"{RUN}/latent/head_curve.parquet",
    log:
        "results/logs/image/{dataset}/cut{cut}/{arch}/{loss}/latent.log",
    conda:
        "../../envs/imbaug.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_from_input("cpu", lambda wildcards: OVERSAMPLED_GROWTH),  # resources.smk
        runtime=runtime_from_input,
    params:
        latent=image_latent_params(),
        curve_epochs=IMAGE["head_curve_epochs"],
        seed=config["seed"],
    script:
        "../scripts/image_latent.py"


# Both image tables read every training's and head's metrics: one job writes them.
rule image_tables:
    input:
        image_metrics_paths(),
    output:
        csv="results/tables/image_accuracy.csv",
        md="results/tables/image_accuracy.md",
        wall_time=report(
            "results/tables/image_wall_time.csv",
            caption="../report/image_wall_time.rst",
            category="Image analyses",
        ),
        wall_time_md="results/tables/image_wall_time.md",
    log:
        "results/logs/tables/image_tables.log",
    conda:
        "../../envs/imbaug.yaml"
    script:
        "../scripts/image_tables.py"
