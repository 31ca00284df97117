#!/usr/bin/env bash
# Fuzzing: builds the libFuzzer targets of Fuzz/ with AddressSanitizer and runs each for SECONDS.
#   Benchmarks/fuzz.sh SECONDS [TARGET...]      TARGET: csv xml yaml condition (default: all four)
# Each target starts from the seed corpus in Fuzz/corpus/TARGET, copied to a work corpus in
# .build-fuzz/corpus/TARGET that keeps growing from run to run. A crash, a timeout (10 s per input)
# or running out of memory (2 GB) is written to .build-fuzz/crashes/TARGET/ and the script exits 1;
# replay one with `.build-fuzz/debug/fuzz-TARGET FILE`. HTDX_FUZZ_BUILD names another build folder
# (under the repository, as .build-NAME), for a long run that a rebuild must not disturb.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:?usage: Benchmarks/fuzz.sh SECONDS [csv|xml|yaml|condition ...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv xml yaml condition)
for t in "${targets[@]}"; do
  [ -d "$repo/Fuzz/corpus/$t" ] || { echo "fuzz.sh: no target $t (csv, xml, yaml, condition)" >&2; exit 2; }
done
build=$repo/${HTDX_FUZZ_BUILD:-.build-fuzz}

start=$(date +%s)
mkdir -p "$build"
# The flags apply to every Swift module of the build, so the code under test is instrumented too.
if ! swift build --package-path "$repo/Fuzz" --scratch-path "$build" \
     -Xswiftc -sanitize=fuzzer,address >"$build/fuzz-build.log" 2>&1; then
  grep -v "Cannot export local symbol" "$build/fuzz-build.log" | tail -30
  exit 1
fi
echo "fuzz build: $(( $(date +%s) - start )) s"

# The policy target resolves hierarchy and crosswalk paths next to the file it loads; the readers
# load the shipped partner profiles from there.
scratch=$(mktemp -d /tmp/htdx-fuzz.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
cp -R "$repo/Policies/hierarchies" "$repo/Policies/ctdc" "$repo/Policies/htcds" "$repo/Policies/partners" "$scratch/"

failed=0
printf '%-10s %8s %12s %9s %8s %8s  %s\n' target seconds executions exec/s cov features result
for t in "${targets[@]}"; do
  corpus=$build/corpus/$t crashes=$build/crashes/$t log=$build/fuzz-$t.log
  mkdir -p "$corpus" "$crashes"
  cp -n "$repo/Fuzz/corpus/$t"/* "$corpus/" 2>/dev/null || true
  before=$(ls "$crashes" | wc -l)
  status=0
  # Leak detection is off: Foundation's FileManager.contents(atPath:) leaks 4 KB on an empty file
  # (swift-foundation, Swift 6.3.1), which would stop the policy target at its first empty input.
  HTDX_FUZZ_SCRATCH=$scratch SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 \
    "$build/debug/fuzz-$t" "$corpus" -dict="$repo/Fuzz/dictionaries/$t.dict" \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -detect_leaks=0 \
      -artifact_prefix="$crashes/" -print_final_stats=1 >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  found=$(( $(ls "$crashes" | wc -l) - before ))
  if [ "$status" -ne 0 ] || [ "$found" -gt 0 ]; then
    result="FAILED (exit $status; $found new file(s) in ${build#$repo/}/crashes/$t, log ${build#$repo/}/fuzz-$t.log)"
    failed=1
  else
    result="no crash"
  fi
  printf '%-10s %8s %12s %9s %8s %8s  %s\n' "$t" "$seconds" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "$result"
  if [ "$status" -ne 0 ]; then grep -E '^(==[0-9]+==ERROR|SUMMARY|.*Fatal error|.*Precondition failed)' "$log" | head -5 || true; fi
done
exit $failed
