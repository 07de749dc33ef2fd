"""The plan builder of the time-series and finance compositions: a plan with the lazy
methods they use, building exactly the nodes the TypeScript SDK's compositions build (no
schema round trip, no literal typing: a plain number is a Float64 literal, as a JavaScript
number is), so both clients send the same plans (tests/test_ts_parity.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from polaroid import _plan, _plan_ts
from polaroid._encode import call_proto, column_proto
from polaroid._gen.polaroid.v1 import expr_pb2, plan_pb2
from polaroid.expr import Expr

__all__ = ["Q", "col", "concat_string", "int_range", "int_ranges", "lit", "num", "per_group", "protos"]


def col(name: str) -> Expr:
    """A column."""
    return Expr(column_proto(name))


def num(value: float) -> Expr:
    """A Float64 literal (a JavaScript number's ``lit``)."""
    return Expr(expr_pb2.Expr(literal=expr_pb2.Literal(float64=float(value))))


def lit(value: bool | str | None) -> Expr:
    """A boolean, string or null literal."""
    if value is None:
        return Expr(expr_pb2.Expr(literal=expr_pb2.Literal(null=expr_pb2.Null())))
    if isinstance(value, bool):
        return Expr(expr_pb2.Expr(literal=expr_pb2.Literal(bool=value)))
    return Expr(expr_pb2.Expr(literal=expr_pb2.Literal(string=value)))


def per_group(expr: Expr, by: Sequence[str]) -> Expr:
    """``expr`` evaluated per group of ``by`` (as it is when ``by`` is empty)."""
    return expr if not by else expr._call("over", [[col(b) for b in by]])


def int_range(start: int | Expr, end: int | Expr) -> Expr:
    """``pl.intRange(start, end)`` without options."""
    return Expr(call_proto("pl.intRange", [start, end]))


def int_ranges(start: int | Expr, end: int | Expr) -> Expr:
    """``pl.intRanges(start, end)`` without options."""
    return Expr(call_proto("pl.intRanges", [start, end]))


def concat_string(items: Sequence[Expr], sep: str) -> Expr:
    """``pl.concatString(items, sep)`` (nodejs-polars' null handling)."""
    return Expr(call_proto("pl.concatString", [list(items)], {"sep": sep}))


def format_message(template: str, value: Expr) -> Expr:
    """``template`` with its one ``{}`` replaced by ``value``'s text (empty pieces left out)."""
    before, after = template.split("{}")
    items = ([lit(before)] if before else []) + [value] + ([lit(after)] if after else [])
    return concat_string(items, "")


def protos(items: Iterable[str | Expr]) -> list[expr_pb2.Expr]:
    """The nodes of column names and expressions (a name is its column)."""
    out: list[expr_pb2.Expr] = []
    for item in items:
        out.extend([column_proto(item)] if isinstance(item, str) else item.to_protos())
    return out


class Q:
    """A plan with the lazy methods the compositions use."""

    __slots__ = ("plan",)

    def __init__(self, plan: plan_pb2.Plan) -> None:
        self.plan = plan

    def with_columns(self, *items: str | Expr) -> Q:
        return Q(_plan.with_columns_plan(self.plan, protos(items)))

    def select(self, *items: str | Expr) -> Q:
        return Q(_plan.select_plan(self.plan, protos(items)))

    def filter(self, predicate: Expr) -> Q:
        return Q(_plan.filter_plan(self.plan, predicate.to_proto()))

    def sort(self, by: Sequence[str], *, maintain_order: bool = True) -> Q:
        return Q(_plan.sort_plan(self.plan, protos(by), [False], False, maintain_order))

    def unique(self, subset: Sequence[str], *, keep: str = "any", maintain_order: bool = False) -> Q:
        return Q(_plan.unique_plan(self.plan, list(subset), keep, maintain_order))

    def join(
        self, other: Q, on: Sequence[str], how: str, *, suffix: str | None = None, maintain_order: str | None = None
    ) -> Q:
        keys = protos(on)
        return Q(_plan.join_plan(self.plan, other.plan, how, keys, keys, suffix, None, maintain_order))

    def join_asof(
        self,
        other: Q,
        on: str,
        by: Sequence[str],
        *,
        strategy: str,
        tolerance: str | None = None,
        allow_exact_matches: bool | None = None,
        suffix: str = "",
        check_sortedness: bool = True,
    ) -> Q:
        return Q(
            _plan_ts.join_asof_plan(
                self.plan,
                other.plan,
                left_on=on,
                right_on=on,
                by_left=list(by),
                by_right=list(by),
                strategy=strategy,
                tolerance=tolerance,
                suffix=suffix,
                allow_exact_matches=allow_exact_matches,
                check_sortedness=check_sortedness,
                coalesce=True,
            )
        )

    def group_by(self, keys: Sequence[str], aggs: Sequence[Expr], *, maintain_order: bool) -> Q:
        return Q(_plan.group_by_plan(self.plan, protos(keys), protos(aggs), maintain_order))

    def group_by_dynamic(self, aggs: Sequence[Expr], **options: Any) -> Q:
        by = protos(options.pop("by", []))
        return Q(_plan_ts.group_by_dynamic_plan(self.plan, by=by, aggs=protos(aggs), **options))

    def group_by_rolling(self, index: str, aggs: Sequence[Expr], *, period: str, closed: str, by: Sequence[str]) -> Q:
        return Q(
            _plan_ts.group_by_rolling_plan(
                self.plan, column_proto(index), period=period, offset=None, closed=closed, by=protos(by), aggs=protos(aggs)
            )
        )

    def drop(self, *names: str) -> Q:
        return Q(_plan.drop_plan(self.plan, names))

    def drop_nulls(self, *names: str) -> Q:
        return Q(_plan.drop_nulls_plan(self.plan, names))

    def explode(self, *names: str) -> Q:
        return Q(_plan_ts.explode_plan(self.plan, protos(names)))

    def cache(self) -> Q:
        return Q(_plan_ts.cache_plan(self.plan))

    @staticmethod
    def concat_diagonal(frames: Sequence[Q]) -> Q:
        if len(frames) == 1:
            return frames[0]
        return Q(_plan_ts.concat_plan([f.plan for f in frames], "diagonal"))
