"""The exceptions of the Polaroid client, mirroring the server's error hierarchy
(``shared/errors.ts``): each class travels as one gRPC status code and one machine-readable
reason (a ``google.rpc.ErrorInfo`` of domain ``polaroid.dev`` in the
``grpc-status-details-bin`` trailer), and a failed call is raised as the class the server
meant, with the server's message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import grpc

from polaroid._wire import decode_error_info, decode_status

#: The domain of every ErrorInfo Polaroid sends.
ERROR_DOMAIN = "polaroid.dev"
#: The trailer holding the encoded google.rpc.Status.
DETAILS_KEY = "grpc-status-details-bin"
#: The type URL of an ErrorInfo inside google.rpc.Status.details.
ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo"

__all__ = [
    "AlreadyExistsError",
    "CancelledError",
    "ColumnNotFoundError",
    "DeadlineExceededError",
    "FailedPreconditionError",
    "HandleLostError",
    "HandleNotFoundError",
    "InternalError",
    "InvalidArgumentError",
    "InvalidArrowError",
    "InvalidPlanError",
    "LimitExceededError",
    "NotFoundError",
    "PermissionDeniedError",
    "PolaroidError",
    "QueryError",
    "UnauthenticatedError",
    "UnavailableError",
    "UnimplementedError",
    "error_from_rpc",
    "error_from_status",
    "sent_by_server",
]


class PolaroidError(Exception):
    """Base class of every error a Polaroid call raises.

    Attributes:
        code: the gRPC status code (a number) this error travels as.
        reason: a stable machine-readable reason (UPPER_SNAKE_CASE).
        metadata: extra machine-readable facts the server attached (e.g. the column name).
    """

    code: ClassVar[int] = grpc.StatusCode.INTERNAL.value[0]
    reason: ClassVar[str] = "INTERNAL"

    def __init__(self, message: str, *, metadata: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.metadata: dict[str, str] = dict(metadata or {})

    @property
    def status_code(self) -> grpc.StatusCode:
        """The gRPC status code as grpc's enum."""
        return _STATUS_BY_NUMBER.get(self.code, grpc.StatusCode.UNKNOWN)


def _code(status: grpc.StatusCode) -> int:
    return int(status.value[0])


class InvalidArgumentError(PolaroidError):
    """The request is malformed or refers to something invalid."""

    code = _code(grpc.StatusCode.INVALID_ARGUMENT)
    reason = "INVALID_ARGUMENT"


class ColumnNotFoundError(InvalidArgumentError):
    """A column named by the query does not exist."""

    reason = "COLUMN_NOT_FOUND"


class InvalidPlanError(InvalidArgumentError):
    """The plan cannot be run as sent (missing input, unknown node, bad option)."""

    reason = "INVALID_PLAN"


class QueryError(InvalidArgumentError):
    """The engine refused the query (type mismatch, bad cast, bad duration...)."""

    reason = "QUERY_FAILED"


class InvalidArrowError(InvalidArgumentError):
    """Bytes that should be Arrow IPC are not."""

    reason = "INVALID_ARROW"


class NotFoundError(PolaroidError):
    """Something named by the request does not exist."""

    code = _code(grpc.StatusCode.NOT_FOUND)
    reason = "NOT_FOUND"


class HandleNotFoundError(NotFoundError):
    """The handle is unknown, released, expired or owned by another tenant."""

    reason = "HANDLE_NOT_FOUND"


class HandleLostError(PolaroidError):
    """The handle exists but its frame is gone (its worker restarted, stopped or lost its
    lease while it held the frame only in memory); running the plan again recomputes it."""

    code = _code(grpc.StatusCode.DATA_LOSS)
    reason = "HANDLE_LOST"


class AlreadyExistsError(PolaroidError):
    """Something with that name exists already."""

    code = _code(grpc.StatusCode.ALREADY_EXISTS)
    reason = "ALREADY_EXISTS"


class LimitExceededError(PolaroidError):
    """A configured limit (message size, rows, bytes, concurrency) would be exceeded."""

    code = _code(grpc.StatusCode.RESOURCE_EXHAUSTED)
    reason = "LIMIT_EXCEEDED"


class UnauthenticatedError(PolaroidError):
    """The caller is not authenticated (no token, or a bad one)."""

    code = _code(grpc.StatusCode.UNAUTHENTICATED)
    reason = "UNAUTHENTICATED"


class PermissionDeniedError(PolaroidError):
    """The caller may not do this."""

    code = _code(grpc.StatusCode.PERMISSION_DENIED)
    reason = "PERMISSION_DENIED"


class FailedPreconditionError(PolaroidError):
    """The system is not in a state to do this now (e.g. the client is closed)."""

    code = _code(grpc.StatusCode.FAILED_PRECONDITION)
    reason = "FAILED_PRECONDITION"


class UnavailableError(PolaroidError):
    """The server (or a service it needs) cannot be reached; the call may be retried."""

    code = _code(grpc.StatusCode.UNAVAILABLE)
    reason = "UNAVAILABLE"


class CancelledError(PolaroidError):
    """The call was cancelled by the caller."""

    code = _code(grpc.StatusCode.CANCELLED)
    reason = "CANCELLED"


class DeadlineExceededError(PolaroidError):
    """The call ran past its deadline (the client's ``timeout``)."""

    code = _code(grpc.StatusCode.DEADLINE_EXCEEDED)
    reason = "DEADLINE_EXCEEDED"


class UnimplementedError(PolaroidError):
    """The method is not implemented by this server."""

    code = _code(grpc.StatusCode.UNIMPLEMENTED)
    reason = "UNIMPLEMENTED"


class InternalError(PolaroidError):
    """A bug or an unexpected failure on the server."""


_BY_REASON: dict[str, type[PolaroidError]] = {
    cls.reason: cls
    for cls in (
        InvalidArgumentError,
        ColumnNotFoundError,
        InvalidPlanError,
        QueryError,
        InvalidArrowError,
        NotFoundError,
        HandleNotFoundError,
        HandleLostError,
        AlreadyExistsError,
        LimitExceededError,
        UnauthenticatedError,
        PermissionDeniedError,
        FailedPreconditionError,
        UnavailableError,
        CancelledError,
        DeadlineExceededError,
        UnimplementedError,
        InternalError,
    )
}

_BY_CODE: dict[int, type[PolaroidError]] = {
    cls.code: cls
    for cls in (
        CancelledError,
        InvalidArgumentError,
        DeadlineExceededError,
        NotFoundError,
        AlreadyExistsError,
        PermissionDeniedError,
        LimitExceededError,
        FailedPreconditionError,
        UnimplementedError,
        UnavailableError,
        UnauthenticatedError,
        HandleLostError,
    )
}

_STATUS_BY_NUMBER: dict[int, grpc.StatusCode] = {int(s.value[0]): s for s in grpc.StatusCode}


def error_from_status(
    code: int,
    message: str,
    reason: str | None = None,
    metadata: Mapping[str, str] | None = None,
) -> PolaroidError:
    """The error class a server sent: by its reason when known, else by its gRPC code
    (``InternalError`` for codes without a class of their own)."""
    cls = (_BY_REASON.get(reason) if reason else None) or _BY_CODE.get(code) or InternalError
    return cls(message, metadata=metadata)


def _details(error: grpc.RpcError) -> bytes | None:
    trailers = getattr(error, "trailing_metadata", None)
    pairs = trailers() if callable(trailers) else None
    for key, value in pairs or ():
        if key == DETAILS_KEY and isinstance(value, bytes):
            return value
    return None


def sent_by_server(error: grpc.RpcError) -> bool:
    """Whether a failed call's status came from a Polaroid server (it carries a
    ``grpc-status-details-bin`` trailer) rather than from the connection (an unreachable
    endpoint, a reset stream)."""
    return _details(error) is not None


def error_from_rpc(error: grpc.RpcError) -> PolaroidError:
    """The PolaroidError a failed gRPC call stands for, read from its status code, message
    and ``grpc-status-details-bin`` trailer (a peer that is not Polaroid falls back to the
    status code)."""
    status = error.code() if callable(getattr(error, "code", None)) else None
    code = int(status.value[0]) if isinstance(status, grpc.StatusCode) else _code(grpc.StatusCode.UNKNOWN)
    details = error.details() if callable(getattr(error, "details", None)) else None
    message = details or str(error) or "call failed"
    reason: str | None = None
    metadata: dict[str, str] = {}
    raw = _details(error)
    if raw is not None:
        try:
            decoded = decode_status(raw)
            for type_url, value in decoded.details:
                if type_url == ERROR_INFO_TYPE:
                    info = decode_error_info(value)
                    if info.domain == ERROR_DOMAIN:
                        reason, metadata = info.reason, info.metadata
                    break
        except ValueError:
            pass  # not a google.rpc.Status: fall back to the status code
    if code == _code(grpc.StatusCode.OK):
        code = _code(grpc.StatusCode.UNKNOWN)
    return error_from_status(code, message, reason, metadata)
