"""An expression's operators (``+ - * / // % ** == != < <= > >= & | ^ ~``, unary ``-``) and
their named forms, as Python Polars has them (``Expr.add``, ``Expr.eq``, ``Expr.and_``, ...):
each named form is the operator itself. Mixed into Expr (expr.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from polaroid._gen.polaroid.v1 import expr_pb2

if TYPE_CHECKING:
    from polaroid.expr import Expr

__all__ = ["NamedOperators", "Operators"]


def _expr(value: object) -> Expr:
    """The mixin's instance as the Expr it is."""
    return cast("Expr", value)


class NamedOperators:
    """Mixin of Expr: the operators by name."""

    __slots__ = ()

    def add(self, other: Any) -> Expr:
        """``self + other``."""
        return _expr(self).__add__(other)

    def sub(self, other: Any) -> Expr:
        """``self - other``."""
        return _expr(self).__sub__(other)

    def mul(self, other: Any) -> Expr:
        """``self * other``."""
        return _expr(self).__mul__(other)

    def truediv(self, other: Any) -> Expr:
        """``self / other`` (integers give a float)."""
        return _expr(self).__truediv__(other)

    def floordiv(self, other: Any) -> Expr:
        """``self // other``."""
        return _expr(self).__floordiv__(other)

    def mod(self, other: Any) -> Expr:
        """``self % other``."""
        return _expr(self).__mod__(other)

    def eq(self, other: Any) -> Expr:
        """``self == other``."""
        return _expr(self).__eq__(other)

    def ne(self, other: Any) -> Expr:
        """``self != other``."""
        return _expr(self).__ne__(other)

    def lt(self, other: Any) -> Expr:
        """``self < other``."""
        return _expr(self).__lt__(other)

    def le(self, other: Any) -> Expr:
        """``self <= other``."""
        return _expr(self).__le__(other)

    def gt(self, other: Any) -> Expr:
        """``self > other``."""
        return _expr(self).__gt__(other)

    def ge(self, other: Any) -> Expr:
        """``self >= other``."""
        return _expr(self).__ge__(other)

    def and_(self, *others: Any) -> Expr:
        """Logical AND of this and ``others``."""
        out = _expr(self)
        for other in others:
            out = out.__and__(other)
        return out

    def or_(self, *others: Any) -> Expr:
        """Logical OR of this and ``others``."""
        out = _expr(self)
        for other in others:
            out = out.__or__(other)
        return out

    def xor(self, other: Any) -> Expr:
        """Logical (or bitwise) XOR."""
        return _expr(self).__xor__(other)


class Operators:
    """Mixin of Expr: Python's operators (strings on the other side are literals)."""

    __slots__ = ()

    # ---- operators ---------------------------------------------------------------------

    def __add__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_ADD, other)

    def __radd__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_ADD, other, reflected=True)

    def __sub__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_SUB, other)

    def __rsub__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_SUB, other, reflected=True)

    def __mul__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_MUL, other)

    def __rmul__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_MUL, other, reflected=True)

    def __truediv__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_TRUE_DIV, other)

    def __rtruediv__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_TRUE_DIV, other, reflected=True)

    def __floordiv__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_FLOOR_DIV, other)

    def __rfloordiv__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_FLOOR_DIV, other, reflected=True)

    def __mod__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_MOD, other)

    def __rmod__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_MOD, other, reflected=True)

    def __pow__(self, exponent: Any) -> Expr:
        return _expr(self).pow(exponent)

    def __eq__(self, other: Any) -> Expr:  # type: ignore[override]
        return _expr(self)._binary(expr_pb2.BINARY_OP_EQ, other)

    def __ne__(self, other: Any) -> Expr:  # type: ignore[override]
        return _expr(self)._binary(expr_pb2.BINARY_OP_NEQ, other)

    def __lt__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_LT, other)

    def __le__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_LT_EQ, other)

    def __gt__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_GT, other)

    def __ge__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_GT_EQ, other)

    def __and__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_AND, other)

    def __rand__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_AND, other, reflected=True)

    def __or__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_OR, other)

    def __ror__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_OR, other, reflected=True)

    def __xor__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_XOR, other)

    def __rxor__(self, other: Any) -> Expr:
        return _expr(self)._binary(expr_pb2.BINARY_OP_XOR, other, reflected=True)

    def __invert__(self) -> Expr:
        return _expr(self).not_()

    def __neg__(self) -> Expr:
        return _expr(self)._unary(expr_pb2.UNARY_OP_NEG)

    def __pos__(self) -> Expr:
        return _expr(self)

    def __abs__(self) -> Expr:
        return _expr(self).abs()

    def not_(self) -> Expr:
        """Logical NOT (``~expr``)."""
        return _expr(self)._unary(expr_pb2.UNARY_OP_NOT)

    def neg(self) -> Expr:
        """``-self``."""
        return _expr(self).__neg__()

    def eq_missing(self, other: Any) -> Expr:
        """``self == other`` where null equals null (and differs from any value), never null."""
        from polaroid.expr import parse_into_expr

        left, right = _expr(self), parse_into_expr(other, str_as_lit=True)
        return (left == right).fill_null(left.is_null() & right.is_null())

    def ne_missing(self, other: Any) -> Expr:
        """``self != other`` where null equals null (and differs from any value), never null."""
        return ~_expr(self).eq_missing(other)

