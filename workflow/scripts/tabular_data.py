"""Stage 1: load and check one tabular dataset, and store the train/test rows of every split."""

from imbaug.data.tabular import load_tabular
from imbaug.io import job_log, write_parquet
from imbaug.pipeline.tabular import make_partition

params, output = snakemake.params, snakemake.output
with job_log(snakemake.log[0]) as log:
    source = params.source
    data = load_tabular(
        snakemake.wildcards.dataset,
        data_home=source.get("data_home"),
        files=source.get("files", {}),
        download=source.get("download", False),
    )
    log.info("%s: %d rows, %d features, %d minority", data.name, *data.X.shape, data.y.sum())
    write_parquet(data.to_frame(), output.data)
    write_parquet(
        make_partition(data.y, params.n_splits, params.test_size, data.name), output.partition
    )
