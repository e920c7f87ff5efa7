"""The ``Ledger`` protocol and its in-memory implementations.

:class:`MemoryLedger` is a complete ledger kept in a list (for tests, the CLI's
offline commands and batch jobs). :class:`BufferedLedger` collects a turn's events
so that they can be written in the same database transaction as the turn's messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from trustdesk.ledger.events import GENESIS_HASH, LedgerEvent, RecordedEvent, chain_hash


@runtime_checkable
class Ledger(Protocol):
    """Anything events can be appended to."""

    def append(self, event: LedgerEvent) -> None: ...


class BufferedLedger:
    """Holds events until :meth:`flush_to` writes them to a real ledger."""

    def __init__(self) -> None:
        self.events: list[LedgerEvent] = []

    def append(self, event: LedgerEvent) -> None:
        self.events.append(event)

    def flush_to(self, ledger: Ledger) -> None:
        many = getattr(ledger, "append_many", None)
        if many is not None:
            many(list(self.events))
        else:
            for event in self.events:
                ledger.append(event)
        self.events.clear()


class MemoryLedger:
    """A hash-chained ledger in memory."""

    def __init__(self) -> None:
        self.records: list[RecordedEvent] = []

    @property
    def head(self) -> str:
        return self.records[-1].hash if self.records else GENESIS_HASH

    def append(self, event: LedgerEvent) -> None:
        seq = len(self.records) + 1
        prev = self.head
        self.records.append(RecordedEvent(seq, event, prev, chain_hash(prev, seq, event)))


class ChainBroken(Exception):
    """The hash chain does not verify at ``seq``."""

    def __init__(self, seq: int, reason: str) -> None:
        super().__init__(f"ledger event {seq}: {reason}")
        self.seq = seq
        self.reason = reason


def verify_chain(
    records: Iterable[RecordedEvent], *, start_hash: str = GENESIS_HASH, start_seq: int = 1
) -> int:
    """Check sequence, links and hashes; return the number of events checked.

    Raises :class:`ChainBroken` naming the first event that does not verify.
    """
    prev = start_hash
    expected = start_seq
    count = 0
    for rec in records:
        if rec.seq != expected:
            raise ChainBroken(rec.seq, f"expected sequence number {expected}")
        if rec.prev_hash != prev:
            raise ChainBroken(rec.seq, "does not link to the previous event")
        if chain_hash(prev, rec.seq, rec.event) != rec.hash:
            raise ChainBroken(rec.seq, "content does not match its hash")
        prev = rec.hash
        expected += 1
        count += 1
    return count
