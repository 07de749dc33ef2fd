"""Retrying calls, as pure functions the sync and async transports share: which failures a
call may repeat, exponential backoff with full jitter, one deadline per call that every
attempt and wait fits inside, and the waits between the attempts to resume a broken
Collect stream (the TypeScript SDK's ``sdk/transport/retry.ts`` and ``resume.ts``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from polaroid.errors import LimitExceededError, PolaroidError, UnavailableError

__all__ = ["RETRIED_METHODS", "RetryPolicy", "backoff_delay", "is_retryable", "logger", "resume_delay", "retry_after"]

#: The logger of the client; each retry and resume is logged at DEBUG level.
logger = logging.getLogger("polaroid")

#: Calls that change nothing on the server, so a refused attempt may be repeated: reads of
#: results and handles. Execute, Upload and Release are never repeated (a call whose reply
#: was lost may have stored a frame or dropped a reference).
RETRIED_METHODS = frozenset({"collect", "schema", "explain", "describe", "list"})


@dataclass(frozen=True)
class RetryPolicy:
    """How calls are retried (pass to ``connect(retry=...)``; ``retry=False`` turns retries
    and resumption off).

    A read (Collect, Schema, Explain, DescribeHandle, ListHandles) that fails with
    UNAVAILABLE (or RESOURCE_EXHAUSTED the server marks retryable) is tried again on the next
    endpoint after a random wait in [0, min(max_delay, base_delay * 2**retry)) (full
    jitter), for up to ``budget`` seconds after its first attempt and always inside the
    call's ``timeout``. A stored frame's download that breaks mid-stream is reopened from the
    next batch, up to ``resume_attempts`` times in a row.

    Attributes:
        attempts: attempts of one call at most, the first included (None: the budget decides).
        budget: seconds after the first attempt during which a call may be retried.
        base_delay: the cap of the first backoff, in seconds; it doubles per retry.
        max_delay: the largest backoff cap, in seconds.
        resume_attempts: reopenings of a broken download before its error is raised, counted
            since the last batch that arrived (0: no resumption).
        resume_delay: the wait before the first reopening, in seconds; it doubles.
        resume_max_delay: the longest wait between reopenings, in seconds.
    """

    attempts: int | None = None
    budget: float = 30.0
    base_delay: float = 0.05
    max_delay: float = 2.0
    resume_attempts: int = 5
    resume_delay: float = 0.1
    resume_max_delay: float = 2.0

    def __post_init__(self) -> None:
        if self.attempts is not None and (
            isinstance(self.attempts, bool) or not isinstance(self.attempts, int) or not 1 <= self.attempts <= 100
        ):
            raise ValueError(
                f"Cannot connect as 'retry.attempts' must be an integer in [1, 100]: current value is {self.attempts!r}"
            )
        for name in ("budget", "base_delay", "max_delay", "resume_delay", "resume_max_delay"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(
                    f"Cannot connect as 'retry.{name}' must be non-negative seconds: current value is {value!r}"
                )
        if isinstance(self.resume_attempts, bool) or not isinstance(self.resume_attempts, int) or self.resume_attempts < 0:
            raise ValueError(
                "Cannot connect as 'retry.resume_attempts' must be a non-negative integer: "
                f"current value is {self.resume_attempts!r}"
            )


#: No retries and no resumption (``connect(retry=False)``).
NO_RETRY = RetryPolicy(attempts=1, resume_attempts=0)


def policy_of(retry: RetryPolicy | bool | None) -> RetryPolicy:
    """The policy of ``connect``'s ``retry`` option (None and True: the defaults)."""
    if retry is None or retry is True:
        return RetryPolicy()
    if retry is False:
        return NO_RETRY
    if not isinstance(retry, RetryPolicy):
        raise TypeError(f"Cannot connect as 'retry' must be a RetryPolicy or a bool: current value is {retry!r}")
    return retry


def is_retryable(error: PolaroidError, method: str) -> bool:
    """Whether ``method`` may be tried again after ``error``: a read refused as UNAVAILABLE,
    or as RESOURCE_EXHAUSTED when the server marked it retryable (a busy server or a tenant
    over its call quota; a limit of the query itself fails the same everywhere)."""
    if method not in RETRIED_METHODS:
        return False
    if isinstance(error, UnavailableError):
        return True
    return isinstance(error, LimitExceededError) and error.metadata.get("retryable") == "true"


def backoff_delay(retry: int, policy: RetryPolicy, random: Callable[[], float]) -> float:
    """The wait before retry ``retry`` (0 for the second attempt), in seconds: full jitter,
    uniform in [0, min(max_delay, base_delay * 2**retry))."""
    cap = min(policy.max_delay, policy.base_delay * 2.0 ** min(retry, 60))
    return float(random()) * cap


def retry_after(error: PolaroidError) -> float:
    """The wait a server asked for before the next attempt (``retryAfterMs``), in seconds,
    at most a minute; 0 when none or malformed."""
    try:
        ms = float(error.metadata.get("retryAfterMs", "0"))
    except ValueError:
        return 0.0
    return min(ms, 60_000.0) / 1000.0 if ms > 0 else 0.0


def resume_delay(failures: int, policy: RetryPolicy) -> float:
    """The wait before reopening a broken download for the ``failures``-th time in a row
    (0-based): exponential, capped."""
    return min(policy.resume_max_delay, policy.resume_delay * 2.0 ** min(failures, 60))


def with_attempts(error: PolaroidError, attempts: int, endpoint: str) -> PolaroidError:
    """``error`` with its message naming how many attempts were made (after a retry)."""
    if attempts > 1:
        error.message = f"{error.message} (after {attempts} attempts, the last on {endpoint})"
        error.args = (error.message,)
    return error
