"""Volatility estimators as expressions (``lf.finance.volatility()``): close-to-close,
EWMA (RiskMetrics), Parkinson, Garman-Klass, Rogers-Satchell and Yang-Zhang, each over a
rolling window of bars, per symbol, annualised (the TypeScript SDK's
``sdk/timeseries/finance_volatility.ts``; the formulas are in docs/timeseries.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from polaroid.expr import Expr
from polaroid.functions import when
from polaroid.timeseries._checks import choice, column, columns, integer, real
from polaroid.timeseries._query import col, num, per_group

__all__ = ["VOLATILITY_METHODS", "VolatilityMethod", "volatility_expr"]

VolatilityMethod = Literal["close", "ewma", "parkinson", "garman_klass", "rogers_satchell", "yang_zhang"]
VOLATILITY_METHODS = ("close", "ewma", "parkinson", "garman_klass", "rogers_satchell", "yang_zhang")
_WHAT = "compute volatility"


def _rolling(expr: Expr, name: str, n: int) -> Expr:
    return expr._call(name, [], {"windowSize": n, "minPeriods": n})


def _rolling_var(terms: Expr, n: int) -> Expr:
    """The rolling variance of ``terms``, exactly 0 over a window of equal terms."""
    spread = _rolling(terms, "rollingMax", n) - _rolling(terms, "rollingMin", n)
    return when(spread == num(0)).then(num(0)).otherwise(_rolling(terms, "rollingVar", n))


def _log_ratio(a: Expr, b: Expr) -> Expr:
    return (a / b)._call("log")


def volatility_expr(
    *,
    method: VolatilityMethod = "close",
    window: int = 21,
    annualization: float = 252,
    lambda_: float = 0.94,
    open: str = "open",
    high: str = "high",
    low: str = "low",
    close: str = "close",
    by: str | Sequence[str] | None = None,
    alias: str = "volatility",
) -> Expr:
    """The annualised volatility column (see ``Finance.volatility``)."""
    choice(_WHAT, "method", method, VOLATILITY_METHODS)
    n = integer(_WHAT, "window", window, 2)
    a = real(_WHAT, "annualization", annualization, "positive", lambda x: x > 0)
    lam = real(_WHAT, "lambda_", lambda_, "in (0, 1)", lambda x: 0 < x < 1)
    keys = columns(_WHAT, "by", by, allow_empty=True)
    name = column(_WHAT, "alias", alias)
    o, h, l, c = (col(column(_WHAT, k, v)) for k, v in (("open", open), ("high", high), ("low", low), ("close", close)))

    def rs() -> Expr:
        return _log_ratio(h, c) * _log_ratio(h, o) + _log_ratio(l, c) * _log_ratio(l, o)

    if method == "close":
        variance = _rolling_var(_log_ratio(c, c.shift(1)), n)
    elif method == "ewma":
        squared = _log_ratio(c, c.shift(1))._call("pow", [2])
        options = {"alpha": 1 - lam, "adjust": False, "minPeriods": n, "ignoreNulls": False}
        variance = squared._call("ewmMean", [], options)._call("forwardFill")
    elif method == "parkinson":
        variance = _rolling(_log_ratio(h, l)._call("pow", [2]), "rollingMean", n) / num(4 * math.log(2))
    elif method == "garman_klass":
        terms = num(0.5) * _log_ratio(h, l)._call("pow", [2]) - num(2 * math.log(2) - 1) * _log_ratio(c, o)._call("pow", [2])
        variance = _rolling(terms, "rollingMean", n)
    elif method == "rogers_satchell":
        variance = _rolling(rs(), "rollingMean", n)
    else:
        k = 0.34 / (1.34 + (n + 1) / (n - 1))
        variance = (
            _rolling_var(_log_ratio(o, c.shift(1)), n)
            + num(k) * _rolling_var(_log_ratio(c, o), n)
            + num(1 - k) * _rolling(rs(), "rollingMean", n)
        )
    return per_group((variance * num(a))._call("sqrt"), keys).alias(name)
