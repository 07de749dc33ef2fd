"""The time-series methods of a stored frame: ``as_time_series()`` (which, without an
index, reopens a series stored by ``as_time_series()`` from its metadata) and the lazy
time-series methods, each the same as on ``remote.lazy()``. Mixed into RemoteDataFrame.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from polaroid.lazyframe import LazyFrame, LazyGroupBy
    from polaroid.timeseries.finance import Finance
    from polaroid.timeseries.series import TimeSeries

__all__ = ["RemoteTimeSeriesMethods"]


class RemoteTimeSeriesMethods:
    """Mixin of RemoteDataFrame: time series, finance and statistical tests."""

    __slots__ = ()

    if TYPE_CHECKING:

        def lazy(self) -> LazyFrame: ...

    def as_time_series(
        self,
        index: str | None = None,
        *,
        by: str | Sequence[str] | None = None,
        nulls: Literal["error", "drop"] = "error",
        unsorted: Literal["error", "sort"] = "error",
        duplicates: Literal["keep", "error", "first", "last"] = "keep",
        name: str | None = None,
        ttl: int | float | _dt.timedelta | None = None,
    ) -> TimeSeries:
        """This frame as a time series: without ``index``, one stored by
        ``as_time_series()`` (its metadata names the columns; TypeError otherwise); with
        ``index``, checked and stored anew (see ``LazyFrame.as_time_series``)."""
        if index is None:
            from polaroid.timeseries.series import stored_time_series

            given = {"by": by, "name": name, "ttl": ttl}
            for option, value in given.items():
                if value is not None:
                    raise TypeError(f"Cannot reopen a stored time series with '{option}': pass 'index' to check the frame anew")
            return stored_time_series(self)  # type: ignore[arg-type]
        return self.lazy().as_time_series(
            index, by=by, nulls=nulls, unsorted=unsorted, duplicates=duplicates, name=name, ttl=ttl
        )

    def group_by_dynamic(self, index_column: str, **options: Any) -> LazyGroupBy:
        """``self.lazy().group_by_dynamic(...)``."""
        return self.lazy().group_by_dynamic(index_column, **options)

    def rolling(self, index_column: Any, **options: Any) -> LazyGroupBy:
        """``self.lazy().rolling(...)``."""
        return self.lazy().rolling(index_column, **options)

    def join_asof(self, other: Any, **options: Any) -> LazyFrame:
        """``self.lazy().join_asof(...)``."""
        return self.lazy().join_asof(other, **options)

    def ohlcv(self, **options: Any) -> LazyFrame:
        """``self.lazy().ohlcv(...)``."""
        return self.lazy().ohlcv(**options)

    @property
    def finance(self) -> Finance:
        """``self.lazy().finance``."""
        return self.lazy().finance

    def adf(self, column: str, **options: Any) -> LazyFrame:
        """``self.lazy().adf(...)``."""
        return self.lazy().adf(column, **options)

    def kpss(self, column: str, **options: Any) -> LazyFrame:
        """``self.lazy().kpss(...)``."""
        return self.lazy().kpss(column, **options)

    def coint(self, y: str, x: str | Sequence[str], **options: Any) -> LazyFrame:
        """``self.lazy().coint(...)``."""
        return self.lazy().coint(y, x, **options)

    def johansen(self, columns: Sequence[str], **options: Any) -> LazyFrame:
        """``self.lazy().johansen(...)``."""
        return self.lazy().johansen(columns, **options)

    def half_life(self, column: str, **options: Any) -> LazyFrame:
        """``self.lazy().half_life(...)``."""
        return self.lazy().half_life(column, **options)

    def hurst(self, column: str, **options: Any) -> LazyFrame:
        """``self.lazy().hurst(...)``."""
        return self.lazy().hurst(column, **options)
