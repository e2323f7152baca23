"""When to try a request again, and how long to wait first.

Exponential backoff with full jitter (a random wait between 0 and the capped exponential), so that many
cockpits behind one server do not retry in lock-step. A server's ``Retry-After`` wins over the backoff, but
is clamped: servers send absolute epochs and far-future dates, and ``time.sleep`` of a huge value raises
``OverflowError``. A total budget bounds how long one request may keep a sync waiting.
"""

from __future__ import annotations

import email.utils
import math
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from typing import Final

from cockpit.errors import SyncNetworkError

# The longest we ever wait on a server's word: long enough for a rate limit window, short enough that a
# bogus far-future date does not park the sync for days.
MAX_RETRY_AFTER: Final = 300.0

# Numbers this large are not delta-seconds (that would be 31+ years) but absolute Unix times; some
# servers send milliseconds.
_EPOCH_SECONDS_FROM: Final = 1e9
_EPOCH_MILLIS_FROM: Final = 1e12

_NUMBER: Final = re.compile(r"\s*(\d+(?:\.\d+)?)\s*")


def parse_retry_after(value: str | None, now: float, *, maximum: float = MAX_RETRY_AFTER) -> float | None:
    """Seconds to wait for a ``Retry-After`` value, in [0, maximum]; None when it cannot be read.

    Accepts delta-seconds ("120"), an HTTP date ("Wed, 21 Oct 2026 07:28:00 GMT") and an absolute Unix
    time in seconds or milliseconds ("1792571280"). ``now`` is the current Unix time. A time in the past
    means "now" (0).
    """
    if value is None:
        return None
    number = _NUMBER.fullmatch(value)
    seconds: float | None
    if number is not None:
        seconds = float(number.group(1))  # a long digit string gives inf, never an exception
        if seconds >= _EPOCH_MILLIS_FROM:
            seconds = seconds / 1000.0 - now
        elif seconds >= _EPOCH_SECONDS_FROM:
            seconds = seconds - now
    else:
        seconds = _seconds_until_http_date(value, now)
    if seconds is None or math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), maximum)


def _seconds_until_http_date(value: str, now: float) -> float | None:
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000" and obsolete forms: HTTP dates are always GMT
        when = when.replace(tzinfo=UTC)
    try:
        return when.timestamp() - now
    except (OverflowError, ValueError, OSError):
        return None


@dataclass(frozen=True)
class RetryPolicy:
    """How a request is retried.

    Attributes:
        max_attempts: attempts in all, the first included (1 = never retry).
        base_delay: the backoff before the first retry, doubled for each further one (before jitter).
        max_delay: the cap of the exponential backoff.
        max_retry_after: the most a server's ``Retry-After`` makes us wait.
        total_budget: seconds one request may take in all, waits included; a wait that would overrun it
            is not started.
        retry_statuses: statuses that mean "busy, try again later".
    """

    max_attempts: int = 6
    base_delay: float = 1.0
    max_delay: float = 60.0
    max_retry_after: float = MAX_RETRY_AFTER
    total_budget: float = 900.0
    retry_statuses: frozenset[int] = field(default_factory=lambda: frozenset({429, 502, 503, 504}))

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if not 0 <= self.base_delay <= self.max_delay:
            raise ValueError("need 0 <= base_delay <= max_delay")

    def backoff(self, retry: int, uniform: Callable[[float, float], float] = random.uniform) -> float:
        """The wait before retry number ``retry`` (1 for the first retry): full jitter."""
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** min(retry - 1, 60))
        return uniform(0.0, ceiling)

    def wait_before(
        self,
        retry: int,
        retry_after: str | None,
        *,
        now: float,
        uniform: Callable[[float, float], float] = random.uniform,
    ) -> float:
        """The wait before retry number ``retry``: the server's ``Retry-After`` if it gave a readable one,
        else the backoff."""
        asked = parse_retry_after(retry_after, now, maximum=self.max_retry_after)
        return asked if asked is not None else self.backoff(retry, uniform)


class RetryClock:
    """Counts the attempts and the time spent on one request, and does the waiting.

    The budget counts the waits as requested (not as slept), so a test's recording ``sleep`` exercises the
    budget exactly as a real sleep would.
    """

    def __init__(
        self,
        policy: RetryPolicy,
        sleep: Callable[[float], None],
        *,
        monotonic: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        uniform: Callable[[float, float], float] = random.uniform,
    ) -> None:
        self._policy = policy
        self._sleep = sleep
        self._monotonic = monotonic
        self._wall_clock = wall_clock
        self._uniform = uniform
        self._started = monotonic()
        self._slept_wall = 0.0
        self._waited = 0.0
        self.attempts = 0

    def spent(self) -> float:
        return self._monotonic() - self._started - self._slept_wall + self._waited

    def next_wait(self, retry_after: str | None = None) -> float | None:
        """The wait before the next attempt, or None when the policy says give up."""
        if self.attempts >= self._policy.max_attempts:
            return None
        wait = self._policy.wait_before(
            self.attempts, retry_after, now=self._wall_clock(), uniform=self._uniform
        )
        if self.spent() + wait > self._policy.total_budget:
            return None
        return wait

    def wait(self, seconds: float) -> None:
        before = self._monotonic()
        self._sleep(seconds)
        self._slept_wall += self._monotonic() - before
        self._waited += seconds


class RetryableSyncError(SyncNetworkError):
    """A failure inside a request (e.g. the token endpoint was busy) that the retry loop may try again,
    honouring ``retry_after`` (the server's raw header value) when there is one."""

    def __init__(self, message: str, retry_after: str | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
