"""Stages 5-6 of one classifier of one dataset, from stored models and resampled sets only:
score every model on its split's test rows (one metrics row per split x space x method;
not-applicable methods keep a row with their reason), then the DA/CE paper analyses (support
vectors, weights, top-K features, classification embeddings)."""

from imbaug.data.tabular import TabularData
from imbaug.io import job_log, read_parquet, write_parquet
from imbaug.pipeline.tabular import evaluate_models
from imbaug.pipeline.tabular_analysis import analyse
from imbaug.pipeline.tabular_artifacts import load_tabular_models

inputs, output = snakemake.input, snakemake.output
classifier = snakemake.params.classifier
with job_log(snakemake.log[0]) as log:
    data = TabularData.from_frame(snakemake.wildcards.dataset, read_parquet(inputs.data))
    partition = read_parquet(inputs.partition)
    models, statuses = load_tabular_models(classifier, inputs)
    metrics = evaluate_models(
        data, partition, classifier, models, statuses, read_parquet(inputs.fits)
    )
    log.info(
        "%s\n%s",
        classifier,
        metrics[["split", "space", "method", "bac", "fm"]].to_string(index=False),
    )
    write_parquet(metrics, output.metrics)
    provenance = {split: read_parquet(path) for split, path in enumerate(inputs.resampled)}
    names = [name for name in output.keys() if name != "metrics"]
    tables = analyse(classifier, names, data, partition, models, statuses, provenance)
    for name, table in tables.items():
        log.info("%s: %d rows", name, len(table))
        write_parquet(table, output[name])
