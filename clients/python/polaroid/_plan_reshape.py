"""Pure builders of the plan nodes that reshape frames (``polaroid.v1.Plan``): explode,
unpivot, unnest, row indexes and column casts, mirroring the TypeScript SDK's
``sdk/plan/plan_reshape.ts``. No I/O here; the LazyFrame methods (_lazy_reshape.py) parse
Python Polars' arguments into these calls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from polaroid._gen.polaroid.v1 import expr_pb2, plan_pb2
from polaroid.datatypes import dtype_to_proto

__all__ = ["cast_plan", "explode_plan", "unnest_plan", "unpivot_plan", "with_row_index_plan"]

_U64_MAX = 2**64 - 1


def explode_plan(source: plan_pb2.Plan, columns: Sequence[expr_pb2.Expr]) -> plan_pb2.Plan:
    """One row per element of the list ``columns`` (the server gives an empty list a null
    row)."""
    if not columns:
        raise ValueError("Cannot explode as 'columns' must name at least one column")
    return plan_pb2.Plan(explode=plan_pb2.Explode(input=source, columns=columns))


def unpivot_plan(
    source: plan_pb2.Plan, on: Sequence[str], index: Sequence[str], variable_name: str | None, value_name: str | None
) -> plan_pb2.Plan:
    """Wide to long: the ``on`` columns (every other column when empty) become (variable,
    value) rows, the ``index`` columns repeat."""
    node = plan_pb2.Unpivot(input=source, index=index, on=on)
    for field, value in (("variable_name", variable_name), ("value_name", value_name)):
        if value is not None:
            if not isinstance(value, str) or not value:
                raise ValueError(f"Cannot unpivot as '{field}' must be a non-empty string: current value is {value!r}")
            setattr(node, field, value)
    return plan_pb2.Plan(unpivot=node)


def unnest_plan(source: plan_pb2.Plan, columns: Sequence[str], separator: str | None) -> plan_pb2.Plan:
    """Each struct column of ``columns`` as one column per field (named
    ``<column><separator><field>`` when ``separator`` is set)."""
    if not columns:
        raise ValueError("Cannot unnest as 'columns' must name at least one column")
    node = plan_pb2.Unnest(input=source, columns=columns)
    if separator is not None:
        if not isinstance(separator, str):
            raise TypeError(f"Cannot unnest as 'separator' must be a string: current value is {separator!r}")
        node.separator = separator
    return plan_pb2.Plan(unnest=node)


def with_row_index_plan(source: plan_pb2.Plan, name: str, offset: int) -> plan_pb2.Plan:
    """The input with a first column ``name`` counting the rows from ``offset``."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"Cannot add a row index as 'name' must be a non-empty string: current value is {name!r}")
    if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset <= _U64_MAX:
        raise ValueError(f"`offset` input for `with_row_index` cannot be negative or too large, got {offset!r}")
    return plan_pb2.Plan(with_row_index=plan_pb2.WithRowIndex(input=source, name=name, offset=offset))


def cast_plan(source: plan_pb2.Plan, dtypes: Mapping[str, Any], strict: bool) -> plan_pb2.Plan:
    """The columns of ``dtypes`` (name to data type) cast; ``strict`` fails on values that
    do not fit (else null)."""
    node = plan_pb2.CastColumns(input=source, strict=bool(strict))
    for name, dtype in dtypes.items():
        if not isinstance(name, str):
            raise NotImplementedError(f"Cannot cast columns selected by {name!r} as Polaroid takes column names here yet")
        node.dtypes[name].CopyFrom(dtype_to_proto(dtype))
    return plan_pb2.Plan(cast=node)
