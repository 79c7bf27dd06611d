# DA paper tabular study: per dataset (load, check, then per split resample, fit, score)
# -> tables and Fig 1.


wildcard_constraints:
    dataset=r"[A-Za-z0-9_\-]+",


# One job per dataset loads and checks it, then runs every split: a split is seconds of
# work, so separate jobs would spend much of their time starting Python and importing.
rule tabular_run:
    input:
        tabular_file_input,
    output:
        data="results/tabular/{dataset}/data.parquet",
        metrics=expand(
            "results/tabular/{{dataset}}/split{split}/metrics.parquet",
            split=range(TABULAR["n_splits"]),
        ),
        provenance=expand(
            "results/tabular/{{dataset}}/split{split}/provenance.parquet",
            split=range(TABULAR["n_splits"]),
        ),
    params:
        tabular=TABULAR,
        seed=config["seed"],
    threads: 1
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/tabular/{dataset}/run.log",
    script:
        "../scripts/tabular_run.py"


rule tabular_table:
    input:
        expand(
            "results/tabular/{dataset}/split{split}/metrics.parquet",
            dataset=TABULAR["datasets"],
            split=range(TABULAR["n_splits"]),
        ),
    output:
        csv="results/tables/tabular_accuracy.csv",
        md="results/tables/tabular_accuracy.md",
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/tables/tabular_accuracy.log",
    script:
        "../scripts/tabular_table.py"


rule tabular_figure:
    input:
        "results/tables/tabular_accuracy.csv",
    output:
        "results/figures/tabular_accuracy.png",
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/figures/tabular_accuracy.log",
    script:
        "../scripts/tabular_figure.py"
