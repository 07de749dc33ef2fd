"""The asyncio client (grpc.aio) against real in-process gRPC servers that fail on purpose:
uploads, collect_async (to a DataFrame and kept), retries with backoff inside one deadline,
balancing over two servers, resumed downloads, and the blocking methods of its frames."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import polaroid as pr
from polaroid import _plan
from polaroid._aio import AsyncTransport

from ._servers import FRAME, HANDLE, Flaky, Running


@pytest.fixture
def servers() -> Iterator[Callable[..., Running]]:
    started: list[Running] = []

    def start(servicer: Flaky | None = None) -> Running:
        running = Running(servicer or Flaky())
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


def run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.run(coroutine)


def recording(client: pr.AsyncClient, sleeps: list[float]) -> pr.AsyncClient:
    """``client`` with its backoff waits recorded and random() fixed at 0.5."""

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        await asyncio.sleep(seconds)

    client._aio = AsyncTransport(client._options, sleep=sleep, random=lambda: 0.5)
    return client


def test_upload_collect_and_keep(servers: Callable[..., Running]) -> None:
    server = servers()

    async def main() -> None:
        async with pr.AsyncClient(server.endpoint, tenant="acme") as client:
            remote = await client.from_polars(FRAME, name="t")
            assert remote.id == HANDLE and remote.shape == FRAME.shape
            assert_frame_equal(await remote.to_polars_async(), FRAME)
            lf = remote.lazy().select("i", "s")
            assert_frame_equal(await lf.collect_async(), FRAME)
            kept = await lf.collect_async(keep=True)
            assert isinstance(kept, pr.RemoteDataFrame)
            async with kept:
                assert await lf.collect_schema_async() == FRAME.schema
            async with await lf.collect_async(keep=True, durable=True):
                assert [r.durable for r in server.servicer.executes] == [False, True]
            assert (await client.handle(HANDLE)).height == FRAME.height
            # The blocking methods of its frames work too (a blocking channel, opened once).
            assert_frame_equal(remote.lazy().collect(), FRAME)

    run(main())
    assert server.servicer.calls["upload"] == 1 and server.servicer.calls["execute"] == 2
    assert server.servicer.calls["release"] == 2


def test_reads_are_retried_with_backoff(servers: Callable[..., Running]) -> None:
    server = servers(Flaky(fail={"schema": 2, "collect": 1, "execute": 1}))
    sleeps: list[float] = []

    async def main() -> None:
        client = recording(await pr.connect_async(server.endpoint), sleeps)
        try:
            lf = pr.LazyFrame(client, _plan.handle_plan(HANDLE))
            assert (await lf.collect_schema_async()).names() == ["i", "s"]
            assert_frame_equal(await lf.collect_async(), FRAME)
            with pytest.raises(pr.UnavailableError):
                await lf.collect_async(keep=True)
        finally:
            await client.close()

    run(main())
    assert sleeps == pytest.approx([0.025, 0.05, 0.025])
    assert server.servicer.calls == {"schema": 3, "collect": 2, "execute": 1}


def test_one_deadline_bounds_the_retries(servers: Callable[..., Running]) -> None:
    server = servers(Flaky(fail={"describe": 10_000}))

    async def main() -> float:
        async with pr.AsyncClient(server.endpoint, timeout=0.5) as client:
            started = time.monotonic()
            # Retries stop at the deadline: the last one is refused as out of attempts, or, when
            # its backoff reaches the deadline first, as past the deadline; either within it.
            with pytest.raises((pr.UnavailableError, pr.DeadlineExceededError), match="attempts|deadline passed"):
                await client.handle(HANDLE)
            return time.monotonic() - started

    assert run(main()) < 0.5 + 0.2
    assert server.servicer.calls["describe"] > 3


def test_calls_are_balanced_over_two_servers(servers: Callable[..., Running]) -> None:
    a, b = servers(Flaky(name="a")), servers(Flaky(name="b", fail={"schema": 1}))

    async def main() -> None:
        async with pr.AsyncClient(endpoints=[a.endpoint, b.endpoint]) as client:
            lf = pr.LazyFrame(client, _plan.handle_plan(HANDLE))
            for _ in range(6):
                await lf.collect_schema_async()

    run(main())
    # a, b (fails, retried on a), then b cools down for a second: a takes the rest.
    assert a.servicer.calls["schema"] == 6 and b.servicer.calls["schema"] == 1


def test_balanced_round_robin_when_all_answer(servers: Callable[..., Running]) -> None:
    a, b = servers(Flaky(name="a")), servers(Flaky(name="b"))

    async def main() -> None:
        async with pr.AsyncClient(endpoints=[a.endpoint, b.endpoint]) as client:
            remote = await client.handle(HANDLE)
            for _ in range(4):
                await remote.to_polars_async()

    run(main())
    assert a.servicer.calls.get("describe", 0) + b.servicer.calls.get("describe", 0) == 1
    assert a.servicer.calls["collect"] == 2 and b.servicer.calls["collect"] == 2


def test_a_broken_download_resumes(servers: Callable[..., Running]) -> None:
    server = servers(Flaky(break_after=1))

    async def main() -> pl.DataFrame:
        async with pr.AsyncClient(server.endpoint) as client:
            remote = await client.handle(HANDLE)
            return await remote.to_polars_async()

    assert_frame_equal(run(main()), FRAME)
    assert [(r.start_batch, r.batch_size) for r in server.servicer.collects] == [(0, 0), (1, 3)]


def test_connect_async_fails_when_nothing_answers() -> None:
    async def main() -> None:
        await pr.connect_async("127.0.0.1:9", connect_timeout=0.3)

    with pytest.raises(pr.UnavailableError, match="did not answer"):
        run(main())


def test_a_closed_client_refuses_calls(servers: Callable[..., Running]) -> None:
    server = servers()

    async def main() -> None:
        client = await pr.connect_async(server.endpoint)
        await client.close()
        await client.close()
        with pytest.raises(pr.FailedPreconditionError, match="closed"):
            await client.handle(HANDLE)

    run(main())
