"""LazyFrame members Python Polars has that the client builds from other nodes: ``pivot`` (a
``group_by`` with one filtered aggregation per output column, exactly Python Polars' lazy
pivot over ``on_columns``), ``clear``, ``clone``, ``pipe``, ``pipe_with_schema``,
``select_seq``, ``with_columns_seq``, ``set_sorted``, ``remove``, ``gather``, ``drop_nans``
and ``merge_sorted``. Mixed into LazyFrame (lazyframe.py).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

import polars as pl

if TYPE_CHECKING:
    from polaroid.expr import Expr, IntoExpr
    from polaroid.lazyframe import LazyFrame

__all__ = ["DerivedMethods"]

T = TypeVar("T")
PivotAgg = Literal["min", "max", "first", "last", "sum", "mean", "median", "len", "item"]
_PIVOT_AGGS = ("min", "max", "first", "last", "sum", "mean", "median", "len")


def _names(what: str, value: Any) -> list[str]:
    """Column names only (a string or strings): selectors and expressions are refused."""
    items = [value] if isinstance(value, str) else list(value)
    for item in items:
        if not isinstance(item, str):
            raise NotImplementedError(
                f"Cannot {what} with {item!r} as Polaroid takes column names here yet (no selectors or expressions)"
            )
    return items


class DerivedMethods:
    """Mixin of LazyFrame: members built from other plan nodes."""

    __slots__ = ()

    def _frame(self) -> LazyFrame:
        return cast("LazyFrame", self)

    # ---- pivot ---------------------------------------------------------------------------

    def pivot(
        self,
        on: str | Sequence[str],
        on_columns: Sequence[Any] | pl.Series | pl.DataFrame,
        *,
        index: str | Sequence[str] | None = None,
        values: str | Sequence[str] | None = None,
        aggregate_function: PivotAgg | Expr | None = None,
        maintain_order: bool = False,
        separator: str = "_",
        column_naming: Literal["auto", "combine"] = "auto",
    ) -> LazyFrame:
        """Long to wide: one row per ``index`` key, one column per value of ``on_columns``
        (and per ``values`` column), holding ``aggregate_function`` of the rows with that
        ``on`` value; as Python Polars, a value of ``on_columns`` that never occurs gives a
        column all the same (null, or 0 for ``sum``/``len``) and rows whose ``on`` value is
        not in ``on_columns`` still give their index row."""
        from polaroid.functions import col

        on_names = _names("pivot", on)
        if len(on_names) != 1 or isinstance(on_columns, pl.DataFrame):
            raise NotImplementedError("Cannot pivot on several columns as Polaroid supports one 'on' column yet")
        if aggregate_function is None or aggregate_function == "item":
            raise NotImplementedError(
                f"Cannot pivot with aggregate_function={aggregate_function!r} as Polaroid cannot fail on a group of "
                "several values yet: name the aggregation ('first', 'sum', ...)"
            )
        if not isinstance(aggregate_function, str) or aggregate_function not in _PIVOT_AGGS:
            raise NotImplementedError(
                f"Cannot pivot with aggregate_function={aggregate_function!r} as Polaroid supports {', '.join(_PIVOT_AGGS)}"
            )
        if column_naming not in ("auto", "combine"):
            raise ValueError(f"column_naming must be 'auto' or 'combine': current value is {column_naming!r}")
        lf = self._frame()
        key = on_names[0]
        if index is None or values is None:
            schema = lf._known_schema().names()
            given = _names("pivot", index if index is not None else values)
            rest = [c for c in schema if c != key and c not in given]
            index_names, value_names = (given, rest) if index is not None else (rest, given)
        else:
            index_names, value_names = _names("pivot", index), _names("pivot", values)
        if not index_names:
            raise ValueError("Cannot pivot as 'index' must name at least one column")
        found = list(on_columns) if not isinstance(on_columns, pl.Series) else on_columns.to_list()
        labels = pl.Series(found).cast(pl.String).fill_null("null").to_list()
        combine = column_naming == "combine" or len(value_names) > 1
        aggs: list[Expr] = []
        for value in value_names:
            for found_value, label in zip(found, labels):
                picked = col(value).filter(_matches(col(key), found_value))
                name = f"{value}{separator}{label}" if combine else label
                aggs.append(_pivot_agg(picked, aggregate_function).alias(name))
        return lf.group_by(index_names, maintain_order=maintain_order).agg(aggs)

    # ---- same frame ----------------------------------------------------------------------

    def clone(self) -> LazyFrame:
        """This frame (frames are immutable: a clone is the same query)."""
        return self._frame()

    def set_sorted(
        self,
        column: str | list[str],
        *more_columns: str,
        descending: bool | list[bool] = False,
        nulls_last: bool | list[bool] = False,
    ) -> LazyFrame:
        """This frame: the sortedness hint changes no result, and the server plans without it."""
        _names("mark sorted", column)
        _names("mark sorted", list(more_columns))
        return self._frame()

    def pipe(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``function(self, *args, **kwargs)``."""
        return function(self._frame(), *args, **kwargs)

    def pipe_with_schema(self, function: Callable[[LazyFrame, pl.Schema], LazyFrame]) -> LazyFrame:
        """``function(self, schema)`` with this frame's schema (one Schema call when not known)."""
        lf = self._frame()
        return function(lf, lf._known_schema())

    def select_seq(self, *exprs: IntoExpr | Iterable[IntoExpr], **named_exprs: IntoExpr) -> LazyFrame:
        """``select`` (the server decides how to run the expressions; the result is the same)."""
        return self._frame().select(*exprs, **named_exprs)

    def with_columns_seq(self, *exprs: IntoExpr | Iterable[IntoExpr], **named_exprs: IntoExpr) -> LazyFrame:
        """``with_columns`` (the server decides how to run the expressions; the result is the same)."""
        return self._frame().with_columns(*exprs, **named_exprs)

    # ---- rows ----------------------------------------------------------------------------

    def clear(self, n: int = 0) -> LazyFrame:
        """The frame's columns without rows (``n`` must be 0 here)."""
        if n != 0:
            raise NotImplementedError(f"Cannot clear with n={n!r} as Polaroid supports n=0 only yet")
        return self._frame().head(0)

    def remove(self, *predicates: IntoExpr | Iterable[IntoExpr], **constraints: Any) -> LazyFrame:
        """The rows where the predicates do not all hold (a null counts as not holding, so the
        row stays), as Python Polars."""
        from polaroid.expr import Expr

        lf = self._frame()
        matched = Expr(lf.filter(*predicates, **constraints)._plan.filter.predicate)
        return lf.filter(~matched.fill_null(False))

    def gather(self, indices: int | Sequence[int] | IntoExpr, *, null_on_oob: bool = False) -> LazyFrame:
        """The rows at ``indices`` (non-negative or counted from the end), in that order."""
        from polaroid.functions import col

        return self._frame().select(col("*").gather(indices, null_on_oob=null_on_oob))

    def drop_nans(self, subset: str | Collection[str] | None = None) -> LazyFrame:
        """The rows without a NaN in the float columns of ``subset`` (every float column when
        None)."""
        from polaroid.functions import col

        lf = self._frame()
        schema = lf._known_schema()
        names = schema.names() if subset is None else _names("drop NaNs", subset)
        floats = [c for c in names if schema[c] in (pl.Float32, pl.Float64)]
        if not floats:
            return lf
        keep = None
        for name in floats:
            ok = col(name).is_nan().not_().fill_null(True)
            keep = ok if keep is None else keep & ok
        return lf.filter(keep)

    def merge_sorted(self, other: LazyFrame, key: str | Sequence[str], *, maintain_order: bool = False) -> LazyFrame:
        """Both frames' rows (each sorted by ``key``) as one frame sorted by ``key``; on equal
        keys this frame's rows come first."""
        from polaroid._gen.polaroid.v1 import plan_pb2

        lf = self._frame()
        keys = _names("merge sorted frames", key)
        inputs = [lf._plan, lf._same_client(other)]
        node = plan_pb2.Concat(inputs=inputs, how=plan_pb2.CONCAT_HOW_VERTICAL, rechunk=False, parallel=True)
        return lf._next(plan_pb2.Plan(concat=node)).sort(keys, maintain_order=True)


def _matches(column: Expr, value: Any) -> Expr:
    from polaroid.expr import parse_into_expr

    if value is None:
        return column.is_null()
    return (column == parse_into_expr(value, str_as_lit=True)).fill_null(False)


def _pivot_agg(picked: Expr, name: str) -> Expr:
    out: Expr = picked.len() if name == "len" else getattr(picked, name)()
    return out
