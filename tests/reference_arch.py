"""Reference values of the unit-root, cointegration and EWMA volatility computations,
computed with arch (arch.unitroot, arch.univariate).

Reads on stdin {"data": {"sym": [...], column: [values], ...}, "adf": [case], "kpss": [case],
"eg": [case], "ewma": [case]}; the rows hold several symbols (column "sym"), in time order
per symbol, possibly interleaved. Each case runs on every symbol's rows (in order of first
appearance); the result lists hold one entry per symbol, except ewma's, which are per row.

- adf {column, trend, autolag: "AIC"|"BIC"|"t-stat"|null, maxLag: n|null}: ADF with lags =
  maxLag when autolag is null, else max_lags = maxLag and method = autolag. Gives stat,
  pvalue, lags, nobs, crit [1%, 5%, 10%], ic (the criterion of the chosen lag, null with
  fixed lags).
- t-stat cases (adf and eg): arch's rule takes the last lag's t value with the ML variance
  SSR / nobs, statsmodels' (Polaroid's) with SSR / (nobs - k). Where the two pick different
  lags, the result is arch's at the lag of statsmodels' rule (computed on the regressions arch
  selects from), and arch_lag / arch_lag_t give arch's own lag and the statsmodels-style |t|
  there (which then lies in [1.645 sqrt((nobs - k) / nobs), 1.645)); otherwise arch_lag is
  null. sel_nobs is the nobs of the selection regressions.
- kpss {column, trend, nlags: n|"legacy"|"auto"}: KPSS with lags n, -1 or None. Gives stat,
  pvalue, lags, crit [1%, 5%, 10%].
- eg {y, x: [columns], trend, autolag, maxLag}: engle_granger. Gives stat, pvalue, lags, crit
  [1%, 5%, 10%] (arch's own surfaces), and the MacKinnon (1994/2010) values of arch's
  mackinnonp / mackinnoncrit for N = len(x) + 1 series and n - 1 observations:
  mk_pvalue, mk_crit (null for trend "n", which has no N > 1 table).
- ewma {column, lam, window}: per row, the EWMA volatility of the log returns of column, with
  the row's own return included: the square root of arch's EWMAVariance variance of the next
  row's return (for the last row, arch's one-step forecast), arch started (backcast) at the
  first squared return; null where the symbol has fewer than `window` returns ("exact").
  "default" gives the same with arch's default backcast, "backcast" that backcast per symbol,
  "first" the first squared return per symbol.
"""

import json
import math
import sys
import warnings

import numpy as np
import pandas as pd
from arch.univariate import EWMAVariance, ZeroMean
from arch.unitroot import ADF, KPSS
from arch.unitroot.cointegration import engle_granger
from arch.unitroot.unitroot import mackinnoncrit, mackinnonp
from arch.utility.timeseries import add_trend
from statsmodels.regression.linear_model import OLS
from statsmodels.tsa.tsatools import lagmat

# The one-sided 95% normal quantile at which both t-stat rules stop.
T_STOP = 1.6448536269514722


def num(v):
    v = float(v)
    return None if math.isnan(v) else v


def crit(values):
    return [num(values["1%"]), num(values["5%"]), num(values["10%"])]


def t_values(x, trend, max_lag):
    """|t| of the last lag of each selection regression (index = lag) with OLS variance
    SSR / (nobs - k), on the regressions arch's lag selection fits; and their nobs."""
    dy = np.diff(x)
    rhs = lagmat(dy[:, None], max_lag, trim="both", original="in")
    nobs = rhs.shape[0]
    rhs[:, 0] = x[-nobs - 1:-1]
    if trend != "n":
        rhs = add_trend(rhs, trend, prepend=True)
    ntrend = rhs.shape[1] - max_lag - 1
    t = [math.inf] + [abs(OLS(dy[-nobs:], rhs[:, :ntrend + 1 + lag]).fit().tvalues[-1])
                      for lag in range(1, max_lag + 1)]
    return t, nobs


def t_stat_rule(x, trend, max_lag, arch_lag):
    """statsmodels' t-stat lag, and arch's own lag with its |t| when they differ."""
    t, nobs = t_values(x, trend, max_lag)
    lag = max(p for p in range(max_lag + 1) if t[p] >= T_STOP)
    differs = lag != arch_lag
    return lag, {"arch_lag": arch_lag if differs else None,
                 "arch_lag_t": t[arch_lag] if differs else None, "sel_nobs": nobs}


def adf(x, case):
    trend, max_lag, extra = case["trend"], case["maxLag"], {}
    if case["autolag"] is None:
        res = ADF(x, lags=max_lag, trend=trend)
    else:
        res = ADF(x, trend=trend, max_lags=max_lag, method=case["autolag"].lower())
    arch_lag = res.lags  # runs the test (arch computes on first access)
    # arch keeps the criterion of the chosen lag only in _ic_best (set by lag selection).
    ic = None if case["autolag"] is None else num(res._ic_best)
    if case["autolag"] == "t-stat":
        lag, extra = t_stat_rule(x, trend, max_lag, arch_lag)
        if extra["arch_lag"] is not None:
            res = ADF(x, lags=lag, trend=trend)
    return {"stat": num(res.stat), "pvalue": num(res.pvalue), "lags": res.lags,
            "nobs": res.nobs, "crit": crit(res.critical_values), "ic": ic, **extra}


def kpss(x, case):
    lags = {"legacy": -1, "auto": None}.get(case["nlags"], case["nlags"])
    res = KPSS(x, lags=lags, trend=case["trend"])
    return {"stat": num(res.stat), "pvalue": num(res.pvalue), "lags": res.lags,
            "crit": crit(res.critical_values)}


def eg(sub, case):
    y, x = sub[case["y"]].to_numpy(), sub[case["x"]].to_numpy()
    fixed, extra = case["autolag"] is None, {}

    def run(lags):
        return engle_granger(y, x, trend=case["trend"], lags=lags, max_lags=case["maxLag"],
                             method="bic" if fixed else case["autolag"].lower())

    res = run(case["maxLag"] if fixed else None)
    if case["autolag"] == "t-stat":
        lag, extra = t_stat_rule(res.resid.to_numpy(), "n", case["maxLag"], res.lags)
        if extra["arch_lag"] is not None:
            res = run(lag)
    cv = res.critical_values
    n, k = len(y), len(case["x"]) + 1
    mk_crit = None
    if case["trend"] != "n":
        mk_crit = [num(v) for v in mackinnoncrit(k, case["trend"], n - 1)]
    return {"stat": num(res.stat), "pvalue": num(res.pvalue), "lags": res.lags,
            "crit": [num(cv[1]), num(cv[5]), num(cv[10])],
            "mk_pvalue": num(mackinnonp(res.stat, case["trend"], k)), "mk_crit": mk_crit,
            **extra}


def ewma_variance(r, lam, backcast):
    """arch's conditional variance of r and its one-step forecast, as one array."""
    model = ZeroMean(r, volatility=EWMAVariance(lam), rescale=False)
    res = model.fit(disp="off", backcast=backcast)
    forecast = res.forecast(horizon=1, reindex=False).variance.to_numpy()[-1, 0]
    return np.append(res.conditional_volatility ** 2, forecast), model


def ewma(df, case):
    out = {"first": {}, "backcast": {}}
    rows = {"exact": pd.Series(np.nan, index=df.index),
            "default": pd.Series(np.nan, index=df.index)}
    for sym, sub in df.groupby("sym", sort=False):
        c = sub[case["column"]]
        r = np.log(c / c.shift(1)).to_numpy()[1:]
        exact, model = ewma_variance(r, case["lam"], r[0] ** 2)
        backcast = model.volatility.backcast(r)
        default, _ = ewma_variance(r, case["lam"], backcast)
        out["first"][sym], out["backcast"][sym] = float(r[0] ** 2), float(backcast)
        # var[j] is arch's variance of return j (row j + 1) given the returns before it (the
        # last, the forecast after them); the symbol's row t >= 1, which includes its own
        # return, is var[t].
        for name, var in (("exact", exact), ("default", default)):
            sigma = np.sqrt(var[1:])
            sigma[: case["window"] - 1] = np.nan
            rows[name].loc[sub.index[1:]] = sigma
    out["exact"] = [num(v) for v in rows["exact"]]
    out["default"] = [num(v) for v in rows["default"]]
    return out


def main():
    inp = json.load(sys.stdin)
    df = pd.DataFrame(inp["data"])
    groups = [sub for _, sub in df.groupby("sym", sort=False)]
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out["adf"] = [[adf(g[c["column"]].to_numpy(), c) for g in groups] for c in inp["adf"]]
        out["kpss"] = [[kpss(g[c["column"]].to_numpy(), c) for g in groups]
                       for c in inp["kpss"]]
        out["eg"] = [[eg(g, c) for g in groups] for c in inp["eg"]]
        out["ewma"] = [ewma(df, c) for c in inp["ewma"]]
    json.dump(out, sys.stdout)


main()
