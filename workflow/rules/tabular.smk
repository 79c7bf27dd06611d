# DA paper tabular study in stages, one job per dataset and stage (all splits in one job):
#   tabular_data -> tabular_resample -> tabular_fit (per classifier) -> tabular_latent (NN)
#   -> tabular_evaluate (per classifier) -> tabular_analysis (per classifier) -> tables/figures
# A split is seconds of work, so a job per split would spend much of its time starting Python
# and importing torch/skops (see README, "Tabular stages"). Each rule's params hold only the
# settings its jobs use, so adding a dataset or changing one method's setting reruns only the
# jobs that depend on it.


include: "tabular_common.smk"


rule tabular_data:
    input:
        tabular_file_input,
    output:
        data=f"{TAB}/data.parquet",
        partition=f"{TAB}/partition.parquet",
    params:
        source=dataset_source,
        n_splits=TABULAR["n_splits"],
        test_size=TABULAR["test_size"],
    threads: 1
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/tabular/{dataset}/data.log",
    script:
        "../scripts/tabular_data.py"


rule tabular_resample:
    input:
        data=f"{TAB}/data.parquet",
        partition=f"{TAB}/partition.parquet",
    output:
        resampled=per_split(f"{TAB}/split{{split}}/resampled.parquet"),
        status=f"{TAB}/resampling.parquet",
    params:
        methods=TABULAR["methods"],
        settings=method_settings(TABULAR["methods"]),
        seed=config["seed"],
    threads: 1
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/tabular/{dataset}/resample.log",
    script:
        "../scripts/tabular_resample.py"


rule tabular_fit:
    input:
        resampled=per_split(f"{TAB}/split{{split}}/resampled.parquet"),
        status=f"{TAB}/resampling.parquet",
    output:
        models=f"{TAB}/models/{{classifier}}.skops",
        fits=f"{TAB}/models/{{classifier}}_fits.parquet",
    wildcard_constraints:
        classifier=r"SVM|LG",
    threads: 1
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/tabular/{dataset}/fit_{classifier}.log",
    script:
        "../scripts/tabular_fit.py"


rule tabular_fit_nn:
    input:
        resampled=per_split(f"{TAB}/split{{split}}/resampled.parquet"),
        status=f"{TAB}/resampling.parquet",
        data=f"{TAB}/data.parquet",
        partition=f"{TAB}/partition.parquet",
    output:
        models=f"{TAB}/models/NN.pt",
        fits=f"{TAB}/models/NN_fits.parquet",
    params:
        methods=nn_fit_methods(),
        nn={k: v for k, v in TABULAR["nn"].items() if k != "head_epochs"},
        seed=config["seed"],
    threads: 1
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/tabular/{dataset}/fit_NN.log",
    script:
        "../scripts/tabular_fit.py"


rule tabular_latent:
    input:
        data=f"{TAB}/data.parquet",
        partition=f"{TAB}/partition.parquet",
        models=f"{TAB}/models/NN.pt",
    output:
        resampled=per_split(f"{TAB}/split{{split}}/latent_resampled.parquet"),
        heads=f"{TAB}/models/NN_latent.pt",
        status=f"{TAB}/latent.parquet",
    params:
        latent_methods=TABULAR["latent_methods"],
        settings=method_settings(TABULAR["latent_methods"]),
        head_epochs=TABULAR["nn"]["head_epochs"],
        seed=config["seed"],
    threads: 1
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/tabular/{dataset}/latent.log",
    script:
        "../scripts/tabular_latent.py"


rule tabular_evaluate:
    input:
        unpack(evaluate_input),
    output:
        f"{TAB}/metrics/{{classifier}}.parquet",
    threads: 1
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/tabular/{dataset}/evaluate_{classifier}.log",
    script:
        "../scripts/tabular_evaluate.py"


# One analysis job per dataset and classifier, reading only stored artifacts (no retraining).
rule tabular_analysis_svm:
    input:
        unpack(analysis_rule_input("SVM")),
    output:
        **analysis_outputs("SVM"),
    params:
        classifier="SVM",
    threads: 1
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/tabular/{dataset}/analysis_SVM.log",
    script:
        "../scripts/tabular_analysis.py"


rule tabular_analysis_lg:
    input:
        unpack(analysis_rule_input("LG")),
    output:
        **analysis_outputs("LG"),
    params:
        classifier="LG",
    threads: 1
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/tabular/{dataset}/analysis_LG.log",
    script:
        "../scripts/tabular_analysis.py"


rule tabular_analysis_nn:
    input:
        unpack(analysis_rule_input("NN")),
    output:
        **analysis_outputs("NN"),
    params:
        classifier="NN",
    threads: 1
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/tabular/{dataset}/analysis_NN.log",
    script:
        "../scripts/tabular_analysis.py"


rule tabular_table:
    input:
        tabular_metrics_paths(),
    output:
        csv=report("results/tables/tabular_accuracy.csv", caption="../report/tabular_accuracy.rst", category="Tables"),
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
        report(f"results/figures/tabular_accuracy.{FIGURE_FORMAT}", caption="../report/tabular_accuracy_figure.rst", category="Figures"),
    conda:
        "../../envs/imbaug.yaml"
    log:
        "results/logs/figures/tabular_accuracy.log",
    script:
        "../scripts/tabular_figure.py"
