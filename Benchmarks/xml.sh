#!/usr/bin/env bash
# XML throughput: XMLRecordReader (SAX2 push parser, all security checks, 10 values per record as
# Strings) against `xmllint --sax --noout` (libxml2's SAX parser with no work per event) on the
# same synthetic bulk export, in the same run. Builds Benchmarks/XMLThroughput in release mode.
#   Benchmarks/xml.sh [REPETITIONS] [RECORDS]
# Needs xmllint: apt-get update && apt-get install -y libxml2-utils
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
reps=${1:-3}
records=${2:-300000}
command -v xmllint >/dev/null || { echo "xmllint is missing: apt-get update && apt-get install -y libxml2-utils" >&2; exit 1; }
work=$(mktemp -d /tmp/htdx-xml.XXXXXX)
trap 'rm -rf "$work"' EXIT

(cd "$repo/Benchmarks/XMLThroughput" && swift build -c release >"$work/build.log" 2>&1) || { tail -20 "$work/build.log"; exit 1; }
bin="$(cd "$repo/Benchmarks/XMLThroughput" && swift build -c release --show-bin-path)/xml-throughput"

"$bin" generate "$work/export.xml" "$records"
size=$(stat -c %s "$work/export.xml")

# xmllint: best wall time of REPETITIONS runs.
best=""
for _ in $(seq "$reps"); do
  start=$(date +%s.%N)
  xmllint --sax --noout "$work/export.xml" >/dev/null
  end=$(date +%s.%N)
  t=$(echo "$end - $start" | bc -l)
  if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
done
xmllint_mbps=$(echo "$size / 1000000 / $best" | bc -l)

out=$("$bin" "$work/export.xml" "$reps")
echo "$out" | grep -v '^htdx-'
htdx_mbps=$(echo "$out" | awk '/^htdx-mbps/ {print $2}')
ingest_mbps=$(echo "$out" | awk '/^htdx-ingest-mbps/ {print $2}')
printf 'xmllint --sax --noout:                  %8.0f MB/s  (%.2f s)\n' "$xmllint_mbps" "$best"
printf 'htdx / xmllint:                         %8.2f\n' "$(echo "$htdx_mbps / $xmllint_mbps" | bc -l)"
printf 'profile / xmllint:                      %8.2f\n' "$(echo "$ingest_mbps / $xmllint_mbps" | bc -l)"
printf 'floor: 150 MB/s from file to canonical records: %s\n' "$(echo "$ingest_mbps >= 150" | bc -l | sed 's/1/met/; s/0/NOT met/')"
