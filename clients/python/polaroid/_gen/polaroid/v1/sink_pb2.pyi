from polaroid._gen.polaroid.v1 import plan_pb2 as _plan_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class OutputStore(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OUTPUT_STORE_UNSPECIFIED: _ClassVar[OutputStore]
    OUTPUT_STORE_FILES: _ClassVar[OutputStore]
    OUTPUT_STORE_S3: _ClassVar[OutputStore]
OUTPUT_STORE_UNSPECIFIED: OutputStore
OUTPUT_STORE_FILES: OutputStore
OUTPUT_STORE_S3: OutputStore

class SinkTarget(_message.Message):
    __slots__ = ("format", "path", "store", "bucket")
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    STORE_FIELD_NUMBER: _ClassVar[int]
    BUCKET_FIELD_NUMBER: _ClassVar[int]
    format: _plan_pb2.FileFormat
    path: str
    store: OutputStore
    bucket: str
    def __init__(self, format: _Optional[_Union[_plan_pb2.FileFormat, str]] = ..., path: _Optional[str] = ..., store: _Optional[_Union[OutputStore, str]] = ..., bucket: _Optional[str] = ...) -> None: ...

class SinkOptions(_message.Message):
    __slots__ = ("maintain_order", "mkdir", "sync_on_close", "compression", "compression_level", "check_extension", "statistics", "row_group_size", "data_pagesize_limit", "compat_level", "include_bom", "include_header", "separator", "quote_char", "line_terminator", "batch_size", "datetime_format", "date_format", "time_format", "float_scientific", "float_precision", "decimal_comma", "null_value", "quote_style")
    MAINTAIN_ORDER_FIELD_NUMBER: _ClassVar[int]
    MKDIR_FIELD_NUMBER: _ClassVar[int]
    SYNC_ON_CLOSE_FIELD_NUMBER: _ClassVar[int]
    COMPRESSION_FIELD_NUMBER: _ClassVar[int]
    COMPRESSION_LEVEL_FIELD_NUMBER: _ClassVar[int]
    CHECK_EXTENSION_FIELD_NUMBER: _ClassVar[int]
    STATISTICS_FIELD_NUMBER: _ClassVar[int]
    ROW_GROUP_SIZE_FIELD_NUMBER: _ClassVar[int]
    DATA_PAGESIZE_LIMIT_FIELD_NUMBER: _ClassVar[int]
    COMPAT_LEVEL_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_BOM_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_HEADER_FIELD_NUMBER: _ClassVar[int]
    SEPARATOR_FIELD_NUMBER: _ClassVar[int]
    QUOTE_CHAR_FIELD_NUMBER: _ClassVar[int]
    LINE_TERMINATOR_FIELD_NUMBER: _ClassVar[int]
    BATCH_SIZE_FIELD_NUMBER: _ClassVar[int]
    DATETIME_FORMAT_FIELD_NUMBER: _ClassVar[int]
    DATE_FORMAT_FIELD_NUMBER: _ClassVar[int]
    TIME_FORMAT_FIELD_NUMBER: _ClassVar[int]
    FLOAT_SCIENTIFIC_FIELD_NUMBER: _ClassVar[int]
    FLOAT_PRECISION_FIELD_NUMBER: _ClassVar[int]
    DECIMAL_COMMA_FIELD_NUMBER: _ClassVar[int]
    NULL_VALUE_FIELD_NUMBER: _ClassVar[int]
    QUOTE_STYLE_FIELD_NUMBER: _ClassVar[int]
    maintain_order: bool
    mkdir: bool
    sync_on_close: str
    compression: str
    compression_level: int
    check_extension: bool
    statistics: ParquetStatistics
    row_group_size: int
    data_pagesize_limit: int
    compat_level: str
    include_bom: bool
    include_header: bool
    separator: str
    quote_char: str
    line_terminator: str
    batch_size: int
    datetime_format: str
    date_format: str
    time_format: str
    float_scientific: bool
    float_precision: int
    decimal_comma: bool
    null_value: str
    quote_style: str
    def __init__(self, maintain_order: bool = ..., mkdir: bool = ..., sync_on_close: _Optional[str] = ..., compression: _Optional[str] = ..., compression_level: _Optional[int] = ..., check_extension: bool = ..., statistics: _Optional[_Union[ParquetStatistics, _Mapping]] = ..., row_group_size: _Optional[int] = ..., data_pagesize_limit: _Optional[int] = ..., compat_level: _Optional[str] = ..., include_bom: bool = ..., include_header: bool = ..., separator: _Optional[str] = ..., quote_char: _Optional[str] = ..., line_terminator: _Optional[str] = ..., batch_size: _Optional[int] = ..., datetime_format: _Optional[str] = ..., date_format: _Optional[str] = ..., time_format: _Optional[str] = ..., float_scientific: bool = ..., float_precision: _Optional[int] = ..., decimal_comma: bool = ..., null_value: _Optional[str] = ..., quote_style: _Optional[str] = ...) -> None: ...

class ParquetStatistics(_message.Message):
    __slots__ = ("enabled", "full", "set")
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    FULL_FIELD_NUMBER: _ClassVar[int]
    SET_FIELD_NUMBER: _ClassVar[int]
    enabled: bool
    full: bool
    set: ParquetStatisticsSet
    def __init__(self, enabled: bool = ..., full: bool = ..., set: _Optional[_Union[ParquetStatisticsSet, _Mapping]] = ...) -> None: ...

class ParquetStatisticsSet(_message.Message):
    __slots__ = ("min", "max", "distinct_count", "null_count")
    MIN_FIELD_NUMBER: _ClassVar[int]
    MAX_FIELD_NUMBER: _ClassVar[int]
    DISTINCT_COUNT_FIELD_NUMBER: _ClassVar[int]
    NULL_COUNT_FIELD_NUMBER: _ClassVar[int]
    min: bool
    max: bool
    distinct_count: bool
    null_count: bool
    def __init__(self, min: bool = ..., max: bool = ..., distinct_count: bool = ..., null_count: bool = ...) -> None: ...

class SinkRequest(_message.Message):
    __slots__ = ("plan", "target", "options")
    PLAN_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    plan: _plan_pb2.Plan
    target: SinkTarget
    options: SinkOptions
    def __init__(self, plan: _Optional[_Union[_plan_pb2.Plan, _Mapping]] = ..., target: _Optional[_Union[SinkTarget, _Mapping]] = ..., options: _Optional[_Union[SinkOptions, _Mapping]] = ...) -> None: ...

class SinkResponse(_message.Message):
    __slots__ = ("path", "rows", "bytes")
    PATH_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    BYTES_FIELD_NUMBER: _ClassVar[int]
    path: str
    rows: int
    bytes: int
    def __init__(self, path: _Optional[str] = ..., rows: _Optional[int] = ..., bytes: _Optional[int] = ...) -> None: ...
