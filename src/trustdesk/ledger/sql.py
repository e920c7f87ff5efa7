"""The ledger on SQLAlchemy: appends inside the caller's transaction, in database order.

Concurrency: each append reads the chain head and writes the next event under a lock
held until the transaction ends — PostgreSQL's transaction-scoped advisory lock, or on
SQLite the database write lock that ``BEGIN IMMEDIATE`` already holds. Several workers
can therefore append at once without forking the chain: the order is the database's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, insert, select, text
from sqlalchemy.orm import Session

from trustdesk.ledger.events import (
    GENESIS_HASH,
    EventType,
    LedgerEvent,
    RecordedEvent,
    chain_hash,
)
from trustdesk.store.models import LedgerEventRow, table_of

#: Key of the PostgreSQL advisory lock that serializes appends.
_PG_LOCK_KEY = 0x7D_1ED6E5
_T = table_of(LedgerEventRow)
_PG_LOCK = text("SELECT pg_advisory_xact_lock(:k)")
_HEAD = select(_T.c.seq, _T.c.hash).order_by(_T.c.seq.desc()).limit(1)
_INSERT = insert(_T)
_FTS_INSERT = text("INSERT INTO ledger_fts (rowid, content) VALUES (:seq, :content)")


def lock_appends(conn: Connection) -> None:
    """Serialize ledger appends until the transaction ends (PostgreSQL advisory lock).

    On SQLite the database write lock (``BEGIN IMMEDIATE``) already does this.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(_PG_LOCK, {"k": _PG_LOCK_KEY})


def searchable_text(value: Any) -> str:
    """The string values inside a payload, joined, for full-text search."""
    out: list[str] = []

    def walk(v: Any) -> None:
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            for item in v.values():
                walk(item)
        elif isinstance(v, list | tuple):
            for item in v:
                walk(item)

    walk(value)
    return " ".join(out)


class SqlLedger:
    """Appends events to ``ledger_events`` within ``session``'s transaction.

    :meth:`append` writes at once; :meth:`append_many` writes a batch with one
    multi-row statement. Either way the rows commit or roll back with the caller's
    transaction.
    """

    def __init__(self, session: Session | Connection) -> None:
        self.conn = session.connection() if isinstance(session, Session) else session
        self._head: tuple[int, str] | None = None

    def _lock_and_read_head(self) -> tuple[int, str]:
        if self._head is not None:
            return self._head
        lock_appends(self.conn)
        row = self.conn.execute(_HEAD).first()
        self._head = (row[0], row[1]) if row else (0, GENESIS_HASH)
        return self._head

    def append(self, event: LedgerEvent) -> None:
        self.append_many([event])

    def append_many(self, events: Sequence[LedgerEvent]) -> None:
        if not events:
            return
        seq, prev = self._lock_and_read_head()
        rows: list[dict[str, Any]] = []
        for event in events:
            seq += 1
            digest = chain_hash(prev, seq, event)
            rows.append(
                {
                    "seq": seq,
                    "event_id": event.event_id,
                    "time": event.time,
                    "type": str(event.type),
                    "actor": event.actor,
                    "subject": event.subject,
                    "conversation_id": event.conversation_id,
                    "payload": event.payload,
                    "reasons": list(event.reasons),
                    "model_versions": event.model_versions,
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            prev = digest
        self.conn.execute(_INSERT, rows)
        if self.conn.dialect.name == "sqlite":
            self.conn.execute(
                _FTS_INSERT,
                [{"seq": r["seq"], "content": searchable_text(r["payload"])} for r in rows],
            )
        self._head = (seq, prev)


def row_to_record(row: LedgerEventRow) -> RecordedEvent:
    reasons: list[Any] = row.reasons or []
    return RecordedEvent(
        seq=row.seq,
        event=LedgerEvent(
            type=EventType(row.type),
            actor=row.actor,
            subject=row.subject,
            conversation_id=row.conversation_id,
            payload=row.payload,
            reasons=tuple(reasons),
            model_versions=row.model_versions,
            time=row.time,
            event_id=row.event_id,
        ),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def iter_records(
    session: Session, *, from_seq: int = 1, batch: int = 5000
) -> Iterator[RecordedEvent]:
    """Stored events in sequence order, read in batches."""
    last = from_seq - 1
    while True:
        rows = session.scalars(
            select(LedgerEventRow)
            .where(LedgerEventRow.seq > last)
            .order_by(LedgerEventRow.seq)
            .limit(batch)
        ).all()
        if not rows:
            return
        for row in rows:
            yield row_to_record(row)
        last = rows[-1].seq
        session.expunge_all()
