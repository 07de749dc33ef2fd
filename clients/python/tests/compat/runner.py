"""Runs compatibility cases: each query once in-process with ``polars`` and once through
Polaroid with ``polaroid``, then compares schemas and rows (polars.testing.assert_frame_equal)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from types import ModuleType
from typing import Any

import polars as pl
from polars.testing import assert_frame_equal

import polaroid as pr
from tests.compat.case import Case, Frames
from tests.compat.fixtures import fixtures

_MAX_DIFFERENCE = 400


class BrokenCaseError(RuntimeError):
    """A case fails in-process with Python Polars: the case is wrong, not Polaroid."""


def local_frames() -> Frames:
    """The fixtures as ``polars.LazyFrame``."""
    return Frames(**{name: df.lazy() for name, df in fixtures().items()})


@contextmanager
def remote_frames(client: pr.Client) -> Iterator[Frames]:
    """The fixtures uploaded through ``client`` (released on exit), as ``polaroid.LazyFrame``."""
    with ExitStack() as stack:
        uploaded: Mapping[str, Any] = {
            name: stack.enter_context(client.from_polars(df)).lazy() for name, df in fixtures().items()
        }
        yield Frames(**uploaded)


def _materialize(result: Any) -> pl.DataFrame:
    if isinstance(result, pl.DataFrame):
        return result
    if hasattr(result, "collect"):
        collected = result.collect()
        if isinstance(collected, pl.DataFrame):
            return collected
    raise TypeError(f"Cannot compare a case's result: expected a lazy frame or a DataFrame, got {type(result)!r}")


def _run(module: ModuleType, case: Case, frames: Frames) -> pl.DataFrame:
    with warnings.catch_warnings():
        # columns, dtypes, schema and width resolve the schema in-process: that is their point.
        warnings.simplefilter("ignore", pl.exceptions.PerformanceWarning)
        df = _materialize(case.query(module, frames))
    return df.sort(list(case.sort_by), nulls_last=True, maintain_order=True) if case.sort_by else df


def one_line(text: str) -> str:
    """``text`` on one line, without addresses or ids that change from run to run, shortened."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"0x[0-9a-f]{6,}", "0x…", text)
    text = re.sub(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", "<id>", text)
    return text if len(text) <= _MAX_DIFFERENCE else text[: _MAX_DIFFERENCE - 1] + "…"


REFUSED = "refused: "
"""How the outcome of a case Polaroid refuses starts (NotImplementedError or UNIMPLEMENTED):
an option or variant it says it does not support, rather than a wrong answer."""


def run_case(case: Case, local: Frames, remote: Frames) -> str | None:
    """None when both engines give equal schemas and rows, else, on one line, "differs: ..."
    (assert_frame_equal's message), "refused: ..." (Polaroid's NotImplementedError or
    UnimplementedError) or "raised: ..." (any other exception through Polaroid). Raises
    BrokenCaseError when Python Polars itself fails: the case is wrong."""
    try:
        want = _run(pl, case, local)
    except Exception as error:
        raise BrokenCaseError(f"in-process: {type(error).__name__}: {error}") from error
    try:
        got = _run(pr, case, remote)
    except (NotImplementedError, pr.UnimplementedError) as error:
        return one_line(f"{REFUSED}{type(error).__name__}: {error}")
    except Exception as error:  # noqa: BLE001 - what Polaroid raised is the finding
        return one_line(f"raised: {type(error).__name__}: {error}")
    try:
        assert_frame_equal(got, want)
    except AssertionError as error:
        return one_line(f"differs: {error}")
    return None
