// Package sweep reads sweep files and runs a scenario over a grid or a sample of its parameters, streaming one row of metrics per point, deterministically, resumably and in shards that merge into the same bytes as one run.
package sweep
