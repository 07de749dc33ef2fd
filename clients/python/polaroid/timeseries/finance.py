"""The finance operations of a lazy frame (``lf.finance``): shifts and changes, returns,
volatility, VWAP/TWAP and correlations, each a composition of expressions run on the
server inside the frame's plan (the TypeScript SDK's ``sdk/timeseries/finance.ts``;
docs/timeseries.md, "Returns, volatility and correlation"). Rows are taken in the frame's
order: sort by time first. ``by`` names the symbol column(s): shifts and windows then never
cross from one symbol to the next.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import polars as pl

from polaroid._encode import call_proto
from polaroid.expr import Expr
from polaroid.timeseries._checks import choice, integer
from polaroid.timeseries._checks import column as check_column
from polaroid.timeseries._checks import columns as check_columns
from polaroid.timeseries._query import Q, col, lit, num, per_group
from polaroid.timeseries.volatility import VolatilityMethod, volatility_expr

if TYPE_CHECKING:
    from polaroid.lazyframe import LazyFrame

__all__ = ["Finance", "ReturnKind"]

#: Kinds of return: cₜ / cₜ₋ₚ − 1, ln(cₜ / cₜ₋ₚ), or cₜ / c₀ − 1 since the first row.
ReturnKind = Literal["simple", "log", "cumulative"]
_SUFFIX = {"simple": "return", "log": "log_return", "cumulative": "cum_return"}

ByColumns = str | Sequence[str] | None


class Finance:
    """The finance operations of one LazyFrame (``lf.finance``); each returns a new
    LazyFrame."""

    __slots__ = ("_frame",)

    def __init__(self, frame: LazyFrame) -> None:
        self._frame = frame

    def _q(self) -> Q:
        return Q(self._frame._plan)

    def _done(self, q: Q) -> LazyFrame:
        return self._frame._next(q.plan)

    def _add(self, op: str, expr: Expr, by: ByColumns, alias: str | None, default: str) -> LazyFrame:
        keys = check_columns(op, "by", by, allow_empty=True)
        name = check_column(op, "alias", default if alias is None else alias)
        return self._done(self._q().with_columns(per_group(expr, keys).alias(name)))

    def returns(
        self, column: str, *, kind: ReturnKind = "simple", periods: int = 1, by: ByColumns = None, alias: str | None = None
    ) -> LazyFrame:
        """Adds returns of a price column: simple (cₜ − cₜ₋ₚ) / cₜ₋ₚ, log ln(cₜ / cₜ₋ₚ) (null
        for the first ``periods`` rows of each symbol), or cumulative (cₜ − c₀) / c₀; named
        ``<column>_return`` (``_log_return``, ``_cum_return``) unless ``alias``."""
        op = "compute returns"
        choice(op, "kind", kind, ("simple", "log", "cumulative"))
        p = integer(op, "periods", periods, 1)
        c = col(check_column(op, "column", column))
        base = c.first() if kind == "cumulative" else c.shift(p)
        expr = (c / base)._call("log") if kind == "log" else (c - base) / base
        return self._add(op, expr, by, alias, f"{column}_{_SUFFIX[kind]}")

    def lag(self, column: str, n: int = 1, *, by: ByColumns = None, alias: str | None = None) -> LazyFrame:
        """Adds the column as of ``n`` rows before (``<column>_lag<n>``)."""
        op = "compute lag"
        k = integer(op, "n", n, 0)
        return self._add(op, col(check_column(op, "column", column)).shift(k), by, alias, f"{column}_lag{k}")

    def lead(self, column: str, n: int = 1, *, by: ByColumns = None, alias: str | None = None) -> LazyFrame:
        """Adds the column as of ``n`` rows after (``<column>_lead<n>``)."""
        op = "compute lead"
        k = integer(op, "n", n, 0)
        return self._add(op, col(check_column(op, "column", column)).shift(-k), by, alias, f"{column}_lead{k}")

    def diff(self, column: str, n: int = 1, *, by: ByColumns = None, alias: str | None = None) -> LazyFrame:
        """Adds the column minus its value ``n`` rows before (``<column>_diff``)."""
        op = "compute diff"
        k = integer(op, "n", n, 1)
        expr = col(check_column(op, "column", column))._call("diff", [], {"n": k})
        return self._add(op, expr, by, alias, f"{column}_diff")

    def pct_change(self, column: str, n: int = 1, *, by: ByColumns = None, alias: str | None = None) -> LazyFrame:
        """Adds the relative change from ``n`` rows before (``<column>_pct_change``)."""
        op = "compute pctChange"
        k = integer(op, "n", n, 1)
        expr = col(check_column(op, "column", column))._call("pctChange", [k])
        return self._add(op, expr, by, alias, f"{column}_pct_change")

    def volatility(
        self,
        *,
        method: VolatilityMethod = "close",
        window: int = 21,
        annualization: float = 252,
        lambda_: float = 0.94,
        open: str = "open",
        high: str = "high",
        low: str = "low",
        close: str = "close",
        by: ByColumns = None,
        alias: str = "volatility",
    ) -> LazyFrame:
        """Adds an annualised rolling volatility column √(A σ²): ``method`` "close" (std of
        log returns), "ewma" (RiskMetrics, decay ``lambda_``), "parkinson", "garman_klass",
        "rogers_satchell" or "yang_zhang", over ``window`` bars, A = ``annualization`` bars
        a year (docs/timeseries.md, "Volatility")."""
        expr = volatility_expr(
            method=method,
            window=window,
            annualization=annualization,
            lambda_=lambda_,
            open=open,
            high=high,
            low=low,
            close=close,
            by=by,
            alias=alias,
        )
        return self._done(self._q().with_columns(expr))

    def vwap(self, *, price: str = "close", volume: str = "volume", by: ByColumns = None, alias: str = "vwap") -> LazyFrame:
        """Σ price·volume / Σ volume, one row per group of ``by`` (one row without)."""
        op = "compute vwap"
        p, v = col(check_column(op, "price", price)), col(check_column(op, "volume", volume))
        return self._summary(op, by, ((p * v).sum() / v.sum()).alias(check_column(op, "alias", alias)))

    def twap(self, *, price: str = "close", index: str | None = None, by: ByColumns = None, alias: str = "twap") -> LazyFrame:
        """Time-weighted average price, one row per group of ``by``: each price weighted by
        the time until the next row (the last by zero); the mean price without ``index``."""
        op = "compute twap"
        p = col(check_column(op, "price", price))
        name = check_column(op, "alias", alias)
        if index is None:
            return self._summary(op, by, p.mean().alias(name))
        t = col(check_column(op, "index", index))
        dt = (t.shift(-1) - t)._call("toPhysical").cast(pl.Float64, strict=False)
        return self._summary(op, by, ((p * dt).sum() / dt.sum()).alias(name))

    def rolling_vwap(
        self, window: int, *, price: str = "close", volume: str = "volume", by: ByColumns = None, alias: str | None = None
    ) -> LazyFrame:
        """Adds Σ price·volume / Σ volume over the last ``window`` rows (``rolling_vwap``)."""
        op = "compute rollingVwap"
        n = integer(op, "window", window, 1)
        p, v = col(check_column(op, "price", price)), col(check_column(op, "volume", volume))
        w = {"windowSize": n, "minPeriods": n}
        expr = (p * v)._call("rollingSum", [], w) / v._call("rollingSum", [], w)
        return self._add(op, expr, by, alias, "rolling_vwap")

    def correlation(
        self, columns: Sequence[str], *, method: Literal["pearson", "spearman"] = "pearson", by: ByColumns = None
    ) -> LazyFrame:
        """The correlation matrix of ``columns``: a "column" column naming each row, then one
        column per input column (per group of ``by``, its columns first)."""
        op = "compute correlation"
        names = check_columns(op, "columns", columns)
        taken = {"column", *check_columns(op, "by", by, allow_empty=True)}
        for name in names:
            if name in taken:
                raise TypeError(
                    f"Cannot {op} as 'columns' must be distinct and differ from \"column\" and the by columns: "
                    f"current value is {names!r}"
                )
            taken.add(name)
        kind = choice(op, "method", method, ("pearson", "spearman"))
        function = "pl.pearsonCorr" if kind == "pearson" else "pl.spearmanRankCorr"
        exprs = [Expr(call_proto("pl.concatList", [[lit(n) for n in names]])).alias("column")]
        for j in names:
            cells = [Expr(call_proto(function, [col(i), col(j)])) for i in names]
            exprs.append(Expr(call_proto("pl.concatList", [cells])).alias(j))
        summary = self._summary(op, by, *exprs)
        return summary._next(Q(summary._plan).explode("column", *names).plan)

    def rolling_correlation(
        self, a: str, b: str, window: int, *, by: ByColumns = None, alias: str | None = None
    ) -> LazyFrame:
        """Adds pandas' ``a.rolling(window).corr(b)`` (``<a>_<b>_corr``; null until a window is
        full)."""
        op = "compute rollingCorrelation"
        x, y = col(check_column(op, "a", a)), col(check_column(op, "b", b))
        n = integer(op, "window", window, 2)
        w = {"windowSize": n, "minPeriods": n}

        def mean(e: Expr) -> Expr:
            return e._call("rollingMean", [], w)

        cov = (mean(x * y) - mean(x) * mean(y)) * num(n / (n - 1))
        expr = cov / (x._call("rollingVar", [], w) * y._call("rollingVar", [], w))._call("pow", [0.5])
        return self._add(op, expr, by, alias, f"{a}_{b}_corr")

    def _summary(self, op: str, by: ByColumns, *exprs: Expr) -> LazyFrame:
        keys = check_columns(op, "by", by, allow_empty=True)
        q = self._q()
        return self._done(q.select(*exprs) if not keys else q.group_by(keys, list(exprs), maintain_order=True))
