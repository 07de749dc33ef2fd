"""Moving windows of a time series, per symbol: rolling by a number of rows or a duration
(rolling groups joined back to the rows), expanding windows and exponentially weighted
moments (the TypeScript SDK's ``sdk/timeseries/time_series_windows.ts``; docs/timeseries.md,
"Windows", says how std and var keep their precision).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import polars as pl

from polaroid._encode import call_proto
from polaroid.expr import Expr
from polaroid.functions import len as len_
from polaroid.functions import when
from polaroid.timeseries._checks import fail, shortest_duration
from polaroid.timeseries._query import Q, col, int_range, num, per_group

__all__ = ["PairStat", "WindowStat", "ewm_exprs", "expanding_exprs", "rolling_windows"]

WindowStat = Literal["mean", "sum", "min", "max", "std", "var", "median", "quantile", "skew", "count"]
PairStat = Literal["corr", "cov"]
WINDOW_STATS = ("mean", "sum", "min", "max", "std", "var", "median", "quantile", "skew", "count")
EXPANDING_STATS = tuple(s for s in WINDOW_STATS if s != "skew")
_WHAT = "compute a window"


def _names(name: str, value: Any, *, allow_empty: bool = False) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Sequence) or (not allow_empty and len(value) == 0):
        raise fail(_WHAT, name, "a list of column names", value)
    for item in value:
        if not isinstance(item, str) or not item:
            raise fail(_WHAT, name, "a list of column names", value)
    return list(value)


def _stats(name: str, value: Any, allowed: Sequence[str]) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Sequence) or len(value) == 0:
        raise fail(_WHAT, name, f"a non-empty list of {', '.join(allowed)}", value)
    for item in value:
        if item not in allowed:
            raise fail(_WHAT, name, f"a list of {', '.join(allowed)}", value)
    return list(value)


def _unit(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise fail(_WHAT, name, "in [0, 1]", value)
    return value


def _count(name: str, value: Any, low: int, fallback: int) -> int:
    if value is None:
        return fallback
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise fail(_WHAT, name, f"an integer of at least {low}", value)
    return value


def _window_of(value: Any) -> tuple[str, int | None]:
    """The window as Polars writes it, and its rows (None for a duration)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 1:
            raise fail(_WHAT, "window", "a positive number of rows", value)
        return f"{value}i", value
    if not isinstance(value, str) or value.endswith("i"):
        raise fail(_WHAT, "window", 'a number of rows or a duration such as "5m"', value)
    shortest_duration(_WHAT, "window", value)
    return value, None


def _reference_name(name: str) -> str:
    return f"_ref_{name}"


def _reference(name: str, by: list[str]) -> Expr:
    """Each row's last finite value (the first one before it), per symbol, as Float64: the
    value a window's std and var centre on."""
    c = col(name).cast(pl.Float64, strict=False)
    finite = when(c._call("isFinite")).then(c).otherwise(None)
    return per_group(finite._call("forwardFill")._call("backwardFill"), by).alias(_reference_name(name))


def _in_own_type(own: Expr, centred: Expr) -> Expr:
    """``centred`` in the type Polars gives ``own`` (clipping to [x, x] casts x)."""
    return own._call("clip", [centred, centred])


def _stat(name: str, stat: str, ddof: int, q: float, bias: bool) -> Expr:
    c = col(name)

    def centred() -> Expr:
        return c.cast(pl.Float64, strict=False) - col(_reference_name(name)).first()

    if stat in ("mean", "sum", "min", "max", "median", "count"):
        return getattr(c, stat)()  # type: ignore[no-any-return]
    if stat == "std":
        return _in_own_type(c.std(ddof), centred().std(ddof))
    if stat == "var":
        return _in_own_type(c.var(ddof), centred().var(ddof))
    if stat == "quantile":
        return c.quantile(q, "linear")
    return c._call("skew", [], {"bias": bias})


def _needs(stat: str, ddof: int) -> int:
    """Fewest non-null values a statistic needs for a value (as pandas)."""
    if stat in ("std", "var", "cov"):
        return ddof + 1
    return {"skew": 3, "corr": 2}.get(stat, 1)


def rolling_windows(
    q: Q,
    index: str,
    by: list[str],
    *,
    window: int | str,
    columns: Sequence[str] | None,
    stats: Sequence[str],
    pairs: Sequence[tuple[str, str]],
    pair_stats: Sequence[str] | None,
    min_periods: int | None,
    closed: str | None,
    ddof: int,
    quantile: float,
    bias: bool,
) -> Q:
    """Rolling statistics, one new column each: ``<column>_<stat>_<window>`` and
    ``<a>_<b>_<corr|cov>_<window>``."""
    period, rows = _window_of(window)
    names = _names("columns", list(columns or []), allow_empty=True)
    chosen = _stats("stats", stats, WINDOW_STATS)
    checked_pairs: list[tuple[str, str]] = []
    for pair in pairs:
        if isinstance(pair, str) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise fail(_WHAT, "pairs", "[a, b] column pairs", pair)
        a, b = _names("pairs", pair)
        checked_pairs.append((a, b))
    chosen_pairs = [] if not checked_pairs else _stats("pair_stats", pair_stats or ["corr"], ("corr", "cov"))
    if not names and not checked_pairs:
        raise fail(_WHAT, "columns", "given (or pairs)", names)
    ddof = _count("ddof", ddof, 0, 1)
    q_value = _unit("quantile", quantile)
    if not isinstance(bias, bool):
        raise fail(_WHAT, "bias", "a boolean", bias)
    minimum = _count("min_periods", min_periods, 1, rows if rows is not None else 1)
    if closed is not None and closed not in ("left", "right", "both", "none"):
        raise fail(_WHAT, "closed", "one of left, right, both, none", closed)
    if rows is not None and closed is not None:
        raise fail(_WHAT, "closed", "unset for a window of rows", closed)
    suffix = str(window)
    aggs: list[Expr] = []
    outputs: list[Expr | str] = []

    def gate(name: str, stat: str) -> Expr:
        enough = col(f"_n_{name}") >= num(max(minimum, _needs(stat, ddof)))
        return when(enough).then(col(name)).otherwise(None).alias(name)

    for name in names:
        for stat in chosen:
            out = f"{name}_{stat}_{suffix}"
            aggs.append(_stat(name, stat, ddof, q_value, bias).alias(out))
            aggs.append(col(name).count().alias(f"_n_{out}"))
            outputs.append(col(out) if stat == "count" else gate(out, stat))
    for a, b in checked_pairs:
        for stat in chosen_pairs:
            out = f"{a}_{b}_{stat}_{suffix}"
            measure = (
                Expr(call_proto("pl.pearsonCorr", [col(a), col(b)]))
                if stat == "corr"
                else Expr(call_proto("pl.cov", [col(a), col(b)], {"ddof": ddof}))
            )
            aggs.append(measure.alias(out))
            aggs.append((col(a).is_not_null() & col(b).is_not_null()).sum().alias(f"_n_{out}"))
            outputs.append(gate(out, stat))
    key = index if rows is None else "_row"
    centred = names if ("std" in chosen or "var" in chosen) else []
    base = q.with_columns(
        int_range(0, len_()).cast(pl.Int64, strict=False).alias("_order"),
        *([] if rows is None else [per_group(int_range(0, len_()).cast(pl.Int64, strict=False), by).alias("_row")]),
        *[_reference(name, by) for name in centred],
    ).cache()
    windows = (
        base.group_by_rolling(key, aggs, period=period, closed=closed or "right", by=by)
        .unique([*by, key], keep="first", maintain_order=True)
        .select(*by, key, *outputs)
    )
    return (
        base.join(windows, [*by, key], "left")
        .sort(["_order"])
        .drop("_order", *([] if rows is None else ["_row"]), *[_reference_name(n) for n in centred])
    )


def expanding_exprs(
    by: list[str], *, columns: Sequence[str], stats: Sequence[str], min_periods: int, ddof: int, quantile: float
) -> list[Expr]:
    """Expanding-window statistics ``<column>_expanding_<stat>``, from each symbol's first row."""
    names = _names("columns", columns)
    chosen = _stats("stats", stats, EXPANDING_STATS)
    minimum = _count("min_periods", min_periods, 1, 1)
    ddof = _count("ddof", ddof, 0, 1)
    q_value = _unit("quantile", quantile)
    window = {"windowSize": 4294967295, "minPeriods": minimum}
    exprs: list[Expr] = []
    for name in names:
        c = col(name)
        for stat in chosen:
            if stat in ("mean", "sum", "min", "max", "median"):
                e = c._call(f"rolling{stat.capitalize()}", [], window)
            elif stat in ("std", "var"):
                method = f"rolling{stat.capitalize()}"
                e = _in_own_type(
                    c._call(method, [], {**window, "ddof": ddof}),
                    _centred_on_first(c)._call(method, [], {**window, "ddof": ddof}),
                )
            elif stat == "quantile":
                e = c._call("rollingQuantile", [], {**window, "quantile": q_value, "interpolation": "linear"})
            else:
                e = c.is_not_null()._call("cumSum").cast(pl.UInt32, strict=False)
            exprs.append(per_group(e, by).alias(f"{name}_expanding_{stat}"))
    return exprs


def _centred_on_first(c: Expr) -> Expr:
    """``c`` as Float64 less its first finite value (per symbol under ``per_group``)."""
    values = c.cast(pl.Float64, strict=False)
    first = when(values._call("isFinite")).then(values).otherwise(None)._call("backwardFill").first()
    return values - first


def ewm_exprs(
    by: list[str],
    *,
    columns: Sequence[str],
    stats: Sequence[str],
    decay: dict[str, Any],
    adjust: bool,
    min_periods: int,
    bias: bool,
) -> list[Expr]:
    """Exponentially weighted moments ``<column>_ewm_<stat>``, per symbol, with pandas'
    handling of nulls (``ignore_na=False``; a null row repeats the last result)."""
    names = _names("columns", columns)
    chosen = _stats("stats", stats, ("mean", "std", "var"))
    given = {k: v for k, v in decay.items() if v is not None}
    if len(given) != 1:
        raise fail(_WHAT, "alpha, com, span or half_life", "exactly one given", sorted(given))
    options = {**given, "adjust": adjust, "minPeriods": _count("min_periods", min_periods, 0, 1), "bias": bias, "ignoreNulls": False}
    exprs: list[Expr] = []
    for name in names:
        for stat in chosen:
            c = col(name)
            e = c._call({"mean": "ewmMean", "std": "ewmStd", "var": "ewmVar"}[stat], [], options)
            if stat != "mean" and not bias:
                # Unbiased moments need two values (Polars gives 0 for one, pandas NaN).
                e = when(c.is_not_null()._call("cumSum") >= num(2)).then(e).otherwise(None)
            exprs.append(per_group(e._call("forwardFill"), by).alias(f"{name}_ewm_{stat}"))
    return exprs

