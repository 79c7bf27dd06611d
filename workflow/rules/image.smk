# Image study: source data -> imbalanced cut -> end-to-end training (input-space methods)
# -> three-phase latent framework on the base models -> tables.


wildcard_constraints:
    cut=r"\d+",
    method="|".join(IMAGE_INPUT_METHODS),


# One job per dataset loads it once and draws every cut (cheap index selection), so the
# default study does not pay interpreter and torch start-up for each cut.
rule image_data:
    output:
        test="results/image/{dataset}/test.pt",
        cuts=expand("results/image/{{dataset}}/cut{cut}/{kind}.pt", cut=IMAGE["cuts"], kind=IMAGE_KINDS),
    params:
        root=IMAGE["root"],
        download=IMAGE["download"],
        path=lambda wc: IMAGE["folders"].get(wc.dataset),
        image_size=lambda wc: image_size(wc.dataset),
        imbalance=lambda wc: image_imbalance(wc.dataset),
        cuts=IMAGE["cuts"],
        kinds=IMAGE_KINDS,
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/image/{dataset}/data.log",
    script:
        "../scripts/image_data.py"


rule image_train:
    input:
        train=lambda wc: image_cut_path(wc),
        test="results/image/{dataset}/test.pt",
    output:
        model="results/image/{dataset}/cut{cut}/{arch}/{loss}/{method}/model.pt",
        log="results/image/{dataset}/cut{cut}/{arch}/{loss}/{method}/epochs.parquet",
        metrics="results/image/{dataset}/cut{cut}/{arch}/{loss}/{method}/metrics.parquet",
        provenance="results/image/{dataset}/cut{cut}/{arch}/{loss}/{method}/provenance.parquet",
    params:
        train=lambda wc: image_train_params(wc.dataset, wc.method),
        seed=config["seed"],
        device=config["device"],
    threads: 1
    resources:
        gpu=1,
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/image/{dataset}/cut{cut}/{arch}/{loss}/{method}.log",
    script:
        "../scripts/image_train.py"


rule image_latent:
    input:
        model="results/image/{dataset}/cut{cut}/{arch}/{loss}/Base/model.pt",
        train="results/image/{dataset}/cut{cut}/imbalanced.pt",
        test="results/image/{dataset}/test.pt",
    output:
        metrics="results/image/{dataset}/cut{cut}/{arch}/{loss}/latent/metrics.parquet",
        features="results/image/{dataset}/cut{cut}/{arch}/{loss}/latent/features.pt",
        heads="results/image/{dataset}/cut{cut}/{arch}/{loss}/latent/heads.pt",
    params:
        latent={k: IMAGE[k] for k in ("latent_methods", "k_neighbors", "eos_k", "head")},
        seed=config["seed"],
        device=config["device"],
    threads: 1
    resources:
        gpu=1,
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/image/{dataset}/cut{cut}/{arch}/{loss}/latent.log",
    script:
        "../scripts/image_latent.py"


rule image_table:
    input:
        image_metrics_paths(),
    output:
        csv="results/tables/image_accuracy.csv",
        md="results/tables/image_accuracy.md",
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/tables/image_accuracy.log",
    script:
        "../scripts/image_table.py"
