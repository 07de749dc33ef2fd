"""Time series and finance, run on the server: ``TimeSeries`` (from
``lf.as_time_series()``), its facts (``TimeSeriesInfo``, ``Frequency``), the finance
namespace (``lf.finance``) and OHLCV bars (``lf.ohlcv()``); docs/timeseries.md and
docs/python.md describe them.
"""

from __future__ import annotations

from polaroid.timeseries.align import MAX_UPSAMPLE_ROWS
from polaroid.timeseries.bars import MAX_FILL_BARS
from polaroid.timeseries.finance import Finance
from polaroid.timeseries.info import TIME_SERIES_METADATA, Frequency, TimeSeriesInfo
from polaroid.timeseries.series import TimeSeries

__all__ = ["MAX_FILL_BARS", "MAX_UPSAMPLE_ROWS", "TIME_SERIES_METADATA", "Finance", "Frequency", "TimeSeries", "TimeSeriesInfo"]
