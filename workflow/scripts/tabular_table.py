"""Aggregate the split metrics into DA paper Tables III-IV (CSV and Markdown)."""

import pandas as pd

from imbaug.analysis.tables import tabular_accuracy, tabular_accuracy_markdown
from imbaug.io import job_log, read_parquet, write_csv, write_text

with job_log(snakemake.log[0]):
    metrics = pd.concat([read_parquet(path) for path in snakemake.input], ignore_index=True)
    table = tabular_accuracy(metrics)
    write_csv(table, snakemake.output.csv)
    write_text(tabular_accuracy_markdown(table), snakemake.output.md)
