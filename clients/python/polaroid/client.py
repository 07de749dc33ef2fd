"""``connect()`` and ``Client``: a blocking connection to one or several Polaroid compute
endpoints, and the entry points to remote frames (uploads, handles, file scans, SQL). The
asyncio client is async_client.py.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING

import polars as pl

from polaroid import _plan
from polaroid._arrow import arrow_to_ipc, polars_to_ipc
from polaroid._lazy_io import ttl_seconds
from polaroid._options import DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, MAX_MESSAGE_BYTES, ConnectOptions
from polaroid._retry import RetryPolicy
from polaroid._sources import FrameSource
from polaroid._transport import Transport
from polaroid.dataframe import RemoteDataFrame

if TYPE_CHECKING:
    import pyarrow as pa

    from polaroid._gen.polaroid.v1 import handle_pb2

__all__ = ["Client", "connect"]


def frame_name(name: str | None) -> str:
    """The ``name`` option as sent: "" when None (the server checks its characters)."""
    if name is None:
        return ""
    if not isinstance(name, str):
        raise TypeError(f"Cannot store the frame as 'name' must be a string: current value is {name!r}")
    return name


class Client(FrameSource):
    """A blocking connection to Polaroid compute endpoint(s); make one with
    ``polaroid.connect()``. Use it as a context manager, or call ``close()``."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    @property
    def endpoint(self) -> str:
        """The first "host:port" this client calls."""
        return self._transport.endpoint

    @property
    def endpoints(self) -> list[str]:
        """Every "host:port" this client balances its calls over."""
        return list(self._transport.options.endpoints)

    def __repr__(self) -> str:
        state = "closed" if self._transport.closed else "open"
        return f"<polaroid.Client {', '.join(self.endpoints)} ({state})>"

    # ---- stored frames ---------------------------------------------------------------------

    def from_polars(
        self, df: pl.DataFrame, *, name: str | None = None, ttl: int | float | _dt.timedelta | None = None
    ) -> RemoteDataFrame:
        """Uploads a ``polars.DataFrame``; the result is stored on the server (``name``
        makes it a SQL table of that name; ``ttl`` is its idle time to live in seconds,
        the server's default when None)."""
        ipc = polars_to_ipc(df)
        info = self._transport.upload(ipc, name=frame_name(name), ttl_seconds=ttl_seconds(ttl))
        return RemoteDataFrame(self, info)

    def from_arrow(
        self, table: pa.Table, *, name: str | None = None, ttl: int | float | _dt.timedelta | None = None
    ) -> RemoteDataFrame:
        """Uploads a ``pyarrow.Table`` (or RecordBatch), as ``from_polars``."""
        ipc = arrow_to_ipc(table)
        info = self._transport.upload(ipc, name=frame_name(name), ttl_seconds=ttl_seconds(ttl))
        return RemoteDataFrame(self, info)

    def handle(self, handle_id: str) -> RemoteDataFrame:
        """Opens a stored frame by id (HandleNotFoundError when it is gone). The frame takes
        over one reference: its ``release()`` drops it."""
        _plan.handle_plan(handle_id)  # checks the id's shape
        return RemoteDataFrame(self, self._transport.describe(handle_id))

    def list_handles(self) -> list[handle_pb2.HandleInfo]:
        """What the catalog knows of every live stored frame of the tenant (``HandleInfo``
        messages: id, name, schema, rows, metadata, ...); opening one is ``handle(id)``."""
        return self._transport.list_handles()

    # ---- lifetime --------------------------------------------------------------------------

    def close(self) -> None:
        """Closes the connection; closing twice is harmless."""
        self._transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


def connect(
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
) -> Client:
    """Connects to compute endpoint(s): ``endpoint`` ("host:port") or ``endpoints`` (a list;
    calls are balanced round robin over them), else the POLAROID_ENDPOINT environment
    variable (one "host:port" or a comma-separated list), else "127.0.0.1:50051".

    Args:
        token: an API key (``pk_...``) or a JWT, sent as ``authorization: Bearer <token>``
            on every call (servers with ``POLAROID_AUTH=token``).
        tenant: sent as ``x-polaroid-tenant`` on every call (with authentication on, it may
            only repeat the credential's tenant).
        tls: True for TLS verified by the system's CAs, or a mapping of PEM ``ca`` (verifies
            the server), ``cert`` and ``key`` (the client's certificate); plaintext when None.
        timeout: deadline of each call in seconds, its retries and a download's resumptions
            included.
        connect_timeout: how long to wait for the first endpoint to answer (UnavailableError
            otherwise); 0 skips the check.
        retry: how reads are retried and downloads resumed (a ``RetryPolicy``); False turns
            both off. Execute and Upload are never retried.
        wait_for_ready: a call to an endpoint that cannot be reached waits for it (within the
            deadline) instead of failing at once with UNAVAILABLE; default True with one
            endpoint, False with several (the call then goes to the next endpoint).
        cool_down: seconds an unreachable endpoint is skipped, unless all are.
        max_message_bytes: largest gRPC message in either direction (at least 2 MiB).
    """
    options = ConnectOptions.of(
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
    transport = Transport(options)
    transport.wait_ready(options.connect_timeout)
    return Client(transport)
