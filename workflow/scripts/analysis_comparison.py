"""results/tables/paper_comparison.csv: the papers' reported values beside ours (tabular and
image tables); the paper values this study did not compute are logged."""

from imbaug.analysis.paper_comparison import comparison
from imbaug.io import job_log, write_csv

with job_log(snakemake.log[0]) as log:
    table, missing = comparison(snakemake.input)
    log.info(
        "%d paper values computed here, %d not computed by this study; "
        "mean |difference| by table:\n%s",
        len(table),
        len(missing),
        table.assign(abs_difference=table.difference.abs())
        .groupby(["paper", "table"])
        .abs_difference.mean()
        .to_string(),
    )
    write_csv(table, snakemake.output[0])
