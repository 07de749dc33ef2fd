"""The caller's OpenTelemetry trace context reaches the server in every call's metadata
(W3C ``traceparent``), read here by an in-process gRPC server; without an active span, or
without OpenTelemetry, calls carry none."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent import futures

import grpc
import pytest
from opentelemetry.sdk.trace import TracerProvider

import polaroid as pr
from polaroid import _trace_context
from polaroid._gen.polaroid.v1 import handle_pb2, handles_pb2, handles_pb2_grpc

HANDLE = "acme.abcdefghijklmnopqrstuvwxyz"


class RecordingHandles(handles_pb2_grpc.HandleServiceServicer):
    """Answers DescribeHandle with a one-column frame; keeps each call's metadata."""

    def __init__(self) -> None:
        self.metadata: list[dict[str, str]] = []

    def DescribeHandle(
        self, request: handles_pb2.HandleRequest, context: grpc.ServicerContext
    ) -> handle_pb2.HandleInfo:
        self.metadata.append({k: v for k, v in context.invocation_metadata() if isinstance(v, str)})
        info = handle_pb2.HandleInfo(id=request.id, rows=1)
        info.schema.fields.add(name="a", dtype=pr.datatypes.dtype_to_proto(pr.Int64))
        return info


@pytest.fixture
def server() -> Iterator[tuple[RecordingHandles, str]]:
    handles = RecordingHandles()
    grpc_server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    handles_pb2_grpc.add_HandleServiceServicer_to_server(handles, grpc_server)
    port = grpc_server.add_insecure_port("127.0.0.1:0")
    grpc_server.start()
    try:
        yield handles, f"127.0.0.1:{port}"
    finally:
        grpc_server.stop(None)


def test_a_call_inside_a_span_carries_its_traceparent(server: tuple[RecordingHandles, str]) -> None:
    handles, endpoint = server
    tracer = TracerProvider().get_tracer("polaroid-test")
    with pr.connect(endpoint, tenant="acme") as client:
        with tracer.start_as_current_span("caller") as span:
            client.handle(HANDLE)
        client.handle(HANDLE)
    inside, outside = handles.metadata
    version, trace_id, span_id, flags = inside["traceparent"].split("-")
    context = span.get_span_context()
    assert version == "00"
    assert int(flags, 16) & 1 == 1, "sampled"
    assert trace_id == format(context.trace_id, "032x")
    assert span_id == format(context.span_id, "016x")
    assert inside["x-polaroid-tenant"] == "acme"
    # No span active: no trace context.
    assert "traceparent" not in outside


def test_without_opentelemetry_calls_carry_no_trace_context(
    server: tuple[RecordingHandles, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    handles, endpoint = server
    # What the module finds when `import opentelemetry` fails.
    monkeypatch.setattr(_trace_context, "INJECT", None)
    tracer = TracerProvider().get_tracer("polaroid-test")
    with pr.connect(endpoint) as client, tracer.start_as_current_span("caller"):
        client.handle(HANDLE)
    assert "traceparent" not in handles.metadata[0]


def test_the_injector_is_none_when_opentelemetry_cannot_be_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def refuse_opentelemetry(name: str, *args: object, **kwargs: object) -> object:
        if name == "opentelemetry" or name.startswith("opentelemetry."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", refuse_opentelemetry)
    assert _trace_context._injector() is None
