"""OHLCV bars: ticks (a time index, a price and a volume) resampled into open, high, low,
close, volume, vwap and count per window and symbol, from ``group_by_dynamic`` with
calendar alignment in a time zone and fills of empty bars (the TypeScript SDK's
``sdk/timeseries/bars.ts``; docs/timeseries.md, "OHLCV bars"). A composition of plan nodes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

import polars as pl

from polaroid.expr import Expr
from polaroid.functions import len as len_
from polaroid.functions import when
from polaroid.timeseries._checks import choice, column, columns, fail, shortest_duration
from polaroid.timeseries._query import Q, col, format_message, int_ranges, lit, num, per_group

__all__ = ["MAX_FILL_BARS", "BarFill", "ohlcv"]

#: How empty bars between a symbol's first and last bar are filled.
BarFill = Literal["none", "null", "previous_close", "linear"]
#: The most bars a fill may lay out (all symbols together).
MAX_FILL_BARS = 10_000_000

_WHAT = "build OHLCV bars"
_OFFSET = re.compile(r"^-?(\d+(ns|us|µs|ms|mo|s|m|h|d|w|q|y|i))+$")


def ohlcv(
    q: Q,
    *,
    index: str,
    price: str,
    every: str,
    volume: str | None = None,
    period: str | None = None,
    offset: str | None = None,
    closed: Literal["left", "right", "both", "none"] = "left",
    label: Literal["left", "right", "datapoint"] = "left",
    by: str | Sequence[str] | None = None,
    time_zone: str | None = None,
    fill: BarFill = "none",
    vwap: bool = True,
    count: bool = True,
    max_bars: int = MAX_FILL_BARS,
    sorted: bool = False,
) -> Q:
    """The bars of ``q``'s ticks (see ``LazyFrame.ohlcv``)."""
    column(_WHAT, "index", index)
    column(_WHAT, "price", price)
    if volume is not None:
        column(_WHAT, "volume", volume)
    step = shortest_duration(_WHAT, "every", every)
    if period is not None:
        step = min(step, shortest_duration(_WHAT, "period", period))
    if offset is not None and (not isinstance(offset, str) or not _OFFSET.match(offset)):
        raise fail(_WHAT, "offset", 'a duration such as "0ns" or "-2h"', offset)
    choice(_WHAT, "closed", closed, ("left", "right", "both", "none"))
    choice(_WHAT, "label", label, ("left", "right", "datapoint"))
    choice(_WHAT, "fill", fill, ("none", "null", "previous_close", "linear"))
    if time_zone is not None and (not isinstance(time_zone, str) or not time_zone):
        raise fail(_WHAT, "time_zone", 'an IANA time zone such as "America/New_York"', time_zone)
    for flag, value in (("vwap", vwap), ("count", count), ("sorted", sorted)):
        if not isinstance(value, bool):
            raise fail(_WHAT, flag, "a boolean", value)
    if isinstance(max_bars, bool) or not isinstance(max_bars, int) or not 1 <= max_bars <= MAX_FILL_BARS:
        raise ValueError(
            f"Cannot {_WHAT} as 'max_bars' must be an integer from 1 to {MAX_FILL_BARS}: current value is {max_bars!r}"
        )
    if fill != "none" and label == "datapoint":
        raise fail(_WHAT, "label", f'"left" or "right" with fill "{fill}"', label)
    if fill != "none" and every.endswith("i"):
        raise fail(_WHAT, "every", f'a time duration with fill "{fill}"', every)
    keys = columns(_WHAT, "by", by, allow_empty=True)
    windows = {
        "index_column": index,
        "every": every,
        "period": period,
        "offset": offset,
        "include_boundaries": False,
        "closed": closed,
        "label": label,
        "by": keys,
        "start_by": "window",
    }
    ticks = q
    if time_zone is not None:
        ticks = ticks.with_columns(col(index).dt.convert_time_zone(time_zone))
    if not sorted:
        ticks = ticks.sort([*keys, index])
    aggs = _aggs(price, volume, vwap, count)
    names = ["open", "high", "low", "close", *_rest(volume, vwap, count)]
    order = [*keys, index]
    if fill == "none":
        return ticks.group_by_dynamic(aggs, **windows).select(*order, *names).sort(order)
    bars = ticks.group_by_dynamic(aggs, **windows).cache()
    grid = _fill_grid(bars, index, keys, windows, step, max_bars)
    joined = grid.join(bars, order, "left").sort(order)
    return joined.with_columns(*_fill_exprs(volume, count, keys, fill)).select(*order, *names)


def _aggs(price: str, volume: str | None, vwap: bool, count: bool) -> list[Expr]:
    p = col(price)
    aggs = [p.first().alias("open"), p.max().alias("high"), p.min().alias("low"), p.last().alias("close")]
    if volume is not None:
        v = col(volume)
        aggs.append(v.sum().alias("volume"))
        if vwap:
            aggs.append(((p * v).sum() / v.sum()).alias("vwap"))
    if count:
        aggs.append(len_().alias("count"))
    return aggs


def _rest(volume: str | None, vwap: bool, count: bool) -> list[str]:
    out = []
    if volume is not None:
        out.append("volume")
        if vwap:
            out.append("vwap")
    if count:
        out.append("count")
    return out


def _fill_grid(bars: Q, index: str, by: list[str], windows: dict[str, Any], step: int, max_bars: int) -> Q:
    """Every bar label between each symbol's first and last bar: a lattice of instants no
    further apart than the shortest bar, grouped by the same windows (see bars.ts)."""
    span_aggs = [col(index).min().alias("_first"), col(index).max().alias("_last")]
    spans = bars.select(*span_aggs).filter(col("_first").is_not_null()) if not by else bars.group_by(by, span_aggs, maintain_order=True)
    points = (((col("_last").dt.epoch("ns") - col("_first").dt.epoch("ns")) / num(step))._call("floor") + num(5)).cast(pl.Int64, strict=False)
    message = format_message(
        f"Cannot fill OHLCV bars as the bars to lay out must number at most {max_bars} (maxBars): current value is about {{}}",
        col("_points").sum(),
    )
    guard = when(col("_points").sum() <= num(max_bars)).then(lit("0")).otherwise(message).cast(pl.Int64, strict=True)
    lattice = col("_first") + (col("_k") * num(step) + num(step // 2)).cast(pl.Duration("ns"), strict=False)
    return (
        spans.with_columns(points.alias("_points"))
        .with_columns(int_ranges(-2, (col("_points") + guard - num(2)).cast(pl.Int64, strict=False)).alias("_k"))
        .explode("_k")
        .select(*by, lattice.alias(index), "_first", "_last")
        .group_by_dynamic([col("_first").first(), col("_last").first()], **windows)
        .filter(col(index).is_between(col("_first"), col("_last")))
        .select(*by, index)
    )


def _fill_exprs(volume: str | None, count: bool, by: list[str], fill: str) -> list[Expr]:
    """Zero volume and count on empty bars, and their prices as the fill says."""
    exprs: list[Expr] = []
    if volume is not None:
        exprs.append(col("volume").fill_null(strategy="zero"))
    if count:
        exprs.append(col("count").fill_null(strategy="zero"))
    if fill == "null":
        return exprs
    close = per_group(col("close")._call("forwardFill"), by) if fill == "previous_close" else per_group(col("close")._call("interpolate"), by)
    exprs.append(close.alias("close"))
    exprs.extend(col(name).fill_null(close).alias(name) for name in ("open", "high", "low"))
    return exprs
