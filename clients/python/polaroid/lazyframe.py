"""``LazyFrame`` and ``LazyGroupBy``: Python Polars' lazy query API over a remote engine.

Each method returns a new frame holding one more plan node; ``collect()``,
``collect_schema()`` and ``explain()`` call the server. Building takes no round trip, except
one schema request (once per frame, none for a stored frame's ``lazy()``) when a plain Python
number meets a column, to type it as Python Polars does (_dynamic.py). Options whose Python
Polars default differs from the server's are sent explicitly (``group_by(maintain_order=False)``,
``join(suffix="_right")``, ``sort(nulls_last=False)``); options the server cannot honour raise
NotImplementedError naming them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from polaroid import _dynamic, _plan
from polaroid._gen.polaroid.v1 import expr_pb2, plan_pb2
from polaroid._lazy_derived import DerivedMethods
from polaroid._lazy_group_by import LazyGroupBy
from polaroid._lazy_io import LazyIO
from polaroid._lazy_reshape import ReshapeMethods
from polaroid._lazy_sink import SinkMethods
from polaroid._lazy_timeseries import TimeSeriesMethods
from polaroid.expr import Expr, IntoExpr, _unsupported, parse_into_expr
from polaroid.functions import col

if TYPE_CHECKING:
    from polaroid._session import AnyClient
    from polaroid.dataframe import RemoteDataFrame

__all__ = ["LazyFrame", "LazyGroupBy"]

JoinStrategy = Literal["inner", "left", "right", "full", "semi", "anti", "cross"]
UniqueKeepStrategy = Literal["first", "last", "any", "none"]


def _is_iterable(value: Any) -> bool:
    return isinstance(value, Iterable) and not isinstance(value, (str, bytes, Expr, pl.Series, Mapping))


def parse_exprs(items: Iterable[Any], named: Mapping[str, Any] | None = None) -> list[expr_pb2.Expr]:
    """Expressions as Python Polars parses ``select``/``agg`` inputs: strings are column
    names, iterables are flattened, other values are literals, ``name=expr`` is aliased."""
    out: list[expr_pb2.Expr] = []
    for item in items:
        if _is_iterable(item):
            out.extend(parse_exprs(item))
        else:
            out.extend(parse_into_expr(item).to_protos())
    for name, value in (named or {}).items():
        out.extend(parse_into_expr(value).alias(name).to_protos())
    return out


def _names(what: str, value: Any) -> list[str]:
    """Column names: a string or an iterable of strings (selectors and Exprs refused)."""
    items = [value] if isinstance(value, str) else list(value) if _is_iterable(value) else [value]
    out: list[str] = []
    for item in items:
        if _is_iterable(item):
            out.extend(_names(what, item))
        elif isinstance(item, str):
            out.append(item)
        else:
            raise NotImplementedError(
                f"Cannot {what} by {item!r} as Polaroid takes column names here yet (not expressions or selectors)"
            )
    return out


def _flags(what: str, name: str, value: bool | Sequence[bool]) -> list[bool]:
    flags = [value] if isinstance(value, bool) else list(value)
    for flag in flags:
        if not isinstance(flag, bool):
            raise TypeError(f"Cannot {what} as '{name}' must hold booleans: current value is {value!r}")
    return flags


class LazyFrame(LazyIO, SinkMethods, ReshapeMethods, DerivedMethods, TimeSeriesMethods):
    """A lazy query on the server, built like a Python Polars LazyFrame. Frames come from a
    ``Client`` (``scan_parquet``, ``sql``, ``RemoteDataFrame.lazy()``), not this constructor."""

    __slots__ = ("_client", "_plan", "_schema")

    def __init__(self, client: AnyClient, plan: plan_pb2.Plan, schema: pl.Schema | None = None) -> None:
        self._client = client
        self._plan = plan
        self._schema = schema

    @property
    def plan(self) -> plan_pb2.Plan:
        """The protobuf plan this frame sends (a copy)."""
        copy = plan_pb2.Plan()
        copy.CopyFrom(self._plan)
        return copy

    def _next(self, plan: plan_pb2.Plan, *, same_schema: bool = False) -> LazyFrame:
        """A frame of one more plan node (keeping the known schema for nodes that keep it)."""
        return LazyFrame(self._client, plan, self._schema if same_schema else None)

    def _typed(self, exprs: list[expr_pb2.Expr]) -> list[expr_pb2.Expr]:
        """``exprs`` with their dynamic literals typed by this frame's column types, as
        Python Polars types them (asks the schema once when a literal meets a column)."""
        if not _dynamic.has_sites(exprs):
            return exprs
        if self._schema is None:
            self._schema = self.collect_schema()
        return _dynamic.type_literals(exprs, self._schema)

    def lazy(self) -> LazyFrame:
        """This frame (as Python Polars' ``LazyFrame.lazy()``)."""
        return self

    def __repr__(self) -> str:
        return f"<polaroid.LazyFrame on {self._client.endpoint}: {self._plan.WhichOneof('node')}>"

    # ---- building --------------------------------------------------------------------------

    def filter(self, *predicates: IntoExpr | Iterable[IntoExpr], **constraints: Any) -> LazyFrame:
        """Rows where every predicate holds (strings are column names; ``name=value``
        constraints compare a column to a value)."""
        exprs: list[Expr] = []
        for item in predicates:
            for value in item if _is_iterable(item) else [item]:
                if isinstance(value, (bool, pl.Series)):
                    raise NotImplementedError("Cannot filter by a boolean mask as Polaroid takes expressions only")
                exprs.append(parse_into_expr(value))
        exprs.extend(col(name) == value for name, value in constraints.items())
        if not exprs:
            raise ValueError("Cannot filter as no predicate was given")
        predicate = exprs[0]
        for expr in exprs[1:]:
            predicate = predicate & expr
        return self._next(_plan.filter_plan(self._plan, self._typed([predicate.to_proto()])[0]), same_schema=True)

    def select(self, *exprs: IntoExpr | Iterable[IntoExpr], **named_exprs: IntoExpr) -> LazyFrame:
        """The columns the expressions compute (strings are column names)."""
        return self._next(_plan.select_plan(self._plan, self._typed(parse_exprs(exprs, named_exprs))))

    def with_columns(self, *exprs: IntoExpr | Iterable[IntoExpr], **named_exprs: IntoExpr) -> LazyFrame:
        """The columns of this frame with the expressions' columns added or replaced."""
        return self._next(_plan.with_columns_plan(self._plan, self._typed(parse_exprs(exprs, named_exprs))))

    def group_by(
        self, *by: IntoExpr | Iterable[IntoExpr], maintain_order: bool = False, **named_by: IntoExpr
    ) -> LazyGroupBy:
        """Groups rows by keys; finish with ``agg()``. Groups come in no particular order
        unless ``maintain_order``."""
        keys = self._typed(parse_exprs(by, named_by))
        if not keys:
            raise ValueError("Cannot group as no key was given")
        return LazyGroupBy(self, keys, bool(maintain_order))

    def sort(
        self,
        by: IntoExpr | Iterable[IntoExpr],
        *more_by: IntoExpr,
        descending: bool | Sequence[bool] = False,
        nulls_last: bool | Sequence[bool] = False,
        maintain_order: bool = False,
        multithreaded: bool = True,
    ) -> LazyFrame:
        """Rows sorted by the keys (strings are column names), nulls first unless
        ``nulls_last``; ``maintain_order`` keeps equal keys in input order."""
        keys = self._typed(parse_exprs([by, *more_by]))
        desc = _flags("sort", "descending", descending)
        nulls = set(_flags("sort", "nulls_last", nulls_last))
        if len(nulls) > 1:
            raise NotImplementedError(
                "Cannot sort with nulls_last differing per key as Polaroid takes one flag for all keys"
            )
        return self._next(
            _plan.sort_plan(self._plan, keys, desc, nulls.pop() if nulls else False, maintain_order), same_schema=True
        )

    def join(
        self,
        other: LazyFrame | RemoteDataFrame,
        on: str | Expr | Sequence[str | Expr] | None = None,
        how: JoinStrategy = "inner",
        *,
        left_on: str | Expr | Sequence[str | Expr] | None = None,
        right_on: str | Expr | Sequence[str | Expr] | None = None,
        suffix: str = "_right",
        validate: str = "m:m",
        nulls_equal: bool = False,
        coalesce: bool | None = None,
        maintain_order: str | None = None,
        build_side: str = "auto",
        allow_parallel: bool = True,
        force_parallel: bool = False,
    ) -> LazyFrame:
        """Joins ``other`` on ``on`` (both sides) or ``left_on``/``right_on`` (strings are
        column names); clashing right-hand names get ``suffix``."""
        _unsupported(
            "join",
            validate=(validate, "m:m"),
            nulls_equal=(nulls_equal, False),
            build_side=(build_side, "auto"),
        )
        if how == "right":
            raise NotImplementedError("Cannot join with how='right' as Polaroid does not support it yet")
        right = self._same_client(other)
        if how == "cross":
            if on is not None or left_on is not None or right_on is not None:
                raise ValueError("cross join should not pass join keys")
            lkeys: list[expr_pb2.Expr] = []
            rkeys: list[expr_pb2.Expr] = []
        elif on is not None:
            if left_on is not None or right_on is not None:
                raise ValueError("cannot use 'on' in conjunction with 'left_on' or 'right_on'")
            lkeys = rkeys = parse_exprs([on])
        elif left_on is not None and right_on is not None:
            lkeys, rkeys = parse_exprs([left_on]), parse_exprs([right_on])
        else:
            raise ValueError("must specify 'on' OR 'left_on' and 'right_on'")
        return self._next(_plan.join_plan(self._plan, right, how, lkeys, rkeys, suffix, coalesce, maintain_order))

    def _same_client(self, other: Any) -> plan_pb2.Plan:
        from polaroid.dataframe import RemoteDataFrame

        if isinstance(other, RemoteDataFrame):
            other = other.lazy()
        if not isinstance(other, LazyFrame):
            raise TypeError(
                f"Cannot join as 'other' must be a polaroid LazyFrame or RemoteDataFrame: current value is {type(other).__name__}"
            )
        if other._client is not self._client:
            raise ValueError("Cannot join frames of different clients")
        return other._plan

    def head(self, n: int = 5) -> LazyFrame:
        """The first ``n`` rows."""
        return self._next(_plan.slice_plan(self._plan, 0, n), same_schema=True)

    def limit(self, n: int = 5) -> LazyFrame:
        """The first ``n`` rows (alias of ``head``)."""
        return self.head(n)

    def tail(self, n: int = 5) -> LazyFrame:
        """The last ``n`` rows."""
        return self._next(_plan.tail_plan(self._plan, n), same_schema=True)

    def first(self) -> LazyFrame:
        """The first row."""
        return self.head(1)

    def last(self) -> LazyFrame:
        """The last row."""
        return self.tail(1)

    def slice(self, offset: int, length: int | None = None) -> LazyFrame:
        """``length`` rows from ``offset`` (negative: from the end; None: to the end)."""
        return self._next(_plan.slice_plan(self._plan, offset, length), same_schema=True)

    def drop(self, *columns: str | Iterable[str], strict: bool = True) -> LazyFrame:
        """This frame without the named columns."""
        _unsupported("drop columns", strict=(strict, True))
        return self._next(_plan.drop_plan(self._plan, _names("drop", columns)))

    def rename(self, mapping: Mapping[str, str] | Callable[[str], str], *, strict: bool = True) -> LazyFrame:
        """Columns renamed by ``mapping`` (old to new), or by a function of each name (which
        costs a schema round trip)."""
        _unsupported("rename columns", strict=(strict, True))
        if callable(mapping):
            names = self.collect_schema().names()
            mapping = {name: mapping(name) for name in names}
        return self._next(_plan.rename_plan(self._plan, mapping))

    def unique(
        self,
        subset: str | Iterable[str] | None = None,
        *,
        keep: UniqueKeepStrategy = "any",
        maintain_order: bool = False,
    ) -> LazyFrame:
        """Rows without duplicates (of ``subset``, all columns when None)."""
        names = [] if subset is None else _names("drop duplicates", subset)
        return self._next(_plan.unique_plan(self._plan, names, keep, maintain_order), same_schema=True)

    def drop_nulls(self, subset: str | Iterable[str] | None = None) -> LazyFrame:
        """Rows without a null (in ``subset``, every column when None)."""
        names = [] if subset is None else _names("drop nulls", subset)
        return self._next(_plan.drop_nulls_plan(self._plan, names), same_schema=True)

    def sql(self, query: str, *, table_name: str = "self") -> LazyFrame:
        """A SQL query over this frame, named ``table_name`` in the query."""
        return self._next(_plan.sql_plan(query, {table_name: self._plan}, False))
