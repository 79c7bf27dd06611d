# imbaug: data augmentation on imbalanced data, in input space and in latent space.
# Run `snakemake --cores N`; see README.md.
import sys

from snakemake.utils import min_version, validate

from imbaug.config_checks import schema_problem

min_version("8.0")


configfile: "config.yaml"


# One line naming the key at fault, not Snakemake's dump of the whole schema and config.
if problem := schema_problem(config, workflow.source_path("workflow/schemas/config.schema.yaml")):
    sys.exit(problem)
validate(config, "workflow/schemas/config.schema.yaml")


include: "workflow/rules/common.smk"
include: "workflow/rules/resources.smk"
include: "workflow/rules/tabular.smk"
include: "workflow/rules/image.smk"
include: "workflow/rules/image_analysis.smk"
include: "workflow/rules/analysis.smk"


rule all:
    default_target: True
    input:
        final_targets(),
