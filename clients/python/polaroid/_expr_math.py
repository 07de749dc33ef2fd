"""Element-wise trigonometric and hyperbolic functions of an expression, with Python Polars'
names; each records a call of the server-side function of the same name ("sin", "arccos",
...). Mixed into Expr (expr.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from polaroid.expr import Expr

__all__ = ["TrigOps"]


class TrigOps:
    """Mixin of Expr: trigonometry, in radians."""

    __slots__ = ()

    def _math(self, name: str) -> Expr:
        return cast("Expr", self)._call(name)

    def sin(self) -> Expr:
        """Sine."""
        return self._math("sin")

    def cos(self) -> Expr:
        """Cosine."""
        return self._math("cos")

    def tan(self) -> Expr:
        """Tangent."""
        return self._math("tan")

    def cot(self) -> Expr:
        """Cotangent."""
        return self._math("cot")

    def arcsin(self) -> Expr:
        """Inverse sine."""
        return self._math("arcsin")

    def arccos(self) -> Expr:
        """Inverse cosine."""
        return self._math("arccos")

    def arctan(self) -> Expr:
        """Inverse tangent."""
        return self._math("arctan")

    def sinh(self) -> Expr:
        """Hyperbolic sine."""
        return self._math("sinh")

    def cosh(self) -> Expr:
        """Hyperbolic cosine."""
        return self._math("cosh")

    def tanh(self) -> Expr:
        """Hyperbolic tangent."""
        return self._math("tanh")

    def arcsinh(self) -> Expr:
        """Inverse hyperbolic sine."""
        return self._math("arcsinh")

    def arccosh(self) -> Expr:
        """Inverse hyperbolic cosine."""
        return self._math("arccosh")

    def arctanh(self) -> Expr:
        """Inverse hyperbolic tangent."""
        return self._math("arctanh")

    def degrees(self) -> Expr:
        """Radians converted to degrees."""
        return self._math("degrees")

    def radians(self) -> Expr:
        """Degrees converted to radians."""
        return self._math("radians")
