"""``RemoteDataFrame``: a frame stored on the server under a handle (an upload's or a
``collect(keep=True)`` result), with its schema and shape known locally. It holds one
reference to the handle: ``release()`` (or leaving a ``with`` block) drops it; the server
also frees it after its idle TTL.
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import TYPE_CHECKING

import polars as pl

from polaroid import _plan
from polaroid._arrow import STREAM as _STREAM
from polaroid._arrow import arrow_reader, ipc_to_arrow, ipc_to_polars, require_pyarrow
from polaroid._batches import Batches, ipc_messages
from polaroid._gen.polaroid.v1 import dataframe_pb2, handle_pb2
from polaroid._remote_timeseries import RemoteTimeSeriesMethods
from polaroid.datatypes import schema_from_proto

if TYPE_CHECKING:
    import pyarrow as pa

    from polaroid._session import AnyClient
    from polaroid.lazyframe import LazyFrame

__all__ = ["RemoteDataFrame"]


class RemoteDataFrame(RemoteTimeSeriesMethods):
    """A frame stored on the server. Query it with ``lazy()``, download it with
    ``to_polars()`` or ``to_arrow()``, free it with ``release()`` or a ``with`` block."""

    __slots__ = ("_client", "_info", "_released")

    def __init__(self, client: AnyClient, info: handle_pb2.HandleInfo) -> None:
        self._client = client
        self._info = info
        self._released = False

    # ---- what the catalog knows -----------------------------------------------------------

    @property
    def id(self) -> str:
        """The handle id ("<tenant>.<26 base32 characters>")."""
        return self._info.id

    @property
    def name(self) -> str | None:
        """The handle's name, or None."""
        return self._info.name or None

    @property
    def schema(self) -> pl.Schema:
        """Column names and types."""
        return schema_from_proto(self._info.schema)

    def collect_schema(self) -> pl.Schema:
        """Column names and types (as ``schema``; no round trip)."""
        return self.schema

    @property
    def columns(self) -> list[str]:
        """Column names."""
        return [f.name for f in self._info.schema.fields]

    @property
    def height(self) -> int:
        """The number of rows."""
        return int(self._info.rows)

    @property
    def width(self) -> int:
        """The number of columns."""
        return len(self._info.schema.fields)

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return (self.height, self.width)

    def estimated_size(self) -> int:
        """The server's estimate of the frame's in-memory size, in bytes."""
        return int(self._info.bytes)

    @property
    def metadata(self) -> dict[str, str]:
        """The labels kept with the handle (a time series keeps its facts under
        "polaroid.timeseries")."""
        return dict(self._info.metadata)

    @property
    def handle_info(self) -> handle_pb2.HandleInfo:
        """Everything the catalog returned for the handle (a copy)."""
        copy = handle_pb2.HandleInfo()
        copy.CopyFrom(self._info)
        return copy

    def __len__(self) -> int:
        return self.height

    def __repr__(self) -> str:
        state = " (released)" if self._released else ""
        return f"<polaroid.RemoteDataFrame {self.id} shape={self.shape}{state}>"

    # ---- reading ---------------------------------------------------------------------------

    def lazy(self) -> LazyFrame:
        """A lazy query starting from this frame."""
        from polaroid.lazyframe import LazyFrame

        return LazyFrame(self._client, _plan.handle_plan(self.id), self.schema)

    def _collect(self, batch_size: int = 0) -> dataframe_pb2.CollectRequest:
        return dataframe_pb2.CollectRequest(handle=self.id, batch_size=batch_size)

    def to_polars(self) -> pl.DataFrame:
        """Downloads the frame as a ``polars.DataFrame``."""
        return ipc_to_polars(ipc_messages(self._client._transport.collect(self._collect())))

    async def to_polars_async(self) -> pl.DataFrame:
        """``to_polars()`` awaited (over an ``AsyncClient``'s channels, else in a thread)."""
        aio = getattr(self._client, "_aio", None)
        if aio is None:
            return await asyncio.to_thread(self.to_polars)
        return ipc_to_polars([m.arrow_ipc async for m in aio.collect(self._collect())])

    def to_arrow(self) -> pa.Table:
        """Downloads the frame as a ``pyarrow.Table`` (needs pyarrow)."""
        return ipc_to_arrow(ipc_messages(self._client._transport.collect(self._collect())))

    def iter_batches(self, *, chunk_size: int | None = None) -> Batches:
        """The frame as ``polars.DataFrame``s of ``chunk_size`` rows (the server's default
        when None), downloaded as they are read; closing the iterator cancels the download."""
        size = 0 if chunk_size is None else chunk_size
        if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= 2**32 - 1:
            raise ValueError(f"chunk_size must be a positive integer below 2**32: current value is {chunk_size!r}")
        return Batches(self._client._transport.collect(self._collect(size)))

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The Arrow PyCapsule stream of the frame (needs pyarrow): any Arrow consumer
        (``pyarrow.table(df)``, ``polars.DataFrame(df)``, DuckDB) downloads its batches as
        it reads them."""
        require_pyarrow(_STREAM)
        messages = self._client._transport.collect(self._collect())
        reader = arrow_reader(ipc_messages(messages), lambda: self.schema, messages.close)
        return reader.__arrow_c_stream__(requested_schema)

    # ---- lifetime --------------------------------------------------------------------------

    def release(self) -> None:
        """Drops this frame's reference to the handle (freed at zero); releasing twice, or a
        handle already gone, is harmless."""
        if not self._released:
            self._released = True
            self._client._transport.release(self.id)

    async def release_async(self) -> None:
        """``release()`` awaited (over an ``AsyncClient``'s channels, else in a thread)."""
        if self._released:
            return
        self._released = True
        aio = getattr(self._client, "_aio", None)
        if aio is None:
            await asyncio.to_thread(self._client._transport.release, self.id)
        else:
            await aio.release(self.id)

    def close(self) -> None:
        """Same as ``release()``."""
        self.release()

    def __enter__(self) -> RemoteDataFrame:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.release()

    async def __aenter__(self) -> RemoteDataFrame:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.release_async()
