"""The one module that does I/O: a gRPC channel to a compute endpoint, the call metadata
(``x-polaroid-tenant``, ``authorization: Bearer``), deadlines, the mapping of failed calls
to PolaroidError, Upload's chunked Arrow IPC stream and Collect's Arrow IPC messages.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar, cast

import grpc

from polaroid._gen.polaroid.v1 import (
    dataframe_pb2,
    dataframe_pb2_grpc,
    handle_pb2,
    handles_pb2,
    handles_pb2_grpc,
    plan_pb2,
)
from polaroid.errors import FailedPreconditionError, HandleNotFoundError, UnavailableError, error_from_rpc

#: The endpoint used when neither the argument nor POLAROID_ENDPOINT names one.
DEFAULT_ENDPOINT = "127.0.0.1:50051"
#: The largest ``arrow_ipc`` chunk of an upload message (as the TypeScript SDK).
UPLOAD_CHUNK_BYTES = 1024 * 1024
#: Largest gRPC message in either direction (as the TypeScript SDK).
MAX_MESSAGE_BYTES = 64 * 1024 * 1024

_ENDPOINT = re.compile(r"^[^\s,]+:\d+$")
_TENANT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
_TOKEN = re.compile(r"^[\x21-\x7e]{1,8192}$")

T = TypeVar("T")


def resolve_endpoint(endpoint: str | None) -> str:
    """The endpoint to use: the argument, else POLAROID_ENDPOINT, else 127.0.0.1:50051."""
    value = endpoint if endpoint is not None else (os.environ.get("POLAROID_ENDPOINT", "").strip() or DEFAULT_ENDPOINT)
    if isinstance(value, str) and "," in value:
        raise NotImplementedError(
            f"Cannot connect to several endpoints as the Python client takes one yet: current value is {value!r}"
        )
    if not isinstance(value, str) or not _ENDPOINT.match(value):
        raise ValueError(f'Cannot connect as the endpoint must be "host:port": current value is {value!r}')
    return value


def call_metadata(tenant: str | None, token: str | None) -> tuple[tuple[str, str], ...]:
    """The metadata sent on every call, after checking the tenant and token."""
    metadata: list[tuple[str, str]] = []
    if tenant is not None:
        if not isinstance(tenant, str) or not _TENANT.match(tenant):
            raise ValueError(f"Cannot connect as 'tenant' must match {_TENANT.pattern}: current value is {tenant!r}")
        metadata.append(("x-polaroid-tenant", tenant))
    if token is not None:
        if not isinstance(token, str) or not _TOKEN.match(token):
            raise ValueError(
                "Cannot connect as 'token' must be an API key or a JWT: 1 to 8192 printable characters without spaces"
            )
        metadata.append(("authorization", f"Bearer {token}"))
    return tuple(metadata)


def _pem(value: Any, name: str) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, bytes):
        return value
    raise TypeError(f"Cannot connect as 'tls[{name!r}]' must be PEM text (str or bytes)")


def credentials(tls: bool | Mapping[str, Any] | None) -> grpc.ChannelCredentials | None:
    """Channel credentials: None (plaintext) for a false ``tls``, the system's CAs for True,
    else a mapping of PEM ``ca`` (verifies the server), ``cert`` and ``key`` (the client's)."""
    if not tls:
        return None
    if tls is True:
        return grpc.ssl_channel_credentials()
    if not isinstance(tls, Mapping):
        raise TypeError(
            f"Cannot connect as 'tls' must be a bool or a mapping of ca, cert, key: current value is {tls!r}"
        )
    unknown = set(tls) - {"ca", "cert", "key"}
    if unknown:
        raise TypeError(f"Cannot connect as 'tls' takes ca, cert, key: current keys include {sorted(unknown)!r}")
    cert, key = _pem(tls.get("cert"), "cert"), _pem(tls.get("key"), "key")
    if (cert is None) != (key is None):
        raise TypeError("Cannot connect as 'tls' needs 'cert' and 'key' together")
    return grpc.ssl_channel_credentials(
        root_certificates=_pem(tls.get("ca"), "ca"), private_key=key, certificate_chain=cert
    )


class Transport:
    """A channel to one compute endpoint and the calls the client makes on it."""

    def __init__(
        self,
        endpoint: str,
        *,
        metadata: tuple[tuple[str, str], ...],
        creds: grpc.ChannelCredentials | None,
        timeout: float,
        connect_timeout: float,
        max_message_bytes: int = MAX_MESSAGE_BYTES,
    ) -> None:
        if not timeout > 0:
            raise ValueError(f"Cannot connect as 'timeout' must be positive seconds: current value is {timeout!r}")
        options = [
            ("grpc.max_send_message_length", max_message_bytes),
            ("grpc.max_receive_message_length", max_message_bytes),
        ]
        self.endpoint = endpoint
        self.timeout = float(timeout)
        self._metadata = metadata
        self._channel = (
            grpc.secure_channel(endpoint, creds, options)
            if creds is not None
            else grpc.insecure_channel(endpoint, options)
        )
        self._frames = dataframe_pb2_grpc.DataFrameServiceStub(self._channel)  # type: ignore[no-untyped-call]
        self._handles = handles_pb2_grpc.HandleServiceStub(self._channel)  # type: ignore[no-untyped-call]
        self.closed = False
        if connect_timeout > 0:
            try:
                grpc.channel_ready_future(self._channel).result(timeout=connect_timeout)
            except grpc.FutureTimeoutError:
                self._channel.close()
                raise UnavailableError(
                    f"Cannot connect to {endpoint} as it did not answer within {connect_timeout:g} s"
                ) from None

    def close(self) -> None:
        """Closes the channel; closing twice is harmless."""
        if not self.closed:
            self.closed = True
            self._channel.close()

    def _live(self, what: str) -> None:
        if self.closed:
            raise FailedPreconditionError(f"Cannot {what} as the client is closed: current endpoint is {self.endpoint}")

    def _unary(self, what: str, method: Callable[..., T], request: Any) -> T:
        self._live(what)
        try:
            return method(request, timeout=self.timeout, metadata=self._metadata, wait_for_ready=True)
        except grpc.RpcError as error:
            raise error_from_rpc(error) from None

    # ---- DataFrameService ----------------------------------------------------------------

    def upload(self, ipc: bytes | memoryview, *, name: str, ttl_seconds: int) -> handle_pb2.HandleInfo:
        """Stores an Arrow IPC stream (sent in 1 MiB chunks) under a new handle."""
        view = memoryview(ipc)

        def requests() -> Iterator[dataframe_pb2.UploadRequest]:
            for offset in range(0, max(len(view), 1), UPLOAD_CHUNK_BYTES):
                first = offset == 0
                yield dataframe_pb2.UploadRequest(
                    arrow_ipc=bytes(view[offset : offset + UPLOAD_CHUNK_BYTES]),
                    ttl_seconds=ttl_seconds if first else 0,
                    name=name if first else "",
                )

        response = self._unary("upload", self._frames.Upload, requests())
        return cast(dataframe_pb2.UploadResponse, response).handle

    def execute(self, plan: plan_pb2.Plan, *, name: str, ttl_seconds: int, streaming: bool) -> handle_pb2.HandleInfo:
        """Runs a plan and keeps the result under a new handle."""
        request = dataframe_pb2.ExecuteRequest(plan=plan, ttl_seconds=ttl_seconds, streaming=streaming, name=name)
        return cast(dataframe_pb2.ExecuteResponse, self._unary("execute", self._frames.Execute, request)).handle

    def collect(self, request: dataframe_pb2.CollectRequest) -> Iterator[bytes]:
        """The Arrow IPC message bytes of a plan's result or of a handle, as they arrive."""
        self._live("download")
        try:
            stream = self._frames.Collect(request, timeout=self.timeout, metadata=self._metadata, wait_for_ready=True)
            for message in stream:
                yield message.arrow_ipc
        except grpc.RpcError as error:
            raise error_from_rpc(error) from None

    def schema(self, request: dataframe_pb2.SchemaRequest) -> dataframe_pb2.SchemaResponse:
        """The schema of a plan's result (not run) or of a handle."""
        return cast(dataframe_pb2.SchemaResponse, self._unary("resolve the schema", self._frames.Schema, request))

    def explain(self, plan: plan_pb2.Plan) -> dataframe_pb2.ExplainResponse:
        """The logical and optimized plan, as Polars prints them."""
        request = dataframe_pb2.ExplainRequest(plan=plan)
        return cast(dataframe_pb2.ExplainResponse, self._unary("explain", self._frames.Explain, request))

    # ---- HandleService -------------------------------------------------------------------

    def describe(self, handle_id: str) -> handle_pb2.HandleInfo:
        """What the catalog knows of a handle (HandleNotFoundError when it is gone)."""
        request = handles_pb2.HandleRequest(id=handle_id)
        return cast(handle_pb2.HandleInfo, self._unary("open the handle", self._handles.DescribeHandle, request))

    def release(self, handle_id: str) -> None:
        """Drops a reference to a handle; a handle already gone, or a closed client, is not
        an error."""
        if self.closed:
            return
        try:
            self._unary("release the handle", self._handles.ReleaseHandle, handles_pb2.HandleRequest(id=handle_id))
        except HandleNotFoundError:
            pass
