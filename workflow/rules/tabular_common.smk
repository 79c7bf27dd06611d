# Settings and input functions of workflow/rules/tabular.smk and analysis.smk (rules there).
from types import SimpleNamespace as Namespace

from imbaug.resampling import config_settings, method_name


wildcard_constraints:
    dataset=r"[A-Za-z0-9_\-]+",
    classifier=r"SVM|LG|NN",


TAB = "results/tabular/{dataset}"
FIGURE_FORMAT = config.get("figure_format", "png")
SPLITS = list(range(TABULAR["n_splits"]))
TABULAR_RUNS_LATENT = "NN" in TABULAR["classifiers"] and bool(TABULAR["latent_methods"])
# Which per-classifier analyses exist (DA paper Section IV, CE paper Section 5).
TABULAR_ANALYSES = {
    "SVM": ["support_vectors", "embeddings"],
    "LG": ["weights", "top_k", "embeddings"],
    "NN": ["weights", "top_k"],
}


def per_split(pattern):
    return expand(pattern, split=SPLITS, allow_missing=True)


def method_settings(methods):
    """Only the config settings that ``methods`` use (the method registry's spec.settings)."""
    settings = {}
    for entry in methods:
        for key, value in config_settings(entry, TABULAR, "tabular").items():
            settings[key] = {**settings.get(key, {}), **value} if isinstance(value, dict) else value
    return settings


def nn_fit_methods():
    methods = list(TABULAR["methods"])
    names = [method_name(m) for m in methods]
    return methods if not TABULAR_RUNS_LATENT or "Base" in names else ["Base", *methods]


def dataset_source(wildcards):
    """What loading this one dataset depends on (not the list of datasets)."""
    spec = TABULAR["files"].get(wildcards.dataset)
    if spec:
        return {"files": {wildcards.dataset: spec}}
    return {"data_home": TABULAR["data_home"], "download": TABULAR["download"]}


def model_path(classifier):
    suffix = "pt" if classifier == "NN" else "skops"
    return f"{TAB}/models/{classifier}.{suffix}"


def analysis_input(wildcards):
    """Everything the evaluation and the analyses of one dataset and classifier read."""
    inputs = {
        "data": f"{TAB}/data.parquet",
        "partition": f"{TAB}/partition.parquet",
        "status": f"{TAB}/resampling.parquet",
        "model": model_path(wildcards.classifier),
        "fits": f"{TAB}/models/{wildcards.classifier}_fits.parquet",
    }
    if wildcards.classifier == "NN" and TABULAR_RUNS_LATENT:
        inputs["heads"] = f"{TAB}/models/NN_latent.pt"
        inputs["latent_status"] = f"{TAB}/latent.parquet"
    inputs = {k: v.format(dataset=wildcards.dataset) for k, v in inputs.items()}
    inputs["resampled"] = expand(
        f"{TAB}/split{{split}}/resampled.parquet", dataset=wildcards.dataset, split=SPLITS
    )
    return inputs


def analysis_outputs(classifier):
    """The metrics rows, then one Parquet file per analysis of ``classifier``."""
    return {
        "metrics": f"{TAB}/metrics/{classifier}.parquet",
        **{
            name: f"{TAB}/analysis/{classifier}/{name}.parquet"
            for name in TABULAR_ANALYSES[classifier]
        },
    }


def tabular_metrics_paths():
    return expand(
        f"{TAB}/metrics/{{classifier}}.parquet",
        dataset=TABULAR["datasets"],
        classifier=TABULAR["classifiers"],
    )


def analysis_rule_input(classifier):
    def inputs(wildcards):
        return analysis_input(Namespace(dataset=wildcards.dataset, classifier=classifier))

    return inputs


# --- analysis.smk ------------------------------------------------------------
# Analysis tables and figures of the DA and CE papers. Each table rule stacks the per-dataset
# analysis Parquet files of the tabular study and, once added, image runs with the same columns
# (classifier "CNN", replicate column split or cut): put their paths in IMAGE_ANALYSIS_INPUTS
# under the table's name ("support_vectors", "weights", "top_k", "embeddings").
IMAGE_ANALYSIS_INPUTS = {}

# Which classifier's analysis produces which per-run table (see TABULAR_ANALYSES).
ANALYSIS_CLASSIFIERS = {
    name: [c for c in TABULAR["classifiers"] if name in TABULAR_ANALYSES[c]]
    for name in ("support_vectors", "weights", "top_k", "embeddings")
}
# Tidy tables: name -> (per-run table it aggregates, caption file).
ANALYSIS_TABLES = {
    "support_vectors": "support_vectors",
    "weight_change": "weights",
    "top_k_overlap": "top_k",
    "top_features": "top_k",
    "classification_embeddings": "embeddings",
    "embedding_profiles": "embeddings",
}
FIG = f"results/figures/{{name}}.{FIGURE_FORMAT}"


def analysis_runs(name):
    """Per-run Parquet files of analysis ``name`` (tabular, then image)."""
    paths = [
        f"results/tabular/{d}/analysis/{c}/{name}.parquet"
        for d in TABULAR["datasets"]
        for c in ANALYSIS_CLASSIFIERS[name]
    ]
    return paths + list(IMAGE_ANALYSIS_INPUTS.get(name, []))


def figure(name):
    return FIG.format(name=name)


ANALYSIS_RUNS = ("support_vectors", "weights", "top_k", "embeddings")

SV_FIGURES = {
    "da_fig2_sv_ratio_to_base": "sv_ratio_to_base",
    "da_fig3_majority_minority_sv_ratio": "majority_minority_sv_ratio",
    "da_fig4_dual_coef_ratio": "dual_coef_ratio",
    "da_fig5_new_sv_share": "new_sv_share",
    "da_fig6_synthetic_sv_share": "synthetic_sv_share",
}
CE_FIGURES = [
    "needed_share",
    "needed_vs_distinct",
    "sorted_magnitudes",
    "top10_share",
    "frequency_vs_magnitude",
]


WEIGHT_NORM_FIGURES = {
    "da_fig7_lg_weight_norms": "lg",
    "da_fig8_nn_majority_weight_norms": "nn_majority",
    "da_fig9_nn_minority_weight_norms": "nn_minority",
}
FIGURE_SUBCATEGORIES = {
    "tabular_accuracy_figure": "Accuracy (DA paper Fig 1)",
    "support_vectors": "SVM support vectors (DA paper Figs 2-6)",
    "weight_norms": "Weights (DA paper Figs 7-9)",
    "top_features": "Top-5 features (DA paper Figs 11-12)",
    "embeddings": "Classification embeddings (CE paper Figs 2-7)",
}


def tabular_figures():
    """path -> (kind, *what) of every tabular figure; kind names its caption file."""
    if not TABULAR["datasets"]:
        return {}
    classifiers = TABULAR["classifiers"]
    figures = {figure("tabular_accuracy"): ("tabular_accuracy_figure",)}
    if "SVM" in classifiers:
        figures.update({figure(n): ("support_vectors", v) for n, v in SV_FIGURES.items()})
    if {"LG", "NN"} & set(classifiers):
        figures.update({figure(n): ("weight_norms", v) for n, v in WEIGHT_NORM_FIGURES.items()})
    for c in ANALYSIS_CLASSIFIERS["top_k"]:
        for d in TABULAR["datasets"]:
            figures[figure(f"top5_features_{c}_{d}")] = ("top_features", c, d)
    for c in ANALYSIS_CLASSIFIERS["embeddings"]:
        for name in CE_FIGURES:
            figures[figure(f"ce_{name}_{c}")] = ("embeddings", c, name)
    return figures


def tabular_figure_tables():
    """The tidy tables the tabular figures are drawn from (those this config builds)."""
    tables = {"accuracy": "results/tables/tabular_accuracy.csv"}
    kinds = {spec[0] for spec in tabular_figures().values()}
    for kind, names in [
        ("support_vectors", ["support_vectors"]),
        ("weight_norms", ["weight_change"]),
        ("top_features", ["top_features"]),
        ("embeddings", ["classification_embeddings", "embedding_profiles"]),
    ]:
        if kind in kinds:
            tables.update({name: f"results/tables/{name}.csv" for name in names})
    return tables


def analysis_targets():
    """Every analysis table and figure the configured study produces: the tidy tables of
    every analysis some run computes (tabular, or the CNN's rows), tabular figures and the
    comparison with the papers."""
    targets = [
        f"results/tables/{table}.csv"
        for table, runs in ANALYSIS_TABLES.items()
        if analysis_runs(runs)
    ]
    return targets + list(tabular_figures()) + comparison_targets()


def comparison_targets():
    if not TABULAR["datasets"]:
        return ["results/tables/paper_comparison.csv"] if IMAGE["datasets"] else []
    return [
        "results/tables/paper_comparison.csv",
        "results/tables/significance.csv",
        *[
            f"results/figures/critical_difference_{c}.{FIGURE_FORMAT}"
            for c in TABULAR["classifiers"]
        ],
    ]
