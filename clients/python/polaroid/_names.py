"""The ``Expr.name`` namespace, with Python Polars' method names. Python Polars renames the
*output* name of an expression (an alias included; ``keep`` takes the root column's name);
the client tells that name from the expression itself, as Python Polars names outputs, and
sends an alias. An expression whose name depends on the frame (``col("*")``, a regex, a
column selection by type) raises NotImplementedError.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from polaroid._gen.polaroid.v1 import expr_pb2

if TYPE_CHECKING:
    from polaroid.expr import Expr

__all__ = ["NameNamespace", "output_name", "root_name"]

# Functions whose output is named after something other than their receiver.
_OWN_NAMES = {"pl.intRange": "literal", "pl.intRanges": "literal", "pl.element": ""}


def root_name(node: expr_pb2.Expr) -> str | None:
    """The name of the leftmost column an expression reads (None when it reads none, or
    when the name depends on the frame)."""
    kind = node.WhichOneof("kind")
    if kind == "column":
        name = node.column.name
        return None if name == "*" or (name.startswith("^") and name.endswith("$")) else name
    if kind == "literal":
        return "literal"
    if kind == "len":
        return "len"
    if kind == "alias":
        return root_name(node.alias.input)
    if kind == "binary":
        return root_name(node.binary.left)
    if kind == "unary":
        return root_name(node.unary.input)
    if kind == "aggregate":
        return root_name(node.aggregate.input)
    if kind == "cast":
        return root_name(node.cast.input)
    if kind == "when":
        return root_name(node.when.branches[0].then) if node.when.branches else None
    if kind == "function":
        call = node.function
        if call.name in _OWN_NAMES or not call.args or call.args[0].WhichOneof("value") != "expr":
            return None
        return root_name(call.args[0].expr)
    return None


def output_name(node: expr_pb2.Expr) -> str | None:
    """The name Python Polars gives the expression's output: its alias, else its root
    column's name (None when the frame decides it)."""
    if node.WhichOneof("kind") == "alias":
        return node.alias.name
    return root_name(node)


class NameNamespace:
    """Output-name functions of an expression (``expr.name``)."""

    __slots__ = ("_expr",)

    def __init__(self, expr: Expr) -> None:
        self._expr = expr

    def _rename(self, what: str, name_of: Callable[[expr_pb2.Expr], str | None], fn: Callable[[str], str]) -> Expr:
        from polaroid.expr import Expr

        out: list[expr_pb2.Expr] = []
        for proto in self._expr._protos:
            name = name_of(proto)
            if name is None:
                raise NotImplementedError(
                    f"Cannot {what} as Polaroid tells output names on the client and this expression's name depends on the frame (a wildcard, regex or type selection)"
                )
            inner = proto.alias.input if proto.WhichOneof("kind") == "alias" else proto
            new_name = fn(name)
            if not isinstance(new_name, str):
                raise TypeError(f"Cannot {what} as the new name must be a string: current value is {new_name!r}")
            out.append(expr_pb2.Expr(alias=expr_pb2.Alias(input=inner, name=new_name)))
        return Expr(out)

    def keep(self) -> Expr:
        """The output named after the root column (undoing aliases)."""
        return self._rename("keep the name", root_name, lambda name: name)

    def map(self, function: Callable[[str], str]) -> Expr:
        """The output renamed by ``function`` of its name."""
        return self._rename("map the name", output_name, function)

    def prefix(self, prefix: str) -> Expr:
        """The output name with ``prefix`` in front."""
        return self._rename("prefix the name", output_name, lambda name: f"{prefix}{name}")

    def suffix(self, suffix: str) -> Expr:
        """The output name with ``suffix`` after it."""
        return self._rename("suffix the name", output_name, lambda name: f"{name}{suffix}")

    def to_lowercase(self) -> Expr:
        """The output name in lower case."""
        return self._rename("lowercase the name", output_name, str.lower)

    def to_uppercase(self) -> Expr:
        """The output name in upper case."""
        return self._rename("uppercase the name", output_name, str.upper)

    def strip_prefix(self, prefix: str) -> Expr:
        """The output name without a leading ``prefix``."""
        return self._rename("strip a prefix", output_name, lambda name: name.removeprefix(prefix))

    def strip_suffix(self, suffix: str) -> Expr:
        """The output name without a trailing ``suffix``."""
        return self._rename("strip a suffix", output_name, lambda name: name.removesuffix(suffix))

    def replace(self, pattern: str, value: str, *, literal: bool = False) -> Expr:
        """The output name with every match of ``pattern`` (a regex unless ``literal``)
        replaced by ``value`` (``$1``, ``${name}`` refer to groups)."""
        if literal:
            return self._rename("replace in the name", output_name, lambda name: name.replace(pattern, value))
        compiled = re.compile(pattern)
        template = re.sub(r"\$\{(\w+)\}|\$(\d+)", lambda m: f"\\g<{m.group(1) or m.group(2)}>", value.replace("\\", "\\\\"))
        return self._rename("replace in the name", output_name, lambda name: compiled.sub(template, name))
