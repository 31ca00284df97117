#!/usr/bin/env bash
# One htdx binary against another (the previous release's) on the workloads every record passes
# through, timed alternately in the same run, so that the ratio holds whatever else the machine
# is doing. Each run publishes into a fresh directory; a second table times replacing an existing
# release, which verifies it first (and, with a release history, compares it with the first).
#   bash Benchmarks/compare.sh OLD_HTDX NEW_HTDX [ROUNDS]      (ROUNDS default 5)
# Build the old binary from a worktree: git worktree add /tmp/prev v0.6.0 && (cd /tmp/prev &&
# swift build -c release --product htdx), then OLD_HTDX=/tmp/prev/.build/release/htdx.
# Adult rows need ../shared/bench/adult (or SHARED=DIR); they are left out without it.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
old=${1:?usage: compare.sh OLD_HTDX NEW_HTDX [ROUNDS]} new=${2:?usage: compare.sh OLD_HTDX NEW_HTDX [ROUNDS]}
rounds=${3:-5}
adult=${SHARED:-$repo/../shared}/bench/adult
work=$(mktemp -d /tmp/htdx-compare.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Inputs. Policies sit beside copies of their hierarchies, so both binaries read them alike.
cp -R "$repo/Policies" "$work/Policies"
{ head -1 "$repo/Examples/cases.csv"; for _ in $(seq 200); do tail -n +2 "$repo/Examples/cases.csv"; done; } > "$work/cases-x200.csv"
# The casemgmt export ×200 with a reference of its own per record (a repeated one is rejected).
awk -F, 'NR == 1 { print; next } FNR > 1 { n++; sub(/^[^,]*/, sprintf("CM-%08d", n)); print }' \
  "$repo/Examples/partners/casemgmt.csv" $(for _ in $(seq 200); do echo "$repo/Examples/partners/casemgmt.csv"; done) \
  > "$work/casemgmt-x200.csv"
workloads=(
  "cases×200|anonymize --policy $work/Policies/example.yaml --out OUT $work/cases-x200.csv"
  "casemgmt×200 (profile)|anonymize --policy $work/Policies/partners.yaml --out OUT --input casemgmt=$work/casemgmt-x200.csv"
)
if [ -f "$adult/adult.csv" ]; then
  mkdir -p "$work/adult"
  cp "$adult"/adult_hierarchy_*.csv "$work/adult/"
  "$repo/Benchmarks/adult-policy.sh" 5 0.04 "$work/adult" > "$work/adult/k5.yaml"
  "$repo/Benchmarks/adult-policy.sh" 100 0.04 "$work/adult" > "$work/adult/k100.yaml"
  sed -i "s#$work/adult/##" "$work/adult/k5.yaml" "$work/adult/k100.yaml"
  { head -1 "$adult/adult.csv"; for _ in $(seq 20); do tail -n +2 "$adult/adult.csv"; done; } > "$work/adult/x20.csv"
  workloads+=("Adult k=5|anonymize --policy $work/adult/k5.yaml --out OUT $adult/adult.csv"
              "Adult×20 k=100|anonymize --policy $work/adult/k100.yaml --out OUT $work/adult/x20.csv")
fi

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '%-24s %10s %10s %8s\n' workload "old ms" "new ms" new/old
for w in "${workloads[@]}"; do
  name=${w%%|*} args=${w#*|}
  o="" n=""
  for r in $(seq "$rounds"); do
    # Alternate which binary goes first, so that neither always runs on a warmer cache.
    for who in $([ $((r % 2)) = 0 ] && echo "old new" || echo "new old"); do
      bin=$old; [ "$who" = new ] && bin=$new
      rm -rf "$work/out" "$work/out.rejects.csv" "$work/out.history" "$work/.out".*
      t=$(ms "$bin" ${args//OUT/$work/out})
      if [ "$who" = old ]; then o="$o $t"; else n="$n $t"; fi
    done
  done
  mo=$(echo "$o" | median) mn=$(echo "$n" | median)
  printf '%-24s %10d %10d %8.2f\n' "$name" "$mo" "$mn" "$(echo "$mn / $mo" | bc -l)"
done

# Replacing a release: the new binary verifies the existing one before it replaces it.
echo
printf '%-24s %10s %10s %8s\n' "replacing a release" "old ms" "new ms" new/old
w=${workloads[0]} name=${w%%|*} args=${w#*|}
o="" n=""
for r in $(seq "$rounds"); do
  for who in old new; do
    bin=$old; [ "$who" = new ] && bin=$new
    rm -rf "$work/out" "$work/out.rejects.csv" "$work/out.history" "$work/.out".*
    "$bin" ${args//OUT/$work/out} >/dev/null
    t=$(ms "$bin" ${args//OUT/$work/out})
    if [ "$who" = old ]; then o="$o $t"; else n="$n $t"; fi
  done
done
mo=$(echo "$o" | median) mn=$(echo "$n" | median)
printf '%-24s %10d %10d %8.2f\n' "$name" "$mo" "$mn" "$(echo "$mn / $mo" | bc -l)"
