"""Draw every image-analysis figure of one dataset and architecture from its stored tables."""

import pandas as pd

from imbaug.io import job_log, read_parquet
from imbaug.plots import image_analysis as plots

wildcards, params, output = snakemake.wildcards, snakemake.params, snakemake.output


def draw(figure, tables, path, title):
    if figure == "generalization_gap":
        plots.plot_generalization_gap(
            tables["generalization_gap"], tables["head_norms"], path, title
        )
    elif figure == "generalization_gap_tp_fp":
        plots.plot_gap_tp_fp(tables["generalization_gap"], path, title)
    elif figure == "head_weight_norms":
        plots.plot_head_norms(tables["head_norms"], path, title)
    elif figure == "saliency_overlap":
        plots.plot_saliency_overlap(tables["top_k_overlap"], path, title)
    elif figure == "classification_embeddings":
        plots.plot_classification_embeddings(
            tables["embeddings"], tables["embedding_profile"], path, title, params.reference_loss
        )
    elif figure == "head_retraining_curve":
        plots.plot_head_curve(tables["head_curve"], path, title, params.kept_epochs)
    elif figure == "eos_k_sweep":
        plots.plot_eos_k_sweep(tables["metrics"], path, title)
    else:
        raise ValueError(f"unknown image figure {figure!r}")


with job_log(snakemake.log[0]) as log:
    frames = {}
    for path in snakemake.input:
        name = path.rsplit("/", 1)[1].removesuffix(".parquet")
        frames.setdefault(name, []).append(read_parquet(path))
    tables = {name: pd.concat(parts, ignore_index=True) for name, parts in frames.items()}
    title = f"{wildcards.dataset}, {wildcards.arch}"
    for figure, path in zip(params.figures, output):
        draw(figure, tables, path, title)
        log.info("drew %s", path)
