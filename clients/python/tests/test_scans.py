"""File scans against a running cluster whose data root this process can write
(POLAROID_DATA_ROOT; skipped when unset): the same file scanned remotely and by Python Polars
in-process, with the same options, gives the same frame."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import polaroid as pr

pytestmark = pytest.mark.integration

FRAME = pl.DataFrame(
    {
        "id": [1, 2, 3, 4, 5],
        "name": ["a", "b", None, "d", "e"],
        "score": [1.5, None, 3.25, 4.0, 5.5],
        "day": [dt.date(2024, 5, d) for d in range(1, 6)],
    }
)


@pytest.fixture(scope="module")
def files() -> Iterator[tuple[Path, str]]:
    """A fresh directory under the data root: (its absolute path, its path relative to the
    root)."""
    root = os.environ.get("POLAROID_DATA_ROOT", "").strip()
    if not root:
        pytest.skip("POLAROID_DATA_ROOT is not set: scans need the cluster's data root")
    relative = f"python-client-{uuid.uuid4().hex[:8]}"
    directory = Path(root) / relative
    directory.mkdir(parents=True)
    FRAME.write_parquet(directory / "frame.parquet")
    FRAME.write_ipc(directory / "frame.arrow")
    FRAME.write_csv(directory / "frame.csv", separator=";", null_value="NA")
    try:
        yield directory, relative
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def test_scan_parquet(client: pr.Client, files: tuple[Path, str]) -> None:
    directory, relative = files
    got = client.scan_parquet(f"{relative}/frame.parquet").filter(pr.col("id") > 1).collect()
    want = pl.scan_parquet(directory / "frame.parquet").filter(pl.col("id") > 1).collect()
    assert_frame_equal(got, want)
    indexed = client.scan_parquet(f"{relative}/*.parquet", n_rows=2, row_index_name="i").collect()
    assert_frame_equal(indexed, pl.scan_parquet(directory / "*.parquet", n_rows=2, row_index_name="i").collect())


def test_scan_csv_with_options(client: pr.Client, files: tuple[Path, str]) -> None:
    directory, relative = files
    options = {"separator": ";", "null_values": "NA", "try_parse_dates": True}
    got = client.scan_csv(f"{relative}/frame.csv", **options).collect()  # type: ignore[arg-type]
    want = pl.scan_csv(directory / "frame.csv", **options).collect()  # type: ignore[arg-type]
    assert_frame_equal(got, want)
    assert_frame_equal(got, FRAME)


def test_scan_ipc(client: pr.Client, files: tuple[Path, str]) -> None:
    directory, relative = files
    got = client.scan_ipc(f"{relative}/frame.arrow", n_rows=3).select("id", "day").collect()
    want = pl.scan_ipc(directory / "frame.arrow", n_rows=3).select("id", "day").collect()
    assert_frame_equal(got, want)


def test_missing_file_raises(client: pr.Client, files: tuple[Path, str]) -> None:
    _, relative = files
    with pytest.raises(pr.PolaroidError):
        client.scan_parquet(f"{relative}/missing.parquet").collect()
