"""``Expr``: column expressions with Python Polars' method names, defaults and operators.

An Expr only records protobuf nodes (``polaroid.v1.Expr``); nothing runs until a plan is
sent. Options whose Python Polars default differs from the server's (nodejs-polars') default
are always sent explicitly; options the server cannot honour raise NotImplementedError
naming them. The ``.str`` and ``.dt`` namespaces live in _namespaces.py, ``.list`` in
_namespace_list.py, ``.struct`` in _namespace_struct.py and ``.name`` in _names.py; more
methods in the mixins _expr_series.py, _expr_rows.py and _expr_math.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from polaroid._encode import ExprNode, call_proto, column_proto, literal_proto, value_list_dtype
from polaroid._expr_math import TrigOps
from polaroid._expr_rows import RowOps
from polaroid._expr_series import SeriesOps
from polaroid._gen.polaroid.v1 import expr_pb2
from polaroid._operators import NamedOperators
from polaroid.datatypes import dtype_to_proto

if TYPE_CHECKING:
    from polaroid._names import NameNamespace
    from polaroid._namespace_list import ListNamespace
    from polaroid._namespace_struct import StructNamespace
    from polaroid._namespaces import DateTimeNamespace, StringNamespace

__all__ = ["Expr", "parse_into_expr"]

IntoExpr = Any
FillNullStrategy = Literal["forward", "backward", "min", "max", "mean", "zero", "one"]
QuantileMethod = Literal["nearest", "higher", "lower", "midpoint", "linear"]
RoundMode = Literal["half_to_even", "half_away_from_zero"]

_ROUND_MODES = {"half_to_even": "halftoeven", "half_away_from_zero": "halfawayfromzero"}
_INTERPOLATION = {
    "nearest": expr_pb2.QUANTILE_INTERPOLATION_NEAREST,
    "higher": expr_pb2.QUANTILE_INTERPOLATION_HIGHER,
    "lower": expr_pb2.QUANTILE_INTERPOLATION_LOWER,
    "midpoint": expr_pb2.QUANTILE_INTERPOLATION_MIDPOINT,
    "linear": expr_pb2.QUANTILE_INTERPOLATION_LINEAR,
}
_FILL_STRATEGIES = ("forward", "backward", "min", "max", "mean", "zero", "one")


def parse_into_expr(value: IntoExpr, *, str_as_lit: bool = False) -> Expr:
    """An Expr as Python Polars parses inputs: an Expr passes through, a string is a column
    name (a literal when ``str_as_lit``), any other value a literal."""
    if isinstance(value, Expr):
        return value
    if isinstance(value, str) and not str_as_lit:
        return Expr(column_proto(value))
    return Expr(literal_proto(value))


def _unsupported(what: str, **options: Any) -> None:
    """Raises NotImplementedError naming the first option set to a value the server cannot
    honour (each given as name=(value, default))."""
    for name, (value, default) in options.items():
        if value != default:
            raise NotImplementedError(
                f"Cannot {what} with {name}={value!r} as Polaroid does not support it yet (only {name}={default!r})"
            )


class Expr(NamedOperators, SeriesOps, RowOps, TrigOps, ExprNode):
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

    # ---- operators ---------------------------------------------------------------------

    def __add__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_ADD, other)

    def __radd__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_ADD, other, reflected=True)

    def __sub__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_SUB, other)

    def __rsub__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_SUB, other, reflected=True)

    def __mul__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_MUL, other)

    def __rmul__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_MUL, other, reflected=True)

    def __truediv__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_TRUE_DIV, other)

    def __rtruediv__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_TRUE_DIV, other, reflected=True)

    def __floordiv__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_FLOOR_DIV, other)

    def __rfloordiv__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_FLOOR_DIV, other, reflected=True)

    def __mod__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_MOD, other)

    def __rmod__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_MOD, other, reflected=True)

    def __pow__(self, exponent: Any) -> Expr:
        return self.pow(exponent)

    def __eq__(self, other: Any) -> Expr:  # type: ignore[override]
        return self._binary(expr_pb2.BINARY_OP_EQ, other)

    def __ne__(self, other: Any) -> Expr:  # type: ignore[override]
        return self._binary(expr_pb2.BINARY_OP_NEQ, other)

    def __lt__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_LT, other)

    def __le__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_LT_EQ, other)

    def __gt__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_GT, other)

    def __ge__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_GT_EQ, other)

    def __and__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_AND, other)

    def __rand__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_AND, other, reflected=True)

    def __or__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_OR, other)

    def __ror__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_OR, other, reflected=True)

    def __xor__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_XOR, other)

    def __rxor__(self, other: Any) -> Expr:
        return self._binary(expr_pb2.BINARY_OP_XOR, other, reflected=True)

    def __invert__(self) -> Expr:
        return self.not_()

    def __neg__(self) -> Expr:
        return self._unary(expr_pb2.UNARY_OP_NEG)

    def __pos__(self) -> Expr:
        return self

    def __abs__(self) -> Expr:
        return self.abs()

    def not_(self) -> Expr:
        """Logical NOT (``~expr``)."""
        return self._unary(expr_pb2.UNARY_OP_NOT)

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

    # ---- aggregations ------------------------------------------------------------------

    def sum(self) -> Expr:
        """Sum of the values."""
        return self._agg(expr_pb2.AGG_KIND_SUM)

    def mean(self) -> Expr:
        """Mean of the values."""
        return self._agg(expr_pb2.AGG_KIND_MEAN)

    def min(self) -> Expr:
        """Smallest value."""
        return self._agg(expr_pb2.AGG_KIND_MIN)

    def max(self) -> Expr:
        """Largest value."""
        return self._agg(expr_pb2.AGG_KIND_MAX)

    def median(self) -> Expr:
        """Median of the values."""
        return self._agg(expr_pb2.AGG_KIND_MEDIAN)

    def count(self) -> Expr:
        """The number of non-null values."""
        return self._agg(expr_pb2.AGG_KIND_COUNT)

    def len(self) -> Expr:
        """The number of values, nulls included."""
        return self._agg(expr_pb2.AGG_KIND_LEN)

    def n_unique(self) -> Expr:
        """The number of distinct values (null counts as one)."""
        return self._agg(expr_pb2.AGG_KIND_N_UNIQUE)

    def first(self, *, ignore_nulls: bool = False) -> Expr:
        """The first value."""
        _unsupported("take the first value", ignore_nulls=(ignore_nulls, False))
        return self._agg(expr_pb2.AGG_KIND_FIRST)

    def last(self, *, ignore_nulls: bool = False) -> Expr:
        """The last value."""
        _unsupported("take the last value", ignore_nulls=(ignore_nulls, False))
        return self._agg(expr_pb2.AGG_KIND_LAST)

    def std(self, ddof: int = 1) -> Expr:
        """Standard deviation with ``ddof`` delta degrees of freedom."""
        return self._agg(expr_pb2.AGG_KIND_STD, ddof=_ddof(ddof))

    def var(self, ddof: int = 1) -> Expr:
        """Variance with ``ddof`` delta degrees of freedom."""
        return self._agg(expr_pb2.AGG_KIND_VAR, ddof=_ddof(ddof))

    def quantile(self, quantile: float | Expr, interpolation: QuantileMethod = "nearest") -> Expr:
        """The ``quantile`` (in [0, 1], or an expression giving one) of the values."""
        method = _INTERPOLATION.get(interpolation)
        if method is None:
            raise NotImplementedError(
                f"Cannot compute a quantile with interpolation={interpolation!r} as Polaroid supports {', '.join(_INTERPOLATION)}"
            )
        if isinstance(quantile, Expr):
            q = quantile.to_proto()
            return self._agg(expr_pb2.AGG_KIND_QUANTILE, quantile_expr=q, interpolation=method)
        if isinstance(quantile, (list, tuple)):
            raise NotImplementedError("Cannot compute several quantiles at once as Polaroid does not support it yet")
        if isinstance(quantile, bool) or not isinstance(quantile, (int, float)) or not 0 <= quantile <= 1:
            raise ValueError(f"quantile must be a number in [0, 1]: current value is {quantile!r}")
        return self._agg(expr_pb2.AGG_KIND_QUANTILE, quantile=float(quantile), interpolation=method)

    # ---- math --------------------------------------------------------------------------

    def abs(self) -> Expr:
        """Absolute value."""
        return self._call("abs")

    def sqrt(self) -> Expr:
        """Square root."""
        return self._call("sqrt")

    def exp(self) -> Expr:
        """e to the power of each value."""
        return self._call("exp")

    def log(self, base: float = math.e) -> Expr:
        """Logarithm in ``base``."""
        return self._call("log", [], {"base": float(base)})

    def floor(self) -> Expr:
        """Largest integer not above each value."""
        return self._call("floor")

    def ceil(self) -> Expr:
        """Smallest integer not below each value."""
        return self._call("ceil")

    def round(self, decimals: int = 0, mode: RoundMode = "half_to_even") -> Expr:
        """Rounds to ``decimals`` digits; ``mode`` breaks ties."""
        server_mode = _ROUND_MODES.get(mode)
        if server_mode is None:
            raise ValueError(f"mode must be one of {', '.join(_ROUND_MODES)}: current value is {mode!r}")
        return self._call("round", [], {"decimals": int(decimals), "mode": server_mode})

    def pow(self, exponent: int | float) -> Expr:
        """Each value to the power ``exponent`` (a number)."""
        if isinstance(exponent, bool) or not isinstance(exponent, (int, float)):
            raise NotImplementedError("Cannot raise to a power as Polaroid supports only a number as the exponent yet")
        return self._call("pow", [exponent])

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


def _ddof(ddof: int) -> int:
    if isinstance(ddof, bool) or not isinstance(ddof, int) or not 0 <= ddof <= 255:
        raise ValueError(f"ddof must be an integer in [0, 255]: current value is {ddof!r}")
    return ddof


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
