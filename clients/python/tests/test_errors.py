"""Failed calls become the PolaroidError class the server meant (shared/errors.ts): by the
ErrorInfo reason in the status details, else by the gRPC code, with the server's message."""

from __future__ import annotations

import grpc
import pytest

import polaroid as pr
from polaroid._wire import decode_error_info, decode_status
from polaroid.errors import DETAILS_KEY, error_from_rpc, error_from_status

from ._status import status_details


class FakeRpcError(grpc.RpcError):
    """A failed call as grpc raises it."""

    def __init__(self, code: grpc.StatusCode, details: str, trailers: tuple[tuple[str, object], ...] = ()) -> None:
        self._code, self._details, self._trailers = code, details, trailers

    def code(self) -> grpc.StatusCode:
        return self._code

    def details(self) -> str:
        return self._details

    def trailing_metadata(self) -> tuple[tuple[str, object], ...]:
        return self._trailers


def failed(
    code: grpc.StatusCode, message: str, reason: str | None, metadata: dict[str, str] | None = None
) -> FakeRpcError:
    trailers = () if reason is None else ((DETAILS_KEY, status_details(code.value[0], message, reason, metadata)),)
    return FakeRpcError(code, message, trailers)


REASONS = [
    ("INVALID_ARGUMENT", grpc.StatusCode.INVALID_ARGUMENT, pr.InvalidArgumentError),
    ("COLUMN_NOT_FOUND", grpc.StatusCode.INVALID_ARGUMENT, pr.ColumnNotFoundError),
    ("INVALID_PLAN", grpc.StatusCode.INVALID_ARGUMENT, pr.InvalidPlanError),
    ("QUERY_FAILED", grpc.StatusCode.INVALID_ARGUMENT, pr.QueryError),
    ("INVALID_ARROW", grpc.StatusCode.INVALID_ARGUMENT, pr.InvalidArrowError),
    ("NOT_FOUND", grpc.StatusCode.NOT_FOUND, pr.NotFoundError),
    ("HANDLE_NOT_FOUND", grpc.StatusCode.NOT_FOUND, pr.HandleNotFoundError),
    ("HANDLE_LOST", grpc.StatusCode.DATA_LOSS, pr.HandleLostError),
    ("ALREADY_EXISTS", grpc.StatusCode.ALREADY_EXISTS, pr.AlreadyExistsError),
    ("LIMIT_EXCEEDED", grpc.StatusCode.RESOURCE_EXHAUSTED, pr.LimitExceededError),
    ("UNAUTHENTICATED", grpc.StatusCode.UNAUTHENTICATED, pr.UnauthenticatedError),
    ("PERMISSION_DENIED", grpc.StatusCode.PERMISSION_DENIED, pr.PermissionDeniedError),
    ("FAILED_PRECONDITION", grpc.StatusCode.FAILED_PRECONDITION, pr.FailedPreconditionError),
    ("UNAVAILABLE", grpc.StatusCode.UNAVAILABLE, pr.UnavailableError),
    ("CANCELLED", grpc.StatusCode.CANCELLED, pr.CancelledError),
    ("DEADLINE_EXCEEDED", grpc.StatusCode.DEADLINE_EXCEEDED, pr.DeadlineExceededError),
    ("UNIMPLEMENTED", grpc.StatusCode.UNIMPLEMENTED, pr.UnimplementedError),
    ("INTERNAL", grpc.StatusCode.INTERNAL, pr.InternalError),
]


@pytest.mark.parametrize(("reason", "code", "cls"), REASONS)
def test_reason_picks_the_class(reason: str, code: grpc.StatusCode, cls: type[pr.PolaroidError]) -> None:
    error = error_from_rpc(failed(code, f"Cannot run as {reason}", reason, {"column": "x"}))
    assert type(error) is cls
    assert error.reason == reason
    assert error.code == code.value[0]
    assert error.status_code is code
    assert str(error) == f"Cannot run as {reason}"
    assert error.metadata == {"column": "x"}
    assert isinstance(error, pr.PolaroidError)


def test_hierarchy_mirrors_shared_errors() -> None:
    assert issubclass(pr.ColumnNotFoundError, pr.InvalidArgumentError)
    assert issubclass(pr.InvalidPlanError, pr.InvalidArgumentError)
    assert issubclass(pr.QueryError, pr.InvalidArgumentError)
    assert issubclass(pr.HandleNotFoundError, pr.NotFoundError)
    assert not issubclass(pr.HandleLostError, pr.NotFoundError)


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (grpc.StatusCode.INVALID_ARGUMENT, pr.InvalidArgumentError),
        (grpc.StatusCode.NOT_FOUND, pr.NotFoundError),
        (grpc.StatusCode.UNAVAILABLE, pr.UnavailableError),
        (grpc.StatusCode.RESOURCE_EXHAUSTED, pr.LimitExceededError),
        (grpc.StatusCode.DATA_LOSS, pr.HandleLostError),
        (grpc.StatusCode.UNKNOWN, pr.InternalError),
        (grpc.StatusCode.ABORTED, pr.InternalError),
    ],
)
def test_without_details_the_code_picks_the_class(code: grpc.StatusCode, cls: type[pr.PolaroidError]) -> None:
    error = error_from_rpc(failed(code, "peer said no", None))
    assert type(error) is cls
    assert str(error) == "peer said no"


def test_a_foreign_domain_or_unknown_reason_falls_back_to_the_code() -> None:
    foreign = FakeRpcError(
        grpc.StatusCode.NOT_FOUND,
        "gone",
        ((DETAILS_KEY, status_details(5, "gone", "HANDLE_NOT_FOUND", domain="example.com")),),
    )
    assert type(error_from_rpc(foreign)) is pr.NotFoundError
    unknown = failed(grpc.StatusCode.INVALID_ARGUMENT, "odd", "SOMETHING_NEW")
    assert type(error_from_rpc(unknown)) is pr.InvalidArgumentError


def test_malformed_details_fall_back_to_the_code() -> None:
    broken = FakeRpcError(grpc.StatusCode.NOT_FOUND, "gone", ((DETAILS_KEY, b"\xff\xff\xff"),))
    assert type(error_from_rpc(broken)) is pr.NotFoundError


def test_error_from_status() -> None:
    error = error_from_status(3, "bad column", "COLUMN_NOT_FOUND", {"column": "zz"})
    assert isinstance(error, pr.ColumnNotFoundError)
    assert error.metadata == {"column": "zz"}
    assert type(error_from_status(99, "?")) is pr.InternalError


def test_wire_decoder_reads_what_protobuf_writes() -> None:
    raw = status_details(5, "Cannot find", "HANDLE_NOT_FOUND", {"handle": "default.x", "op": "resolve"})
    status = decode_status(raw)
    assert (status.code, status.message) == (5, "Cannot find")
    [(type_url, value)] = status.details
    assert type_url == "type.googleapis.com/google.rpc.ErrorInfo"
    info = decode_error_info(value)
    assert (info.reason, info.domain) == ("HANDLE_NOT_FOUND", "polaroid.dev")
    assert info.metadata == {"handle": "default.x", "op": "resolve"}


def test_wire_decoder_refuses_cut_input() -> None:
    raw = status_details(5, "Cannot find", "HANDLE_NOT_FOUND")
    with pytest.raises(ValueError):
        decode_status(raw[:-3])
