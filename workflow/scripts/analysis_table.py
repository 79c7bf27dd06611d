"""Aggregate every analysis over splits into tidy tables (results/tables/<table>.csv)."""

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
    runs = {
        name: summaries.combine([read_parquet(path) for path in snakemake.input[name]])
        for name in set(snakemake.params.tables.values())
    }
    for table, source in snakemake.params.tables.items():
        result = BUILDERS[table](runs[source])
        log.info("%s: %d rows from %d files", table, len(result), len(snakemake.input[source]))
        write_csv(result, snakemake.output[table])
