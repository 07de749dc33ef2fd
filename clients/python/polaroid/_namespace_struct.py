"""The ``Expr.struct`` namespace, with Python Polars' method names; each records a call of
the server-side function of nodejs-polars' name ("struct.field", ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from polaroid.expr import Expr

__all__ = ["StructNamespace"]


class StructNamespace:
    """Struct functions of an expression (``expr.struct``)."""

    __slots__ = ("_expr",)

    def __init__(self, expr: Expr) -> None:
        self._expr = expr

    def _call(self, method: str, args: list[Any] | None = None) -> Expr:
        return self._expr._call(f"struct.{method}", args or [])

    def field(self, name: str | list[str], *more_names: str) -> Expr:
        """The field ``name`` of each struct, as a column of that name (several names: one
        column each)."""
        from polaroid.expr import Expr

        names = [*(name if isinstance(name, list) else [name]), *more_names]
        if not names or not all(isinstance(n, str) for n in names):
            raise TypeError(f"Cannot take a struct field as names must be strings: current value is {names!r}")
        if any(n == "*" or (n.startswith("^") and n.endswith("$")) for n in names):
            raise NotImplementedError("Cannot take struct fields by wildcard or regex as Polaroid takes field names only yet")
        return Expr([p for n in names for p in self._call("field", [n])._protos])

    def json_encode(self) -> Expr:
        """Each struct as a JSON object (String)."""
        return self._call("jsonEncode")

    def rename_fields(self, names: Sequence[str]) -> Expr:
        """The struct with its fields renamed, in order, to ``names``."""
        items = list(names)
        if not all(isinstance(n, str) for n in items):
            raise TypeError(f"Cannot rename struct fields as names must be strings: current value is {items!r}")
        return self._call("renameFields", [items])
