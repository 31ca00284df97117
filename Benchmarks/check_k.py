#!/usr/bin/env python3
"""Independent check of a published table with pyCANON.

Usage: check_k.py FILE.csv K [--hierarchies DIR [--input-rows N]] [--qis a,b,c]

Reads FILE (';'-delimited, with header, every value a string) and computes
pycanon.anonymity.k_anonymity(df, qis) (qis default: every column).
Prints one line:

  pycanon: k=<k> rows=<published rows> [suppressed=<n>] all_star_rows=<n> levels=<l1,...>

all_star_rows counts records whose every QI is '*' (how a tool that keeps
suppressed records shows them).  levels (only with --hierarchies, a directory of
ARX files adult_hierarchy_<column>.csv) is, per QI, the lowest hierarchy level
whose values cover every published value of that column, all-'*' rows left
out ('-' when every row is all-'*'); it is read off the output, so it is the
same measure for every tool.  suppressed (with --input-rows) counts records
dropped from the output plus all-'*' records.

Exit status: 0 when k >= K, 1 when below, 2 when the file cannot be checked.
"""

import argparse
import os
import sys


def published_levels(df, qis, hier_dir):
    import pandas as pd

    star = (df[qis] == "*").all(axis=1)
    body = df[~star]
    out = []
    if len(body) == 0:
        return ["-"] * len(qis), int(star.sum())
    for c in qis:
        path = os.path.join(hier_dir, f"adult_hierarchy_{c}.csv")
        if not os.path.exists(path):
            out.append("?")
            continue
        h = pd.read_csv(path, sep=";", header=None, dtype=str, keep_default_na=False)
        seen = set(body[c].unique())
        level = "?"
        for lv in h.columns:
            if seen <= set(h[lv]):
                level = str(lv)
                break
        out.append(level)
    return out, int(star.sum())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("file")
    p.add_argument("k", type=int)
    p.add_argument("--hierarchies", default=None)
    p.add_argument("--qis", default=None, help="comma-separated; default all columns")
    p.add_argument(
        "--input-rows",
        type=int,
        default=None,
        help="records in the input; adds suppressed = dropped rows + all-'*' rows",
    )
    a = p.parse_args()

    import pandas as pd
    import pycanon.anonymity

    try:
        df = pd.read_csv(a.file, sep=";", dtype=str, keep_default_na=False)
    except Exception as e:  # noqa: BLE001 - any read failure is reported plainly
        print(f"pycanon: cannot read {a.file}: {e}")
        return 2
    if len(df) == 0:
        print(f"pycanon: {a.file} has no rows")
        return 2
    qis = a.qis.split(",") if a.qis else list(df.columns)
    missing = [q for q in qis if q not in df.columns]
    if missing:
        print(f"pycanon: {a.file} lacks columns {missing}")
        return 2

    k = pycanon.anonymity.k_anonymity(df, qis)
    line = f"pycanon: k={k} rows={len(df)}"
    if a.hierarchies:
        levels, stars = published_levels(df, qis, a.hierarchies)
        if a.input_rows is not None:
            line += f" suppressed={a.input_rows - len(df) + stars}"
        line += f" all_star_rows={stars} levels={','.join(levels)}"
    print(line)
    return 0 if k >= a.k else 1


if __name__ == "__main__":
    sys.exit(main())
