"""Run every method x classifier (and the NN latent methods) on one train/test split."""
from imbaug.data.tabular import TabularData
from imbaug.io import job_log, read_parquet, write_parquet
from imbaug.pipeline.tabular import TabularStudy, run_split

with job_log(snakemake.log[0]) as log:
    data = TabularData.from_frame(snakemake.wildcards.dataset, read_parquet(snakemake.input[0]))
    study = TabularStudy.from_config(snakemake.params.tabular, snakemake.params.seed)
    metrics, provenance = run_split(data, int(snakemake.wildcards.split), study)
    log.info("\n%s", metrics[["method", "classifier", "bac", "fm"]].to_string(index=False))
    write_parquet(metrics, snakemake.output.metrics)
    write_parquet(provenance, snakemake.output.provenance)
