"""Pure builders of the time-series plan nodes: dynamic and rolling group-bys, asof joins,
statistical tests, and the caching, exploding and concatenating the time-series
compositions use (the TypeScript SDK's ``sdk/plan/plan_group.ts``, ``plan_join.ts``,
``plan_stat_tests.ts`` and ``plan_reshape.ts``). No I/O here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from polaroid._encode import arg_proto
from polaroid._gen.polaroid.v1 import expr_pb2, plan_pb2

__all__ = [
    "cache_plan",
    "concat_plan",
    "explode_plan",
    "group_by_dynamic_plan",
    "group_by_rolling_plan",
    "join_asof_plan",
    "stat_test_plan",
]

CLOSED: dict[str, plan_pb2.ClosedWindow] = {
    "left": plan_pb2.CLOSED_WINDOW_LEFT,
    "right": plan_pb2.CLOSED_WINDOW_RIGHT,
    "both": plan_pb2.CLOSED_WINDOW_BOTH,
    "none": plan_pb2.CLOSED_WINDOW_NONE,
}
LABEL: dict[str, plan_pb2.WindowLabel] = {
    "left": plan_pb2.WINDOW_LABEL_LEFT,
    "right": plan_pb2.WINDOW_LABEL_RIGHT,
    "datapoint": plan_pb2.WINDOW_LABEL_DATAPOINT,
}
START_BY: dict[str, plan_pb2.StartBy] = {
    "window": plan_pb2.START_BY_WINDOW,
    "datapoint": plan_pb2.START_BY_DATAPOINT,
    "monday": plan_pb2.START_BY_MONDAY,
    "tuesday": plan_pb2.START_BY_TUESDAY,
    "wednesday": plan_pb2.START_BY_WEDNESDAY,
    "thursday": plan_pb2.START_BY_THURSDAY,
    "friday": plan_pb2.START_BY_FRIDAY,
    "saturday": plan_pb2.START_BY_SATURDAY,
    "sunday": plan_pb2.START_BY_SUNDAY,
}
ASOF_STRATEGY: dict[str, plan_pb2.AsofStrategy] = {
    "backward": plan_pb2.ASOF_STRATEGY_BACKWARD,
    "forward": plan_pb2.ASOF_STRATEGY_FORWARD,
    "nearest": plan_pb2.ASOF_STRATEGY_NEAREST,
}
STAT_TESTS: dict[str, plan_pb2.StatTestKind] = {
    "adf": plan_pb2.STAT_TEST_KIND_ADF,
    "kpss": plan_pb2.STAT_TEST_KIND_KPSS,
    "coint": plan_pb2.STAT_TEST_KIND_COINT,
    "johansen": plan_pb2.STAT_TEST_KIND_JOHANSEN,
    "half_life": plan_pb2.STAT_TEST_KIND_HALF_LIFE,
    "hurst": plan_pb2.STAT_TEST_KIND_HURST,
}
CONCAT_HOW: dict[str, plan_pb2.ConcatHow] = {
    "vertical": plan_pb2.CONCAT_HOW_VERTICAL,
    "vertical_relaxed": plan_pb2.CONCAT_HOW_VERTICAL_RELAXED,
    "diagonal": plan_pb2.CONCAT_HOW_DIAGONAL,
    "diagonal_relaxed": plan_pb2.CONCAT_HOW_DIAGONAL_RELAXED,
    "horizontal": plan_pb2.CONCAT_HOW_HORIZONTAL,
}


def pick(what: str, name: str, value: Any, allowed: Mapping[str, Any]) -> Any:
    """``allowed[value]``, or ValueError listing the choices."""
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"Cannot {what} as '{name}' must be one of {', '.join(allowed)}: current value is {value!r}")
    return allowed[value]


def _duration(what: str, name: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"Cannot {what} as '{name}' must be a duration such as \"1h\" or \"10i\": current value is {value!r}")
    return value


def group_by_dynamic_plan(
    source: plan_pb2.Plan,
    index_column: str,
    *,
    every: str,
    period: str | None,
    offset: str | None,
    include_boundaries: bool,
    closed: str,
    label: str,
    by: Sequence[expr_pb2.Expr],
    start_by: str,
    aggs: Sequence[expr_pb2.Expr],
) -> plan_pb2.Plan:
    """Windows of ``every`` (each ``period`` long) laid over ``index_column``, then ``aggs``
    per window (and per group of ``by``)."""
    what = "group by dynamic windows"
    if not isinstance(index_column, str) or not index_column:
        raise ValueError(f"Cannot {what} as 'index_column' must be a column name: current value is {index_column!r}")
    node = plan_pb2.GroupByDynamic(
        input=source,
        index_column=index_column,
        every=_duration(what, "every", every),
        label=pick(what, "label", label, LABEL),
        include_boundaries=bool(include_boundaries),
        closed=pick(what, "closed", closed, CLOSED),
        by=by,
        start_by=pick(what, "start_by", start_by, START_BY),
        aggs=aggs,
    )
    if period is not None:
        node.period = _duration(what, "period", period)
    if offset is not None:
        node.offset = _duration(what, "offset", offset)
    return plan_pb2.Plan(group_by_dynamic=node)


def group_by_rolling_plan(
    source: plan_pb2.Plan,
    index_column: expr_pb2.Expr,
    *,
    period: str,
    offset: str | None,
    closed: str,
    by: Sequence[expr_pb2.Expr],
    aggs: Sequence[expr_pb2.Expr],
) -> plan_pb2.Plan:
    """One window per row, ending at its ``index_column`` value, then ``aggs`` per window."""
    what = "group by rolling windows"
    node = plan_pb2.GroupByRolling(
        input=source,
        index_column=index_column,
        period=_duration(what, "period", period),
        closed=pick(what, "closed", closed, CLOSED),
        by=by,
        aggs=aggs,
    )
    if offset is not None:
        node.offset = _duration(what, "offset", offset)
    return plan_pb2.Plan(group_by_rolling=node)


def join_asof_plan(
    left: plan_pb2.Plan,
    right: plan_pb2.Plan,
    *,
    left_on: str,
    right_on: str,
    by_left: Sequence[str],
    by_right: Sequence[str],
    strategy: str,
    tolerance: str | float | None,
    suffix: str,
    allow_exact_matches: bool | None,
    check_sortedness: bool,
    coalesce: bool,
) -> plan_pb2.Plan:
    """Each left row joined to the nearest right row by key (both sorted by it)."""
    what = "join as of"
    if len(by_left) != len(by_right):
        raise ValueError(f"Cannot {what} as 'by_right' must name as many columns as 'by_left' ({len(by_left)})")
    node = plan_pb2.JoinAsof(
        left=left,
        right=right,
        left_on=left_on,
        right_on=right_on,
        by_left=by_left,
        by_right=by_right,
        strategy=pick(what, "strategy", strategy, ASOF_STRATEGY),
        suffix=suffix,
        check_sortedness=bool(check_sortedness),
        coalesce=bool(coalesce),
    )
    if isinstance(tolerance, str):
        node.tolerance_duration = tolerance
    elif tolerance is not None:
        node.tolerance_number = float(tolerance)
    if allow_exact_matches is not None:
        node.allow_exact_matches = bool(allow_exact_matches)
    return plan_pb2.Plan(join_asof=node)


def stat_test_plan(
    source: plan_pb2.Plan, kind: str, columns: Sequence[str], by: Sequence[str], options: Mapping[str, Any]
) -> plan_pb2.Plan:
    """A statistical test over ``columns``, per group of ``by``; options whose value is None
    are left out (the server's default), a ``None`` autolag travels as "none"."""
    for name in [*columns, *by]:
        if not isinstance(name, str) or not name:
            raise ValueError(f"Cannot build the test as columns must be non-empty names: current value is {name!r}")
    node = plan_pb2.StatTest(input=source, kind=STAT_TESTS[kind], columns=list(columns), by=list(by))
    for key, value in options.items():
        if value is not None:
            node.options[key].CopyFrom(arg_proto(value))
    return plan_pb2.Plan(stat_test=node)


def cache_plan(source: plan_pb2.Plan) -> plan_pb2.Plan:
    """The input, cached for the plan's other uses of it."""
    return plan_pb2.Plan(cache=plan_pb2.Cache(input=source))


def explode_plan(source: plan_pb2.Plan, columns: Sequence[expr_pb2.Expr]) -> plan_pb2.Plan:
    """One row per element of the list columns."""
    return plan_pb2.Plan(explode=plan_pb2.Explode(input=source, columns=columns))


def concat_plan(inputs: Sequence[plan_pb2.Plan], how: str, *, rechunk: bool = False, parallel: bool = True) -> plan_pb2.Plan:
    """Several plans combined (stacked, or the union of their columns for "diagonal")."""
    if not inputs:
        raise ValueError("Cannot concatenate as 'items' must not be empty")
    kind = pick("concatenate", "how", how, CONCAT_HOW)
    return plan_pb2.Plan(concat=plan_pb2.Concat(inputs=list(inputs), how=kind, rechunk=rechunk, parallel=parallel))
