from polaroid._gen.polaroid.v1 import handle_pb2 as _handle_pb2
from polaroid._gen.polaroid.v1 import types_pb2 as _types_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RegisterHandleRequest(_message.Message):
    __slots__ = ("schema", "rows", "bytes", "ttl_seconds", "worker", "name", "metadata", "object_key", "request_id", "worker_incarnation", "object_pending")
    class MetadataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    SCHEMA_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    BYTES_FIELD_NUMBER: _ClassVar[int]
    TTL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    WORKER_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    OBJECT_KEY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    WORKER_INCARNATION_FIELD_NUMBER: _ClassVar[int]
    OBJECT_PENDING_FIELD_NUMBER: _ClassVar[int]
    schema: _types_pb2.Schema
    rows: int
    bytes: int
    ttl_seconds: int
    worker: str
    name: str
    metadata: _containers.ScalarMap[str, str]
    object_key: str
    request_id: str
    worker_incarnation: str
    object_pending: bool
    def __init__(self, schema: _Optional[_Union[_types_pb2.Schema, _Mapping]] = ..., rows: _Optional[int] = ..., bytes: _Optional[int] = ..., ttl_seconds: _Optional[int] = ..., worker: _Optional[str] = ..., name: _Optional[str] = ..., metadata: _Optional[_Mapping[str, str]] = ..., object_key: _Optional[str] = ..., request_id: _Optional[str] = ..., worker_incarnation: _Optional[str] = ..., object_pending: bool = ...) -> None: ...

class HandleRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListHandlesRequest(_message.Message):
    __slots__ = ("limit", "after", "names")
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    NAMES_FIELD_NUMBER: _ClassVar[int]
    limit: int
    after: str
    names: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, limit: _Optional[int] = ..., after: _Optional[str] = ..., names: _Optional[_Iterable[str]] = ...) -> None: ...

class ListHandlesResponse(_message.Message):
    __slots__ = ("handles", "next_after")
    HANDLES_FIELD_NUMBER: _ClassVar[int]
    NEXT_AFTER_FIELD_NUMBER: _ClassVar[int]
    handles: _containers.RepeatedCompositeFieldContainer[_handle_pb2.HandleInfo]
    next_after: str
    def __init__(self, handles: _Optional[_Iterable[_Union[_handle_pb2.HandleInfo, _Mapping]]] = ..., next_after: _Optional[str] = ...) -> None: ...

class ReleaseHandleResponse(_message.Message):
    __slots__ = ("refcount", "freed")
    REFCOUNT_FIELD_NUMBER: _ClassVar[int]
    FREED_FIELD_NUMBER: _ClassVar[int]
    refcount: int
    freed: bool
    def __init__(self, refcount: _Optional[int] = ..., freed: bool = ...) -> None: ...

class DeleteHandleResponse(_message.Message):
    __slots__ = ("freed",)
    FREED_FIELD_NUMBER: _ClassVar[int]
    freed: bool
    def __init__(self, freed: bool = ...) -> None: ...

class RegisterHandlesRequest(_message.Message):
    __slots__ = ("tenant", "register", "trace_context")
    class TraceContextEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    TENANT_FIELD_NUMBER: _ClassVar[int]
    REGISTER_FIELD_NUMBER: _ClassVar[int]
    TRACE_CONTEXT_FIELD_NUMBER: _ClassVar[int]
    tenant: str
    register: RegisterHandleRequest
    trace_context: _containers.ScalarMap[str, str]
    def __init__(self, tenant: _Optional[str] = ..., register: _Optional[_Union[RegisterHandleRequest, _Mapping]] = ..., trace_context: _Optional[_Mapping[str, str]] = ...) -> None: ...

class RegisterHandlesReply(_message.Message):
    __slots__ = ("request_id", "handle", "error")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    handle: _handle_pb2.HandleInfo
    error: RegisterHandlesError
    def __init__(self, request_id: _Optional[str] = ..., handle: _Optional[_Union[_handle_pb2.HandleInfo, _Mapping]] = ..., error: _Optional[_Union[RegisterHandlesError, _Mapping]] = ...) -> None: ...

class RegisterHandlesError(_message.Message):
    __slots__ = ("code", "message", "reason", "metadata")
    class MetadataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    code: int
    message: str
    reason: str
    metadata: _containers.ScalarMap[str, str]
    def __init__(self, code: _Optional[int] = ..., message: _Optional[str] = ..., reason: _Optional[str] = ..., metadata: _Optional[_Mapping[str, str]] = ...) -> None: ...

class SetHandleObjectRequest(_message.Message):
    __slots__ = ("id", "worker", "object_key", "failed")
    ID_FIELD_NUMBER: _ClassVar[int]
    WORKER_FIELD_NUMBER: _ClassVar[int]
    OBJECT_KEY_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    id: str
    worker: str
    object_key: str
    failed: bool
    def __init__(self, id: _Optional[str] = ..., worker: _Optional[str] = ..., object_key: _Optional[str] = ..., failed: bool = ...) -> None: ...

class HeartbeatRequest(_message.Message):
    __slots__ = ("worker", "incarnation")
    WORKER_FIELD_NUMBER: _ClassVar[int]
    INCARNATION_FIELD_NUMBER: _ClassVar[int]
    worker: str
    incarnation: str
    def __init__(self, worker: _Optional[str] = ..., incarnation: _Optional[str] = ...) -> None: ...

class HeartbeatResponse(_message.Message):
    __slots__ = ("lease_ms", "lapsed", "lost", "new_lease")
    LEASE_MS_FIELD_NUMBER: _ClassVar[int]
    LAPSED_FIELD_NUMBER: _ClassVar[int]
    LOST_FIELD_NUMBER: _ClassVar[int]
    NEW_LEASE_FIELD_NUMBER: _ClassVar[int]
    lease_ms: int
    lapsed: bool
    lost: int
    new_lease: bool
    def __init__(self, lease_ms: _Optional[int] = ..., lapsed: bool = ..., lost: _Optional[int] = ..., new_lease: bool = ...) -> None: ...

class EndLeaseResponse(_message.Message):
    __slots__ = ("lost",)
    LOST_FIELD_NUMBER: _ClassVar[int]
    lost: int
    def __init__(self, lost: _Optional[int] = ...) -> None: ...

class CheckHandlesRequest(_message.Message):
    __slots__ = ("ids",)
    IDS_FIELD_NUMBER: _ClassVar[int]
    ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, ids: _Optional[_Iterable[str]] = ...) -> None: ...

class CheckHandlesResponse(_message.Message):
    __slots__ = ("gone",)
    GONE_FIELD_NUMBER: _ClassVar[int]
    gone: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, gone: _Optional[_Iterable[str]] = ...) -> None: ...
