"""Expression methods that pick, order, rank, count or map values, with Python Polars'
names and defaults: head/tail/slice/gather, sort_by/arg_sort, cumulative operations, rank,
the duplicate flags, reductions (product, mode, arg_max, ...), replace and exclude. Each
records a call of the server-side function of nodejs-polars' name ("cumMax", "sortBy",
...) with every option sent explicitly. Mixed into Expr (expr.py).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, cast

import polars as pl

from polaroid._encode import ExprNode

if TYPE_CHECKING:
    from polaroid.expr import Expr

__all__ = ["RowOps"]

RankMethod = Literal["average", "min", "max", "dense", "ordinal", "random"]
_RANK_METHODS = ("average", "min", "max", "dense", "ordinal", "random")


def _expr(value: object) -> Expr:
    return cast("Expr", value)


def _int_or_expr(what: str, value: Any) -> Any:
    from polaroid.expr import parse_into_expr

    if isinstance(value, bool):
        raise TypeError(f"Cannot {what} as the count must be an integer or an Expr: current value is {value!r}")
    return value if isinstance(value, int) else parse_into_expr(value)


def _count(what: str, n: Any) -> int:
    if isinstance(n, ExprNode):
        raise NotImplementedError(f"Cannot {what} with an expression as 'n' as Polaroid supports an integer only yet")
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"Cannot {what} as 'n' must be a non-negative integer: current value is {n!r}")
    return n


def _values(what: str, value: Any) -> Any:
    """A replace argument: an Expr, or plain values (a list keeps them apart)."""
    if isinstance(value, ExprNode):
        return value
    if isinstance(value, pl.Series):
        return value.to_list()
    if isinstance(value, Collection) and not isinstance(value, (str, bytes)):
        return list(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise NotImplementedError(f"Cannot {what} with {value!r} as Polaroid takes plain values (None, bool, int, float, str) or an Expr here yet")


class RowOps:
    """Mixin of Expr: row selection, ordering, ranks and value mapping."""

    __slots__ = ()

    def _fn(self, name: str, args: Iterable[Any] = (), options: dict[str, Any] | None = None) -> Expr:
        return _expr(self)._call(name, args, options)

    # ---- picking rows --------------------------------------------------------------------

    def head(self, n: int | Expr = 10) -> Expr:
        """The first ``n`` values."""
        return self._fn("head", [_count("take the head", n)])

    def limit(self, n: int | Expr = 10) -> Expr:
        """Alias of ``head``."""
        return self.head(n)

    def tail(self, n: int | Expr = 10) -> Expr:
        """The last ``n`` values."""
        return self._fn("tail", [_count("take the tail", n)])

    def slice(self, offset: int | Expr, length: int | Expr | None = None) -> Expr:
        """``length`` values from ``offset`` (negative: from the end; None: to the end)."""
        return self._fn("slice", [_int_or_expr("slice", offset), None if length is None else _int_or_expr("slice", length)])

    def gather(self, indices: int | Sequence[int] | Any, *, null_on_oob: bool = False) -> Expr:
        """The values at ``indices`` (a list of integers or an Expr; negative counts from
        the end)."""
        from polaroid.expr import parse_into_expr

        if null_on_oob:
            raise NotImplementedError("Cannot gather with null_on_oob=True as Polaroid does not support it yet")
        if isinstance(indices, int) and not isinstance(indices, bool):
            indices = [indices]
        if isinstance(indices, pl.Series):
            indices = indices.to_list()
        if isinstance(indices, (list, tuple)):
            if not all(isinstance(i, int) and not isinstance(i, bool) for i in indices):
                raise TypeError(f"Cannot gather as indices must be integers: current value is {indices!r}")
            return self._fn("gather", [list(indices)])
        return self._fn("gather", [parse_into_expr(indices)])

    def gather_every(self, n: int, offset: int = 0) -> Expr:
        """Every ``n``-th value, from ``offset``."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"Cannot gather every n-th value as 'n' must be a positive integer: current value is {n!r}")
        return self._fn("gatherEvery", [n, _count("gather every n-th value", offset)])

    def reverse(self) -> Expr:
        """The values in reverse order."""
        return self._fn("reverse")

    def drop_nulls(self) -> Expr:
        """The values without nulls."""
        return self._fn("dropNulls")

    def drop_nans(self) -> Expr:
        """The values without NaNs."""
        return self._fn("dropNans")

    def explode(self, *, empty_as_null: bool = False, keep_nulls: bool = True) -> Expr:
        """One value per list element; an empty list gives no row (a null with
        ``empty_as_null``), a null list a null."""
        if not keep_nulls:
            raise NotImplementedError("Cannot explode with keep_nulls=False as Polaroid does not support it yet")
        source = _expr(self)
        if not empty_as_null:
            # The server gives a null for an empty list: drop those lists first.
            source = source.filter((source.list.len() != 0) | source.is_null())
        return source._call("explode")

    def extend_constant(self, value: Any, n: int) -> Expr:
        """The values followed by ``n`` copies of ``value`` (a plain value)."""
        if isinstance(value, ExprNode):
            raise NotImplementedError("Cannot extend with an expression as Polaroid takes a plain value yet")
        return self._fn("extendConstant", [value, _count("extend", n)])

    # ---- ordering ------------------------------------------------------------------------

    def arg_sort(self, *, descending: bool = False, nulls_last: bool = False) -> Expr:
        """The indices that sort the values."""
        return self._fn("argSort", [], {"descending": bool(descending), "nullsLast": bool(nulls_last)})

    def sort_by(
        self,
        by: Any,
        *more_by: Any,
        descending: bool | Sequence[bool] = False,
        nulls_last: bool | Sequence[bool] = False,
        multithreaded: bool = True,
        maintain_order: bool = False,
    ) -> Expr:
        """The values sorted by ``by`` (expressions or column names); ``multithreaded`` is
        left to the server."""
        from polaroid.expr import _flatten, parse_into_expr

        if nulls_last is not False and any(nulls_last if isinstance(nulls_last, Sequence) else [nulls_last]):
            raise NotImplementedError("Cannot sort by keys with nulls_last=True as Polaroid does not support it yet")
        if maintain_order:
            raise NotImplementedError("Cannot sort by keys with maintain_order=True as Polaroid does not support it yet")
        keys = [parse_into_expr(k) for k in _flatten([by, *more_by])]
        flags = [descending] if isinstance(descending, bool) else list(descending)
        if len(flags) == 1:
            flags = flags * len(keys)
        if len(flags) != len(keys):
            raise ValueError(f"Cannot sort by keys as 'descending' must hold one flag or one per key ({len(keys)}): current value holds {len(flags)}")
        return self._fn("sortBy", [keys], {"descending": [bool(f) for f in flags]})

    def rank(self, method: RankMethod = "average", *, descending: bool = False, seed: int | None = None) -> Expr:
        """The rank of each value (ties by ``method``)."""
        if method not in _RANK_METHODS:
            raise ValueError(f"method must be one of {', '.join(_RANK_METHODS)}: current value is {method!r}")
        if method == "random":
            raise NotImplementedError("Cannot rank with method='random' as Polaroid's engine draws other random numbers than Python Polars")
        return self._fn("rank", [], {"method": method, "descending": bool(descending), "seed": seed})

    # ---- cumulative ----------------------------------------------------------------------

    def cum_max(self, *, reverse: bool = False) -> Expr:
        """Running maximum (from the end when ``reverse``)."""
        return self._fn("cumMax", [], {"reverse": bool(reverse)})

    def cum_min(self, *, reverse: bool = False) -> Expr:
        """Running minimum (from the end when ``reverse``)."""
        return self._fn("cumMin", [], {"reverse": bool(reverse)})

    def cum_prod(self, *, reverse: bool = False) -> Expr:
        """Running product (from the end when ``reverse``)."""
        return self._fn("cumProd", [], {"reverse": bool(reverse)})

    def cum_count(self, *, reverse: bool = False) -> Expr:
        """Running count of non-null values (from the end when ``reverse``)."""
        return self._fn("cumCount", [], {"reverse": bool(reverse)})

    # ---- flags ---------------------------------------------------------------------------

    def is_duplicated(self) -> Expr:
        """Whether each value occurs more than once."""
        return self._fn("isDuplicated")

    def is_unique(self) -> Expr:
        """Whether each value occurs once."""
        return self._fn("isUnique")

    def is_last_distinct(self) -> Expr:
        """Whether each value is the last of its kind (``is_first_distinct`` from the end)."""
        return _expr(self).reverse().is_first_distinct().reverse()

    def is_first_distinct(self) -> Expr:
        """Whether each value is the first of its kind."""
        return self._fn("isFirstDistinct")

    def peak_max(self) -> Expr:
        """Whether each value is larger than both neighbours."""
        return self._fn("peakMax")

    def peak_min(self) -> Expr:
        """Whether each value is smaller than both neighbours."""
        return self._fn("peakMin")

    # ---- reductions ----------------------------------------------------------------------

    def product(self) -> Expr:
        """Product of the values."""
        return self._fn("product")

    def mode(self, *, maintain_order: bool = False) -> Expr:
        """The most frequent values (order undefined unless ``maintain_order``)."""
        if maintain_order:
            raise NotImplementedError("Cannot take the mode with maintain_order=True as Polaroid does not support it yet")
        return self._fn("mode")

    def arg_max(self) -> Expr:
        """The index of the largest value."""
        return self._fn("argMax")

    def arg_min(self) -> Expr:
        """The index of the smallest value."""
        return self._fn("argMin")

    def arg_unique(self) -> Expr:
        """The index of the first occurrence of each distinct value."""
        return self._fn("argUnique")

    def unique_counts(self) -> Expr:
        """How often each distinct value occurs, in order of first occurrence."""
        return self._fn("uniqueCounts")

    def lower_bound(self) -> Expr:
        """The smallest value of the data type."""
        return self._fn("lowerBound")

    def upper_bound(self) -> Expr:
        """The largest value of the data type."""
        return self._fn("upperBound")

    def implode(self, *, maintain_order: bool = True) -> Expr:
        """The values gathered into one list (in order; ``maintain_order`` is kept)."""
        return self._fn("implode")

    def all(self, *, ignore_nulls: bool = True) -> Expr:
        """Whether every (boolean) value is true (nulls count as false unless
        ``ignore_nulls``: then the result may be null)."""
        return self._fn("all", [], {"ignoreNulls": bool(ignore_nulls)})

    def any(self, *, ignore_nulls: bool = True) -> Expr:
        """Whether any (boolean) value is true."""
        return self._fn("any", [], {"ignoreNulls": bool(ignore_nulls)})

    def entropy(self, base: float = 2.718281828459045, *, normalize: bool = True) -> Expr:
        """Entropy of the values in ``base`` (as probabilities when ``normalize``)."""
        return self._fn("entropy", [], {"base": float(base), "normalize": bool(normalize)})

    def kurtosis(self, *, fisher: bool = True, bias: bool = True) -> Expr:
        """Kurtosis (excess kurtosis when ``fisher``; corrected unless ``bias``)."""
        return self._fn("kurtosis", [], {"fisher": bool(fisher), "bias": bool(bias)})

    def value_counts(
        self, *, sort: bool = False, parallel: bool = False, name: str | None = None, normalize: bool = False
    ) -> Expr:
        """A struct per distinct value: the value and its count (``name``, default "count",
        "proportion" when ``normalize``)."""
        label = name if name is not None else ("proportion" if normalize else "count")
        return self._fn(
            "valueCounts", [], {"sort": bool(sort), "parallel": bool(parallel), "name": label, "normalize": bool(normalize)}
        )

    # ---- mapping -------------------------------------------------------------------------

    def replace(self, old: Any, new: Any = ...) -> Expr:
        """Values equal to ``old`` replaced by ``new`` (a mapping gives both); other values
        kept."""
        if new is ...:
            if not isinstance(old, Mapping):
                raise TypeError("Cannot replace as 'new' must be given unless 'old' is a mapping")
            old, new = list(old.keys()), list(old.values())
        return self._fn("replace", [_values("replace", old), _values("replace", new)])

    def replace_strict(self, old: Any, new: Any = ..., *, default: Any = ..., return_dtype: Any = None) -> Expr:
        """Every value replaced: by ``new`` where it equals ``old``, else by ``default``
        (an error when not given)."""
        if new is ...:
            if not isinstance(old, Mapping):
                raise TypeError("Cannot replace as 'new' must be given unless 'old' is a mapping")
            old, new = list(old.keys()), list(old.values())
        options: dict[str, Any] = {"returnDtype": return_dtype}
        if default is not ...:
            options["default"] = _values("replace", default)
            if options["default"] is None:
                from polaroid.functions import lit

                options["default"] = lit(None)
        return self._fn("replaceStrict", [_values("replace", old), _values("replace", new)], options)

    def exclude(self, columns: str | Collection[str], *more_columns: str) -> Expr:
        """Every column this expression stands for, but ``columns`` (names)."""
        names = [columns] if isinstance(columns, str) else list(columns)
        names.extend(more_columns)
        if not all(isinstance(n, str) for n in names):
            raise NotImplementedError("Cannot exclude data types as Polaroid takes column names here yet")
        return self._fn("exclude", [names])
