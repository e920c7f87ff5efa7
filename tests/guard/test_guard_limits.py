"""Sliding-window rate and abuse limits."""

from __future__ import annotations

import threading

import pytest

from trustdesk.errors import ConfigError
from trustdesk.guard.limits import AbuseLimits, SlidingWindowLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_window_slides() -> None:
    clock = Clock()
    lim = SlidingWindowLimiter(3, 10.0, clock=clock)
    assert [lim.hit("a").allowed for _ in range(4)] == [True, True, True, False]
    refused = lim.hit("a")
    assert not refused.allowed and refused.retry_after == pytest.approx(10.0)
    assert lim.hit("b").allowed  # keys are independent
    clock.now += 5
    assert not lim.hit("a").allowed
    clock.now += 5.01
    d = lim.hit("a")
    assert d.allowed and d.remaining == 2  # all three old events left; one new
    assert lim.peek("a") == 1


def test_retry_after_points_at_the_oldest_event_leaving() -> None:
    clock = Clock()
    lim = SlidingWindowLimiter(2, 60.0, clock=clock)
    lim.hit("k")
    clock.now += 20
    lim.hit("k")
    clock.now += 10
    assert lim.hit("k").retry_after == pytest.approx(30.0)
    assert lim.hit("k", cost=2).retry_after == pytest.approx(50.0)
    assert not lim.hit("k", cost=3).allowed


def test_memory_is_bounded() -> None:
    lim = SlidingWindowLimiter(1, 60.0, max_keys=10)
    for i in range(100):
        lim.hit(f"k{i}")
    assert len(lim) == 10
    lim.reset()
    assert len(lim) == 0


def test_bad_configuration() -> None:
    with pytest.raises(ConfigError):
        SlidingWindowLimiter(0, 1.0)
    with pytest.raises(ConfigError):
        SlidingWindowLimiter(1, 0.0)
    with pytest.raises(ValueError):
        SlidingWindowLimiter(1, 1.0).hit("a", cost=0)


def test_thread_safe_exact_count() -> None:
    lim = SlidingWindowLimiter(1000, 3600.0)
    allowed: list[bool] = []

    def worker() -> None:
        allowed.extend(lim.hit("shared").allowed for _ in range(300))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(allowed) == 1000
    assert lim.peek("shared") == 1000


def test_abuse_limits_per_conversation_client_and_blocked() -> None:
    clock = Clock()
    limits = AbuseLimits(
        per_conversation=(2, 60.0), per_client=(3, 60.0), blocked_per_client=(2, 600.0), clock=clock
    )
    assert limits.check("c1", "client").allowed
    assert limits.check("c1", "client").allowed
    d = limits.check("c1", "client")
    assert not d.allowed and d.reasons[0].code == "limit.conversation"
    d = limits.check("c2", "client")  # client budget: 3 counted already (incl. refused conv)
    assert not d.allowed and d.reasons[0].code == "limit.client"
    clock.now += 61
    limits.record_blocked("client")
    limits.record_blocked("client")
    d = limits.check("c3", "client")
    assert not d.allowed and d.reasons[0].code == "limit.blocked_messages"
    assert d.retry_after == pytest.approx(600.0)
    assert limits.check("c3", "someone-else").allowed
