"""Draw one cut of the train set: imbalanced with the cut's seed, or the Balanced reference."""

from imbaug.data.images import ImageSet, cut_train_set
from imbaug.io import job_log

wildcards = snakemake.wildcards
with job_log(snakemake.log[0]) as log:
    cut = cut_train_set(
        ImageSet.load(snakemake.input.source),
        snakemake.params.imbalance,
        int(wildcards.cut),
        balanced=wildcards.kind == "balanced",
        dataset=wildcards.dataset,  # errors name its config key
    )
    log.info("cut %s %s: class counts %s", wildcards.cut, wildcards.kind, cut.class_counts())
    cut.save(snakemake.output[0])
