"""results/tables/paper_comparison.csv: the DA paper's reported values beside ours."""

import pandas as pd

from imbaug.analysis.paper_comparison import compare, our_values, paper_values
from imbaug.io import job_log, write_csv

inputs = snakemake.input
with job_log(snakemake.log[0]) as log:
    tables = {
        name: pd.read_csv(inputs[name]) if inputs.get(name) else None
        for name in ("accuracy", "weight_change", "top_k_overlap")
    }
    table = compare(paper_values(), our_values(**tables))
    log.info(
        "%d paper values computed here; mean |difference| by table:\n%s",
        len(table),
        table.assign(abs_difference=table.difference.abs())
        .groupby("table")
        .abs_difference.mean()
        .to_string(),
    )
    write_csv(table, snakemake.output[0])
