"""Stage 3: fit one classifier on every applicable resampled set of every split and store the
models (scikit-learn with skops, the NN as tensors). The NN's epochs and weight decay are chosen
once per split on its original training part and used for every resampled set."""
import time

import pandas as pd

from imbaug.data.tabular import TabularData
from imbaug.io import job_log, read_parquet, write_parquet
from imbaug.pipeline.tabular import (
    TabularStudy,
    fit_model,
    model_key,
    nn_split_settings,
    resampled_from_frame,
    split_data,
)
from imbaug.pipeline.tabular_artifacts import save_nn_models, save_sklearn_models
from imbaug.resampling import Resampled

params, inputs, output = snakemake.params, snakemake.input, snakemake.output
classifier = snakemake.wildcards.get("classifier", "NN")


def training_sets(frame, part):
    """(method, Resampled) of every applicable method; the NN's phase-1 Base network is fitted
    on the split's training rows even when Base is not among the input methods."""
    for method in frame["method"].unique():
        yield method, resampled_from_frame(frame, method)
    if part is not None and "Base" in study.methods and "Base" not in set(frame["method"]):
        yield "Base", Resampled.unchanged(part.X_train, part.y_train)


with job_log(snakemake.log[0]) as log:
    config = {"methods": params.methods, "nn": params.nn} if classifier == "NN" else {}
    study = TabularStudy.from_config(config, params.get("seed", 0))
    if classifier == "NN":
        data = TabularData.from_frame(snakemake.wildcards.dataset, read_parquet(inputs.data))
        partition = read_parquet(inputs.partition)
    models, fits = {}, []
    for split, path in enumerate(inputs.resampled):
        part = split_data(data, partition, split) if classifier == "NN" else None
        chosen = nn_split_settings(study, part, split) if classifier == "NN" else None
        for method, resampled in training_sets(read_parquet(path), part):
            start = time.perf_counter()
            models[model_key(split, method)] = fit_model(classifier, method, resampled, study, split, chosen)
            fits.append({"split": split, "method": method, "fit_seconds": time.perf_counter() - start,
                         **({"epochs": chosen.epochs, "weight_decay": chosen.weight_decay[0]} if chosen else {})})
    fits = pd.DataFrame(fits, columns=["split", "method", "fit_seconds"] + (["epochs", "weight_decay"] if
                                                                            classifier == "NN" else []))
    log.info("%s: %d models, %.1f s fitting\n%s", classifier, len(models), fits.fit_seconds.sum(),
             fits.to_string(index=False))
    if classifier == "NN":
        save_nn_models(models, data.X.shape[1], output.models)
    else:
        save_sklearn_models(models, output.models)
    write_parquet(fits, output.fits)
