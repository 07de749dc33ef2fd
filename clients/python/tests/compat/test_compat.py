"""Compatibility cases against a running cluster (POLAROID_ENDPOINT; skipped when unset): every
case in tests/compat/ runs in-process with Python Polars and through Polaroid, and must give
equal schemas and rows, except where docs/compat-python.md records it failing: those run
too, as strict xfails, so a case that starts passing fails until the matrix is measured again
(clients/python/tools/compat.py). Without a cluster, the matrix is checked against the
outcomes it records (members, client attributes, cases and reasons)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import polaroid as pr
from tests.compat.case import Frames
from tests.compat.cases import CASES
from tests.compat.runner import local_frames, remote_frames, run_case

ROOT = Path(__file__).resolve().parents[4]
COMPAT_JSON = ROOT / "docs" / "compat-python.json"
TOOL = ROOT / "clients" / "python" / "tools" / "compat.py"
MEASURE = "measure again: POLAROID_ENDPOINT=<compute> python clients/python/tools/compat.py"


def _recorded() -> dict[str, str | None]:
    try:
        cases: dict[str, str | None] = json.loads(COMPAT_JSON.read_text())["cases"]
    except FileNotFoundError:
        return {}
    return cases


RECORDED = _recorded()


@pytest.fixture(scope="module")
def frames(client: pr.Client) -> Iterator[tuple[Frames, Frames]]:
    with remote_frames(client) as remote:
        yield local_frames(), remote


@pytest.mark.integration
@pytest.mark.parametrize("member", sorted(CASES))
def test_case_matches_python_polars(member: str, frames: tuple[Frames, Frames], request: pytest.FixtureRequest) -> None:
    recorded = RECORDED.get(member)
    if recorded is not None:
        request.applymarker(pytest.mark.xfail(strict=True, reason=f"docs/compat-python.md records: {recorded}"))
    local, remote = frames
    difference = run_case(CASES[member], local, remote)
    assert difference is None, f"{member}: {difference}" + (
        "" if member in RECORDED else f" (not in the matrix: {MEASURE})"
    )


def test_matrix_is_current_with_recorded_outcomes() -> None:
    run = subprocess.run(
        [sys.executable, str(TOOL), "--recorded", "--check"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, f"docs/compat-python.md is stale ({MEASURE}):\n{run.stderr}"
