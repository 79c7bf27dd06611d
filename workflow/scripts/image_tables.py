"""Aggregate image metrics over cuts: image_accuracy.csv with the papers' table layouts, and
the wall time of three-phase EOS vs pixel-space pre-processing + full training (EOS paper
V-E2)."""

import pandas as pd

from imbaug.analysis.image_timing import wall_time, wall_time_markdown
from imbaug.analysis.tables import image_accuracy, image_accuracy_markdown
from imbaug.io import job_log, read_parquet, write_csv, write_text

output = snakemake.output
with job_log(snakemake.log[0]):
    metrics = pd.concat([read_parquet(path) for path in snakemake.input], ignore_index=True)
    table = image_accuracy(metrics)
    write_csv(table, output.csv)
    write_text(image_accuracy_markdown(table), output.md)
    times = wall_time(metrics)
    write_csv(times, output.wall_time)
    write_text(wall_time_markdown(times), output.wall_time_md)
