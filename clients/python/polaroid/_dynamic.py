"""Python Polars' dynamic literals on a server without them.

In Python Polars a plain ``1`` or ``1.5`` is a *dynamic* literal: next to a column it takes
the column's type (``col("int8") + 1`` is Int8, ``col("f32") * 2`` is Float32), alone it is
Int32 (Int64 beyond) or Float64. The server builds every literal with a fixed type, so the
client gives each dynamic literal the type Python Polars would, from the input's schema:

- an int next to an integer column: the smallest integer type holding it (unsigned when the
  column is and the value is not negative), which the engine's supertype rules then combine
  with the column's, exactly as Python Polars; next to a float column: the column's type;
- a float next to a Float32 column: Float32;
- alone or next to anything else: Int32 (ints in its range, else Int64/UInt64) or Float64.

Dynamic literals are those the client encodes without a dtype (``lit(1)``, ``col("a") + 1``);
``lit(1, dtype=...)`` is never touched. Only literals whose partner is a plain column (a
binary operator, ``fill_null``, the values of ``when/then/otherwise``) are typed this way;
``pow`` with an integer exponent needs a float column receiver (NotImplementedError
otherwise, as the server's power is always a float).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import polars as pl
from google.protobuf.message import Message

from polaroid._gen.polaroid.v1 import expr_pb2
from polaroid.datatypes import dtype_to_proto

__all__ = ["has_sites", "type_literals"]

_SIGNED = [(pl.Int8, 2**7), (pl.Int16, 2**15), (pl.Int32, 2**31), (pl.Int64, 2**63)]
_UNSIGNED = [(pl.UInt8, 2**8), (pl.UInt16, 2**16), (pl.UInt32, 2**32), (pl.UInt64, 2**64)]
_INTS = {pl.Int8, pl.Int16, pl.Int32, pl.Int64}
_UINTS = {pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64}
_FLOATS = {pl.Float32, pl.Float64}


def _dynamic(expr: expr_pb2.Expr) -> int | float | None:
    """The value of a dynamic number literal, else None."""
    if expr.WhichOneof("kind") != "literal" or expr.literal.HasField("dtype"):
        return None
    case = expr.literal.WhichOneof("value")
    if case in ("int32", "int64", "uint64", "float64"):
        value: int | float = getattr(expr.literal, case)
        return value
    return None


def _column(expr: expr_pb2.Expr) -> str | None:
    """The name of a plain column reference (not "*" nor a regex), else None."""
    if expr.WhichOneof("kind") != "column":
        return None
    name = expr.column.name
    return None if name == "*" or (name.startswith("^") and name.endswith("$")) else name


def _literal_dtype(value: int | float, partner: Any) -> Any:
    """The type Python Polars gives a dynamic literal next to a column of ``partner`` type
    (None: keep the default)."""
    base = partner.base_type() if isinstance(partner, pl.DataType) else partner
    if isinstance(value, float):
        return pl.Float32 if base is pl.Float32 else None
    if base in _FLOATS:
        return base
    if base in _INTS or base in _UINTS:
        if value >= 0 and base in _UINTS:
            return next((t for t, bound in _UNSIGNED if value < bound), None)
        return next((t for t, bound in _SIGNED if -bound <= value < bound), pl.UInt64)
    return None


def _sites(expr: expr_pb2.Expr) -> Iterator[tuple[str, list[expr_pb2.Expr], list[expr_pb2.Expr]]]:
    """(kind, literal operands, column operands) of each place a dynamic literal meets a
    column, in ``expr`` and below."""
    kind = expr.WhichOneof("kind")
    if kind == "binary":
        sides = [expr.binary.left, expr.binary.right]
        yield "op", [s for s in sides if _dynamic(s) is not None], [s for s in sides if _column(s)]
    elif kind == "when":
        values = [b.then for b in expr.when.branches]
        if expr.when.HasField("otherwise"):
            values.append(expr.when.otherwise)
        yield "op", [v for v in values if _dynamic(v) is not None], [v for v in values if _column(v)]
    elif kind == "function" and expr.function.name in ("fillNull", "pow") and len(expr.function.args) == 2:
        receiver, arg = expr.function.args
        if expr.function.name == "fillNull" and arg.HasField("expr") and _dynamic(arg.expr) is not None:
            yield "op", [arg.expr], [receiver.expr] if _column(receiver.expr) else []
        elif expr.function.name == "pow" and arg.WhichOneof("value") == "int":
            yield "pow", [], [receiver.expr]
    for child in _children(expr):
        yield from _sites(child)


def _children(message: Message) -> Iterator[expr_pb2.Expr]:
    """Every Expr directly below ``message`` (through nested messages and lists)."""
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if isinstance(value, Message):
            items = [value]
        elif field.message_type.GetOptions().map_entry:
            items = [v for v in value.values() if isinstance(v, Message)]
        else:
            items = list(value)
        for item in items:
            if isinstance(item, expr_pb2.Expr):
                yield item
            else:
                yield from _children(item)


def has_sites(exprs: list[expr_pb2.Expr]) -> bool:
    """Whether typing the literals of ``exprs`` needs the input's schema."""
    return any(kind == "pow" or (literals and columns) for e in exprs for kind, literals, columns in _sites(e))


def type_literals(exprs: list[expr_pb2.Expr], schema: pl.Schema) -> list[expr_pb2.Expr]:
    """Copies of ``exprs`` with their dynamic literals typed as Python Polars types them."""
    out = []
    for original in exprs:
        expr = expr_pb2.Expr()
        expr.CopyFrom(original)
        for kind, literals, columns in _sites(expr):
            names = [_column(c) for c in columns]
            types = [schema.get(n) for n in names if n is not None]
            if kind == "pow":
                if not (types and types[0] is not None and types[0].base_type() in _FLOATS):
                    raise NotImplementedError(
                        "Cannot raise to an integer power unless the base is a float column, as the server's power is "
                        "always a float: use a float exponent (** 2.0) or cast the base"
                    )
                continue
            partner = next((t for t in types if t is not None), None)
            if partner is None:
                continue
            for literal in literals:
                value = _dynamic(literal)
                target = _literal_dtype(value, partner) if value is not None else None
                if target is not None:
                    literal.literal.dtype.CopyFrom(dtype_to_proto(target))
        out.append(expr)
    return out
