"""Rate and abuse limits: in-memory sliding windows per conversation and per client.

:class:`SlidingWindowLimiter` counts events per key over the last ``window`` seconds
(an exact sliding log: one timestamp per admitted event, at most ``limit`` per key);
:class:`AbuseLimits` combines one limiter per conversation, one per client and an
optional one for blocked messages (a client whose messages keep being blocked is cut
off sooner).

Memory is bounded: at most ``max_keys`` keys are tracked per limiter; when full, the
key used least recently is forgotten. Thread-safe (one lock per limiter). In-memory,
so per process: several API workers each count their own share (the lead's wiring may
use one limiter per worker with proportionally lower limits, or a shared store later).

The clock is injectable (``clock=``, seconds, monotonic) for tests.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

from trustdesk.errors import ConfigError
from trustdesk.types import Reason

__all__ = ["AbuseDecision", "AbuseLimits", "LimitDecision", "SlidingWindowLimiter"]


@dataclass(frozen=True, slots=True)
class LimitDecision:
    """Whether one event is admitted; when not, after how many seconds it would be."""

    allowed: bool
    remaining: int
    retry_after: float
    limit: int
    window: float

    def reason(self, what: str) -> Reason:
        """An explainable reason for a refused event (``what``: "conversation", ...)."""
        return Reason(
            code=f"limit.{what}",
            message=(
                f"{what} rate limit: more than {self.limit} messages in {self.window:g} s;"
                f" retry after {self.retry_after:.1f} s"
            ),
            source="rate_limiter",
            score=1.0,
            threshold=float(self.limit),
        )


class SlidingWindowLimiter:
    """At most ``limit`` events per key in any ``window``-second interval."""

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1 or window <= 0 or max_keys < 1:
            raise ConfigError("rate limit needs limit >= 1, window > 0 and max_keys >= 1")
        self.limit = limit
        self.window = float(window)
        self.max_keys = max_keys
        self._clock = clock
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _prune(self, events: deque[float], now: float) -> None:
        horizon = now - self.window
        while events and events[0] <= horizon:
            events.popleft()

    def hit(self, key: str, cost: int = 1) -> LimitDecision:
        """Record ``cost`` events for ``key`` if they fit in the window; say whether they did.

        A refused event is not recorded (a client hammering a closed door does not push
        its own retry time further out).
        """
        if cost < 1:
            raise ValueError("cost must be >= 1")
        now = self._clock()
        with self._lock:
            events = self._events.get(key)
            if events is None:
                events = deque()
                self._events[key] = events
                if len(self._events) > self.max_keys:
                    self._events.popitem(last=False)
            else:
                self._events.move_to_end(key)
            self._prune(events, now)
            if len(events) + cost > self.limit:
                # The event fits once enough of the oldest ones have left the window.
                k = len(events) + cost - self.limit
                retry = events[k - 1] + self.window - now if k <= len(events) else self.window
                return LimitDecision(
                    False,
                    max(0, self.limit - len(events)),
                    max(0.0, retry),
                    self.limit,
                    self.window,
                )
            events.extend([now] * cost)
            return LimitDecision(True, self.limit - len(events), 0.0, self.limit, self.window)

    def peek(self, key: str) -> int:
        """Events counted for ``key`` in the current window (records nothing)."""
        now = self._clock()
        with self._lock:
            events = self._events.get(key)
            if events is None:
                return 0
            self._prune(events, now)
            return len(events)

    def reset(self, key: str | None = None) -> None:
        """Forget ``key`` (or every key)."""
        with self._lock:
            if key is None:
                self._events.clear()
            else:
                self._events.pop(key, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._events)


@dataclass(frozen=True, slots=True)
class AbuseDecision:
    """The outcome of :meth:`AbuseLimits.check`: allowed, or refused with reasons."""

    allowed: bool
    retry_after: float
    reasons: tuple[Reason, ...] = ()


class AbuseLimits:
    """Per-conversation and per-client message limits, plus a limit on blocked messages.

    Defaults: 30 messages per conversation per minute, 120 per client per minute, and
    5 blocked messages per client per 10 minutes (after which every message of the
    client is refused until the window has moved on).
    """

    def __init__(
        self,
        *,
        per_conversation: tuple[int, float] = (30, 60.0),
        per_client: tuple[int, float] = (120, 60.0),
        blocked_per_client: tuple[int, float] = (5, 600.0),
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.conversation = SlidingWindowLimiter(*per_conversation, max_keys=max_keys, clock=clock)
        self.client = SlidingWindowLimiter(*per_client, max_keys=max_keys, clock=clock)
        self.blocked = SlidingWindowLimiter(*blocked_per_client, max_keys=max_keys, clock=clock)

    def check(self, conversation_id: str, client_id: str) -> AbuseDecision:
        """Count one inbound message; refuse it when any limit is exceeded.

        The client's blocked-message budget is checked first (an abusive client is
        refused without spending its message budgets), then the client limit, then the
        conversation limit.
        """
        if self.blocked.peek(client_id) >= self.blocked.limit:
            d = self.blocked.hit(client_id)  # refused: not recorded, gives retry_after
            return AbuseDecision(False, d.retry_after, (d.reason("blocked_messages"),))
        client = self.client.hit(client_id)
        if not client.allowed:
            return AbuseDecision(False, client.retry_after, (client.reason("client"),))
        conv = self.conversation.hit(conversation_id)
        if not conv.allowed:
            return AbuseDecision(False, conv.retry_after, (conv.reason("conversation"),))
        return AbuseDecision(True, 0.0)

    def record_blocked(self, client_id: str) -> None:
        """Count one message of ``client_id`` that the ingress guard blocked."""
        self.blocked.hit(client_id)
