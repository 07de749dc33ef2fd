"""The asyncio transport (grpc.aio), the twin of _transport.py with the same pool,
balancing, deadline, retries and resumption; used by ``AsyncClient``. Channels are opened
on first use, inside the running event loop.
"""

from __future__ import annotations

import asyncio
import random as _random
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from typing import Any, TypeVar, cast

import grpc
import grpc.aio

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
)
from polaroid._options import ConnectOptions, credentials
from polaroid._trace_context import with_trace_context
from polaroid._transport import collect_request, upload_requests
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

__all__ = ["AsyncTransport"]

T = TypeVar("T")
log = _retry.logger


def _make_channel(options: ConnectOptions) -> Callable[[str], PooledChannel[grpc.aio.Channel]]:
    creds = credentials(options.tls)

    def make(endpoint: str) -> PooledChannel[grpc.aio.Channel]:
        channel = (
            grpc.aio.secure_channel(endpoint, creds, options.channel_options)
            if creds is not None
            else grpc.aio.insecure_channel(endpoint, options.channel_options)
        )
        frames = dataframe_pb2_grpc.DataFrameServiceStub(channel)  # type: ignore[no-untyped-call]
        handles = handles_pb2_grpc.HandleServiceStub(channel)  # type: ignore[no-untyped-call]
        return PooledChannel(endpoint, channel, frames, handles)

    return make


class AsyncTransport:
    """The calls of ``AsyncClient`` (see the module doc); ``sleep``, ``random`` and
    ``clock`` are injectable for tests."""

    def __init__(
        self,
        options: ConnectOptions,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
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
        self.pool: ChannelPool[grpc.aio.Channel] = ChannelPool(options.endpoints, _make_channel(options), self._close_later)
        self.closed = False
        self._closing: set[asyncio.Task[None]] = set()

    def _close_later(self, channel: grpc.aio.Channel) -> None:
        """Closes a replaced channel from synchronous code (a task of the running loop, kept
        until it ends)."""
        try:
            task = asyncio.get_running_loop().create_task(channel.close())
        except RuntimeError:  # pragma: no cover - no loop: the channel is closed when collected
            return
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def wait_ready(self, wait: float) -> None:
        """Waits until the first endpoint answers (UnavailableError after ``wait`` seconds)."""
        if wait <= 0:
            return
        waits = [asyncio.ensure_future(self.pool.current(e).channel.channel_ready()) for e in self.options.endpoints]
        done, pending = await asyncio.wait(waits, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        if not done:
            await self.close()
            names = self.options.endpoints
            raise UnavailableError(
                f"Cannot connect to {names[0]} as it did not answer within {wait:g} s"
                if len(names) == 1
                else f"Cannot connect to any of {', '.join(names)} as none answered within {wait:g} s"
            )

    async def close(self) -> None:
        """Closes every channel; closing twice is harmless."""
        if not self.closed:
            self.closed = True
            for channel in self.pool.drain():
                await channel.close()
            if self._closing:
                await asyncio.gather(*self._closing, return_exceptions=True)

    def _live(self, what: str) -> None:
        if self.closed:
            raise FailedPreconditionError(f"Cannot {what} as the client is closed: current endpoint is {self.endpoint}")

    def _failed(self, pooled: PooledChannel[grpc.aio.Channel], rpc_error: grpc.RpcError) -> PolaroidError:
        error = error_from_rpc(rpc_error)
        if isinstance(error, UnavailableError):
            self._balancer.mark_down(pooled.endpoint)
            if not sent_by_server(rpc_error):
                self.pool.replace(pooled)
        return error

    def _backoff(self, method: str, error: PolaroidError, attempt: int, retry_until: float) -> float | None:
        policy = self.options.retry
        if not _retry.is_retryable(error, method):
            return None
        delay = max(_retry.backoff_delay(attempt - 1, policy, self._random), _retry.retry_after(error))
        if (policy.attempts is not None and attempt >= policy.attempts) or self._clock() + delay >= retry_until:
            return None
        return delay

    def _kwargs(self, timeout: float) -> dict[str, Any]:
        return {
            "timeout": timeout,
            "metadata": with_trace_context(self.options.metadata),
            "wait_for_ready": self.options.wait_for_ready,
        }

    async def _call(
        self, method: str, what: str, invoke: Callable[[PooledChannel[grpc.aio.Channel], float], Awaitable[T]]
    ) -> T:
        """A unary call tried on the next endpoint after a retryable failure, every attempt
        within one deadline."""
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
                result = await invoke(pooled, remaining)
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
            await self._sleep(delay)

    # ---- DataFrameService ----------------------------------------------------------------

    async def upload(self, ipc: bytes | memoryview, *, name: str, ttl_seconds: int) -> handle_pb2.HandleInfo:
        """Stores an Arrow IPC stream under a new handle (not retried)."""
        requests = upload_requests(ipc, name, ttl_seconds)
        response = await self._call("upload", "upload", lambda c, t: c.frames.Upload(requests, **self._kwargs(t)))
        return cast(dataframe_pb2.UploadResponse, response).handle

    async def execute(
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
        response = await self._call("execute", "execute", lambda c, t: c.frames.Execute(request, **self._kwargs(t)))
        return cast(dataframe_pb2.ExecuteResponse, response).handle

    async def schema(self, request: dataframe_pb2.SchemaRequest) -> dataframe_pb2.SchemaResponse:
        """The schema of a plan's result (not run) or of a handle."""
        response = await self._call("schema", "resolve the schema", lambda c, t: c.frames.Schema(request, **self._kwargs(t)))
        return cast(dataframe_pb2.SchemaResponse, response)

    async def explain(self, plan: plan_pb2.Plan) -> dataframe_pb2.ExplainResponse:
        """The logical and optimized plan, as Polars prints them."""
        request = dataframe_pb2.ExplainRequest(plan=plan)
        response = await self._call("explain", "explain", lambda c, t: c.frames.Explain(request, **self._kwargs(t)))
        return cast(dataframe_pb2.ExplainResponse, response)

    def collect(self, request: dataframe_pb2.CollectRequest) -> AsyncGenerator[dataframe_pb2.CollectResponse, None]:
        """The Collect messages, as ``Transport.collect`` gives them; ``aclose()`` cancels
        the call."""
        self._live("download")
        deadline = self._clock() + self.timeout
        tried: set[str] = set()
        if request.WhichOneof("source") != "handle" or self.options.retry.resume_attempts == 0:
            return self._stream(request, deadline, tried)
        return self._resumable(request, deadline, tried)

    async def _stream(
        self, request: dataframe_pb2.CollectRequest, deadline: float, tried: set[str]
    ) -> AsyncGenerator[dataframe_pb2.CollectResponse, None]:
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
                async for message in call:
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
            await self._sleep(delay)

    async def _resumable(
        self, request: dataframe_pb2.CollectRequest, deadline: float, tried: set[str]
    ) -> AsyncGenerator[dataframe_pb2.CollectResponse, None]:
        policy = self.options.retry
        next_batch = request.start_batch
        batch_size = request.batch_size
        failures = 0
        while True:
            stream = self._stream(collect_request(request, next_batch, batch_size), deadline, tried)
            try:
                async for message in stream:
                    if message.batch_index != next_batch:
                        raise InternalError(
                            f"Cannot read the stream as batch {next_batch} was due and the server sent batch {message.batch_index}"
                        )
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
                await stream.aclose()
            await self._sleep(delay)

    # ---- HandleService -------------------------------------------------------------------

    async def describe(self, handle_id: str) -> handle_pb2.HandleInfo:
        """What the catalog knows of a handle (HandleNotFoundError when it is gone)."""
        request = handles_pb2.HandleRequest(id=handle_id)
        response = await self._call(
            "describe", "open the handle", lambda c, t: c.handles.DescribeHandle(request, **self._kwargs(t))
        )
        return cast(handle_pb2.HandleInfo, response)

    async def list_handles(self) -> list[handle_pb2.HandleInfo]:
        """Every live handle of the tenant (all pages)."""
        out: list[handle_pb2.HandleInfo] = []
        after = ""
        while True:
            page = await self._list_page(after)
            out.extend(page.handles)
            after = page.next_after
            if not after:
                return out

    async def _list_page(self, after: str) -> handles_pb2.ListHandlesResponse:
        request = handles_pb2.ListHandlesRequest(limit=0, after=after)
        response = await self._call("list", "list handles", lambda c, t: c.handles.ListHandles(request, **self._kwargs(t)))
        return cast(handles_pb2.ListHandlesResponse, response)

    async def release(self, handle_id: str) -> None:
        """Drops a reference to a handle (not retried); a handle already gone, or a closed
        client, is not an error."""
        if self.closed:
            return
        request = handles_pb2.HandleRequest(id=handle_id)
        try:
            await self._call(
                "release", "release the handle", lambda c, t: c.handles.ReleaseHandle(request, **self._kwargs(t))
            )
        except HandleNotFoundError:
            pass
