from polaroid._gen.polaroid.v1 import expr_pb2 as _expr_pb2
from polaroid._gen.polaroid.v1 import types_pb2 as _types_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FileFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FILE_FORMAT_UNSPECIFIED: _ClassVar[FileFormat]
    FILE_FORMAT_PARQUET: _ClassVar[FileFormat]
    FILE_FORMAT_CSV: _ClassVar[FileFormat]
    FILE_FORMAT_IPC: _ClassVar[FileFormat]
    FILE_FORMAT_NDJSON: _ClassVar[FileFormat]

class GroupByOutput(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    GROUP_BY_OUTPUT_UNSPECIFIED: _ClassVar[GroupByOutput]
    GROUP_BY_OUTPUT_AGG: _ClassVar[GroupByOutput]
    GROUP_BY_OUTPUT_HEAD: _ClassVar[GroupByOutput]
    GROUP_BY_OUTPUT_TAIL: _ClassVar[GroupByOutput]
    GROUP_BY_OUTPUT_LEN: _ClassVar[GroupByOutput]

class JoinType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    JOIN_TYPE_UNSPECIFIED: _ClassVar[JoinType]
    JOIN_TYPE_INNER: _ClassVar[JoinType]
    JOIN_TYPE_LEFT: _ClassVar[JoinType]
    JOIN_TYPE_FULL: _ClassVar[JoinType]
    JOIN_TYPE_SEMI: _ClassVar[JoinType]
    JOIN_TYPE_ANTI: _ClassVar[JoinType]
    JOIN_TYPE_CROSS: _ClassVar[JoinType]

class JoinMaintainOrder(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    JOIN_MAINTAIN_ORDER_UNSPECIFIED: _ClassVar[JoinMaintainOrder]
    JOIN_MAINTAIN_ORDER_NONE: _ClassVar[JoinMaintainOrder]
    JOIN_MAINTAIN_ORDER_LEFT: _ClassVar[JoinMaintainOrder]
    JOIN_MAINTAIN_ORDER_RIGHT: _ClassVar[JoinMaintainOrder]
    JOIN_MAINTAIN_ORDER_LEFT_RIGHT: _ClassVar[JoinMaintainOrder]
    JOIN_MAINTAIN_ORDER_RIGHT_LEFT: _ClassVar[JoinMaintainOrder]

class UniqueKeep(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    UNIQUE_KEEP_UNSPECIFIED: _ClassVar[UniqueKeep]
    UNIQUE_KEEP_ANY: _ClassVar[UniqueKeep]
    UNIQUE_KEEP_FIRST: _ClassVar[UniqueKeep]
    UNIQUE_KEEP_LAST: _ClassVar[UniqueKeep]
    UNIQUE_KEEP_NONE: _ClassVar[UniqueKeep]

class ConcatHow(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONCAT_HOW_UNSPECIFIED: _ClassVar[ConcatHow]
    CONCAT_HOW_VERTICAL: _ClassVar[ConcatHow]
    CONCAT_HOW_VERTICAL_RELAXED: _ClassVar[ConcatHow]
    CONCAT_HOW_HORIZONTAL: _ClassVar[ConcatHow]
    CONCAT_HOW_DIAGONAL: _ClassVar[ConcatHow]
    CONCAT_HOW_DIAGONAL_RELAXED: _ClassVar[ConcatHow]
    CONCAT_HOW_ALIGN: _ClassVar[ConcatHow]
    CONCAT_HOW_ALIGN_INNER: _ClassVar[ConcatHow]
    CONCAT_HOW_ALIGN_FULL: _ClassVar[ConcatHow]
    CONCAT_HOW_ALIGN_LEFT: _ClassVar[ConcatHow]
    CONCAT_HOW_ALIGN_RIGHT: _ClassVar[ConcatHow]

class PivotAgg(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PIVOT_AGG_UNSPECIFIED: _ClassVar[PivotAgg]
    PIVOT_AGG_FIRST: _ClassVar[PivotAgg]
    PIVOT_AGG_SUM: _ClassVar[PivotAgg]
    PIVOT_AGG_MAX: _ClassVar[PivotAgg]
    PIVOT_AGG_MIN: _ClassVar[PivotAgg]
    PIVOT_AGG_MEAN: _ClassVar[PivotAgg]
    PIVOT_AGG_MEDIAN: _ClassVar[PivotAgg]
    PIVOT_AGG_LAST: _ClassVar[PivotAgg]
    PIVOT_AGG_COUNT: _ClassVar[PivotAgg]

class ClosedWindow(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CLOSED_WINDOW_UNSPECIFIED: _ClassVar[ClosedWindow]
    CLOSED_WINDOW_LEFT: _ClassVar[ClosedWindow]
    CLOSED_WINDOW_RIGHT: _ClassVar[ClosedWindow]
    CLOSED_WINDOW_BOTH: _ClassVar[ClosedWindow]
    CLOSED_WINDOW_NONE: _ClassVar[ClosedWindow]

class WindowLabel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WINDOW_LABEL_UNSPECIFIED: _ClassVar[WindowLabel]
    WINDOW_LABEL_LEFT: _ClassVar[WindowLabel]
    WINDOW_LABEL_RIGHT: _ClassVar[WindowLabel]
    WINDOW_LABEL_DATAPOINT: _ClassVar[WindowLabel]

class StartBy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    START_BY_UNSPECIFIED: _ClassVar[StartBy]
    START_BY_WINDOW: _ClassVar[StartBy]
    START_BY_DATAPOINT: _ClassVar[StartBy]
    START_BY_MONDAY: _ClassVar[StartBy]
    START_BY_TUESDAY: _ClassVar[StartBy]
    START_BY_WEDNESDAY: _ClassVar[StartBy]
    START_BY_THURSDAY: _ClassVar[StartBy]
    START_BY_FRIDAY: _ClassVar[StartBy]
    START_BY_SATURDAY: _ClassVar[StartBy]
    START_BY_SUNDAY: _ClassVar[StartBy]

class AsofStrategy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ASOF_STRATEGY_UNSPECIFIED: _ClassVar[AsofStrategy]
    ASOF_STRATEGY_BACKWARD: _ClassVar[AsofStrategy]
    ASOF_STRATEGY_FORWARD: _ClassVar[AsofStrategy]
    ASOF_STRATEGY_NEAREST: _ClassVar[AsofStrategy]

class StatTestKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STAT_TEST_KIND_UNSPECIFIED: _ClassVar[StatTestKind]
    STAT_TEST_KIND_ADF: _ClassVar[StatTestKind]
    STAT_TEST_KIND_KPSS: _ClassVar[StatTestKind]
    STAT_TEST_KIND_COINT: _ClassVar[StatTestKind]
    STAT_TEST_KIND_JOHANSEN: _ClassVar[StatTestKind]
    STAT_TEST_KIND_HALF_LIFE: _ClassVar[StatTestKind]
    STAT_TEST_KIND_HURST: _ClassVar[StatTestKind]
FILE_FORMAT_UNSPECIFIED: FileFormat
FILE_FORMAT_PARQUET: FileFormat
FILE_FORMAT_CSV: FileFormat
FILE_FORMAT_IPC: FileFormat
FILE_FORMAT_NDJSON: FileFormat
GROUP_BY_OUTPUT_UNSPECIFIED: GroupByOutput
GROUP_BY_OUTPUT_AGG: GroupByOutput
GROUP_BY_OUTPUT_HEAD: GroupByOutput
GROUP_BY_OUTPUT_TAIL: GroupByOutput
GROUP_BY_OUTPUT_LEN: GroupByOutput
JOIN_TYPE_UNSPECIFIED: JoinType
JOIN_TYPE_INNER: JoinType
JOIN_TYPE_LEFT: JoinType
JOIN_TYPE_FULL: JoinType
JOIN_TYPE_SEMI: JoinType
JOIN_TYPE_ANTI: JoinType
JOIN_TYPE_CROSS: JoinType
JOIN_MAINTAIN_ORDER_UNSPECIFIED: JoinMaintainOrder
JOIN_MAINTAIN_ORDER_NONE: JoinMaintainOrder
JOIN_MAINTAIN_ORDER_LEFT: JoinMaintainOrder
JOIN_MAINTAIN_ORDER_RIGHT: JoinMaintainOrder
JOIN_MAINTAIN_ORDER_LEFT_RIGHT: JoinMaintainOrder
JOIN_MAINTAIN_ORDER_RIGHT_LEFT: JoinMaintainOrder
UNIQUE_KEEP_UNSPECIFIED: UniqueKeep
UNIQUE_KEEP_ANY: UniqueKeep
UNIQUE_KEEP_FIRST: UniqueKeep
UNIQUE_KEEP_LAST: UniqueKeep
UNIQUE_KEEP_NONE: UniqueKeep
CONCAT_HOW_UNSPECIFIED: ConcatHow
CONCAT_HOW_VERTICAL: ConcatHow
CONCAT_HOW_VERTICAL_RELAXED: ConcatHow
CONCAT_HOW_HORIZONTAL: ConcatHow
CONCAT_HOW_DIAGONAL: ConcatHow
CONCAT_HOW_DIAGONAL_RELAXED: ConcatHow
CONCAT_HOW_ALIGN: ConcatHow
CONCAT_HOW_ALIGN_INNER: ConcatHow
CONCAT_HOW_ALIGN_FULL: ConcatHow
CONCAT_HOW_ALIGN_LEFT: ConcatHow
CONCAT_HOW_ALIGN_RIGHT: ConcatHow
PIVOT_AGG_UNSPECIFIED: PivotAgg
PIVOT_AGG_FIRST: PivotAgg
PIVOT_AGG_SUM: PivotAgg
PIVOT_AGG_MAX: PivotAgg
PIVOT_AGG_MIN: PivotAgg
PIVOT_AGG_MEAN: PivotAgg
PIVOT_AGG_MEDIAN: PivotAgg
PIVOT_AGG_LAST: PivotAgg
PIVOT_AGG_COUNT: PivotAgg
CLOSED_WINDOW_UNSPECIFIED: ClosedWindow
CLOSED_WINDOW_LEFT: ClosedWindow
CLOSED_WINDOW_RIGHT: ClosedWindow
CLOSED_WINDOW_BOTH: ClosedWindow
CLOSED_WINDOW_NONE: ClosedWindow
WINDOW_LABEL_UNSPECIFIED: WindowLabel
WINDOW_LABEL_LEFT: WindowLabel
WINDOW_LABEL_RIGHT: WindowLabel
WINDOW_LABEL_DATAPOINT: WindowLabel
START_BY_UNSPECIFIED: StartBy
START_BY_WINDOW: StartBy
START_BY_DATAPOINT: StartBy
START_BY_MONDAY: StartBy
START_BY_TUESDAY: StartBy
START_BY_WEDNESDAY: StartBy
START_BY_THURSDAY: StartBy
START_BY_FRIDAY: StartBy
START_BY_SATURDAY: StartBy
START_BY_SUNDAY: StartBy
ASOF_STRATEGY_UNSPECIFIED: AsofStrategy
ASOF_STRATEGY_BACKWARD: AsofStrategy
ASOF_STRATEGY_FORWARD: AsofStrategy
ASOF_STRATEGY_NEAREST: AsofStrategy
STAT_TEST_KIND_UNSPECIFIED: StatTestKind
STAT_TEST_KIND_ADF: StatTestKind
STAT_TEST_KIND_KPSS: StatTestKind
STAT_TEST_KIND_COINT: StatTestKind
STAT_TEST_KIND_JOHANSEN: StatTestKind
STAT_TEST_KIND_HALF_LIFE: StatTestKind
STAT_TEST_KIND_HURST: StatTestKind

class Plan(_message.Message):
    __slots__ = ("scan", "filter", "select", "with_columns", "sort", "slice", "tail", "group_by", "join", "unique", "drop", "rename", "cast", "explode", "unpivot", "concat", "with_row_index", "drop_nulls", "unnest", "cache", "pivot", "group_by_dynamic", "group_by_rolling", "join_asof", "sql", "stat_test")
    SCAN_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    SELECT_FIELD_NUMBER: _ClassVar[int]
    WITH_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    SORT_FIELD_NUMBER: _ClassVar[int]
    SLICE_FIELD_NUMBER: _ClassVar[int]
    TAIL_FIELD_NUMBER: _ClassVar[int]
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    JOIN_FIELD_NUMBER: _ClassVar[int]
    UNIQUE_FIELD_NUMBER: _ClassVar[int]
    DROP_FIELD_NUMBER: _ClassVar[int]
    RENAME_FIELD_NUMBER: _ClassVar[int]
    CAST_FIELD_NUMBER: _ClassVar[int]
    EXPLODE_FIELD_NUMBER: _ClassVar[int]
    UNPIVOT_FIELD_NUMBER: _ClassVar[int]
    CONCAT_FIELD_NUMBER: _ClassVar[int]
    WITH_ROW_INDEX_FIELD_NUMBER: _ClassVar[int]
    DROP_NULLS_FIELD_NUMBER: _ClassVar[int]
    UNNEST_FIELD_NUMBER: _ClassVar[int]
    CACHE_FIELD_NUMBER: _ClassVar[int]
    PIVOT_FIELD_NUMBER: _ClassVar[int]
    GROUP_BY_DYNAMIC_FIELD_NUMBER: _ClassVar[int]
    GROUP_BY_ROLLING_FIELD_NUMBER: _ClassVar[int]
    JOIN_ASOF_FIELD_NUMBER: _ClassVar[int]
    SQL_FIELD_NUMBER: _ClassVar[int]
    STAT_TEST_FIELD_NUMBER: _ClassVar[int]
    scan: Scan
    filter: Filter
    select: Select
    with_columns: WithColumns
    sort: Sort
    slice: Slice
    tail: Tail
    group_by: GroupBy
    join: Join
    unique: Unique
    drop: Drop
    rename: Rename
    cast: CastColumns
    explode: Explode
    unpivot: Unpivot
    concat: Concat
    with_row_index: WithRowIndex
    drop_nulls: DropNulls
    unnest: Unnest
    cache: Cache
    pivot: Pivot
    group_by_dynamic: GroupByDynamic
    group_by_rolling: GroupByRolling
    join_asof: JoinAsof
    sql: Sql
    stat_test: StatTest
    def __init__(self, scan: _Optional[_Union[Scan, _Mapping]] = ..., filter: _Optional[_Union[Filter, _Mapping]] = ..., select: _Optional[_Union[Select, _Mapping]] = ..., with_columns: _Optional[_Union[WithColumns, _Mapping]] = ..., sort: _Optional[_Union[Sort, _Mapping]] = ..., slice: _Optional[_Union[Slice, _Mapping]] = ..., tail: _Optional[_Union[Tail, _Mapping]] = ..., group_by: _Optional[_Union[GroupBy, _Mapping]] = ..., join: _Optional[_Union[Join, _Mapping]] = ..., unique: _Optional[_Union[Unique, _Mapping]] = ..., drop: _Optional[_Union[Drop, _Mapping]] = ..., rename: _Optional[_Union[Rename, _Mapping]] = ..., cast: _Optional[_Union[CastColumns, _Mapping]] = ..., explode: _Optional[_Union[Explode, _Mapping]] = ..., unpivot: _Optional[_Union[Unpivot, _Mapping]] = ..., concat: _Optional[_Union[Concat, _Mapping]] = ..., with_row_index: _Optional[_Union[WithRowIndex, _Mapping]] = ..., drop_nulls: _Optional[_Union[DropNulls, _Mapping]] = ..., unnest: _Optional[_Union[Unnest, _Mapping]] = ..., cache: _Optional[_Union[Cache, _Mapping]] = ..., pivot: _Optional[_Union[Pivot, _Mapping]] = ..., group_by_dynamic: _Optional[_Union[GroupByDynamic, _Mapping]] = ..., group_by_rolling: _Optional[_Union[GroupByRolling, _Mapping]] = ..., join_asof: _Optional[_Union[JoinAsof, _Mapping]] = ..., sql: _Optional[_Union[Sql, _Mapping]] = ..., stat_test: _Optional[_Union[StatTest, _Mapping]] = ...) -> None: ...

class FileScan(_message.Message):
    __slots__ = ("format", "path", "has_header", "separator", "options")
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    HAS_HEADER_FIELD_NUMBER: _ClassVar[int]
    SEPARATOR_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    format: FileFormat
    path: str
    has_header: bool
    separator: str
    options: ScanOptions
    def __init__(self, format: _Optional[_Union[FileFormat, str]] = ..., path: _Optional[str] = ..., has_header: bool = ..., separator: _Optional[str] = ..., options: _Optional[_Union[ScanOptions, _Mapping]] = ...) -> None: ...

class ScanOptions(_message.Message):
    __slots__ = ("n_rows", "row_index_name", "row_index_offset", "rechunk", "cache", "low_memory", "ignore_errors", "infer_schema_length", "infer_schema_all", "skip_rows", "skip_lines", "skip_rows_after_header", "comment_prefix", "quote_char", "null_value", "null_value_list", "null_value_map", "eol_char", "missing_utf8_is_empty_string", "raise_if_empty", "truncate_ragged_lines", "decimal_comma", "parse_dates", "encoding", "schema", "use_statistics", "parallel", "hive_partitioning", "allow_missing_columns")
    N_ROWS_FIELD_NUMBER: _ClassVar[int]
    ROW_INDEX_NAME_FIELD_NUMBER: _ClassVar[int]
    ROW_INDEX_OFFSET_FIELD_NUMBER: _ClassVar[int]
    RECHUNK_FIELD_NUMBER: _ClassVar[int]
    CACHE_FIELD_NUMBER: _ClassVar[int]
    LOW_MEMORY_FIELD_NUMBER: _ClassVar[int]
    IGNORE_ERRORS_FIELD_NUMBER: _ClassVar[int]
    INFER_SCHEMA_LENGTH_FIELD_NUMBER: _ClassVar[int]
    INFER_SCHEMA_ALL_FIELD_NUMBER: _ClassVar[int]
    SKIP_ROWS_FIELD_NUMBER: _ClassVar[int]
    SKIP_LINES_FIELD_NUMBER: _ClassVar[int]
    SKIP_ROWS_AFTER_HEADER_FIELD_NUMBER: _ClassVar[int]
    COMMENT_PREFIX_FIELD_NUMBER: _ClassVar[int]
    QUOTE_CHAR_FIELD_NUMBER: _ClassVar[int]
    NULL_VALUE_FIELD_NUMBER: _ClassVar[int]
    NULL_VALUE_LIST_FIELD_NUMBER: _ClassVar[int]
    NULL_VALUE_MAP_FIELD_NUMBER: _ClassVar[int]
    EOL_CHAR_FIELD_NUMBER: _ClassVar[int]
    MISSING_UTF8_IS_EMPTY_STRING_FIELD_NUMBER: _ClassVar[int]
    RAISE_IF_EMPTY_FIELD_NUMBER: _ClassVar[int]
    TRUNCATE_RAGGED_LINES_FIELD_NUMBER: _ClassVar[int]
    DECIMAL_COMMA_FIELD_NUMBER: _ClassVar[int]
    PARSE_DATES_FIELD_NUMBER: _ClassVar[int]
    ENCODING_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_FIELD_NUMBER: _ClassVar[int]
    USE_STATISTICS_FIELD_NUMBER: _ClassVar[int]
    PARALLEL_FIELD_NUMBER: _ClassVar[int]
    HIVE_PARTITIONING_FIELD_NUMBER: _ClassVar[int]
    ALLOW_MISSING_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    n_rows: int
    row_index_name: str
    row_index_offset: int
    rechunk: bool
    cache: bool
    low_memory: bool
    ignore_errors: bool
    infer_schema_length: int
    infer_schema_all: bool
    skip_rows: int
    skip_lines: int
    skip_rows_after_header: int
    comment_prefix: str
    quote_char: str
    null_value: str
    null_value_list: NullValueList
    null_value_map: NullValueMap
    eol_char: str
    missing_utf8_is_empty_string: bool
    raise_if_empty: bool
    truncate_ragged_lines: bool
    decimal_comma: bool
    parse_dates: bool
    encoding: str
    schema: _containers.RepeatedCompositeFieldContainer[_types_pb2.Field]
    use_statistics: bool
    parallel: str
    hive_partitioning: bool
    allow_missing_columns: bool
    def __init__(self, n_rows: _Optional[int] = ..., row_index_name: _Optional[str] = ..., row_index_offset: _Optional[int] = ..., rechunk: bool = ..., cache: bool = ..., low_memory: bool = ..., ignore_errors: bool = ..., infer_schema_length: _Optional[int] = ..., infer_schema_all: bool = ..., skip_rows: _Optional[int] = ..., skip_lines: _Optional[int] = ..., skip_rows_after_header: _Optional[int] = ..., comment_prefix: _Optional[str] = ..., quote_char: _Optional[str] = ..., null_value: _Optional[str] = ..., null_value_list: _Optional[_Union[NullValueList, _Mapping]] = ..., null_value_map: _Optional[_Union[NullValueMap, _Mapping]] = ..., eol_char: _Optional[str] = ..., missing_utf8_is_empty_string: bool = ..., raise_if_empty: bool = ..., truncate_ragged_lines: bool = ..., decimal_comma: bool = ..., parse_dates: bool = ..., encoding: _Optional[str] = ..., schema: _Optional[_Iterable[_Union[_types_pb2.Field, _Mapping]]] = ..., use_statistics: bool = ..., parallel: _Optional[str] = ..., hive_partitioning: bool = ..., allow_missing_columns: bool = ...) -> None: ...

class NullValueList(_message.Message):
    __slots__ = ("values",)
    VALUES_FIELD_NUMBER: _ClassVar[int]
    values: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, values: _Optional[_Iterable[str]] = ...) -> None: ...

class NullValueMap(_message.Message):
    __slots__ = ("values",)
    class ValuesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    VALUES_FIELD_NUMBER: _ClassVar[int]
    values: _containers.ScalarMap[str, str]
    def __init__(self, values: _Optional[_Mapping[str, str]] = ...) -> None: ...

class Scan(_message.Message):
    __slots__ = ("handle", "file", "empty", "live")
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    FILE_FIELD_NUMBER: _ClassVar[int]
    EMPTY_FIELD_NUMBER: _ClassVar[int]
    LIVE_FIELD_NUMBER: _ClassVar[int]
    handle: str
    file: FileScan
    empty: EmptyFrame
    live: LiveTableScan
    def __init__(self, handle: _Optional[str] = ..., file: _Optional[_Union[FileScan, _Mapping]] = ..., empty: _Optional[_Union[EmptyFrame, _Mapping]] = ..., live: _Optional[_Union[LiveTableScan, _Mapping]] = ...) -> None: ...

class LiveTableScan(_message.Message):
    __slots__ = ("table",)
    TABLE_FIELD_NUMBER: _ClassVar[int]
    table: str
    def __init__(self, table: _Optional[str] = ...) -> None: ...

class EmptyFrame(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Filter(_message.Message):
    __slots__ = ("input", "predicate")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    PREDICATE_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    predicate: _expr_pb2.Expr
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ..., predicate: _Optional[_Union[_expr_pb2.Expr, _Mapping]] = ...) -> None: ...

class Select(_message.Message):
    __slots__ = ("input", "exprs")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    EXPRS_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    exprs: _containers.RepeatedCompositeFieldContainer[_expr_pb2.Expr]
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ..., exprs: _Optional[_Iterable[_Union[_expr_pb2.Expr, _Mapping]]] = ...) -> None: ...

class WithColumns(_message.Message):
    __slots__ = ("input", "exprs")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    EXPRS_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    exprs: _containers.RepeatedCompositeFieldContainer[_expr_pb2.Expr]
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ..., exprs: _Optional[_Iterable[_Union[_expr_pb2.Expr, _Mapping]]] = ...) -> None: ...

class Sort(_message.Message):
    __slots__ = ("input", "by", "descending", "nulls_last", "maintain_order")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    DESCENDING_FIELD_NUMBER: _ClassVar[int]
    NULLS_LAST_FIELD_NUMBER: _ClassVar[int]
    MAINTAIN_ORDER_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    by: _containers.RepeatedCompositeFieldContainer[_expr_pb2.Expr]
    descending: _containers.RepeatedScalarFieldContainer[bool]
    nulls_last: bool
    maintain_order: bool
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ..., by: _Optional[_Iterable[_Union[_expr_pb2.Expr, _Mapping]]] = ..., descending: _Optional[_Iterable[bool]] = ..., nulls_last: bool = ..., maintain_order: bool = ...) -> None: ...

class Slice(_message.Message):
    __slots__ = ("input", "offset", "length")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    offset: int
    length: int
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ..., offset: _Optional[int] = ..., length: _Optional[int] = ...) -> None: ...

class Tail(_message.Message):
    __slots__ = ("input", "n")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    N_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    n: int
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ..., n: _Optional[int] = ...) -> None: ...

class GroupBy(_message.Message):
    __slots__ = ("input", "keys", "aggs", "maintain_order", "output", "n")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    KEYS_FIELD_NUMBER: _ClassVar[int]
    AGGS_FIELD_NUMBER: _ClassVar[int]
    MAINTAIN_ORDER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    N_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    keys: _containers.RepeatedCompositeFieldContainer[_expr_pb2.Expr]
    aggs: _containers.RepeatedCompositeFieldContainer[_expr_pb2.Expr]
    maintain_order: bool
    output: GroupByOutput
    n: int
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ..., keys: _Optional[_Iterable[_Union[_expr_pb2.Expr, _Mapping]]] = ..., aggs: _Optional[_Iterable[_Union[_expr_pb2.Expr, _Mapping]]] = ..., maintain_order: bool = ..., output: _Optional[_Union[GroupByOutput, str]] = ..., n: _Optional[int] = ...) -> None: ...

class Join(_message.Message):
    __slots__ = ("left", "right", "how", "left_on", "right_on", "suffix", "coalesce", "maintain_order")
    LEFT_FIELD_NUMBER: _ClassVar[int]
    RIGHT_FIELD_NUMBER: _ClassVar[int]
    HOW_FIELD_NUMBER: _ClassVar[int]
    LEFT_ON_FIELD_NUMBER: _ClassVar[int]
    RIGHT_ON_FIELD_NUMBER: _ClassVar[int]
    SUFFIX_FIELD_NUMBER: _ClassVar[int]
    COALESCE_FIELD_NUMBER: _ClassVar[int]
    MAINTAIN_ORDER_FIELD_NUMBER: _ClassVar[int]
    left: Plan
    right: Plan
    how: JoinType
    left_on: _containers.RepeatedCompositeFieldContainer[_expr_pb2.Expr]
    right_on: _containers.RepeatedCompositeFieldContainer[_expr_pb2.Expr]
    suffix: str
    coalesce: bool
    maintain_order: JoinMaintainOrder
    def __init__(self, left: _Optional[_Union[Plan, _Mapping]] = ..., right: _Optional[_Union[Plan, _Mapping]] = ..., how: _Optional[_Union[JoinType, str]] = ..., left_on: _Optional[_Iterable[_Union[_expr_pb2.Expr, _Mapping]]] = ..., right_on: _Optional[_Iterable[_Union[_expr_pb2.Expr, _Mapping]]] = ..., suffix: _Optional[str] = ..., coalesce: bool = ..., maintain_order: _Optional[_Union[JoinMaintainOrder, str]] = ...) -> None: ...

class Unique(_message.Message):
    __slots__ = ("input", "subset", "keep", "maintain_order")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    SUBSET_FIELD_NUMBER: _ClassVar[int]
    KEEP_FIELD_NUMBER: _ClassVar[int]
    MAINTAIN_ORDER_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    subset: _containers.RepeatedScalarFieldContainer[str]
    keep: UniqueKeep
    maintain_order: bool
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ..., subset: _Optional[_Iterable[str]] = ..., keep: _Optional[_Union[UniqueKeep, str]] = ..., maintain_order: bool = ...) -> None: ...

class Drop(_message.Message):
    __slots__ = ("input", "columns")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    columns: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ..., columns: _Optional[_Iterable[str]] = ...) -> None: ...

class Rename(_message.Message):
    __slots__ = ("input", "mapping")
    class MappingEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    INPUT_FIELD_NUMBER: _ClassVar[int]
    MAPPING_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    mapping: _containers.ScalarMap[str, str]
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ..., mapping: _Optional[_Mapping[str, str]] = ...) -> None: ...

class CastColumns(_message.Message):
    __slots__ = ("input", "dtypes", "strict")
    class DtypesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _types_pb2.DataType
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_types_pb2.DataType, _Mapping]] = ...) -> None: ...
    INPUT_FIELD_NUMBER: _ClassVar[int]
    DTYPES_FIELD_NUMBER: _ClassVar[int]
    STRICT_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    dtypes: _containers.MessageMap[str, _types_pb2.DataType]
    strict: bool
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ..., dtypes: _Optional[_Mapping[str, _types_pb2.DataType]] = ..., strict: bool = ...) -> None: ...

class Explode(_message.Message):
    __slots__ = ("input", "columns")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    columns: _containers.RepeatedCompositeFieldContainer[_expr_pb2.Expr]
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ..., columns: _Optional[_Iterable[_Union[_expr_pb2.Expr, _Mapping]]] = ...) -> None: ...

class Unpivot(_message.Message):
    __slots__ = ("input", "index", "on", "variable_name", "value_name")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    VARIABLE_NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_NAME_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    index: _containers.RepeatedScalarFieldContainer[str]
    on: _containers.RepeatedScalarFieldContainer[str]
    variable_name: str
    value_name: str
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ..., index: _Optional[_Iterable[str]] = ..., on: _Optional[_Iterable[str]] = ..., variable_name: _Optional[str] = ..., value_name: _Optional[str] = ...) -> None: ...

class Concat(_message.Message):
    __slots__ = ("inputs", "how", "rechunk", "parallel")
    INPUTS_FIELD_NUMBER: _ClassVar[int]
    HOW_FIELD_NUMBER: _ClassVar[int]
    RECHUNK_FIELD_NUMBER: _ClassVar[int]
    PARALLEL_FIELD_NUMBER: _ClassVar[int]
    inputs: _containers.RepeatedCompositeFieldContainer[Plan]
    how: ConcatHow
    rechunk: bool
    parallel: bool
    def __init__(self, inputs: _Optional[_Iterable[_Union[Plan, _Mapping]]] = ..., how: _Optional[_Union[ConcatHow, str]] = ..., rechunk: bool = ..., parallel: bool = ...) -> None: ...

class WithRowIndex(_message.Message):
    __slots__ = ("input", "name", "offset")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    name: str
    offset: int
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ..., name: _Optional[str] = ..., offset: _Optional[int] = ...) -> None: ...

class DropNulls(_message.Message):
    __slots__ = ("input", "subset")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    SUBSET_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    subset: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ..., subset: _Optional[_Iterable[str]] = ...) -> None: ...

class Unnest(_message.Message):
    __slots__ = ("input", "columns", "separator")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    SEPARATOR_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    columns: _containers.RepeatedScalarFieldContainer[str]
    separator: str
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ..., columns: _Optional[_Iterable[str]] = ..., separator: _Optional[str] = ...) -> None: ...

class Cache(_message.Message):
    __slots__ = ("input",)
    INPUT_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ...) -> None: ...

class Pivot(_message.Message):
    __slots__ = ("input", "values", "index", "on", "aggregate", "maintain_order", "sort_columns", "separator")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    AGGREGATE_FIELD_NUMBER: _ClassVar[int]
    MAINTAIN_ORDER_FIELD_NUMBER: _ClassVar[int]
    SORT_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    SEPARATOR_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    values: _containers.RepeatedScalarFieldContainer[str]
    index: _containers.RepeatedScalarFieldContainer[str]
    on: _containers.RepeatedScalarFieldContainer[str]
    aggregate: PivotAgg
    maintain_order: bool
    sort_columns: bool
    separator: str
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ..., values: _Optional[_Iterable[str]] = ..., index: _Optional[_Iterable[str]] = ..., on: _Optional[_Iterable[str]] = ..., aggregate: _Optional[_Union[PivotAgg, str]] = ..., maintain_order: bool = ..., sort_columns: bool = ..., separator: _Optional[str] = ...) -> None: ...

class GroupByDynamic(_message.Message):
    __slots__ = ("input", "index_column", "every", "period", "offset", "label", "include_boundaries", "closed", "by", "start_by", "aggs")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    INDEX_COLUMN_FIELD_NUMBER: _ClassVar[int]
    EVERY_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_BOUNDARIES_FIELD_NUMBER: _ClassVar[int]
    CLOSED_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    START_BY_FIELD_NUMBER: _ClassVar[int]
    AGGS_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    index_column: str
    every: str
    period: str
    offset: str
    label: WindowLabel
    include_boundaries: bool
    closed: ClosedWindow
    by: _containers.RepeatedCompositeFieldContainer[_expr_pb2.Expr]
    start_by: StartBy
    aggs: _containers.RepeatedCompositeFieldContainer[_expr_pb2.Expr]
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ..., index_column: _Optional[str] = ..., every: _Optional[str] = ..., period: _Optional[str] = ..., offset: _Optional[str] = ..., label: _Optional[_Union[WindowLabel, str]] = ..., include_boundaries: bool = ..., closed: _Optional[_Union[ClosedWindow, str]] = ..., by: _Optional[_Iterable[_Union[_expr_pb2.Expr, _Mapping]]] = ..., start_by: _Optional[_Union[StartBy, str]] = ..., aggs: _Optional[_Iterable[_Union[_expr_pb2.Expr, _Mapping]]] = ...) -> None: ...

class GroupByRolling(_message.Message):
    __slots__ = ("input", "index_column", "period", "offset", "closed", "by", "aggs")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    INDEX_COLUMN_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    CLOSED_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    AGGS_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    index_column: _expr_pb2.Expr
    period: str
    offset: str
    closed: ClosedWindow
    by: _containers.RepeatedCompositeFieldContainer[_expr_pb2.Expr]
    aggs: _containers.RepeatedCompositeFieldContainer[_expr_pb2.Expr]
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ..., index_column: _Optional[_Union[_expr_pb2.Expr, _Mapping]] = ..., period: _Optional[str] = ..., offset: _Optional[str] = ..., closed: _Optional[_Union[ClosedWindow, str]] = ..., by: _Optional[_Iterable[_Union[_expr_pb2.Expr, _Mapping]]] = ..., aggs: _Optional[_Iterable[_Union[_expr_pb2.Expr, _Mapping]]] = ...) -> None: ...

class JoinAsof(_message.Message):
    __slots__ = ("left", "right", "left_on", "right_on", "by_left", "by_right", "strategy", "tolerance_number", "tolerance_duration", "suffix", "allow_exact_matches", "check_sortedness", "coalesce")
    LEFT_FIELD_NUMBER: _ClassVar[int]
    RIGHT_FIELD_NUMBER: _ClassVar[int]
    LEFT_ON_FIELD_NUMBER: _ClassVar[int]
    RIGHT_ON_FIELD_NUMBER: _ClassVar[int]
    BY_LEFT_FIELD_NUMBER: _ClassVar[int]
    BY_RIGHT_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    TOLERANCE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    TOLERANCE_DURATION_FIELD_NUMBER: _ClassVar[int]
    SUFFIX_FIELD_NUMBER: _ClassVar[int]
    ALLOW_EXACT_MATCHES_FIELD_NUMBER: _ClassVar[int]
    CHECK_SORTEDNESS_FIELD_NUMBER: _ClassVar[int]
    COALESCE_FIELD_NUMBER: _ClassVar[int]
    left: Plan
    right: Plan
    left_on: str
    right_on: str
    by_left: _containers.RepeatedScalarFieldContainer[str]
    by_right: _containers.RepeatedScalarFieldContainer[str]
    strategy: AsofStrategy
    tolerance_number: float
    tolerance_duration: str
    suffix: str
    allow_exact_matches: bool
    check_sortedness: bool
    coalesce: bool
    def __init__(self, left: _Optional[_Union[Plan, _Mapping]] = ..., right: _Optional[_Union[Plan, _Mapping]] = ..., left_on: _Optional[str] = ..., right_on: _Optional[str] = ..., by_left: _Optional[_Iterable[str]] = ..., by_right: _Optional[_Iterable[str]] = ..., strategy: _Optional[_Union[AsofStrategy, str]] = ..., tolerance_number: _Optional[float] = ..., tolerance_duration: _Optional[str] = ..., suffix: _Optional[str] = ..., allow_exact_matches: bool = ..., check_sortedness: bool = ..., coalesce: bool = ...) -> None: ...

class Sql(_message.Message):
    __slots__ = ("query", "tables", "owned_handles")
    class TablesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: Plan
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[Plan, _Mapping]] = ...) -> None: ...
    QUERY_FIELD_NUMBER: _ClassVar[int]
    TABLES_FIELD_NUMBER: _ClassVar[int]
    OWNED_HANDLES_FIELD_NUMBER: _ClassVar[int]
    query: str
    tables: _containers.MessageMap[str, Plan]
    owned_handles: bool
    def __init__(self, query: _Optional[str] = ..., tables: _Optional[_Mapping[str, Plan]] = ..., owned_handles: bool = ...) -> None: ...

class StatTest(_message.Message):
    __slots__ = ("input", "kind", "columns", "by", "options")
    class OptionsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _expr_pb2.Arg
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_expr_pb2.Arg, _Mapping]] = ...) -> None: ...
    INPUT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    input: Plan
    kind: StatTestKind
    columns: _containers.RepeatedScalarFieldContainer[str]
    by: _containers.RepeatedScalarFieldContainer[str]
    options: _containers.MessageMap[str, _expr_pb2.Arg]
    def __init__(self, input: _Optional[_Union[Plan, _Mapping]] = ..., kind: _Optional[_Union[StatTestKind, str]] = ..., columns: _Optional[_Iterable[str]] = ..., by: _Optional[_Iterable[str]] = ..., options: _Optional[_Mapping[str, _expr_pb2.Arg]] = ...) -> None: ...
