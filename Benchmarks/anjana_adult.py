#!/usr/bin/env python3
"""Run ANJANA's k-anonymity on UCI Adult (all nine columns quasi-identifying).

This is the peer half of Benchmarks/run.sh: the harness times this whole
process from outside with /usr/bin/time, so the script does nothing but load,
anonymise and (optionally) write the result.  Checking the result with pyCANON
happens afterwards in a separate process (Benchmarks/check_k.py), so that it
is not counted in ANJANA's time.

ANJANA 1.2.x API used (anjana/anonymity/_k_anonymity.py):
    k_anonymity_inner(data, ident, quasi_ident, k, supp_level, hierarchies)
        -> (anonymised DataFrame, suppressed record count, {qi: level})
  k_anonymity() is the same call returning only the DataFrame; the inner
  function is public (listed in anjana.anonymity.__all__) and additionally
  returns the suppression count and the generalisation level of each QI.
  supp_level is a percentage (0..100).  hierarchies is
  {column: {level: sequence of values}} where the sequences of all levels are
  aligned by position (row i of an ARX hierarchy file); level 0 is the raw
  value.  Values are compared with ==, so data and hierarchies are both read
  as strings.

Usage:
  anjana_adult.py K SUPP_PERCENT [--data adult.csv] [--hierarchies DIR]
                  [--replicate N] [--out FILE]
"""

import argparse
import os
import sys
import time


def parse_args():
    here = os.path.dirname(os.path.abspath(__file__))
    default_shared = os.environ.get(
        "SHARED", os.path.join(here, "..", "..", "shared")
    )
    default_adult = os.path.join(default_shared, "bench", "adult")
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("k", type=int, help="k of k-anonymity")
    p.add_argument(
        "supp", type=float, help="maximum suppression, in percent (e.g. 4 for 4 %%)"
    )
    p.add_argument(
        "--data",
        default=os.path.join(default_adult, "adult.csv"),
        help="';'-delimited CSV with a header (default: $SHARED/bench/adult/adult.csv)",
    )
    p.add_argument(
        "--hierarchies",
        default=None,
        help="directory holding adult_hierarchy_<column>.csv "
        "(default: the directory of --data, else $SHARED/bench/adult)",
    )
    p.add_argument(
        "--replicate",
        type=int,
        default=1,
        help="concatenate N exact copies of the data in memory (100 gives Adult x100)",
    )
    p.add_argument(
        "--out", default=None, help="write the anonymised table here (';'-delimited)"
    )
    args = p.parse_args()
    if args.hierarchies is None:
        d = os.path.dirname(os.path.abspath(args.data))
        if os.path.exists(os.path.join(d, "adult_hierarchy_sex.csv")):
            args.hierarchies = d
        else:
            args.hierarchies = default_adult
    return args


def main():
    args = parse_args()
    t0 = time.perf_counter()

    import pandas as pd
    from anjana.anonymity import k_anonymity_inner

    t_import = time.perf_counter()

    data = pd.read_csv(args.data, sep=";", dtype=str, keep_default_na=False)
    if args.replicate > 1:
        data = pd.concat([data] * args.replicate, ignore_index=True)
    qis = list(data.columns)  # all nine columns are quasi-identifiers

    hierarchies = {}
    for col in qis:
        path = os.path.join(args.hierarchies, f"adult_hierarchy_{col}.csv")
        h = pd.read_csv(path, sep=";", header=None, dtype=str, keep_default_na=False)
        # {level: Series}, the form of ANJANA's own examples: dict(pd.read_csv(...))
        hierarchies[col] = {int(level): h[level] for level in h.columns}
    t_load = time.perf_counter()

    anon, suppressed, levels = k_anonymity_inner(
        data, [], qis, args.k, args.supp, hierarchies
    )
    t_anon = time.perf_counter()

    # After suppression ANJANA returns data.drop(...).reset_index(): the old
    # index becomes a column named "index".  It is not part of the table.
    if "index" in anon.columns and "index" not in data.columns:
        anon = anon.drop(columns=["index"])

    if args.out:
        anon.to_csv(args.out, sep=";", index=False)
    t_write = time.perf_counter()

    n = len(data)
    print(f"anjana: rows={n} k={args.k} supp_limit={args.supp}% qis={len(qis)}")
    if len(anon) == 0:
        print("anjana: anonymisation failed (empty result)")
        return 2
    pct = 100.0 * suppressed / n if n else 0.0
    print(f"anjana: suppressed={suppressed} ({pct:.2f}%) published={len(anon)}")
    print(
        "anjana: levels "
        + " ".join(f"{c}={levels.get(c, '?')}" for c in qis)
    )
    print(
        "anjana: levels_vector="
        + ",".join(str(levels.get(c, "?")) for c in qis)
    )
    print(
        f"anjana: seconds import={t_import - t0:.3f} load={t_load - t_import:.3f} "
        f"anonymize={t_anon - t_load:.3f} write={t_write - t_anon:.3f} "
        f"total={t_write - t0:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
