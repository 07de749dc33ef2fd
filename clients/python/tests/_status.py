"""Test helper: google.rpc.Status and ErrorInfo encoded by protobuf itself (dynamic messages
in a private descriptor pool), to check the client's hand-written decoder against an
independent encoder, as the server's ``shared/grpc/status.ts`` builds them.
"""

from __future__ import annotations

from google.protobuf import any_pb2, descriptor_pb2, descriptor_pool, message_factory

_pool = descriptor_pool.DescriptorPool()
_pool.AddSerializedFile(any_pb2.DESCRIPTOR.serialized_pb)

_file = descriptor_pb2.FileDescriptorProto(name="test/google_rpc_status.proto", package="google.rpc", syntax="proto3")
_file.dependency.append("google/protobuf/any.proto")
_F = descriptor_pb2.FieldDescriptorProto

_status = _file.message_type.add(name="Status")
_status.field.add(name="code", number=1, type=_F.TYPE_INT32, label=_F.LABEL_OPTIONAL)
_status.field.add(name="message", number=2, type=_F.TYPE_STRING, label=_F.LABEL_OPTIONAL)
_status.field.add(
    name="details", number=3, type=_F.TYPE_MESSAGE, label=_F.LABEL_REPEATED, type_name=".google.protobuf.Any"
)

_info = _file.message_type.add(name="ErrorInfo")
_info.field.add(name="reason", number=1, type=_F.TYPE_STRING, label=_F.LABEL_OPTIONAL)
_info.field.add(name="domain", number=2, type=_F.TYPE_STRING, label=_F.LABEL_OPTIONAL)
_entry = _info.nested_type.add(name="MetadataEntry")
_entry.options.map_entry = True
_entry.field.add(name="key", number=1, type=_F.TYPE_STRING, label=_F.LABEL_OPTIONAL)
_entry.field.add(name="value", number=2, type=_F.TYPE_STRING, label=_F.LABEL_OPTIONAL)
_info.field.add(
    name="metadata",
    number=3,
    type=_F.TYPE_MESSAGE,
    label=_F.LABEL_REPEATED,
    type_name=".google.rpc.ErrorInfo.MetadataEntry",
)
_pool.Add(_file)

Status = message_factory.GetMessageClass(_pool.FindMessageTypeByName("google.rpc.Status"))
ErrorInfo = message_factory.GetMessageClass(_pool.FindMessageTypeByName("google.rpc.ErrorInfo"))
ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo"


def status_details(
    code: int, message: str, reason: str, metadata: dict[str, str] | None = None, domain: str = "polaroid.dev"
) -> bytes:
    """The ``grpc-status-details-bin`` value of a PolaroidError."""
    info = ErrorInfo(reason=reason, domain=domain, metadata=metadata or {})
    status = Status(code=code, message=message)
    status.details.add(type_url=ERROR_INFO_TYPE, value=info.SerializeToString())
    return status.SerializeToString()
