"""Draw every tabular figure from the tidy tables (DA paper Figs 1-9, 11-12; CE paper Figs 2-7)."""

import pandas as pd

from imbaug.io import atomic_path, job_log
from imbaug.plots import analysis as plots
from imbaug.plots.accuracy import plot_tabular_accuracy

LABELS = {
    "sv_ratio_to_base": (
        "SVM: number of support vectors relative to Base (DA Fig 2)",
        "#SV / #SV of Base (ratio)",
        1.0,
    ),
    "majority_minority_sv_ratio": (
        "SVM: majority vs minority support vectors (DA Fig 3)",
        "majority / minority #SV (ratio)",
        1.0,
    ),
    "dual_coef_ratio": (
        "SVM: summed |dual coefficients|, majority vs minority (DA Fig 4)",
        "majority / minority sum (ratio)",
        1.0,
    ),
    "new_sv_share": ("SVM: support vectors not among Base's (DA Fig 5)", "share of SVs", None),
    "synthetic_sv_share": (
        "SVM: support vectors that are interpolated rows (DA Fig 6)",
        "share of SVs",
        None,
    ),
}


def support_vectors(tables, path, value):
    title, ylabel, reference = LABELS[value]
    skip = ("Base",) if value in ("sv_ratio_to_base", "new_sv_share") else ()
    table = tables["support_vectors"]
    plots.method_bars(table, value, title, ylabel, path, reference=reference, skip=skip)


WEIGHT_PANELS = {
    "lg": ("LG", "frobenius_norm", "LG: Frobenius norm of the weights (DA Fig 7)"),
    "nn_majority": (
        "NN",
        "norm_class0",
        "NN last layer: majority-class weight norm (DA Fig 8)",
    ),
    "nn_minority": (
        "NN",
        "norm_class1",
        "NN last layer: minority-class weight norm (DA Fig 9)",
    ),
}


def weight_norms(tables, path, panel):
    classifier, value, title = WEIGHT_PANELS[panel]
    table = tables["weight_change"]
    block = table[table.classifier == classifier]
    plots.method_bars(block, value, title, "L2 norm (weight units)", path, skip=())


def top_features(tables, path, classifier, dataset):
    kind = "mean |x * coef| (CE)" if classifier == "LG" else "mean |input gradient|"
    number = "DA Fig 11" if classifier == "LG" else "DA Fig 12"
    table = tables["top_features"]
    block = table[(table.classifier == classifier) & (table.dataset == dataset)]
    plots.top_features(
        block, f"{classifier} on {dataset}: top-5 features per class ({number})", kind, path
    )


def embeddings(tables, path, c, name):
    summary = tables["classification_embeddings"]
    profiles = tables["embedding_profiles"]
    summary, profiles = summary[summary.classifier == c], profiles[profiles.classifier == c]
    number = {"LG": "Fig 2", "SVM": "Fig 3", "CNN": "Fig 1"}[c]
    if name == "needed_share":
        plots.class_bars(
            summary,
            {"needed_share": ""},
            f"{c}: CE needed to predict a true positive (CE {number})",
            "share of CE (mean over TPs)",
            path,
        )
    elif name == "needed_vs_distinct":
        plots.class_bars(
            summary,
            {"needed_share": "per instance, ", "distinct_share": "across class, "},
            f"{c}: CE needed per instance vs distinct CE across the class (CE Fig 4)",
            "share of CE",
            path,
        )
    elif name == "sorted_magnitudes":
        plots.sorted_profiles(
            profiles, f"{c}: sorted class-mean CE of the minority class (CE Fig 5)", path
        )
    elif name == "top10_share":
        plots.class_bars(
            summary,
            {"top_share": ""},
            f"{c}: share of the class-mean CE sum held by the top 10% CE (CE Fig 6)",
            "share of positive CE sum",
            path,
        )
    else:
        plots.frequency_vs_magnitude(
            profiles, f"{c}: how often the top-5 CE are needed vs their magnitude (CE Fig 7)", path
        )


def accuracy(tables, path):
    plot_tabular_accuracy(tables["accuracy"], path)


DRAW = {
    "tabular_accuracy_figure": accuracy,
    "support_vectors": support_vectors,
    "weight_norms": weight_norms,
    "top_features": top_features,
    "embeddings": embeddings,
}

with job_log(snakemake.log[0]) as log:
    tables = {name: pd.read_csv(path) for name, path in snakemake.input.items()}
    for path, (kind, *what) in snakemake.params.figures.items():
        with atomic_path(path) as tmp:
            DRAW[kind](tables, tmp, *what)
        log.info("drew %s", path)
