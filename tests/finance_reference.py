"""Reference values of the finance operations (sdk/finance.ts), computed with pandas.

Reads {"data": {column: [values]}, "window": n, "annualization": a, "lambda": l,
"columns": [names], "gaps": [rows]} on stdin; the rows hold bars of several symbols (column
"sym"), in time order per symbol, possibly interleaved; "gaps" are rows whose close is
missing in the EWMA cases "vol_ewma_gaps" (pandas' default ignore_na=False) and
"vol_ewma_gaps_ignore_na" (ignore_na=True). Prints {name: values} on stdout: per-row results as
lists aligned with the input rows (null where pandas gives NaN), and per-symbol or matrix
results as lists of row objects.
"""

import json
import math
import sys

import numpy as np
import pandas as pd

from _reference_values import values


def per_symbol(df, fn):
    """fn(group frame) -> Series, per symbol, realigned to the input rows."""
    parts = [fn(sub) for _, sub in df.groupby("sym", sort=False)]
    return pd.concat(parts).reindex(df.index)



def main():
    inp = json.load(sys.stdin)
    df = pd.DataFrame(inp["data"])
    n, a, lam = inp["window"], inp["annualization"], inp["lambda"]
    out = {}

    out["simple"] = per_symbol(df, lambda s: s.close.pct_change())
    out["simple3"] = per_symbol(df, lambda s: s.close.pct_change(periods=3))
    out["log"] = per_symbol(df, lambda s: np.log(s.close / s.close.shift(1)))
    out["cumulative"] = per_symbol(df, lambda s: s.close / s.close.iloc[0] - 1)
    out["lag2"] = per_symbol(df, lambda s: s.close.shift(2))
    out["lead1"] = per_symbol(df, lambda s: s.close.shift(-1))
    out["diff1"] = per_symbol(df, lambda s: s.close.diff(1))
    out["pct2"] = per_symbol(df, lambda s: s.close.pct_change(periods=2))

    def log_ret(s):
        return np.log(s.close / s.close.shift(1))

    def rs(s):
        return (np.log(s.high / s.close) * np.log(s.high / s.open)
                + np.log(s.low / s.close) * np.log(s.low / s.open))

    def yang_zhang(s):
        k = 0.34 / (1.34 + (n + 1) / (n - 1))
        overnight = np.log(s.open / s.close.shift(1)).rolling(n).var()
        open_close = np.log(s.close / s.open).rolling(n).var()
        return np.sqrt(a * (overnight + k * open_close + (1 - k) * rs(s).rolling(n).mean()))

    out["vol_close"] = per_symbol(df, lambda s: log_ret(s).rolling(n).std() * math.sqrt(a))
    out["vol_ewma"] = per_symbol(df, lambda s: np.sqrt(
        a * (log_ret(s) ** 2).ewm(alpha=1 - lam, adjust=False, min_periods=n).mean()))
    gappy = df.assign(close=df.close.where(~df.index.isin(inp["gaps"])))
    for name, ignore_na in (("vol_ewma_gaps", False), ("vol_ewma_gaps_ignore_na", True)):
        out[name] = per_symbol(gappy, lambda s, i=ignore_na: np.sqrt(a * (log_ret(s) ** 2).ewm(
            alpha=1 - lam, adjust=False, min_periods=n, ignore_na=i).mean()))
    out["vol_parkinson"] = per_symbol(df, lambda s: np.sqrt(
        a * (np.log(s.high / s.low) ** 2).rolling(n).mean() / (4 * math.log(2))))
    out["vol_garman_klass"] = per_symbol(df, lambda s: np.sqrt(a * (
        0.5 * np.log(s.high / s.low) ** 2
        - (2 * math.log(2) - 1) * np.log(s.close / s.open) ** 2).rolling(n).mean()))
    out["vol_rogers_satchell"] = per_symbol(df, lambda s: np.sqrt(a * rs(s).rolling(n).mean()))
    out["vol_yang_zhang"] = per_symbol(df, yang_zhang)

    out["rolling_vwap"] = per_symbol(df, lambda s: (s.close * s.volume).rolling(n).sum()
                                     / s.volume.rolling(n).sum())
    out["rolling_corr"] = per_symbol(df, lambda s: s.x.rolling(n).corr(s.y))
    out["rolling_corr_px"] = per_symbol(df, lambda s: s.close.rolling(n).corr(s.volume))
    result = {k: values(v) for k, v in out.items()}

    groups = df.groupby("sym", sort=False)
    result["vwap"] = [{"sym": sym, "vwap": float((s.close * s.volume).sum() / s.volume.sum())}
                      for sym, s in groups]
    result["twap"] = []
    for sym, s in groups:
        dt = (s.ts.shift(-1) - s.ts).astype(float)
        result["twap"].append({"sym": sym, "twap": float((s.close * dt).sum() / dt.sum()),
                               "mean": float(s.close.mean())})

    cols = inp["columns"]
    for method in ("pearson", "spearman"):
        m = df[cols].corr(method=method)
        result[method] = [{"column": c, **{d: float(m.loc[c, d]) for d in cols}} for c in cols]
        result[method + "_by"] = [
            {"sym": sym, "column": c, **{d: float(mm.loc[c, d]) for d in cols}}
            for sym, s in groups for mm in [s[cols].corr(method=method)] for c in cols
        ]
    json.dump(result, sys.stdout)


main()
