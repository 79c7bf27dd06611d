"""EOS paper Fig 6: t-SNE of two classes' FE for Base and for EOS in FE space (first cut)."""

import pandas as pd

from imbaug.analysis.tsne import embed, two_class_points
from imbaug.data.images import ImageSet
from imbaug.io import job_log, load_torch
from imbaug.plots.image_analysis import plot_tsne

wildcards, params, inputs = snakemake.wildcards, snakemake.params, snakemake.input
with job_log(snakemake.log[0]) as log:
    classes = ImageSet.load(inputs.test).classes
    chosen = params.classes or [classes[0], classes[-1]]
    if len(chosen) != 2 or any(c not in classes for c in chosen):
        raise ValueError(
            f"config image.tsne.classes.{wildcards.dataset}: give two of {classes}, got {chosen}"
        )
    pair = tuple(classes.index(c) for c in chosen)
    features, sets = load_torch(inputs.features), load_torch(inputs.sets)
    eos = min(
        (n for n in sets if n == "EOS" or n.startswith("EOS_K")),
        key=lambda n: int(n.removeprefix("EOS_K")) if n.startswith("EOS_K") else 0,
    )
    synthetic = sets[eos]["synthetic"].numpy()
    common = {
        "train": (features["train"].numpy(), features["train_labels"].numpy()),
        "test": (features["test"].numpy(), features["test_labels"].numpy()),
    }
    groups = {
        "Base": common,
        f"{eos} (FE)": {
            **common,
            "synthetic": (sets[eos]["X"].numpy()[synthetic], sets[eos]["y"].numpy()[synthetic]),
        },
    }
    frames = []
    for run, data in groups.items():
        points = two_class_points(data, pair, params.max_points, params.seed)
        log.info("%s: %s", run, points.groupby(["subset", "class"]).size().to_dict())
        frames.append(embed(points, params.seed).assign(run=run))
    names = {label: classes[label] for label in pair}
    plot_tsne(
        pd.concat(frames, ignore_index=True),
        snakemake.output[0],
        f"{wildcards.dataset}, {wildcards.arch}, Base [{params.loss}], cut {params.cut}",
        names,
    )
