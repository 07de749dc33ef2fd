"""What a compatibility case is: ONE query text, written against Python Polars' API, that
runs unchanged in-process (``polars`` and ``polars.LazyFrame`` fixtures) and through Polaroid
(``polaroid`` and the fixtures uploaded with ``client.from_polars``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any


@dataclass(frozen=True)
class Frames:
    """The fixture frames, lazily: ``polars.LazyFrame`` in-process, ``polaroid.LazyFrame``
    remotely (tests/compat/fixtures.py)."""

    mixed: Any
    left: Any
    right: Any


Query = Callable[[ModuleType, Frames], Any]
"""``query(pl_or_pr, frames)`` returns a lazy frame (collected by the runner) or a
``polars.DataFrame`` (for members that collect, such as ``collect`` or ``describe``)."""


@dataclass(frozen=True)
class Case:
    """A query, and the columns to sort both results by before comparing when the member
    leaves the row order open (``group_by``, ``unique``, joins)."""

    query: Query
    sort_by: tuple[str, ...] = ()


def unordered(query: Query, *by: str) -> Case:
    """A case whose row order is undefined: both results are sorted by ``by`` first."""
    return Case(query, tuple(by))


def as_case(value: Query | Case) -> Case:
    """A table entry as a Case (a bare query keeps the row order)."""
    return value if isinstance(value, Case) else Case(value)
