"""Stage 2: every input-space method's resampled training set of every split, with provenance;
a method that cannot run on a split is recorded as not applicable (../shared/cases/T2)."""

import pandas as pd

from imbaug.data.tabular import TabularData
from imbaug.io import job_log, read_parquet, write_parquet
from imbaug.pipeline.tabular import TabularStudy, check_class_sizes, resample_split, split_data

params, output = snakemake.params, snakemake.output
with job_log(snakemake.log[0]) as log:
    dataset = snakemake.wildcards.dataset
    data = TabularData.from_frame(dataset, read_parquet(snakemake.input.data))
    partition = read_parquet(snakemake.input.partition)
    study = TabularStudy.from_config({"methods": params.methods, **params.settings}, params.seed)
    check_class_sizes(data, partition, study.methods, study.k_neighbors, study.eos_k)
    statuses = []
    for split, path in enumerate(output.resampled):
        frame, split_statuses = resample_split(
            study, dataset, split_data(data, partition, split), split, study.methods
        )
        write_parquet(frame, path)
        statuses += split_statuses
    status = pd.DataFrame(statuses)
    log.info("resampled\n%s", status.drop(columns="reason").to_string(index=False))
    write_parquet(status, output.status)
