"""Stage 4: the NN's latent space (three-phase framework): resample each split's d//2 training
features of the Base NN with every latent method, retrain a copy of its last layer on them, and
store the heads and the latent resampled sets."""

import pandas as pd

from imbaug.data.tabular import TabularData
from imbaug.io import job_log, read_parquet, write_parquet
from imbaug.pipeline.tabular import (
    TabularStudy,
    check_class_sizes,
    latent_split,
    model_key,
    split_data,
)
from imbaug.pipeline.tabular_artifacts import load_nn_models, save_heads

params, inputs, output = snakemake.params, snakemake.input, snakemake.output
with job_log(snakemake.log[0]) as log:
    dataset = snakemake.wildcards.dataset
    data = TabularData.from_frame(dataset, read_parquet(inputs.data))
    partition = read_parquet(inputs.partition)
    config = {
        "latent_methods": params.latent_methods,
        "nn": {"head_epochs": params.head_epochs},
        **params.settings,
    }
    study = TabularStudy.from_config(config, params.seed)
    check_class_sizes(data, partition, study.latent_methods, study.k_neighbors, study.eos_k)
    networks = load_nn_models(inputs.models)
    heads, statuses = {}, []
    for split, path in enumerate(output.resampled):
        part = split_data(data, partition, split)
        split_heads, frame, split_statuses = latent_split(
            study, dataset, networks[model_key(split, "Base")], part, split
        )
        heads |= {model_key(split, method): head for method, head in split_heads.items()}
        write_parquet(frame, path)
        statuses += split_statuses
    status = pd.DataFrame(statuses)
    log.info("latent\n%s", status.drop(columns="reason").to_string(index=False))
    save_heads(heads, output.heads)
    write_parquet(status, output.status)
