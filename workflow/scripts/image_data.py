"""Load an image dataset (embedded, torchvision or ImageFolder) and draw every cut."""
from pathlib import Path

from imbaug.data.images import cut_train_set, load_image_source
from imbaug.io import job_log

params, output = snakemake.params, snakemake.output
with job_log(snakemake.log[0]) as log:
    train, test = load_image_source(snakemake.wildcards.dataset, params.root,
                                    image_size=params.image_size, download=params.download,
                                    path=params.path)
    log.info("source train %s, counts %s; test %d", tuple(train.images.shape), train.class_counts(), len(test))
    test.save(output.test)
    for path in output.cuts:
        cut, kind = int(Path(path).parent.name.removeprefix("cut")), Path(path).stem
        train_cut = cut_train_set(train, params.imbalance, cut, balanced=kind == "balanced")
        log.info("cut %d %s: class counts %s", cut, kind, train_cut.class_counts())
        train_cut.save(path)
