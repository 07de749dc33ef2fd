"""The parsing, encoding and affix members of ``expr.str`` (``strptime``, ``to_date``,
``to_datetime``, ``json_decode``, ``encode``, ``decode``, ``strip_prefix``, ``strip_suffix``,
``head``, ``tail``), with Python Polars' names and defaults sent explicitly. Parsing and
encoding call the server's functions of nodejs-polars' names ("str.strptime",
"str.jsonDecode", ...); the affix members are built from ``starts_with``/``ends_with`` and
``slice``. Mixed into StringNamespace (_namespaces.py).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from polaroid._encode import ExprNode

if TYPE_CHECKING:
    from polaroid.expr import Expr

__all__ = ["StringParseOps"]

Ambiguous = Literal["raise", "earliest", "latest", "null"]
_FRACTION = re.compile(r"%\.?\d?f")
TimeUnit = Literal["ns", "us", "ms"]
_UNIT_OF_FRACTION: dict[str, TimeUnit] = {"%.3f": "ms", "%3f": "ms", "%.6f": "us", "%6f": "us", "%.9f": "ns", "%9f": "ns"}


def _plain(what: str, value: Any) -> Any:
    if isinstance(value, ExprNode):
        raise NotImplementedError(f"Cannot {what} with an expression as Polaroid takes a plain value here yet")
    return value


def _time_unit(format: str | None) -> TimeUnit:
    """The time unit Python Polars infers from ``format`` when none is given."""
    fractions = _FRACTION.findall(format or "")
    if not fractions:
        return "us"
    unit = _UNIT_OF_FRACTION.get(fractions[0])
    if unit is None:
        raise NotImplementedError(
            f"Cannot parse datetimes with format={format!r} and no time_unit as Polaroid cannot infer the unit of {fractions[0]!r} yet: give time_unit"
        )
    return unit


class StringParseOps:
    """Mixin of StringNamespace: parsing, encoding and affixes."""

    __slots__ = ()
    _expr: Expr

    def _parse(self, dtype: Any, format: str | None, options: dict[str, Any]) -> Expr:
        args: list[Any] = [dtype] if format is None else [dtype, format]
        return self._expr._call("str.strptime", args, options)

    def strptime(
        self,
        dtype: Any,
        format: str | None = None,
        *,
        strict: bool = True,
        exact: bool = True,
        cache: bool = True,
        ambiguous: Ambiguous | Expr = "raise",
    ) -> Expr:
        """The strings parsed as ``dtype`` (Date or Datetime) with the chrono ``format``
        (inferred when None); ``strict`` fails on a value that does not parse (else null),
        ``exact`` requires the format to match the whole string."""
        if dtype == pl.Date:
            return self.to_date(format, strict=strict, exact=exact, cache=cache)
        if dtype == pl.Datetime:
            unit = getattr(dtype, "time_unit", None)
            zone = getattr(dtype, "time_zone", None)
            return self.to_datetime(
                format, time_unit=unit, time_zone=zone, strict=strict, exact=exact, cache=cache, ambiguous=ambiguous
            )
        raise NotImplementedError(f"Cannot parse strings as {dtype} as Polaroid parses Date and Datetime only yet")

    def to_date(self, format: str | None = None, *, strict: bool = True, exact: bool = True, cache: bool = True) -> Expr:
        """The strings parsed as dates with the chrono ``format`` (inferred when None)."""
        return self._parse(pl.Date(), format, {"strict": bool(strict), "exact": bool(exact), "cache": bool(cache)})

    def to_datetime(
        self,
        format: str | None = None,
        *,
        time_unit: TimeUnit | None = None,
        time_zone: str | None = None,
        strict: bool = True,
        exact: bool = True,
        cache: bool = True,
        ambiguous: Ambiguous | Expr = "raise",
    ) -> Expr:
        """The strings parsed as datetimes with the chrono ``format`` (inferred when None), in
        ``time_unit`` (from the format's fraction, else microseconds) and ``time_zone``."""
        dtype = pl.Datetime(time_unit or _time_unit(format), time_zone)
        options = {"strict": bool(strict), "exact": bool(exact), "cache": bool(cache), "ambiguous": ambiguous}
        return self._parse(dtype, format, options)

    def json_decode(self, dtype: Any = None, *, infer_schema_length: int | None = 100) -> Expr:
        """Each JSON string decoded as ``dtype`` (required here: the server does not infer it)."""
        if dtype is None:
            raise NotImplementedError("Cannot decode JSON without 'dtype' as Polaroid does not infer the type yet")
        return self._expr._call("str.jsonDecode", [dtype])

    def encode(self, encoding: Literal["hex", "base64"]) -> Expr:
        """Each string encoded as ``"hex"`` or ``"base64"`` text."""
        return self._expr._call("str.encode", [encoding])

    def decode(self, encoding: Literal["hex", "base64"], *, strict: bool = True) -> Expr:
        """Each ``"hex"`` or ``"base64"`` string decoded to bytes; ``strict`` fails on an
        invalid one (else null)."""
        return self._expr._call("str.decode", [encoding, bool(strict)])

    def strip_prefix(self, prefix: str | Expr) -> Expr:
        """Each string without ``prefix`` (a literal) where it starts with it."""
        from polaroid.functions import when

        text = _plain("strip a prefix", prefix)
        return when(self._expr.str.starts_with(text)).then(self._expr.str.slice(len(text))).otherwise(self._expr)

    def strip_suffix(self, suffix: str | Expr) -> Expr:
        """Each string without ``suffix`` (a literal) where it ends with it."""
        from polaroid.functions import when

        text = _plain("strip a suffix", suffix)
        if not text:
            return self._expr
        kept = (self._expr.str.len_chars().cast(pl.Int64) - len(text)).clip(0)
        return when(self._expr.str.ends_with(text)).then(self._expr.str.slice(0, kept)).otherwise(self._expr)

    def head(self, n: int | Expr) -> Expr:
        """The first ``n`` characters (all but the last ``-n`` when negative)."""
        count = _plain("take the first characters", n)
        if count >= 0:
            return self._expr.str.slice(0, count)
        return self._expr.str.slice(0, (self._expr.str.len_chars().cast(pl.Int64) + count).clip(0))

    def tail(self, n: int | Expr) -> Expr:
        """The last ``n`` characters (all but the first ``-n`` when negative)."""
        count = _plain("take the last characters", n)
        return self._expr.str.slice(-count) if count != 0 else self._expr.str.slice(0, 0)
