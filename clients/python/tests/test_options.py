"""connect()'s options, checked before anything is sent: endpoints (arguments and
POLAROID_ENDPOINT, one or a comma-separated list), metadata, TLS, the retry policy."""

from __future__ import annotations

import pytest

import polaroid as pr
from polaroid._options import ConnectOptions, call_metadata, credentials, resolve_endpoints
from polaroid._retry import NO_RETRY, RetryPolicy, backoff_delay, is_retryable, resume_delay, retry_after


def options(**overrides: object) -> ConnectOptions:
    args: dict[str, object] = {
        "endpoints": None,
        "token": None,
        "tenant": None,
        "tls": None,
        "timeout": 300.0,
        "connect_timeout": 0.0,
        "max_message_bytes": 64 << 20,
        "wait_for_ready": None,
        "retry": None,
        "cool_down": 1.0,
    }
    endpoint = overrides.pop("endpoint", None)
    args.update(overrides)
    return ConnectOptions.of(endpoint, **args)  # type: ignore[arg-type]


def test_call_metadata() -> None:
    assert call_metadata(None, None) == ()
    assert call_metadata("acme", "pk_abc") == (("x-polaroid-tenant", "acme"), ("authorization", "Bearer pk_abc"))
    with pytest.raises(ValueError, match="tenant"):
        call_metadata("Bad Tenant", None)
    with pytest.raises(ValueError, match="token"):
        call_metadata(None, "has space")


def test_endpoint_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLAROID_ENDPOINT", raising=False)
    assert resolve_endpoints(None, None) == ["127.0.0.1:50051"]
    monkeypatch.setenv("POLAROID_ENDPOINT", "compute:6000")
    assert resolve_endpoints(None, None) == ["compute:6000"]
    monkeypatch.setenv("POLAROID_ENDPOINT", " a:1, b:2 ,a:1,")
    assert resolve_endpoints(None, None) == ["a:1", "b:2"]
    assert resolve_endpoints("other:1", None) == ["other:1"]
    assert resolve_endpoints(None, ["x:1", "y:2", "x:1"]) == ["x:1", "y:2"]
    with pytest.raises(ValueError, match="host:port"):
        resolve_endpoints("no-port", None)
    with pytest.raises(ValueError, match="host:port"):
        resolve_endpoints("a:1,b:2", None)
    with pytest.raises(ValueError, match="exclusive"):
        resolve_endpoints("a:1", ["b:2"])
    with pytest.raises(ValueError, match="non-empty list"):
        resolve_endpoints(None, [])
    with pytest.raises(ValueError, match="non-empty list"):
        resolve_endpoints(None, "a:1")


def test_tls_options() -> None:
    assert credentials(None) is None and credentials(False) is None
    assert credentials(True) is not None
    with pytest.raises(TypeError, match="together"):
        credentials({"cert": "PEM"})
    with pytest.raises(TypeError, match="takes ca, cert, key"):
        credentials({"cafile": "x"})


def test_connect_options_are_checked_and_defaulted() -> None:
    one = options(endpoint="a:1")
    assert one.endpoints == ("a:1",) and one.wait_for_ready is True and one.retry == RetryPolicy()
    two = options(endpoints=["a:1", "b:2"], retry=False)
    assert two.wait_for_ready is False and two.retry == NO_RETRY
    assert options(endpoint="a:1", wait_for_ready=False).wait_for_ready is False
    with pytest.raises(ValueError, match="'timeout' must be positive"):
        options(endpoint="a:1", timeout=0)
    with pytest.raises(ValueError, match="max_message_bytes"):
        options(endpoint="a:1", max_message_bytes=1024)
    with pytest.raises(TypeError, match="'retry' must be a RetryPolicy"):
        options(endpoint="a:1", retry="often")
    with pytest.raises(ValueError, match="retry.attempts"):
        RetryPolicy(attempts=0)
    with pytest.raises(ValueError, match="retry.budget"):
        RetryPolicy(budget=-1)


def test_full_jitter_backoff_doubles_up_to_its_cap() -> None:
    policy = RetryPolicy(base_delay=0.05, max_delay=2.0)
    assert backoff_delay(0, policy, lambda: 0.999) == pytest.approx(0.05 * 0.999)
    assert backoff_delay(3, policy, lambda: 0.5) == pytest.approx(0.2)
    assert backoff_delay(10, policy, lambda: 0.5) == pytest.approx(1.0)
    assert backoff_delay(5, policy, lambda: 0.0) == 0.0
    assert [resume_delay(n, policy) for n in range(6)] == [0.1, 0.2, 0.4, 0.8, 1.6, 2.0]


def test_only_reads_are_retried_and_only_when_refused() -> None:
    unavailable = pr.UnavailableError("down")
    for method in ("collect", "schema", "explain", "describe", "list"):
        assert is_retryable(unavailable, method)
    for method in ("execute", "upload", "release"):
        assert not is_retryable(unavailable, method)
    assert not is_retryable(pr.InvalidArgumentError("bad"), "schema")
    assert not is_retryable(pr.LimitExceededError("too many rows"), "collect")
    busy = pr.LimitExceededError("quota", metadata={"retryable": "true", "retryAfterMs": "250"})
    assert is_retryable(busy, "collect") and retry_after(busy) == 0.25
    assert retry_after(pr.LimitExceededError("x", metadata={"retryAfterMs": "soon"})) == 0.0
