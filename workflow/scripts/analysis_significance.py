"""Wilcoxon (vs Base and ROS, Holm) and Friedman tests per classifier, and critical-difference
diagrams of the methods' mean ranks over (dataset, split) blocks."""

import pandas as pd

from imbaug.analysis.significance import blocks, critical_difference_figure, significance_table
from imbaug.io import atomic_path, job_log, read_parquet, write_csv

with job_log(snakemake.log[0]) as log:
    metrics = pd.concat([read_parquet(path) for path in snakemake.input], ignore_index=True)
    metrics = metrics[metrics["space"] == "input"] if "space" in metrics else metrics
    write_csv(significance_table(metrics), snakemake.output.table)
    for classifier, path in zip(snakemake.params.classifiers, snakemake.output.figures):
        matrix = blocks(metrics, classifier)
        log.info("%s: %d blocks x %d methods", classifier, *matrix.shape)
        with atomic_path(path) as tmp:
            critical_difference_figure(
                matrix,
                f"{classifier}: methods ranked by balanced accuracy "
                f"({matrix.shape[0]} dataset x split blocks)",
                tmp,
            )
