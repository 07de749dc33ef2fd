"""The blocking transport, the one module of the sync client that does I/O: a pool of gRPC
channels to the compute endpoints (balanced round robin, broken channels replaced), the
call metadata, one deadline per call across its attempts, retries of reads with
exponential backoff and full jitter, the resumption of a stored frame's broken download,
and the mapping of failed calls to PolaroidError. The async twin is _aio.py.
"""

from __future__ import annotations

import random as _random
import time
from collections.abc import Callable, Generator, Iterator, Mapping
from typing import Any, TypeVar, cast

import grpc

from polaroid import _retry
from polaroid._balancer import Balancer
from polaroid._channels import ChannelPool, PooledChannel
from polaroid._gen.polaroid.v1 import (
    dataframe_pb2,
    dataframe_pb2_grpc,
    handle_pb2,
    handles_pb2,
    handles_pb2_grpc,
    plan_pb2,
    sink_pb2,
)
from polaroid._options import ConnectOptions, credentials
from polaroid._trace_context import with_trace_context
from polaroid.errors import (
    DeadlineExceededError,
    FailedPreconditionError,
    HandleNotFoundError,
    InternalError,
    PolaroidError,
    UnavailableError,
    error_from_rpc,
    sent_by_server,
)

__all__ = ["UPLOAD_CHUNK_BYTES", "Transport", "collect_request", "upload_requests"]

#: The largest ``arrow_ipc`` chunk of an upload message (as the TypeScript SDK).
UPLOAD_CHUNK_BYTES = 1024 * 1024

T = TypeVar("T")
log = _retry.logger


def upload_requests(ipc: bytes | memoryview, name: str, ttl_seconds: int) -> Iterator[dataframe_pb2.UploadRequest]:
    """Upload messages: the IPC stream in 1 MiB chunks, the options in the first one."""
    view = memoryview(ipc)
    for offset in range(0, max(len(view), 1), UPLOAD_CHUNK_BYTES):
        first = offset == 0
        yield dataframe_pb2.UploadRequest(
            arrow_ipc=bytes(view[offset : offset + UPLOAD_CHUNK_BYTES]),
            ttl_seconds=ttl_seconds if first else 0,
            name=name if first else "",
        )


def collect_request(request: dataframe_pb2.CollectRequest, start_batch: int, batch_size: int) -> dataframe_pb2.CollectRequest:
    """``request`` reading from ``start_batch`` with ``batch_size`` rows per batch."""
    copy = dataframe_pb2.CollectRequest()
    copy.CopyFrom(request)
    copy.start_batch = start_batch
    copy.batch_size = batch_size
    return copy


def _make_channel(options: ConnectOptions) -> Callable[[str], PooledChannel[grpc.Channel]]:
    creds = credentials(options.tls)

    def make(endpoint: str) -> PooledChannel[grpc.Channel]:
        channel = (
            grpc.secure_channel(endpoint, creds, options.channel_options)
            if creds is not None
            else grpc.insecure_channel(endpoint, options.channel_options)
        )
        frames = dataframe_pb2_grpc.DataFrameServiceStub(channel)  # type: ignore[no-untyped-call]
        handles = handles_pb2_grpc.HandleServiceStub(channel)  # type: ignore[no-untyped-call]
        return PooledChannel(endpoint, channel, frames, handles)

    return make


class Transport:
    """The calls the client makes, over channels to its endpoints (see the module doc).
    ``sleep``, ``random`` and ``clock`` are injectable for tests."""

    def __init__(
        self,
        options: ConnectOptions,
        *,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = _random.random,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.options = options
        self.timeout = options.timeout
        self.endpoint = options.endpoints[0]
        self._sleep = sleep
        self._random = random
        self._clock = clock
        self._balancer = Balancer(options.endpoints, cool_down=options.cool_down, clock=clock)
        self.pool: ChannelPool[grpc.Channel] = ChannelPool(options.endpoints, _make_channel(options), _close)
        self.closed = False

    def wait_ready(self, wait: float) -> None:
        """Waits until the first endpoint answers (UnavailableError after ``wait`` seconds)."""
        if wait <= 0:
            return
        futures = [grpc.channel_ready_future(self.pool.current(e).channel) for e in self.options.endpoints]
        until = self._clock() + wait
        while True:
            if any(f.done() and not f.cancelled() and f.exception() is None for f in futures):
                break
            if self._clock() >= until:
                for f in futures:
                    f.cancel()
                self.close()
                names = self.options.endpoints
                raise UnavailableError(
                    f"Cannot connect to {names[0]} as it did not answer within {wait:g} s"
                    if len(names) == 1
                    else f"Cannot connect to any of {', '.join(names)} as none answered within {wait:g} s"
                )
            time.sleep(0.01)
        for f in futures:
            f.cancel()

    def close(self) -> None:
        """Closes every channel; closing twice is harmless."""
        if not self.closed:
            self.closed = True
            for channel in self.pool.drain():
                channel.close()

    def _live(self, what: str) -> None:
        if self.closed:
            raise FailedPreconditionError(f"Cannot {what} as the client is closed: current endpoint is {self.endpoint}")

    # ---- attempts ------------------------------------------------------------------------

    def _failed(self, pooled: PooledChannel[grpc.Channel], rpc_error: grpc.RpcError) -> PolaroidError:
        """The PolaroidError of a failed attempt; an unreachable endpoint cools down and a
        channel that reached no server is replaced."""
        error = error_from_rpc(rpc_error)
        if isinstance(error, UnavailableError):
            self._balancer.mark_down(pooled.endpoint)
            if not sent_by_server(rpc_error):
                self.pool.replace(pooled)
        return error

    def _backoff(self, method: str, error: PolaroidError, attempt: int, retry_until: float) -> float | None:
        """The wait before the next attempt, or None when the call may not be retried."""
        policy = self.options.retry
        if not _retry.is_retryable(error, method):
            return None
        delay = max(_retry.backoff_delay(attempt - 1, policy, self._random), _retry.retry_after(error))
        if (policy.attempts is not None and attempt >= policy.attempts) or self._clock() + delay >= retry_until:
            return None
        return delay

    def _call(self, method: str, what: str, invoke: Callable[[PooledChannel[grpc.Channel], float], T]) -> T:
        """A unary call: ``invoke(channel, timeout)`` tried on the next endpoint after a
        retryable failure, every attempt within one deadline."""
        self._live(what)
        deadline = self._clock() + self.timeout
        retry_until = min(deadline, self._clock() + self.options.retry.budget)
        tried: set[str] = set()
        attempt = 0
        while True:
            attempt += 1
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise DeadlineExceededError(f"Cannot {what} as its deadline passed before attempt {attempt}")
            endpoint = self._balancer.pick(tried)
            pooled = self.pool.acquire(endpoint)
            try:
                result = invoke(pooled, remaining)
            except grpc.RpcError as rpc_error:
                error = self._failed(pooled, rpc_error)
                tried.add(endpoint)
                delay = self._backoff(method, error, attempt, retry_until)
                if delay is None:
                    raise _retry.with_attempts(error, attempt, endpoint) from None
                log.debug("Retrying %s in %.3f s: attempt %d on %s failed: %s", method, delay, attempt, endpoint, error)
            else:
                self._balancer.mark_up(endpoint)
                return result
            finally:
                self.pool.release(pooled)
            self._sleep(delay)

    def _kwargs(self, timeout: float) -> dict[str, Any]:
        return {
            "timeout": timeout,
            "metadata": with_trace_context(self.options.metadata),
            "wait_for_ready": self.options.wait_for_ready,
        }

    # ---- DataFrameService ----------------------------------------------------------------

    def upload(self, ipc: bytes | memoryview, *, name: str, ttl_seconds: int) -> handle_pb2.HandleInfo:
        """Stores an Arrow IPC stream (sent in 1 MiB chunks) under a new handle (not retried)."""
        requests = upload_requests(ipc, name, ttl_seconds)
        response = self._call("upload", "upload", lambda c, t: c.frames.Upload(requests, **self._kwargs(t)))
        return cast(dataframe_pb2.UploadResponse, response).handle

    def execute(
        self,
        plan: plan_pb2.Plan,
        *,
        name: str,
        ttl_seconds: int,
        streaming: bool = False,
        engine: dataframe_pb2.Engine = dataframe_pb2.ENGINE_UNSPECIFIED,
        metadata: Mapping[str, str] | None = None,
        skip_cache: bool = False,
        durable: bool = False,
    ) -> handle_pb2.HandleInfo:
        """Runs a plan and keeps the result under a new handle (not retried); ``durable``
        writes it to the store before returning on a write-behind cluster."""
        request = dataframe_pb2.ExecuteRequest(
            plan=plan,
            ttl_seconds=ttl_seconds,
            streaming=streaming,
            engine=engine,
            name=name,
            metadata=dict(metadata or {}),
            skip_cache=skip_cache,
            durable=durable,
        )
        response = self._call("execute", "execute", lambda c, t: c.frames.Execute(request, **self._kwargs(t)))
        return cast(dataframe_pb2.ExecuteResponse, response).handle

    def sink(self, request: sink_pb2.SinkRequest) -> sink_pb2.SinkResponse:
        """Runs a plan and writes its result to a file on the server (not retried)."""
        response = self._call("sink", "sink", lambda c, t: c.frames.Sink(request, **self._kwargs(t)))
        return cast(sink_pb2.SinkResponse, response)

    def schema(self, request: dataframe_pb2.SchemaRequest) -> dataframe_pb2.SchemaResponse:
        """The schema of a plan's result (not run) or of a handle."""
        response = self._call("schema", "resolve the schema", lambda c, t: c.frames.Schema(request, **self._kwargs(t)))
        return cast(dataframe_pb2.SchemaResponse, response)

    def explain(self, plan: plan_pb2.Plan) -> dataframe_pb2.ExplainResponse:
        """The logical and optimized plan, as Polars prints them."""
        request = dataframe_pb2.ExplainRequest(plan=plan)
        response = self._call("explain", "explain", lambda c, t: c.frames.Explain(request, **self._kwargs(t)))
        return cast(dataframe_pb2.ExplainResponse, response)

    def collect(self, request: dataframe_pb2.CollectRequest) -> Generator[dataframe_pb2.CollectResponse, None, None]:
        """The Collect messages of a plan's result or of a handle, as they arrive, within one
        deadline: the stream is retried until its first message; a handle's broken stream is
        reopened from the next batch. Closing the iterator cancels the call."""
        self._live("download")
        deadline = self._clock() + self.timeout
        tried: set[str] = set()
        if request.WhichOneof("source") != "handle" or self.options.retry.resume_attempts == 0:
            return self._stream(request, deadline, tried)
        return self._resumable(request, deadline, tried)

    def _stream(
        self, request: dataframe_pb2.CollectRequest, deadline: float, tried: set[str]
    ) -> Generator[dataframe_pb2.CollectResponse, None, None]:
        retry_until = min(deadline, self._clock() + self.options.retry.budget)
        attempt = 0
        while True:
            attempt += 1
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise DeadlineExceededError(f"Cannot download as its deadline passed before attempt {attempt}")
            endpoint = self._balancer.pick(tried)
            pooled = self.pool.acquire(endpoint)
            call = None
            received = False
            try:
                call = pooled.frames.Collect(request, **self._kwargs(remaining))
                for message in call:
                    if not received:
                        self._balancer.mark_up(endpoint)
                        received = True
                    yield message
                self._balancer.mark_up(endpoint)
                return
            except grpc.RpcError as rpc_error:
                error = self._failed(pooled, rpc_error)
                tried.add(endpoint)
                delay = None if received else self._backoff("collect", error, attempt, retry_until)
                if delay is None:
                    raise _retry.with_attempts(error, attempt, endpoint) from None
                log.debug("Retrying collect in %.3f s: attempt %d on %s failed: %s", delay, attempt, endpoint, error)
            finally:
                if call is not None:
                    call.cancel()
                self.pool.release(pooled)
            self._sleep(delay)

    def _resumable(
        self, request: dataframe_pb2.CollectRequest, deadline: float, tried: set[str]
    ) -> Generator[dataframe_pb2.CollectResponse, None, None]:
        policy = self.options.retry
        next_batch = request.start_batch
        batch_size = request.batch_size
        failures = 0
        while True:
            stream = self._stream(collect_request(request, next_batch, batch_size), deadline, tried)
            try:
                for message in stream:
                    if message.batch_index != next_batch:
                        raise InternalError(
                            f"Cannot read the stream as batch {next_batch} was due and the server sent batch {message.batch_index}"
                        )
                    # The server's default batch size, learnt from a batch, keeps a resumed
                    # read aligned (a short batch is the last one).
                    if batch_size == 0 and message.rows > 0:
                        batch_size = message.rows
                    next_batch += 1
                    failures = 0
                    yield message
                return
            except UnavailableError as error:
                delay = _retry.resume_delay(failures, policy)
                if failures >= policy.resume_attempts or self._clock() + delay >= deadline:
                    raise
                failures += 1
                log.debug("Resuming the download of %s at batch %d in %.3f s: %s", request.handle, next_batch, delay, error)
            finally:
                stream.close()
            self._sleep(delay)

    # ---- HandleService -------------------------------------------------------------------

    def describe(self, handle_id: str) -> handle_pb2.HandleInfo:
        """What the catalog knows of a handle (HandleNotFoundError when it is gone)."""
        request = handles_pb2.HandleRequest(id=handle_id)
        response = self._call("describe", "open the handle", lambda c, t: c.handles.DescribeHandle(request, **self._kwargs(t)))
        return cast(handle_pb2.HandleInfo, response)

    def list_handles(self) -> list[handle_pb2.HandleInfo]:
        """Every live handle of the tenant (all pages)."""
        out: list[handle_pb2.HandleInfo] = []
        after = ""
        while True:
            page = self._list_page(after)
            out.extend(page.handles)
            after = page.next_after
            if not after:
                return out

    def _list_page(self, after: str) -> handles_pb2.ListHandlesResponse:
        request = handles_pb2.ListHandlesRequest(limit=0, after=after)
        response = self._call("list", "list handles", lambda c, t: c.handles.ListHandles(request, **self._kwargs(t)))
        return cast(handles_pb2.ListHandlesResponse, response)

    def release(self, handle_id: str) -> None:
        """Drops a reference to a handle (not retried); a handle already gone, or a closed
        client, is not an error."""
        if self.closed:
            return
        request = handles_pb2.HandleRequest(id=handle_id)
        try:
            self._call("release", "release the handle", lambda c, t: c.handles.ReleaseHandle(request, **self._kwargs(t)))
        except HandleNotFoundError:
            pass


def _close(channel: grpc.Channel) -> None:
    channel.close()
