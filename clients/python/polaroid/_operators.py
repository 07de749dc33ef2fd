"""The named forms of an expression's operators, as Python Polars has them (``Expr.add``,
``Expr.eq``, ``Expr.and_``, ...): each is the operator itself (see ``Expr`` in expr.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from polaroid.expr import Expr

__all__ = ["NamedOperators"]


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
