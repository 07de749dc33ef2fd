"""The caller's OpenTelemetry trace context, sent with every call: W3C ``traceparent`` (and
``tracestate``, ``baggage``) in the call's metadata, written by ``opentelemetry.propagate.inject``
from the active context, so that the servers' spans join the caller's trace.

OpenTelemetry is optional (``pip install 'polaroid[otel]'``): when ``opentelemetry`` is not
importable, calls carry no trace context and this costs nothing. Without an active span (or
with no SDK configured) the propagator writes nothing either.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["with_trace_context"]

Injector = Callable[[dict[str, str]], None]


def _injector() -> Injector | None:
    try:
        from opentelemetry import propagate
    except ImportError:
        return None
    return propagate.inject


#: Writes the active context's headers into a dict; None without OpenTelemetry.
INJECT: Injector | None = _injector()


def with_trace_context(metadata: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """``metadata`` and the active trace context's headers (``metadata`` alone without
    OpenTelemetry or an active span)."""
    inject = INJECT
    if inject is None:
        return metadata
    carrier: dict[str, str] = {}
    inject(carrier)
    if not carrier:
        return metadata
    return metadata + tuple((key.lower(), value) for key, value in carrier.items())
