"""LazyFrame methods that reshape a frame or apply one expression to every column, with
Python Polars' names and defaults: ``with_row_index``, ``explode``, ``unpivot``,
``unnest``, ``cast``, ``fill_null``, ``fill_nan``, ``shift``, ``reverse``, ``top_k``,
``bottom_k``, ``gather_every``, ``interpolate``, the frame aggregates (``sum``, ``mean``,
... ``null_count``) and the schema properties (``columns``, ``schema``, ``dtypes``,
``width``). Mixed into LazyFrame (lazyframe.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, cast

import polars as pl

from polaroid import _plan_reshape

if TYPE_CHECKING:
    from polaroid.expr import Expr
    from polaroid.lazyframe import LazyFrame

__all__ = ["ReshapeMethods"]

QuantileMethod = Literal["nearest", "higher", "lower", "midpoint", "linear"]


def _all() -> Expr:
    from polaroid.functions import col

    return col("*")


class ReshapeMethods:
    """Mixin of LazyFrame: reshaping, per-column operations and frame aggregates."""

    __slots__ = ()

    def _frame(self) -> LazyFrame:
        return cast("LazyFrame", self)

    def _known_schema(self) -> pl.Schema:
        """The schema: known for a stored frame's ``lazy()``, else one Schema call."""
        lf = self._frame()
        return lf._schema if lf._schema is not None else lf.collect_schema()

    def _per_column(self, fn: Callable[[Expr], Expr]) -> LazyFrame:
        return self._frame().select(fn(_all()))

    # ---- schema --------------------------------------------------------------------------

    @property
    def schema(self) -> pl.Schema:
        """The column names and types (one Schema call, no query run)."""
        return self._known_schema()

    @property
    def columns(self) -> list[str]:
        """The column names (one Schema call)."""
        return self._known_schema().names()

    @property
    def dtypes(self) -> list[pl.DataType]:
        """The column types (one Schema call)."""
        return self._known_schema().dtypes()

    @property
    def width(self) -> int:
        """The number of columns (one Schema call)."""
        return self._known_schema().len()

    # ---- reshaping -----------------------------------------------------------------------

    def with_row_index(self, name: str = "index", offset: int = 0) -> LazyFrame:
        """The frame with a first column ``name`` (UInt32) counting the rows from ``offset``."""
        lf = self._frame()
        return lf._next(_plan_reshape.with_row_index_plan(lf._plan, name, offset))

    def explode(
        self, columns: str | Iterable[str], *more_columns: str, empty_as_null: bool = False, keep_nulls: bool = True
    ) -> LazyFrame:
        """One row per element of the list ``columns`` (the other columns repeat); an empty
        list gives no row (a null with ``empty_as_null``), a null list a null."""
        from polaroid.functions import col
        from polaroid.lazyframe import _names

        if not keep_nulls:
            raise NotImplementedError("Cannot explode with keep_nulls=False as Polaroid does not support it yet")
        names = _names("explode", [columns, *more_columns])
        lf = self._frame()
        if not empty_as_null:
            # The server gives an empty list a null row: drop those rows first.
            kept = [(col(n).list.len() != 0) | col(n).is_null() for n in names]
            predicate = kept[0]
            for item in kept[1:]:
                predicate = predicate & item
            lf = lf.filter(predicate)
        return lf._next(_plan_reshape.explode_plan(lf._plan, [col(n).to_proto() for n in names]))

    def unpivot(
        self,
        on: str | Sequence[str] | None = None,
        *,
        index: str | Sequence[str] | None = None,
        variable_name: str | None = None,
        value_name: str | None = None,
    ) -> LazyFrame:
        """Wide to long: the ``on`` columns (every column not in ``index`` when None) become
        rows of ``variable_name`` ("variable") and ``value_name`` ("value")."""
        from polaroid.lazyframe import _names

        lf = self._frame()
        on_names = [] if on is None else _names("unpivot", on)
        index_names = [] if index is None else _names("unpivot", index)
        return lf._next(_plan_reshape.unpivot_plan(lf._plan, on_names, index_names, variable_name, value_name))

    def unnest(self, columns: str | Iterable[str], *more_columns: str, separator: str | None = None) -> LazyFrame:
        """Each struct column of ``columns`` as one column per field (``<column><separator>
        <field>`` when ``separator`` is given)."""
        from polaroid.lazyframe import _names

        if columns is None:
            raise NotImplementedError("Cannot unnest every struct column as Polaroid takes column names here yet")
        lf = self._frame()
        return lf._next(_plan_reshape.unnest_plan(lf._plan, _names("unnest", [columns, *more_columns]), separator))

    def cast(self, dtypes: Mapping[str, Any] | Any, *, strict: bool = True) -> LazyFrame:
        """Columns cast: a mapping of column names to data types, or one data type for
        every column; ``strict`` fails on values that do not fit (else null)."""
        lf = self._frame()
        if isinstance(dtypes, Mapping):
            return lf._next(_plan_reshape.cast_plan(lf._plan, dtypes, strict))
        return self._per_column(lambda e: e.cast(dtypes, strict=strict))

    # ---- per column ----------------------------------------------------------------------

    def fill_null(
        self,
        value: Any = None,
        strategy: Literal["forward", "backward", "min", "max", "mean", "zero", "one"] | None = None,
        limit: int | None = None,
        *,
        matches_supertype: bool = True,
    ) -> LazyFrame:
        """Nulls filled with ``value`` in the columns whose type can hold it (as Python
        Polars chooses them, from the schema: one Schema call), or by ``strategy`` in all."""
        from polaroid.expr import Expr
        from polaroid.functions import col, lit

        lf = self._frame()
        if value is None or isinstance(value, Expr):
            return lf.select(_all().fill_null(value, strategy, limit)) if value is None else lf.with_columns(_all().fill_null(value))
        if strategy is not None:
            raise ValueError("cannot specify both 'value' and 'strategy'")
        # Python Polars' own choice of columns and result types, on one all-null row.
        schema = self._known_schema()
        nulls = pl.DataFrame([pl.Series(n, [None], dtype=d) for n, d in schema.items()])
        filled = nulls.lazy().fill_null(value, limit=limit, matches_supertype=matches_supertype).collect()
        changed = [n for n in schema.names() if filled[n][0] is not None]
        if not changed:
            return lf
        return lf.with_columns([col(n).fill_null(lit(value)).cast(filled.schema[n]) for n in changed])

    def fill_nan(self, value: int | float | Expr | None) -> LazyFrame:
        """NaNs of the float columns replaced by ``value`` (None: null)."""
        from polaroid.functions import col

        return self._frame().with_columns(col(pl.Float32(), pl.Float64()).fill_nan(value))

    def shift(self, n: int = 1, *, fill_value: Any = None) -> LazyFrame:
        """Every column moved down by ``n`` rows (up when negative), ``fill_value`` (or
        nulls) filling in."""
        return self._per_column(lambda e: e.shift(n, fill_value=fill_value))

    def reverse(self) -> LazyFrame:
        """The rows in reverse order."""
        return self._per_column(lambda e: e.reverse())

    def gather_every(self, n: int, offset: int = 0) -> LazyFrame:
        """Every ``n``-th row, from ``offset``."""
        return self._per_column(lambda e: e.gather_every(n, offset))

    def interpolate(self) -> LazyFrame:
        """Nulls between values filled by linear interpolation, in every column."""
        return self._per_column(lambda e: e.interpolate())

    def top_k(self, k: int, *, by: Any, reverse: bool | Sequence[bool] = False) -> LazyFrame:
        """The ``k`` rows with the largest ``by`` (the smallest where ``reverse``), largest
        first, nulls last."""
        return self._k("top_k", k, by, reverse, descending=True)

    def bottom_k(self, k: int, *, by: Any, reverse: bool | Sequence[bool] = False) -> LazyFrame:
        """The ``k`` rows with the smallest ``by`` (the largest where ``reverse``), smallest
        first, nulls last."""
        return self._k("bottom_k", k, by, reverse, descending=False)

    def _k(self, what: str, k: int, by: Any, reverse: bool | Sequence[bool], *, descending: bool) -> LazyFrame:
        from polaroid.expr import _flatten

        keys = _flatten([by])
        flags = [reverse] * len(keys) if isinstance(reverse, bool) else list(reverse)
        if len(flags) != len(keys):
            raise ValueError(f"Cannot take {what} as 'reverse' must hold one flag or one per key ({len(keys)})")
        if isinstance(k, bool) or not isinstance(k, int) or k < 0:
            raise ValueError(f"Cannot take {what} as 'k' must be a non-negative integer: current value is {k!r}")
        order = [descending != bool(f) for f in flags]
        return self._frame().sort(keys, descending=order, nulls_last=True, maintain_order=True).head(k)

    # ---- aggregates ----------------------------------------------------------------------

    def sum(self) -> LazyFrame:
        """One row: the sum of each column."""
        return self._per_column(lambda e: e.sum())

    def mean(self) -> LazyFrame:
        """One row: the mean of each column."""
        return self._per_column(lambda e: e.mean())

    def median(self) -> LazyFrame:
        """One row: the median of each column."""
        return self._per_column(lambda e: e.median())

    def min(self) -> LazyFrame:
        """One row: the smallest value of each column."""
        return self._per_column(lambda e: e.min())

    def max(self) -> LazyFrame:
        """One row: the largest value of each column."""
        return self._per_column(lambda e: e.max())

    def std(self, ddof: int = 1) -> LazyFrame:
        """One row: the standard deviation of each column."""
        return self._per_column(lambda e: e.std(ddof))

    def var(self, ddof: int = 1) -> LazyFrame:
        """One row: the variance of each column."""
        return self._per_column(lambda e: e.var(ddof))

    def quantile(self, quantile: float | Expr, interpolation: QuantileMethod = "nearest") -> LazyFrame:
        """One row: the ``quantile`` of each column."""
        return self._per_column(lambda e: e.quantile(quantile, interpolation))

    def count(self) -> LazyFrame:
        """One row: the number of non-null values of each column (UInt32)."""
        return self._per_column(lambda e: e.count())

    def null_count(self) -> LazyFrame:
        """One row: the number of nulls of each column (UInt32)."""
        return self._per_column(lambda e: e.null_count())
