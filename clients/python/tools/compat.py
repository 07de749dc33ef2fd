"""Measures the Python client against Python Polars' lazy API and writes docs/compat-python.md
(for people) and docs/compat-python.json (the last measured run, for --check and the tests).

Every public member of the installed Python Polars' ``LazyFrame``, ``LazyGroupBy``, ``Expr``
and Expr namespaces (``str``, ``dt``, ``list``, ``struct``, ``name``) gets one status:

- supported: ``polaroid`` has the member and its case in clients/python/tests/compat/ gives
  equal schemas and rows in-process and through Polaroid;
- fails: it has the member, but the case differs or raises (the difference is listed);
- untested: it has the member, without a case;
- missing: ``polaroid``'s class has no such attribute (a case may already be written);
- left out: it cannot be supported (LEFT_OUT in tests/compat/left_out.py says why).

Usage (from the repository root, with tools/python/.venv's Python: polars, grpcio, protobuf)::

    POLAROID_ENDPOINT=127.0.0.1:50051 python clients/python/tools/compat.py           # measure, write
    POLAROID_ENDPOINT=127.0.0.1:50051 python clients/python/tools/compat.py --check   # measure, compare
    python clients/python/tools/compat.py --recorded           # no cluster: the recorded outcomes
    python clients/python/tools/compat.py --recorded --check   # no cluster: exit 1 when stale

``--recorded`` takes each case's outcome from docs/compat-python.json instead of running it,
so it checks everything but the measure itself (members, client attributes, cases, reasons).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "clients" / "python"))

import polars as pl
from polars.lazyframe.group_by import LazyGroupBy

import polaroid as pr
from tests.compat.cases import CASES, LEFT_OUT, NOTES, member_of
from tests.compat.runner import REFUSED, BrokenCaseError, local_frames, remote_frames, run_case

COMPAT_MD = ROOT / "docs" / "compat-python.md"
COMPAT_JSON = ROOT / "docs" / "compat-python.json"

NAMESPACES = ("str", "dt", "list", "struct", "name")
STATUSES = ("supported", "fails", "untested", "missing", "left out")
MARK = {
    "supported": "✅ supported",
    "fails": "❌ fails",
    "untested": "⚠️ untested",
    "missing": "➖ missing",
    "left out": "🚫 left out",
}

Outcomes = dict[str, "str | None"]
"""Per case: None when it passed, else the difference."""


def _public(cls: type | None) -> set[str]:
    return set() if cls is None else {name for name in dir(cls) if not name.startswith("_")}


def classes() -> list[tuple[str, type, type | None]]:
    """(section, Python Polars class, the polaroid class or None) for every measured class."""
    out: list[tuple[str, type, type | None]] = [
        ("LazyFrame", pl.LazyFrame, pr.LazyFrame),
        ("LazyGroupBy", LazyGroupBy, pr.LazyGroupBy),
        ("Expr", pl.Expr, pr.Expr),
    ]
    for ns in NAMESPACES:
        theirs = getattr(pr.col("x"), ns, None)
        out.append((f"Expr.{ns}", type(getattr(pl.col("x"), ns)), None if theirs is None else type(theirs)))
    return out


@dataclass(frozen=True)
class Row:
    """One member of a section: its status and the note printed beside it."""

    member: str
    status: str
    note: str


def _variants(key: str) -> list[str]:
    return [case for case in CASES if case != key and member_of(case) == key]


def _row(key: str, member: str, in_client: bool, outcomes: Outcomes) -> Row:
    if key in LEFT_OUT:
        return Row(member, "left out", LEFT_OUT[key])
    note = NOTES.get(key, "")
    if not in_client:
        written = "a case is written" if key in CASES else ""
        return Row(member, "missing", "; ".join(n for n in (note, written) if n))
    if key not in CASES:
        return Row(member, "untested", note)
    cases = [key, *_variants(key)]
    unmeasured = [case for case in cases if case not in outcomes]
    if unmeasured:
        return Row(
            member, "fails", f"not measured yet: {', '.join(unmeasured)} (run tools/compat.py against a cluster)"
        )
    wrong = [case for case in cases if outcomes[case] is not None and (case == key or not _refused(outcomes[case]))]
    if wrong:
        return Row(member, "fails", " · ".join(_labelled(case, key, outcomes[case]) for case in wrong))
    refused = [case.split(":", 1)[1] for case in cases if outcomes[case] is not None]
    if refused:
        note = "; ".join(n for n in (note, f"refuses {', '.join(refused)} (see Refused variants)") if n)
    return Row(member, "supported", note)


def _refused(outcome: str | None) -> bool:
    return outcome is not None and outcome.startswith(REFUSED)


def _labelled(case: str, key: str, outcome: str | None) -> str:
    return str(outcome) if case == key else f"{case.split(':', 1)[1]}: {outcome}"


def matrix(outcomes: Outcomes) -> dict[str, list[Row]]:
    """Rows per section, sorted by member."""
    sections: dict[str, list[Row]] = {}
    known: set[str] = set()
    for section, theirs, ours in classes():
        have = _public(ours)
        rows = []
        for member in sorted(_public(theirs)):
            key = f"{section}.{member}"
            known.add(key)
            rows.append(_row(key, member, member in have, outcomes))
        sections[section] = rows
    stray = sorted(({member_of(case) for case in CASES} | set(LEFT_OUT) | set(NOTES)) - known)
    if stray:
        raise ValueError(f"Cannot place cases or reasons of members Python Polars {pl.__version__} lacks: {stray}")
    return sections


def measure(endpoint: str) -> Outcomes:
    """Runs every case in-process and against the cluster at ``endpoint``."""
    outcomes: Outcomes = {}
    broken: list[str] = []
    local = local_frames()
    tenant = os.environ.get("POLAROID_TENANT") or None
    with pr.connect(endpoint, tenant=tenant) as client, remote_frames(client) as remote:
        for key, case in CASES.items():
            try:
                outcomes[key] = run_case(case, local, remote)
            except BrokenCaseError as error:
                broken.append(f"{key}: {error}")
    if broken:
        raise SystemExit("Cannot measure: cases fail in-process with Python Polars:\n" + "\n".join(broken))
    return outcomes


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _percent(n: int, d: int) -> str:
    return "—" if d == 0 else f"{100 * n / d:.1f}%"


def render_markdown(sections: dict[str, list[Row]], outcomes: Outcomes) -> str:
    lines = [
        "# Compatibility of the Python client with Python Polars",
        "",
        "<!-- Generated by clients/python/tools/compat.py from Python Polars' classes, the",
        "     polaroid package and clients/python/tests/compat/; do not edit by hand.",
        "     It records the last run measured against a cluster (docs/compat-python.json).",
        "     Measure again: POLAROID_ENDPOINT=<compute> python clients/python/tools/compat.py",
        "     Check against a cluster: POLAROID_ENDPOINT=<compute> python clients/python/tools/compat.py --check",
        "     Check without one (recorded outcomes): python clients/python/tools/compat.py --recorded --check -->",
        "",
        f"Every public member of Python Polars {pl.__version__}'s `LazyFrame`, `LazyGroupBy` and `Expr`,",
        "and of the Expr namespaces `str`, `dt`, `list`, `struct` and `name`, and whether the",
        "`polaroid` client has it.",
        "",
        "- **supported**: `polaroid` has the member, and its case in `clients/python/tests/compat/`",
        "  runs one query text in-process with Python Polars and through Polaroid, with equal",
        "  schemas and rows (`polars.testing.assert_frame_equal`, after sorting where the row",
        "  order is undefined); so does each variant case (`<member>:<variant>`, an option or",
        "  another form) that Polaroid does not refuse (see Refused variants at the end).",
        "- **fails**: `polaroid` has the member, but its plain case differs (`differs:`, Polaroid's",
        "  result is `left` and Python Polars' `right`), raises (`raised:`) or is refused",
        "  (`refused:`), or a variant (`<variant>:`) differs or raises other than by a refusal.",
        "- **untested**: `polaroid` has the member, without a case yet.",
        "- **missing**: `polaroid` has no such attribute (yet).",
        "- **left out**: it cannot be supported; the note says why.",
        "",
    ]
    everything = [row for rows in sections.values() for row in rows]
    supported = sum(1 for row in everything if row.status == "supported")
    left_out = sum(1 for row in everything if row.status == "left out")
    lines += [
        (
            f"**{supported} of {len(everything)} members supported ({_percent(supported, len(everything))});"
            f" {supported} of the {len(everything) - left_out} that are not left out"
            f" ({_percent(supported, len(everything) - left_out)}).**"
        ),
        "",
        "| Python Polars | members | " + " | ".join(STATUSES) + " | share | share of not left out |",
        "|---|---:|" + "---:|" * len(STATUSES) + "---:|---:|",
    ]
    for section, rows in sections.items():
        counts = {s: sum(1 for row in rows if row.status == s) for s in STATUSES}
        lines.append(
            f"| `{section}` | {len(rows)} | "
            + " | ".join(str(counts[s]) for s in STATUSES)
            + f" | {_percent(counts['supported'], len(rows))}"
            + f" | {_percent(counts['supported'], len(rows) - counts['left out'])} |"
        )
    for section, rows in sections.items():
        lines += ["", f"## {section}", "", "| member | status | note |", "|---|---|---|"]
        lines += [f"| `{row.member}` | {MARK[row.status]} | {_cell(row.note)} |" for row in rows]
    lines += [
        "",
        "## Refused variants",
        "",
        "Cases named `<member>:<variant>` run a supported member with an option or a form other than",
        "its plain one. Polaroid refuses these (a NotImplementedError naming the option, as the",
        "client promises, rather than a different answer); a refused variant alone does not make",
        "its member fail.",
        "",
        "| case | refusal |",
        "|---|---|",
    ]
    lines += [f"| `{case}` | {_cell(text[len(REFUSED) :])} |" for case, text in refused_variants(sections, outcomes)]
    return "\n".join(lines) + "\n"


def refused_variants(sections: dict[str, list[Row]], outcomes: Outcomes) -> list[tuple[str, str]]:
    """(case, refusal) for the refused variants of the members the client has, sorted."""
    have = {
        f"{section}.{row.member}"
        for section, rows in sections.items()
        for row in rows
        if row.status in ("supported", "fails")
    }
    return [
        (case, outcome)
        for case, outcome in sorted(outcomes.items())
        if outcome is not None and _refused(outcome) and ":" in case and member_of(case) in have
    ]


def render_json(sections: dict[str, list[Row]], outcomes: Outcomes) -> str:
    record: dict[str, Any] = {
        "polars": pl.__version__,
        "members": {
            f"{section}.{row.member}": {"status": row.status, "note": row.note}
            for section, rows in sections.items()
            for row in rows
        },
        "cases": {key: outcomes[key] for key in sorted(outcomes) if key in CASES},
    }
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"


def recorded_outcomes() -> Outcomes:
    """The outcomes of the last measured run (docs/compat-python.json), if any."""
    try:
        cases = json.loads(COMPAT_JSON.read_text())["cases"]
    except FileNotFoundError:
        return {}
    return {key: value for key, value in cases.items()}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files; exit 1 when stale")
    parser.add_argument("--recorded", action="store_true", help="take outcomes from docs/compat-python.json")
    args = parser.parse_args(argv)
    if args.recorded:
        outcomes = recorded_outcomes()
    else:
        endpoint = os.environ.get("POLAROID_ENDPOINT", "").strip()
        if not endpoint:
            print("POLAROID_ENDPOINT is not set: start a cluster, or pass --recorded", file=sys.stderr)
            return 2
        started = time.monotonic()
        outcomes = measure(endpoint)
        print(f"ran {len(outcomes)} cases in {time.monotonic() - started:.1f}s", file=sys.stderr)
    sections = matrix(outcomes)
    files = {COMPAT_MD: render_markdown(sections, outcomes), COMPAT_JSON: render_json(sections, outcomes)}
    if args.check:
        stale = [path for path, text in files.items() if not path.exists() or path.read_text() != text]
        for path in stale:
            print(
                f"stale: {path.relative_to(ROOT)} (run clients/python/tools/compat.py against a cluster)",
                file=sys.stderr,
            )
        return 1 if stale else 0
    for path, text in files.items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
