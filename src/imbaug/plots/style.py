"""One look for every figure: the colour of each method and class, and how figures are saved.

Every plotting function (tabular and image) takes its colours from here, so a method has the
same colour in every figure.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# Colour-blind-safe base (Okabe-Ito) first, then tab10 shades for the rest.
METHOD_COLOURS = {
    "Base": "#000000",
    "Balanced": "#999999",
    "CS": "#E69F00",
    "ROS": "#56B4E9",
    "SMOTE": "#009E73",
    "ADASYN": "#F0E442",
    "BSMOTE": "#0072B2",
    "BalSVM": "#D55E00",
    "REMIX": "#CC79A7",
    "ReMix": "#CC79A7",
    "EOS": "#8C564B",
    "DSM": "#17BECF",
    "LDAM": "#BCBD22",
}
_FALLBACK = "#7F7F7F"

# Majority vs minority class (CE paper Figs 2-3: blue majority, brown minority).
CLASS_COLOURS = {"majority": "#1F77B4", "minority": "#8C564B"}

FIGURE_FORMATS = ("png", "svg", "pdf")


def method_colour(method: str) -> str:
    """Colour of a method; swept variants such as ``EOS_K5`` take their family's colour."""
    if method in METHOD_COLOURS:
        return METHOD_COLOURS[method]
    family = method.split("_", 1)[0]
    return METHOD_COLOURS.get(family, _FALLBACK)


def method_colours(methods) -> list[str]:
    """Colours of ``methods`` in order."""
    return [method_colour(m) for m in methods]


def save_figure(fig, path, dpi: int = 120) -> None:
    """Save ``fig`` in the format its suffix names (png, svg or pdf) and close it.

    Raises
    ------
    ValueError
        If the suffix is not one of :data:`FIGURE_FORMATS`.
    """
    suffix = Path(path).suffix.lstrip(".").lower()
    if suffix not in FIGURE_FORMATS:
        raise ValueError(
            f"figure {path}: format {suffix!r} is not one of {FIGURE_FORMATS} (config key figure_format)"
        )
    fig.savefig(path, dpi=dpi, format=suffix, bbox_inches="tight")
    plt.close(fig)
