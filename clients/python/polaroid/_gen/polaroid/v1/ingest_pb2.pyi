from polaroid._gen.polaroid.v1 import handle_pb2 as _handle_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class NatsSource(_message.Message):
    __slots__ = ("subject", "queue_group")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    QUEUE_GROUP_FIELD_NUMBER: _ClassVar[int]
    subject: str
    queue_group: str
    def __init__(self, subject: _Optional[str] = ..., queue_group: _Optional[str] = ...) -> None: ...

class JetStreamSource(_message.Message):
    __slots__ = ("subject", "deliver")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    DELIVER_FIELD_NUMBER: _ClassVar[int]
    subject: str
    deliver: str
    def __init__(self, subject: _Optional[str] = ..., deliver: _Optional[str] = ...) -> None: ...

class RedisStreamSource(_message.Message):
    __slots__ = ("url", "stream", "group", "start", "field")
    URL_FIELD_NUMBER: _ClassVar[int]
    STREAM_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    url: str
    stream: str
    group: str
    start: str
    field: str
    def __init__(self, url: _Optional[str] = ..., stream: _Optional[str] = ..., group: _Optional[str] = ..., start: _Optional[str] = ..., field: _Optional[str] = ...) -> None: ...

class WebSocketSource(_message.Message):
    __slots__ = ("url", "subscribe", "format", "records", "stale_after_ms", "ping_interval_ms")
    URL_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIBE_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    STALE_AFTER_MS_FIELD_NUMBER: _ClassVar[int]
    PING_INTERVAL_MS_FIELD_NUMBER: _ClassVar[int]
    url: str
    subscribe: _containers.RepeatedScalarFieldContainer[str]
    format: str
    records: str
    stale_after_ms: int
    ping_interval_ms: int
    def __init__(self, url: _Optional[str] = ..., subscribe: _Optional[_Iterable[str]] = ..., format: _Optional[str] = ..., records: _Optional[str] = ..., stale_after_ms: _Optional[int] = ..., ping_interval_ms: _Optional[int] = ...) -> None: ...

class KafkaSource(_message.Message):
    __slots__ = ("brokers", "topic", "group", "start", "start_timestamp_ms")
    BROKERS_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    START_TIMESTAMP_MS_FIELD_NUMBER: _ClassVar[int]
    brokers: _containers.RepeatedScalarFieldContainer[str]
    topic: str
    group: str
    start: str
    start_timestamp_ms: int
    def __init__(self, brokers: _Optional[_Iterable[str]] = ..., topic: _Optional[str] = ..., group: _Optional[str] = ..., start: _Optional[str] = ..., start_timestamp_ms: _Optional[int] = ...) -> None: ...

class RestSource(_message.Message):
    __slots__ = ("url", "pagination", "records", "page_size", "offset_param", "limit_param", "page_param", "cursor_param", "cursor_path", "max_pages", "requests_per_second", "concurrency", "poll_interval_ms", "watermark_field", "watermark_param", "credential", "schema")
    class SchemaEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    URL_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    OFFSET_PARAM_FIELD_NUMBER: _ClassVar[int]
    LIMIT_PARAM_FIELD_NUMBER: _ClassVar[int]
    PAGE_PARAM_FIELD_NUMBER: _ClassVar[int]
    CURSOR_PARAM_FIELD_NUMBER: _ClassVar[int]
    CURSOR_PATH_FIELD_NUMBER: _ClassVar[int]
    MAX_PAGES_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    CONCURRENCY_FIELD_NUMBER: _ClassVar[int]
    POLL_INTERVAL_MS_FIELD_NUMBER: _ClassVar[int]
    WATERMARK_FIELD_FIELD_NUMBER: _ClassVar[int]
    WATERMARK_PARAM_FIELD_NUMBER: _ClassVar[int]
    CREDENTIAL_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_FIELD_NUMBER: _ClassVar[int]
    url: str
    pagination: str
    records: str
    page_size: int
    offset_param: str
    limit_param: str
    page_param: str
    cursor_param: str
    cursor_path: str
    max_pages: int
    requests_per_second: float
    concurrency: int
    poll_interval_ms: int
    watermark_field: str
    watermark_param: str
    credential: str
    schema: _containers.ScalarMap[str, str]
    def __init__(self, url: _Optional[str] = ..., pagination: _Optional[str] = ..., records: _Optional[str] = ..., page_size: _Optional[int] = ..., offset_param: _Optional[str] = ..., limit_param: _Optional[str] = ..., page_param: _Optional[str] = ..., cursor_param: _Optional[str] = ..., cursor_path: _Optional[str] = ..., max_pages: _Optional[int] = ..., requests_per_second: _Optional[float] = ..., concurrency: _Optional[int] = ..., poll_interval_ms: _Optional[int] = ..., watermark_field: _Optional[str] = ..., watermark_param: _Optional[str] = ..., credential: _Optional[str] = ..., schema: _Optional[_Mapping[str, str]] = ...) -> None: ...

class GrpcStreamSource(_message.Message):
    __slots__ = ("targets", "proto", "method", "request_json", "tls", "credential")
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    PROTO_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    REQUEST_JSON_FIELD_NUMBER: _ClassVar[int]
    TLS_FIELD_NUMBER: _ClassVar[int]
    CREDENTIAL_FIELD_NUMBER: _ClassVar[int]
    targets: _containers.RepeatedScalarFieldContainer[str]
    proto: str
    method: str
    request_json: str
    tls: bool
    credential: str
    def __init__(self, targets: _Optional[_Iterable[str]] = ..., proto: _Optional[str] = ..., method: _Optional[str] = ..., request_json: _Optional[str] = ..., tls: bool = ..., credential: _Optional[str] = ...) -> None: ...

class SourceSpec(_message.Message):
    __slots__ = ("name", "nats", "jetstream", "redis", "websocket", "kafka", "rest", "grpc", "max_batch_rows", "max_batch_delay_ms", "max_buffer_bytes", "table", "retention", "overflow")
    NAME_FIELD_NUMBER: _ClassVar[int]
    NATS_FIELD_NUMBER: _ClassVar[int]
    JETSTREAM_FIELD_NUMBER: _ClassVar[int]
    REDIS_FIELD_NUMBER: _ClassVar[int]
    WEBSOCKET_FIELD_NUMBER: _ClassVar[int]
    KAFKA_FIELD_NUMBER: _ClassVar[int]
    REST_FIELD_NUMBER: _ClassVar[int]
    GRPC_FIELD_NUMBER: _ClassVar[int]
    MAX_BATCH_ROWS_FIELD_NUMBER: _ClassVar[int]
    MAX_BATCH_DELAY_MS_FIELD_NUMBER: _ClassVar[int]
    MAX_BUFFER_BYTES_FIELD_NUMBER: _ClassVar[int]
    TABLE_FIELD_NUMBER: _ClassVar[int]
    RETENTION_FIELD_NUMBER: _ClassVar[int]
    OVERFLOW_FIELD_NUMBER: _ClassVar[int]
    name: str
    nats: NatsSource
    jetstream: JetStreamSource
    redis: RedisStreamSource
    websocket: WebSocketSource
    kafka: KafkaSource
    rest: RestSource
    grpc: GrpcStreamSource
    max_batch_rows: int
    max_batch_delay_ms: int
    max_buffer_bytes: int
    table: str
    retention: Retention
    overflow: str
    def __init__(self, name: _Optional[str] = ..., nats: _Optional[_Union[NatsSource, _Mapping]] = ..., jetstream: _Optional[_Union[JetStreamSource, _Mapping]] = ..., redis: _Optional[_Union[RedisStreamSource, _Mapping]] = ..., websocket: _Optional[_Union[WebSocketSource, _Mapping]] = ..., kafka: _Optional[_Union[KafkaSource, _Mapping]] = ..., rest: _Optional[_Union[RestSource, _Mapping]] = ..., grpc: _Optional[_Union[GrpcStreamSource, _Mapping]] = ..., max_batch_rows: _Optional[int] = ..., max_batch_delay_ms: _Optional[int] = ..., max_buffer_bytes: _Optional[int] = ..., table: _Optional[str] = ..., retention: _Optional[_Union[Retention, _Mapping]] = ..., overflow: _Optional[str] = ...) -> None: ...

class Retention(_message.Message):
    __slots__ = ("max_rows", "max_bytes", "max_age_seconds")
    MAX_ROWS_FIELD_NUMBER: _ClassVar[int]
    MAX_BYTES_FIELD_NUMBER: _ClassVar[int]
    MAX_AGE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    max_rows: int
    max_bytes: int
    max_age_seconds: int
    def __init__(self, max_rows: _Optional[int] = ..., max_bytes: _Optional[int] = ..., max_age_seconds: _Optional[int] = ...) -> None: ...

class AddSourceRequest(_message.Message):
    __slots__ = ("spec",)
    SPEC_FIELD_NUMBER: _ClassVar[int]
    spec: SourceSpec
    def __init__(self, spec: _Optional[_Union[SourceSpec, _Mapping]] = ...) -> None: ...

class SourceInfo(_message.Message):
    __slots__ = ("spec", "state", "messages", "rows", "rejected", "batches", "buffered_rows", "buffered_bytes", "dropped_rows", "last_error", "nats_subject", "recent_rejections", "reconnect_gaps", "live_table", "committed_rows", "segments", "pending_bytes", "next_attempt_at_ms", "committed_offsets")
    class CommittedOffsetsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    SPEC_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    BATCHES_FIELD_NUMBER: _ClassVar[int]
    BUFFERED_ROWS_FIELD_NUMBER: _ClassVar[int]
    BUFFERED_BYTES_FIELD_NUMBER: _ClassVar[int]
    DROPPED_ROWS_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    NATS_SUBJECT_FIELD_NUMBER: _ClassVar[int]
    RECENT_REJECTIONS_FIELD_NUMBER: _ClassVar[int]
    RECONNECT_GAPS_FIELD_NUMBER: _ClassVar[int]
    LIVE_TABLE_FIELD_NUMBER: _ClassVar[int]
    COMMITTED_ROWS_FIELD_NUMBER: _ClassVar[int]
    SEGMENTS_FIELD_NUMBER: _ClassVar[int]
    PENDING_BYTES_FIELD_NUMBER: _ClassVar[int]
    NEXT_ATTEMPT_AT_MS_FIELD_NUMBER: _ClassVar[int]
    COMMITTED_OFFSETS_FIELD_NUMBER: _ClassVar[int]
    spec: SourceSpec
    state: str
    messages: int
    rows: int
    rejected: int
    batches: int
    buffered_rows: int
    buffered_bytes: int
    dropped_rows: int
    last_error: str
    nats_subject: str
    recent_rejections: _containers.RepeatedCompositeFieldContainer[Rejection]
    reconnect_gaps: int
    live_table: str
    committed_rows: int
    segments: int
    pending_bytes: int
    next_attempt_at_ms: int
    committed_offsets: _containers.ScalarMap[str, str]
    def __init__(self, spec: _Optional[_Union[SourceSpec, _Mapping]] = ..., state: _Optional[str] = ..., messages: _Optional[int] = ..., rows: _Optional[int] = ..., rejected: _Optional[int] = ..., batches: _Optional[int] = ..., buffered_rows: _Optional[int] = ..., buffered_bytes: _Optional[int] = ..., dropped_rows: _Optional[int] = ..., last_error: _Optional[str] = ..., nats_subject: _Optional[str] = ..., recent_rejections: _Optional[_Iterable[_Union[Rejection, _Mapping]]] = ..., reconnect_gaps: _Optional[int] = ..., live_table: _Optional[str] = ..., committed_rows: _Optional[int] = ..., segments: _Optional[int] = ..., pending_bytes: _Optional[int] = ..., next_attempt_at_ms: _Optional[int] = ..., committed_offsets: _Optional[_Mapping[str, str]] = ...) -> None: ...

class Rejection(_message.Message):
    __slots__ = ("at_ms", "error", "sample")
    AT_MS_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_FIELD_NUMBER: _ClassVar[int]
    at_ms: int
    error: str
    sample: str
    def __init__(self, at_ms: _Optional[int] = ..., error: _Optional[str] = ..., sample: _Optional[str] = ...) -> None: ...

class ListSourcesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListSourcesResponse(_message.Message):
    __slots__ = ("sources",)
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    sources: _containers.RepeatedCompositeFieldContainer[SourceInfo]
    def __init__(self, sources: _Optional[_Iterable[_Union[SourceInfo, _Mapping]]] = ...) -> None: ...

class RemoveSourceRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class RemoveSourceResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SnapshotSourceRequest(_message.Message):
    __slots__ = ("name", "ttl_seconds")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TTL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    name: str
    ttl_seconds: int
    def __init__(self, name: _Optional[str] = ..., ttl_seconds: _Optional[int] = ...) -> None: ...

class SnapshotSourceResponse(_message.Message):
    __slots__ = ("handle",)
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    handle: _handle_pb2.HandleInfo
    def __init__(self, handle: _Optional[_Union[_handle_pb2.HandleInfo, _Mapping]] = ...) -> None: ...

class FollowRequest(_message.Message):
    __slots__ = ("table", "from_row", "from_end", "max_batch_rows")
    TABLE_FIELD_NUMBER: _ClassVar[int]
    FROM_ROW_FIELD_NUMBER: _ClassVar[int]
    FROM_END_FIELD_NUMBER: _ClassVar[int]
    MAX_BATCH_ROWS_FIELD_NUMBER: _ClassVar[int]
    table: str
    from_row: int
    from_end: bool
    max_batch_rows: int
    def __init__(self, table: _Optional[str] = ..., from_row: _Optional[int] = ..., from_end: bool = ..., max_batch_rows: _Optional[int] = ...) -> None: ...

class FollowResponse(_message.Message):
    __slots__ = ("arrow_ipc", "rows", "first_row", "next_row", "skipped_rows")
    ARROW_IPC_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    FIRST_ROW_FIELD_NUMBER: _ClassVar[int]
    NEXT_ROW_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_ROWS_FIELD_NUMBER: _ClassVar[int]
    arrow_ipc: bytes
    rows: int
    first_row: int
    next_row: int
    skipped_rows: int
    def __init__(self, arrow_ipc: _Optional[bytes] = ..., rows: _Optional[int] = ..., first_row: _Optional[int] = ..., next_row: _Optional[int] = ..., skipped_rows: _Optional[int] = ...) -> None: ...

class AppendRequest(_message.Message):
    __slots__ = ("table", "arrow_ipc", "json_rows", "producer_id", "sequence")
    TABLE_FIELD_NUMBER: _ClassVar[int]
    ARROW_IPC_FIELD_NUMBER: _ClassVar[int]
    JSON_ROWS_FIELD_NUMBER: _ClassVar[int]
    PRODUCER_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    table: str
    arrow_ipc: bytes
    json_rows: str
    producer_id: str
    sequence: int
    def __init__(self, table: _Optional[str] = ..., arrow_ipc: _Optional[bytes] = ..., json_rows: _Optional[str] = ..., producer_id: _Optional[str] = ..., sequence: _Optional[int] = ...) -> None: ...

class AppendResponse(_message.Message):
    __slots__ = ("rows", "first_row", "next_row", "duplicate")
    ROWS_FIELD_NUMBER: _ClassVar[int]
    FIRST_ROW_FIELD_NUMBER: _ClassVar[int]
    NEXT_ROW_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    rows: int
    first_row: int
    next_row: int
    duplicate: bool
    def __init__(self, rows: _Optional[int] = ..., first_row: _Optional[int] = ..., next_row: _Optional[int] = ..., duplicate: bool = ...) -> None: ...
