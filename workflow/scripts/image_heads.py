"""Phase 3 of the three-phase framework: retrain a copy of the Base head on each balanced FE
set, store every head, score it, and log the head-retraining curve when asked."""

from imbaug.data.images import ImageSet
from imbaug.device import pick_device
from imbaug.io import job_log, load_torch, save_torch, write_parquet
from imbaug.pipeline.image import ImageStudy, metrics_frame, model_from_record
from imbaug.pipeline.image_latent import retrain_heads

wildcards, params, output = snakemake.wildcards, snakemake.params, snakemake.output
with job_log(snakemake.log[0]) as log:
    device = pick_device(params.device)
    cut = int(wildcards.cut)
    base = model_from_record(load_torch(snakemake.input.model))
    rows, heads, curve = retrain_heads(
        base.head,
        load_torch(snakemake.input.sets),
        load_torch(snakemake.input.features),
        ImageSet.load(snakemake.input.test),
        ImageStudy.from_config({"head": params.head}, params.seed),
        cut,
        device,
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
