"""``Expr``: column expressions with Python Polars' method names, defaults and operators.

An Expr only records protobuf nodes (``polaroid.v1.Expr``); nothing runs until a plan is
sent. Options whose Python Polars default differs from the server's (nodejs-polars') default
are always sent explicitly; options the server cannot honour raise NotImplementedError
naming them. The ``.str`` and ``.dt`` namespaces live in _namespaces.py, ``.list`` in
_namespace_list.py, ``.struct`` in _namespace_struct.py and ``.name`` in _names.py; the
operators in _operators.py, aggregations and basic math in _expr_agg.py, more methods in
the mixins _expr_series.py, _expr_rows.py and _expr_math.py.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from polaroid._encode import ExprNode, call_proto, column_proto, literal_proto, value_list_dtype
from polaroid._expr_agg import AggOps, _unsupported
from polaroid._expr_math import TrigOps
from polaroid._expr_rows import RowOps
from polaroid._expr_series import SeriesOps
from polaroid._gen.polaroid.v1 import expr_pb2
from polaroid._operators import NamedOperators, Operators
from polaroid.datatypes import dtype_to_proto

if TYPE_CHECKING:
    from polaroid._names import NameNamespace
    from polaroid._namespace_list import ListNamespace
    from polaroid._namespace_struct import StructNamespace
    from polaroid._namespaces import DateTimeNamespace, StringNamespace

__all__ = ["Expr", "parse_into_expr", "_unsupported"]

IntoExpr = Any
FillNullStrategy = Literal["forward", "backward", "min", "max", "mean", "zero", "one"]
_FILL_STRATEGIES = ("forward", "backward", "min", "max", "mean", "zero", "one")


def parse_into_expr(value: IntoExpr, *, str_as_lit: bool = False) -> Expr:
    """An Expr as Python Polars parses inputs: an Expr passes through, a string is a column
    name (a literal when ``str_as_lit``), any other value a literal."""
    if isinstance(value, Expr):
        return value
    if isinstance(value, str) and not str_as_lit:
        return Expr(column_proto(value))
    return Expr(literal_proto(value))


class Expr(Operators, NamedOperators, AggOps, SeriesOps, RowOps, TrigOps, ExprNode):
    """A column expression, built with ``col``, ``lit``, ``when`` and ``len``.

    Supports ``+ - * / // % **``, ``== != < <= > >=``, ``& | ^ ~`` and unary ``-`` as
    Python Polars does (strings on the other side of an operator are literals).
    """

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]  # == builds an expression, as in Polars

    # ---- plumbing ----------------------------------------------------------------------

    def _map(self, fn: Callable[[expr_pb2.Expr], expr_pb2.Expr]) -> Expr:
        return Expr([fn(p) for p in self._protos])

    def _call(self, name: str, args: Iterable[Any] = (), options: dict[str, Any] | None = None) -> Expr:
        """A call of the server-side method ``name`` with this expression as receiver."""
        rest = list(args)
        return self._map(lambda p: call_proto(name, [Expr(p), *rest], options))

    def _binary(self, op: expr_pb2.BinaryOp, other: Any, *, reflected: bool = False) -> Expr:
        right = parse_into_expr(other, str_as_lit=True)
        left: Expr = self
        if reflected:
            left, right = right, left
        if len(left._protos) > 1 and len(right._protos) > 1:
            raise ValueError("Cannot combine expressions as only one side may stand for several columns")

        def make(a: expr_pb2.Expr, b: expr_pb2.Expr) -> expr_pb2.Expr:
            return expr_pb2.Expr(binary=expr_pb2.BinaryExpr(op=op, left=a, right=b))

        if len(right._protos) > 1:
            return Expr([make(left._protos[0], r) for r in right._protos])
        return Expr([make(p, right._protos[0]) for p in left._protos])

    def _unary(self, op: expr_pb2.UnaryOp) -> Expr:
        return self._map(lambda p: expr_pb2.Expr(unary=expr_pb2.UnaryExpr(op=op, input=p)))

    def _agg(self, kind: expr_pb2.AggKind, **fields: Any) -> Expr:
        return self._map(lambda p: expr_pb2.Expr(aggregate=expr_pb2.Aggregate(kind=kind, input=p, **fields)))

    def __repr__(self) -> str:
        from google.protobuf import text_format

        shown = [text_format.MessageToString(p, as_one_line=True) for p in self._protos]
        return f"<polaroid.Expr {shown[0] if len(shown) == 1 else shown}>"

    def __bool__(self) -> bool:
        raise TypeError(
            "the truth value of an Expr is ambiguous: use & and | instead of 'and' and 'or', and wrap comparisons in parentheses"
        )

    # ---- naming, types and nulls -------------------------------------------------------

    def alias(self, name: str) -> Expr:
        """Renames the result."""
        if not isinstance(name, str):
            raise TypeError(f"Cannot alias expression as 'name' must be a string: current value is {name!r}")
        if len(self._protos) > 1:
            raise ValueError("Cannot alias expression as it stands for several columns")
        return self._map(lambda p: expr_pb2.Expr(alias=expr_pb2.Alias(input=p, name=name)))

    def cast(self, dtype: Any, *, strict: bool = True, wrap_numerical: bool = False) -> Expr:
        """Casts to ``dtype``; ``strict`` fails on values that do not fit (else null)."""
        _unsupported("cast", wrap_numerical=(wrap_numerical, False))
        proto = dtype_to_proto(dtype)
        return self._map(lambda p: expr_pb2.Expr(cast=expr_pb2.Cast(input=p, dtype=proto, strict=bool(strict))))

    def is_null(self) -> Expr:
        """Whether each value is null."""
        return self._unary(expr_pb2.UNARY_OP_IS_NULL)

    def is_not_null(self) -> Expr:
        """Whether each value is not null."""
        return self._unary(expr_pb2.UNARY_OP_IS_NOT_NULL)

    def is_nan(self) -> Expr:
        """Whether each (float) value is NaN."""
        return self._call("isNan")

    def is_not_nan(self) -> Expr:
        """Whether each (float) value is not NaN."""
        return self._call("isNotNan")

    def fill_null(
        self,
        value: Any = None,
        strategy: FillNullStrategy | None = None,
        limit: int | None = None,
    ) -> Expr:
        """Fills nulls with ``value`` (strings are literals) or by ``strategy``; ``limit``
        bounds the consecutive nulls a forward or backward fill fills."""
        if value is not None and strategy is not None:
            raise ValueError("cannot specify both 'value' and 'strategy'")
        if strategy is None:
            if value is None:
                raise ValueError("must specify either a fill 'value' or 'strategy'")
            if limit is not None:
                raise ValueError("can only specify 'limit' when strategy is set to 'backward' or 'forward'")
            return self._call("fillNull", [parse_into_expr(value, str_as_lit=True)])
        if strategy not in _FILL_STRATEGIES:
            raise ValueError(f"strategy must be one of {', '.join(_FILL_STRATEGIES)}: current value is {strategy!r}")
        if limit is not None and strategy not in ("forward", "backward"):
            raise ValueError("can only specify 'limit' when strategy is set to 'backward' or 'forward'")
        return self._call("fillNull", [], {"strategy": strategy, "limit": limit})

    def is_in(self, other: Any, *, nulls_equal: bool = False) -> Expr:
        """Whether each value is in ``other``: a collection of plain values, a Series, an
        Expr or a column name."""
        options: dict[str, Any] = {"nullsEquals": bool(nulls_equal)}
        if isinstance(other, pl.Series):
            values = other.to_list()
            options["dtype"] = other.dtype
            return self._call("isIn", [values], options)
        if isinstance(other, Collection) and not isinstance(other, (str, bytes, Expr)):
            values = list(other)
            options["dtype"] = value_list_dtype(values)
            return self._call("isIn", [values], options)
        return self._call("isIn", [parse_into_expr(other)], options)

    def is_between(
        self, lower_bound: IntoExpr, upper_bound: IntoExpr, closed: Literal["both", "left", "right", "none"] = "both"
    ) -> Expr:
        """Whether each value lies between the bounds (strings are column names)."""
        return self._call("isBetween", [parse_into_expr(lower_bound), parse_into_expr(upper_bound)], {"closed": closed})

    # ---- ordering, windows and running operations --------------------------------------

    def sort(self, *, descending: bool = False, nulls_last: bool = False) -> Expr:
        """The values sorted (nulls first unless ``nulls_last``)."""
        return self._call(
            "sort", [], {"descending": bool(descending), "nullsLast": bool(nulls_last), "maintainOrder": False}
        )

    def unique(self, *, maintain_order: bool = False) -> Expr:
        """The distinct values (in order of first occurrence with ``maintain_order``)."""
        return self._call("unique", [], {"maintainOrder": bool(maintain_order)})

    def over(
        self,
        partition_by: IntoExpr | Iterable[IntoExpr] | None = None,
        *more_exprs: IntoExpr,
        order_by: IntoExpr | Iterable[IntoExpr] | None = None,
        descending: bool = False,
        nulls_last: bool = False,
        mapping_strategy: Literal["group_to_rows", "join", "explode"] = "group_to_rows",
    ) -> Expr:
        """The expression evaluated per group of ``partition_by`` (strings are column
        names), aligned to the rows."""
        _unsupported(
            "build a window",
            order_by=(order_by, None),
            descending=(descending, False),
            nulls_last=(nulls_last, False),
            mapping_strategy=(mapping_strategy, "group_to_rows"),
        )
        if partition_by is None:
            raise NotImplementedError("Cannot build a window without 'partition_by' as Polaroid needs one yet")
        keys = _flatten([partition_by, *more_exprs])
        return self._call("over", [[k for e in keys for k in _one_per_column(e)]])

    def cum_sum(self, *, reverse: bool = False) -> Expr:
        """Running sum (from the end when ``reverse``)."""
        return self._call("cumSum", [], {"reverse": bool(reverse)})

    def shift(self, n: int | IntoExpr = 1, *, fill_value: IntoExpr | None = None) -> Expr:
        """The values moved down by ``n`` rows (up when negative; an Expr or column name),
        nulls filling in (``fill_value``, a plain value, fills instead)."""
        periods: Any = n if isinstance(n, int) and not isinstance(n, bool) else parse_into_expr(n)
        if fill_value is None:
            return self._call("shift", [periods])
        if isinstance(fill_value, ExprNode) or not isinstance(periods, int):
            raise NotImplementedError(
                "Cannot shift with fill_value as an expression, or with an expression as 'n', as Polaroid takes plain values yet"
            )
        return self._shift_fill(periods, fill_value)

    def diff(self, n: int = 1, null_behavior: Literal["ignore", "drop"] = "ignore") -> Expr:
        """Difference with the value ``n`` rows before."""
        return self._call("diff", [], {"n": int(n), "nullBehavior": null_behavior})

    def _shift_fill(self, n: int, fill_value: Any) -> Expr:
        """``shift`` whose vacated rows hold ``fill_value`` (a plain value), as Python
        Polars: the filled rows only, not the nulls already there."""
        if n == 0:
            return self
        from polaroid.functions import int_range, len as len_, when

        index = int_range(0, len_())
        kept = index >= n if n > 0 else index < len_() + n
        return when(kept).then(self._call("shift", [n])).otherwise(parse_into_expr(fill_value, str_as_lit=True))

    def fill_nan(self, value: int | float | Expr | None) -> Expr:
        """NaNs replaced by ``value`` (None: null)."""
        return self._call("fillNan", [parse_into_expr(value, str_as_lit=True)])

    # ---- namespaces --------------------------------------------------------------------

    @property
    def str(self) -> StringNamespace:
        """String functions."""
        from polaroid._namespaces import StringNamespace

        return StringNamespace(self)

    @property
    def dt(self) -> DateTimeNamespace:
        """Temporal functions."""
        from polaroid._namespaces import DateTimeNamespace

        return DateTimeNamespace(self)

    @property
    def list(self) -> ListNamespace:
        """List functions."""
        from polaroid._namespace_list import ListNamespace

        return ListNamespace(self)

    @property
    def struct(self) -> StructNamespace:
        """Struct functions."""
        from polaroid._namespace_struct import StructNamespace

        return StructNamespace(self)

    @property
    def name(self) -> NameNamespace:
        """Functions of the output name."""
        from polaroid._names import NameNamespace

        return NameNamespace(self)


def _flatten(items: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, (list, tuple)):
            out.extend(_flatten(item))
        else:
            out.append(item)
    return out


def _one_per_column(value: Any) -> list[Expr]:
    return [Expr(p) for p in parse_into_expr(value)._protos]
