"""Load one tabular dataset, validate it against the study's needs, write it as Parquet."""
from imbaug.data.tabular import load_tabular
from imbaug.io import job_log, write_parquet
from imbaug.pipeline.tabular import TabularStudy, check_class_sizes

tabular = snakemake.params.tabular
with job_log(snakemake.log[0]) as log:
    data = load_tabular(snakemake.wildcards.dataset, data_home=tabular["data_home"],
                        files=tabular["files"], download=tabular["download"])
    check_class_sizes(data, TabularStudy.from_config(tabular, snakemake.params.seed))
    log.info("%s: %d rows, %d features, %d minority", data.name, *data.X.shape, data.y.sum())
    write_parquet(data.to_frame(), snakemake.output[0])
