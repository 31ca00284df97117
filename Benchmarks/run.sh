#!/usr/bin/env bash
# htdx vs ANJANA on UCI Adult, measured in the same run on the same machine.
# See Benchmarks/README.md.
#
#   Benchmarks/run.sh [--write] [--reps N] [--no-build] [--keep]
#
# Environment:
#   SHARED            data root; Adult is read from $SHARED/bench/adult (default <repo>/../shared)
#   HTDX_BIN          use this htdx binary instead of building one (skips swift build)
#   BENCH_VENV        virtualenv for ANJANA and pyCANON (default /tmp/htdx-bench-venv)
#   BENCH_PYTHON      interpreter that creates the virtualenv (default python3)
#   BENCH_REPS        repetitions per measurement (default 3; --reps overrides)
#   BENCH_ANJANA_BIG  1 = also run ANJANA on Adult x100 (5–8 minutes per repetition here)
#   BENCH_BIG_REPS    repetitions of ANJANA on Adult x100 (default 1)
#   BENCH_FACTOR      copies of Adult in the big file (default 100)
#   TMPDIR            where the scratch directory goes (default /tmp)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench="$repo/Benchmarks"
shared=${SHARED:-$repo/../shared}
venv=${BENCH_VENV:-/tmp/htdx-bench-venv}
reps=${BENCH_REPS:-3}
big_reps=${BENCH_BIG_REPS:-1}
factor=${BENCH_FACTOR:-100}
anjana_big=${BENCH_ANJANA_BIG:-0}
write=0
build=1
keep=0

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }
while [[ $# -gt 0 ]]; do
    case $1 in
        --write) write=1 ;;
        --reps) reps=${2:?--reps needs a number}; shift ;;
        --no-build) build=0 ;;
        --keep) keep=1 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "error: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
[[ $reps =~ ^[1-9][0-9]*$ ]] || { echo "error: --reps/BENCH_REPS must be a positive integer" >&2; exit 2; }

say() { printf '\n== %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- prerequisites
if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time -v true >/dev/null 2>&1; then
    die "GNU time is needed at /usr/bin/time (for 'time -v': wall clock and peak RSS).
       On Debian/Ubuntu install it with:  apt-get update && apt-get install -y time"
fi
adult="$shared/bench/adult"
[[ -f $adult/adult.csv ]] || die "Adult not found at $adult/adult.csv (set SHARED to the directory holding bench/adult)"
adult=$(cd "$adult" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/htdx-bench.XXXXXX")
cleanup() {
    if [[ $keep == 1 ]]; then echo "scratch directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
echo "scratch directory: $work"

# ---------------------------------------------------------------- htdx
htdx=""
htdx_problem=""
if [[ -n ${HTDX_BIN:-} ]]; then
    [[ -x $HTDX_BIN ]] || die "HTDX_BIN=$HTDX_BIN is not an executable file"
    htdx=$HTDX_BIN
    say "htdx: using HTDX_BIN=$htdx"
elif ! command -v swift >/dev/null 2>&1; then
    htdx_problem="swift not found on PATH"
else
    if [[ $build == 1 ]]; then
        say "htdx: swift build -c release --product htdx (log: $work/build.log)"
        if ! (cd "$repo" && swift build -c release --product htdx) >"$work/build.log" 2>&1; then
            echo "!! swift build failed; last lines of the log:"
            tail -n 25 "$work/build.log" | sed 's/^/   | /'
            htdx_problem="release build failed"
        fi
    fi
    if [[ -z $htdx_problem ]]; then
        bin_dir=$(cd "$repo" && swift build -c release --show-bin-path 2>/dev/null) || bin_dir=""
        if [[ -n $bin_dir && -x $bin_dir/htdx ]]; then
            htdx="$bin_dir/htdx"
            echo "htdx binary: $htdx"
        else
            htdx_problem="no release binary at ${bin_dir:-<unknown bin path>}/htdx"
        fi
    fi
fi
if [[ -n $htdx_problem ]]; then
    echo "!! htdx is not available ($htdx_problem): its rows are skipped, ANJANA still runs."
fi

# ---------------------------------------------------------------- Python peers
say "virtualenv: $venv"
if ! "$venv/bin/python" -c 'import anjana, pycanon' >/dev/null 2>&1; then
    py=${BENCH_PYTHON:-python3}
    command -v "$py" >/dev/null 2>&1 || die "$py not found; set BENCH_PYTHON to a Python >= 3.10"
    if [[ ! -x $venv/bin/python ]]; then
        "$py" -m venv "$venv" || die "'$py -m venv $venv' failed (on Debian: apt-get install -y python3-venv)"
    fi
    echo "installing ANJANA 1.2.x and pyCANON into $venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'anjana==1.2.*' pycanon \
        || die "pip install anjana pycanon failed"
fi
vpy="$venv/bin/python"
anjana_version=$("$vpy" -c 'from importlib.metadata import version as v; print(v("anjana"))')
pycanon_version=$("$vpy" -c 'from importlib.metadata import version as v; print(v("pycanon"))')
pandas_version=$("$vpy" -c 'from importlib.metadata import version as v; print(v("pandas"))')
python_version=$("$vpy" -c 'import platform; print(platform.python_version())')
echo "anjana $anjana_version, pycanon $pycanon_version, pandas $pandas_version, Python $python_version"

# ---------------------------------------------------------------- data and policies
small="$adult/adult.csv"
small_rows=$(($(wc -l <"$small") - 1))
big="$work/adult-x$factor.csv"
say "building Adult x$factor: $big"
tail -n +2 "$small" >"$work/body.csv"
{
    head -n 1 "$small"
    for ((i = 0; i < factor; i++)); do cat "$work/body.csv"; done
} >"$big"
rm -f "$work/body.csv"
big_rows=$(($(wc -l <"$big") - 1))
[[ $big_rows == $((small_rows * factor)) ]] || die "Adult x$factor has $big_rows records, expected $((small_rows * factor))"
echo "$big_rows records ($(du -m "$big" | cut -f1) MB)"

"$bench/adult-policy.sh" 5 0.04 "$adult" >"$work/adult-k5.yaml"
"$bench/adult-policy.sh" 500 0.04 "$adult" >"$work/adult-k500.yaml"

# ---------------------------------------------------------------- measurement
# time -v report -> "seconds kbytes exit"
parse_time() {
    awk -F': ' '
        /Elapsed \(wall clock\) time/ {
            n = split($NF, p, ":"); s = 0
            for (i = 1; i <= n; i++) s = s * 60 + p[i]
            wall = s
        }
        /Maximum resident set size/ { rss = $NF }
        /Exit status/ { ex = $NF }
        END { printf "%.2f %d %d\n", wall, rss, (ex == "" ? 255 : ex) }' "$1"
}
# list of numbers -> "min median"
min_median() {
    tr ' ' '\n' | grep -v '^$' | sort -g | awk '
        { v[NR] = $1 }
        END {
            if (NR == 0) { print "- -"; exit }
            m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%.2f %.2f\n", v[1], m
        }'
}

declare -A walls=() rss=() notes=() status=()
overall=0

# run_one ROW TOOL REP LOG -- command...   (appends wall and RSS of one run)
run_one() {
    local row=$1 rep=$2 log=$3; shift 4
    local tf="$work/time.$row.$rep"
    /usr/bin/time -v -o "$tf" "$@" >"$log" 2>&1 || true
    local w r e
    read -r w r e < <(parse_time "$tf")
    walls[$row]="${walls[$row]:-} $w"
    if ((r > ${rss[$row]:-0})); then rss[$row]=$r; fi
    printf '   rep %d: %6.2f s  %7.1f MB  exit %d\n' "$rep" "$w" "$(awk -v k="$r" 'BEGIN{print k/1000}')" "$e"
    return "$e"
}

# check OUTPUT.csv K ROW INPUT_ROWS -> pyCANON line into notes
check() {
    local out=$1 k=$2 row=$3 n=$4 line rc=0
    line=$("$vpy" "$bench/check_k.py" "$out" "$k" --hierarchies "$adult" --input-rows "$n" 2>&1) || rc=$?
    echo "   $line"
    if ((rc != 0)); then
        status[$row]="FAIL"
        overall=1
        echo "   !! pyCANON check failed (want k >= $k)"
    fi
    notes[$row]="${line#pycanon: }"
}

bench_htdx() {   # ROW DATA POLICY K INPUT_ROWS
    local row=$1 data=$2 policy=$3 k=$4 n=$5 rep out
    say "htdx  $row  (k=$k, $reps reps)"
    if [[ -z $htdx ]]; then
        status[$row]="n/a"; notes[$row]="htdx not available: $htdx_problem"; overall=1; return
    fi
    status[$row]="ok"
    for ((rep = 1; rep <= reps; rep++)); do
        out="$work/out-$row-$rep"
        rm -rf "$out"
        if ! run_one "$row" "$rep" "$work/log-$row-$rep" -- "$htdx" anonymize --allow-outside --policy "$policy" --out "$out" "$data"; then
            echo "   !! htdx failed; its output:"; tail -n 20 "$work/log-$row-$rep" | sed 's/^/   | /'
            status[$row]="FAIL"; notes[$row]="htdx exited non-zero"; overall=1; return
        fi
        ((rep == 1)) && head -n 15 "$work/log-$row-$rep" | sed 's/^/   | /'
        if [[ ! -f $out/anonymized.csv ]]; then
            echo "   !! $out/anonymized.csv missing"
            status[$row]="FAIL"; notes[$row]="no anonymized.csv"; overall=1; return
        fi
        check "$out/anonymized.csv" "$k" "$row" "$n"
        rm -rf "$out"
    done
}

bench_anjana() {   # ROW DATA K SUPP_PERCENT REPS INPUT_ROWS
    local row=$1 data=$2 k=$3 pct=$4 n=$5 rows=$6 rep out
    say "ANJANA $row  (k=$k, suppression <= $pct %, $n reps)"
    status[$row]="ok"
    for ((rep = 1; rep <= n; rep++)); do
        out="$work/anjana-$row-$rep.csv"
        if ! run_one "$row" "$rep" "$work/log-$row-$rep" -- "$vpy" "$bench/anjana_adult.py" "$k" "$pct" \
            --data "$data" --hierarchies "$adult" --out "$out"; then
            echo "   !! ANJANA failed; its output:"; tail -n 20 "$work/log-$row-$rep" | sed 's/^/   | /'
            status[$row]="FAIL"; notes[$row]="ANJANA exited non-zero"; overall=1; return
        fi
        sed 's/^/   | /' "$work/log-$row-$rep"
        check "$out" "$k" "$row" "$rows"
        rm -f "$out"
    done
    # ANJANA's own count of suppressed records, shown only if it disagrees with the checker's
    local own
    own=$(grep -o 'suppressed=[0-9]*' "$work/log-$row-1" | head -n 1 || true)
    if [[ -n $own && ${notes[$row]} != *"$own "* ]]; then
        notes[$row]="${notes[$row]} (ANJANA reports $own)"
    fi
}

bench_htdx   adult-htdx   "$small" "$work/adult-k5.yaml"   5   "$small_rows"
bench_anjana adult-anjana "$small" 5 4 "$reps" "$small_rows"
bench_htdx   big-htdx     "$big"   "$work/adult-k500.yaml" 500 "$big_rows"
if [[ $anjana_big == 1 ]]; then
    bench_anjana big-anjana "$big" 500 4 "$big_reps" "$big_rows"
else
    status[big-anjana]="skipped"
    notes[big-anjana]="not run (set BENCH_ANJANA_BIG=1; ~5–8 min per rep)"
fi

# ---------------------------------------------------------------- report
fmt_row() {   # ROW PROBLEM TOOL RATIO
    local row=$1 problem=$2 tool=$3 ratio=$4 mm rmb
    if [[ -n ${walls[$row]:-} ]]; then
        mm=$(echo "${walls[$row]}" | min_median | awk '{printf "%s / %s", $1, $2}')
        rmb=$(awk -v k="${rss[$row]}" 'BEGIN{printf "%.1f", k/1000}')
    else
        mm="—"; rmb="—"
    fi
    local note=${notes[$row]:-}
    [[ ${status[$row]:-} == ok || -z ${status[$row]:-} ]] || note="**${status[$row]}** $note"
    printf '| %s | %s | %s | %s | %s | %s |\n' "$problem" "$tool" "$mm" "$rmb" "$ratio" "$note"
}
median_of() { [[ -n ${walls[$1]:-} ]] && echo "${walls[$1]}" | min_median | awk '{print $2}'; }
ratio_of() {  # ANJANA_ROW HTDX_ROW
    local a h
    a=$(median_of "$1" || true); h=$(median_of "$2" || true)
    if [[ -n $a && -n $h && ${status[$1]} == ok && ${status[$2]} == ok ]]; then
        awk -v a="$a" -v h="$h" 'BEGIN{ if (h > 0) printf "%.1f×", a / h; else print "—" }'
    else
        echo "—"
    fi
}

floor_lines=()
floor() {  # DESCRIPTION OK(0/1)
    if [[ $2 == 1 ]]; then floor_lines+=("- PASS: $1"); else floor_lines+=("- FAIL: $1"); fi
}
r_small=$(ratio_of adult-anjana adult-htdx)
r_big=$(ratio_of big-anjana big-htdx)
if [[ ${status[adult-htdx]} == ok && ${status[adult-anjana]} == ok ]]; then
    rs=${r_small%×}
    floor "Adult: htdx ≥ 5× faster than ANJANA (whole process, median): ${r_small}" "$(awk -v r="$rs" 'BEGIN{print (r >= 5) ? 1 : 0}')"
    mb=$(awk -v k="${rss[adult-htdx]}" 'BEGIN{printf "%.1f", k/1000}')
    floor "Adult: htdx peak RSS ≤ 100 MB: $mb MB" "$(awk -v m="$mb" 'BEGIN{print (m <= 100) ? 1 : 0}')"
fi
if [[ ${status[big-htdx]} == ok ]]; then
    md=$(median_of big-htdx)
    floor "Adult ×$factor: htdx ≤ 10 s (median): $md s" "$(awk -v m="$md" 'BEGIN{print (m <= 10) ? 1 : 0}')"
    mb=$(awk -v k="${rss[big-htdx]}" 'BEGIN{printf "%.1f", k/1000}')
    floor "Adult ×$factor: htdx peak RSS ≤ 150 MB: $mb MB" "$(awk -v m="$mb" 'BEGIN{print (m <= 150) ? 1 : 0}')"
fi

cpu=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)
swift_v=$(swift --version 2>/dev/null | head -n 1 || echo "swift not found")
commit=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo "none (no commit yet)")
thousands() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }
small_n=$(thousands "$small_rows")
big_n=$(thousands "$big_rows")
if [[ $anjana_big == 1 ]]; then big_reps_text="$big_reps"; else big_reps_text="not run"; fi
report="$work/results.md"
{
    echo "# htdx vs ANJANA on UCI Adult"
    echo
    echo "Measured by \`Benchmarks/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'): $(nproc) cores ($cpu),"
    echo "$(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo) memory; $swift_v; htdx at commit $commit;"
    echo "ANJANA $anjana_version, pyCANON $pycanon_version, pandas $pandas_version, Python $python_version."
    echo
    echo "Wall time and peak RSS are of the whole process (\`/usr/bin/time -v\`): start-up, CSV read,"
    echo "search and CSV write. Repetitions: $reps (ANJANA on Adult ×$factor: $big_reps_text). All nine columns are"
    echo "quasi-identifiers; suppression ≤ 4 %. Ratio = ANJANA median wall ÷ htdx median wall."
    echo "MB = the kbytes of time's \"Maximum resident set size\" ÷ 1000 (the largest over the repetitions)."
    echo "Notes: pyCANON's k of the published file, its rows, records suppressed (dropped or all-\`*\`),"
    echo "and the hierarchy level of each column (sex, age, race, marital-status, education,"
    echo "native-country, workclass, occupation, salary-class) read off the output by Benchmarks/check_k.py."
    echo
    echo "| problem | tool | wall s (min / median) | peak RSS MB | ratio vs ANJANA | notes |"
    echo "|---|---|---|---|---|---|"
    fmt_row adult-htdx   "Adult ($small_n), k=5, ≤ 4 %" htdx   "$r_small"
    fmt_row adult-anjana "Adult ($small_n), k=5, ≤ 4 %" ANJANA "—"
    fmt_row big-htdx     "Adult ×$factor ($big_n), k=500, ≤ 4 %" htdx   "$r_big"
    fmt_row big-anjana   "Adult ×$factor ($big_n), k=500, ≤ 4 %" ANJANA "—"
    echo
    if ((${#floor_lines[@]})); then
        echo "Floors:"
        printf '%s\n' "${floor_lines[@]}"
    else
        echo "Floors: not evaluated (htdx gave no valid result)."
    fi
} >"$report"

say "results"
echo
cat "$report"
if [[ $write == 1 ]]; then
    cp "$report" "$bench/results.md"
    echo
    echo "written to $bench/results.md"
fi
exit "$overall"
