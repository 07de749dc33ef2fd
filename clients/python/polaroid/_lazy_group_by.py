"""``LazyGroupBy``: the groups of a LazyFrame (``group_by``, ``group_by_dynamic``,
``rolling``) and their aggregations, with Python Polars' names. ``having`` filters the groups
by aggregated predicates: the client aggregates them next to ``agg()``'s expressions, keeps
the groups where all hold and drops them again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from polaroid import _plan
from polaroid._gen.polaroid.v1 import expr_pb2, plan_pb2
from polaroid.expr import IntoExpr
from polaroid.functions import col

if TYPE_CHECKING:
    from polaroid._expr_agg import QuantileMethod
    from polaroid.lazyframe import LazyFrame

__all__ = ["LazyGroupBy"]

_HAVING = "__polaroid_having_{}"

class LazyGroupBy:
    """Groups of a LazyFrame, from ``LazyFrame.group_by``, ``group_by_dynamic`` or
    ``rolling``; ``agg()`` makes a LazyFrame."""

    __slots__ = ("_build", "_frame", "_having", "_keys", "_maintain_order")

    def __init__(
        self,
        frame: LazyFrame,
        keys: list[expr_pb2.Expr],
        maintain_order: bool,
        build: Callable[[plan_pb2.Plan, list[expr_pb2.Expr]], plan_pb2.Plan] | None = None,
    ) -> None:
        self._frame = frame
        self._keys = keys
        self._maintain_order = maintain_order
        self._build = build
        self._having: list[expr_pb2.Expr] = []

    def _finish(self, aggs: list[expr_pb2.Expr], output: str = "agg", n: int = 0) -> LazyFrame:
        if self._having:
            return self._finish_having(aggs, output)
        if self._build is not None:
            if output == "len":
                from polaroid.functions import len as len_

                return self._frame._next(self._build(self._frame._plan, len_().to_protos()))
            if output != "agg":
                raise NotImplementedError(
                    f"Cannot take the {output} of time windows as Polaroid does not support it yet (use agg())"
                )
            return self._frame._next(self._build(self._frame._plan, aggs))
        plan = _plan.group_by_plan(self._frame._plan, self._keys, aggs, self._maintain_order, output, n)
        return self._frame._next(plan)

    def agg(self, *aggs: IntoExpr | Iterable[IntoExpr], **named_aggs: IntoExpr) -> LazyFrame:
        """The aggregations per group, after the key columns (strings are column names)."""
        from polaroid.lazyframe import parse_exprs

        return self._finish(self._frame._typed(parse_exprs(aggs, named_aggs)))

    def len(self, name: str | None = None) -> LazyFrame:
        """The number of rows of each group, in a column named ``name`` ("len")."""
        frame = self._finish([], "len")
        return frame if name is None or name == "len" else frame.rename({"len": name})

    def head(self, n: int = 5) -> LazyFrame:
        """The first ``n`` rows of each group."""
        return self._finish([], "head", n)

    def tail(self, n: int = 5) -> LazyFrame:
        """The last ``n`` rows of each group."""
        return self._finish([], "tail", n)

    def sum(self) -> LazyFrame:
        """The sum of every other column per group."""
        return self.agg(col("*").sum())

    def mean(self) -> LazyFrame:
        """The mean of every other column per group."""
        return self.agg(col("*").mean())

    def min(self) -> LazyFrame:
        """The smallest value of every other column per group."""
        return self.agg(col("*").min())

    def max(self) -> LazyFrame:
        """The largest value of every other column per group."""
        return self.agg(col("*").max())

    def median(self) -> LazyFrame:
        """The median of every other column per group."""
        return self.agg(col("*").median())

    def first(self) -> LazyFrame:
        """The first value of every other column per group."""
        return self.agg(col("*").first())

    def last(self) -> LazyFrame:
        """The last value of every other column per group."""
        return self.agg(col("*").last())

    def n_unique(self) -> LazyFrame:
        """The number of distinct values of every other column per group."""
        return self.agg(col("*").n_unique())

    def all(self) -> LazyFrame:
        """Every other column's values per group, as lists."""
        return self.agg(col("*"))

    def quantile(self, quantile: float, interpolation: QuantileMethod = "nearest") -> LazyFrame:
        """The ``quantile`` of every other column per group."""
        return self.agg(col("*").quantile(quantile, interpolation))

    def having(self, *predicates: IntoExpr | Iterable[IntoExpr]) -> LazyGroupBy:
        """The groups where every predicate (an aggregation per group) holds; finish with
        ``agg()``."""
        from polaroid.lazyframe import parse_exprs

        if self._build is not None:
            raise NotImplementedError("Cannot filter time windows with having() as Polaroid does not support it yet")
        out = LazyGroupBy(self._frame, self._keys, self._maintain_order)
        out._having = [*self._having, *self._frame._typed(parse_exprs(predicates))]
        return out

    def _finish_having(self, aggs: list[expr_pb2.Expr], output: str) -> LazyFrame:
        from polaroid.expr import Expr

        if output != "agg":
            raise NotImplementedError(f"Cannot take the {output} of groups filtered by having() as Polaroid supports agg() only yet")
        hidden = [_HAVING.format(k) for k in range(len(self._having))]
        flags = [Expr(p).alias(name).to_proto() for p, name in zip(self._having, hidden)]
        plan = _plan.group_by_plan(self._frame._plan, self._keys, [*aggs, *flags], self._maintain_order, "agg", 0)
        kept = self._frame._next(plan).filter(*[col(name) for name in hidden])
        return kept.drop(*hidden)
