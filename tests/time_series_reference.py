"""Reference values of the time-series operations (sdk/time_series*.ts).

Reads {"data": {column: [values]}, "dups": {column: [values]}, "quotes": {...},
"trades": {...}, "upsample": {...}, "asof_left": {...}, "window": "5m", "rows": n} on stdin:
ticks of several symbols ("sym"), time "ts" in epoch microseconds, sorted per symbol. "data"
has unique instants per symbol, "dups" repeats some. Prints {name: values}: per-row results
as lists aligned with the input rows (null for NaN), computed with pandas (unique instants)
and Python Polars (rolling_*_by, upsample, and join_asof of "asof_left" onto "dups": the
same definitions with repeated instants).
"""

import json
import sys

import numpy as np
import pandas as pd
import polars as pl

from _reference_values import values



def frame(data):
    df = pd.DataFrame(data)
    df["ts"] = pd.to_datetime(df["ts"], unit="us")
    return df


def per_symbol(df, fn):
    parts = [fn(sub) for _, sub in df.groupby("sym", sort=False)]
    return pd.concat(parts).reindex(df.index)


def by_time(df, window, fn):
    return per_symbol(df, lambda s: fn(s.set_index("ts").rolling(window)).set_axis(s.index))


def main():
    inp = json.load(sys.stdin)
    df = frame(inp["data"])
    w, n = inp["window"], inp["rows"]
    pw = pd.Timedelta(w.replace("m", "min"))  # pandas spells minutes "min"
    out = {}
    # Rolling by time (pandas: (t - w, t], min_periods 1).
    for stat in ["mean", "sum", "min", "max", "std", "var", "median", "skew"]:
        out[f"time_{stat}"] = by_time(df, pw, lambda r, s=stat: getattr(r.price, s)())
    out["time_quantile"] = by_time(df, pw, lambda r: r.price.quantile(0.9))
    for stat in ["corr", "cov"]:
        out[f"time_{stat}"] = per_symbol(df, lambda s, st=stat: getattr(
            s.set_index("ts").x.rolling(pw), st)(s.set_index("ts").y).set_axis(s.index))
    # Rolling by rows (min_periods = window).
    for stat in ["mean", "std", "median", "skew"]:
        out[f"rows_{stat}"] = per_symbol(df, lambda s, st=stat: getattr(s.price.rolling(n), st)())
    out["rows_corr"] = per_symbol(df, lambda s: s.x.rolling(n).corr(s.y))
    # Expanding and EWM.
    for stat in ["mean", "std", "var", "median", "min", "max", "sum"]:
        out[f"expanding_{stat}"] = per_symbol(df, lambda s, st=stat: getattr(s.price.expanding(), st)())
    out["expanding_quantile"] = per_symbol(df, lambda s: s.price.expanding().quantile(0.25))
    for stat in ["mean", "std", "var"]:
        out[f"ewm_{stat}"] = per_symbol(df, lambda s, st=stat: getattr(s.price.ewm(span=10), st)())
        out[f"ewm_noadjust_{stat}"] = per_symbol(
            df, lambda s, st=stat: getattr(s.price.ewm(halflife=7, adjust=False), st)())
        # Over missing values: pandas' default ignore_na=False, and ignore_na=True to show
        # that the rule matters on this data.
        for suffix, ign in (("", False), ("_ignore_na", True)):
            out[f"ewm_gappy_{stat}{suffix}"] = per_symbol(
                df, lambda s, st=stat, i=ign: getattr(s.gappy.ewm(span=10, ignore_na=i), st)())
            out[f"ewm_gappy_noadjust_{stat}{suffix}"] = per_symbol(df, lambda s, st=stat, i=ign:
                getattr(s.gappy.ewm(halflife=7, adjust=False, ignore_na=i), st)())
    # Lag and lead by time: the last row at or before t - 90s, the first at or after t + 90s.
    d = pd.Timedelta("90s")
    left = df.assign(at=df.ts - d, row=np.arange(len(df))).sort_values("at")
    right = df[["sym", "ts", "price"]].rename(columns={"ts": "at", "price": "p"}).sort_values("at")
    lag = pd.merge_asof(left, right, on="at", by="sym", direction="backward").sort_values("row")
    out["lag_90s"] = lag.p.to_numpy()
    left = df.assign(at=df.ts + d, row=np.arange(len(df))).sort_values("at")
    lead = pd.merge_asof(left, right, on="at", by="sym", direction="forward").sort_values("row")
    out["lead_90s"] = lead.p.to_numpy()
    # Forward fill with a limit of 2 rows.
    out["ffill2"] = per_symbol(df, lambda s: s.gappy.ffill(limit=2))
    # Asof interpolation: right values at the left instants (pandas reindex + interpolate).
    trades, quotes = frame(inp["trades"]), frame(inp["quotes"])
    for method in ["time", "linear"]:
        parts = []
        for sym, t in trades.groupby("sym", sort=False):
            q = quotes[quotes.sym == sym].groupby("ts").last()["bid"]
            union = q.reindex(q.index.union(pd.DatetimeIndex(t.ts.unique())))
            filled = union.interpolate(method="time" if method == "time" else "linear",
                                       limit_area="inside")
            parts.append(pd.Series(filled.loc[t.ts].to_numpy(), index=t.index))
        out[f"interp_{method}"] = pd.concat(parts).reindex(trades.index)
    # Python Polars on repeated instants: rolling_*_by and upsample.
    dups = pl.DataFrame(inp["dups"]).with_columns(pl.col("ts").cast(pl.Datetime("us")))
    exprs = {
        "mean": pl.col("price").rolling_mean_by("ts", w),
        "sum": pl.col("price").rolling_sum_by("ts", w),
        "min": pl.col("price").rolling_min_by("ts", w),
        "max": pl.col("price").rolling_max_by("ts", w),
        "std": pl.col("price").rolling_std_by("ts", w),
        "var": pl.col("price").rolling_var_by("ts", w),
        "median": pl.col("price").rolling_median_by("ts", w),
        "quantile": pl.col("price").rolling_quantile_by("ts", w, quantile=0.9,
                                                        interpolation="linear"),
    }
    rolled = dups.with_columns(**{k: e.over("sym") for k, e in exprs.items()})
    for k in exprs:
        out[f"dups_{k}"] = rolled[k].to_list()
    up = inp["upsample"]
    grid = (pl.DataFrame(up).with_columns(pl.col("ts").cast(pl.Datetime("us")))
            .upsample("ts", every="1m", group_by="sym", maintain_order=True))
    out["upsample_ts"] = grid["ts"].dt.epoch("us").to_list()
    out["upsample_sym"] = grid["sym"].fill_null(strategy="forward").to_list()
    out["upsample_forward"] = grid.select(pl.col("v").forward_fill().over(
        pl.col("sym").fill_null(strategy="forward")))["v"].to_list()
    out["upsample_linear"] = grid.select(pl.col("v").interpolate().over(
        pl.col("sym").fill_null(strategy="forward")))["v"].to_list()
    out["upsample_time"] = grid.select(pl.col("v").interpolate_by("ts").over(
        pl.col("sym").fill_null(strategy="forward")))["v"].to_list()
    # Asof joins onto repeated right instants (dups), each strategy with and without exact
    # matches: the matched right row's price.
    asof_left = pl.DataFrame(inp["asof_left"]).with_columns(pl.col("ts").cast(pl.Datetime("us")))
    for strategy in ["backward", "forward", "nearest"]:
        for exact in [True, False]:
            joined = asof_left.join_asof(dups.select("sym", "ts", "price"), on="ts", by="sym",
                                         strategy=strategy, allow_exact_matches=exact,
                                         check_sortedness=False)
            out[f"asof_{strategy}_{'exact' if exact else 'strict'}"] = joined["price"].to_list()
    raw = {"upsample_ts", "upsample_sym"}
    json.dump({k: (list(v) if k in raw else values(v)) for k, v in out.items()}, sys.stdout)


if __name__ == "__main__":
    main()
