"""Aggregate one analysis over splits into a tidy table (results/tables/<table>.csv)."""
from imbaug.analysis import summaries
from imbaug.io import job_log, read_parquet, write_csv

BUILDERS = {
    "support_vectors": summaries.support_vector_table,
    "weight_change": summaries.weight_change_table,
    "top_k_overlap": summaries.top_k_overlap_table,
    "top_features": summaries.top_features_table,
    "classification_embeddings": summaries.embeddings_table,
    "embedding_profiles": summaries.embedding_profiles_table,
}

with job_log(snakemake.log[0]) as log:
    runs = summaries.combine([read_parquet(path) for path in snakemake.input])
    table = BUILDERS[snakemake.wildcards.table](runs)
    log.info("%s: %d rows from %d files", snakemake.wildcards.table, len(table), len(snakemake.input))
    write_csv(table, snakemake.output[0])
