#!/usr/bin/env bash
# Measures how a sweep's throughput scales from 1 to 2 workers: runs the
# benchmarks BenchmarkSweepKorea1Worker and BenchmarkSweepKorea2Workers of
# ./sweep in N alternating pairs (default 9), printing the load average
# before each pair, then the median of the pairs' 2-worker/1-worker ratios.
#
#   scripts/sweep-scaling.sh 9
#   BOOST=1 scripts/sweep-scaling.sh 9   # root: in its own session at autogroup nice -20
#
# On a machine that other work loads, the ratio says more about that work
# than about parley: BOOST=1 runs the benchmarks in a new session whose
# scheduling group has the top weight, so that they get most of the cores
# while they run (Linux with autogroups, root). The idle-% and cpu-ms/point
# columns do not depend on the load (docs/sweeps.md#performance).
set -euo pipefail

pairs="${1:-9}"
if [[ "${BOOST:-}" == 1 && "${PARLEY_SCALING_BOOSTED:-}" != 1 ]]; then
	export PARLEY_SCALING_BOOSTED=1
	exec setsid bash -c 'echo -20 > /proc/self/autogroup && exec "$0" "$1"' "$0" "$pairs"
fi
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin="$tmp/sweep.test"
(cd "$root" && go test -c -o "$bin" ./sweep/)

cd "$root/sweep"
out="$tmp/bench.txt"
for i in $(seq 1 "$pairs"); do
	echo "pair $i, $(uptime | sed 's/.*load/load/')"
	for b in 1Worker 2Workers; do
		"$bin" -test.run '^$' -test.bench "^BenchmarkSweepKorea$b\$" -test.benchtime 3x | grep '^Benchmark' | tee -a "$out"
	done
done
awk '
	{ for (i = 2; i < NF; i++) if ($(i+1) == "points/s") r = $i }
	/1Worker/ { one = r }
	/2Workers/ { ratio[n++] = r / one }
	END {
		for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (ratio[j] < ratio[i]) { t = ratio[i]; ratio[i] = ratio[j]; ratio[j] = t }
		m = n % 2 ? ratio[int(n/2)] : (ratio[n/2-1] + ratio[n/2]) / 2
		printf "2 workers / 1 worker, %d pairs: median %.2f×, from %.2f× to %.2f×\n", n, m, ratio[0], ratio[n-1]
	}' "$out"
