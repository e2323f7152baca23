"""Retry-After in its three forms, clamping, and the backoff schedule (hand-computed values)."""

import math

import pytest

from cockpit.sync.retry import MAX_RETRY_AFTER, RetryClock, RetryPolicy, parse_retry_after
from tests.sync.transport_fixtures import RecordingSleep

# Wed, 21 Oct 2026 08:26:40 GMT; 80 s later is 08:28:00 = 1792571280.
NOW = 1_792_571_200.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        (" 7 ", 7.0),
        ("1.5", 1.5),
        ("0", 0.0),
        ("Wed, 21 Oct 2026 08:28:00 GMT", 80.0),  # HTTP date
        ("Wed, 21 Oct 2026 08:28:00 -0000", 80.0),  # the obsolete "unknown zone" form: still GMT
        ("1792571280", 80.0),  # absolute epoch seconds
        ("1792571280000", 80.0),  # absolute epoch milliseconds
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # in the past: go now
        ("1000000000", 0.0),  # epoch in the past
        ("Fri, 31 Dec 9999 23:59:59 GMT", MAX_RETRY_AFTER),  # far future: clamped
        ("86400", MAX_RETRY_AFTER),  # a day: clamped
        ("9" * 400, MAX_RETRY_AFTER),  # float() gives inf here; clamped, not OverflowError
    ],
)
def test_retry_after_forms(value: str, expected: float) -> None:
    assert parse_retry_after(value, NOW) == pytest.approx(expected)


@pytest.mark.parametrize(
    "value", [None, "", "soon", "-5", "nan", "inf", "1e9", "Wed, 32 Oct 2026 08:28:00 GMT", "12 s"]
)
def test_unreadable_retry_after_is_none(value: str | None) -> None:
    assert parse_retry_after(value, NOW) is None


def test_retry_after_clamped_to_the_given_maximum() -> None:
    assert parse_retry_after("120", NOW, maximum=30.0) == 30.0
    assert parse_retry_after("1792571280", NOW, maximum=30.0) == 30.0


def test_every_parsed_wait_is_safe_for_sleep() -> None:
    hostile = ["9" * 5000, "Fri, 31 Dec 9999 23:59:59 GMT", "99999999999999999999", "1" + "0" * 308]
    for value in hostile:
        seconds = parse_retry_after(value, NOW)
        assert seconds is not None
        assert math.isfinite(seconds)
        assert 0.0 <= seconds <= MAX_RETRY_AFTER


def test_backoff_doubles_up_to_the_cap_with_full_jitter() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=60.0)
    ceilings = [policy.backoff(retry, uniform=lambda _low, high: high) for retry in range(1, 9)]
    assert ceilings == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]
    assert policy.backoff(3, uniform=lambda low, _high: low) == 0.0  # full jitter reaches down to 0
    assert policy.backoff(10_000, uniform=lambda _low, high: high) == 60.0  # no overflow far out


def test_backoff_with_real_randomness_stays_within_its_ceiling() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0)
    waits = [policy.backoff(3) for _ in range(200)]
    assert all(0.0 <= wait <= 2.0 for wait in waits)
    assert len(set(waits)) > 100  # jittered, not a fixed schedule


def test_server_retry_after_wins_over_backoff() -> None:
    policy = RetryPolicy()
    assert policy.wait_before(1, "5", now=NOW, uniform=lambda _low, high: high) == 5.0
    assert policy.wait_before(3, "soon", now=NOW, uniform=lambda _low, high: high) == 4.0


def test_clock_gives_up_after_max_attempts() -> None:
    clock = RetryClock(RetryPolicy(max_attempts=3), RecordingSleep())
    clock.attempts = 2
    assert clock.next_wait("1") == 1.0
    clock.attempts = 3
    assert clock.next_wait("1") is None


def test_clock_counts_requested_waits_against_the_budget() -> None:
    sleep = RecordingSleep()
    clock = RetryClock(RetryPolicy(total_budget=10.0), sleep)
    clock.attempts = 1
    wait = clock.next_wait("8")
    assert wait == 8.0
    clock.wait(wait)
    assert sleep.waits == [8.0]
    assert clock.spent() == pytest.approx(8.0, abs=0.5)
    clock.attempts = 2
    assert clock.next_wait("5") is None  # 8 + 5 > 10: not started at all
    assert clock.next_wait("1") == 1.0


def test_policy_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError, match="base_delay"):
        RetryPolicy(base_delay=10.0, max_delay=1.0)
