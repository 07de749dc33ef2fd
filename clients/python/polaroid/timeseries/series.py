"""Time-series frames: ``lf.as_time_series(index, by=...)`` checks a frame once (index type,
nulls, order and duplicate instants per symbol), detects its frequency and stores it as a
handle whose metadata names the index and symbol columns. The ``TimeSeries`` it returns runs
windows, shifts, returns, bars, asof joins, fills and upsampling per symbol without
repeating those arguments; ``remote.as_time_series()`` reopens a stored one (the TypeScript
SDK's ``sdk/timeseries/time_series.ts``; docs/timeseries.md).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from polaroid.timeseries import align, bars, windows
from polaroid.timeseries._checks import choice, columns, fail
from polaroid.timeseries._query import Q, col
from polaroid.timeseries.finance import Finance, ReturnKind
from polaroid.timeseries.info import Inspection, TimeSeriesInfo, decode_info, encode_info, inspect
from polaroid.timeseries.volatility import VolatilityMethod

if TYPE_CHECKING:
    from polaroid.dataframe import RemoteDataFrame
    from polaroid.lazyframe import LazyFrame

__all__ = ["TimeSeries", "as_time_series", "stored_time_series"]

_WHAT = "make a time series"


def _first_row(frame: LazyFrame) -> Any:
    def run(q: Q) -> dict[str, Any]:
        rows = frame._next(q.plan).collect().to_dicts()
        if not rows:
            raise RuntimeError("Cannot inspect a time series as the check returned no row")
        return rows[0]

    return run


def _judge(found: Inspection, index: str, by: list[str], nulls: str, unsorted: str, duplicates: str) -> bool:
    """Raises for each problem its policy refuses; tells whether the frame needs fixing."""
    where = "" if not by else f" within each {', '.join(by)}"
    if found.nulls > 0 and nulls == "error":
        raise fail(_WHAT, index, 'free of nulls (or nulls="drop")', f"{found.nulls} null rows")
    if found.unsorted > 0 and unsorted == "error":
        raise fail(_WHAT, index, f'sorted{where} (or unsorted="sort")', f"{found.unsorted} rows earlier than the row before them")
    repeated = found.info.duplicates
    if repeated > 0 and duplicates == "error":
        raise fail(_WHAT, index, f'unique{where} (or duplicates="keep", "first" or "last")', f"{repeated} repeated instants")
    return (
        (found.nulls > 0 and nulls == "drop")
        or (found.unsorted > 0 and unsorted == "sort")
        or (repeated > 0 and duplicates in ("first", "last"))
    )


def _fix(q: Q, index: str, by: list[str], nulls: str, unsorted: str, duplicates: str) -> Q:
    key = [*by, index]
    if nulls == "drop":
        q = q.drop_nulls(index)
    if unsorted == "sort":
        q = q.sort(key)
    if duplicates in ("first", "last"):
        q = q.unique(key, keep=duplicates, maintain_order=True)
    return q


def as_time_series(
    lf: LazyFrame,
    index: str,
    *,
    by: str | Sequence[str] | None,
    nulls: str,
    unsorted: str,
    duplicates: str,
    name: str | None,
    ttl: int | float | _dt.timedelta | None,
) -> TimeSeries:
    """Checks ``lf`` as a time series and stores it with the facts found (see
    ``LazyFrame.as_time_series``). A plan that is not a plain read of a handle runs once into
    a temporary handle first, so the checks never run it twice."""
    if not isinstance(index, str) or not index:
        raise fail(_WHAT, "index", "a column name", index)
    keys = columns(_WHAT, "by", by, allow_empty=True)
    choice(_WHAT, "nulls", nulls, ("error", "drop"))
    choice(_WHAT, "unsorted", unsorted, ("error", "sort"))
    choice(_WHAT, "duplicates", duplicates, ("keep", "error", "first", "last"))
    temporary: list[RemoteDataFrame] = []
    try:
        source = lf
        scan = lf._plan.scan if lf._plan.WhichOneof("node") == "scan" else None
        if scan is None or scan.WhichOneof("source") != "handle":
            stored = lf.collect(keep=True)
            temporary.append(stored)
            source = stored.lazy()
        schema = source._schema if source._schema is not None else source.collect_schema()
        found = inspect(Q(source._plan), schema, index, keys, _first_row(source))
        if _judge(found, index, keys, nulls, unsorted, duplicates):
            fixed = source._next(_fix(Q(source._plan), index, keys, nulls, unsorted, duplicates).plan).collect(keep=True)
            temporary.append(fixed)
            source = fixed.lazy()
            found = inspect(Q(source._plan), fixed.schema, index, keys, _first_row(source))
        frame = source._store(name=name, ttl=ttl, metadata=encode_info(found.info))
        return TimeSeries(frame.lazy(), found.info, frame)
    finally:
        for stored in temporary:
            stored.release()


def stored_time_series(frame: RemoteDataFrame) -> TimeSeries:
    """The time series of a frame stored by ``as_time_series()`` (from its metadata)."""
    return TimeSeries(frame.lazy(), decode_info(frame.metadata, frame.id), frame)


class TimeSeries:
    """A lazy frame known to be a time series: ``index`` sorted within each symbol of ``by``.
    Methods that keep the rows return a TimeSeries; ``collect()`` stores it with its
    metadata; ``lazy()`` is the plain LazyFrame. Made by ``as_time_series()``."""

    __slots__ = ("_frame", "_info", "_lazy")

    def __init__(self, lazy: LazyFrame, info: TimeSeriesInfo, frame: RemoteDataFrame | None = None) -> None:
        self._lazy = lazy
        self._info = info
        self._frame = frame

    @property
    def index(self) -> str:
        """The time column."""
        return self._info.index

    @property
    def by(self) -> list[str]:
        """The symbol columns."""
        return list(self._info.by)

    @property
    def info(self) -> TimeSeriesInfo:
        """The facts checked when the series was stored (rows, symbols, frequency, span)."""
        return self._info

    @property
    def frame(self) -> RemoteDataFrame | None:
        """The stored frame, for a series straight from ``as_time_series()`` or ``collect()``."""
        return self._frame

    def lazy(self) -> LazyFrame:
        """The series as a plain LazyFrame."""
        return self._lazy

    def __repr__(self) -> str:
        return f"<polaroid.TimeSeries index={self.index!r} by={self.by!r}>"

    def _q(self) -> Q:
        return Q(self._lazy._plan)

    def _next(self, q: Q) -> TimeSeries:
        return TimeSeries(self._lazy._next(q.plan), self._info)

    def _by(self) -> list[str] | None:
        return self.by or None

    def collect(self, *, name: str | None = None, ttl: int | float | _dt.timedelta | None = None) -> TimeSeries:
        """Runs the series into a new stored frame that keeps its time-series metadata."""
        frame = self._lazy._store(name=name, ttl=ttl, metadata=encode_info(self._info))
        return TimeSeries(frame.lazy(), self._info, frame)

    # ---- bars, windows, shifts -----------------------------------------------------------

    def ohlcv(self, **options: Any) -> LazyFrame:
        """OHLCV bars per symbol (``LazyFrame.ohlcv``'s options but ``index``, ``by`` and
        ``sorted``, which are the series')."""
        for taken in ("index", "by", "sorted"):
            if taken in options:
                raise TypeError(f"Cannot build OHLCV bars of a time series with '{taken}': the series sets it")
        return self._lazy._next(bars.ohlcv(self._q(), index=self.index, by=self.by, sorted=True, **options).plan)

    def rolling(
        self,
        window: int | str,
        *,
        columns: Sequence[str] | None = None,
        stats: Sequence[windows.WindowStat] = ("mean",),
        pairs: Sequence[tuple[str, str]] = (),
        pair_stats: Sequence[windows.PairStat] | None = None,
        min_periods: int | None = None,
        closed: Literal["left", "right", "both", "none"] | None = None,
        ddof: int = 1,
        quantile: float = 0.5,
        bias: bool = False,
    ) -> TimeSeries:
        """Rolling statistics per symbol over ``window`` rows (an int) or a duration ("5m"):
        ``<column>_<stat>_<window>`` for ``stats`` of ``columns`` (mean sum min max std var
        median quantile skew count), ``<a>_<b>_<corr|cov>_<window>`` for ``pairs``. A
        duration window is (t − window, t] (``closed`` changes the bounds); a value needs
        ``min_periods`` non-null values (default: the window for rows, 1 for durations)."""
        q = windows.rolling_windows(
            self._q(),
            self.index,
            self.by,
            window=window,
            columns=columns,
            stats=stats,
            pairs=pairs,
            pair_stats=pair_stats,
            min_periods=min_periods,
            closed=closed,
            ddof=ddof,
            quantile=quantile,
            bias=bias,
        )
        return self._next(q)

    def expanding(
        self,
        columns: Sequence[str],
        *,
        stats: Sequence[windows.WindowStat] = ("mean",),
        min_periods: int = 1,
        ddof: int = 1,
        quantile: float = 0.5,
    ) -> TimeSeries:
        """Expanding-window statistics from each symbol's first row (all but skew):
        ``<column>_expanding_<stat>``."""
        exprs = windows.expanding_exprs(self.by, columns=columns, stats=stats, min_periods=min_periods, ddof=ddof, quantile=quantile)
        return self._next(self._q().with_columns(*exprs))

    def ewm(
        self,
        columns: Sequence[str],
        *,
        stats: Sequence[Literal["mean", "std", "var"]] = ("mean",),
        com: float | None = None,
        span: float | None = None,
        half_life: float | None = None,
        alpha: float | None = None,
        adjust: bool = True,
        min_periods: int = 1,
        bias: bool = False,
    ) -> TimeSeries:
        """Exponentially weighted mean, std and var per symbol (one of ``com``, ``span``,
        ``half_life`` in rows, ``alpha``), with pandas' handling of nulls:
        ``<column>_ewm_<stat>``."""
        decay = {"alpha": alpha, "com": com, "span": span, "halfLife": half_life}
        exprs = windows.ewm_exprs(self.by, columns=columns, stats=stats, decay=decay, adjust=adjust, min_periods=min_periods, bias=bias)
        return self._next(self._q().with_columns(*exprs))

    def lag(self, columns: str | Sequence[str], n: int | str = 1) -> TimeSeries:
        """Earlier values as new columns: ``n`` rows back (``<column>_lag_<n>``) or as of a
        duration earlier ("1m": the last row at or before t − 1m, ``<column>_lag_1m``)."""
        return self._shift(columns, n, "lag")

    def lead(self, columns: str | Sequence[str], n: int | str = 1) -> TimeSeries:
        """Later values: ``n`` rows on, or the first row at or after t + a duration."""
        return self._shift(columns, n, "lead")

    def _shift(self, columns_: str | Sequence[str], n: int | str, direction: str) -> TimeSeries:
        names = [columns_] if isinstance(columns_, str) else list(columns_)
        if isinstance(n, str):
            return self._next(align.shift_by_time(self._q(), self.index, self.by, names, n, direction))
        lf = self._lazy
        for name in names:
            method = Finance(lf).lag if direction == "lag" else Finance(lf).lead
            lf = method(name, n, by=self._by(), alias=f"{name}_{direction}_{n}")
        return TimeSeries(lf, self._info)

    def diff(self, column: str, n: int = 1) -> TimeSeries:
        """Difference with ``n`` rows back, per symbol (``<column>_diff``)."""
        return TimeSeries(Finance(self._lazy).diff(column, n, by=self._by()), self._info)

    def pct_change(self, column: str, n: int = 1) -> TimeSeries:
        """Relative change from ``n`` rows back, per symbol (``<column>_pct_change``)."""
        return TimeSeries(Finance(self._lazy).pct_change(column, n, by=self._by()), self._info)

    def returns(self, column: str, *, kind: ReturnKind = "simple", periods: int = 1, alias: str | None = None) -> TimeSeries:
        """Simple, log or cumulative returns per symbol (see ``Finance.returns``)."""
        return TimeSeries(Finance(self._lazy).returns(column, kind=kind, periods=periods, by=self._by(), alias=alias), self._info)

    def volatility(self, *, method: VolatilityMethod = "close", window: int = 21, annualization: float = 252, lambda_: float = 0.94, **columns_: str) -> LazyFrame:
        """Volatility estimators per symbol (see ``Finance.volatility``; ``open``, ``high``,
        ``low``, ``close`` and ``alias`` name the columns)."""
        return Finance(self._lazy).volatility(
            method=method, window=window, annualization=annualization, lambda_=lambda_, by=self._by(), **columns_
        )

    # ---- alignment -------------------------------------------------------------------------

    def asof_join(
        self,
        right: TimeSeries | LazyFrame | RemoteDataFrame,
        *,
        strategy: Literal["backward", "forward", "nearest"] | None = None,
        tolerance: str | None = None,
        allow_exact_matches: bool | None = None,
        suffix: str | None = None,
        right_index: str | None = None,
        columns: Sequence[str] | None = None,
        interpolate: Literal["linear", "time"] | None = None,
    ) -> TimeSeries:
        """Asof join with another series of the same index and symbol columns: each row
        takes the right row of its symbol at or before its instant (kdb+ aj; ``strategy``
        "forward" or "nearest"), at most ``tolerance`` away; ``right_index`` adds the matched
        instant (kdb+ aj0); ``interpolate`` ("time" or "linear") interpolates ``columns``
        between the right rows around each instant instead."""
        other = right.lazy() if hasattr(right, "lazy") else right
        q = align.asof_join(
            self._q(),
            Q(self._lazy._same_client(other)),
            self.index,
            self.by,
            strategy=strategy,
            tolerance=tolerance,
            allow_exact_matches=allow_exact_matches,
            suffix=suffix,
            right_index=right_index,
            columns=columns,
            interpolate=interpolate,
        )
        return self._next(q)

    def fill_forward(self, *, columns: Sequence[str] | None = None, limit: int | None = None, max_age: str | None = None) -> TimeSeries:
        """Forward fill per symbol, at most ``limit`` rows after a value and only while it is
        at most ``max_age`` old (default columns: all but the index and symbols)."""
        names = list(columns) if columns is not None else self._values("fill_forward")
        return self._next(self._q().with_columns(*align.fill_forward_exprs(self.index, self.by, names, limit, max_age)))

    def upsample(
        self,
        every: str,
        *,
        fill: align.UpsampleFill = "null",
        max_rows: int = align.MAX_UPSAMPLE_ROWS,
        columns: Sequence[str] | None = None,
    ) -> TimeSeries:
        """A row at every ``every`` (a fixed duration) from each symbol's first instant to its
        last, merged with the existing rows; ``fill`` ("null", "forward", "linear", "time")
        fills the new rows' ``columns`` (default: all but the index and symbols)."""
        values = list(columns) if columns is not None else ([] if fill == "null" else self._values("upsample"))
        return self._next(align.upsample(self._q(), self.index, self.by, values, every=every, fill=fill, max_rows=max_rows))

    def convert_time_zone(self, time_zone: str) -> TimeSeries:
        """The same instants shown in another time zone."""
        return self._next(self._q().with_columns(col(self.index).dt.convert_time_zone(time_zone)))

    def replace_time_zone(
        self,
        time_zone: str | None,
        *,
        ambiguous: Literal["raise", "earliest", "latest", "null"] = "raise",
        non_existent: Literal["raise", "null"] = "raise",
    ) -> TimeSeries:
        """The same wall-clock times read in another zone (None: naive)."""
        expr = col(self.index).dt.replace_time_zone(time_zone, ambiguous=ambiguous, non_existent=non_existent)
        return self._next(self._q().with_columns(expr))

    def _values(self, op: str) -> list[str]:
        if self._frame is None:
            raise fail(_WHAT, "columns", f"given to {op}() on a derived series (its columns are known once stored)", None)
        skip = {self.index, *self.by}
        return [name for name in self._frame.columns if name not in skip]

    # ---- statistics (server-side, one small frame per symbol) ----------------------------

    def adf(self, column: str, **options: Any) -> LazyFrame:
        """Augmented Dickey-Fuller test per symbol (``LazyFrame.adf``'s options)."""
        return self._lazy.adf(column, by=self._by(), **options)

    def kpss(self, column: str, **options: Any) -> LazyFrame:
        """KPSS test per symbol (``LazyFrame.kpss``'s options)."""
        return self._lazy.kpss(column, by=self._by(), **options)

    def half_life(self, column: str) -> LazyFrame:
        """Half-life of mean reversion per symbol."""
        return self._lazy.half_life(column, by=self._by())

    def hurst(self, column: str, **options: Any) -> LazyFrame:
        """Hurst exponent per symbol (``LazyFrame.hurst``'s options)."""
        return self._lazy.hurst(column, by=self._by(), **options)
