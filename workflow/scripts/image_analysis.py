"""Every image analysis of one dataset, cut and architecture, from stored models, FE and
heads (no training): head norms, weight change, saliency overlap, generalization gap, CE."""

import torch

from imbaug.data.images import ImageSet
from imbaug.device import pick_device
from imbaug.io import job_log, load_torch, write_parquet
from imbaug.pipeline import image_analysis as analysis
from imbaug.pipeline.image import model_from_record

DA_TABLES = ("weight_change", "top_k_overlap", "classification_embeddings")
wildcards, params, inputs, output = (
    snakemake.wildcards,
    snakemake.params,
    snakemake.input,
    snakemake.output,
)
with job_log(snakemake.log[0]) as log:
    device = pick_device(params.device)
    test = ImageSet.load(inputs.test)
    labels = test.labels.numpy()
    runs, models, features = [], {}, {}
    for (loss, method), model_path, features_path in zip(
        params.runs, inputs.models, inputs.features
    ):
        models[loss, method] = model_from_record(load_torch(model_path))
        features[loss, method] = load_torch(features_path)
        runs.append(analysis.input_run(loss, method, models[loss, method], features[loss, method]))
    for loss, heads_path, sets_path in zip(params.latent_losses, inputs.heads, inputs.sets):
        heads, sets = load_torch(heads_path), load_torch(sets_path)
        runs += [
            analysis.latent_run(
                loss, name, models[loss, "Base"], heads[name], sets[name], features[loss, "Base"]
            )
            for name in heads
        ]
    log.info("%d runs: %s", len(runs), [tuple(r.key.values()) for r in runs])
    with torch.no_grad():
        tables = {
            "head_norms": analysis.head_norms(runs),
            "weight_change": analysis.weight_changes(runs, params.reference_loss),
            "generalization_gap": analysis.generalization_gaps(runs, labels),
        }
        tables["embeddings"], tables["embedding_profile"] = analysis.embeddings(runs, labels)
    tables["top_k_overlap"] = analysis.saliency_overlaps(
        runs, params.reference_loss, test.images, labels, device, params.top_fraction
    )
    tables["classification_embeddings"] = analysis.ce_rows(
        tables["embeddings"], tables["embedding_profile"]
    )
    keys = {
        "dataset": wildcards.dataset,
        "classifier": "CNN",
        "cut": int(wildcards.cut),
        "arch": wildcards.arch,
    }
    for name in DA_TABLES:  # also rows of the tabular study's DA/CE tables
        tables[name] = analysis.da_layout(tables[name], params.reference_loss)
    for name, table in tables.items():
        # in the DA/CE tables (keyed by dataset, classifier, method) a dataset run with
        # several archs names the arch in the classifier
        classifier = params.da_classifier if name in DA_TABLES else "CNN"
        table = table.assign(**{**keys, "classifier": classifier})
        write_parquet(table[[*keys, *[c for c in table.columns if c not in keys]]], output[name])
