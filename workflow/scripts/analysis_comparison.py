"""results/tables/paper_comparison.csv: the papers' reported values beside ours (tabular and
image tables); the paper values this study did not compute are logged."""

from imbaug.analysis.paper_comparison import comparison
from imbaug.io import job_log, write_csv

with job_log(snakemake.log[0]) as log:
    table, missing = comparison(snakemake.input)
    log.info(
        "%d paper values computed here, %d not computed by this study", len(table), len(missing)
    )
    if table.empty:
        log.info("none of this study's results is a cell of the papers' tables (their datasets?)")
    else:
        differences = table.assign(abs_difference=table.difference.abs())
        by_table = differences.groupby(["paper", "table"]).abs_difference.mean()
        log.info("mean |difference| by table:\n%s", by_table.to_string())
    write_csv(table, snakemake.output[0])
