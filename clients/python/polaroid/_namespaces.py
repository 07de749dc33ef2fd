"""The ``Expr.str`` and ``Expr.dt`` namespaces, with Python Polars' method names and
defaults; each records a call of the server-side function of nodejs-polars' name
("str.contains", "dt.year", ...), sending every option explicitly.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any, Literal

from polaroid._encode import ExprNode
from polaroid._namespace_str_parse import StringParseOps

if TYPE_CHECKING:
    from polaroid.expr import Expr

__all__ = ["DateTimeNamespace", "StringNamespace"]


def _text_or_expr(what: str, value: Any) -> Any:
    if isinstance(value, (str, ExprNode)):
        return value
    raise TypeError(f"Cannot {what} as the argument must be a string or an Expr: current value is {value!r}")


def _duration(every: Any) -> Any:
    """A duration argument as Polars' duration language ("1d", "2h30m") or an Expr."""
    if isinstance(every, (str, ExprNode)):
        return every
    if isinstance(every, _dt.timedelta):
        parts = []
        if every.days:
            parts.append(f"{every.days}d")
        if every.seconds:
            parts.append(f"{every.seconds}s")
        if every.microseconds:
            parts.append(f"{every.microseconds}us")
        return "".join(parts) or "0us"
    raise TypeError(f"Cannot truncate as 'every' must be a string, a timedelta or an Expr: current value is {every!r}")


class StringNamespace(StringParseOps):
    """String functions of an expression (``expr.str``)."""

    __slots__ = ("_expr",)

    def __init__(self, expr: Expr) -> None:
        self._expr = expr

    def _call(self, method: str, args: list[Any] | None = None) -> Expr:
        return self._expr._call(f"str.{method}", args or [])

    def contains(self, pattern: str | Expr, *, literal: bool = False, strict: bool = True) -> Expr:
        """Whether each value matches the regex ``pattern`` (holds the substring when
        ``literal``); ``strict`` fails on an invalid regex."""
        return self._call("contains", [_text_or_expr("match", pattern), bool(literal), bool(strict)])

    def starts_with(self, prefix: str | Expr) -> Expr:
        """Whether each value starts with ``prefix`` (a literal string)."""
        return self._call("startsWith", [_text_or_expr("match", prefix)])

    def ends_with(self, suffix: str | Expr) -> Expr:
        """Whether each value ends with ``suffix`` (a literal string)."""
        return self._call("endsWith", [_text_or_expr("match", suffix)])

    def to_uppercase(self) -> Expr:
        """Each value in upper case."""
        return self._call("toUpperCase")

    def to_lowercase(self) -> Expr:
        """Each value in lower case."""
        return self._call("toLowerCase")

    def len_chars(self) -> Expr:
        """The number of characters of each value (UInt32)."""
        return self._call("lengths")

    def replace(self, pattern: str | Expr, value: str | Expr, *, literal: bool = False, n: int = 1) -> Expr:
        """Replaces the first ``n`` matches of ``pattern`` (a regex unless ``literal``)
        with ``value``."""
        if not literal and n != 1:
            raise NotImplementedError(
                "Cannot replace with a regex pattern and n != 1 as Polaroid does not support it yet (use literal=True or replace_all)"
            )
        return self._call(
            "replace", [_text_or_expr("replace", pattern), _text_or_expr("replace", value), bool(literal), int(n)]
        )

    def replace_all(self, pattern: str | Expr, value: str | Expr, *, literal: bool = False) -> Expr:
        """Replaces every match of ``pattern`` (a regex unless ``literal``) with ``value``."""
        return self._call(
            "replaceAll", [_text_or_expr("replace", pattern), _text_or_expr("replace", value), bool(literal)]
        )

    def strip_chars(self, characters: str | Expr | None = None) -> Expr:
        """Removes leading and trailing ``characters`` (whitespace when None)."""
        return self._call("stripChars", [characters])

    def slice(self, offset: int | Expr, length: int | Expr | None = None) -> Expr:
        """``length`` characters from ``offset`` (negative: from the end; None: to the end)."""
        return self._call("slice", [offset, length])


    def strip_chars_start(self, characters: str | Expr | None = None) -> Expr:
        """Removes leading ``characters`` (whitespace when None)."""
        return self._call("stripCharsStart", [characters])

    def strip_chars_end(self, characters: str | Expr | None = None) -> Expr:
        """Removes trailing ``characters`` (whitespace when None)."""
        return self._call("stripCharsEnd", [characters])

    def pad_start(self, length: int, fill_char: str = " ") -> Expr:
        """Each value padded at the start with ``fill_char`` to ``length`` characters."""
        return self._call("padStart", [_width(length), _fill_char(fill_char)])

    def pad_end(self, length: int, fill_char: str = " ") -> Expr:
        """Each value padded at the end with ``fill_char`` to ``length`` characters."""
        return self._call("padEnd", [_width(length), _fill_char(fill_char)])

    def zfill(self, length: int | Expr) -> Expr:
        """Each value padded with zeros at the start (after a sign) to ``length``."""
        return self._call("zFill", [length if isinstance(length, ExprNode) else _width(length)])

    def split(self, by: str | Expr, *, inclusive: bool = False) -> Expr:
        """Each value split at ``by`` into a list (keeping ``by`` at the end of each part
        when ``inclusive``)."""
        return self._call("split", [_text_or_expr("split", by), bool(inclusive)])

    def json_path_match(self, json_path: str) -> Expr:
        """The value at ``json_path`` in each JSON value (as a string)."""
        if not isinstance(json_path, str):
            raise TypeError(f"Cannot match a JSON path as it must be a string: current value is {json_path!r}")
        return self._call("jsonPathMatch", [json_path])

    def extract(self, pattern: str | Expr, group_index: int = 1) -> Expr:
        """The ``group_index``-th capture group of the first match of ``pattern``."""
        return self._call("extract", [_text_or_expr("extract", pattern), int(group_index)])


def _width(length: Any) -> int:
    if isinstance(length, bool) or not isinstance(length, int) or length < 0:
        raise ValueError(f"Cannot pad as 'length' must be a non-negative integer: current value is {length!r}")
    return length


def _fill_char(fill_char: Any) -> str:
    if not isinstance(fill_char, str) or len(fill_char) != 1:
        raise ValueError(f"Cannot pad as 'fill_char' must be one character: current value is {fill_char!r}")
    return fill_char


class DateTimeNamespace:
    """Temporal functions of an expression (``expr.dt``)."""

    __slots__ = ("_expr",)

    def __init__(self, expr: Expr) -> None:
        self._expr = expr

    def _call(self, method: str, args: list[Any] | None = None) -> Expr:
        return self._expr._call(f"dt.{method}", args or [])

    def year(self) -> Expr:
        """The year (Int32)."""
        return self._call("year")

    def month(self) -> Expr:
        """The month, 1 to 12 (Int8)."""
        return self._call("month")

    def day(self) -> Expr:
        """The day of the month, 1 to 31 (Int8)."""
        return self._call("day")

    def hour(self) -> Expr:
        """The hour, 0 to 23 (Int8)."""
        return self._call("hour")

    def minute(self) -> Expr:
        """The minute, 0 to 59 (Int8)."""
        return self._call("minute")

    def second(self, *, fractional: bool = False) -> Expr:
        """The second, 0 to 59 (Int8)."""
        if fractional:
            raise NotImplementedError("Cannot take fractional seconds as Polaroid does not support fractional=True yet")
        return self._call("second")

    def weekday(self) -> Expr:
        """The ISO weekday, Monday 1 to Sunday 7 (Int8)."""
        return self._call("weekday")

    def truncate(self, every: str | _dt.timedelta | Expr) -> Expr:
        """Each value moved to the start of its ``every`` bucket ("1h", "1d", "1mo", ...)."""
        return self._call("truncate", [_duration(every)])

    def strftime(self, format: str) -> Expr:
        """Each value formatted (chrono strftime syntax)."""
        return self._call("strftime", [format])

    def to_string(self, format: str) -> Expr:
        """Alias of ``strftime``."""
        return self.strftime(format)

    def convert_time_zone(self, time_zone: str) -> Expr:
        """The same instants shown in another time zone (a naive value is read as UTC)."""
        if not isinstance(time_zone, str) or not time_zone:
            raise TypeError(f"time_zone must be an IANA zone name: current value is {time_zone!r}")
        return self._call("convertTimeZone", [time_zone])

    def replace_time_zone(
        self,
        time_zone: str | None,
        *,
        ambiguous: Literal["raise", "earliest", "latest", "null"] | Expr = "raise",
        non_existent: Literal["raise", "null"] = "raise",
    ) -> Expr:
        """The same wall-clock times read in another time zone (None: naive); ``ambiguous``
        resolves a time that occurs twice, ``non_existent`` one that never occurs."""
        return self._call("replaceTimeZone", [time_zone, ambiguous, non_existent])

    def offset_by(self, by: str | Expr) -> Expr:
        """Each value moved by a duration ("1d", "-2h", "1mo"; calendar-aware)."""
        return self._call("offsetBy", [_text_or_expr("offset", by)])

    def epoch(self, time_unit: Literal["ns", "us", "ms", "s", "d"] = "us") -> Expr:
        """The time since the Unix epoch in ``time_unit``."""
        if time_unit not in ("ns", "us", "ms", "s", "d"):
            raise ValueError(f"time_unit must be one of ns, us, ms, s, d: current value is {time_unit!r}")
        return self._call("epoch", [time_unit])

    def quarter(self) -> Expr:
        """The quarter, 1 to 4 (Int8)."""
        return self._call("quarter")

    def ordinal_day(self) -> Expr:
        """The day of the year, 1 to 366 (Int16)."""
        return self._call("ordinalDay")

    def week(self) -> Expr:
        """The ISO week of the year, 1 to 53 (Int8)."""
        return self._call("week")

    def millisecond(self) -> Expr:
        """The milliseconds of the second (Int32)."""
        return self._call("millisecond")

    def microsecond(self) -> Expr:
        """The microseconds of the second (Int32)."""
        return self._call("microsecond")

    def nanosecond(self) -> Expr:
        """The nanoseconds of the second (Int32)."""
        return self._call("nanosecond")

    def cast_time_unit(self, time_unit: Literal["ns", "us", "ms"]) -> Expr:
        """The Datetime or Duration values in another unit."""
        if time_unit not in ("ns", "us", "ms"):
            raise ValueError(f"time_unit must be one of ns, us, ms: current value is {time_unit!r}")
        return self._call("castTimeUnit", [time_unit])

    def timestamp(self, time_unit: Literal["ns", "us", "ms"] = "us") -> Expr:
        """The time since the Unix epoch in ``time_unit`` (Int64)."""
        if time_unit not in ("ns", "us", "ms"):
            raise ValueError(f"time_unit must be one of ns, us, ms: current value is {time_unit!r}")
        return self._call("timestamp", [time_unit])

    def round(self, every: str | _dt.timedelta | Expr) -> Expr:
        """Each value rounded to the nearest multiple of ``every`` ("1h", "15m", ...)."""
        return self._call("round", [_duration(every)])
