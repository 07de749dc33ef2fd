"""Expression methods for ordered data, with Python Polars' names and defaults: rolling and
exponentially weighted statistics, fills, changes, clipping and a few reductions. Each
records a call of the server-side function of nodejs-polars' name ("rollingMean",
"ewmMean", ...) with every option sent explicitly, so Python Polars' defaults hold where
nodejs-polars' differ (``ignore_nulls=False`` for EWM). Mixed into Expr (expr.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, cast

from polaroid._encode import ExprNode

if TYPE_CHECKING:
    from polaroid.expr import Expr

__all__ = ["SeriesOps"]

QuantileMethod = Literal["nearest", "higher", "lower", "midpoint", "linear"]
_QUANTILE_METHODS = ("nearest", "higher", "lower", "midpoint", "linear")
_MAX_WINDOW = 2**32 - 1


def _expr(value: object) -> Expr:
    return cast("Expr", value)


def _window(what: str, window_size: Any, min_samples: Any, center: Any, weights: Any) -> dict[str, Any]:
    """The options of a rolling statistic, Python Polars' defaults explicit
    (``min_samples`` = the window)."""
    if weights is not None:
        raise NotImplementedError(
            f"Cannot compute {what} with weights as Polaroid does not support weighted windows yet"
        )
    if isinstance(window_size, bool) or not isinstance(window_size, int) or not 1 <= window_size <= _MAX_WINDOW:
        raise ValueError(f"window_size must be a positive integer: current value is {window_size!r}")
    samples = window_size if min_samples is None else min_samples
    if isinstance(samples, bool) or not isinstance(samples, int) or not 0 <= samples <= window_size:
        raise ValueError(f"min_samples must be an integer in [0, window_size]: current value is {min_samples!r}")
    if not isinstance(center, bool):
        raise TypeError(f"center must be a bool: current value is {center!r}")
    return {"windowSize": window_size, "minPeriods": samples, "center": center}


def _ewm(
    com: float | None, span: float | None, half_life: float | None, alpha: float | None, **rest: Any
) -> dict[str, Any]:
    """The options of an EWM statistic: exactly one decay parameter, the rest explicit."""
    given = {k: v for k, v in {"com": com, "span": span, "halfLife": half_life, "alpha": alpha}.items() if v is not None}
    if len(given) != 1:
        raise ValueError("one and only one of 'com', 'span', 'half_life' or 'alpha' must be given")
    (key, value), = given.items()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{key} must be a number: current value is {value!r}")
    bounds = {"com": value >= 0, "span": value >= 1, "halfLife": value > 0, "alpha": 0 < value <= 1}
    if not bounds[key]:
        raise ValueError(f"{key} is out of range: current value is {value!r}")
    return {key: value, **rest}


class SeriesOps:
    """Mixin of Expr: operations over the order of the rows."""

    __slots__ = ()

    # ---- rolling windows ---------------------------------------------------------------

    def _rolling(self, name: str, options: dict[str, Any]) -> Expr:
        return _expr(self)._call(name, [], options)

    def rolling_mean(
        self, window_size: int, weights: list[float] | None = None, *, min_samples: int | None = None, center: bool = False
    ) -> Expr:
        """Mean over the last ``window_size`` rows (null until ``min_samples`` values,
        default the window)."""
        return self._rolling("rollingMean", _window("a rolling mean", window_size, min_samples, center, weights))

    def rolling_sum(
        self, window_size: int, weights: list[float] | None = None, *, min_samples: int | None = None, center: bool = False
    ) -> Expr:
        """Sum over the last ``window_size`` rows."""
        return self._rolling("rollingSum", _window("a rolling sum", window_size, min_samples, center, weights))

    def rolling_min(
        self, window_size: int, weights: list[float] | None = None, *, min_samples: int | None = None, center: bool = False
    ) -> Expr:
        """Smallest value over the last ``window_size`` rows."""
        return self._rolling("rollingMin", _window("a rolling min", window_size, min_samples, center, weights))

    def rolling_max(
        self, window_size: int, weights: list[float] | None = None, *, min_samples: int | None = None, center: bool = False
    ) -> Expr:
        """Largest value over the last ``window_size`` rows."""
        return self._rolling("rollingMax", _window("a rolling max", window_size, min_samples, center, weights))

    def rolling_median(
        self, window_size: int, weights: list[float] | None = None, *, min_samples: int | None = None, center: bool = False
    ) -> Expr:
        """Median over the last ``window_size`` rows."""
        return self._rolling("rollingMedian", _window("a rolling median", window_size, min_samples, center, weights))

    def rolling_std(
        self,
        window_size: int,
        weights: list[float] | None = None,
        *,
        min_samples: int | None = None,
        center: bool = False,
        ddof: int = 1,
    ) -> Expr:
        """Standard deviation over the last ``window_size`` rows (``ddof`` delta degrees of
        freedom)."""
        options = _window("a rolling std", window_size, min_samples, center, weights)
        return self._rolling("rollingStd", {**options, "ddof": _ddof(ddof)})

    def rolling_var(
        self,
        window_size: int,
        weights: list[float] | None = None,
        *,
        min_samples: int | None = None,
        center: bool = False,
        ddof: int = 1,
    ) -> Expr:
        """Variance over the last ``window_size`` rows (``ddof`` delta degrees of freedom)."""
        options = _window("a rolling var", window_size, min_samples, center, weights)
        return self._rolling("rollingVar", {**options, "ddof": _ddof(ddof)})

    def rolling_quantile(
        self,
        quantile: float,
        interpolation: QuantileMethod = "nearest",
        window_size: int = 2,
        weights: list[float] | None = None,
        *,
        min_samples: int | None = None,
        center: bool = False,
    ) -> Expr:
        """The ``quantile`` (in [0, 1]) over the last ``window_size`` rows."""
        if interpolation not in _QUANTILE_METHODS:
            raise ValueError(f"interpolation must be one of {', '.join(_QUANTILE_METHODS)}: current value is {interpolation!r}")
        if isinstance(quantile, bool) or not isinstance(quantile, (int, float)) or not 0 <= quantile <= 1:
            raise ValueError(f"quantile must be a number in [0, 1]: current value is {quantile!r}")
        options = _window("a rolling quantile", window_size, min_samples, center, weights)
        return self._rolling(
            "rollingQuantile", {**options, "quantile": quantile, "interpolation": interpolation}
        )

    # ---- exponentially weighted ----------------------------------------------------------

    def ewm_mean(
        self,
        *,
        com: float | None = None,
        span: float | None = None,
        half_life: float | None = None,
        alpha: float | None = None,
        adjust: bool = True,
        min_samples: int = 1,
        ignore_nulls: bool = False,
    ) -> Expr:
        """Exponentially weighted mean (give one of ``com``, ``span``, ``half_life``,
        ``alpha``)."""
        options = _ewm(com, span, half_life, alpha, adjust=bool(adjust), minPeriods=_count(min_samples), ignoreNulls=bool(ignore_nulls))
        return _expr(self)._call("ewmMean", [], options)

    def ewm_std(
        self,
        *,
        com: float | None = None,
        span: float | None = None,
        half_life: float | None = None,
        alpha: float | None = None,
        adjust: bool = True,
        bias: bool = False,
        min_samples: int = 1,
        ignore_nulls: bool = False,
    ) -> Expr:
        """Exponentially weighted standard deviation (unbiased unless ``bias``)."""
        options = _ewm(
            com, span, half_life, alpha, adjust=bool(adjust), bias=bool(bias), minPeriods=_count(min_samples), ignoreNulls=bool(ignore_nulls)
        )
        return self._unbiased(_expr(self)._call("ewmStd", [], options), bias)

    def ewm_var(
        self,
        *,
        com: float | None = None,
        span: float | None = None,
        half_life: float | None = None,
        alpha: float | None = None,
        adjust: bool = True,
        bias: bool = False,
        min_samples: int = 1,
        ignore_nulls: bool = False,
    ) -> Expr:
        """Exponentially weighted variance (unbiased unless ``bias``)."""
        options = _ewm(
            com, span, half_life, alpha, adjust=bool(adjust), bias=bool(bias), minPeriods=_count(min_samples), ignoreNulls=bool(ignore_nulls)
        )
        return self._unbiased(_expr(self)._call("ewmVar", [], options), bias)

    def _unbiased(self, moment: Expr, bias: bool) -> Expr:
        """An unbiased moment null until two values have been seen, as Python Polars gives
        it (the server's kernel gives 0 for the first value)."""
        if bias:
            return moment
        from polaroid.functions import when

        return when(_expr(self).is_not_null().cum_sum() >= 2).then(moment).otherwise(None)

    # ---- fills and changes -------------------------------------------------------------

    def forward_fill(self, limit: int | None = None) -> Expr:
        """Nulls filled with the last value before them (at most ``limit`` in a row)."""
        if limit is None:
            return _expr(self)._call("forwardFill")
        return _expr(self).fill_null(strategy="forward", limit=limit)

    def backward_fill(self, limit: int | None = None) -> Expr:
        """Nulls filled with the next value after them (at most ``limit`` in a row)."""
        if limit is None:
            return _expr(self)._call("backwardFill")
        return _expr(self).fill_null(strategy="backward", limit=limit)

    def interpolate(self, method: Literal["linear", "nearest"] = "linear") -> Expr:
        """Nulls between values filled by interpolating between their neighbours."""
        if method not in ("linear", "nearest"):
            raise ValueError(f"method must be 'linear' or 'nearest': current value is {method!r}")
        return _expr(self)._call("interpolate", [], {"method": method})

    def pct_change(self, n: int | Any = 1) -> Expr:
        """Relative change from the value ``n`` rows before (an Expr or column name)."""
        from polaroid.expr import parse_into_expr

        if isinstance(n, int) and not isinstance(n, bool):
            return _expr(self)._call("pctChange", [n])
        return _expr(self)._call("pctChange", [parse_into_expr(n)])

    def clip(self, lower_bound: Any = None, upper_bound: Any = None) -> Expr:
        """Values limited to [lower_bound, upper_bound] (strings are column names; None: no
        bound)."""
        from polaroid.expr import parse_into_expr

        bounds = [None if b is None else parse_into_expr(b) for b in (lower_bound, upper_bound)]
        return _expr(self)._call("clip", bounds)

    # ---- checks and reductions -----------------------------------------------------------

    def is_finite(self) -> Expr:
        """Whether each (float) value is finite."""
        return _expr(self)._call("isFinite")

    def is_infinite(self) -> Expr:
        """Whether each (float) value is infinite."""
        return _expr(self)._call("isInfinite")

    def skew(self, *, bias: bool = True) -> Expr:
        """Sample skewness (corrected for the sample size unless ``bias``)."""
        return _expr(self)._call("skew", [], {"bias": bool(bias)})

    def null_count(self) -> Expr:
        """The number of nulls (UInt32)."""
        return _expr(self)._call("nullCount")

    def to_physical(self) -> Expr:
        """The physical representation (a Date's days, a Datetime's ticks, ...)."""
        return _expr(self)._call("toPhysical")

    def filter(self, *predicates: Any, **constraints: Any) -> Expr:
        """The values where every predicate holds (``name=value`` compares a column)."""
        from polaroid.expr import parse_into_expr
        from polaroid.functions import col

        items: list[Expr] = []
        for p in predicates:
            items.extend(parse_into_expr(x) for x in (p if isinstance(p, Iterable) and not isinstance(p, (str, ExprNode)) else [p]))
        items.extend(col(k) == v for k, v in constraints.items())
        if not items:
            raise ValueError("Cannot filter as no predicate was given")
        predicate = items[0]
        for item in items[1:]:
            predicate = predicate & item
        return _expr(self)._call("filter", [predicate])


def _ddof(ddof: Any) -> int:
    if isinstance(ddof, bool) or not isinstance(ddof, int) or not 0 <= ddof <= 255:
        raise ValueError(f"ddof must be an integer in [0, 255]: current value is {ddof!r}")
    return ddof


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"min_samples must be a non-negative integer: current value is {value!r}")
    return value
