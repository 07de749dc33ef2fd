"""``AsyncClient`` and ``connect_async()``: the asyncio client, over grpc.aio channels with
the blocking client's balancing, deadlines, retries and resumption. Queries are built as
with ``Client`` (the same LazyFrame, plans and expressions); they run with
``await lf.collect_async()`` (``keep=True`` for a stored frame). The blocking methods of its
frames (``collect()``, ``collect_schema()``, a schema a literal needs while a query is
built) go through a blocking channel opened on first use.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING

import polars as pl

from polaroid import _plan
from polaroid._aio import AsyncTransport
from polaroid._arrow import arrow_to_ipc, polars_to_ipc
from polaroid._lazy_io import ttl_seconds
from polaroid._options import DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, MAX_MESSAGE_BYTES, ConnectOptions
from polaroid._retry import RetryPolicy
from polaroid._sources import FrameSource
from polaroid._transport import Transport
from polaroid.client import frame_name
from polaroid.dataframe import RemoteDataFrame

if TYPE_CHECKING:
    import pyarrow as pa

    from polaroid._gen.polaroid.v1 import handle_pb2

__all__ = ["AsyncClient", "connect_async"]


class AsyncClient(FrameSource):
    """An asyncio connection to Polaroid compute endpoint(s), with ``connect()``'s options.
    Use ``async with polaroid.AsyncClient(...) as client`` (which checks the connection) or
    ``client = await polaroid.connect_async(...)``, and ``await client.close()``."""

    def __init__(
        self,
        endpoint: str | None = None,
        *,
        endpoints: Sequence[str] | None = None,
        token: str | None = None,
        tenant: str | None = None,
        tls: bool | Mapping[str, str | bytes] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        retry: RetryPolicy | bool | None = None,
        wait_for_ready: bool | None = None,
        cool_down: float = 1.0,
        max_message_bytes: int = MAX_MESSAGE_BYTES,
    ) -> None:
        self._options = ConnectOptions.of(
            endpoint,
            endpoints=endpoints,
            token=token,
            tenant=tenant,
            tls=tls,
            timeout=timeout,
            connect_timeout=connect_timeout,
            max_message_bytes=max_message_bytes,
            wait_for_ready=wait_for_ready,
            retry=retry,
            cool_down=cool_down,
        )
        self._aio = AsyncTransport(self._options)
        self._blocking: Transport | None = None

    @property
    def _transport(self) -> Transport:
        """The blocking transport of the frames' blocking methods (opened on first use)."""
        if self._blocking is None:
            self._blocking = Transport(self._options)
            if self._aio.closed:
                self._blocking.close()
        return self._blocking

    @property
    def endpoint(self) -> str:
        """The first "host:port" this client calls."""
        return self._aio.endpoint

    @property
    def endpoints(self) -> list[str]:
        """Every "host:port" this client balances its calls over."""
        return list(self._options.endpoints)

    def __repr__(self) -> str:
        state = "closed" if self._aio.closed else "open"
        return f"<polaroid.AsyncClient {', '.join(self.endpoints)} ({state})>"

    async def connect(self) -> AsyncClient:
        """Waits until an endpoint answers (UnavailableError after ``connect_timeout``)."""
        await self._aio.wait_ready(self._options.connect_timeout)
        return self

    # ---- stored frames ---------------------------------------------------------------------

    async def from_polars(
        self, df: pl.DataFrame, *, name: str | None = None, ttl: int | float | _dt.timedelta | None = None
    ) -> RemoteDataFrame:
        """Uploads a ``polars.DataFrame`` (see ``Client.from_polars``)."""
        ipc = polars_to_ipc(df)
        info = await self._aio.upload(ipc, name=frame_name(name), ttl_seconds=ttl_seconds(ttl))
        return RemoteDataFrame(self, info)

    async def from_arrow(
        self, table: pa.Table, *, name: str | None = None, ttl: int | float | _dt.timedelta | None = None
    ) -> RemoteDataFrame:
        """Uploads a ``pyarrow.Table`` (or RecordBatch), as ``from_polars``."""
        ipc = arrow_to_ipc(table)
        info = await self._aio.upload(ipc, name=frame_name(name), ttl_seconds=ttl_seconds(ttl))
        return RemoteDataFrame(self, info)

    async def handle(self, handle_id: str) -> RemoteDataFrame:
        """Opens a stored frame by id (see ``Client.handle``)."""
        _plan.handle_plan(handle_id)
        return RemoteDataFrame(self, await self._aio.describe(handle_id))

    async def list_handles(self) -> list[handle_pb2.HandleInfo]:
        """What the catalog knows of every live stored frame of the tenant."""
        return await self._aio.list_handles()

    # ---- lifetime --------------------------------------------------------------------------

    async def close(self) -> None:
        """Closes the connection; closing twice is harmless."""
        await self._aio.close()
        if self._blocking is not None:
            self._blocking.close()

    async def __aenter__(self) -> AsyncClient:
        return await self.connect()

    async def __aexit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.close()


async def connect_async(
    endpoint: str | None = None,
    *,
    endpoints: Sequence[str] | None = None,
    token: str | None = None,
    tenant: str | None = None,
    tls: bool | Mapping[str, str | bytes] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    retry: RetryPolicy | bool | None = None,
    wait_for_ready: bool | None = None,
    cool_down: float = 1.0,
    max_message_bytes: int = MAX_MESSAGE_BYTES,
) -> AsyncClient:
    """An ``AsyncClient`` whose connection is checked (see ``connect`` for the options)."""
    client = AsyncClient(
        endpoint,
        endpoints=endpoints,
        token=token,
        tenant=tenant,
        tls=tls,
        timeout=timeout,
        connect_timeout=connect_timeout,
        retry=retry,
        wait_for_ready=wait_for_ready,
        cool_down=cool_down,
        max_message_bytes=max_message_bytes,
    )
    return await client.connect()
