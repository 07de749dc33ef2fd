"""``sink_parquet``, ``sink_csv``, ``sink_ipc`` and ``sink_ndjson``: the server runs the plan
and writes the file (the Sink RPC, as the TypeScript SDK's sinks), under its output root
(POLAROID_OUTPUT_ROOT, the tenant's directory when authentication is on) or, for a path
``s3://<bucket>/<key>``, to its S3 output bucket. Python Polars' signatures and defaults
(sent explicitly); options the server cannot honour (``storage_options``, ``metadata``,
``lazy=True``, partitioned or file-object targets, ...) raise NotImplementedError naming
them. Mixed into LazyFrame (lazyframe.py).
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Literal, cast

from polaroid._gen.polaroid.v1 import plan_pb2, sink_pb2

if TYPE_CHECKING:
    from polaroid.lazyframe import LazyFrame

__all__ = ["SinkMethods"]

_FORMATS = {
    "parquet": plan_pb2.FILE_FORMAT_PARQUET,
    "csv": plan_pb2.FILE_FORMAT_CSV,
    "ipc": plan_pb2.FILE_FORMAT_IPC,
    "ndjson": plan_pb2.FILE_FORMAT_NDJSON,
}
_STATISTICS = {"min": "min", "max": "max", "distinct_count": "distinct_count", "null_count": "null_count"}


def _refuse(method: str, **options: tuple[Any, Any]) -> None:
    """NotImplementedError naming the first option given another value than its default."""
    for name, (value, default) in options.items():
        if value is not default and value != default:
            raise NotImplementedError(
                f"Cannot {method} with {name}={value!r} as Polaroid writes on the server (only {name}={default!r})"
            )


def _target(method: str, path: Any, file_format: str) -> sink_pb2.SinkTarget:
    if isinstance(path, PurePath):
        path = path.as_posix()
    if not isinstance(path, str):
        raise NotImplementedError(
            f"Cannot {method} to {type(path).__name__} as Polaroid writes a path on the server (a file object or a partitioning is not supported)"
        )
    target = sink_pb2.SinkTarget(format=_FORMATS[file_format], path=path, store=sink_pb2.OUTPUT_STORE_FILES)
    if path.startswith("s3://"):
        bucket, _, key = path[len("s3://") :].partition("/")
        store = sink_pb2.OUTPUT_STORE_S3
        target = sink_pb2.SinkTarget(format=_FORMATS[file_format], path=key, store=store, bucket=bucket)
    return target


def _statistics(value: Any) -> sink_pb2.ParquetStatistics:
    if isinstance(value, bool):
        return sink_pb2.ParquetStatistics(enabled=value)
    if value == "full":
        return sink_pb2.ParquetStatistics(full=True)
    if isinstance(value, dict):
        unknown = [k for k in value if k not in _STATISTICS]
        if unknown:
            raise ValueError(f"Cannot sink to Parquet as statistics has unknown keys: {unknown!r}")
        chosen = {k: bool(value.get(k, k != "distinct_count")) for k in _STATISTICS}
        return sink_pb2.ParquetStatistics(set=sink_pb2.ParquetStatisticsSet(**chosen))
    raise ValueError(f"statistics must be a bool, 'full' or a dict: current value is {value!r}")


class SinkMethods:
    """Mixin of LazyFrame: writing the result on the server."""

    __slots__ = ()

    def _sink(
        self, method: str, path: Any, file_format: str, options: sink_pb2.SinkOptions, common: dict[str, Any]
    ) -> None:
        _refuse(
            method,
            storage_options=(common["storage_options"], None),
            credential_provider=(common["credential_provider"], "auto"),
            lazy=(common["lazy"], False),
        )
        engine = common["engine"]
        if engine not in ("auto", "streaming", "in-memory"):
            raise NotImplementedError(f"Cannot {method} with engine={engine!r} as Polaroid runs sinks on the server's streaming engine")
        options.maintain_order = bool(common["maintain_order"])
        options.mkdir = bool(common["mkdir"])
        if common["sync_on_close"] is not None:
            options.sync_on_close = common["sync_on_close"]
        lf = cast("LazyFrame", self)
        request = sink_pb2.SinkRequest(plan=lf._plan, target=_target(method, path, file_format), options=options)
        lf._client._transport.sink(request)

    def sink_parquet(
        self,
        path: Any,
        *,
        compression: str = "zstd",
        compression_level: int | None = None,
        statistics: bool | str | dict[str, bool] = True,
        row_group_size: int | None = None,
        data_page_size: int | None = None,
        maintain_order: bool = True,
        storage_options: dict[str, Any] | None = None,
        credential_provider: Any = "auto",
        sync_on_close: Literal["none", "data", "all"] | None = None,
        metadata: Any = None,
        arrow_schema: Any = None,
        encryption: Any = None,
        mkdir: bool = False,
        lazy: bool = False,
        engine: str = "auto",
        optimizations: Any = None,
        sinked_paths_callback: Any = None,
    ) -> None:
        """Writes the result as a Parquet file on the server (``path`` under its output root,
        or ``s3://<bucket>/<key>``)."""
        _refuse(
            "sink to Parquet",
            metadata=(metadata, None),
            arrow_schema=(arrow_schema, None),
            encryption=(encryption, None),
            sinked_paths_callback=(sinked_paths_callback, None),
        )
        options = sink_pb2.SinkOptions(compression=compression, statistics=_statistics(statistics))
        if compression_level is not None:
            options.compression_level = compression_level
        if row_group_size is not None:
            options.row_group_size = row_group_size
        if data_page_size is not None:
            options.data_pagesize_limit = data_page_size
        self._sink("sink to Parquet", path, "parquet", options, locals())

    def sink_csv(
        self,
        path: Any,
        *,
        include_bom: bool = False,
        compression: Literal["uncompressed", "gzip", "zstd"] = "uncompressed",
        compression_level: int | None = None,
        check_extension: bool = True,
        include_header: bool = True,
        separator: str = ",",
        line_terminator: str = "\n",
        quote_char: str = '"',
        batch_size: int = 1024,
        datetime_format: str | None = None,
        date_format: str | None = None,
        time_format: str | None = None,
        float_scientific: bool | None = None,
        float_precision: int | None = None,
        decimal_comma: bool = False,
        null_value: str | None = None,
        quote_style: Literal["necessary", "always", "never", "non_numeric"] | None = None,
        maintain_order: bool = True,
        storage_options: dict[str, Any] | None = None,
        credential_provider: Any = "auto",
        sync_on_close: Literal["none", "data", "all"] | None = None,
        mkdir: bool = False,
        lazy: bool = False,
        engine: str = "auto",
        optimizations: Any = None,
    ) -> None:
        """Writes the result as a CSV file on the server."""
        options = sink_pb2.SinkOptions(
            include_bom=include_bom,
            compression=compression,
            check_extension=check_extension,
            include_header=include_header,
            separator=separator,
            line_terminator=line_terminator,
            quote_char=quote_char,
            batch_size=batch_size,
            decimal_comma=decimal_comma,
        )
        optional = {
            "compression_level": compression_level,
            "datetime_format": datetime_format,
            "date_format": date_format,
            "time_format": time_format,
            "float_scientific": float_scientific,
            "float_precision": float_precision,
            "null_value": null_value,
            "quote_style": quote_style,
        }
        for name, value in optional.items():
            if value is not None:
                setattr(options, name, value)
        self._sink("sink to CSV", path, "csv", options, locals())

    def sink_ipc(
        self,
        path: Any,
        *,
        compression: Literal["uncompressed", "lz4", "zstd"] | None = "uncompressed",
        compat_level: Any = None,
        record_batch_size: int | None = None,
        maintain_order: bool = True,
        storage_options: dict[str, Any] | None = None,
        credential_provider: Any = "auto",
        sync_on_close: Literal["none", "data", "all"] | None = None,
        mkdir: bool = False,
        lazy: bool = False,
        engine: str = "auto",
        optimizations: Any = None,
        _record_batch_statistics: bool = False,
        sinked_paths_callback: Any = None,
    ) -> None:
        """Writes the result as an Arrow IPC file on the server."""
        _refuse(
            "sink to IPC",
            compat_level=(compat_level, None),
            record_batch_size=(record_batch_size, None),
            _record_batch_statistics=(_record_batch_statistics, False),
            sinked_paths_callback=(sinked_paths_callback, None),
        )
        options = sink_pb2.SinkOptions(compression=compression or "uncompressed")
        self._sink("sink to IPC", path, "ipc", options, locals())

    def sink_ndjson(
        self,
        path: Any,
        *,
        compression: Literal["uncompressed", "gzip", "zstd"] = "uncompressed",
        compression_level: int | None = None,
        check_extension: bool = True,
        maintain_order: bool = True,
        storage_options: dict[str, Any] | None = None,
        credential_provider: Any = "auto",
        sync_on_close: Literal["none", "data", "all"] | None = None,
        mkdir: bool = False,
        lazy: bool = False,
        engine: str = "auto",
        optimizations: Any = None,
    ) -> None:
        """Writes the result as a newline-delimited JSON file on the server."""
        options = sink_pb2.SinkOptions(compression=compression, check_extension=check_extension)
        if compression_level is not None:
            options.compression_level = compression_level
        self._sink("sink to NDJSON", path, "ndjson", options, locals())
