# imbaug: data augmentation on imbalanced data, in input space and in latent space.
# Run `snakemake --cores N`; see README.md.
from snakemake.utils import min_version, validate

min_version("8.0")


configfile: "config.yaml"


validate(config, "workflow/schemas/config.schema.yaml")


include: "workflow/rules/common.smk"
include: "workflow/rules/resources.smk"
include: "workflow/rules/tabular.smk"
include: "workflow/rules/image.smk"
include: "workflow/rules/image_analysis.smk"
include: "workflow/rules/analysis.smk"


rule all:
    input:
        final_targets(),
    default_target: True
