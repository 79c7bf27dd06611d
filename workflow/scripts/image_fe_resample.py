"""Phase 2 of the three-phase framework: balance the Base model's train FE with every latent
sampler (CPU work), storing each balanced set with its provenance."""

from imbaug.io import job_log, load_torch, save_torch, write_parquet
from imbaug.pipeline.image import ImageStudy
from imbaug.pipeline.image_latent import provenance_frame, resample_features

params, output = snakemake.params, snakemake.output
with job_log(snakemake.log[0]) as log:
    sets = resample_features(
        load_torch(snakemake.input.features),
        ImageStudy.from_config(params.latent, params.seed),
        int(snakemake.wildcards.cut),
    )
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
