"""Wall time of three-phase EOS vs pixel-space pre-processing + full training (EOS paper V-E2)."""

import pandas as pd

from imbaug.analysis.image_timing import wall_time, wall_time_markdown
from imbaug.io import job_log, read_parquet, write_csv, write_text

with job_log(snakemake.log[0]):
    metrics = pd.concat([read_parquet(path) for path in snakemake.input], ignore_index=True)
    table = wall_time(metrics)
    write_csv(table, snakemake.output.csv)
    write_text(wall_time_markdown(table), snakemake.output.md)
