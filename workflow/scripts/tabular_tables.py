"""Aggregate the split metrics into DA paper Tables III-IV (CSV and Markdown), and test the
methods: Wilcoxon (vs Base and ROS, Holm) and Friedman tests per classifier, with
critical-difference diagrams of the methods' mean ranks over (dataset, split) blocks."""

import pandas as pd

from imbaug.analysis.significance import blocks, critical_difference_figure, significance_table
from imbaug.analysis.tables import tabular_accuracy, tabular_accuracy_markdown
from imbaug.io import atomic_path, job_log, read_parquet, write_csv, write_text

output = snakemake.output
with job_log(snakemake.log[0]) as log:
    metrics = pd.concat([read_parquet(path) for path in snakemake.input], ignore_index=True)
    table = tabular_accuracy(metrics)
    write_csv(table, output.csv)
    write_text(tabular_accuracy_markdown(table), output.md)

    inputs = metrics[metrics["space"] == "input"] if "space" in metrics else metrics
    write_csv(significance_table(inputs), output.significance)
    for classifier, path in zip(snakemake.params.classifiers, output.critical_difference):
        matrix = blocks(inputs, classifier)
        log.info("%s: %d blocks x %d methods", classifier, *matrix.shape)
        with atomic_path(path) as tmp:
            critical_difference_figure(
                matrix,
                f"{classifier}: methods ranked by balanced accuracy "
                f"({matrix.shape[0]} dataset x split blocks)",
                tmp,
            )
