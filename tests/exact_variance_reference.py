"""Exact rolling variance and standard deviation, the reference of the rolling, expanding and
volatility precision tests (tests/time_series_test.ts, tests/finance_test.ts).

Reads {"cases": [case, ...]} as JSON on stdin and prints {"results": [{"var": [...],
"std": [...]}, ...]}: per row the variance and standard deviation of its window, computed
with fractions from the floats' exact values, then rounded once to the nearest float (the
std through a 60-digit decimal square root); null where the window has fewer than
max(minPeriods, ddof + 1) values. A case:

    {"values": [float | null], "by": [key] | null, "minPeriods": m, "ddof": d,
     "window": {"rows": n, "center": bool} | {"period": p, "index": [int]}}

Rows windows hold the row and the n - 1 rows before it (centred: rows i - n//2 to
i + (n+1)//2 - 1, as Polars); time windows the rows whose index lies in (t - p, t], t the
row's index (rows sharing an instant share their window). Windows never cross a change of
"by" (the rows of each key, in input order, are one series).
"""

import json
import sys
from decimal import Decimal, getcontext
from fractions import Fraction

getcontext().prec = 60


def bounds(case, rows):
    """(lo, hi) row positions (within the series) of each row's window, hi exclusive."""
    window, n = case["window"], len(rows)
    if "rows" in window:
        w = window["rows"]
        if window.get("center"):
            return [(max(0, i - w // 2), min(n, i + (w + 1) // 2)) for i in range(n)]
        return [(max(0, i - w + 1), i + 1) for i in range(n)]
    index = [case["window"]["index"][r] for r in rows]
    p, out, lo, hi = window["period"], [], 0, 0
    for i in range(n):
        while hi < n and index[hi] <= index[i]:
            hi += 1
        while index[lo] <= index[i] - p:
            lo += 1
        out.append((lo, hi))
    return out


def series(case):
    """The row numbers of each series (one per key of "by", in order of appearance)."""
    keys = case.get("by") or [None] * len(case["values"])
    groups = {}
    for row, key in enumerate(keys):
        groups.setdefault(key, []).append(row)
    return groups.values()


def root(fraction):
    return float((Decimal(fraction.numerator) / Decimal(fraction.denominator)).sqrt())


def run(case):
    values, ddof = case["values"], case["ddof"]
    need = max(case["minPeriods"], ddof + 1)
    var, std = [None] * len(values), [None] * len(values)
    for rows in series(case):
        exact = [None if values[r] is None else Fraction(values[r]) for r in rows]
        count, s1, s2 = [0], [Fraction(0)], [Fraction(0)]
        for v in exact:
            count.append(count[-1] + (v is not None))
            s1.append(s1[-1] + (v or 0))
            s2.append(s2[-1] + (v or 0) ** 2)
        for i, (lo, hi) in enumerate(bounds(case, rows)):
            c = count[hi] - count[lo]
            if c < need:
                continue
            a = s1[hi] - s1[lo]
            v = ((s2[hi] - s2[lo]) - a * a / c) / (c - ddof)
            var[rows[i]], std[rows[i]] = float(v), root(v)
    return {"var": var, "std": std}


def main():
    cases = json.load(sys.stdin)["cases"]
    json.dump({"results": [run(case) for case in cases]}, sys.stdout)


if __name__ == "__main__":
    main()
