"""The time-series methods of a LazyFrame: Python Polars' ``group_by_dynamic``, ``rolling``
and ``join_asof`` (their plan nodes), ``cache``, and the TypeScript SDK's time-series API in
snake_case: ``ohlcv``, ``finance``, ``as_time_series`` and the statistical tests (``adf``,
``kpss``, ``coint``, ``johansen``, ``half_life``, ``hurst``). Mixed into LazyFrame.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from polaroid import _plan_ts
from polaroid._encode import ExprNode
from polaroid._gen.polaroid.v1 import plan_pb2
from polaroid._lazy_io import ttl_seconds
from polaroid._namespaces import _duration
from polaroid.timeseries import bars
from polaroid.timeseries._query import Q

if TYPE_CHECKING:
    from polaroid._session import AnyClient
    from polaroid.dataframe import RemoteDataFrame
    from polaroid.lazyframe import LazyFrame, LazyGroupBy
    from polaroid.timeseries.finance import Finance
    from polaroid.timeseries.series import TimeSeries

__all__ = ["TimeSeriesMethods"]

ClosedInterval = Literal["left", "right", "both", "none"]
Regression = Literal["n", "c", "ct", "ctt"]
Autolag = Literal["AIC", "BIC", "t-stat"]


def _window_text(what: str, name: str, value: Any) -> str:
    """A window duration as Polars writes it ("1h", "2i"); a timedelta is converted."""
    if isinstance(value, (str, _dt.timedelta)):
        return str(_duration(value))
    raise TypeError(f"Cannot {what} as '{name}' must be a duration string or a timedelta: current value is {value!r}")


def _names(what: str, name: str, value: Any) -> list[str]:
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    for item in items:
        if not isinstance(item, str) or not item:
            raise NotImplementedError(
                f"Cannot {what} with {name}={value!r} as Polaroid takes column names there (not expressions)"
            )
    return items


def _lag(what: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"Cannot {what} as 'max_lag' must be a non-negative integer: current value is {value!r}")
    return value


class TimeSeriesMethods:
    """Mixin of LazyFrame: time series, finance and statistical tests."""

    __slots__ = ()
    _client: AnyClient
    _plan: plan_pb2.Plan

    def _self(self) -> LazyFrame:
        return self  # type: ignore[return-value]

    # ---- Python Polars' windows and asof join ----------------------------------------------

    def group_by_dynamic(
        self,
        index_column: str,
        *,
        every: str | _dt.timedelta,
        period: str | _dt.timedelta | None = None,
        offset: str | _dt.timedelta | None = None,
        include_boundaries: bool = False,
        closed: ClosedInterval = "left",
        label: Literal["left", "right", "datapoint"] = "left",
        group_by: str | Iterable[str] | None = None,
        start_by: str = "window",
    ) -> LazyGroupBy:
        """Groups rows into time windows of ``every`` (each ``period`` long, shifted by
        ``offset``) over the sorted ``index_column``; finish with ``agg()``."""
        from polaroid.lazyframe import LazyGroupBy, parse_exprs

        what = "group by dynamic windows"
        if not isinstance(index_column, str):
            raise NotImplementedError(f"Cannot {what} by {index_column!r} as Polaroid takes a column name as index_column")
        options: dict[str, Any] = {
            "every": _window_text(what, "every", every),
            "period": None if period is None else _window_text(what, "period", period),
            "offset": None if offset is None else _window_text(what, "offset", offset),
            "include_boundaries": include_boundaries,
            "closed": closed,
            "label": label,
            "by": parse_exprs([group_by]) if group_by is not None else [],
            "start_by": start_by,
        }
        _plan_ts.group_by_dynamic_plan(self._plan, index_column, aggs=[], **options)  # checks at once

        def build(source: plan_pb2.Plan, aggs: Sequence[Any]) -> plan_pb2.Plan:
            return _plan_ts.group_by_dynamic_plan(source, index_column, aggs=aggs, **options)

        return LazyGroupBy(self._self(), [], False, build)

    def rolling(
        self,
        index_column: str | ExprNode,
        *,
        period: str | _dt.timedelta,
        offset: str | _dt.timedelta | None = None,
        closed: ClosedInterval = "right",
        group_by: str | Iterable[str] | None = None,
    ) -> LazyGroupBy:
        """Groups rows into one window per row, the ``period`` ending at its
        ``index_column`` value (``offset`` default −period); finish with ``agg()``."""
        from polaroid.expr import parse_into_expr
        from polaroid.lazyframe import LazyGroupBy, parse_exprs

        what = "group by rolling windows"
        index = parse_into_expr(index_column).to_proto()
        options: dict[str, Any] = {
            "period": _window_text(what, "period", period),
            "offset": None if offset is None else _window_text(what, "offset", offset),
            "closed": closed,
            "by": parse_exprs([group_by]) if group_by is not None else [],
        }
        _plan_ts.group_by_rolling_plan(self._plan, index, aggs=[], **options)

        def build(source: plan_pb2.Plan, aggs: Sequence[Any]) -> plan_pb2.Plan:
            return _plan_ts.group_by_rolling_plan(source, index, aggs=aggs, **options)

        return LazyGroupBy(self._self(), [], False, build)

    def join_asof(
        self,
        other: LazyFrame | RemoteDataFrame,
        *,
        left_on: str | None = None,
        right_on: str | None = None,
        on: str | None = None,
        by_left: str | Sequence[str] | None = None,
        by_right: str | Sequence[str] | None = None,
        by: str | Sequence[str] | None = None,
        strategy: Literal["backward", "forward", "nearest"] = "backward",
        suffix: str = "_right",
        tolerance: str | int | float | _dt.timedelta | None = None,
        allow_parallel: bool = True,
        force_parallel: bool = False,
        coalesce: bool = True,
        allow_exact_matches: bool = True,
        check_sortedness: bool = True,
    ) -> LazyFrame:
        """Joins each row to the nearest row of ``other`` by a sorted key (``on``, or
        ``left_on`` and ``right_on``): the last at or before it ("backward"), the first at
        or after it ("forward") or the nearest; ``by`` columns must match exactly;
        ``tolerance`` bounds the distance (a number, or a duration for temporal keys)."""
        what = "join as of"
        if on is not None:
            if left_on is not None or right_on is not None:
                raise ValueError("cannot use 'on' in conjunction with 'left_on' or 'right_on'")
            left_on = right_on = on
        if left_on is None or right_on is None:
            raise ValueError("either 'on' or 'left_on' and 'right_on' must be set")
        for name, value in (("left_on", left_on), ("right_on", right_on)):
            if not isinstance(value, str):
                raise NotImplementedError(f"Cannot {what} with {name}={value!r} as Polaroid takes a column name there")
        if by is not None:
            if by_left is not None or by_right is not None:
                raise ValueError("cannot use 'by' in conjunction with 'by_left' or 'by_right'")
            by_left = by_right = by
        if (by_left is None) != (by_right is None):
            raise ValueError("must specify both 'by_left' and 'by_right'")
        if isinstance(tolerance, _dt.timedelta):
            tolerance = str(_duration(tolerance))
        elif tolerance is not None and (isinstance(tolerance, bool) or not isinstance(tolerance, (str, int, float)) or (not isinstance(tolerance, str) and tolerance < 0)):
            raise ValueError(f"Cannot {what} as 'tolerance' must be a number >= 0 or a duration: current value is {tolerance!r}")
        right = self._self()._same_client(other)
        plan = _plan_ts.join_asof_plan(
            self._plan,
            right,
            left_on=left_on,
            right_on=right_on,
            by_left=_names(what, "by_left", by_left),
            by_right=_names(what, "by_right", by_right),
            strategy=strategy,
            tolerance=tolerance,
            suffix=suffix,
            allow_exact_matches=allow_exact_matches,
            check_sortedness=check_sortedness,
            coalesce=coalesce,
        )
        return self._self()._next(plan)

    def cache(self) -> LazyFrame:
        """This frame, its result cached for the plan's other uses of it."""
        return self._self()._next(_plan_ts.cache_plan(self._plan), same_schema=True)

    # ---- time series and finance ----------------------------------------------------------

    def ohlcv(
        self,
        *,
        index: str,
        price: str,
        every: str,
        volume: str | None = None,
        period: str | None = None,
        offset: str | None = None,
        closed: ClosedInterval = "left",
        label: Literal["left", "right", "datapoint"] = "left",
        by: str | Sequence[str] | None = None,
        time_zone: str | None = None,
        fill: bars.BarFill = "none",
        vwap: bool = True,
        count: bool = True,
        max_bars: int = bars.MAX_FILL_BARS,
        sorted: bool = False,
    ) -> LazyFrame:
        """OHLCV bars of ticks per symbol: columns ``[*by, index, open, high, low, close,
        volume, vwap, count]`` (volume and vwap with a ``volume`` column), from windows of
        ``every`` laid from their start (``group_by_dynamic``, ``start_by="window"``),
        aligned in ``time_zone`` when given; ``fill`` ("null", "previous_close", "linear")
        emits the empty bars between a symbol's first and last (docs/timeseries.md)."""
        q = bars.ohlcv(
            Q(self._plan),
            index=index,
            price=price,
            every=every,
            volume=volume,
            period=period,
            offset=offset,
            closed=closed,
            label=label,
            by=by,
            time_zone=time_zone,
            fill=fill,
            vwap=vwap,
            count=count,
            max_bars=max_bars,
            sorted=sorted,
        )
        return self._self()._next(q.plan)

    @property
    def finance(self) -> Finance:
        """Returns, volatility, VWAP/TWAP and correlations, run on the server."""
        from polaroid.timeseries.finance import Finance

        return Finance(self._self())

    def as_time_series(
        self,
        index: str,
        *,
        by: str | Sequence[str] | None = None,
        nulls: Literal["error", "drop"] = "error",
        unsorted: Literal["error", "sort"] = "error",
        duplicates: Literal["keep", "error", "first", "last"] = "keep",
        name: str | None = None,
        ttl: int | float | _dt.timedelta | None = None,
    ) -> TimeSeries:
        """Checks this frame as a time series indexed by ``index`` (Datetime, Date or
        integer) per symbol of ``by``, detects its frequency and stores it (``name``,
        ``ttl``) with those facts as metadata. Null instants, instants out of order and
        repeated instants are refused or fixed as ``nulls``, ``unsorted`` and
        ``duplicates`` say."""
        from polaroid.timeseries.series import as_time_series

        return as_time_series(
            self._self(), index, by=by, nulls=nulls, unsorted=unsorted, duplicates=duplicates, name=name, ttl=ttl
        )

    def _store(self, *, name: str | None, ttl: int | float | _dt.timedelta | None, metadata: Mapping[str, str]) -> RemoteDataFrame:
        """Runs the plan into a stored frame with ``metadata``."""
        from polaroid.dataframe import RemoteDataFrame

        info = self._client._transport.execute(
            self._plan, name=name or "", ttl_seconds=ttl_seconds(ttl), streaming=False, metadata=metadata
        )
        return RemoteDataFrame(self._client, info)

    # ---- statistical tests ------------------------------------------------------------------

    def _test(self, kind: str, columns: Sequence[str], by: str | Sequence[str] | None, options: dict[str, Any]) -> LazyFrame:
        keys = [] if by is None else [by] if isinstance(by, str) else list(by)
        return self._self()._next(_plan_ts.stat_test_plan(self._plan, kind, columns, keys, options))

    def adf(
        self,
        column: str,
        *,
        regression: Regression = "c",
        autolag: Autolag | None = "AIC",
        max_lag: int | None = None,
        by: str | Sequence[str] | None = None,
    ) -> LazyFrame:
        """Augmented Dickey-Fuller test of ``column`` (statsmodels' ``adfuller``), per group
        of ``by``, over the rows in order: one row per group with ``statistic, p_value,
        used_lag, nobs, crit_1pct, crit_5pct, crit_10pct, ic_best``. ``autolag=None`` uses
        ``max_lag`` lags."""
        options = {"regression": regression, "autolag": "none" if autolag is None else autolag, "maxLag": _lag("adf", max_lag)}
        return self._test("adf", [column], by, options)

    def kpss(
        self,
        column: str,
        *,
        regression: Literal["c", "ct"] = "c",
        nlags: Literal["auto", "legacy"] | int = "auto",
        by: str | Sequence[str] | None = None,
    ) -> LazyFrame:
        """KPSS stationarity test of ``column`` (statsmodels' ``kpss``): ``statistic,
        p_value, p_value_bound, lags, crit_10pct, crit_5pct, crit_2_5pct, crit_1pct``."""
        return self._test("kpss", [column], by, {"regression": regression, "nlags": nlags})

    def coint(
        self,
        y: str,
        x: str | Sequence[str],
        *,
        trend: Regression = "c",
        autolag: Autolag | None = "AIC",
        max_lag: int | None = None,
        by: str | Sequence[str] | None = None,
    ) -> LazyFrame:
        """Engle-Granger cointegration test of ``y`` on ``x`` (one to five columns;
        statsmodels' ``coint``): ``statistic, p_value, crit_1pct, crit_5pct, crit_10pct``."""
        xs = [x] if isinstance(x, str) else list(x)
        options = {"trend": trend, "autolag": "none" if autolag is None else autolag, "maxLag": _lag("coint", max_lag)}
        return self._test("coint", [y, *xs], by, options)

    def johansen(
        self, columns: Sequence[str], *, det_order: Literal[-1, 0, 1] = 0, k_ar_diff: int = 1, by: str | Sequence[str] | None = None
    ) -> LazyFrame:
        """Johansen cointegration test of 1 to 12 ``columns`` (statsmodels'
        ``coint_johansen``): one row per rank with the eigenvalue, trace and max-eigenvalue
        statistics and their critical values."""
        if isinstance(columns, str):
            raise TypeError("Cannot build the test as 'columns' must be a list of column names")
        return self._test("johansen", list(columns), by, {"detOrder": det_order, "kArDiff": k_ar_diff})

    def half_life(self, column: str, *, by: str | Sequence[str] | None = None) -> LazyFrame:
        """Half-life of mean reversion of ``column`` (OLS of the change on the lagged level):
        ``half_life, beta, intercept``."""
        return self._test("half_life", [column], by, {})

    def hurst(
        self, column: str, *, min_lag: int = 2, max_lag: int = 99, by: str | Sequence[str] | None = None
    ) -> LazyFrame:
        """Hurst exponent of ``column`` (variance of lagged differences over lags
        ``min_lag``..``max_lag``): ``hurst``."""
        return self._test("hurst", [column], by, {"minLag": min_lag, "maxLag": max_lag})

