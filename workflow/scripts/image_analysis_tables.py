"""Tidy tables of the image analyses over every dataset, arch and cut: generalization gap
(EOS paper Figs 3-4) and classification embeddings (CE paper Figs 1, 4, 6)."""

import pandas as pd

from imbaug.analysis.image_tables import embeddings_table, generalization_gap_table
from imbaug.io import job_log, read_parquet, write_csv

inputs, output = snakemake.input, snakemake.output
with job_log(snakemake.log[0]):

    def concat(paths):
        return pd.concat([read_parquet(path) for path in paths], ignore_index=True)

    write_csv(generalization_gap_table(concat(inputs.gaps)), output.gaps)
    write_csv(embeddings_table(concat(inputs.embeddings)), output.embeddings)
