"""Load an image dataset (embedded, torchvision or ImageFolder) once: its full train set
(the source every cut is drawn from) and its test set."""
from imbaug.data.images import load_image_source
from imbaug.io import job_log

params, output = snakemake.params, snakemake.output
with job_log(snakemake.log[0]) as log:
    train, test = load_image_source(snakemake.wildcards.dataset, params.root,
                                    image_size=params.image_size, download=params.download,
                                    path=params.path, test_per_class=params.test_per_class)
    log.info("source train %s, counts %s; test %d", tuple(train.images.shape), train.class_counts(), len(test))
    train.save(output.source)
    test.save(output.test)
