"""Load and check one tabular dataset, then run every method x classifier (and the NN
latent methods) on each of its train/test splits."""
from imbaug.data.tabular import load_tabular
from imbaug.io import job_log, write_parquet
from imbaug.pipeline.tabular import TabularStudy, check_class_sizes, run_split

tabular, output = snakemake.params.tabular, snakemake.output
with job_log(snakemake.log[0]) as log:
    data = load_tabular(snakemake.wildcards.dataset, data_home=tabular["data_home"],
                        files=tabular["files"], download=tabular["download"])
    study = TabularStudy.from_config(tabular, snakemake.params.seed)
    check_class_sizes(data, study)
    log.info("%s: %d rows, %d features, %d minority", data.name, *data.X.shape, data.y.sum())
    write_parquet(data.to_frame(), output.data)
    for split, (metrics_path, provenance_path) in enumerate(zip(output.metrics, output.provenance)):
        metrics, provenance = run_split(data, split, study)
        log.info("split %d\n%s", split, metrics[["method", "classifier", "bac", "fm"]].to_string(index=False))
        write_parquet(metrics, metrics_path)
        write_parquet(provenance, provenance_path)
