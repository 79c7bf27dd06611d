# Analysis tables and figures of the DA and CE papers (functions and IMAGE_ANALYSIS_INPUTS in
# tabular_common.smk).


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


# One job draws every tabular figure: each is a second of plotting from the tidy tables, so
# separate jobs would mostly start Python and matplotlib. Deleting one figure reruns this job
# alone; `snakemake results/figures/<name>.png` names any of them.
rule tabular_figures:
    input:
        **tabular_figure_tables(),
    output:
        [
            report(
                path,
                caption=f"../report/{spec[0]}.rst",
                category="Figures",
                subcategory=FIGURE_SUBCATEGORIES[spec[0]],
            )
            for path, spec in tabular_figures().items()
        ],
    log:
        "results/logs/figures/tabular_figures.log",
    conda:
        "../../envs/imbaug.yaml"
    params:
        figures=tabular_figures(),
    script:
        "../scripts/analysis_figures.py"


rule paper_comparison:
    input:
        accuracy="results/tables/tabular_accuracy.csv" if TABULAR["datasets"] else [],
        image_accuracy="results/tables/image_accuracy.csv" if IMAGE["datasets"] else [],
        weight_change="results/tables/weight_change.csv" if analysis_runs("weights") else [],
        top_k_overlap="results/tables/top_k_overlap.csv" if analysis_runs("top_k") else [],
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
