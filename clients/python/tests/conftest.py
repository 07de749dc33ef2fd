"""Shared fixtures: ``client``, a connection to the cluster POLAROID_ENDPOINT names (the
integration tests are skipped when it is unset)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

import polaroid as pr


@pytest.fixture(scope="session")
def endpoint() -> str:
    """The endpoint of a running cluster, or skip."""
    value = os.environ.get("POLAROID_ENDPOINT", "").strip()
    if not value:
        pytest.skip("POLAROID_ENDPOINT is not set: start a cluster (deno task up --no-demo --free-ports)")
    return value


@pytest.fixture(scope="session")
def client(endpoint: str) -> Iterator[pr.Client]:
    """A client of the cluster, shared by the session."""
    with pr.connect(endpoint, tenant=os.environ.get("POLAROID_TENANT") or None) as connection:
        yield connection
