"""Aggregations (sum, mean, std, quantile, ...) and basic math (abs, sqrt, log, round, pow) of
an expression, with Python Polars' names and defaults; aggregations record
``polaroid.v1.Aggregate`` nodes, math a call of the server-side function of the same name,
every option sent explicitly. Mixed into Expr (expr.py).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal, cast

from polaroid._encode import ExprNode
from polaroid._gen.polaroid.v1 import expr_pb2

if TYPE_CHECKING:
    from polaroid.expr import Expr

__all__ = ["AggOps"]

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


def _expr(value: object) -> Expr:
    """The mixin's instance as the Expr it is."""
    return cast("Expr", value)


def _unsupported(what: str, **options: Any) -> None:
    """Raises NotImplementedError naming the first option set to a value the server cannot
    honour (each given as name=(value, default))."""
    for name, (value, default) in options.items():
        if value != default:
            raise NotImplementedError(
                f"Cannot {what} with {name}={value!r} as Polaroid does not support it yet (only {name}={default!r})"
            )


def _ddof(ddof: int) -> int:
    if isinstance(ddof, bool) or not isinstance(ddof, int) or not 0 <= ddof <= 255:
        raise ValueError(f"ddof must be an integer in [0, 255]: current value is {ddof!r}")
    return ddof


class AggOps:
    """Mixin of Expr: aggregations and basic math."""

    __slots__ = ()

    # ---- aggregations ------------------------------------------------------------------

    def sum(self) -> Expr:
        """Sum of the values."""
        return _expr(self)._agg(expr_pb2.AGG_KIND_SUM)

    def mean(self) -> Expr:
        """Mean of the values."""
        return _expr(self)._agg(expr_pb2.AGG_KIND_MEAN)

    def min(self) -> Expr:
        """Smallest value."""
        return _expr(self)._agg(expr_pb2.AGG_KIND_MIN)

    def max(self) -> Expr:
        """Largest value."""
        return _expr(self)._agg(expr_pb2.AGG_KIND_MAX)

    def median(self) -> Expr:
        """Median of the values."""
        return _expr(self)._agg(expr_pb2.AGG_KIND_MEDIAN)

    def count(self) -> Expr:
        """The number of non-null values."""
        return _expr(self)._agg(expr_pb2.AGG_KIND_COUNT)

    def len(self) -> Expr:
        """The number of values, nulls included."""
        return _expr(self)._agg(expr_pb2.AGG_KIND_LEN)

    def n_unique(self) -> Expr:
        """The number of distinct values (null counts as one)."""
        return _expr(self)._agg(expr_pb2.AGG_KIND_N_UNIQUE)

    def first(self, *, ignore_nulls: bool = False) -> Expr:
        """The first value."""
        _unsupported("take the first value", ignore_nulls=(ignore_nulls, False))
        return _expr(self)._agg(expr_pb2.AGG_KIND_FIRST)

    def last(self, *, ignore_nulls: bool = False) -> Expr:
        """The last value."""
        _unsupported("take the last value", ignore_nulls=(ignore_nulls, False))
        return _expr(self)._agg(expr_pb2.AGG_KIND_LAST)

    def std(self, ddof: int = 1) -> Expr:
        """Standard deviation with ``ddof`` delta degrees of freedom."""
        return _expr(self)._agg(expr_pb2.AGG_KIND_STD, ddof=_ddof(ddof))

    def var(self, ddof: int = 1) -> Expr:
        """Variance with ``ddof`` delta degrees of freedom."""
        return _expr(self)._agg(expr_pb2.AGG_KIND_VAR, ddof=_ddof(ddof))

    def quantile(self, quantile: float | Expr, interpolation: QuantileMethod = "nearest") -> Expr:
        """The ``quantile`` (in [0, 1], or an expression giving one) of the values."""
        method = _INTERPOLATION.get(interpolation)
        if method is None:
            raise NotImplementedError(
                f"Cannot compute a quantile with interpolation={interpolation!r} as Polaroid supports {', '.join(_INTERPOLATION)}"
            )
        if isinstance(quantile, ExprNode):
            q = quantile.to_proto()
            return _expr(self)._agg(expr_pb2.AGG_KIND_QUANTILE, quantile_expr=q, interpolation=method)
        if isinstance(quantile, (list, tuple)):
            raise NotImplementedError("Cannot compute several quantiles at once as Polaroid does not support it yet")
        if isinstance(quantile, bool) or not isinstance(quantile, (int, float)) or not 0 <= quantile <= 1:
            raise ValueError(f"quantile must be a number in [0, 1]: current value is {quantile!r}")
        return _expr(self)._agg(expr_pb2.AGG_KIND_QUANTILE, quantile=float(quantile), interpolation=method)

    # ---- math --------------------------------------------------------------------------

    def abs(self) -> Expr:
        """Absolute value."""
        return _expr(self)._call("abs")

    def sqrt(self) -> Expr:
        """Square root."""
        return _expr(self)._call("sqrt")

    def exp(self) -> Expr:
        """e to the power of each value."""
        return _expr(self)._call("exp")

    def log(self, base: float = math.e) -> Expr:
        """Logarithm in ``base``."""
        return _expr(self)._call("log", [], {"base": float(base)})

    def floor(self) -> Expr:
        """Largest integer not above each value."""
        return _expr(self)._call("floor")

    def ceil(self) -> Expr:
        """Smallest integer not below each value."""
        return _expr(self)._call("ceil")

    def round(self, decimals: int = 0, mode: RoundMode = "half_to_even") -> Expr:
        """Rounds to ``decimals`` digits; ``mode`` breaks ties."""
        server_mode = _ROUND_MODES.get(mode)
        if server_mode is None:
            raise ValueError(f"mode must be one of {', '.join(_ROUND_MODES)}: current value is {mode!r}")
        return _expr(self)._call("round", [], {"decimals": int(decimals), "mode": server_mode})

    def pow(self, exponent: int | float) -> Expr:
        """Each value to the power ``exponent`` (a number)."""
        if isinstance(exponent, bool) or not isinstance(exponent, (int, float)):
            raise NotImplementedError("Cannot raise to a power as Polaroid supports only a number as the exponent yet")
        return _expr(self)._call("pow", [exponent])

    def log1p(self) -> Expr:
        """The natural logarithm of one plus each value."""
        return _expr(self)._call("log1p")

    def has_nulls(self) -> Expr:
        """Whether any value is null."""
        return _expr(self).null_count() > 0

