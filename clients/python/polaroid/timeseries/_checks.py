"""Argument checks of the time-series and finance operations, refused before a plan is
built: TypeError for a wrong type or an unknown choice, ValueError for a number out of
range, each naming the argument (the TypeScript SDK's RangeError is Python's ValueError).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["choice", "column", "columns", "fail", "fixed_duration", "integer", "real", "shortest_duration"]


def shown(value: Any) -> str:
    """``value`` as the messages show it (JSON where possible)."""
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


def fail(what: str, name: str, must: str, value: Any) -> TypeError:
    """The TypeError of argument ``name`` of ``what``."""
    return TypeError(f"Cannot {what} as '{name}' must be {must}: current value is {shown(value)}")


def column(what: str, name: str, value: Any) -> str:
    """A non-empty column name."""
    if not isinstance(value, str) or not value:
        raise fail(what, name, "a column name", value)
    return value


def columns(what: str, name: str, value: Any, *, allow_empty: bool = False) -> list[str]:
    """A column name or a list of them (None: none)."""
    if value is None:
        items: list[Any] = []
    elif isinstance(value, str):
        items = [value]
    elif isinstance(value, Sequence):
        items = list(value)
    else:
        raise fail(what, name, "a column name or a list of them", value)
    if not items and not allow_empty:
        raise fail(what, name, "a non-empty list of column names", value)
    for item in items:
        if not isinstance(item, str) or not item:
            raise fail(what, name, "a column name or a list of them", value)
    return items


def choice(what: str, name: str, value: Any, allowed: Sequence[str]) -> str:
    """One of ``allowed``."""
    if not isinstance(value, str) or value not in allowed:
        raise fail(what, name, f"one of {', '.join(allowed)}", value)
    return value


def integer(what: str, name: str, value: Any, low: int, high: int = 2**32 - 1) -> int:
    """An integer in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"Cannot {what} as '{name}' must be an integer: current value is {shown(value)}")
    if not low <= value <= high:
        raise ValueError(f"Cannot {what} as '{name}' must be an integer in [{low}, {high}]: current value is {value}")
    return value


def real(what: str, name: str, value: Any, must: str, ok: Callable[[float], bool]) -> float:
    """A finite number for which ``ok`` holds."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"Cannot {what} as '{name}' must be a number: current value is {shown(value)}")
    if not math.isfinite(value) or not ok(value):
        raise ValueError(f"Cannot {what} as '{name}' must be {must}: current value is {value}")
    return value


_FIXED_NS = {"ns": 1, "us": 1_000, "ms": 1_000_000, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9, "d": 86400 * 10**9, "w": 604800 * 10**9}
_FIXED = re.compile(r"^(\d+(ns|us|ms|s|m|h|d|w))+$")


def fixed_duration(what: str, name: str, value: Any) -> int:
    """A fixed (not calendar) positive duration ("30s", "5m", "1d"), in nanoseconds."""
    if not isinstance(value, str) or not _FIXED.match(value):
        raise fail(what, name, 'a fixed duration such as "30s", "5m", "1h" or "1d"', value)
    total = sum(int(n) * _FIXED_NS[unit] for n, unit in re.findall(r"(\d+)(ns|us|ms|s|m|h|d|w)", value))
    if total <= 0 or total > 2**53 - 1:
        raise fail(what, name, "a positive duration", value)
    return total


_HOUR = 3_600_000_000_000
_DAY = 24 * _HOUR
#: The shortest length of each duration unit (calendar units in a zone with DST), in ns.
_SHORTEST = {
    "ns": 1,
    "us": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": _HOUR,
    "d": _DAY - _HOUR,
    "w": 7 * _DAY - _HOUR,
    "mo": 28 * _DAY - _HOUR,
    "q": 89 * _DAY - _HOUR,
    "y": 365 * _DAY - _HOUR,
    "i": 1,
}
_PART = re.compile(r"^(\d+)(ns|us|µs|ms|mo|s|m|h|d|w|q|y|i)")


def shortest_duration(what: str, name: str, value: Any) -> int:
    """The shortest length in nanoseconds of a positive duration such as "1d12h" or "10i"."""
    must = 'a positive duration such as "1m", "1d2h" or "10i"'
    if not isinstance(value, str) or not value:
        raise fail(what, name, must, value)
    rest = re.sub(r"_saturating$", "", value)
    integer_index = re.fullmatch(r"\d+i", rest) is not None
    total = 0
    while rest:
        m = _PART.match(rest)
        if m is None or (m.group(2) == "i") != integer_index:
            raise fail(what, name, must, value)
        unit = "us" if m.group(2) == "µs" else m.group(2)
        total += int(m.group(1)) * _SHORTEST[unit]
        rest = rest[m.end() :]
    if total <= 0:
        raise fail(what, name, "a positive duration", value)
    return total
