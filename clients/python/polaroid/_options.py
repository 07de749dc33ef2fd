"""The options of ``connect``: where to connect (the one place the client reads the
environment: POLAROID_ENDPOINT, one "host:port" or a comma-separated list), the metadata
sent on every call (``x-polaroid-tenant``, ``authorization: Bearer``) and TLS credentials.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import grpc

from polaroid._retry import RetryPolicy, policy_of

__all__ = ["DEFAULT_ENDPOINT", "ConnectOptions", "call_metadata", "credentials", "resolve_endpoints"]

#: The endpoint used when neither the arguments nor POLAROID_ENDPOINT name one.
DEFAULT_ENDPOINT = "127.0.0.1:50051"
#: The environment variable naming the endpoint(s).
ENDPOINT_VARIABLE = "POLAROID_ENDPOINT"
#: Largest gRPC message in either direction (as the TypeScript SDK).
MAX_MESSAGE_BYTES = 64 * 1024 * 1024
#: Smallest allowed ``max_message_bytes`` (uploads send 1 MiB chunks).
MIN_MESSAGE_BYTES = 2 * 1024 * 1024
#: Deadline of each call, retries included, in seconds (the TypeScript SDK's default).
DEFAULT_TIMEOUT = 300.0
#: How long ``connect`` waits for a server to answer.
DEFAULT_CONNECT_TIMEOUT = 5.0

_ENDPOINT = re.compile(r"^[^\s,]+:\d+$")
_TENANT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
_TOKEN = re.compile(r"^[\x21-\x7e]{1,8192}$")


def _check_endpoint(value: Any, name: str) -> str:
    if not isinstance(value, str) or not _ENDPOINT.match(value):
        raise ValueError(f'Cannot connect as {name!r} must be "host:port": current value is {value!r}')
    return value


def resolve_endpoints(endpoint: str | None, endpoints: Sequence[str] | None) -> list[str]:
    """The endpoints to call, without duplicates: ``endpoint`` or ``endpoints``, else
    POLAROID_ENDPOINT (one "host:port" or a comma-separated list), else 127.0.0.1:50051."""
    if endpoint is not None and endpoints is not None:
        raise ValueError(
            f"Cannot connect as 'endpoint' and 'endpoints' are exclusive: current values are {endpoint!r} and {endpoints!r}"
        )
    if endpoints is not None:
        if isinstance(endpoints, str) or not isinstance(endpoints, Sequence) or len(endpoints) == 0:
            raise ValueError(
                f'Cannot connect as \'endpoints\' must be a non-empty list of "host:port": current value is {endpoints!r}'
            )
        return list(dict.fromkeys(_check_endpoint(e, "endpoints") for e in endpoints))
    if endpoint is not None:
        return [_check_endpoint(endpoint, "endpoint")]
    listed = [e.strip() for e in os.environ.get(ENDPOINT_VARIABLE, "").split(",") if e.strip()]
    if listed:
        return list(dict.fromkeys(_check_endpoint(e, ENDPOINT_VARIABLE) for e in listed))
    return [DEFAULT_ENDPOINT]


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


def _seconds(name: str, value: Any, *, positive: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (positive and value == 0):
        must = "positive" if positive else "non-negative"
        raise ValueError(f"Cannot connect as {name!r} must be {must} seconds: current value is {value!r}")
    return float(value)


@dataclass(frozen=True)
class ConnectOptions:
    """The checked options of one connection (built by ``ConnectOptions.of``)."""

    endpoints: tuple[str, ...]
    metadata: tuple[tuple[str, str], ...]
    tls: bool | Mapping[str, Any] | None
    timeout: float
    connect_timeout: float
    max_message_bytes: int
    wait_for_ready: bool
    retry: RetryPolicy
    cool_down: float

    @staticmethod
    def of(
        endpoint: str | None,
        *,
        endpoints: Sequence[str] | None,
        token: str | None,
        tenant: str | None,
        tls: bool | Mapping[str, Any] | None,
        timeout: float,
        connect_timeout: float,
        max_message_bytes: int,
        wait_for_ready: bool | None,
        retry: RetryPolicy | bool | None,
        cool_down: float,
    ) -> ConnectOptions:
        """Checks ``connect``'s arguments (ValueError/TypeError naming the bad one)."""
        names = resolve_endpoints(endpoint, endpoints)
        if isinstance(max_message_bytes, bool) or not isinstance(max_message_bytes, int) or max_message_bytes < MIN_MESSAGE_BYTES:
            raise ValueError(
                f"Cannot connect as 'max_message_bytes' must be an integer of at least {MIN_MESSAGE_BYTES} "
                f"(uploads send 1 MiB chunks): current value is {max_message_bytes!r}"
            )
        if wait_for_ready is not None and not isinstance(wait_for_ready, bool):
            raise TypeError(f"Cannot connect as 'wait_for_ready' must be a bool: current value is {wait_for_ready!r}")
        credentials(tls)  # checks the mapping
        return ConnectOptions(
            endpoints=tuple(names),
            metadata=call_metadata(tenant, token),
            tls=tls,
            timeout=_seconds("timeout", timeout, positive=True),
            connect_timeout=_seconds("connect_timeout", connect_timeout, positive=False),
            max_message_bytes=max_message_bytes,
            wait_for_ready=len(names) == 1 if wait_for_ready is None else wait_for_ready,
            retry=policy_of(retry),
            cool_down=_seconds("cool_down", cool_down, positive=False),
        )

    @property
    def channel_options(self) -> list[tuple[str, int]]:
        """gRPC channel arguments (message size limits)."""
        return [
            ("grpc.max_send_message_length", self.max_message_bytes),
            ("grpc.max_receive_message_length", self.max_message_bytes),
        ]
