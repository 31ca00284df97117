#!/usr/bin/env bash
# The data officer's commands against the run they stand in for, on the example release:
# `htdx run` (the reference), `htdx preview` and `htdx explain`, interleaved, ROUNDS rounds
# (default 7). Prints each command's times and its median as a ratio to run's median.
#   bash Benchmarks/workbench.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
swift build -c release --product htdx >/dev/null
B=.build/release/htdx
page=$(mktemp --suffix=.html)
trap 'rm -f "$page"' EXIT
for _ in $(seq "$rounds"); do
  for cmd in "run Examples/release.yaml" "preview Examples/release.yaml --html $page" "explain Examples/release.yaml --record CM-000053"; do
    s=$(date +%s%N); $B $cmd >/dev/null; e=$(date +%s%N)
    echo "${cmd%% *} $(( (e - s) / 1000000 ))"
  done
done | sort -k1,1 -k2,2n | awk '
  { n[$1]++; v[$1, n[$1]] = $2; t[$1] = t[$1] " " $2 }
  END {
    for (k in n) m[k] = v[k, int((n[k] + 1) / 2)]
    for (k in n) printf "%-8s median %4d ms  %.2f x run   (sorted ms:%s)\n", k, m[k], m[k] / m["run"], t[k]
  }'
