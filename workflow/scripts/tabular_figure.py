"""DA paper Fig 1: BAC and macro F1 of balancing vs interpolating methods per classifier."""

import pandas as pd

from imbaug.io import atomic_path, job_log
from imbaug.plots.accuracy import plot_tabular_accuracy

with job_log(snakemake.log[0]):
    with atomic_path(snakemake.output[0]) as tmp:
        plot_tabular_accuracy(pd.read_csv(snakemake.input[0]), tmp)
