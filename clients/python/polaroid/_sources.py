"""The lazy frames a client makes without a round trip (file scans under the server's data
root, SQL, ``select`` without a frame), shared by ``Client`` and ``AsyncClient``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from polaroid import _plan, _scan
from polaroid.dataframe import RemoteDataFrame
from polaroid.expr import IntoExpr
from polaroid.lazyframe import LazyFrame

if TYPE_CHECKING:
    from polaroid.client import Client

__all__ = ["FrameSource"]


class FrameSource:
    """Mixin of the clients: the lazy frames they make without a round trip."""

    __slots__ = ()

    def _self(self) -> Client:
        return self  # type: ignore[return-value]

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
        return LazyFrame(self._self(), _plan.file_plan(file))

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
        return LazyFrame(self._self(), _plan.file_plan(file))

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
        return LazyFrame(self._self(), _plan.file_plan(file))

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
        return LazyFrame(self._self(), _plan.sql_plan(query, plans, owned_handles))

    def select(self, *exprs: IntoExpr | Iterable[IntoExpr], **named_exprs: IntoExpr) -> LazyFrame:
        """Expressions evaluated with no frame, on the server (Python Polars' ``pl.select``)."""
        return LazyFrame(self._self(), _plan.empty_plan()).select(*exprs, **named_exprs)

