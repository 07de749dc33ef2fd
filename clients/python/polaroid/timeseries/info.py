"""What ``as_time_series()`` finds out about a frame: the index and symbol columns, the
checks (nulls, order, duplicate instants per symbol) and the sampling frequency, computed on
the server by one small aggregation, and kept on the handle as the metadata entry
"polaroid.timeseries" (JSON, the same the TypeScript SDK writes and reads), so a frame
opened later is a time series without new arguments (``sdk/timeseries/time_series_info.ts``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

from polaroid.functions import len as len_
from polaroid.timeseries._checks import fail
from polaroid.timeseries._query import Q, col, num, per_group

__all__ = ["TIME_SERIES_METADATA", "Frequency", "IndexKind", "Inspection", "TimeSeriesInfo", "decode_info", "encode_info", "inspect"]

#: The handle metadata key of a time-series frame.
TIME_SERIES_METADATA = "polaroid.timeseries"
IndexKind = Literal["datetime", "date", "integer"]
_INTEGERS = {pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32}
_WHAT = "make a time series"


@dataclass(frozen=True)
class Frequency:
    """How regularly a series is sampled, from the positive steps between rows of a symbol.

    Attributes:
        regular: every positive step is the same.
        step: the median step as a duration ("1m", "250ms"; "1d" for a Date index, "5i" for
            an integer one); None with fewer than two distinct instants per symbol.
        min_step: the shortest step, in the same form.
        max_step: the longest step, in the same form.
    """

    regular: bool
    step: str | None
    min_step: str | None
    max_step: str | None


@dataclass(frozen=True)
class TimeSeriesInfo:
    """The facts of a checked time series (``series.info``).

    Attributes:
        index: the time column.
        by: the symbol columns (empty: one series).
        kind: what the index holds: "datetime", "date" or "integer".
        time_unit: a Datetime index's unit ("ns", "us", "ms"), else None.
        time_zone: a Datetime index's zone ("" when naive), else None.
        rows: the number of rows.
        symbols: distinct symbols (1 without ``by``).
        duplicates: rows repeating their symbol's previous instant.
        start: the first instant, as text (None for an empty frame).
        end: the last instant, as text.
        frequency: the sampling frequency.
    """

    index: str
    by: tuple[str, ...]
    kind: IndexKind
    time_unit: str | None
    time_zone: str | None
    rows: int
    symbols: int
    duplicates: int
    start: str | None
    end: str | None
    frequency: Frequency


@dataclass(frozen=True)
class Inspection:
    """One inspection: the facts and the counts the policies judge."""

    info: TimeSeriesInfo
    nulls: int
    unsorted: int


def index_kind(index: str, dtype: Any) -> tuple[IndexKind, str | None, str | None]:
    """The index kind, unit and zone of a column type; TypeError for other types."""
    if dtype is None:
        raise fail(_WHAT, "index", "a column of the frame", index)
    base = dtype.base_type() if isinstance(dtype, pl.DataType) else dtype
    if base is pl.Datetime:
        return "datetime", dtype.time_unit or "us", dtype.time_zone or ""
    if base is pl.Date:
        return "date", None, None
    if base in _INTEGERS:
        return "integer", None, None
    raise fail(_WHAT, "index", "a Datetime, Date or integer column", f"{index}: {dtype}")


_UNIT_NS = {"ns": 1, "us": 1_000, "ms": 1_000_000}
_PARTS = [("h", 3_600_000_000_000), ("m", 60_000_000_000), ("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000), ("ns", 1)]


def _js_number(value: float) -> str:
    """A number as JavaScript's String() writes it (integers without ".0")."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def step_text(step: float | None, kind: IndexKind, time_unit: str | None) -> str | None:
    """A step in index units as a duration: "1h30m", "250ms", "2d" (Date), "5i" (integer)."""
    if step is None or not math.isfinite(step):
        return None
    if kind == "integer":
        return f"{_js_number(step)}i"
    if kind == "date":
        return f"{_js_number(step)}d"
    rest = round(step) * _UNIT_NS[time_unit or "us"]
    text = ""
    for unit, ns in _PARTS:
        if rest >= ns:
            text += f"{rest // ns}{unit}"
            rest %= ns
    return text or "0ns"


def inspect(source: Q, schema: pl.Schema, index: str, by: list[str], first_row: Callable[[Q], dict[str, Any]]) -> Inspection:
    """Runs the checks of ``source`` as a time series on the server (``first_row`` runs a
    query and returns its first row)."""
    for name in by:
        if name not in schema:
            raise fail(_WHAT, "by", "columns of the frame", name)
        if name == index:
            raise fail(_WHAT, "by", "columns other than the index", name)
    kind, unit, zone = index_kind(index, schema.get(index))
    t, d = col("_t"), col("_d")
    positive = d._call("filter", [d > num(0)]).cast(pl.Float64, strict=False)
    f64 = pl.Float64
    stats = (
        source.select(*by, col(index).alias("_index"), col(index).cast(pl.Int64, strict=False).alias("_t"))
        .with_columns(per_group(t._call("diff", [], {}), by).alias("_d"))
        .select(
            len_().cast(f64, strict=False).alias("rows"),
            t._call("nullCount").cast(f64, strict=False).alias("nulls"),
            (d < num(0)).sum().cast(f64, strict=False).alias("unsorted"),
            (d == num(0)).sum().cast(f64, strict=False).alias("duplicates"),
            positive.min().alias("min_step"),
            positive.max().alias("max_step"),
            positive.median().alias("median_step"),
            col("_index").min().cast(pl.String, strict=False).alias("start"),
            col("_index").max().cast(pl.String, strict=False).alias("end"),
        )
    )
    row = first_row(stats)
    symbols = 1
    if by:
        count = source.select(*by).unique(by).select(len_().cast(f64, strict=False).alias("n"))
        symbols = int(first_row(count)["n"])

    def number(name: str) -> float | None:
        value = row.get(name)
        return None if value is None else float(value)

    low, high, median = number("min_step"), number("max_step"), number("median_step")
    info = TimeSeriesInfo(
        index=index,
        by=tuple(by),
        kind=kind,
        time_unit=unit,
        time_zone=zone,
        rows=int(number("rows") or 0),
        symbols=symbols,
        duplicates=int(number("duplicates") or 0),
        start=None if row.get("start") is None else str(row["start"]),
        end=None if row.get("end") is None else str(row["end"]),
        frequency=Frequency(
            regular=low is not None and low == high,
            step=step_text(median, kind, unit),
            min_step=step_text(low, kind, unit),
            max_step=step_text(high, kind, unit),
        ),
    )
    return Inspection(info, int(number("nulls") or 0), int(number("unsorted") or 0))


def encode_info(info: TimeSeriesInfo) -> dict[str, str]:
    """The metadata entry of a time series (the TypeScript SDK's JSON)."""
    body: dict[str, Any] = {"version": 1, "index": info.index, "by": list(info.by), "kind": info.kind}
    if info.kind == "datetime":
        body["timeUnit"] = info.time_unit
        body["timeZone"] = info.time_zone
    body.update(
        rows=info.rows,
        symbols=info.symbols,
        duplicates=info.duplicates,
        start=info.start,
        end=info.end,
        frequency={
            "regular": info.frequency.regular,
            "step": info.frequency.step,
            "minStep": info.frequency.min_step,
            "maxStep": info.frequency.max_step,
        },
    )
    return {TIME_SERIES_METADATA: json.dumps(body, separators=(",", ":"), ensure_ascii=False)}


def decode_info(metadata: Mapping[str, str], handle_id: str) -> TimeSeriesInfo:
    """The time-series facts kept on a handle; TypeError when it has none."""
    text = metadata.get(TIME_SERIES_METADATA)
    if text is None:
        raise fail(
            _WHAT,
            "index",
            f"given for a frame not made by as_time_series() (its metadata has no '{TIME_SERIES_METADATA}')",
            handle_id,
        )
    parsed = json.loads(text)
    if not isinstance(parsed, dict) or parsed.get("version") != 1 or not isinstance(parsed.get("index"), str) or not isinstance(parsed.get("by"), list):
        raise fail(_WHAT, TIME_SERIES_METADATA, "version 1 metadata with 'index' and 'by'", text[:200])
    frequency = parsed.get("frequency") or {}
    return TimeSeriesInfo(
        index=parsed["index"],
        by=tuple(parsed["by"]),
        kind=parsed.get("kind", "datetime"),
        time_unit=parsed.get("timeUnit"),
        time_zone=parsed.get("timeZone"),
        rows=int(parsed.get("rows", 0)),
        symbols=int(parsed.get("symbols", 1)),
        duplicates=int(parsed.get("duplicates", 0)),
        start=parsed.get("start"),
        end=parsed.get("end"),
        frequency=Frequency(
            regular=bool(frequency.get("regular", False)),
            step=frequency.get("step"),
            min_step=frequency.get("minStep"),
            max_step=frequency.get("maxStep"),
        ),
    )
