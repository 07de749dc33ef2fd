"""The methods of a LazyFrame that call the server: ``collect`` (to a ``polars.DataFrame``
or, with ``keep=True``, a stored ``RemoteDataFrame``), ``collect_async``,
``collect_batches``, ``to_arrow``, the Arrow PyCapsule stream, ``collect_schema`` and
``explain``. Mixed into LazyFrame (lazyframe.py), which builds the plans.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
from typing import TYPE_CHECKING, Any, Literal, overload

import polars as pl

from polaroid._arrow import STREAM as _STREAM
from polaroid._arrow import arrow_reader, ipc_to_arrow, ipc_to_polars, require_pyarrow
from polaroid._batches import Batches, ipc_messages
from polaroid._gen.polaroid.v1 import dataframe_pb2, plan_pb2
from polaroid.datatypes import schema_from_proto

if TYPE_CHECKING:
    import pyarrow as pa

    from polaroid._session import AnyClient
    from polaroid.dataframe import RemoteDataFrame

__all__ = ["EngineType", "LazyIO", "wire_engine", "ttl_seconds"]

EngineType = Literal["auto", "in-memory", "streaming"]


_ENGINES = {
    "auto": dataframe_pb2.ENGINE_UNSPECIFIED,
    "streaming": dataframe_pb2.ENGINE_STREAMING,
    "in-memory": dataframe_pb2.ENGINE_IN_MEMORY,
}


def wire_engine(engine: str) -> dataframe_pb2.Engine:
    """The Polars engine ``engine`` names, as sent ("auto": the server's default, streaming
    unless its operator set otherwise); ValueError for an unknown one."""
    if engine not in _ENGINES:
        raise ValueError(f"engine must be 'auto', 'in-memory' or 'streaming': current value is {engine!r}")
    return _ENGINES[engine]


def ttl_seconds(ttl: int | float | _dt.timedelta | None) -> int:
    """The ``ttl`` option as sent: whole seconds, 0 for the server's default."""
    if ttl is None:
        return 0
    seconds = ttl.total_seconds() if isinstance(ttl, _dt.timedelta) else ttl
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
        raise ValueError(
            f"Cannot store the frame as 'ttl' must be non-negative seconds or a timedelta: current value is {ttl!r}"
        )
    return int(seconds)


def _durable(durable: bool) -> bool:
    if not isinstance(durable, bool):
        raise TypeError(f"durable must be a bool: current value is {durable!r}")
    return durable


def _keep_only(name: str | None, ttl: object, durable: bool) -> None:
    """ValueError when an option of a kept result is given to a download."""
    if name is not None or ttl is not None or durable is not False:
        raise ValueError("'name', 'ttl' and 'durable' apply to collect(keep=True) only")


def _refuse(what: str, unsupported: dict[str, Any]) -> None:
    if unsupported:
        raise NotImplementedError(f"Cannot {what} with {', '.join(sorted(unsupported))} as Polaroid does not support it")


def _chunk_size(chunk_size: int | None) -> int:
    if chunk_size is None:
        return 0
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or not 1 <= chunk_size <= 2**32 - 1:
        raise ValueError(f"chunk_size must be a positive integer below 2**32: current value is {chunk_size!r}")
    return chunk_size


class LazyIO:
    """Mixin of LazyFrame: the methods that run the plan."""

    __slots__ = ()
    _client: AnyClient
    _plan: plan_pb2.Plan

    def _stored(self, info: Any) -> RemoteDataFrame:
        from polaroid.dataframe import RemoteDataFrame

        return RemoteDataFrame(self._client, info)

    @overload
    def collect(
        self,
        *,
        engine: EngineType = ...,
        keep: Literal[False] = ...,
        name: None = ...,
        ttl: None = ...,
        **unsupported: Any,
    ) -> pl.DataFrame: ...

    @overload
    def collect(
        self,
        *,
        engine: EngineType = ...,
        keep: Literal[True],
        name: str | None = ...,
        ttl: int | float | _dt.timedelta | None = ...,
        durable: bool = ...,
        **unsupported: Any,
    ) -> RemoteDataFrame: ...

    @overload
    def collect(
        self,
        *,
        engine: EngineType = ...,
        keep: bool,
        name: str | None = ...,
        ttl: int | float | _dt.timedelta | None = ...,
        durable: bool = ...,
        **unsupported: Any,
    ) -> pl.DataFrame | RemoteDataFrame: ...

    def collect(
        self,
        *,
        engine: EngineType = "auto",
        keep: bool = False,
        name: str | None = None,
        ttl: int | float | _dt.timedelta | None = None,
        durable: bool = False,
        **unsupported: Any,
    ) -> pl.DataFrame | RemoteDataFrame:
        """Runs the query on the server. By default the result is downloaded as a
        ``polars.DataFrame``; with ``keep=True`` it stays on the server as a
        ``RemoteDataFrame`` (optionally ``name``d, kept ``ttl`` seconds after its last use;
        ``durable=True`` writes it to a write-behind cluster's store before returning).
        ``engine`` picks Polars' engine ("auto": the server's default, streaming)."""
        _refuse("collect", unsupported)
        wire = wire_engine(engine)
        transport = self._client._transport
        if keep:
            info = transport.execute(
                self._plan, name=name or "", ttl_seconds=ttl_seconds(ttl), engine=wire, durable=_durable(durable)
            )
            return self._stored(info)
        _keep_only(name, ttl, durable)
        request = dataframe_pb2.CollectRequest(plan=self._plan, engine=wire)
        return ipc_to_polars(ipc_messages(transport.collect(request)))

    async def collect_async(
        self,
        *,
        gevent: bool = False,
        engine: EngineType = "auto",
        keep: bool = False,
        name: str | None = None,
        ttl: int | float | _dt.timedelta | None = None,
        durable: bool = False,
        **unsupported: Any,
    ) -> Any:
        """``collect()`` awaited: over the asyncio channels of an ``AsyncClient``'s frame,
        else in a worker thread (as Python Polars' ``collect_async``). Returns a
        ``polars.DataFrame``, or a ``RemoteDataFrame`` with ``keep=True``."""
        if gevent:
            raise NotImplementedError("Cannot collect with gevent=True as Polaroid supports asyncio only")
        _refuse("collect", unsupported)
        aio = getattr(self._client, "_aio", None)
        if aio is None:
            return await asyncio.to_thread(
                lambda: self.collect(engine=engine, keep=keep, name=name, ttl=ttl, durable=durable)
            )
        wire = wire_engine(engine)
        if keep:
            info = await aio.execute(
                self._plan, name=name or "", ttl_seconds=ttl_seconds(ttl), engine=wire, durable=_durable(durable)
            )
            return self._stored(info)
        _keep_only(name, ttl, durable)
        request = dataframe_pb2.CollectRequest(plan=self._plan, engine=wire)
        return ipc_to_polars([message.arrow_ipc async for message in aio.collect(request)])

    def collect_batches(
        self,
        *,
        chunk_size: int | None = None,
        maintain_order: bool = True,
        lazy: bool = False,
        engine: EngineType = "auto",
        **unsupported: Any,
    ) -> Batches:
        """Runs the query and yields its result as ``polars.DataFrame``s, one per batch the
        server sends (of ``chunk_size`` rows, the server's default when None), as they
        arrive. Closing the iterator (or dropping it) cancels the download. Unless ``lazy``,
        the query starts at once: this returns once the first batch has arrived."""
        _refuse("collect batches", unsupported)
        if maintain_order is not True:
            raise NotImplementedError(
                "Cannot collect batches with maintain_order=False as Polaroid always sends the rows in order"
            )
        request = dataframe_pb2.CollectRequest(plan=self._plan, engine=wire_engine(engine), batch_size=_chunk_size(chunk_size))
        batches = Batches(self._client._transport.collect(request))
        if not lazy:
            batches.prime()
        return batches

    def to_arrow(self, *, engine: EngineType = "auto") -> pa.Table:
        """Runs the query and downloads the result as a pyarrow Table (needs pyarrow)."""
        request = dataframe_pb2.CollectRequest(plan=self._plan, engine=wire_engine(engine))
        return ipc_to_arrow(ipc_messages(self._client._transport.collect(request)))

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The Arrow PyCapsule stream of the query's result (needs pyarrow): any Arrow
        consumer (``pyarrow.table(lf)``, ``polars.DataFrame(lf)``, DuckDB) runs the query and
        reads its batches as they arrive."""
        require_pyarrow(_STREAM)
        request = dataframe_pb2.CollectRequest(plan=self._plan)
        messages = self._client._transport.collect(request)
        reader = arrow_reader(ipc_messages(messages), self.collect_schema, messages.close)
        return reader.__arrow_c_stream__(requested_schema)

    def collect_schema(self) -> pl.Schema:
        """The result's column names and types, resolved by the server without running the
        query."""
        response = self._client._transport.schema(dataframe_pb2.SchemaRequest(plan=self._plan))
        return schema_from_proto(response.schema)

    async def collect_schema_async(self) -> pl.Schema:
        """``collect_schema()`` awaited (over an ``AsyncClient``'s channels, else a thread)."""
        aio = getattr(self._client, "_aio", None)
        if aio is None:
            return await asyncio.to_thread(self.collect_schema)
        response = await aio.schema(dataframe_pb2.SchemaRequest(plan=self._plan))
        return schema_from_proto(response.schema)

    def explain(self, *, format: Literal["plain"] = "plain", optimized: bool = True) -> str:
        """The query plan as Polars prints it (optimized unless ``optimized=False``)."""
        if format != "plain":
            raise NotImplementedError(
                f"Cannot explain with format={format!r} as Polaroid does not support it yet (only format='plain')"
            )
        response = self._client._transport.explain(self._plan)
        return response.optimized if optimized else response.logical

