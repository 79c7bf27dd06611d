"""Draw the figures of one analysis table (DA paper Figs 2-9, 11-12; CE paper Figs 2-7)."""

import pandas as pd

from imbaug.io import atomic_path, job_log
from imbaug.plots import analysis as plots

rule, output, wildcards = snakemake.rule, snakemake.output, snakemake.wildcards

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


def support_vectors(table):
    for name, value in snakemake.params.figures.items():
        title, ylabel, reference = LABELS[value]
        skip = ("Base",) if value in ("sv_ratio_to_base", "new_sv_share") else ()
        with atomic_path(output[name]) as tmp:
            plots.method_bars(table, value, title, ylabel, tmp, reference=reference, skip=skip)


def weight_norms(table):
    lg, nn = table[table.classifier == "LG"], table[table.classifier == "NN"]
    panels = [
        ("lg", lg, "frobenius_norm", "LG: Frobenius norm of the weights (DA Fig 7)"),
        ("nn_majority", nn, "norm_class0", "NN last layer: majority-class weight norm (DA Fig 8)"),
        ("nn_minority", nn, "norm_class1", "NN last layer: minority-class weight norm (DA Fig 9)"),
    ]
    for name, block, value, title in panels:
        with atomic_path(output[name]) as tmp:
            plots.method_bars(block, value, title, "L2 norm (weight units)", tmp, skip=())


def top_features(table):
    kind = "mean |x * coef| (CE)" if wildcards.classifier == "LG" else "mean |input gradient|"
    figure = "DA Fig 11" if wildcards.classifier == "LG" else "DA Fig 12"
    for dataset, path in zip(snakemake.params.datasets, output):
        block = table[(table.classifier == wildcards.classifier) & (table.dataset == dataset)]
        with atomic_path(path) as tmp:
            plots.top_features(
                block,
                f"{wildcards.classifier} on {dataset}: top-5 features per class ({figure})",
                kind,
                tmp,
            )


def embeddings(summary, profiles):
    c = wildcards.classifier
    summary, profiles = summary[summary.classifier == c], profiles[profiles.classifier == c]
    number = {"LG": "Fig 2", "SVM": "Fig 3", "CNN": "Fig 1"}[c]
    with atomic_path(output.needed_share) as tmp:
        plots.class_bars(
            summary,
            {"needed_share": ""},
            f"{c}: CE needed to predict a true positive (CE {number})",
            "share of CE (mean over TPs)",
            tmp,
        )
    with atomic_path(output.needed_vs_distinct) as tmp:
        plots.class_bars(
            summary,
            {"needed_share": "per instance, ", "distinct_share": "across class, "},
            f"{c}: CE needed per instance vs distinct CE across the class (CE Fig 4)",
            "share of CE",
            tmp,
        )
    with atomic_path(output.sorted_magnitudes) as tmp:
        plots.sorted_profiles(
            profiles, f"{c}: sorted class-mean CE of the minority class (CE Fig 5)", tmp
        )
    with atomic_path(output.top10_share) as tmp:
        plots.class_bars(
            summary,
            {"top_share": ""},
            f"{c}: share of the class-mean CE sum held by the top 10% CE (CE Fig 6)",
            "share of positive CE sum",
            tmp,
        )
    with atomic_path(output.frequency_vs_magnitude) as tmp:
        plots.frequency_vs_magnitude(
            profiles, f"{c}: how often the top-5 CE are needed vs their magnitude (CE Fig 7)", tmp
        )


with job_log(snakemake.log[0]):
    if rule == "figures_embeddings":
        embeddings(pd.read_csv(snakemake.input.summary), pd.read_csv(snakemake.input.profiles))
    else:
        table = pd.read_csv(snakemake.input[0])
        {
            "figures_support_vectors": support_vectors,
            "figures_weight_norms": weight_norms,
            "figures_top_features": top_features,
        }[rule](table)
