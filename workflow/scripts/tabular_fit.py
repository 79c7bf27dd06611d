"""Stage 3: fit one classifier on every applicable resampled set of every split and store the
models (scikit-learn with skops, the NN as tensors). The NN's epochs and weight decay are chosen
per split and method: on the method's resampled inner-train rows, scored on held-out validation
rows of the split's training part (nn_method_settings). The NN's REMIX
trains per batch (class-balanced batches + mixup) on the split's original training rows, not on
REMIX's stored fixed set (which SVM and LG train on)."""

import pandas as pd

from imbaug.data.tabular import TabularData
from imbaug.io import job_log, read_parquet, write_parquet
from imbaug.pipeline.tabular import TabularStudy, fit_columns, fit_split, split_data
from imbaug.pipeline.tabular_artifacts import save_nn_models, save_sklearn_models

params, inputs, output = snakemake.params, snakemake.input, snakemake.output
classifier = snakemake.wildcards.get("classifier", "NN")


with job_log(snakemake.log[0]) as log:
    # the NN resamples its inner-train rows and mixes REMIX batches with these settings
    settings = params.settings if classifier == "NN" else {}
    config = {"methods": params.methods, "nn": params.nn, **settings} if classifier == "NN" else {}
    study = TabularStudy.from_config(config, params.get("seed", 0))
    if classifier == "NN":
        data = TabularData.from_frame(snakemake.wildcards.dataset, read_parquet(inputs.data))
        partition = read_parquet(inputs.partition)
    models, fits = {}, []
    for split, path in enumerate(inputs.resampled):
        part = split_data(data, partition, split) if classifier == "NN" else None
        split_models, split_fits = fit_split(classifier, study, read_parquet(path), split, part)
        models |= split_models
        fits += split_fits
    fits = pd.DataFrame(fits, columns=fit_columns(classifier))
    log.info(
        "%s: %d models, %.1f s fitting\n%s",
        classifier,
        len(models),
        fits.fit_seconds.sum(),
        fits.to_string(index=False),
    )
    if classifier == "NN":
        save_nn_models(models, data.X.shape[1], output.models)
    else:
        save_sklearn_models(models, output.models)
    write_parquet(fits, output.fits)
