"""The ``Expr.list`` namespace, with Python Polars' method names and defaults. Each method
records a call of the server-side function of nodejs-polars' name ("lst.get", "lst.sum",
...) with every option sent explicitly, or, where the server has no such function, runs
Python Polars' own definition per list with ``lst.eval`` over ``element()`` (a reduction
then takes the one value of the evaluated list).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from polaroid._encode import ExprNode, call_proto

if TYPE_CHECKING:
    from polaroid.expr import Expr

__all__ = ["ListNamespace", "element"]


def element() -> Expr:
    """Each element of a list, inside ``list.eval`` (and the other per-element list
    methods)."""
    from polaroid.expr import Expr

    return Expr(call_proto("pl.element"))


_element = element


def _count(what: str, n: Any) -> int:
    if isinstance(n, ExprNode):
        raise NotImplementedError(f"Cannot take the {what} of each list with an expression as 'n' as Polaroid supports an integer only yet")
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"Cannot take the {what} of each list as 'n' must be a non-negative integer: current value is {n!r}")
    return n


class ListNamespace:
    """List functions of an expression (``expr.list``)."""

    __slots__ = ("_expr",)

    def __init__(self, expr: Expr) -> None:
        self._expr = expr

    def _call(self, method: str, args: list[Any] | None = None) -> Expr:
        return self._expr._call(f"lst.{method}", args or [])

    def _per_list(self, fn: Expr) -> Expr:
        """``fn`` (an expression of ``element()``) run on each list: a list per row."""
        return self._call("eval", [fn])

    def _reduce(self, fn: Expr) -> Expr:
        """``fn`` (a reduction of ``element()``) run on each list: a value per row."""
        return self._per_list(fn).list.first()

    # ---- reductions ---------------------------------------------------------------------

    def len(self) -> Expr:
        """The number of elements of each list (UInt32), nulls included."""
        return self._call("lengths")

    def sum(self) -> Expr:
        """The sum of each list."""
        return self._call("sum")

    def mean(self) -> Expr:
        """The mean of each list."""
        return self._call("mean")

    def min(self) -> Expr:
        """The smallest element of each list."""
        return self._call("min")

    def max(self) -> Expr:
        """The largest element of each list."""
        return self._call("max")

    def median(self) -> Expr:
        """The median of each list."""
        return self._reduce(_element().median())

    def std(self, ddof: int = 1) -> Expr:
        """The standard deviation of each list (``ddof`` delta degrees of freedom)."""
        return self._reduce(_element().std(ddof))

    def var(self, ddof: int = 1) -> Expr:
        """The variance of each list (``ddof`` delta degrees of freedom)."""
        return self._reduce(_element().var(ddof))

    def n_unique(self) -> Expr:
        """The number of distinct elements of each list."""
        return self._reduce(_element().n_unique())

    def arg_min(self) -> Expr:
        """The index of the smallest element of each list."""
        return self._call("argMin")

    def arg_max(self) -> Expr:
        """The index of the largest element of each list."""
        return self._call("argMax")

    def all(self, *, ignore_nulls: bool = True) -> Expr:
        """Whether every element of each (boolean) list is true."""
        return self._reduce(_element().all(ignore_nulls=ignore_nulls))

    def any(self, *, ignore_nulls: bool = True) -> Expr:
        """Whether any element of each (boolean) list is true."""
        return self._reduce(_element().any(ignore_nulls=ignore_nulls))

    def count_matches(self, element: Any) -> Expr:
        """How many elements of each list equal ``element``."""
        from polaroid.expr import parse_into_expr

        return self._reduce((_element() == parse_into_expr(element, str_as_lit=True)).sum())

    # ---- elements -----------------------------------------------------------------------

    def first(self) -> Expr:
        """The first element of each list (null when empty)."""
        return self._call("first")

    def last(self) -> Expr:
        """The last element of each list (null when empty)."""
        return self._call("last")

    def get(self, index: int | Expr | str, *, null_on_oob: bool = False) -> Expr:
        """The element at ``index`` (negative: from the end; a string is a column name);
        out of bounds fails unless ``null_on_oob``."""
        from polaroid.expr import parse_into_expr

        target: Any = index if isinstance(index, int) and not isinstance(index, bool) else parse_into_expr(index)
        return self._call("get", [target, bool(null_on_oob)])

    def head(self, n: int | str | Expr = 5) -> Expr:
        """The first ``n`` elements of each list."""
        return self._call("head", [_count("head", n)])

    def tail(self, n: int | str | Expr = 5) -> Expr:
        """The last ``n`` elements of each list."""
        return self._call("tail", [_count("tail", n)])

    def slice(self, offset: int | str | Expr, length: int | str | Expr | None = None) -> Expr:
        """``length`` elements of each list from ``offset`` (negative: from the end; None:
        to the end; strings are column names)."""
        from polaroid.expr import parse_into_expr

        def arg(value: Any) -> Any:
            return value if value is None or (isinstance(value, int) and not isinstance(value, bool)) else parse_into_expr(value)

        return self._call("slice", [arg(offset), arg(length)])

    def gather_every(self, n: int, offset: int = 0) -> Expr:
        """Every ``n``-th element of each list, from ``offset``."""
        return self._per_list(_element().gather_every(n, offset))

    def shift(self, n: int | Expr = 1) -> Expr:
        """The elements of each list moved by ``n`` places (nulls filling in)."""
        return self._call("shift", [n])

    def diff(self, n: int = 1, null_behavior: Literal["ignore", "drop"] = "ignore") -> Expr:
        """Differences between the elements of each list ``n`` places apart."""
        if null_behavior not in ("ignore", "drop"):
            raise ValueError(f"null_behavior must be 'ignore' or 'drop': current value is {null_behavior!r}")
        return self._call("diff", [int(n), null_behavior])

    def reverse(self) -> Expr:
        """Each list reversed."""
        return self._call("reverse")

    def sort(self, *, descending: bool = False, nulls_last: bool = False) -> Expr:
        """Each list sorted (nulls first unless ``nulls_last``)."""
        return self._per_list(_element().sort(descending=descending, nulls_last=nulls_last))

    def unique(self, *, maintain_order: bool = False) -> Expr:
        """The distinct elements of each list (in order of first occurrence with
        ``maintain_order``)."""
        return self._per_list(_element().unique(maintain_order=maintain_order))

    def drop_nulls(self) -> Expr:
        """Each list without its nulls."""
        return self._per_list(_element().drop_nulls())

    def filter(self, predicate: Expr) -> Expr:
        """The elements of each list where ``predicate`` (of ``element()``) holds."""
        return self._per_list(_element().filter(predicate))

    def contains(self, item: Any, *, nulls_equal: bool = True) -> Expr:
        """Whether each list holds ``item`` (a value, or an expression per row; strings are
        literals); with ``nulls_equal`` a null item matches a null element."""
        from polaroid.expr import parse_into_expr

        return self._call("contains", [parse_into_expr(item, str_as_lit=True), bool(nulls_equal)])

    def join(self, separator: str | Expr, *, ignore_nulls: bool = True) -> Expr:
        """Each list of strings joined with ``separator`` (null when a list holds a null,
        unless ``ignore_nulls``)."""
        return self._call("join", [separator, bool(ignore_nulls)])

    def concat(self, other: Any) -> Expr:
        """Each list followed by the lists of ``other`` (expressions or column names)."""
        from polaroid.expr import parse_into_expr

        items: Sequence[Any] = other if isinstance(other, (list, tuple)) else [other]
        return self._call("concat", [[parse_into_expr(o) for o in items]])

    def eval(self, expr: Expr, *, parallel: bool = False) -> Expr:
        """``expr`` (of ``element()``) run on each list; ``parallel`` is left to the
        server (the result is the same)."""
        return self._per_list(expr)

    def explode(self, *, empty_as_null: bool = False, keep_nulls: bool = True) -> Expr:
        """One row per element (see ``Expr.explode``)."""
        return self._expr.explode(empty_as_null=empty_as_null, keep_nulls=keep_nulls)
