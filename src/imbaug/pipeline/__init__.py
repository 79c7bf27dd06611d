"""Study runners: one call per unit of replication (a tabular split, an image cut).

They take arrays and settings and return tables; they know nothing of paths or Snakemake."""
