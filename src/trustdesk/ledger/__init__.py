"""The audit ledger: append-only, hash-chained events of every AI action."""

from trustdesk.ledger.base import BufferedLedger, ChainBroken, Ledger, MemoryLedger, verify_chain
from trustdesk.ledger.events import GENESIS_HASH, EventType, LedgerEvent, RecordedEvent, chain_hash

__all__ = [
    "GENESIS_HASH",
    "BufferedLedger",
    "ChainBroken",
    "EventType",
    "Ledger",
    "LedgerEvent",
    "MemoryLedger",
    "RecordedEvent",
    "chain_hash",
    "verify_chain",
]
