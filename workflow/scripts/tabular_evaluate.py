"""Stage 5: score every stored model of one classifier on its split's test rows (one metrics
row per split x space x method; not-applicable methods keep a row with their reason)."""

from imbaug.data.tabular import TabularData
from imbaug.io import job_log, read_parquet, write_parquet
from imbaug.pipeline.tabular import evaluate_models
from imbaug.pipeline.tabular_artifacts import load_tabular_models

inputs = snakemake.input
classifier = snakemake.wildcards.classifier
with job_log(snakemake.log[0]) as log:
    dataset = snakemake.wildcards.dataset
    data = TabularData.from_frame(dataset, read_parquet(inputs.data))
    models, statuses = load_tabular_models(classifier, inputs)
    metrics = evaluate_models(
        data,
        read_parquet(inputs.partition),
        classifier,
        models,
        statuses,
        read_parquet(inputs.fits),
    )
    log.info(
        "%s\n%s",
        classifier,
        metrics[["split", "space", "method", "bac", "fm"]].to_string(index=False),
    )
    write_parquet(metrics, snakemake.output[0])
