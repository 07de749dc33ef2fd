"""How Python values travel in plans: literals (``polaroid.v1.Literal``), arguments and
options of server-side function calls (``polaroid.v1.Arg``), and ``ExprNode``, the protobuf
nodes an expression stands for (``Expr`` in expr.py builds on it).

Values keep their exact meaning on the wire: Python ints travel as integers (int32 in its
range, int64, uint64 above 2**63 - 1), never through a double.
"""

from __future__ import annotations

import datetime as _dt
import numbers
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import polars as pl

from polaroid._gen.polaroid.v1 import expr_pb2, types_pb2
from polaroid.datatypes import dtype_to_proto

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
UINT64_MAX = 2**64 - 1

_EPOCH_DATE = _dt.date(1970, 1, 1)
_EPOCH = _dt.datetime(1970, 1, 1)
_EPOCH_UTC = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_PER_SECOND = {"ns": 1_000_000_000, "us": 1_000_000, "ms": 1_000}


class ExprNode:
    """The protobuf nodes of an expression: one, or one per column when it stands for
    several (``col("a", "b")``). Build expressions with ``col``, ``lit``, ``when`` and ``len``.
    """

    __slots__ = ("_protos",)

    def __init__(self, protos: expr_pb2.Expr | Sequence[expr_pb2.Expr]) -> None:
        items = (protos,) if isinstance(protos, expr_pb2.Expr) else tuple(protos)
        if not items:
            raise ValueError("Cannot build expression as it must stand for at least one column")
        self._protos: tuple[expr_pb2.Expr, ...] = items

    def to_proto(self) -> expr_pb2.Expr:
        """The protobuf form sent in plans; raises ValueError when the expression stands for
        several columns."""
        if len(self._protos) != 1:
            raise ValueError(
                f"Cannot use expression here as it must stand for one column: current value stands for {len(self._protos)}"
            )
        return self._protos[0]

    def to_protos(self) -> list[expr_pb2.Expr]:
        """The protobuf forms, one per column this expression stands for."""
        return list(self._protos)


def column_proto(name: str) -> expr_pb2.Expr:
    """The node of the column ``name`` (``"*"``: every column; ``"^...$"``: a regex)."""
    if not isinstance(name, str):
        raise TypeError(f"Cannot select column as its name must be a string: current value is {name!r}")
    return expr_pb2.Expr(column=expr_pb2.Column(name=name))


def _integer(value: int, typed: bool) -> dict[str, int]:
    if not typed and -(2**31) <= value < 2**31:
        return {"int32": value}
    if INT64_MIN <= value <= INT64_MAX:
        return {"int64": value}
    if INT64_MAX < value <= UINT64_MAX:
        return {"uint64": value}
    raise OverflowError(f"Cannot build literal as it must fit in Int64 or UInt64: current value is {value}")


def _time_zone(value: _dt.datetime) -> str:
    zone = value.tzinfo
    key = getattr(zone, "key", None)
    if isinstance(key, str):
        return key
    if zone is _dt.timezone.utc:
        return "UTC"
    raise NotImplementedError(
        f"Cannot build a datetime literal as its tzinfo must be a zoneinfo.ZoneInfo or UTC: current value is {zone!r}"
    )


def _since_epoch(value: _dt.datetime, unit: str) -> int:
    delta = value - (_EPOCH_UTC if value.tzinfo is not None else _EPOCH)
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    if unit == "ns":
        return micros * 1_000
    if unit == "ms":
        return micros // 1_000
    return micros


def literal_proto(value: Any, dtype: Any = None) -> expr_pb2.Expr:
    """A literal expression of a Python value, as Python Polars' ``pl.lit`` types it:
    bool Boolean, int Int32 (Int64 or UInt64 beyond its range), float Float64, str String,
    date Date, datetime Datetime("us") (its zone when aware), timedelta Duration("us"), time
    Time, None Null. Ints and floats without ``dtype`` are Python Polars' dynamic literals:
    LazyFrame types them by their partner column (_dynamic.py). With ``dtype`` the server
    casts the literal to it."""
    fields: dict[str, Any] = {}
    literal_dtype: types_pb2.DataType | None = dtype_to_proto(dtype) if dtype is not None else None
    if value is None:
        fields["null"] = expr_pb2.Null()
    elif isinstance(value, bool):
        fields["bool"] = value
    elif isinstance(value, numbers.Integral):
        fields.update(_integer(int(value), dtype is not None))
    elif isinstance(value, numbers.Real):
        fields["float64"] = float(value)
    elif isinstance(value, str):
        fields["string"] = value
    elif isinstance(value, _dt.datetime):
        unit = getattr(dtype, "time_unit", None) or "us"
        fields["datetime"] = _since_epoch(value, unit)
        if literal_dtype is None:
            zone = _time_zone(value) if value.tzinfo is not None else None
            literal_dtype = dtype_to_proto(pl.Datetime(unit, zone))  # type: ignore[arg-type]
    elif isinstance(value, _dt.date):
        fields["date"] = (value - _EPOCH_DATE).days
    elif isinstance(value, _dt.timedelta):
        fields["int64"] = (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
        literal_dtype = literal_dtype or dtype_to_proto(pl.Duration("us"))
    elif isinstance(value, _dt.time):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        fields["int64"] = seconds * 1_000_000_000 + value.microsecond * 1_000
        literal_dtype = literal_dtype or dtype_to_proto(pl.Time)
    else:
        raise NotImplementedError(
            f"Cannot build a literal of {type(value).__name__} as Polaroid sends only None, bool, int, float, str, date, datetime, time and timedelta literals"
        )
    literal = expr_pb2.Literal(**fields)
    if literal_dtype is not None:
        literal.dtype.CopyFrom(literal_dtype)
    return expr_pb2.Expr(literal=literal)


def _is_dtype(value: Any) -> bool:
    return isinstance(value, pl.DataType) or (isinstance(value, type) and issubclass(value, pl.DataType))


def arg_proto(value: Any) -> expr_pb2.Arg:
    """One argument of a server-side function: an expression, a data type, a plain value
    or a list of those."""
    if isinstance(value, ExprNode):
        return expr_pb2.Arg(expr=value.to_proto())
    if _is_dtype(value):
        return expr_pb2.Arg(dtype=dtype_to_proto(value))
    if value is None:
        return expr_pb2.Arg(null=expr_pb2.Null())
    if isinstance(value, bool):
        return expr_pb2.Arg(bool=value)
    if isinstance(value, numbers.Integral):
        number = int(value)
        if INT64_MIN <= number <= INT64_MAX:
            return expr_pb2.Arg(int=number)
        if number <= UINT64_MAX:
            return expr_pb2.Arg(uint=number)
        raise OverflowError(f"Cannot pass argument as it must fit in Int64 or UInt64: current value is {number}")
    if isinstance(value, numbers.Real):
        return expr_pb2.Arg(float=float(value))
    if isinstance(value, str):
        return expr_pb2.Arg(string=value)
    if isinstance(value, (list, tuple)):
        return expr_pb2.Arg(list=expr_pb2.ArgList(items=[arg_proto(v) for v in value]))
    raise TypeError(
        f"Cannot pass argument as it must be an Expr, a data type, a plain value or a list of those: current value is {value!r}"
    )


def call_proto(name: str, args: Iterable[Any] = (), options: Mapping[str, Any] | None = None) -> expr_pb2.Expr:
    """A call of the server-side function ``name`` (nodejs-polars' name, e.g. "str.contains");
    options whose value is None are left out (the server's default)."""
    call = expr_pb2.FunctionCall(name=name, args=[arg_proto(a) for a in args])
    for key, value in (options or {}).items():
        if value is not None:
            call.options[key].CopyFrom(arg_proto(value))
    return expr_pb2.Expr(function=call)


def value_list_dtype(values: Sequence[Any]) -> Any:
    """The data type of a list of plain values, as Python Polars infers it for ``is_in``
    (None when it cannot be told: the server then infers it)."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    if all(isinstance(v, bool) for v in present):
        return pl.Boolean
    if all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in present):
        return pl.UInt64 if any(int(v) > INT64_MAX for v in present) else pl.Int64
    if all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in present):
        return pl.Float64
    if all(isinstance(v, str) for v in present):
        return pl.String
    raise NotImplementedError(
        f"Cannot match values as a list must hold values of one kind (bool, int, float or str): current value is {list(values)[:5]!r}"
    )
