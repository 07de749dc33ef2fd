from polaroid._gen.polaroid.v1 import types_pb2 as _types_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class HandleInfo(_message.Message):
    __slots__ = ("id", "owner", "schema", "rows", "bytes", "created_at_ms", "ttl_seconds", "expires_at_ms", "refcount", "worker", "name", "metadata", "object_key", "pinned", "lost", "object_pending")
    class MetadataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    BYTES_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_MS_FIELD_NUMBER: _ClassVar[int]
    TTL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_MS_FIELD_NUMBER: _ClassVar[int]
    REFCOUNT_FIELD_NUMBER: _ClassVar[int]
    WORKER_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    OBJECT_KEY_FIELD_NUMBER: _ClassVar[int]
    PINNED_FIELD_NUMBER: _ClassVar[int]
    LOST_FIELD_NUMBER: _ClassVar[int]
    OBJECT_PENDING_FIELD_NUMBER: _ClassVar[int]
    id: str
    owner: str
    schema: _types_pb2.Schema
    rows: int
    bytes: int
    created_at_ms: int
    ttl_seconds: int
    expires_at_ms: int
    refcount: int
    worker: str
    name: str
    metadata: _containers.ScalarMap[str, str]
    object_key: str
    pinned: bool
    lost: bool
    object_pending: bool
    def __init__(self, id: _Optional[str] = ..., owner: _Optional[str] = ..., schema: _Optional[_Union[_types_pb2.Schema, _Mapping]] = ..., rows: _Optional[int] = ..., bytes: _Optional[int] = ..., created_at_ms: _Optional[int] = ..., ttl_seconds: _Optional[int] = ..., expires_at_ms: _Optional[int] = ..., refcount: _Optional[int] = ..., worker: _Optional[str] = ..., name: _Optional[str] = ..., metadata: _Optional[_Mapping[str, str]] = ..., object_key: _Optional[str] = ..., pinned: bool = ..., lost: bool = ..., object_pending: bool = ...) -> None: ...

class HandleEvent(_message.Message):
    __slots__ = ("kind", "id", "worker", "reason", "at_ms")
    class Kind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        KIND_UNSPECIFIED: _ClassVar[HandleEvent.Kind]
        KIND_REGISTERED: _ClassVar[HandleEvent.Kind]
        KIND_FREED: _ClassVar[HandleEvent.Kind]
    KIND_UNSPECIFIED: HandleEvent.Kind
    KIND_REGISTERED: HandleEvent.Kind
    KIND_FREED: HandleEvent.Kind
    KIND_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    WORKER_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    AT_MS_FIELD_NUMBER: _ClassVar[int]
    kind: HandleEvent.Kind
    id: str
    worker: str
    reason: str
    at_ms: int
    def __init__(self, kind: _Optional[_Union[HandleEvent.Kind, str]] = ..., id: _Optional[str] = ..., worker: _Optional[str] = ..., reason: _Optional[str] = ..., at_ms: _Optional[int] = ...) -> None: ...
