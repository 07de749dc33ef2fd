"""Time series and finance without a server: what the plans hold (the whole plans are
compared with the TypeScript SDK's in test_ts_parity.py), the arguments refused before
anything is sent, and the time-series metadata the TypeScript SDK also reads."""

from __future__ import annotations

import json
import sys
from datetime import timedelta

import polars as pl
import pytest

import polaroid as pr
from polaroid import _plan
from polaroid._gen.polaroid.v1 import plan_pb2
from polaroid.lazyframe import LazyFrame
from polaroid.timeseries.info import TIME_SERIES_METADATA, decode_info, encode_info, step_text

from .test_ts_parity import INFO, LEFT, RIGHT, TS, _NoClient

col = pr.col


def test_group_by_dynamic_sends_python_polars_defaults() -> None:
    node = LEFT.group_by_dynamic("t", every=timedelta(hours=1)).agg(col("v").sum()).plan.group_by_dynamic
    assert node.every == "3600s" and not node.HasField("period") and not node.HasField("offset")
    assert node.start_by == plan_pb2.START_BY_WINDOW  # nodejs-polars' default is monday
    assert node.closed == plan_pb2.CLOSED_WINDOW_LEFT and node.label == plan_pb2.WINDOW_LABEL_LEFT
    assert not node.include_boundaries and len(node.aggs) == 1


def test_rolling_and_dynamic_groups_finish_with_agg() -> None:
    rolling = LEFT.rolling("t", period="2h").len().plan.group_by_rolling
    assert rolling.closed == plan_pb2.CLOSED_WINDOW_RIGHT and not rolling.HasField("offset")
    assert rolling.aggs[0].WhichOneof("kind") == "len"
    with pytest.raises(NotImplementedError, match="head of time windows"):
        LEFT.group_by_dynamic("t", every="1h").head(2)
    with pytest.raises(NotImplementedError, match="index_column"):
        LEFT.group_by_dynamic(col("t"), every="1h")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'closed' must be one of"):
        LEFT.rolling("t", period="1h", closed="sideways")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'every' must be a duration"):
        LEFT.group_by_dynamic("t", every=3)  # type: ignore[arg-type]


def test_join_asof_options() -> None:
    node = LEFT.join_asof(RIGHT, on="t", tolerance=timedelta(seconds=5)).plan.join_asof
    assert (node.left_on, node.right_on, node.tolerance_duration, node.suffix) == ("t", "t", "5s", "_right")
    assert node.allow_exact_matches and node.check_sortedness and node.coalesce
    assert LEFT.join_asof(RIGHT, on="a", tolerance=3).plan.join_asof.tolerance_number == 3.0
    with pytest.raises(ValueError, match="'on' or 'left_on' and 'right_on'"):
        LEFT.join_asof(RIGHT, left_on="a")
    with pytest.raises(ValueError, match="'by' in conjunction"):
        LEFT.join_asof(RIGHT, on="t", by="k", by_left="k")
    with pytest.raises(NotImplementedError, match="left_on"):
        LEFT.join_asof(RIGHT, left_on=col("a"), right_on="b")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'tolerance' must be a number >= 0"):
        LEFT.join_asof(RIGHT, on="t", tolerance=-1)
    other = LazyFrame(_NoClient(), _plan.handle_plan("default.zyxwvutsrqponmlkjihgfedcba"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="different clients"):
        LEFT.join_asof(other, on="t")


def test_stat_tests_send_statsmodels_defaults() -> None:
    adf = LEFT.adf("px").plan.stat_test
    assert adf.kind == plan_pb2.STAT_TEST_KIND_ADF and list(adf.columns) == ["px"]
    assert {k: v.string for k, v in adf.options.items()} == {"regression": "c", "autolag": "AIC"}
    assert LEFT.adf("px", autolag=None, max_lag=3).plan.stat_test.options["autolag"].string == "none"
    coint = LEFT.coint("y", "x", by=["s"]).plan.stat_test
    assert list(coint.columns) == ["y", "x"] and list(coint.by) == ["s"]
    assert set(LEFT.hurst("px").plan.stat_test.options) == {"minLag", "maxLag"}
    assert not LEFT.half_life("px").plan.stat_test.options
    with pytest.raises(ValueError, match="'max_lag' must be a non-negative integer"):
        LEFT.adf("px", max_lag=-1)
    with pytest.raises(TypeError, match="list of column names"):
        LEFT.johansen("a")


def test_ohlcv_and_finance_refuse_bad_arguments() -> None:
    with pytest.raises(TypeError, match="'every' must be a positive duration"):
        LEFT.ohlcv(index="t", price="p", every="soon")
    with pytest.raises(TypeError, match="'label' must be \"left\" or \"right\" with fill"):
        LEFT.ohlcv(index="t", price="p", every="1m", fill="null", label="datapoint")
    with pytest.raises(ValueError, match="'max_bars' must be an integer from 1 to 10000000"):
        LEFT.ohlcv(index="t", price="p", every="1m", max_bars=0)
    with pytest.raises(TypeError, match="'fill' must be one of"):
        LEFT.ohlcv(index="t", price="p", every="1m", fill="zero")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'window' must be an integer in \\[2, 4294967295\\]: current value is 1"):
        LEFT.finance.volatility(window=1)
    with pytest.raises(TypeError, match="'method' must be one of close, ewma"):
        LEFT.finance.volatility(method="garch")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'lambda_' must be in \\(0, 1\\)"):
        LEFT.finance.volatility(method="ewma", lambda_=1.0)
    with pytest.raises(TypeError, match="'kind' must be one of simple, log, cumulative"):
        LEFT.finance.returns("c", kind="excess")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be distinct"):
        LEFT.finance.correlation(["a", "a"])


def test_time_series_methods_refuse_bad_arguments() -> None:
    with pytest.raises(TypeError, match="'window' must be a number of rows or a duration"):
        TS.rolling("10i", columns=["p"])
    with pytest.raises(TypeError, match="'columns' must be given \\(or pairs\\)"):
        TS.rolling("5m")
    with pytest.raises(TypeError, match="'closed' must be unset for a window of rows"):
        TS.rolling(5, columns=["p"], closed="left")
    with pytest.raises(TypeError, match="exactly one given"):
        TS.ewm(["p"], span=3, alpha=0.5)
    with pytest.raises(TypeError, match="'every' must be a fixed duration"):
        TS.upsample("1mo")
    with pytest.raises(TypeError, match="'tolerance' must be unset with interpolate"):
        TS.asof_join(RIGHT, interpolate="time", columns=["bid"], tolerance="5s")
    with pytest.raises(TypeError, match="given to fill_forward\\(\\) on a derived series"):
        TS.fill_forward()
    with pytest.raises(TypeError, match="the series sets it"):
        TS.ohlcv(price="p", every="1m", by="s")


def test_ordered_expressions_refuse_what_the_server_cannot_honour() -> None:
    with pytest.raises(NotImplementedError, match="weights"):
        col("a").rolling_mean(3, weights=[0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="one and only one of"):
        col("a").ewm_mean()
    with pytest.raises(ValueError, match="min_samples"):
        col("a").rolling_sum(3, min_samples=4)
    with pytest.raises(NotImplementedError, match="propagate_nans"):
        pr.corr("a", "b", propagate_nans=True)
    with pytest.raises(NotImplementedError, match="eager"):
        pr.int_range(0, 3, eager=True)
    with pytest.raises(ValueError, match="placeholders"):
        pr.format("{} and {}", "a")
    limited = col("a").forward_fill(3).to_proto().function
    assert limited.name == "fillNull" and limited.options["limit"].int == 3


def test_time_series_metadata_is_the_typescript_sdks_json() -> None:
    metadata = encode_info(INFO)
    body = json.loads(metadata[TIME_SERIES_METADATA])
    assert list(body) == [
        "version", "index", "by", "kind", "timeUnit", "timeZone", "rows", "symbols", "duplicates", "start", "end", "frequency",
    ]
    assert body["frequency"] == {"regular": False, "step": None, "minStep": None, "maxStep": None}
    assert decode_info(metadata, "h") == INFO
    # Written by the TypeScript SDK for a Date index (no unit nor zone).
    ts_written = (
        '{"version":1,"index":"day","by":[],"kind":"date","rows":3,"symbols":1,"duplicates":0,'
        '"start":"2024-01-01","end":"2024-01-03","frequency":{"regular":true,"step":"1d","minStep":"1d","maxStep":"1d"}}'
    )
    info = decode_info({TIME_SERIES_METADATA: ts_written}, "h")
    assert (info.kind, info.time_unit, info.frequency.step, info.by) == ("date", None, "1d", ())
    assert json.loads(encode_info(info)[TIME_SERIES_METADATA]) == json.loads(ts_written)
    with pytest.raises(TypeError, match="not made by as_time_series"):
        decode_info({}, "default.x")


def test_steps_read_as_durations() -> None:
    assert step_text(90_000_000, "datetime", "us") == "1m30s"
    assert step_text(250, "datetime", "ms") == "250ms"
    assert step_text(1.0, "date", None) == "1d" and step_text(1.5, "date", None) == "1.5d"
    assert step_text(5.0, "integer", None) == "5i"
    assert step_text(None, "datetime", "us") is None


def test_the_arrow_stream_needs_pyarrow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match="pyarrow is needed for __arrow_c_stream__.*pip install"):
        LEFT.__arrow_c_stream__()


def test_the_index_must_be_temporal_or_integer() -> None:
    from polaroid.timeseries.info import index_kind

    assert index_kind("t", pl.Datetime("ns", "UTC")) == ("datetime", "ns", "UTC")
    assert index_kind("d", pl.Date) == ("date", None, None)
    with pytest.raises(TypeError, match="a Datetime, Date or integer column"):
        index_kind("s", pl.String)
