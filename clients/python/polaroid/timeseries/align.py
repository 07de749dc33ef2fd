"""Aligning time series in time, per symbol: lag and lead by a duration, asof joins with
kdb+'s aj/aj0 and linear or time-weighted interpolation, forward fill bounded by rows or by
age, and upsampling to a regular grid (the TypeScript SDK's
``sdk/timeseries/time_series_align.ts``; docs/timeseries.md, "Asof joins, kdb+ style").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from polaroid.expr import Expr
from polaroid.functions import when
from polaroid.timeseries._checks import fail, fixed_duration
from polaroid.timeseries._query import Q, col, format_message, int_ranges, lit, num, per_group

__all__ = ["MAX_UPSAMPLE_ROWS", "AsofInterpolation", "UpsampleFill", "asof_join", "fill_forward_exprs", "shift_by_time", "upsample"]

AsofInterpolation = Literal["linear", "time"]
UpsampleFill = Literal["null", "forward", "linear", "time"]
#: The most rows ``upsample()`` may lay out.
MAX_UPSAMPLE_ROWS = 10_000_000
_WHAT = "align a time series"


def shift_by_time(q: Q, index: str, by: list[str], columns: list[str], duration: str, direction: str) -> Q:
    """Each column as of ``duration`` earlier ("lag": the last row at or before t − d) or
    later ("lead": the first at or after t + d): ``<column>_<lag|lead>_<duration>``."""
    fixed_duration(_WHAT, "n", duration)
    if not columns:
        raise fail(_WHAT, "columns", "at least one column", columns)
    shift = f"-{duration}" if direction == "lag" else duration
    left = q.with_columns(col(index).dt.offset_by(shift).alias("_at"))
    right = q.select(*by, col(index).alias("_at"), *[col(c).alias(f"{c}_{direction}_{duration}") for c in columns])
    strategy = "backward" if direction == "lag" else "forward"
    return left.join_asof(right, "_at", by, strategy=strategy, check_sortedness=False).drop("_at")


def asof_join(
    left: Q,
    right: Q,
    index: str,
    by: list[str],
    *,
    strategy: str | None,
    tolerance: str | None,
    allow_exact_matches: bool | None,
    suffix: str | None,
    right_index: str | None,
    columns: Sequence[str] | None,
    interpolate: str | None,
) -> Q:
    """An asof join of two series with the same index and symbol columns."""
    if interpolate is not None:
        given: dict[str, object] = {"strategy": strategy, "tolerance": tolerance, "allow_exact_matches": allow_exact_matches, "right_index": right_index}
        return _interpolated(left, right, index, by, interpolate, given, columns, suffix)
    if tolerance is not None:
        fixed_duration(_WHAT, "tolerance", tolerance)
    source = right if right_index is None else right.with_columns(col(index).alias(right_index))
    return left.join_asof(
        source,
        index,
        by,
        strategy=strategy or "backward",
        tolerance=tolerance,
        allow_exact_matches=True if allow_exact_matches is None else allow_exact_matches,
        suffix=suffix or "",
        check_sortedness=False,
    )


def _interpolated(
    left: Q,
    right: Q,
    index: str,
    by: list[str],
    method: str,
    given: dict[str, object],
    columns: Sequence[str] | None,
    suffix: str | None,
) -> Q:
    if method not in ("linear", "time"):
        raise fail(_WHAT, "interpolate", '"linear" or "time"', method)
    for name, value in given.items():
        if value is not None:
            raise fail(_WHAT, name, "unset with interpolate", value)
    if isinstance(columns, str) or not isinstance(columns, Sequence) or len(columns) == 0:
        raise fail(_WHAT, "columns", "the right's numeric columns to interpolate", columns)
    names = list(columns)
    key = [*by, index]
    # The right's last row per instant (as kdb+), then the left instants it lacks.
    rows = right.select(*key, *names).unique(key, keep="last", maintain_order=True)
    gaps = left.select(*key).unique(key, maintain_order=True).join(rows.select(*key), key, "anti")
    merged = (
        Q.concat_diagonal([rows, gaps])
        .sort(key)
        .with_columns(col(index).cast(pl.Int64, strict=False).cast(pl.Float64, strict=False).alias("_x"))
        .with_columns(*[_interpolate(col(name), method, by).alias(name) for name in names])
        .drop("_x")
    )
    # kdb+ aj keeps the left rows in order: the join is asked to (the streaming engine would not).
    return left.join(merged, key, "left", suffix=suffix or "_right", maintain_order="left")


def _interpolate(values: Expr, method: str, by: list[str]) -> Expr:
    """Linear by position (Polars' interpolate) or by time (``_x``) between known values."""
    if method == "linear":
        return per_group(values._call("interpolate", [], {"method": "linear"}), by)
    x = col("_x")
    known = values.is_not_null()
    x0 = per_group(when(known).then(x).otherwise(None)._call("forwardFill"), by)
    x1 = per_group(when(known).then(x).otherwise(None)._call("backwardFill"), by)
    v0 = per_group(values._call("forwardFill"), by)
    v1 = per_group(values._call("backwardFill"), by)
    return when(known).then(values).when(x1 == x0).then(v0).otherwise(v0 + (v1 - v0) * ((x - x0) / (x1 - x0)))


def fill_forward_exprs(index: str, by: list[str], columns: list[str], limit: int | None, max_age: str | None) -> list[Expr]:
    """Forward fill per symbol, bounded by rows (``limit``) and/or the value's age."""
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise fail(_WHAT, "limit", "a non-negative integer", limit)
    if max_age is not None:
        fixed_duration(_WHAT, "max_age", max_age)
    out: list[Expr] = []
    for name in columns:
        c = col(name)
        ok: Expr = lit(True)
        if limit is not None:
            row = per_group(col(index)._call("cumCount", [], {}), by)
            last = per_group(when(c.is_not_null()).then(row).otherwise(None)._call("forwardFill"), by)
            ok = ok & ((row - last) <= num(limit))
        if max_age is not None:
            seen = per_group(when(c.is_not_null()).then(col(index)).otherwise(None)._call("forwardFill"), by)
            ok = ok & (seen.dt.offset_by(max_age) >= col(index))
        out.append(when(c.is_null() & ok).then(per_group(c._call("forwardFill"), by)).otherwise(c).alias(name))
    return out


def upsample(q: Q, index: str, by: list[str], values: list[str], *, every: str, fill: str, max_rows: int) -> Q:
    """A row at every ``every`` from each symbol's first instant to its last, merged with the
    existing rows (none dropped), the new rows filled as ``fill`` says."""
    step = fixed_duration(_WHAT, "every", every)
    if fill not in ("null", "forward", "linear", "time"):
        raise fail(_WHAT, "fill", '"null", "forward", "linear" or "time"', fill)
    if isinstance(max_rows, bool) or not isinstance(max_rows, int) or not 1 <= max_rows <= MAX_UPSAMPLE_ROWS:
        raise fail(_WHAT, "max_rows", f"an integer from 1 to {MAX_UPSAMPLE_ROWS}", max_rows)
    span_aggs = [col(index).min().alias("_lo"), col(index).max().alias("_hi")]
    spans = q.select(*span_aggs) if not by else q.group_by(by, span_aggs, maintain_order=True)
    points = (((col("_hi").dt.epoch("ns") - col("_lo").dt.epoch("ns")) / num(step))._call("floor") + num(1)).cast(pl.Int64, strict=False)
    message = format_message(
        f"Cannot upsample as the grid must have at most {max_rows} rows (maxRows): current value is {{}}",
        col("_points").sum(),
    )
    guard = when(col("_points").sum() <= num(max_rows)).then(lit("0")).otherwise(message).cast(pl.Int64, strict=True)
    grid = (
        spans.with_columns(points.alias("_points"))
        .with_columns(int_ranges(0, col("_points") + guard).alias("_k"))
        .explode("_k")
        .select(*by, (col("_lo") + (col("_k") * num(step)).cast(pl.Duration("ns"), strict=False)).alias(index))
    )
    key = [*by, index]
    fresh = grid.join(q.select(*key), key, "anti").unique(key, maintain_order=True)
    merged = Q.concat_diagonal([q.with_columns(lit(True).alias("_known")), fresh]).sort(key)
    if fill == "null" or not values:
        return merged.drop("_known")
    filled = []
    for name in values:
        c = col(name)
        value = per_group(c._call("forwardFill"), by) if fill == "forward" else _interpolate(c, fill, by)
        filled.append(when(col("_known").is_null()).then(value).otherwise(c).alias(name))
    return (
        merged.with_columns(col(index).cast(pl.Int64, strict=False).cast(pl.Float64, strict=False).alias("_x"))
        .with_columns(*filled)
        .drop("_known", "_x")
    )
