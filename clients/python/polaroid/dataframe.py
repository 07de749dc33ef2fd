"""``RemoteDataFrame``: a frame stored on the server under a handle (an upload's or a
``collect(keep=True)`` result), with its schema and shape known locally. It holds one
reference to the handle: ``release()`` (or leaving a ``with`` block) drops it; the server
also frees it after its idle TTL.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

import polars as pl

from polaroid import _plan
from polaroid._arrow import ipc_to_arrow, ipc_to_polars
from polaroid._gen.polaroid.v1 import dataframe_pb2, handle_pb2
from polaroid.datatypes import schema_from_proto

if TYPE_CHECKING:
    import pyarrow as pa

    from polaroid.client import Client
    from polaroid.lazyframe import LazyFrame

__all__ = ["RemoteDataFrame"]


class RemoteDataFrame:
    """A frame stored on the server. Query it with ``lazy()``, download it with
    ``to_polars()`` or ``to_arrow()``, free it with ``release()`` or a ``with`` block."""

    __slots__ = ("_client", "_info", "_released")

    def __init__(self, client: Client, info: handle_pb2.HandleInfo) -> None:
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

    def _collect(self) -> dataframe_pb2.CollectRequest:
        return dataframe_pb2.CollectRequest(handle=self.id)

    def to_polars(self) -> pl.DataFrame:
        """Downloads the frame as a ``polars.DataFrame``."""
        return ipc_to_polars(self._client._transport.collect(self._collect()))

    def to_arrow(self) -> pa.Table:
        """Downloads the frame as a ``pyarrow.Table`` (needs pyarrow)."""
        return ipc_to_arrow(self._client._transport.collect(self._collect()))

    # ---- lifetime --------------------------------------------------------------------------

    def release(self) -> None:
        """Drops this frame's reference to the handle (freed at zero); releasing twice, or a
        handle already gone, is harmless."""
        if not self._released:
            self._released = True
            self._client._transport.release(self.id)

    def close(self) -> None:
        """Same as ``release()``."""
        self.release()

    def __enter__(self) -> RemoteDataFrame:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.release()
