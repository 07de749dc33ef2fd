"""File scans: Python Polars' ``scan_parquet``/``scan_csv``/``scan_ipc`` options as the
server's ``FileScan`` and ``ScanOptions`` (whose fields carry nodejs-polars' options). Every
supported option is sent explicitly with Python Polars' default, so a scan reads as
Python Polars reads it; any other option raises NotImplementedError naming it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

from polaroid._gen.polaroid.v1 import plan_pb2

__all__ = ["csv_scan", "ipc_scan", "parquet_scan"]


def _path(source: Any) -> str:
    if isinstance(source, PurePath):
        source = source.as_posix()
    if not isinstance(source, str) or not source:
        raise TypeError(
            f"Cannot scan as 'source' must be a path (str) under the server's data root: current value is {source!r}"
        )
    return source


def _refuse(function: str, unsupported: Mapping[str, Any]) -> None:
    if unsupported:
        names = ", ".join(sorted(unsupported))
        raise NotImplementedError(f"Cannot {function} with {names} as Polaroid does not support it yet")


def _count(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"Cannot scan as '{name}' must be a non-negative integer: current value is {value!r}")
    return value


def _row_index(options: plan_pb2.ScanOptions, name: str | None, offset: int) -> None:
    if name is not None:
        options.row_index_name = name
        options.row_index_offset = _count("row_index_offset", offset)
    elif offset:
        raise ValueError("Cannot scan as 'row_index_offset' needs 'row_index_name'")


def parquet_scan(
    source: Any,
    *,
    n_rows: int | None,
    row_index_name: str | None,
    row_index_offset: int,
    parallel: str,
    use_statistics: bool,
    hive_partitioning: bool | None,
    low_memory: bool,
    cache: bool,
    missing_columns: str,
    unsupported: Mapping[str, Any],
) -> plan_pb2.FileScan:
    """The FileScan of ``pl.scan_parquet(source, ...)``."""
    _refuse("scan Parquet", unsupported)
    if parallel not in ("auto", "columns", "row_groups", "none"):
        raise ValueError(f"parallel must be 'auto', 'columns', 'row_groups' or 'none': current value is {parallel!r}")
    if missing_columns not in ("raise", "insert"):
        raise ValueError(f"missing_columns must be 'raise' or 'insert': current value is {missing_columns!r}")
    options = plan_pb2.ScanOptions(
        parallel=parallel,
        use_statistics=bool(use_statistics),
        low_memory=bool(low_memory),
        cache=bool(cache),
        allow_missing_columns=missing_columns == "insert",
    )
    if n_rows is not None:
        options.n_rows = _count("n_rows", n_rows)
    _row_index(options, row_index_name, row_index_offset)
    if hive_partitioning is not None:
        options.hive_partitioning = bool(hive_partitioning)
    return plan_pb2.FileScan(format=plan_pb2.FILE_FORMAT_PARQUET, path=_path(source), options=options)


def csv_scan(
    source: Any,
    *,
    has_header: bool,
    separator: str,
    comment_prefix: str | None,
    quote_char: str | None,
    skip_rows: int,
    skip_lines: int,
    null_values: str | Sequence[str] | Mapping[str, str] | None,
    empty_string_is_null: bool,
    ignore_errors: bool,
    infer_schema_length: int | None,
    n_rows: int | None,
    encoding: str,
    low_memory: bool,
    skip_rows_after_header: int,
    row_index_name: str | None,
    row_index_offset: int,
    try_parse_dates: bool,
    eol_char: str,
    truncate_ragged_lines: bool | None,
    raise_if_empty: bool | None,
    decimal_comma: bool,
    unsupported: Mapping[str, Any],
) -> plan_pb2.FileScan:
    """The FileScan of ``pl.scan_csv(source, ...)``."""
    _refuse("scan CSV", unsupported)
    if not isinstance(separator, str) or len(separator) != 1:
        raise ValueError(f"separator must be one character: current value is {separator!r}")
    if encoding not in ("utf8", "utf8-lossy"):
        raise ValueError(f"encoding must be 'utf8' or 'utf8-lossy': current value is {encoding!r}")
    options = plan_pb2.ScanOptions(
        skip_rows=_count("skip_rows", skip_rows),
        skip_lines=_count("skip_lines", skip_lines),
        skip_rows_after_header=_count("skip_rows_after_header", skip_rows_after_header),
        quote_char=quote_char or "",
        missing_utf8_is_empty_string=not empty_string_is_null,
        ignore_errors=bool(ignore_errors),
        encoding=encoding,
        low_memory=bool(low_memory),
        parse_dates=bool(try_parse_dates),
        eol_char=eol_char,
        truncate_ragged_lines=bool(truncate_ragged_lines),
        raise_if_empty=True if raise_if_empty is None else bool(raise_if_empty),
        decimal_comma=bool(decimal_comma),
    )
    if infer_schema_length is None:
        options.infer_schema_all = True
    else:
        options.infer_schema_length = _count("infer_schema_length", infer_schema_length)
    if comment_prefix is not None:
        options.comment_prefix = comment_prefix
    if n_rows is not None:
        options.n_rows = _count("n_rows", n_rows)
    _row_index(options, row_index_name, row_index_offset)
    if isinstance(null_values, str):
        options.null_value = null_values
    elif isinstance(null_values, Mapping):
        options.null_value_map.values.update(dict(null_values))
    elif null_values is not None:
        options.null_value_list.values.extend(list(null_values))
    return plan_pb2.FileScan(
        format=plan_pb2.FILE_FORMAT_CSV,
        path=_path(source),
        has_header=bool(has_header),
        separator=separator,
        options=options,
    )


def ipc_scan(
    source: Any,
    *,
    n_rows: int | None,
    row_index_name: str | None,
    row_index_offset: int,
    unsupported: Mapping[str, Any],
) -> plan_pb2.FileScan:
    """The FileScan of ``pl.scan_ipc(source, ...)``."""
    _refuse("scan IPC", unsupported)
    if row_index_name is not None or row_index_offset:
        raise NotImplementedError("Cannot scan IPC with row_index_name as Polaroid does not support it yet")
    options = plan_pb2.ScanOptions()
    if n_rows is not None:
        options.n_rows = _count("n_rows", n_rows)
    return plan_pb2.FileScan(format=plan_pb2.FILE_FORMAT_IPC, path=_path(source), options=options)
