"""Train a CNN end-to-end with one input-space method under the dataset's fixed input scaling
(normalization.json of image_data), score it on the test set (the last epoch, and with
image.train.select_epoch best_test_macro_f1 also the best-test epoch), and store the last
epoch's feature embeddings (FE) of its train cut and the test set for the latent stages and the
analyses."""

from imbaug.data.images import ImageSet
from imbaug.data.normalization import load_normalization
from imbaug.device import pick_device
from imbaug.io import job_log, save_torch, write_parquet
from imbaug.pipeline.image import (
    ImageStudy,
    metrics_frame,
    model_record,
    train_method,
)
from imbaug.pipeline.image_latent import model_features

wildcards, params, output = snakemake.wildcards, snakemake.params, snakemake.output
with job_log(snakemake.log[0]) as log:
    device = pick_device(params.device)
    cut = int(wildcards.cut)
    study = ImageStudy.from_config(
        params.train,
        params.seed,
        load_normalization(snakemake.input.normalization),
        dataset=wildcards.dataset,
    )
    train, test = ImageSet.load(snakemake.input.train), ImageSet.load(snakemake.input.test)
    model, epochs, rows, provenance = train_method(
        wildcards.arch, wildcards.loss, wildcards.method, train, test, study, cut, device
    )
    features = model_features(model, train, test, device)  # the last epoch's model
    for row in rows:
        row["extract_seconds"] = features["extract_seconds"]
        log.info(
            "%s on %s (%s epoch): BAC %.4f GM %.4f FM %.4f, %.1f s training",
            wildcards.method,
            device,
            row["selection"],
            row["bac"],
            row["gm"],
            row["fm"],
            row["fit_seconds"],
        )
    save_torch(model_record(model, wildcards.arch, wildcards.loss), output.model)
    save_torch(features, output.features)
    write_parquet(epochs, output.log)
    write_parquet(provenance.to_frame(), output.provenance)
    write_parquet(
        metrics_frame(
            rows, dataset=wildcards.dataset, cut=cut, arch=wildcards.arch, loss=wildcards.loss
        ),
        output.metrics,
    )
