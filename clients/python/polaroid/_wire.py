"""A minimal protobuf wire-format reader for ``google.rpc.Status`` and ``ErrorInfo``, the
error details the server sends in the ``grpc-status-details-bin`` trailer.

They are decoded by hand rather than through generated classes: registering
``google/rpc/status.proto`` in protobuf's default descriptor pool would clash with
``googleapis-common-protos`` when a program imports both.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

_VARINT, _I64, _LEN, _I32 = 0, 1, 2, 5


@dataclass(frozen=True)
class Status:
    """A decoded google.rpc.Status: code, message and (type URL, bytes) of each detail."""

    code: int = 0
    message: str = ""
    details: list[tuple[str, bytes]] = field(default_factory=list)


@dataclass(frozen=True)
class ErrorInfo:
    """A decoded google.rpc.ErrorInfo."""

    reason: str = ""
    domain: str = ""
    metadata: dict[str, str] = field(default_factory=dict)


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = 0
    shift = 0
    while at < len(data) and shift < 70:
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at += 1
        if byte < 0x80:
            return value & 0xFFFFFFFFFFFFFFFF, at
        shift += 7
    raise ValueError("Cannot decode protobuf as a varint is cut or too long")


def fields(data: bytes) -> Iterator[tuple[int, int, int | bytes]]:
    """(field number, wire type, value) of each field; unknown wire types are an error,
    fixed-width values are returned as bytes."""
    at = 0
    while at < len(data):
        tag, at = _varint(data, at)
        number, kind = tag >> 3, tag & 7
        if number == 0:
            raise ValueError("Cannot decode protobuf as a field number is 0")
        if kind == _VARINT:
            value, at = _varint(data, at)
            yield number, kind, value
        elif kind == _LEN:
            length, at = _varint(data, at)
            end = at + length
            if end > len(data):
                raise ValueError("Cannot decode protobuf as a field runs past its end")
            yield number, kind, data[at:end]
            at = end
        elif kind in (_I64, _I32):
            width = 8 if kind == _I64 else 4
            if at + width > len(data):
                raise ValueError("Cannot decode protobuf as a field runs past its end")
            yield number, kind, data[at : at + width]
            at += width
        else:
            raise ValueError(f"Cannot decode protobuf as wire type {kind} is unknown")


def _text(value: int | bytes) -> str:
    if not isinstance(value, bytes):
        raise ValueError("Cannot decode protobuf as a string field is not length-delimited")
    return value.decode("utf-8", errors="replace")


def _bytes(value: int | bytes) -> bytes:
    if not isinstance(value, bytes):
        raise ValueError("Cannot decode protobuf as a message field is not length-delimited")
    return value


def decode_status(data: bytes) -> Status:
    """Decodes a google.rpc.Status (raises ValueError on malformed bytes)."""
    code, message, details = 0, "", []
    for number, _, value in fields(data):
        if number == 1 and isinstance(value, int):
            code = value - (1 << 64) if value >= 1 << 63 else value
        elif number == 2:
            message = _text(value)
        elif number == 3:
            type_url, payload = "", b""
            for n, _, v in fields(_bytes(value)):
                if n == 1:
                    type_url = _text(v)
                elif n == 2:
                    payload = _bytes(v)
            details.append((type_url, payload))
    return Status(code, message, details)


def decode_error_info(data: bytes) -> ErrorInfo:
    """Decodes a google.rpc.ErrorInfo (raises ValueError on malformed bytes)."""
    reason, domain, metadata = "", "", {}
    for number, _, value in fields(data):
        if number == 1:
            reason = _text(value)
        elif number == 2:
            domain = _text(value)
        elif number == 3:
            key, text = "", ""
            for n, _, v in fields(_bytes(value)):
                if n == 1:
                    key = _text(v)
                elif n == 2:
                    text = _text(v)
            metadata[key] = text
    return ErrorInfo(reason, domain, metadata)
