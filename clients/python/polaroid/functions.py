"""Top-level expression functions, as Python Polars names them: ``col``, ``lit``, ``len``,
``all``, the one-column aggregations (``sum("a")``...) and ``when/then/otherwise``.
"""

from __future__ import annotations

import builtins as _b
from collections.abc import Iterable
from typing import Any

import polars as pl

from polaroid._encode import call_proto, column_proto, literal_proto
from polaroid._gen.polaroid.v1 import expr_pb2
from polaroid.expr import Expr, IntoExpr, parse_into_expr

__all__ = [
    "all",
    "col",
    "concat_list",
    "corr",
    "count",
    "cov",
    "format",
    "int_range",
    "int_ranges",
    "len",
    "lit",
    "max",
    "mean",
    "median",
    "min",
    "n_unique",
    "sum",
    "when",
]


def _is_dtype(value: Any) -> bool:
    return isinstance(value, pl.DataType) or (isinstance(value, type) and issubclass(value, pl.DataType))


def col(name: str | pl.DataType | Iterable[str] | Iterable[pl.DataType], *more_names: str | pl.DataType) -> Expr:
    """A column by name (``"*"`` is every column, ``"^...$"`` a regex); several names, or a
    list of them, stand for those columns (``col("a", "b").sum()`` sums each). Data types
    select the columns of those types (``col(pl.Float64)``)."""
    names: list[Any] = list(name) if isinstance(name, Iterable) and not isinstance(name, str) else [name]
    names.extend(more_names)
    if not names:
        raise ValueError("Cannot select columns as no name was given")
    if _b.all(_is_dtype(n) for n in names):
        return Expr(call_proto("pl.dtypeCols", [names if _b.len(names) > 1 else names[0]]))
    if not _b.all(isinstance(n, str) for n in names):
        raise TypeError(
            f"Cannot select columns as they must be all names or all data types: current value is {names!r}"
        )
    return Expr([column_proto(n) for n in names])


def lit(value: Any, dtype: Any = None, *, allow_object: bool = False) -> Expr:
    """A literal: bool, int (Int64), float (Float64), str, date, datetime, time, timedelta or
    None; with ``dtype`` the value is cast to it."""
    if allow_object:
        raise NotImplementedError("Cannot build an object literal as Polaroid does not support allow_object=True")
    if isinstance(value, Expr):
        return value if dtype is None else value.cast(dtype)
    return Expr(literal_proto(value, dtype))


def len() -> Expr:
    """The number of rows (in a group, in an aggregation), in a column named "len"."""
    return Expr(expr_pb2.Expr(len=expr_pb2.Len()))


def all() -> Expr:
    """Every column (``col("*")``)."""
    return col("*")


def sum(*names: str) -> Expr:
    """``col(*names).sum()``."""
    return col(*names).sum()


def mean(*names: str) -> Expr:
    """``col(*names).mean()``."""
    return col(*names).mean()


def min(*names: str) -> Expr:
    """``col(*names).min()``."""
    return col(*names).min()


def max(*names: str) -> Expr:
    """``col(*names).max()``."""
    return col(*names).max()


def median(*names: str) -> Expr:
    """``col(*names).median()``."""
    return col(*names).median()


def n_unique(*names: str) -> Expr:
    """``col(*names).n_unique()``."""
    return col(*names).n_unique()


def count(*names: str) -> Expr:
    """``col(*names).count()``: the number of non-null values."""
    return col(*names).count()


# ---- ranges, lists, strings, correlation -----------------------------------------------


def _range_end(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return parse_into_expr(value)


def _eager(eager: bool) -> None:
    if eager:
        raise NotImplementedError("Cannot build an eager range as Polaroid builds lazy queries only (eager=False)")


def int_range(
    start: int | IntoExpr = 0, end: int | IntoExpr | None = None, step: int = 1, *, dtype: Any = pl.Int64, eager: bool = False
) -> Expr:
    """Integers from ``start`` up to ``end`` (exclusive) by ``step``; with one end, from 0
    (strings are column names)."""
    _eager(eager)
    if end is None:
        start, end = 0, start
    return Expr(call_proto("pl.intRange", [_range_end(start), _range_end(end)], {"step": int(step), "dtype": dtype}))


def int_ranges(
    start: int | IntoExpr = 0, end: int | IntoExpr | None = None, step: int = 1, *, dtype: Any = pl.Int64, eager: bool = False
) -> Expr:
    """One list of integers per row, from ``start`` to ``end`` (exclusive) by ``step``."""
    _eager(eager)
    if end is None:
        start, end = 0, start
    return Expr(call_proto("pl.intRanges", [_range_end(start), _range_end(end)], {"step": int(step), "dtype": dtype}))


def _exprs(items: Iterable[Any]) -> list[Expr]:
    out: list[Expr] = []
    for item in items:
        if isinstance(item, (list, tuple)):
            out.extend(_exprs(item))
        else:
            out.append(parse_into_expr(item))
    return out


def concat_list(exprs: IntoExpr | Iterable[IntoExpr], *more_exprs: IntoExpr) -> Expr:
    """The values of several columns as one list per row (strings are column names)."""
    items = _exprs([exprs, *more_exprs])
    return Expr(call_proto("pl.concatList", [items]))


def format(f_string: str, *args: IntoExpr) -> Expr:
    """A string per row: ``f_string`` with each ``{}`` replaced by the next argument (strings
    are column names)."""
    parts = f_string.split("{}")
    if _b.len(parts) - 1 != _b.len(args):
        raise ValueError("number of placeholders should equal the number of arguments")
    items: list[Expr] = []
    for index, part in enumerate(parts):
        if part:
            items.append(Expr(literal_proto(part)))
        if index < _b.len(args):
            items.append(parse_into_expr(args[index]))
    return Expr(call_proto("pl.concatString", [items], {"sep": "", "ignoreNulls": False}))


def corr(
    a: IntoExpr, b: IntoExpr, *, method: str = "pearson", ddof: int | None = None, propagate_nans: bool = False
) -> Expr:
    """The correlation of two columns: "pearson" or "spearman" (of the ranks)."""
    if propagate_nans:
        raise NotImplementedError("Cannot compute a correlation with propagate_nans=True as Polaroid does not support it yet")
    names = {"pearson": "pl.pearsonCorr", "spearman": "pl.spearmanRankCorr"}
    if method not in names:
        raise ValueError(f"method must be 'pearson' or 'spearman': current value is {method!r}")
    return Expr(call_proto(names[method], [parse_into_expr(a), parse_into_expr(b)]))


def cov(a: IntoExpr, b: IntoExpr, ddof: int = 1) -> Expr:
    """The covariance of two columns with ``ddof`` delta degrees of freedom."""
    return Expr(call_proto("pl.cov", [parse_into_expr(a), parse_into_expr(b)], {"ddof": int(ddof)}))


# ---- when / then / otherwise ----------------------------------------------------------


def _predicate(predicates: tuple[Any, ...], constraints: dict[str, Any]) -> expr_pb2.Expr:
    """One condition from predicates (strings are column names) and ``name=value``
    constraints, combined with &."""
    items: list[Expr] = []
    for p in predicates:
        if isinstance(p, (list, tuple)):
            items.extend(parse_into_expr(x) for x in p)
        elif isinstance(p, bool):
            items.append(Expr(literal_proto(p)))
        else:
            items.append(parse_into_expr(p))
    items.extend(Expr(column_proto(k)) == v for k, v in constraints.items())
    if not items:
        raise ValueError("Cannot build a condition as no predicate was given")
    out = items[0]
    for item in items[1:]:
        out = out & item
    return out.to_proto()


def _branches(branches: list[expr_pb2.WhenThen.Branch], otherwise: expr_pb2.Expr | None) -> expr_pb2.Expr:
    node = expr_pb2.WhenThen(branches=branches)
    if otherwise is not None:
        node.otherwise.CopyFrom(otherwise)
    return expr_pb2.Expr(when=node)


class When:
    """A condition waiting for its value (``when(...).then(value)``)."""

    __slots__ = ("_branches", "_condition")

    def __init__(self, branches: list[expr_pb2.WhenThen.Branch], condition: expr_pb2.Expr) -> None:
        self._branches = branches
        self._condition = condition

    def then(self, statement: IntoExpr) -> Then:
        """The value where the condition holds (strings are column names, other values
        literals)."""
        branch = expr_pb2.WhenThen.Branch(when=self._condition, then=parse_into_expr(statement).to_proto())
        return Then([*self._branches, branch])


class Then(Expr):
    """One or more branches: an Expr on its own (rows matching no branch are null), or
    continued with ``when()`` or closed with ``otherwise()``."""

    __slots__ = ("_branches",)

    def __init__(self, branches: list[expr_pb2.WhenThen.Branch]) -> None:
        super().__init__(_branches(branches, None))
        self._branches = branches

    def when(self, *predicates: IntoExpr, **constraints: Any) -> When:
        """Another branch, tried when the earlier ones do not hold."""
        return When(self._branches, _predicate(predicates, constraints))

    def otherwise(self, statement: IntoExpr) -> Expr:
        """The value where no branch holds (strings are column names, other values
        literals)."""
        return Expr(_branches(self._branches, parse_into_expr(statement).to_proto()))


def when(*predicates: IntoExpr, **constraints: Any) -> When:
    """Starts a conditional expression:
    ``when(col("a") > 0).then(lit("pos")).otherwise(lit("neg"))``."""
    return When([], _predicate(predicates, constraints))
