"""Batches, Arrow streams and the asyncio client against a running cluster
(POLAROID_ENDPOINT; skipped when unset)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import polaroid as pr

pytestmark = pytest.mark.integration

FRAME = pl.DataFrame({"i": pl.int_range(0, 25_000, eager=True), "s": [f"r{i % 7}" for i in range(25_000)]})


@pytest.fixture(scope="module")
def stored(client: pr.Client) -> Iterator[pr.RemoteDataFrame]:
    with client.from_polars(FRAME) as remote:
        yield remote


def test_collect_batches_yields_the_servers_batches(stored: pr.RemoteDataFrame) -> None:
    lf = stored.lazy().filter(pr.col("i") % 2 == 0)
    batches = list(lf.collect_batches(chunk_size=4_000))
    assert all(isinstance(b, pl.DataFrame) for b in batches)
    assert len(batches) >= 3 and max(b.height for b in batches) <= 4_000
    assert_frame_equal(pl.concat(batches), FRAME.filter(pl.col("i") % 2 == 0))
    with stored.lazy().collect_batches(chunk_size=1_000, lazy=True) as stream:
        first = next(stream)
    assert first.height == 1_000
    assert_frame_equal(pl.concat(list(stored.iter_batches(chunk_size=10_000))), FRAME)


def test_arrow_c_stream_and_to_arrow(stored: pr.RemoteDataFrame) -> None:
    pa = pytest.importorskip("pyarrow")
    query = stored.lazy().group_by("s").agg(pr.len()).sort("s")
    want = FRAME.group_by("s").agg(pl.len()).sort("s")
    assert_frame_equal(pl.DataFrame(query), want)
    assert_frame_equal(pl.from_arrow(query.to_arrow()), want)  # type: ignore[arg-type]
    assert pa.table(stored).num_rows == FRAME.height
    empty = stored.lazy().filter(pr.col("i") < 0)
    assert pa.table(empty).num_rows == 0 and pa.table(empty).column_names == ["i", "s"]


def test_list_handles_sees_the_stored_frame(client: pr.Client, stored: pr.RemoteDataFrame) -> None:
    assert stored.id in {info.id for info in client.list_handles()}


def test_the_async_client_uploads_collects_and_keeps(endpoint: str) -> None:
    async def main() -> None:
        tenant = os.environ.get("POLAROID_TENANT") or None
        async with pr.AsyncClient(endpoints=[endpoint], tenant=tenant) as client:
            remote = await client.from_polars(FRAME)
            async with remote:
                query = remote.lazy().filter(pr.col("s") == "r3").select("i")
                got, kept = await asyncio.gather(query.collect_async(), query.collect_async(keep=True))
                assert_frame_equal(got, FRAME.filter(pl.col("s") == "r3").select("i"))
                async with kept:
                    assert kept.height == got.height
                    assert_frame_equal(await kept.to_polars_async(), got)
                reopened = await client.handle(remote.id)
                assert reopened.schema == FRAME.schema
                assert remote.id in {info.id for info in await client.list_handles()}

    asyncio.run(main())


def test_a_client_of_several_endpoints(endpoint: str) -> None:
    tenant = os.environ.get("POLAROID_TENANT") or None
    with pr.connect(endpoints=[endpoint, endpoint], tenant=tenant, retry=pr.RetryPolicy(attempts=3)) as client:
        assert client.endpoints == [endpoint]
        with client.from_polars(FRAME.head(10)) as remote:
            assert_frame_equal(remote.to_polars(), FRAME.head(10))
