"""The table of compatibility cases, keyed by Python Polars member ("LazyFrame.filter",
"Expr.str.to_uppercase"), and the members left out with their reasons.

A member's key runs its plain form; a key with a suffix after a colon ("Expr.first:ignore_nulls",
"LazyFrame.join:cross") runs the same member with an option or variant. Polaroid may refuse
a variant (NotImplementedError naming the option) and still support the member.

Each case is ONE query text: ``query(pl_or_pr, frames)`` runs with ``polars`` on the
in-process fixtures and with ``polaroid`` on the same fixtures uploaded to a cluster
(tests/compat/runner.py); equal schemas and rows mean the member is supported.
"""

from __future__ import annotations

from tests.compat.case import Case, Query, as_case
from tests.compat.cases_dt import DT
from tests.compat.cases_expr import AGGREGATIONS, MATH, OPERATORS, PREDICATES, VALUES
from tests.compat.cases_expr_series import BINNING, CUMULATIVE, NAMESPACES, ORDER, WINDOWS
from tests.compat.cases_frame import LAZYFRAME, LAZYGROUPBY
from tests.compat.cases_list import LIST
from tests.compat.cases_str import STR
from tests.compat.cases_struct_name import NAME, STRUCT
from tests.compat.left_out import LEFT_OUT, NOTES

_TABLES: tuple[dict[str, Query | Case], ...] = (
    LAZYFRAME,
    LAZYGROUPBY,
    OPERATORS,
    MATH,
    AGGREGATIONS,
    PREDICATES,
    VALUES,
    ORDER,
    CUMULATIVE,
    WINDOWS,
    BINNING,
    NAMESPACES,
    STR,
    DT,
    LIST,
    STRUCT,
    NAME,
)


def _merge() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for table in _TABLES:
        for key, value in table.items():
            if key in cases:
                raise ValueError(f"Cannot register case '{key}' twice")
            if member_of(key) in LEFT_OUT:
                raise ValueError(f"Cannot have a case for '{key}': it is left out ({LEFT_OUT[member_of(key)]})")
            cases[key] = as_case(value)
    plain = [key for key in cases if member_of(key) not in cases]
    if plain:
        raise ValueError(f"Cannot run a variant without its member's plain case: {plain}")
    return dict(sorted(cases.items()))


def member_of(key: str) -> str:
    """The member a case key runs: "Expr.first:ignore_nulls" runs "Expr.first"."""
    return key.split(":", 1)[0]


CASES: dict[str, Case] = _merge()
"""Every case, sorted by member."""

__all__ = ["CASES", "LEFT_OUT", "NOTES", "Case", "member_of"]
