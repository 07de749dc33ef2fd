"""Choosing the endpoint of each call attempt: round robin over the endpoints that answer.
An endpoint that was unreachable is skipped for a cool-down, unless every endpoint is; a
retry goes first to an endpoint the call has not failed on, one known to be up before one
merely not cooling down (the TypeScript SDK's ``sdk/transport/balancer.ts``, round robin).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Sequence

__all__ = ["Balancer"]


class Balancer:
    """Picks endpoints for call attempts; one per client (it keeps the round-robin position).
    Thread-safe."""

    def __init__(
        self,
        endpoints: Sequence[str],
        *,
        cool_down: float = 1.0,
        up_window: float = 30.0,
        clock: Callable[[], float],
    ) -> None:
        self.endpoints: tuple[str, ...] = tuple(dict.fromkeys(endpoints))
        if not self.endpoints:
            raise ValueError("Cannot balance calls as 'endpoints' must name at least one endpoint: current value is []")
        self._cool_down = cool_down
        self._up_window = up_window
        self._clock = clock
        self._down_until: dict[str, float] = {}
        self._up_at: dict[str, float] = {}
        self._next = 0
        self._lock = threading.Lock()

    def pick(self, tried: Collection[str] = ()) -> str:
        """The endpoint of the next attempt of a call that already failed on ``tried``. A first
        attempt takes the next endpoint not cooling down; a retry prefers an untried endpoint
        known to be up, then an untried one not cooling down, then a tried one known to be up,
        then any not cooling down; when all cool down, the one back first."""
        with self._lock:
            count = len(self.endpoints)
            order = [self.endpoints[(self._next + i) % count] for i in range(count)]
            live = [e for e in order if not self._is_down(e)]
            if tried:
                up = [e for e in live if self._is_up(e)]
                choice = (
                    next((e for e in up if e not in tried), None)
                    or next((e for e in live if e not in tried), None)
                    or next(iter(up), None)
                    or next(iter(live), None)
                )
            else:
                choice = next(iter(live), None)
            if choice is None:
                choice = min(order, key=lambda e: self._down_until.get(e, 0.0))
            self._next = (self.endpoints.index(choice) + 1) % count
            return choice

    def mark_down(self, endpoint: str) -> None:
        """Skips ``endpoint`` for the cool-down (it was unreachable)."""
        with self._lock:
            self._down_until[endpoint] = self._clock() + self._cool_down
            self._up_at.pop(endpoint, None)

    def mark_up(self, endpoint: str) -> None:
        """Ends the cool-down of ``endpoint``, known to be up from now (it answered)."""
        with self._lock:
            self._down_until.pop(endpoint, None)
            self._up_at[endpoint] = self._clock()

    def _is_down(self, endpoint: str) -> bool:
        until = self._down_until.get(endpoint)
        if until is None:
            return False
        if self._clock() < until:
            return True
        del self._down_until[endpoint]
        return False

    def _is_up(self, endpoint: str) -> bool:
        at = self._up_at.get(endpoint)
        return at is not None and self._clock() - at <= self._up_window
