"""Reference values of technical indicators, computed with pandas-ta (pandas_ta_classic).

Reads {"data": {"sym": [...], column: [values], ...}, "cases": [{"name": n, "fn": f,
"column": c, "kwargs": {...}}]} on stdin. The rows hold several symbols (column "sym"),
in time order per symbol, possibly interleaved. For each case, pandas_ta_classic.<f> runs on
column c of each symbol separately with kwargs; the results are realigned to the input rows.
Prints {name: [value or null]} on stdout (null where pandas-ta gives NaN).
"""

import json
import sys
import warnings

import pandas as pd
import pandas_ta_classic as ta

from _reference_values import values


def per_symbol(df, column, fn, kwargs):
    parts = [fn(sub[column], **kwargs) for _, sub in df.groupby("sym", sort=False)]
    return pd.concat(parts).reindex(df.index)



def main():
    inp = json.load(sys.stdin)
    df = pd.DataFrame(inp["data"])
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for case in inp["cases"]:
            fn = getattr(ta, case["fn"])
            out[case["name"]] = values(per_symbol(df, case["column"], fn, case["kwargs"]))
    json.dump(out, sys.stdout)


main()
