"""Three-phase framework: FE of the base model, latent over-sampling, head retraining."""
from imbaug.data.images import ImageSet
from imbaug.device import pick_device
from imbaug.io import job_log, load_torch, save_torch, write_parquet
from imbaug.pipeline.image import ImageStudy, latent_methods, metrics_frame, model_from_record

wildcards, params, output = snakemake.wildcards, snakemake.params, snakemake.output
with job_log(snakemake.log[0]) as log:
    device = pick_device(params.device)
    cut = int(wildcards.cut)
    model = model_from_record(load_torch(snakemake.input.model)).to(device)
    rows, features, heads = latent_methods(
        model, ImageSet.load(snakemake.input.train), ImageSet.load(snakemake.input.test),
        ImageStudy.from_config(params.latent, params.seed), cut, device)
    metrics = metrics_frame(rows, dataset=wildcards.dataset, cut=cut, arch=wildcards.arch,
                            loss=wildcards.loss)
    log.info("\n%s", metrics[["method", "bac", "gm", "fm"]].to_string(index=False))
    save_torch(features, output.features)
    save_torch(heads, output.heads)
    write_parquet(metrics, output.metrics)
