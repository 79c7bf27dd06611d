"""Stage 6: the DA/CE paper analyses of one classifier of one dataset, from stored models and
resampled sets only (support vectors, weights, top-K features, classification embeddings)."""

from imbaug.data.tabular import TabularData
from imbaug.io import job_log, read_parquet, write_parquet
from imbaug.pipeline.tabular_analysis import analyse
from imbaug.pipeline.tabular_artifacts import load_tabular_models

inputs, output = snakemake.input, snakemake.output
classifier = snakemake.params.classifier
with job_log(snakemake.log[0]) as log:
    data = TabularData.from_frame(snakemake.wildcards.dataset, read_parquet(inputs.data))
    models, statuses = load_tabular_models(classifier, inputs)
    provenance = {split: read_parquet(path) for split, path in enumerate(inputs.resampled)}
    tables = analyse(
        classifier,
        output.keys(),
        data,
        read_parquet(inputs.partition),
        models,
        statuses,
        provenance,
    )
    for name, table in tables.items():
        log.info("%s: %d rows", name, len(table))
        write_parquet(table, output[name])
