"""Test helper: real in-process gRPC servers of the compute services that fail on purpose
(the first N calls of a method with UNAVAILABLE, a download broken after some batches) and
count what they receive, for the retry, balancing and resumption tests."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from concurrent import futures
from dataclasses import dataclass, field

import grpc
import polars as pl

from polaroid._gen.polaroid.v1 import (
    dataframe_pb2,
    dataframe_pb2_grpc,
    handle_pb2,
    handles_pb2,
    handles_pb2_grpc,
)
from polaroid.datatypes import dtype_to_proto

HANDLE = "acme.abcdefghijklmnopqrstuvwxyz"
FRAME = pl.DataFrame({"i": list(range(10)), "s": [f"r{i}" for i in range(10)]})


def ipc(df: pl.DataFrame) -> bytes:
    """One Arrow IPC stream of ``df``."""
    buffer = io.BytesIO()
    df.write_ipc_stream(buffer)
    return buffer.getvalue()


def info(df: pl.DataFrame = FRAME) -> handle_pb2.HandleInfo:
    """The HandleInfo of ``df`` stored under HANDLE."""
    out = handle_pb2.HandleInfo(id=HANDLE, rows=df.height)
    for name, dtype in df.schema.items():
        out.schema.fields.add(name=name, dtype=dtype_to_proto(dtype))
    return out


@dataclass
class Flaky(dataframe_pb2_grpc.DataFrameServiceServicer, handles_pb2_grpc.HandleServiceServicer):
    """Fails the first ``fail[method]`` calls of each method with UNAVAILABLE; a handle's
    Collect sends FRAME in batches of ``batch_size`` (default 3) rows, breaking once after
    ``break_after`` batches when set; ``slow`` seconds between batches."""

    name: str = "server"
    fail: dict[str, int] = field(default_factory=dict)
    break_after: int | None = None
    slow: float = 0.0
    calls: dict[str, int] = field(default_factory=dict)
    collects: list[dataframe_pb2.CollectRequest] = field(default_factory=list)
    executes: list[dataframe_pb2.ExecuteRequest] = field(default_factory=list)
    cancelled: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _enter(self, method: str, context: grpc.ServicerContext) -> None:
        with self.lock:
            self.calls[method] = self.calls.get(method, 0) + 1
            failing = self.calls[method] <= self.fail.get(method, 0)
        if failing:
            context.abort(grpc.StatusCode.UNAVAILABLE, f"{self.name} is restarting")

    def Schema(self, request: dataframe_pb2.SchemaRequest, context: grpc.ServicerContext) -> dataframe_pb2.SchemaResponse:
        self._enter("schema", context)
        return dataframe_pb2.SchemaResponse(schema=info().schema)

    def Execute(self, request: dataframe_pb2.ExecuteRequest, context: grpc.ServicerContext) -> dataframe_pb2.ExecuteResponse:
        self._enter("execute", context)
        with self.lock:
            self.executes.append(request)
        return dataframe_pb2.ExecuteResponse(handle=info())

    def Upload(
        self, request_iterator: Iterator[dataframe_pb2.UploadRequest], context: grpc.ServicerContext
    ) -> dataframe_pb2.UploadResponse:
        self._enter("upload", context)
        frame = pl.read_ipc_stream(io.BytesIO(b"".join(r.arrow_ipc for r in request_iterator)))
        return dataframe_pb2.UploadResponse(handle=info(frame))

    def Collect(
        self, request: dataframe_pb2.CollectRequest, context: grpc.ServicerContext
    ) -> Iterator[dataframe_pb2.CollectResponse]:
        self._enter("collect", context)
        context.add_callback(self.cancelled.set)
        with self.lock:
            self.collects.append(request)
            broken = self.break_after is not None and len(self.collects) == 1
        size = request.batch_size or 3
        start = request.start_batch if request.WhichOneof("source") == "handle" else 0
        index = start
        while index * size < FRAME.height:
            if broken and index - start == self.break_after:
                context.abort(grpc.StatusCode.UNAVAILABLE, "connection reset")
            part = FRAME.slice(index * size, size)
            yield dataframe_pb2.CollectResponse(arrow_ipc=ipc(part), rows=part.height, batch_index=index)
            index += 1
            if self.slow:
                time.sleep(self.slow)

    def DescribeHandle(self, request: handles_pb2.HandleRequest, context: grpc.ServicerContext) -> handle_pb2.HandleInfo:
        self._enter("describe", context)
        return info()

    def ReleaseHandle(
        self, request: handles_pb2.HandleRequest, context: grpc.ServicerContext
    ) -> handles_pb2.ReleaseHandleResponse:
        self._enter("release", context)
        return handles_pb2.ReleaseHandleResponse(refcount=0, freed=True)


class Running:
    """A started gRPC server of ``servicer`` on 127.0.0.1 (``port`` 0: any free one)."""

    def __init__(self, servicer: Flaky, port: int = 0) -> None:
        self.servicer = servicer
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        dataframe_pb2_grpc.add_DataFrameServiceServicer_to_server(servicer, self.server)  # type: ignore[no-untyped-call]
        handles_pb2_grpc.add_HandleServiceServicer_to_server(servicer, self.server)  # type: ignore[no-untyped-call]
        self.port = self.server.add_insecure_port(f"127.0.0.1:{port}")
        self.server.start()
        self.endpoint = f"127.0.0.1:{self.port}"

    def stop(self) -> None:
        """Stops the server at once (its calls are cancelled)."""
        self.server.stop(None).wait()
