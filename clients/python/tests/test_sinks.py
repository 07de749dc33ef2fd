"""Sinks build the SinkRequest the server expects, with Python Polars' defaults sent
explicitly, and refuse by name what the server cannot honour (no server needed)."""

from __future__ import annotations

from typing import Any

import pytest

from polaroid._gen.polaroid.v1 import plan_pb2, sink_pb2
from polaroid._plan import handle_plan
from polaroid.lazyframe import LazyFrame


class _Transport:
    def __init__(self) -> None:
        self.requests: list[sink_pb2.SinkRequest] = []

    def sink(self, request: sink_pb2.SinkRequest) -> sink_pb2.SinkResponse:
        self.requests.append(request)
        return sink_pb2.SinkResponse(path=request.target.path, bytes=1)


class _Client:
    endpoint = "stub"

    def __init__(self) -> None:
        self._transport = _Transport()


def _frame() -> tuple[LazyFrame, _Transport]:
    client: Any = _Client()
    return LazyFrame(client, handle_plan("h1")), client._transport


def test_sink_parquet_sends_python_polars_defaults() -> None:
    lf, transport = _frame()
    assert lf.sink_parquet("out/a.parquet") is None
    (request,) = transport.requests
    assert request.target == sink_pb2.SinkTarget(
        format=plan_pb2.FILE_FORMAT_PARQUET, path="out/a.parquet", store=sink_pb2.OUTPUT_STORE_FILES
    )
    assert request.options.compression == "zstd"
    assert request.options.statistics.enabled is True
    assert request.options.maintain_order is True
    assert request.options.mkdir is False


def test_sink_csv_sends_its_options_and_an_s3_target() -> None:
    lf, transport = _frame()
    lf.sink_csv("s3://bucket/k/a.csv", separator=";", null_value="NA")
    (request,) = transport.requests
    assert (request.target.store, request.target.bucket, request.target.path) == (
        sink_pb2.OUTPUT_STORE_S3,
        "bucket",
        "k/a.csv",
    )
    assert (request.options.separator, request.options.null_value, request.options.batch_size) == (";", "NA", 1024)
    assert request.options.include_header is True


@pytest.mark.parametrize(
    ("call", "option"),
    [
        (lambda lf: lf.sink_parquet("a.parquet", metadata={"k": "v"}), "metadata"),
        (lambda lf: lf.sink_ipc("a.ipc", record_batch_size=10), "record_batch_size"),
        (lambda lf: lf.sink_ndjson("a.json", lazy=True), "lazy"),
        (lambda lf: lf.sink_csv("a.csv", storage_options={"k": "v"}), "storage_options"),
    ],
)
def test_sinks_refuse_what_the_server_cannot_honour(call: Any, option: str) -> None:
    lf, transport = _frame()
    with pytest.raises(NotImplementedError, match=option):
        call(lf)
    assert transport.requests == []
