"""The client over a real gRPC channel to an in-process fake of the compute services: call
metadata (tenant, bearer token), Upload's 1 MiB chunks and first-message options, Collect's
multi-message Arrow IPC replies, and errors decoded from the status details trailer."""

from __future__ import annotations

import io
from collections.abc import Iterator
from concurrent import futures

import grpc
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import polaroid as pr
from polaroid import _plan
from polaroid._gen.polaroid.v1 import (
    dataframe_pb2,
    dataframe_pb2_grpc,
    handle_pb2,
    handles_pb2,
    handles_pb2_grpc,
)
from polaroid.datatypes import dtype_to_proto
from polaroid.errors import DETAILS_KEY

from ._status import status_details

HANDLE = "acme.abcdefghijklmnopqrstuvwxyz"


def _ipc(df: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    df.write_ipc_stream(buffer)
    return buffer.getvalue()


class FakeCompute(dataframe_pb2_grpc.DataFrameServiceServicer, handles_pb2_grpc.HandleServiceServicer):
    """Stores one uploaded frame; answers Collect with it in two messages."""

    def __init__(self) -> None:
        self.metadata: list[dict[str, str]] = []
        self.chunks: list[dataframe_pb2.UploadRequest] = []
        self.frame: pl.DataFrame | None = None
        self.released: list[str] = []

    def _record(self, context: grpc.ServicerContext) -> None:
        self.metadata.append({k: v for k, v in context.invocation_metadata() if isinstance(v, str)})

    def _info(self) -> handle_pb2.HandleInfo:
        assert self.frame is not None
        info = handle_pb2.HandleInfo(id=HANDLE, rows=self.frame.height, name=self.chunks[0].name)
        for name, dtype in self.frame.schema.items():
            info.schema.fields.add(name=name, dtype=dtype_to_proto(dtype))
        return info

    def Upload(
        self, request_iterator: Iterator[dataframe_pb2.UploadRequest], context: grpc.ServicerContext
    ) -> dataframe_pb2.UploadResponse:
        self._record(context)
        self.chunks = list(request_iterator)
        self.frame = pl.read_ipc_stream(io.BytesIO(b"".join(c.arrow_ipc for c in self.chunks)))
        return dataframe_pb2.UploadResponse(handle=self._info())

    def Collect(
        self, request: dataframe_pb2.CollectRequest, context: grpc.ServicerContext
    ) -> Iterator[dataframe_pb2.CollectResponse]:
        self._record(context)
        assert self.frame is not None and request.handle == HANDLE
        half = self.frame.height // 2
        for index, part in enumerate([self.frame.slice(0, half), self.frame.slice(half)]):
            yield dataframe_pb2.CollectResponse(arrow_ipc=_ipc(part), rows=part.height, batch_index=index)

    def Schema(
        self, request: dataframe_pb2.SchemaRequest, context: grpc.ServicerContext
    ) -> dataframe_pb2.SchemaResponse:
        message = "Cannot resolve the plan as column 'nope' must exist: current columns are a, b"
        details = status_details(3, message, "COLUMN_NOT_FOUND", {"column": "nope"})
        context.set_trailing_metadata(((DETAILS_KEY, details),))
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, message)
        raise AssertionError("unreachable")

    def DescribeHandle(
        self, request: handles_pb2.HandleRequest, context: grpc.ServicerContext
    ) -> handle_pb2.HandleInfo:
        message = f"Cannot resolve handle {request.id} as it must exist: current value is unknown"
        context.set_trailing_metadata(((DETAILS_KEY, status_details(5, message, "HANDLE_NOT_FOUND")),))
        context.abort(grpc.StatusCode.NOT_FOUND, message)
        raise AssertionError("unreachable")

    def ReleaseHandle(
        self, request: handles_pb2.HandleRequest, context: grpc.ServicerContext
    ) -> handles_pb2.ReleaseHandleResponse:
        self.released.append(request.id)
        return handles_pb2.ReleaseHandleResponse(refcount=0, freed=True)


@pytest.fixture
def server() -> Iterator[tuple[FakeCompute, str]]:
    fake = FakeCompute()
    grpc_server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=4), options=[("grpc.max_receive_message_length", 64 << 20)]
    )
    dataframe_pb2_grpc.add_DataFrameServiceServicer_to_server(fake, grpc_server)
    handles_pb2_grpc.add_HandleServiceServicer_to_server(fake, grpc_server)
    port = grpc_server.add_insecure_port("127.0.0.1:0")
    grpc_server.start()
    try:
        yield fake, f"127.0.0.1:{port}"
    finally:
        grpc_server.stop(None)


def test_upload_chunks_metadata_and_round_trip(server: tuple[FakeCompute, str]) -> None:
    fake, endpoint = server
    df = pl.DataFrame({"a": range(300_000), "b": [f"s{i}" for i in range(300_000)]})
    with pr.connect(endpoint, tenant="acme", token="pk_secret") as client:
        remote = client.from_polars(df, name="t", ttl=60)
        assert remote.id == HANDLE and remote.shape == (300_000, 2)
        assert remote.schema == pl.Schema({"a": pl.Int64, "b": pl.String})
        assert_frame_equal(remote.to_polars(), df)
        remote.release()
        remote.release()
    assert fake.released == [HANDLE]
    assert len(fake.chunks) > 1
    assert all(len(c.arrow_ipc) <= 1024 * 1024 for c in fake.chunks)
    assert (fake.chunks[0].name, fake.chunks[0].ttl_seconds) == ("t", 60)
    assert all(c.name == "" and c.ttl_seconds == 0 for c in fake.chunks[1:])
    for metadata in fake.metadata:
        assert metadata["x-polaroid-tenant"] == "acme"
        assert metadata["authorization"] == "Bearer pk_secret"


def test_errors_arrive_as_their_classes(server: tuple[FakeCompute, str]) -> None:
    _, endpoint = server
    with pr.connect(endpoint) as client:
        with pytest.raises(pr.HandleNotFoundError, match="Cannot resolve handle acme.x"):
            client.handle("acme.x")
        frame = pr.LazyFrame(client, _plan.handle_plan(HANDLE))
        with pytest.raises(pr.ColumnNotFoundError) as caught:
            frame.collect_schema()
        assert caught.value.metadata == {"column": "nope"}
        assert "column 'nope' must exist" in str(caught.value)


def test_a_closed_client_refuses_calls(server: tuple[FakeCompute, str]) -> None:
    _, endpoint = server
    client = pr.connect(endpoint)
    client.close()
    client.close()
    with pytest.raises(pr.FailedPreconditionError, match="closed"):
        client.handle("acme.x")


def test_connect_fails_fast_when_nothing_answers() -> None:
    with pytest.raises(pr.UnavailableError, match="did not answer"):
        pr.connect("127.0.0.1:9", connect_timeout=0.3)
