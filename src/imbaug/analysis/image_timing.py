"""Wall time of three-phase EOS vs pixel-space pre-processing with full training (EOS paper
Section V-E2), from the timings every image job stores in its metrics rows."""

from __future__ import annotations

import pandas as pd

# The pre-processing methods the EOS paper averages (V-E2); pixel-space EOS is shown too.
PIXEL_PREPROCESSING = ("SMOTE", "BSMOTE", "BalSVM")
PHASES = ["train_seconds", "extract_seconds", "resample_seconds", "head_seconds"]


def wall_time(metrics: pd.DataFrame) -> pd.DataFrame:
    """Seconds per approach, mean over cuts.

    Three-phase EOS = training Base end-to-end + extracting its FE + EOS in FE space + head
    retraining; a pixel-space method = resampling the pixels + training end-to-end on them.

    Parameters
    ----------
    metrics : DataFrame
        Metrics rows of the image study: ``dataset, cut, arch, loss, space, method,
        fit_seconds, resample_seconds`` and ``extract_seconds`` (input-space rows).

    Returns
    -------
    DataFrame
        ``dataset, arch, loss, approach, method`` and the seconds of each phase
        (:data:`PHASES`, 0 where a phase does not apply), ``total_seconds``, ``n_cuts``; one
        row for three-phase EOS (latent EOS, or the smallest K of a sweep) and one per
        pixel-space method trained with that loss. Empty when no latent EOS ran.
    """
    rows = []
    for (dataset, cut, arch, loss), block in metrics.groupby(
        ["dataset", "cut", "arch", "loss"], sort=False
    ):
        base = block[(block.space == "input") & (block.method == "Base")]
        eos = _latent_eos(block)
        if base.empty or eos is None:
            continue
        base, key = base.iloc[0], {"dataset": dataset, "cut": cut, "arch": arch, "loss": loss}
        rows.append(
            {
                **key,
                "approach": "three-phase (FE space)",
                "method": eos["method"],
                "train_seconds": base["fit_seconds"],
                "extract_seconds": base.get("extract_seconds", 0.0),
                "resample_seconds": eos["resample_seconds"],
                "head_seconds": eos["fit_seconds"],
            }
        )
        pixel = block[(block.space == "input") & block.method.isin([*PIXEL_PREPROCESSING, "EOS"])]
        rows += [
            {
                **key,
                "approach": "pixel space + full training",
                "method": row.method,
                "train_seconds": row.fit_seconds,
                "extract_seconds": 0.0,
                "resample_seconds": row.resample_seconds,
                "head_seconds": 0.0,
            }
            for row in pixel.itertuples()
        ]
    columns = ["dataset", "arch", "loss", "approach", "method", *PHASES, "total_seconds", "n_cuts"]
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows).fillna({"extract_seconds": 0.0})
    frame["total_seconds"] = frame[PHASES].sum(axis=1)
    keys = ["dataset", "arch", "loss", "approach", "method"]
    table = frame.groupby(keys, sort=False)[[*PHASES, "total_seconds"]].mean()
    table["n_cuts"] = frame.groupby(keys, sort=False)["cut"].nunique()
    return table.reset_index()[columns]


def _latent_eos(block: pd.DataFrame):
    latent = block[block.space == "latent"]
    if "EOS" in set(latent.method):
        return latent[latent.method == "EOS"].iloc[0]
    swept = latent[latent.method.str.startswith("EOS_K")]
    if swept.empty:
        return None
    return swept.loc[swept.method.str.removeprefix("EOS_K").astype(int).idxmin()]


def wall_time_markdown(table: pd.DataFrame) -> str:
    """The table as Markdown with, per dataset/arch/loss, the ratio of the pixel-space
    pre-processing mean (SMOTE, B-SMOTE, Bal-SVM; the paper: 126.9 min) to three-phase EOS
    (the paper: 43.9 min)."""
    lines = ["# Wall time: three-phase EOS vs pixel-space pre-processing (EOS paper V-E2)", ""]
    if table.empty:
        return "\n".join(lines + ["No latent EOS run in this study.", ""])
    for (dataset, arch, loss), block in table.groupby(["dataset", "arch", "loss"], sort=False):
        lines += [
            f"## {dataset}, {arch}, {loss} (seconds, mean over {int(block.n_cuts.max())} cuts)",
            "",
            "| approach | method | train | extract FE | resample | head | total |",
            "|---|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {r.approach} | {r.method} | {r.train_seconds:.1f} | {r.extract_seconds:.1f} | "
            f"{r.resample_seconds:.1f} | {r.head_seconds:.1f} | {r.total_seconds:.1f} |"
            for r in block.itertuples()
        ]
        three = block[block.approach.str.startswith("three")].total_seconds.iloc[0]
        pixel = block[
            block.method.isin(PIXEL_PREPROCESSING) & block.approach.str.startswith("pixel")
        ]
        if len(pixel):
            lines += [
                "",
                f"Pixel-space pre-processing ({', '.join(pixel.method)}) takes "
                f"{pixel.total_seconds.mean() / three:.2f}x the time of three-phase EOS "
                "(EOS paper: 126.9 / 43.9 = 2.89x).",
            ]
        lines.append("")
    return "\n".join(lines)
