"""Column types: Polars data types (``pl.Int64``, ``pl.Datetime("us", "UTC")``,
``pl.List(pl.String)``) to and from their protobuf form (``polaroid.v1.DataType``), and the
schema of a remote result as a ``polars.Schema``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Literal, cast

import polars as pl

from polaroid._gen.polaroid.v1 import types_pb2

__all__ = ["dtype_from_proto", "dtype_to_proto", "schema_from_proto"]

_Kind = types_pb2.DataType

_SIMPLE: dict[Any, types_pb2.DataType.Kind] = {
    pl.Boolean: _Kind.KIND_BOOL,
    pl.Int8: _Kind.KIND_INT8,
    pl.Int16: _Kind.KIND_INT16,
    pl.Int32: _Kind.KIND_INT32,
    pl.Int64: _Kind.KIND_INT64,
    pl.UInt8: _Kind.KIND_UINT8,
    pl.UInt16: _Kind.KIND_UINT16,
    pl.UInt32: _Kind.KIND_UINT32,
    pl.UInt64: _Kind.KIND_UINT64,
    pl.Float32: _Kind.KIND_FLOAT32,
    pl.Float64: _Kind.KIND_FLOAT64,
    pl.String: _Kind.KIND_STRING,
    pl.Date: _Kind.KIND_DATE,
    pl.Time: _Kind.KIND_TIME,
    pl.Categorical: _Kind.KIND_CATEGORICAL,
    pl.Null: _Kind.KIND_NULL,
    pl.Binary: _Kind.KIND_BINARY,
}

_FROM_KIND: dict[types_pb2.DataType.Kind, Any] = {kind: dtype for dtype, kind in _SIMPLE.items()}

# Python types Polars accepts where it takes a data type (``cast(int)``).
_PYTHON_TYPES: dict[type, Any] = {
    bool: pl.Boolean,
    int: pl.Int64,
    float: pl.Float64,
    str: pl.String,
    bytes: pl.Binary,
    _dt.date: pl.Date,
    _dt.datetime: pl.Datetime("us"),
    _dt.time: pl.Time,
    _dt.timedelta: pl.Duration("us"),
}

_UNIT_TO_PROTO = {
    "ns": types_pb2.TIME_UNIT_NANOSECONDS,
    "us": types_pb2.TIME_UNIT_MICROSECONDS,
    "ms": types_pb2.TIME_UNIT_MILLISECONDS,
}
_UNIT_FROM_PROTO = {v: k for k, v in _UNIT_TO_PROTO.items()}
TimeUnit = Literal["ns", "us", "ms"]


def _unit(proto: types_pb2.TimeUnit) -> TimeUnit:
    return cast(TimeUnit, _UNIT_FROM_PROTO.get(proto, "us"))


def _instance(dtype: Any) -> Any:
    """A Polars data type instance of a class, an instance or a Python type."""
    if isinstance(dtype, type) and dtype in _PYTHON_TYPES:
        return _PYTHON_TYPES[dtype]
    if isinstance(dtype, pl.DataType):
        return dtype
    if isinstance(dtype, type) and issubclass(dtype, pl.DataType):
        return dtype()
    raise TypeError(f"Cannot use data type as it must be a Polars data type: current value is {dtype!r}")


def dtype_to_proto(dtype: Any) -> types_pb2.DataType:
    """The protobuf form of a Polars data type (or of a Python type Polars maps to one).

    Raises NotImplementedError for types the server does not know (Int128, Enum, Array, ...).
    """
    value = _instance(dtype)
    base = value.base_type()
    if base in _SIMPLE:
        return types_pb2.DataType(kind=_SIMPLE[base])
    if base is pl.Datetime:
        return types_pb2.DataType(
            kind=_Kind.KIND_DATETIME,
            time_unit=_UNIT_TO_PROTO[value.time_unit or "us"],
            time_zone=value.time_zone or "",
        )
    if base is pl.Duration:
        return types_pb2.DataType(kind=_Kind.KIND_DURATION, time_unit=_UNIT_TO_PROTO[value.time_unit or "us"])
    if base is pl.List:
        return types_pb2.DataType(kind=_Kind.KIND_LIST, inner=dtype_to_proto(value.inner))
    if base is pl.Struct:
        return types_pb2.DataType(
            kind=_Kind.KIND_STRUCT,
            fields=[types_pb2.Field(name=f.name, dtype=dtype_to_proto(f.dtype)) for f in value.fields],
        )
    if base is pl.Decimal:
        precision = value.precision if value.precision is not None else 38
        return types_pb2.DataType(kind=_Kind.KIND_DECIMAL, precision=precision, scale=value.scale or 0)
    raise NotImplementedError(f"Cannot send data type {value} as Polaroid does not support it yet")


def dtype_from_proto(proto: types_pb2.DataType) -> Any:
    """The Polars data type of a protobuf DataType."""
    kind = proto.kind
    if kind in _FROM_KIND:
        return _FROM_KIND[kind]
    if kind == _Kind.KIND_DATETIME:
        return pl.Datetime(_unit(proto.time_unit), proto.time_zone or None)
    if kind == _Kind.KIND_DURATION:
        return pl.Duration(_unit(proto.time_unit))
    if kind == _Kind.KIND_LIST:
        return pl.List(dtype_from_proto(proto.inner))
    if kind == _Kind.KIND_STRUCT:
        return pl.Struct([pl.Field(f.name, dtype_from_proto(f.dtype)) for f in proto.fields])
    if kind == _Kind.KIND_DECIMAL:
        return pl.Decimal(proto.precision or None, proto.scale)
    return pl.Unknown


def schema_from_proto(schema: types_pb2.Schema) -> pl.Schema:
    """A protobuf Schema as a ``polars.Schema`` (column order kept)."""
    return pl.Schema([(f.name, dtype_from_proto(f.dtype)) for f in schema.fields])
