# DA paper tabular study: data -> per split (resample, fit, score) -> tables and Fig 1.


wildcard_constraints:
    dataset=r"[A-Za-z0-9_\-]+",
    split=r"\d+",


rule tabular_data:
    input:
        tabular_file_input,
    output:
        "results/tabular/{dataset}/data.parquet",
    params:
        tabular=TABULAR,
        seed=config["seed"],
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/tabular/{dataset}/data.log",
    script:
        "../scripts/tabular_data.py"


rule tabular_split:
    input:
        "results/tabular/{dataset}/data.parquet",
    output:
        metrics="results/tabular/{dataset}/split{split}/metrics.parquet",
        provenance="results/tabular/{dataset}/split{split}/provenance.parquet",
    params:
        tabular=TABULAR,
        seed=config["seed"],
    threads: 1
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/tabular/{dataset}/split{split}.log",
    script:
        "../scripts/tabular_split.py"


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
