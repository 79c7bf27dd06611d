"""Aggregate image metrics over cuts: image_accuracy.csv and the papers' table layouts."""

import pandas as pd

from imbaug.analysis.tables import image_accuracy, image_accuracy_markdown
from imbaug.io import job_log, read_parquet, write_csv, write_text

with job_log(snakemake.log[0]):
    metrics = pd.concat([read_parquet(path) for path in snakemake.input], ignore_index=True)
    table = image_accuracy(metrics)
    write_csv(table, snakemake.output.csv)
    write_text(image_accuracy_markdown(table), snakemake.output.md)
