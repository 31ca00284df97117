#!/usr/bin/env bash
# Reader throughput: CSVReader (field splitting + UTF-8 validation) against a plain read(2) of the
# same file, in the same process. Builds Benchmarks/ReaderThroughput in release mode.
#   Benchmarks/reader.sh [REPETITIONS]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$repo/../shared}
reps=${1:-5}
work=$(mktemp -d /tmp/htdx-reader.XXXXXX)
trap 'rm -rf "$work"' EXIT

(cd "$repo/Benchmarks/ReaderThroughput" && swift build -c release >"$work/build.log" 2>&1) || { tail -20 "$work/build.log"; exit 1; }
bin="$repo/Benchmarks/ReaderThroughput/.build/release/reader-throughput"

# Long quoted fields with embedded newlines and doubled quotes: the shipped example ×400.
{ head -1 "$repo/Examples/cases.csv"; for _ in $(seq 400); do tail -n +2 "$repo/Examples/cases.csv"; done; } >"$work/cases.csv"
# The same with multi-byte UTF-8 in every field, so validation leaves its ASCII fast path.
sed 's/a/é/g; s/o/中/g' "$work/cases.csv" >"$work/cases-utf8.csv"
echo "== example ×400 (',')"; "$bin" "$work/cases.csv" "," "$reps"
echo "== example ×400, multi-byte UTF-8 (',')"; "$bin" "$work/cases-utf8.csv" "," "$reps"
# A partner export through its profile, file to canonical records: the casemgmt sample ×400.
{ head -1 "$repo/Examples/partners/casemgmt.csv"; for _ in $(seq 400); do tail -n +2 "$repo/Examples/partners/casemgmt.csv"; done; } >"$work/casemgmt.csv"
echo "== casemgmt ×400 (',') through its profile"; "$bin" "$work/casemgmt.csv" "," "$reps" --casemgmt
if [ -f "$shared/bench/adult/adult.csv" ]; then
  # Many short fields: Adult ×100.
  { head -1 "$shared/bench/adult/adult.csv"; for _ in $(seq 100); do tail -n +2 "$shared/bench/adult/adult.csv"; done; } >"$work/adult.csv"
  echo "== Adult ×100 (';')"; "$bin" "$work/adult.csv" ";" "$reps"
fi
