"""Phases 2 and 3 of the three-phase framework, on CPU: balance the Base model's train FE with
every latent sampler (each balanced set stored with its provenance), then retrain a copy of
the Base head on each set, store every head, score it, and log the head-retraining curve when
asked."""

from imbaug.data.images import ImageSet
from imbaug.device import pick_device
from imbaug.io import job_log, load_torch, save_torch, write_parquet
from imbaug.pipeline.image import ImageStudy, metrics_frame, model_from_record
from imbaug.pipeline.image_latent import provenance_frame, resample_features, retrain_heads

wildcards, params, output = snakemake.wildcards, snakemake.params, snakemake.output
with job_log(snakemake.log[0]) as log:
    cut = int(wildcards.cut)
    study = ImageStudy.from_config(params.latent, params.seed, dataset=wildcards.dataset)
    features = load_torch(snakemake.input.features)
    test = ImageSet.load(snakemake.input.test)
    sets = resample_features(features, study, cut, classes=test.classes)
    for name, data in sets.items():
        log.info(
            "%s: %d rows, %d synthetic, %.2f s",
            name,
            len(data["y"]),
            int(data["synthetic"].sum()),
            data["resample_seconds"],
        )
    save_torch(sets, output.sets)
    write_parquet(provenance_frame(sets), output.provenance)

    rows, heads, curve = retrain_heads(
        model_from_record(load_torch(snakemake.input.model)).head,
        sets,
        features,
        test,
        study,
        cut,
        pick_device("cpu"),  # a linear layer on stored FE: seconds of CPU work (README)
        curve_epochs=params.curve_epochs,
    )
    metrics = metrics_frame(
        rows, dataset=wildcards.dataset, cut=cut, arch=wildcards.arch, loss=wildcards.loss
    )
    log.info("\n%s", metrics[["method", "bac", "gm", "fm"]].to_string(index=False))
    save_torch(heads, output.heads)
    write_parquet(metrics, output.metrics)
    write_parquet(
        curve.assign(dataset=wildcards.dataset, cut=cut, arch=wildcards.arch, loss=wildcards.loss),
        output.curve,
    )
