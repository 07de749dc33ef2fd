"""One gRPC channel per endpoint, for the sync and the async transport alike. A channel
reconnects by itself after the server comes back, but with a growing backoff (up to two
minutes); a channel whose call failed without reaching a server (UNAVAILABLE without a
Polaroid status) is replaced by a fresh one, and the old one is closed once the calls still
running on it end.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

__all__ = ["ChannelPool", "PooledChannel"]

C = TypeVar("C")


class PooledChannel(Generic[C]):
    """A channel of the pool with its stubs and the number of calls running on it."""

    __slots__ = ("channel", "endpoint", "frames", "handles", "in_flight", "retired")

    def __init__(self, endpoint: str, channel: C, frames: Any, handles: Any) -> None:
        self.endpoint = endpoint
        self.channel = channel
        self.frames = frames
        self.handles = handles
        self.in_flight = 0
        self.retired = False


class ChannelPool(Generic[C]):
    """The channels of a client's endpoints. ``make`` opens a channel and its stubs,
    ``close`` closes a channel (scheduling it, for asyncio channels)."""

    def __init__(
        self,
        endpoints: tuple[str, ...],
        make: Callable[[str], PooledChannel[C]],
        close: Callable[[C], None],
    ) -> None:
        self._make = make
        self._close = close
        self._lock = threading.Lock()
        self._current: dict[str, PooledChannel[C]] = {}
        self._endpoints = endpoints
        self.replaced = 0

    def current(self, endpoint: str) -> PooledChannel[C]:
        """The live channel of ``endpoint`` (opened on first use)."""
        with self._lock:
            pooled = self._current.get(endpoint)
            if pooled is None:
                pooled = self._current[endpoint] = self._make(endpoint)
            return pooled

    def acquire(self, endpoint: str) -> PooledChannel[C]:
        """The live channel of ``endpoint``, counted busy until ``release``."""
        pooled = self.current(endpoint)
        with self._lock:
            pooled.in_flight += 1
        return pooled

    def release(self, pooled: PooledChannel[C]) -> None:
        """Ends one call on ``pooled``; a replaced channel is closed after its last call."""
        with self._lock:
            pooled.in_flight -= 1
            done = pooled.retired and pooled.in_flight == 0
        if done:
            self._close(pooled.channel)

    def replace(self, pooled: PooledChannel[C]) -> None:
        """Replaces ``pooled`` (its connection failed) with a fresh channel to its endpoint;
        a channel already replaced is left alone."""
        with self._lock:
            if self._current.get(pooled.endpoint) is not pooled:
                return
            del self._current[pooled.endpoint]
            pooled.retired = True
            self.replaced += 1
            idle = pooled.in_flight == 0
        if idle:
            self._close(pooled.channel)

    def channels(self) -> list[C]:
        """Every live channel."""
        with self._lock:
            return [p.channel for p in self._current.values()]

    def drain(self) -> list[C]:
        """Removes every live channel and returns them, for the caller to close."""
        with self._lock:
            channels = [p.channel for p in self._current.values()]
            for pooled in self._current.values():
                pooled.retired = True
            self._current.clear()
            return channels
