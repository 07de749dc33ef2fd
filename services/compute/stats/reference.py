"""Reference values for services/compute/stats, computed with statsmodels and NumPy.

Pinned environment (CI installs exactly this):
    pip install statsmodels==0.14.6 numpy==2.4.6 scipy==1.17.1 pandas==3.1.1

Reads {"cases": [{"fn": str, "args": {...}}, ...]} as JSON on stdin and prints
{"results": [...]} (one result object per case, in order) as JSON on stdout.
"""

import json
import math
import sys
import warnings

import numpy as np
import statsmodels.api as sm
from statsmodels.tsa.adfvalues import mackinnoncrit, mackinnonp
from statsmodels.tsa.stattools import adfuller, coint, kpss
from statsmodels.tsa.vector_ar.vecm import coint_johansen


def clean(v):
    """Converts numpy values to JSON-safe Python values (non-finite floats as strings)."""
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, np.ndarray)):
        return [clean(x) for x in v]
    if isinstance(v, (np.integer, int)) and not isinstance(v, bool):
        return int(v)
    if v is None or isinstance(v, (bool, str)):
        return v
    f = float(v)
    return f if math.isfinite(f) else str(f)


def autolag(v):
    return None if v is None else v


def run(fn, a):
    if fn == "ols":
        r = sm.OLS(np.asarray(a["y"]), np.column_stack(a["columns"])).fit()
        return dict(params=r.params, bse=r.bse, tvalues=r.tvalues, resid=r.resid, ssr=r.ssr,
                    llf=r.llf, aic=r.aic, bic=r.bic, rsquared=r.rsquared)
    if fn == "mackinnonp":
        return dict(p=mackinnonp(a["stat"], regression=a["regression"], N=a["n"]))
    if fn == "mackinnoncrit":
        nobs = np.inf if a["nobs"] is None else a["nobs"]
        return dict(crit=mackinnoncrit(N=a["n"], regression=a["regression"], nobs=nobs))
    if fn == "adf":
        out = adfuller(np.asarray(a["x"]), maxlag=a["maxlag"], regression=a["regression"],
                       autolag=autolag(a["autolag"]))
        res = dict(statistic=out[0], pvalue=out[1], usedlag=out[2], nobs=out[3], crit=out[4])
        res["icbest"] = out[5] if len(out) > 5 else None
        return res
    if fn == "kpss":
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            stat, p, lags, crit = kpss(np.asarray(a["x"]), regression=a["regression"],
                                       nlags=a["nlags"])
        return dict(statistic=stat, pvalue=p, lags=lags, crit=crit,
                    warned=any("p-value" in str(w.message) for w in caught))
    if fn == "coint":
        y1 = np.column_stack(a["y1"])
        stat, p, crit = coint(np.asarray(a["y0"]), y1, trend=a["trend"], maxlag=a["maxlag"],
                              autolag=autolag(a["autolag"]))
        return dict(statistic=stat, pvalue=p, crit=crit)
    if fn == "johansen":
        r = coint_johansen(np.column_stack(a["endog"]), a["det_order"], a["k_ar_diff"])
        return dict(eig=r.eig, evec=r.evec, lr1=r.lr1, lr2=r.lr2, cvt=r.cvt, cvm=r.cvm)
    if fn == "halflife":
        y = np.asarray(a["y"])
        r = sm.OLS(np.diff(y), sm.add_constant(y[:-1])).fit()
        return dict(halflife=-np.log(2) / r.params[1], beta=r.params[1], intercept=r.params[0])
    if fn == "hurst":
        # The variance-of-lagged-differences estimator as commonly written in quant code.
        y = np.asarray(a["y"])
        lags = range(a["min_lag"], a["max_lag"] + 1)
        tau = [np.std(np.subtract(y[lag:], y[:-lag])) for lag in lags]
        return dict(hurst=np.polyfit(np.log(lags), np.log(tau), 1)[0])
    raise ValueError(f"unknown function {fn}")


def main():
    request = json.load(sys.stdin)
    results = [clean(run(c["fn"], c["args"])) for c in request["cases"]]
    json.dump({"results": results}, sys.stdout)


if __name__ == "__main__":
    main()
