# Analysis tables and figures of the DA and CE papers (functions and IMAGE_ANALYSIS_INPUTS in
# tabular_common.smk).


# results/tables/classification_embeddings.csv is this file's table (tabular + IMAGE_ANALYSIS_INPUTS);
# until image_analysis.smk stops declaring it too, this rule wins (see /work/coord/NOTES-H3.md).
ruleorder: analysis_tables > image_analysis_tables


# One job builds every tidy analysis table: each is a seconds-long aggregation, and they
# read the same per-dataset files, so separate jobs would mostly start Python.
rule analysis_tables:
    input:
        **{name: analysis_runs(name) for name in ANALYSIS_RUNS},
    output:
        **{
            table: report(
                f"results/tables/{table}.csv",
                caption="../report/analysis_table.rst",
                category="Tables",
            )
            for table in ANALYSIS_TABLES
        },
    log:
        "results/logs/tables/analysis_tables.log",
    conda:
        "../../envs/imbaug.yaml"
    params:
        tables=ANALYSIS_TABLES,
    script:
        "../scripts/analysis_table.py"


rule figures_support_vectors:
    input:
        "results/tables/support_vectors.csv",
    output:
        **{
            name: report(
                figure(name),
                caption="../report/support_vectors.rst",
                category="Figures",
                subcategory="SVM support vectors (DA paper Figs 2-6)",
            )
            for name in SV_FIGURES
        },
    log:
        "results/logs/figures/support_vectors.log",
    conda:
        "../../envs/imbaug.yaml"
    params:
        figures=SV_FIGURES,
    script:
        "../scripts/analysis_figures.py"


rule figures_weight_norms:
    input:
        "results/tables/weight_change.csv",
    output:
        lg=report(
            figure("da_fig7_lg_weight_norms"),
            caption="../report/weight_norms.rst",
            category="Figures",
            subcategory="Weights (DA paper Figs 7-9)",
        ),
        nn_majority=report(
            figure("da_fig8_nn_majority_weight_norms"),
            caption="../report/weight_norms.rst",
            category="Figures",
            subcategory="Weights (DA paper Figs 7-9)",
        ),
        nn_minority=report(
            figure("da_fig9_nn_minority_weight_norms"),
            caption="../report/weight_norms.rst",
            category="Figures",
            subcategory="Weights (DA paper Figs 7-9)",
        ),
    log:
        "results/logs/figures/weight_norms.log",
    conda:
        "../../envs/imbaug.yaml"
    script:
        "../scripts/analysis_figures.py"


rule figures_top_features:
    input:
        "results/tables/top_features.csv",
    output:
        [
            report(
                f"results/figures/top5_features_{{classifier}}_{dataset}.{FIGURE_FORMAT}",
                caption="../report/top_features.rst",
                category="Figures",
                subcategory="Top-5 features (DA paper Figs 11-12)",
            )
            for dataset in TABULAR["datasets"]
        ],
    log:
        "results/logs/figures/top5_features_{classifier}.log",
    conda:
        "../../envs/imbaug.yaml"
    params:
        datasets=TABULAR["datasets"],
    script:
        "../scripts/analysis_figures.py"


rule figures_embeddings:
    input:
        summary="results/tables/classification_embeddings.csv",
        profiles="results/tables/embedding_profiles.csv",
    output:
        **{
            name: report(
                f"results/figures/ce_{name}_{{classifier}}.{FIGURE_FORMAT}",
                caption="../report/embeddings.rst",
                category="Figures",
                subcategory="Classification embeddings (CE paper Figs 2-7)",
            )
            for name in CE_FIGURES
        },
    log:
        "results/logs/figures/embeddings_{classifier}.log",
    wildcard_constraints:
        classifier="LG|SVM|CNN",
    conda:
        "../../envs/imbaug.yaml"
    script:
        "../scripts/analysis_figures.py"


rule paper_comparison:
    input:
        accuracy="results/tables/tabular_accuracy.csv",
        weight_change="results/tables/weight_change.csv" if ANALYSIS_CLASSIFIERS["weights"] else [],
        top_k_overlap="results/tables/top_k_overlap.csv" if ANALYSIS_CLASSIFIERS["top_k"] else [],
    output:
        report(
            "results/tables/paper_comparison.csv",
            caption="../report/paper_comparison.rst",
            category="Tables",
        ),
    log:
        "results/logs/tables/paper_comparison.log",
    conda:
        "../../envs/imbaug.yaml"
    script:
        "../scripts/analysis_comparison.py"


rule significance:
    input:
        tabular_metrics_paths(),
    output:
        table=report(
            "results/tables/significance.csv",
            caption="../report/significance.rst",
            category="Tables",
        ),
        figures=[
            report(
                f"results/figures/critical_difference_{c}.{FIGURE_FORMAT}",
                caption="../report/significance.rst",
                category="Figures",
                subcategory="Significance",
            )
            for c in TABULAR["classifiers"]
        ],
    log:
        "results/logs/tables/significance.log",
    conda:
        "../../envs/imbaug.yaml"
    params:
        classifiers=TABULAR["classifiers"],
    script:
        "../scripts/analysis_significance.py"
