"""Retries, balancing, deadlines, broken channels and resumed downloads of the blocking
client, against real in-process gRPC servers that fail on purpose (_servers.py)."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterator

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import polaroid as pr
from polaroid import _plan
from polaroid._options import ConnectOptions
from polaroid._transport import Transport

from ._servers import FRAME, HANDLE, Flaky, Running


@pytest.fixture
def servers() -> Iterator[Callable[..., Running]]:
    started: list[Running] = []

    def start(servicer: Flaky | None = None, port: int = 0) -> Running:
        running = Running(servicer or Flaky(), port)
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


def client(
    *endpoints: str,
    sleeps: list[float] | None = None,
    random: Callable[[], float] = lambda: 0.5,
    timeout: float = 10.0,
    retry: pr.RetryPolicy | bool | None = None,
    wait_for_ready: bool | None = None,
) -> pr.Client:
    """A client whose waits are recorded in ``sleeps`` (and really slept)."""
    options = ConnectOptions.of(
        None,
        endpoints=list(endpoints),
        token=None,
        tenant=None,
        tls=None,
        timeout=timeout,
        connect_timeout=0,
        max_message_bytes=64 << 20,
        wait_for_ready=wait_for_ready,
        retry=retry,
        cool_down=1.0,
    )

    def sleep(seconds: float) -> None:
        if sleeps is not None:
            sleeps.append(seconds)
        time.sleep(seconds)

    return pr.Client(Transport(options, sleep=sleep, random=random))


def lazy(c: pr.Client) -> pr.LazyFrame:
    return pr.LazyFrame(c, _plan.handle_plan(HANDLE))


def test_a_read_is_retried_with_full_jitter_backoff_and_logged(
    servers: Callable[..., Running], caplog: pytest.LogCaptureFixture
) -> None:
    server = servers(Flaky(fail={"schema": 3}))
    sleeps: list[float] = []
    with caplog.at_level(logging.DEBUG, logger="polaroid"), client(server.endpoint, sleeps=sleeps) as c:
        assert lazy(c).collect_schema().names() == ["i", "s"]
    assert server.servicer.calls["schema"] == 4
    # random() = 0.5 of the caps 0.05, 0.1, 0.2 s.
    assert sleeps == pytest.approx([0.025, 0.05, 0.1])
    retries = [r for r in caplog.records if r.getMessage().startswith("Retrying schema")]
    assert len(retries) == 3 and all(r.levelno == logging.DEBUG for r in retries)


def test_execute_and_upload_are_never_retried(servers: Callable[..., Running]) -> None:
    server = servers(Flaky(fail={"execute": 1, "upload": 1}))
    with client(server.endpoint) as c:
        with pytest.raises(pr.UnavailableError, match="restarting"):
            lazy(c).collect(keep=True)
        with pytest.raises(pr.UnavailableError):
            c.from_polars(FRAME)
        assert server.servicer.calls == {"execute": 1, "upload": 1}
        assert lazy(c).collect(keep=True).id == HANDLE


def test_collect_keep_sends_durable_and_refuses_it_elsewhere(servers: Callable[..., Running]) -> None:
    server = servers(Flaky())
    with client(server.endpoint) as c:
        lazy(c).collect(keep=True)
        lazy(c).collect(keep=True, durable=True)
        assert [r.durable for r in server.servicer.executes] == [False, True]
        with pytest.raises(ValueError, match="'durable' apply to collect\\(keep=True\\) only"):
            lazy(c).collect(durable=True)
        with pytest.raises(TypeError, match="durable must be a bool"):
            lazy(c).collect(keep=True, durable="yes")  # type: ignore[arg-type]
        assert len(server.servicer.executes) == 2


def test_every_attempt_fits_in_one_deadline(servers: Callable[..., Running]) -> None:
    server = servers(Flaky(fail={"schema": 10_000}))
    started = time.monotonic()
    with client(server.endpoint, timeout=0.6, random=lambda: 0.99) as c, pytest.raises(pr.UnavailableError) as caught:
        lazy(c).collect_schema()
    elapsed = time.monotonic() - started
    assert elapsed < 0.6 + 0.2
    attempts = server.servicer.calls["schema"]
    assert attempts > 3
    assert f"after {attempts} attempts" in str(caught.value)


def test_attempts_bound_the_retries(servers: Callable[..., Running]) -> None:
    server = servers(Flaky(fail={"describe": 10}))
    with client(server.endpoint, retry=pr.RetryPolicy(attempts=3)) as c, pytest.raises(pr.UnavailableError):
        c.handle(HANDLE)
    assert server.servicer.calls["describe"] == 3
    with client(server.endpoint, retry=False) as c, pytest.raises(pr.UnavailableError):
        c.handle(HANDLE)
    assert server.servicer.calls["describe"] == 4


def test_calls_are_balanced_round_robin_over_endpoints(servers: Callable[..., Running]) -> None:
    a, b = servers(Flaky(name="a")), servers(Flaky(name="b"))
    with client(a.endpoint, b.endpoint) as c:
        for _ in range(10):
            lazy(c).collect_schema()
        assert c.endpoints == [a.endpoint, b.endpoint]
    assert a.servicer.calls["schema"] == 5 and b.servicer.calls["schema"] == 5


def test_a_retry_goes_to_the_other_endpoint(servers: Callable[..., Running]) -> None:
    a, b = servers(Flaky(name="a", fail={"schema": 1})), servers(Flaky(name="b"))
    sleeps: list[float] = []
    with client(a.endpoint, b.endpoint, sleeps=sleeps) as c:
        lazy(c).collect_schema()  # a fails, b answers
        assert (a.servicer.calls["schema"], b.servicer.calls["schema"]) == (1, 1)
        # a cools down: the next calls go to b.
        lazy(c).collect_schema()
        assert b.servicer.calls["schema"] == 2
    assert len(sleeps) == 1


def test_a_down_endpoint_is_skipped(servers: Callable[..., Running]) -> None:
    a, b = servers(Flaky(name="a")), servers(Flaky(name="b"))
    a.stop()
    with client(a.endpoint, b.endpoint) as c:
        for _ in range(4):
            assert c.handle(HANDLE).id == HANDLE
    assert b.servicer.calls["describe"] == 4


def test_a_broken_channel_is_replaced(servers: Callable[..., Running]) -> None:
    first = servers(Flaky(name="first"))
    port = first.port
    with client(first.endpoint, retry=False, wait_for_ready=False) as c:
        lazy(c).collect_schema()
        before = c._transport.pool.current(first.endpoint)
        first.stop()
        with pytest.raises(pr.UnavailableError):
            lazy(c).collect_schema()
        assert c._transport.pool.replaced == 1
        assert c._transport.pool.current(first.endpoint) is not before
        second = servers(Flaky(name="second"), port=port)
        started = time.monotonic()
        assert lazy(c).collect_schema().names() == ["i", "s"]
        assert time.monotonic() - started < 1.0  # no reconnect backoff to wait out
    assert second.servicer.calls["schema"] == 1


def test_a_broken_download_of_a_handle_resumes_at_the_next_batch(
    servers: Callable[..., Running], caplog: pytest.LogCaptureFixture
) -> None:
    server = servers(Flaky(break_after=2))
    with caplog.at_level(logging.DEBUG, logger="polaroid"), client(server.endpoint) as c:
        assert_frame_equal(c.handle(HANDLE).to_polars(), FRAME)
    starts = [(r.start_batch, r.batch_size) for r in server.servicer.collects]
    # The server's batch size (3 rows), learnt from the first batch, keeps the resumed read aligned.
    assert starts == [(0, 0), (2, 3)]
    assert any("Resuming the download" in r.getMessage() for r in caplog.records)


def test_a_plan_download_is_not_resumed(servers: Callable[..., Running]) -> None:
    server = servers(Flaky(break_after=1))
    with client(server.endpoint) as c, pytest.raises(pr.UnavailableError, match="connection reset"):
        lazy(c).select("i").collect()
    assert len(server.servicer.collects) == 1


def test_collect_batches_streams_and_closing_cancels(servers: Callable[..., Running]) -> None:
    server = servers(Flaky())
    with client(server.endpoint) as c:
        batches = list(lazy(c).collect_batches(chunk_size=4))
        assert [b.height for b in batches] == [4, 4, 2]
        assert_frame_equal(pl.concat(batches), FRAME)
        assert server.servicer.collects[-1].batch_size == 4
        server.servicer.slow = 0.3
        server.servicer.cancelled.clear()
        stream = lazy(c).collect_batches(chunk_size=1)  # 10 batches: about 3 s
        assert next(stream).height == 1
        stream.close()
        assert server.servicer.cancelled.wait(1.0)
        with pytest.raises(StopIteration):
            next(stream)
        server.servicer.cancelled.clear()
        dropped = lazy(c).collect_batches(chunk_size=1)
        assert next(dropped).height == 1
        del dropped  # garbage-collected: the stream is cancelled too
        gc.collect()
        assert server.servicer.cancelled.wait(1.0)
        server.servicer.cancelled.clear()
        with c.handle(HANDLE).iter_batches(chunk_size=1) as handle_batches:
            assert next(handle_batches).height == 1
        assert server.servicer.cancelled.wait(1.0)


def test_collect_batches_refuses_what_it_cannot_honour(servers: Callable[..., Running]) -> None:
    server = servers(Flaky())
    with client(server.endpoint) as c:
        with pytest.raises(NotImplementedError, match="maintain_order=False"):
            lazy(c).collect_batches(maintain_order=False)
        with pytest.raises(NotImplementedError, match="optimizations"):
            lazy(c).collect_batches(optimizations=object())
        with pytest.raises(ValueError, match="chunk_size"):
            lazy(c).collect_batches(chunk_size=0)
    assert "collect" not in server.servicer.calls


def test_arrow_c_stream_reads_the_batches(servers: Callable[..., Running]) -> None:
    pa = pytest.importorskip("pyarrow")
    server = servers(Flaky())
    with client(server.endpoint) as c:
        table = pa.table(lazy(c))
        assert table.num_rows == FRAME.height and table.column_names == ["i", "s"]
        remote = c.handle(HANDLE)
        assert pa.RecordBatchReader.from_stream(remote).read_all().num_rows == FRAME.height
        assert_frame_equal(pl.DataFrame(remote), FRAME)
        assert c.handle(HANDLE).to_arrow().num_rows == FRAME.height

