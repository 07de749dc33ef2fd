"""Pure builders of plan nodes (``polaroid.v1.Plan``): each takes its input plan(s) and
checked arguments and returns the protobuf node, mirroring the TypeScript SDK's
``sdk/plan/plan.ts``. No I/O here; LazyFrame (lazyframe.py) parses Python Polars'
arguments into these calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from polaroid._gen.polaroid.v1 import expr_pb2, plan_pb2

__all__ = [
    "JOIN_TYPES",
    "UNIQUE_KEEP",
    "drop_nulls_plan",
    "drop_plan",
    "empty_plan",
    "file_plan",
    "filter_plan",
    "group_by_plan",
    "handle_plan",
    "join_plan",
    "rename_plan",
    "select_plan",
    "slice_plan",
    "sort_plan",
    "sql_plan",
    "tail_plan",
    "unique_plan",
    "with_columns_plan",
]

JOIN_TYPES: dict[str, plan_pb2.JoinType] = {
    "inner": plan_pb2.JOIN_TYPE_INNER,
    "left": plan_pb2.JOIN_TYPE_LEFT,
    "full": plan_pb2.JOIN_TYPE_FULL,
    "semi": plan_pb2.JOIN_TYPE_SEMI,
    "anti": plan_pb2.JOIN_TYPE_ANTI,
    "cross": plan_pb2.JOIN_TYPE_CROSS,
}

# Polars' maintain_order of a join; None and "none" leave the order to the engine.
JOIN_ORDERS: dict[str | None, plan_pb2.JoinMaintainOrder] = {
    None: plan_pb2.JOIN_MAINTAIN_ORDER_UNSPECIFIED,
    "none": plan_pb2.JOIN_MAINTAIN_ORDER_UNSPECIFIED,
    "left": plan_pb2.JOIN_MAINTAIN_ORDER_LEFT,
    "right": plan_pb2.JOIN_MAINTAIN_ORDER_RIGHT,
    "left_right": plan_pb2.JOIN_MAINTAIN_ORDER_LEFT_RIGHT,
    "right_left": plan_pb2.JOIN_MAINTAIN_ORDER_RIGHT_LEFT,
}

UNIQUE_KEEP: dict[str, plan_pb2.UniqueKeep] = {
    "any": plan_pb2.UNIQUE_KEEP_ANY,
    "first": plan_pb2.UNIQUE_KEEP_FIRST,
    "last": plan_pb2.UNIQUE_KEEP_LAST,
    "none": plan_pb2.UNIQUE_KEEP_NONE,
}

GROUP_BY_OUTPUT: dict[str, plan_pb2.GroupByOutput] = {
    "agg": plan_pb2.GROUP_BY_OUTPUT_UNSPECIFIED,  # as the TS SDK sends it (= AGG)
    "head": plan_pb2.GROUP_BY_OUTPUT_HEAD,
    "tail": plan_pb2.GROUP_BY_OUTPUT_TAIL,
    "len": plan_pb2.GROUP_BY_OUTPUT_LEN,
}


def _count(what: str, name: str, n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"Cannot {what} as '{name}' must be a non-negative integer: current value is {n!r}")
    return n


def handle_plan(handle_id: str) -> plan_pb2.Plan:
    """A scan of a stored frame."""
    if not isinstance(handle_id, str) or not handle_id:
        raise ValueError(f"Cannot scan a handle as its id must be a non-empty string: current value is {handle_id!r}")
    return plan_pb2.Plan(scan=plan_pb2.Scan(handle=handle_id))


def file_plan(file: plan_pb2.FileScan) -> plan_pb2.Plan:
    """A scan of a file under the server's data root."""
    if not file.path:
        raise ValueError("Cannot scan a file as 'source' must be a non-empty path")
    return plan_pb2.Plan(scan=plan_pb2.Scan(file=file))


def empty_plan() -> plan_pb2.Plan:
    """A frame of no rows and no columns (the context of ``client.select(...)``)."""
    return plan_pb2.Plan(scan=plan_pb2.Scan(empty=plan_pb2.EmptyFrame()))


def filter_plan(source: plan_pb2.Plan, predicate: expr_pb2.Expr) -> plan_pb2.Plan:
    """Rows where ``predicate`` holds."""
    return plan_pb2.Plan(filter=plan_pb2.Filter(input=source, predicate=predicate))


def select_plan(source: plan_pb2.Plan, exprs: Sequence[expr_pb2.Expr]) -> plan_pb2.Plan:
    """The columns ``exprs`` compute."""
    return plan_pb2.Plan(select=plan_pb2.Select(input=source, exprs=exprs))


def with_columns_plan(source: plan_pb2.Plan, exprs: Sequence[expr_pb2.Expr]) -> plan_pb2.Plan:
    """The input's columns with ``exprs`` added or replaced."""
    return plan_pb2.Plan(with_columns=plan_pb2.WithColumns(input=source, exprs=exprs))


def sort_plan(
    source: plan_pb2.Plan,
    by: Sequence[expr_pb2.Expr],
    descending: Sequence[bool],
    nulls_last: bool,
    maintain_order: bool,
) -> plan_pb2.Plan:
    """Rows sorted by ``by``; ``descending`` holds one flag for all keys or one per key."""
    if not by:
        raise ValueError("Cannot sort as 'by' must name at least one column")
    if len(descending) not in (1, len(by)):
        raise ValueError(
            f"Cannot sort as 'descending' must hold one flag or one per key ({len(by)}): current value holds {len(descending)}"
        )
    return plan_pb2.Plan(
        sort=plan_pb2.Sort(
            input=source,
            by=by,
            descending=[bool(d) for d in descending],
            nulls_last=bool(nulls_last),
            maintain_order=bool(maintain_order),
        )
    )


def slice_plan(source: plan_pb2.Plan, offset: int, length: int | None) -> plan_pb2.Plan:
    """Rows [offset, offset + length); a negative offset counts from the end; no length
    means to the end."""
    if isinstance(offset, bool) or not isinstance(offset, int):
        raise ValueError(f"Cannot slice as 'offset' must be an integer: current value is {offset!r}")
    node = plan_pb2.Slice(input=source, offset=offset)
    if length is not None:
        node.length = _count("slice", "length", length)
    return plan_pb2.Plan(slice=node)


def tail_plan(source: plan_pb2.Plan, n: int) -> plan_pb2.Plan:
    """The last ``n`` rows."""
    return plan_pb2.Plan(tail=plan_pb2.Tail(input=source, n=_count("take the tail", "n", n)))


def group_by_plan(
    source: plan_pb2.Plan,
    keys: Sequence[expr_pb2.Expr],
    aggs: Sequence[expr_pb2.Expr],
    maintain_order: bool,
    output: str = "agg",
    n: int = 0,
) -> plan_pb2.Plan:
    """Groups by ``keys``, then ``aggs`` per group (or each group's head, tail or length)."""
    if not keys:
        raise ValueError("Cannot group as 'by' must name at least one column")
    return plan_pb2.Plan(
        group_by=plan_pb2.GroupBy(
            input=source,
            keys=keys,
            aggs=aggs,
            maintain_order=bool(maintain_order),
            output=GROUP_BY_OUTPUT[output],
            n=_count("group", "n", n),
        )
    )


def join_plan(
    left: plan_pb2.Plan,
    right: plan_pb2.Plan,
    how: str,
    left_on: Sequence[expr_pb2.Expr],
    right_on: Sequence[expr_pb2.Expr],
    suffix: str | None,
    coalesce: bool | None,
    maintain_order: str | None = None,
) -> plan_pb2.Plan:
    """A join of ``left`` and ``right`` on the key expressions (none for a cross join); an
    unset ``suffix`` is the server's ("_right"); ``maintain_order`` as Polars' (None: "none")."""
    kind = JOIN_TYPES.get(how) if isinstance(how, str) else None
    if kind is None:
        raise ValueError(f"Cannot join as 'how' must be one of {', '.join(JOIN_TYPES)}: current value is {how!r}")
    order = JOIN_ORDERS.get(maintain_order) if maintain_order is None or isinstance(maintain_order, str) else None
    if order is None:
        names = ", ".join(repr(name) for name in JOIN_ORDERS if name is not None)
        raise ValueError(f"Cannot join as 'maintain_order' must be one of {names}: current value is {maintain_order!r}")
    if len(left_on) != len(right_on):
        raise ValueError(
            f"Cannot join as 'left_on' and 'right_on' must have as many keys: current values have {len(left_on)} and {len(right_on)}"
        )
    if how != "cross" and not left_on:
        raise ValueError("Cannot join as the keys must not be empty (pass 'on' or 'left_on' and 'right_on')")
    node = plan_pb2.Join(
        left=left, right=right, how=kind, left_on=left_on, right_on=right_on, maintain_order=order
    )
    if suffix is not None:
        node.suffix = suffix
    if coalesce is not None:
        node.coalesce = bool(coalesce)
    return plan_pb2.Plan(join=node)


def unique_plan(source: plan_pb2.Plan, subset: Sequence[str], keep: str, maintain_order: bool) -> plan_pb2.Plan:
    """Rows without duplicates of ``subset`` (all columns when empty)."""
    kind = UNIQUE_KEEP.get(keep)
    if kind is None:
        raise ValueError(
            f"Cannot drop duplicates as 'keep' must be one of {', '.join(UNIQUE_KEEP)}: current value is {keep!r}"
        )
    return plan_pb2.Plan(
        unique=plan_pb2.Unique(input=source, subset=subset, keep=kind, maintain_order=bool(maintain_order))
    )


def drop_plan(source: plan_pb2.Plan, columns: Iterable[str]) -> plan_pb2.Plan:
    """The input without ``columns``."""
    return plan_pb2.Plan(drop=plan_pb2.Drop(input=source, columns=list(columns)))


def drop_nulls_plan(source: plan_pb2.Plan, subset: Iterable[str]) -> plan_pb2.Plan:
    """Rows without a null in ``subset`` (every column when empty)."""
    return plan_pb2.Plan(drop_nulls=plan_pb2.DropNulls(input=source, subset=list(subset)))


def rename_plan(source: plan_pb2.Plan, mapping: Mapping[str, str]) -> plan_pb2.Plan:
    """Columns renamed by ``mapping`` (old name to new name)."""
    for old, new in mapping.items():
        if not isinstance(old, str) or not isinstance(new, str):
            raise TypeError(f"Cannot rename as names must be strings: current pair is {old!r}: {new!r}")
    return plan_pb2.Plan(rename=plan_pb2.Rename(input=source, mapping=dict(mapping)))


def sql_plan(query: str, tables: Mapping[str, plan_pb2.Plan], owned_handles: bool) -> plan_pb2.Plan:
    """A SQL query over named tables (each a plan)."""
    if not isinstance(query, str) or not query.strip():
        raise ValueError(f"Cannot build a SQL query as 'query' must be a non-empty string: current value is {query!r}")
    for name in tables:
        if not isinstance(name, str) or not name:
            raise ValueError(
                f"Cannot build a SQL query as table names must be non-empty strings: current value is {name!r}"
            )
    return plan_pb2.Plan(sql=plan_pb2.Sql(query=query, tables=dict(tables), owned_handles=bool(owned_handles)))
