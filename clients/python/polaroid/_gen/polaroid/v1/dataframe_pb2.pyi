from polaroid._gen.polaroid.v1 import handle_pb2 as _handle_pb2
from polaroid._gen.polaroid.v1 import plan_pb2 as _plan_pb2
from polaroid._gen.polaroid.v1 import sink_pb2 as _sink_pb2
from polaroid._gen.polaroid.v1 import types_pb2 as _types_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Engine(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ENGINE_UNSPECIFIED: _ClassVar[Engine]
    ENGINE_STREAMING: _ClassVar[Engine]
    ENGINE_IN_MEMORY: _ClassVar[Engine]
ENGINE_UNSPECIFIED: Engine
ENGINE_STREAMING: Engine
ENGINE_IN_MEMORY: Engine

class ExecuteRequest(_message.Message):
    __slots__ = ("plan", "ttl_seconds", "streaming", "name", "skip_cache", "metadata", "engine", "durable")
    class MetadataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    PLAN_FIELD_NUMBER: _ClassVar[int]
    TTL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    STREAMING_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SKIP_CACHE_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    ENGINE_FIELD_NUMBER: _ClassVar[int]
    DURABLE_FIELD_NUMBER: _ClassVar[int]
    plan: _plan_pb2.Plan
    ttl_seconds: int
    streaming: bool
    name: str
    skip_cache: bool
    metadata: _containers.ScalarMap[str, str]
    engine: Engine
    durable: bool
    def __init__(self, plan: _Optional[_Union[_plan_pb2.Plan, _Mapping]] = ..., ttl_seconds: _Optional[int] = ..., streaming: bool = ..., name: _Optional[str] = ..., skip_cache: bool = ..., metadata: _Optional[_Mapping[str, str]] = ..., engine: _Optional[_Union[Engine, str]] = ..., durable: bool = ...) -> None: ...

class ExecuteResponse(_message.Message):
    __slots__ = ("handle", "cached")
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    CACHED_FIELD_NUMBER: _ClassVar[int]
    handle: _handle_pb2.HandleInfo
    cached: bool
    def __init__(self, handle: _Optional[_Union[_handle_pb2.HandleInfo, _Mapping]] = ..., cached: bool = ...) -> None: ...

class CollectRequest(_message.Message):
    __slots__ = ("plan", "handle", "bulk_ticket", "batch_size", "start_batch", "streaming", "engine", "bulk")
    PLAN_FIELD_NUMBER: _ClassVar[int]
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    BULK_TICKET_FIELD_NUMBER: _ClassVar[int]
    BATCH_SIZE_FIELD_NUMBER: _ClassVar[int]
    START_BATCH_FIELD_NUMBER: _ClassVar[int]
    STREAMING_FIELD_NUMBER: _ClassVar[int]
    ENGINE_FIELD_NUMBER: _ClassVar[int]
    BULK_FIELD_NUMBER: _ClassVar[int]
    plan: _plan_pb2.Plan
    handle: str
    bulk_ticket: str
    batch_size: int
    start_batch: int
    streaming: bool
    engine: Engine
    bulk: bool
    def __init__(self, plan: _Optional[_Union[_plan_pb2.Plan, _Mapping]] = ..., handle: _Optional[str] = ..., bulk_ticket: _Optional[str] = ..., batch_size: _Optional[int] = ..., start_batch: _Optional[int] = ..., streaming: bool = ..., engine: _Optional[_Union[Engine, str]] = ..., bulk: bool = ...) -> None: ...

class CollectResponse(_message.Message):
    __slots__ = ("arrow_ipc", "rows", "batch_index", "bulk")
    ARROW_IPC_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    BATCH_INDEX_FIELD_NUMBER: _ClassVar[int]
    BULK_FIELD_NUMBER: _ClassVar[int]
    arrow_ipc: bytes
    rows: int
    batch_index: int
    bulk: BulkTicket
    def __init__(self, arrow_ipc: _Optional[bytes] = ..., rows: _Optional[int] = ..., batch_index: _Optional[int] = ..., bulk: _Optional[_Union[BulkTicket, _Mapping]] = ...) -> None: ...

class BulkTicket(_message.Message):
    __slots__ = ("url", "ticket", "expires_in_ms", "batches", "start_batch", "batch_size", "max_bytes")
    URL_FIELD_NUMBER: _ClassVar[int]
    TICKET_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_IN_MS_FIELD_NUMBER: _ClassVar[int]
    BATCHES_FIELD_NUMBER: _ClassVar[int]
    START_BATCH_FIELD_NUMBER: _ClassVar[int]
    BATCH_SIZE_FIELD_NUMBER: _ClassVar[int]
    MAX_BYTES_FIELD_NUMBER: _ClassVar[int]
    url: str
    ticket: str
    expires_in_ms: int
    batches: int
    start_batch: int
    batch_size: int
    max_bytes: int
    def __init__(self, url: _Optional[str] = ..., ticket: _Optional[str] = ..., expires_in_ms: _Optional[int] = ..., batches: _Optional[int] = ..., start_batch: _Optional[int] = ..., batch_size: _Optional[int] = ..., max_bytes: _Optional[int] = ...) -> None: ...

class UploadRequest(_message.Message):
    __slots__ = ("arrow_ipc", "ttl_seconds", "name", "bulk_bytes")
    ARROW_IPC_FIELD_NUMBER: _ClassVar[int]
    TTL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    BULK_BYTES_FIELD_NUMBER: _ClassVar[int]
    arrow_ipc: bytes
    ttl_seconds: int
    name: str
    bulk_bytes: int
    def __init__(self, arrow_ipc: _Optional[bytes] = ..., ttl_seconds: _Optional[int] = ..., name: _Optional[str] = ..., bulk_bytes: _Optional[int] = ...) -> None: ...

class UploadResponse(_message.Message):
    __slots__ = ("handle", "bulk")
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    BULK_FIELD_NUMBER: _ClassVar[int]
    handle: _handle_pb2.HandleInfo
    bulk: BulkTicket
    def __init__(self, handle: _Optional[_Union[_handle_pb2.HandleInfo, _Mapping]] = ..., bulk: _Optional[_Union[BulkTicket, _Mapping]] = ...) -> None: ...

class SchemaRequest(_message.Message):
    __slots__ = ("plan", "handle")
    PLAN_FIELD_NUMBER: _ClassVar[int]
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    plan: _plan_pb2.Plan
    handle: str
    def __init__(self, plan: _Optional[_Union[_plan_pb2.Plan, _Mapping]] = ..., handle: _Optional[str] = ...) -> None: ...

class SchemaResponse(_message.Message):
    __slots__ = ("schema", "rows")
    SCHEMA_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    schema: _types_pb2.Schema
    rows: int
    def __init__(self, schema: _Optional[_Union[_types_pb2.Schema, _Mapping]] = ..., rows: _Optional[int] = ...) -> None: ...

class ExplainRequest(_message.Message):
    __slots__ = ("plan",)
    PLAN_FIELD_NUMBER: _ClassVar[int]
    plan: _plan_pb2.Plan
    def __init__(self, plan: _Optional[_Union[_plan_pb2.Plan, _Mapping]] = ...) -> None: ...

class ExplainResponse(_message.Message):
    __slots__ = ("logical", "optimized")
    LOGICAL_FIELD_NUMBER: _ClassVar[int]
    OPTIMIZED_FIELD_NUMBER: _ClassVar[int]
    logical: str
    optimized: str
    def __init__(self, logical: _Optional[str] = ..., optimized: _Optional[str] = ...) -> None: ...
