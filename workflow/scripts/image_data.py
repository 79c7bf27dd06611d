"""Load an image dataset (embedded, torchvision or ImageFolder) once: its full train set
(the source every cut is drawn from), its test set, and its fixed input scaling (published
constants, else the statistics of this whole uncut source), which every training of the
dataset uses."""

from imbaug.data.images import load_image_source
from imbaug.data.normalization import save_normalization, source_normalization
from imbaug.io import job_log

params, output = snakemake.params, snakemake.output
with job_log(snakemake.log[0]) as log:
    train, test = load_image_source(
        snakemake.wildcards.dataset,
        params.root,
        image_size=params.image_size,
        download=params.download,
        path=params.path,
        test_per_class=params.test_per_class,
    )
    log.info(
        "source train %s, counts %s; test %d",
        tuple(train.images.shape),
        train.class_counts(),
        len(test),
    )
    normalization = source_normalization(snakemake.wildcards.dataset, train)
    log.info(
        "input scaling: mean %s, std %s", normalization["input_mean"], normalization["input_std"]
    )
    train.save(output.source)
    save_normalization(normalization, output.normalization)
    test.save(output.test)
