# DA paper tabular study in stages, one job per dataset and stage (all splits in one job):
#   tabular_data -> tabular_resample -> tabular_fit (per classifier) -> tabular_latent (NN)
#   -> tabular_analysis (per classifier: metrics rows, then the analyses) -> tables/figures
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
    log:
        "results/logs/tabular/{dataset}/data.log",
    conda:
        "../../envs/imbaug.yaml"
    threads: 1
    params:
        source=dataset_source,
        n_splits=TABULAR["n_splits"],
        test_size=TABULAR["test_size"],
    script:
        "../scripts/tabular_data.py"


rule tabular_resample:
    input:
        data=f"{TAB}/data.parquet",
        partition=f"{TAB}/partition.parquet",
    output:
        resampled=per_split(f"{TAB}/split{{split}}/resampled.parquet"),
        status=f"{TAB}/resampling.parquet",
    log:
        "results/logs/tabular/{dataset}/resample.log",
    conda:
        "../../envs/imbaug.yaml"
    threads: 1
    params:
        methods=TABULAR["methods"],
        settings=method_settings(TABULAR["methods"]),
        seed=config["seed"],
    script:
        "../scripts/tabular_resample.py"


rule tabular_fit:
    input:
        resampled=per_split(f"{TAB}/split{{split}}/resampled.parquet"),
        status=f"{TAB}/resampling.parquet",
    output:
        models=f"{TAB}/models/{{classifier}}.skops",
        fits=f"{TAB}/models/{{classifier}}_fits.parquet",
    log:
        "results/logs/tabular/{dataset}/fit_{classifier}.log",
    wildcard_constraints:
        classifier=r"SVM|LG",
    conda:
        "../../envs/imbaug.yaml"
    threads: 1
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
    log:
        "results/logs/tabular/{dataset}/fit_NN.log",
    priority: LONG_CHAIN_PRIORITY
    conda:
        "../../envs/imbaug.yaml"
    threads: 1
    params:
        methods=nn_fit_methods(),
        settings=method_settings(nn_fit_methods()),
        nn={k: v for k, v in TABULAR["nn"].items() if k != "head_epochs"},
        seed=config["seed"],
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
    log:
        "results/logs/tabular/{dataset}/latent.log",
    conda:
        "../../envs/imbaug.yaml"
    threads: 1
    params:
        latent_methods=TABULAR["latent_methods"],
        settings=method_settings(TABULAR["latent_methods"]),
        head_epochs=TABULAR["nn"]["head_epochs"],
        seed=config["seed"],
    script:
        "../scripts/tabular_latent.py"


# Evaluation and analyses: one job per dataset and classifier scores every stored model on its
# split's test rows (metrics/{classifier}.parquet) and runs that classifier's analyses, reading
# only stored artifacts (no retraining). Both load the same models; one job loads them once.
rule tabular_analysis_svm:
    input:
        unpack(analysis_rule_input("SVM")),
    output:
        **analysis_outputs("SVM"),
    log:
        "results/logs/tabular/{dataset}/analysis_SVM.log",
    conda:
        "../../envs/imbaug.yaml"
    threads: 1
    params:
        classifier="SVM",
    script:
        "../scripts/tabular_analysis.py"


rule tabular_analysis_lg:
    input:
        unpack(analysis_rule_input("LG")),
    output:
        **analysis_outputs("LG"),
    log:
        "results/logs/tabular/{dataset}/analysis_LG.log",
    conda:
        "../../envs/imbaug.yaml"
    threads: 1
    params:
        classifier="LG",
    script:
        "../scripts/tabular_analysis.py"


rule tabular_analysis_nn:
    input:
        unpack(analysis_rule_input("NN")),
    output:
        **analysis_outputs("NN"),
    log:
        "results/logs/tabular/{dataset}/analysis_NN.log",
    conda:
        "../../envs/imbaug.yaml"
    threads: 1
    params:
        classifier="NN",
    script:
        "../scripts/tabular_analysis.py"


# The accuracy tables and the significance tests read the same metrics: one job writes them.
rule tabular_tables:
    input:
        tabular_metrics_paths(),
    output:
        csv=report(
            "results/tables/tabular_accuracy.csv",
            caption="../report/tabular_accuracy.rst",
            category="Tables",
        ),
        md="results/tables/tabular_accuracy.md",
        significance=report(
            "results/tables/significance.csv",
            caption="../report/significance.rst",
            category="Tables",
        ),
        critical_difference=[
            report(
                f"results/figures/critical_difference_{c}.{FIGURE_FORMAT}",
                caption="../report/significance.rst",
                category="Figures",
                subcategory="Significance",
            )
            for c in TABULAR["classifiers"]
        ],
    log:
        "results/logs/tables/tabular_tables.log",
    conda:
        "../../envs/imbaug.yaml"
    params:
        classifiers=TABULAR["classifiers"],
    script:
        "../scripts/tabular_tables.py"
