#!/usr/bin/env python3
"""Independent check of ℓ-diversity and t-closeness of a published table with pyCANON.

Usage:
  check_models.py FILE.csv --qi a,b,c --sensitive COL [--delimiter ';']
                  [--suppressed-marker '*'] [--l L] [--hierarchy H.csv]

Reads FILE (header row, every value a string), drops the rows whose every QI
equals the suppressed marker (how ARX and htdx publish suppressed records),
resets the index, and prints one JSON object:

  rows, suppressed_rows, classes       published rows, all-marker rows, classes left
  k                                    pycanon.anonymity.k_anonymity
  l_distinct                           pycanon.anonymity.l_diversity
  l_entropy                            pycanon.anonymity.entropy_l_diversity (an int)
  recursive_c_pycanon, recursive_l     pycanon.anonymity.recursive_c_l_diversity
  t_equal                              pycanon.anonymity.t_closeness
  own.l_entropy                        min over classes of exp(H), not truncated
  own.recursive_c_for_l                with --l L: the least c the table meets for
                                       recursive (c,L)-diversity, as a supremum:
                                       max over classes of r1 / (rL + ... + rm);
                                       the table satisfies (c,L) for every c above it
  own.t_equal_full_reference           equal-distance EMD like pyCANON's, but with
                                       the reference distribution taken from every
                                       published row, suppressed ones included
  own.t_hierarchical_full_reference    with --hierarchy (an ARX hierarchy file of the
                                       sensitive column, same delimiter): EMD with
                                       hierarchical ground distance (Li et al. 2007),
                                       same full reference; pyCANON has no such measure

How pyCANON 1.3.x computes these (read from its source, pycanon/anonymity):
- Classes are pandas groupby groups on the QIs; pyCANON then selects their rows
  with DataFrame.iloc on the group's index labels, which is only right when the
  index is 0..n-1: hence the reset_index after dropping suppressed rows.
- l_diversity: the least number of distinct sensitive values in a class.
- entropy_l_diversity: int(min over classes of exp(-Σ p ln p)), natural log,
  truncated to an integer.
- recursive_c_l_diversity: takes l from l_diversity (it cannot be given an l),
  sorts each class's counts ascending and returns max over classes of
  floor(r[0] / sum(r[l-1:]) + 1). r[0] is the *smallest* count, not the largest
  one that the definition (Machanavajjhala et al. 2007) uses, so the figure is
  not the c of the definition; own.recursive_c_for_l is.
- t_closeness on a string column: equal ground distance, for every class
  EMD = ½ Σ_v |q_v − p_v| over all values v of the column, where p is the
  distribution of the column in the DataFrame it is given (here: the rows that
  remain after dropping suppressed ones) and q the class's distribution; t is the
  maximum over classes. ARX instead takes p from the whole input table, including
  the records it suppresses (its DataManager.getDistribution), which is what
  own.t_equal_full_reference reproduces. A numeric column would get an ordered
  distance instead; every column is read as a string here, so it never does.

Run it from a scratch virtualenv, never the repository's:
  python3 -m venv /tmp/pycanon-venv && /tmp/pycanon-venv/bin/pip install pycanon
  /tmp/pycanon-venv/bin/python Benchmarks/check_models.py out.csv --delimiter ';' \\
      --qi sex,age,race,marital-status,education,native-country,workclass,salary-class \\
      --sensitive occupation --l 3

Exit status: 0 when checked, 2 when the file cannot be checked.
"""

import argparse
import json
import math
import sys


def read_hierarchy(path, delimiter):
    """ARX hierarchy rows 'raw;level1;...;top' -> list of per-level labels for each raw value."""
    import csv

    with open(path, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.reader(f, delimiter=delimiter) if r]
    return {r[0]: r for r in rows}


def hierarchical_emd(reference, q, tree):
    """Li et al.'s EMD over a generalisation tree of height H.

    Each leaf carries the surplus p_v - q_v. Moving mass between two leaves whose
    lowest common ancestor sits at level j costs j/H, so at every inner node the
    part of its children's surpluses that cancels there (min of the positive and
    the negative sums) pays level/H, and the rest travels up as the node's surplus.
    """
    height = len(next(iter(tree.values()))) - 1
    extra = {}
    for v, row in tree.items():
        extra[(0, row[0])] = reference.get(v, 0.0) - q.get(v, 0.0)
    cost = 0.0
    for level in range(1, height + 1):
        pos, neg = {}, {}
        seen = set()
        for row in tree.values():
            child = (level - 1, row[level - 1] if level > 1 else row[0])
            if child in seen:
                continue
            seen.add(child)
            node = row[level]
            e = extra[child]
            if e > 0:
                pos[node] = pos.get(node, 0.0) + e
            else:
                neg[node] = neg.get(node, 0.0) - e
        for node in set(pos) | set(neg):
            a, b = pos.get(node, 0.0), neg.get(node, 0.0)
            cost += level / height * min(a, b)
            extra[(level, node)] = a - b
    return cost


def own_figures(body, full, qis, sensitive, l_given, tree=None):
    """Figures pyCANON does not give, computed directly from the class counts."""
    reference = full[sensitive].value_counts(normalize=True)
    worst_t = 0.0
    worst_entropy = math.inf
    worst_c = 0.0
    worst_h = 0.0
    for _, group in body.groupby(qis, sort=False):
        counts = group[sensitive].value_counts()
        n = counts.sum()
        q = counts / n
        # Values absent from the class still contribute their reference share.
        emd = 0.5 * sum(abs(q.get(v, 0.0) - p) for v, p in reference.items())
        worst_t = max(worst_t, emd)
        if tree is not None:
            worst_h = max(worst_h, hierarchical_emd(reference, q, tree))
        worst_entropy = min(worst_entropy, math.exp(-sum(x * math.log(x) for x in q)))
        if l_given is not None:
            r = sorted(counts.tolist(), reverse=True)
            tail = sum(r[l_given - 1:])
            worst_c = math.inf if tail == 0 else max(worst_c, r[0] / tail)
    out = {
        "l_entropy": worst_entropy,
        "t_equal_full_reference": worst_t,
    }
    if tree is not None:
        out["t_hierarchical_full_reference"] = worst_h
    if l_given is not None:
        out["recursive_c_for_l"] = worst_c
        out["recursive_l_given"] = l_given
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("file")
    p.add_argument("--delimiter", default=";")
    p.add_argument("--qi", required=True, help="comma-separated quasi-identifiers")
    p.add_argument("--sensitive", required=True)
    p.add_argument("--suppressed-marker", default="*")
    p.add_argument("--l", type=int, default=None, help="l for the recursive (c,l) figure")
    p.add_argument("--hierarchy", default=None, help="ARX hierarchy file of the sensitive column")
    a = p.parse_args()

    try:
        import pandas as pd
        from pycanon import anonymity
    except ImportError as e:
        print(f"check_models: {e}; install pycanon into a scratch virtualenv", file=sys.stderr)
        return 2

    qis = [c for c in a.qi.split(",") if c]
    try:
        full = pd.read_csv(a.file, sep=a.delimiter, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as e:
        print(f"check_models: cannot read {a.file}: {type(e).__name__}", file=sys.stderr)
        return 2
    missing = [c for c in qis + [a.sensitive] if c not in full.columns]
    if missing:
        print(f"check_models: {a.file}: header lacks column(s) {', '.join(missing)}; fix --qi/--sensitive",
              file=sys.stderr)
        return 2

    star = (full[qis] == a.suppressed_marker).all(axis=1)
    body = full[~star].reset_index(drop=True)
    result = {
        "file": a.file,
        "rows": int(len(full)),
        "suppressed_rows": int(star.sum()),
        "classes": int(body.groupby(qis, sort=False).ngroups),
    }
    if len(body) == 0:
        result["note"] = "every row is suppressed"
        print(json.dumps(result, indent=2))
        return 0
    sa = [a.sensitive]
    result["k"] = int(anonymity.k_anonymity(body, qis))
    result["l_distinct"] = int(anonymity.l_diversity(body, qis, sa))
    result["l_entropy"] = int(anonymity.entropy_l_diversity(body, qis, sa))
    c, l = anonymity.recursive_c_l_diversity(body, qis, sa)
    result["recursive_c_pycanon"] = None if c != c else int(c)
    result["recursive_l"] = int(l)
    result["t_equal"] = float(anonymity.t_closeness(body, qis, sa))
    tree = None
    if a.hierarchy:
        try:
            tree = read_hierarchy(a.hierarchy, a.delimiter)
        except OSError as e:
            print(f"check_models: cannot read {a.hierarchy}: {type(e).__name__}", file=sys.stderr)
            return 2
        lengths = {len(r) for r in tree.values()}
        if len(lengths) != 1 or not tree:
            print(f"check_models: {a.hierarchy}: rows differ in their number of levels; "
                  "every row needs the same", file=sys.stderr)
            return 2
        absent = set(full[a.sensitive]) - set(tree)
        if absent:
            print(f"check_models: {a.hierarchy}: {len(absent)} value(s) of column {a.sensitive} "
                  "have no row; add them", file=sys.stderr)
            return 2
    result["own"] = own_figures(body, full, qis, a.sensitive, a.l, tree)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
