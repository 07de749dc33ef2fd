"""``connect()`` and ``Client``: a connection to a Polaroid compute endpoint, and the
entry points to remote frames (uploads, handles, file scans, SQL).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePath
from types import TracebackType
from typing import TYPE_CHECKING, Any

import polars as pl

from polaroid import _plan, _scan
from polaroid._arrow import arrow_to_ipc, polars_to_ipc
from polaroid._transport import Transport, call_metadata, credentials, resolve_endpoint
from polaroid.dataframe import RemoteDataFrame
from polaroid.expr import IntoExpr
from polaroid.lazyframe import LazyFrame, _ttl_seconds

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["Client", "connect"]

#: Deadline of each call, in seconds (the TypeScript SDK's default).
DEFAULT_TIMEOUT = 300.0
#: How long ``connect`` waits for the server to answer.
DEFAULT_CONNECT_TIMEOUT = 5.0


def _name(name: str | None) -> str:
    if name is None:
        return ""
    if not isinstance(name, str):
        raise TypeError(f"Cannot store the frame as 'name' must be a string: current value is {name!r}")
    return name


class Client:
    """A connection to one Polaroid compute endpoint; make one with ``polaroid.connect()``.
    Use it as a context manager, or call ``close()``."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    @property
    def endpoint(self) -> str:
        """The "host:port" this client calls."""
        return self._transport.endpoint

    def __repr__(self) -> str:
        state = "closed" if self._transport.closed else "open"
        return f"<polaroid.Client {self.endpoint} ({state})>"

    # ---- stored frames ---------------------------------------------------------------------

    def from_polars(
        self, df: pl.DataFrame, *, name: str | None = None, ttl: int | float | _dt.timedelta | None = None
    ) -> RemoteDataFrame:
        """Uploads a ``polars.DataFrame``; the result is stored on the server (``name``
        makes it a SQL table of that name; ``ttl`` is its idle time to live in seconds,
        the server's default when None)."""
        ipc = polars_to_ipc(df)
        info = self._transport.upload(ipc, name=_name(name), ttl_seconds=_ttl_seconds(ttl))
        return RemoteDataFrame(self, info)

    def from_arrow(
        self, table: pa.Table, *, name: str | None = None, ttl: int | float | _dt.timedelta | None = None
    ) -> RemoteDataFrame:
        """Uploads a ``pyarrow.Table`` (or RecordBatch), as ``from_polars``."""
        ipc = arrow_to_ipc(table)
        info = self._transport.upload(ipc, name=_name(name), ttl_seconds=_ttl_seconds(ttl))
        return RemoteDataFrame(self, info)

    def handle(self, handle_id: str) -> RemoteDataFrame:
        """Opens a stored frame by id (HandleNotFoundError when it is gone). The frame takes
        over one reference: its ``release()`` drops it."""
        _plan.handle_plan(handle_id)  # checks the id's shape
        return RemoteDataFrame(self, self._transport.describe(handle_id))

    # ---- lazy frames -----------------------------------------------------------------------

    def scan_parquet(
        self,
        source: str | PurePath,
        *,
        n_rows: int | None = None,
        row_index_name: str | None = None,
        row_index_offset: int = 0,
        parallel: str = "auto",
        use_statistics: bool = True,
        hive_partitioning: bool | None = None,
        low_memory: bool = False,
        cache: bool = True,
        missing_columns: str = "raise",
        **unsupported: Any,
    ) -> LazyFrame:
        """A lazy scan of Parquet file(s) under the server's data root (globs allowed)."""
        file = _scan.parquet_scan(
            source,
            n_rows=n_rows,
            row_index_name=row_index_name,
            row_index_offset=row_index_offset,
            parallel=parallel,
            use_statistics=use_statistics,
            hive_partitioning=hive_partitioning,
            low_memory=low_memory,
            cache=cache,
            missing_columns=missing_columns,
            unsupported=unsupported,
        )
        return LazyFrame(self, _plan.file_plan(file))

    def scan_csv(
        self,
        source: str | PurePath,
        *,
        has_header: bool = True,
        separator: str = ",",
        comment_prefix: str | None = None,
        quote_char: str | None = '"',
        skip_rows: int = 0,
        skip_lines: int = 0,
        null_values: str | Sequence[str] | Mapping[str, str] | None = None,
        empty_string_is_null: bool = True,
        ignore_errors: bool = False,
        infer_schema_length: int | None = 100,
        n_rows: int | None = None,
        encoding: str = "utf8",
        low_memory: bool = False,
        skip_rows_after_header: int = 0,
        row_index_name: str | None = None,
        row_index_offset: int = 0,
        try_parse_dates: bool = False,
        eol_char: str = "\n",
        truncate_ragged_lines: bool | None = None,
        raise_if_empty: bool | None = None,
        decimal_comma: bool = False,
        **unsupported: Any,
    ) -> LazyFrame:
        """A lazy scan of a CSV file under the server's data root."""
        file = _scan.csv_scan(
            source,
            has_header=has_header,
            separator=separator,
            comment_prefix=comment_prefix,
            quote_char=quote_char,
            skip_rows=skip_rows,
            skip_lines=skip_lines,
            null_values=null_values,
            empty_string_is_null=empty_string_is_null,
            ignore_errors=ignore_errors,
            infer_schema_length=infer_schema_length,
            n_rows=n_rows,
            encoding=encoding,
            low_memory=low_memory,
            skip_rows_after_header=skip_rows_after_header,
            row_index_name=row_index_name,
            row_index_offset=row_index_offset,
            try_parse_dates=try_parse_dates,
            eol_char=eol_char,
            truncate_ragged_lines=truncate_ragged_lines,
            raise_if_empty=raise_if_empty,
            decimal_comma=decimal_comma,
            unsupported=unsupported,
        )
        return LazyFrame(self, _plan.file_plan(file))

    def scan_ipc(
        self,
        source: str | PurePath,
        *,
        n_rows: int | None = None,
        row_index_name: str | None = None,
        row_index_offset: int = 0,
        **unsupported: Any,
    ) -> LazyFrame:
        """A lazy scan of Arrow IPC file(s) under the server's data root (globs allowed)."""
        file = _scan.ipc_scan(
            source,
            n_rows=n_rows,
            row_index_name=row_index_name,
            row_index_offset=row_index_offset,
            unsupported=unsupported,
        )
        return LazyFrame(self, _plan.file_plan(file))

    def sql(
        self,
        query: str,
        tables: Mapping[str, LazyFrame | RemoteDataFrame] | None = None,
        *,
        owned_handles: bool = False,
    ) -> LazyFrame:
        """A lazy SQL query over ``tables`` (lazy or stored frames by name) and, with
        ``owned_handles``, every named stored frame of the tenant."""
        plans = {}
        for table, frame in (tables or {}).items():
            if isinstance(frame, RemoteDataFrame):
                frame = frame.lazy()
            if not isinstance(frame, LazyFrame):
                raise TypeError(f"Cannot build a SQL query as table {table!r} must be a LazyFrame or RemoteDataFrame")
            if frame._client is not self:
                raise ValueError(f"Cannot build a SQL query as table {table!r} belongs to another client")
            plans[table] = frame._plan
        return LazyFrame(self, _plan.sql_plan(query, plans, owned_handles))

    def select(self, *exprs: IntoExpr | Iterable[IntoExpr], **named_exprs: IntoExpr) -> LazyFrame:
        """Expressions evaluated with no frame, on the server (Python Polars' ``pl.select``)."""
        return LazyFrame(self, _plan.empty_plan()).select(*exprs, **named_exprs)

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
    token: str | None = None,
    tenant: str | None = None,
    tls: bool | Mapping[str, str | bytes] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
) -> Client:
    """Connects to a compute endpoint ("host:port"; default: the POLAROID_ENDPOINT
    environment variable, else "127.0.0.1:50051").

    Args:
        token: an API key (``pk_...``) or a JWT, sent as ``authorization: Bearer <token>``
            on every call (servers with ``POLAROID_AUTH=token``).
        tenant: sent as ``x-polaroid-tenant`` on every call (with authentication on, it may
            only repeat the credential's tenant).
        tls: True for TLS verified by the system's CAs, or a mapping of PEM ``ca`` (verifies
            the server), ``cert`` and ``key`` (the client's certificate); plaintext when None.
        timeout: deadline of each call, in seconds.
        connect_timeout: how long to wait for the server to answer (UnavailableError
            otherwise); 0 skips the check.
    """
    transport = Transport(
        resolve_endpoint(endpoint),
        metadata=call_metadata(tenant, token),
        creds=credentials(tls),
        timeout=timeout,
        connect_timeout=connect_timeout,
    )
    return Client(transport)
