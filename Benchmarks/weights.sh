#!/usr/bin/env bash
# What attribute weights and level caps do to CTDC's layout on a synthetic 80,000-case release.
#
#   Benchmarks/weights.sh [HTDX_BINARY]
#
# Generates 40,000 case-management and 40,000 HTCDS-template records (fixed seeds), then runs
# Policies/ctdc-global.yaml as shipped and variants of it (equal weights, no caps; weight 20 on
# both countries with and without the caps) through a job, and prints, per variant, the chosen
# levels, the records published, suppressed and blanked, and how many citizenships and countries of
# exploitation the file holds. Everything is written under a temporary folder, removed at the end.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
htdx=${1:-}
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
trap 'rm -rf "$work"' EXIT
cp -R "$repo/Policies" "$work/Policies"
"$synth" --partner casemgmt --records 40000 --seed 7 --out "$work/casemgmt.csv"
"$synth" --partner htcds-template --records 40000 --seed 8 --out "$work/htcds.csv"

shipped=$work/Policies/ctdc-global.yaml
# Variants, as sed scripts over the shipped policy.
plain='s/, weight: [0-9]*,/,/; s/, maxLevel: [0-9]*,/,/'
declare -A variants=(
    [shipped]=''
    [equal]="$plain"
    [both20]="$plain; s/citizenship: {type: quasi-identifying,/&  weight: 20,/; s/CountryOfExploitation: {type: quasi-identifying,/& weight: 20,/; s/gender: {type: quasi-identifying,/& maxLevel: 0,/"
    [both20capped]="s/citizenship: {type: quasi-identifying, weight: 4,/citizenship: {type: quasi-identifying, weight: 20,/; s/CountryOfExploitation: {type: quasi-identifying, weight: 2,/CountryOfExploitation: {type: quasi-identifying, weight: 20,/"
)
for name in shipped equal both20 both20capped; do
    sed "${variants[$name]:-}" "$shipped" > "$work/Policies/ctdc-$name.yaml"
    cat > "$work/job-$name.yaml" <<JOB
version: 1
policy: Policies/ctdc-$name.yaml
inputs:
  - {profile: casemgmt, path: casemgmt.csv}
  - {profile: htcds-csv, path: htcds.csv}
output: out-$name
rejects: out-$name.rejects.csv
JOB
    "$htdx" run "$work/job-$name.yaml" --json > /dev/null
    python3 - "$work/out-$name" "$name" <<'PY'
import csv, json, sys
out, name = sys.argv[1], sys.argv[2]
r = json.load(open(f"{out}/report.json"))
rows = list(csv.DictReader(open(f"{out}/anonymized.csv"), delimiter=";"))
n = r["records"]
entering = n["in"] - n["excluded"] - n["rejected"]
levels = {k: v for k, v in r["transformation"].items() if v}
cit = {x["citizenship"] for x in rows}
print(f"{name:13} levels {levels} published {n['published']} of {entering} ({100 * n['published'] / entering:.2f} %), "
      f"suppressed {n['suppressed']}, blanked {r.get('cellSuppression', {}).get('recordsBlanked', 0)}; "
      f"citizenship {len(cit)} values ({sum(len(v) == 2 for v in cit)} country codes), "
      f"country of exploitation {len({x['CountryOfExploitation'] for x in rows})} values")
PY
done
