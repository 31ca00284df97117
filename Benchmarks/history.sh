#!/usr/bin/env bash
# What the release history and the differencing guard cost on a CTDC-scale republication.
#
#   Benchmarks/history.sh [HTDX_BINARY] [RUNS]
#
# Generates a synthetic caseload of 260,000 cases (130,000 case-management records, seed 7;
# 130,000 HTCDS-template records, seed 8) and publishes it as the portal does, growing: eleven
# releases of Policies/ctdc-global.yaml with Examples/release.yaml's aggregates, the first of
# 210,000 cases and each later one 5,000 more (the first N records of each partner file, so that
# cases arrive in the order the files hold them). The first ten build the history; the eleventh,
# 260,000 cases against 10 earlier releases, is timed RUNS times (default 5), each from the same
# saved history and release, and as many times without a history (a new output each time).
# Prints the medians, their ratio, what the guard did, and the history's size on disk.
# Everything is written under a temporary folder, removed at the end.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
htdx=${1:-}
runs=${2:-5}
if [[ -z $htdx ]]; then
    (cd "$repo" && swift build -c release --product htdx >&2 && swift build -c release --product htdx-synth >&2)
    htdx=$repo/.build/release/htdx
fi
synth=$(dirname "$htdx")/htdx-synth
if [[ ! -x $synth ]]; then
    (cd "$repo" && swift build -c release --product htdx-synth >&2)
    synth=$repo/.build/release/htdx-synth
fi
work=$(mktemp -d)
# HTDX_KEEP=1 keeps the folder (for profiling a run by hand); it is printed at the end.
[[ ${HTDX_KEEP:-} == 1 ]] || trap 'rm -rf "$work"' EXIT
cp -R "$repo/Policies" "$work/Policies"
"$synth" --partner casemgmt --records 130000 --seed 7 --out "$work/casemgmt-all.csv"
"$synth" --partner htcds-template --records 130000 --seed 8 --out "$work/htcds-all.csv"

# The first N records of a partner file (quoted fields may hold line breaks, so not `head`).
prefix() {
    python3 - "$1" "$2" "$3" "$4" <<'PY'
import csv, sys
source, n, header_rows, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
with open(source, newline="") as f, open(out, "w", newline="") as o:
    reader, writer = csv.reader(f), csv.writer(o, lineterminator="\n")
    for i, row in enumerate(reader):
        if i >= n + header_rows:
            break
        writer.writerow(row)
PY
}

job() {  # job NAME RELEASE OUTPUT
    cat > "$work/$1.yaml" <<JOB
version: 1
policy: Policies/ctdc-global.yaml
inputs:
  - {profile: casemgmt, path: casemgmt-$2.csv}
  - {profile: htcds-csv, path: htcds-$2.csv}
output: $3
rejects: $3.rejects.csv
aggregates:
  combinations: {attributes: [Datasource, gender, ageBroad, citizenship, CountryOfExploitation, isForcedLabour, isSexualExploit], length: 3, resolution: 10}
  tables:
    - {name: year-by-source-by-gender, dimensions: [yearOfRegistration, Datasource, gender]}
    - {name: gender-by-age, dimensions: [gender, ageBroad], threshold: 11}
JOB
    echo "$work/$1.yaml"
}

for i in $(seq 0 10); do
    n=$((105000 + 2500 * i))
    prefix "$work/casemgmt-all.csv" $n 1 "$work/casemgmt-$i.csv"
    prefix "$work/htcds-all.csv" $n 2 "$work/htcds-$i.csv"
done
for i in $(seq 0 9); do
    "$htdx" run "$(job build-$i $i out)" --json > "$work/summary-$i.json"
    python3 - "$work/summary-$i.json" $i <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
n, h = r["records"], r.get("history", {})
print(f"release {int(sys.argv[2]) + 1:2}: in {n['in']}, published {n['published']}, held back {n.get('heldBack', 0)}, "
      f"suppressed {n['suppressed']}; compared {h.get('releasesCompared', 0)}, earlier transformation kept {h.get('earlierTransformationKept', False)}, "
      f"aggregate cells suppressed {h.get('aggregateCellsSuppressed', 0)}")
PY
done
cp -a "$work/out" "$work/saved-out"
cp -a "$work/out.history" "$work/saved-history"

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
now() { date +%s.%N; }
guarded=() alone=()
for r in $(seq "$runs"); do
    rm -rf "$work/out" "$work/out.history"
    cp -a "$work/saved-out" "$work/out"
    cp -a "$work/saved-history" "$work/out.history"
    t0=$(now); "$htdx" run "$(job timed 10 out)" --json > "$work/guarded.json"; t1=$(now)
    guarded+=("$(echo "$t1 - $t0" | bc)")
    rm -rf "$work/alone" "$work/alone.history" "$work/alone.rejects.csv"
    t0=$(now); "$htdx" run "$(job alone 10 alone)" --json > /dev/null; t1=$(now)
    alone+=("$(echo "$t1 - $t0" | bc)")
done
g=$(printf '%s\n' "${guarded[@]}" | median)
a=$(printf '%s\n' "${alone[@]}" | median)
echo "release of 260,000 cases, median of $runs: with a history of 10 releases ${g} s, without a history ${a} s, ratio $(echo "scale=3; $g / $a" | bc)"
python3 - "$work/out/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("records:", json.dumps(r["records"]))
print("history:", json.dumps(r.get("history", {})))
PY
echo "history on disk: $(du -sb "$work/out.history" | cut -f1) bytes in $(ls "$work/out.history" | wc -l) files (the release itself: $(du -sb "$work/out" | cut -f1) bytes)"
[[ ${HTDX_KEEP:-} == 1 ]] && echo "kept: $work"
exit 0
