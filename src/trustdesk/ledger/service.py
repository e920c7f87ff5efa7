"""The ledger over the database: signed checkpoints, verification, proofs, search.

* **Checkpoints.** Every ``every`` events or ``seconds`` seconds (whichever first, checked
  after appends) the Merkle root over all events so far is signed with the ledger key
  and stored in ``ledger_checkpoints``; the checkpoint is *also* appended to the chain
  as a ``ledger.checkpoint_signed`` event, so deleting or forging a checkpoint row is
  itself detectable.
* **Verification** recomputes every event's chain hash from its stored columns, checks
  the links and sequence, rebuilds the Merkle tree, and checks each checkpoint's root,
  signature and matching ledger event. It names the first event or checkpoint that
  fails.
* **Proofs.** An inclusion proof ties one event to a signed checkpoint; the document
  is checkable offline with :mod:`trustdesk.ledger.verifier`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import threading
import time as _time
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import Connection, Integer, bindparam, column, insert, select, text

from trustdesk.errors import NotFound, TrustDeskError
from trustdesk.ledger.events import GENESIS_HASH, EventType, LedgerEvent, canonical_time
from trustdesk.ledger.merkle import MerkleTree
from trustdesk.ledger.signing import CheckpointSigner, checkpoint_message, verify_signature
from trustdesk.ledger.sql import SqlLedger, lock_appends
from trustdesk.store.db import Database
from trustdesk.store.models import LedgerCheckpoint, LedgerEventRow, table_of

log = logging.getLogger(__name__)

PROOF_FORMAT = "trustdesk-inclusion-proof/v1"
EXPORT_FORMAT = "trustdesk-checkpoints/v1"

_EV = table_of(LedgerEventRow)
_CP = table_of(LedgerCheckpoint)


class EventNotFound(NotFound):
    def __init__(self, ref: str) -> None:
        super().__init__(f"ledger event {ref} does not exist")
        self.ref = ref


class LedgerNotCheckpointed(TrustDeskError):
    """No signed checkpoint covers the event yet."""


@dataclass(frozen=True, slots=True)
class Checkpoint:
    tree_size: int
    root_hash: str
    time: str
    key_id: str
    signature: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "tree_size": self.tree_size,
            "root_hash": self.root_hash,
            "time": self.time,
            "key_id": self.key_id,
            "signature": self.signature,
        }


@dataclass(slots=True)
class VerifyReport:
    """The outcome of a verification run."""

    ok: bool
    events_checked: int
    checkpoints_checked: int
    first_seq: int
    last_seq: int
    seconds: float
    failure: str | None = None
    bad_event: int | None = None
    bad_checkpoint: int | None = None
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events_checked": self.events_checked,
            "checkpoints_checked": self.checkpoints_checked,
            "first_seq": self.first_seq,
            "last_seq": self.last_seq,
            "seconds": round(self.seconds, 3),
            "failure": self.failure,
            "bad_event": self.bad_event,
            "bad_checkpoint": self.bad_checkpoint,
        }


# -- reading stored events fast, as the exact bytes that were hashed ------------------


def _rows_sql(dialect: str, *, bounded: bool = False) -> str:
    if dialect == "postgresql":
        cols = (
            "seq, event_id::text, time, type, actor, subject, conversation_id, "
            "payload::text, reasons::text, model_versions::text, prev_hash, hash"
        )
    else:
        cols = (
            "seq, event_id, time, type, actor, subject, conversation_id, "
            "payload, reasons, model_versions, prev_hash, hash"
        )
    upper = " AND seq <= :end" if bounded else ""
    return f"SELECT {cols} FROM ledger_events WHERE seq >= :start{upper} ORDER BY seq"


def _uuid_text(value: Any) -> str:
    s = value if isinstance(value, str) else str(value)
    if len(s) == 32:  # SQLite stores UUIDs as 32 hex digits
        return f"{s[:8]}-{s[8:12]}-{s[12:16]}-{s[16:20]}-{s[20:]}"
    return s


def _time_text(value: Any) -> str:
    if isinstance(value, str):  # SQLite: "YYYY-MM-DD HH:MM:SS.ffffff" in UTC
        if len(value) == 19:
            value += ".000000"
        return f"{value[:10]}T{value[11:]}Z"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return canonical_time(value)


def stored_hash(prev_hash: str, row: Any) -> str:
    """Recompute an event's chain hash from its stored columns (canonical JSON texts).

    Builds the same bytes as :func:`trustdesk.ledger.events.chain_hash` without parsing
    the JSON columns: they are stored in canonical form, so any byte changed in them
    changes the hash.
    """
    seq, event_id, time, etype, actor, subject, conv, payload, reasons, versions = row[:10]
    body = (
        f'{{"actor":{_enc(actor)},'
        f'"conversation_id":{"null" if conv is None else _enc(conv)},'
        f'"event_id":{_enc(_uuid_text(event_id))},'
        f'"model_versions":{versions},"payload":{payload},"reasons":{reasons},'
        f'"seq":{seq},"subject":{"null" if subject is None else _enc(subject)},'
        f'"time":{_enc(_time_text(time))},"type":{_enc(etype)}}}'
    )
    return _sha256((prev_hash + body).encode("utf-8")).hexdigest()


_enc = encode_basestring
_sha256 = hashlib.sha256


@dataclass(slots=True)
class RangeScan:
    """What one pass over a range of stored events found (picklable for workers)."""

    start: int
    count: int = 0
    first_prev: str | None = None
    last_hash: str = GENESIS_HASH
    last_seq: int = 0
    leaves: bytes = b""
    cp_events: dict[int, dict[str, Any]] = field(default_factory=dict)
    failure: tuple[int, str] | None = None


def scan_rows(conn: Connection, start: int, end: int | None, batch: int = 20000) -> RangeScan:
    """Check sequence, links and hashes of events ``start..end``; stop at the first failure.

    Each event's hash is recomputed from its stored previous hash; the link to the
    event before ``start`` is left to the caller (``first_prev``).
    """
    scan = RangeScan(start=start)
    leaves = bytearray()
    expected = start
    prev: str | None = None
    sql = _rows_sql(conn.dialect.name, bounded=end is not None)
    params: dict[str, Any] = {"start": start, "end": end}
    result = conn.execution_options(stream_results=True, yield_per=batch).execute(text(sql), params)
    try:
        for part in result.partitions(batch):
            for row in part:
                seq = int(row[0])
                if seq != expected:
                    msg = f"event {expected} is missing (next stored event is {seq})"
                    scan.failure = (expected, msg)
                    return _close(scan, leaves)
                if prev is None:
                    scan.first_prev = row[10]
                elif row[10] != prev:
                    scan.failure = (seq, f"event {seq} does not link to event {seq - 1}")
                    return _close(scan, leaves)
                digest = row[11]
                if stored_hash(row[10], row) != digest:
                    msg = f"event {seq} was altered: its content does not match its hash"
                    scan.failure = (seq, msg)
                    return _close(scan, leaves)
                if row[3] == EventType.CHECKPOINT_SIGNED:
                    scan.cp_events[seq] = json.loads(row[7])
                leaves += bytes.fromhex(digest)
                prev = digest
                scan.count += 1
                scan.last_seq = seq
                scan.last_hash = digest
                expected += 1
    finally:
        result.close()
    if end is not None and expected <= end:
        scan.failure = (expected, f"event {expected} is missing")
    return _close(scan, leaves)


def _close(scan: RangeScan, leaves: bytearray) -> RangeScan:
    scan.leaves = bytes(leaves)
    return scan


def scan_url(url: str, start: int, end: int | None) -> RangeScan:
    """:func:`scan_rows` in a worker process, on a connection of its own."""
    db = Database.from_url(url)
    try:
        with db.connect_read() as conn:
            return scan_rows(conn, start, end)
    finally:
        db.dispose()


class LedgerService:
    """Checkpoints, verification, proofs and search over one database's ledger."""

    def __init__(
        self,
        db: Database,
        signer: CheckpointSigner,
        *,
        every: int = 1000,
        seconds: float = 60.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.db = db
        self.signer = signer
        self.every = every
        self.seconds = seconds
        self.clock = clock
        self._tree = MerkleTree()
        self._tree_lock = threading.Lock()
        self._since_check = 0
        self._last_check = _time.monotonic()

    # -- the Merkle tree of committed events -------------------------------------------

    def _extend_tree(self, conn: Connection, upto: int) -> MerkleTree:
        """Bring the cached tree to ``upto`` leaves from stored hashes (caller holds lock)."""
        tree = self._tree
        if tree.size > upto:
            return tree
        if tree.size < upto:
            rows = conn.execute(
                select(_EV.c.seq, _EV.c.hash)
                .where(_EV.c.seq > tree.size, _EV.c.seq <= upto)
                .order_by(_EV.c.seq)
            )
            for seq, digest in rows:
                if seq != tree.size + 1:
                    raise TrustDeskError(f"ledger event {tree.size + 1} is missing")
                tree.append(bytes.fromhex(digest))
        return tree

    # -- checkpoints ---------------------------------------------------------------------

    def note_appended(self, count: int) -> None:
        """Called after appends commit; signs a checkpoint when one is due. Fails open."""
        self._since_check += count
        due = self._since_check >= max(1, self.every // 4) or (
            _time.monotonic() - self._last_check >= self.seconds
        )
        if not due:
            return
        self._since_check = 0
        self._last_check = _time.monotonic()
        try:
            self.checkpoint(force=False)
        except Exception:  # a missed checkpoint is retried at the next turn
            log.exception("checkpoint failed")

    def latest_checkpoint(self, conn: Connection | None = None) -> Checkpoint | None:
        def read(c: Connection) -> Checkpoint | None:
            row = c.execute(select(_CP).order_by(_CP.c.tree_size.desc()).limit(1)).first()
            return _cp(row) if row else None

        if conn is not None:
            return read(conn)
        with self.db.connect_read() as c:
            return read(c)

    def checkpoint(self, *, force: bool = True) -> Checkpoint | None:
        """Sign the current tree if there are new events (and, unless forced, one is due)."""
        with self.db.connect_write() as conn:
            lock_appends(conn)
            head = conn.execute(select(_EV.c.seq).order_by(_EV.c.seq.desc()).limit(1)).scalar()
            if not head:
                return None
            last = self.latest_checkpoint(conn)
            if last is not None:
                # The newest event may be that checkpoint's own event.
                if head <= last.tree_size + 1:
                    return None
                if not force:
                    age = (self.clock() - _parse_time(last.time)).total_seconds()
                    if head - last.tree_size < self.every and age < self.seconds:
                        return None
            with self._tree_lock:
                tree = self._extend_tree(conn, head)
                root = tree.root(head).hex()
            now = canonical_time(self.clock())
            sig = self.signer.sign(checkpoint_message(head, root, now))
            cp = Checkpoint(head, root, now, self.signer.key_id, sig)
            conn.execute(
                insert(_CP),
                {
                    "tree_size": head,
                    "root_hash": root,
                    "time": _parse_time(now),
                    "key_id": cp.key_id,
                    "signature": sig,
                },
            )
            SqlLedger(conn).append(
                LedgerEvent(
                    type=EventType.CHECKPOINT_SIGNED, actor="system:ledger", payload=cp.to_dict()
                )
            )
            return cp

    def export_checkpoints(self) -> dict[str, Any]:
        """Every signed checkpoint with the public key, for external witnesses."""
        with self.db.connect_read() as conn:
            rows = conn.execute(select(_CP).order_by(_CP.c.tree_size)).all()
        return {
            "format": EXPORT_FORMAT,
            "public_key": self.signer.public_key_hex,
            "key_id": self.signer.key_id,
            "checkpoints": [_cp(r).to_dict() for r in rows],
        }

    # -- proofs --------------------------------------------------------------------------

    def _find_event(self, conn: Connection, ref: str) -> tuple[int, str]:
        try:
            stmt = select(_EV.c.seq, _EV.c.hash).where(_EV.c.event_id == uuid.UUID(ref))
        except ValueError:
            if not ref.isdigit():
                raise EventNotFound(ref) from None
            stmt = select(_EV.c.seq, _EV.c.hash).where(_EV.c.seq == int(ref))
        row = conn.execute(stmt).first()
        if row is None:
            raise EventNotFound(ref)
        return int(row[0]), str(row[1])

    def prove(self, ref: str, *, checkpoint_if_needed: bool = True) -> dict[str, Any]:
        """An inclusion proof document for one event (by event id or sequence number)."""
        with self.db.connect_read() as conn:
            seq, digest = self._find_event(conn, ref)
            cp = self.latest_checkpoint(conn)
        if (cp is None or cp.tree_size < seq) and checkpoint_if_needed:
            self.checkpoint(force=True)
            with self.db.connect_read() as conn:
                cp = self.latest_checkpoint(conn)
        if cp is None or cp.tree_size < seq:
            raise LedgerNotCheckpointed(f"no signed checkpoint covers event {seq} yet")
        with self.db.connect_read() as conn, self._tree_lock:
            tree = self._extend_tree(conn, cp.tree_size)
            proof = tree.inclusion_proof(seq - 1, cp.tree_size)
        return {
            "format": PROOF_FORMAT,
            "event": {"seq": seq, "hash": digest},
            "leaf_index": seq - 1,
            "tree_size": cp.tree_size,
            "proof": [p.hex() for p in proof],
            "checkpoint": cp.to_dict(),
            "public_key": self.signer.public_key_hex,
        }

    def consistency(self, old_size: int, new_size: int | None = None) -> dict[str, Any]:
        """A consistency proof between two signed checkpoints (RFC 6962 PROOF(m, D[n])).

        Shows that the ledger at ``new_size`` extends the ledger at ``old_size``: nothing
        covered by the older checkpoint was changed or removed since.
        """
        with self.db.connect_read() as conn:
            rows = conn.execute(select(_CP).order_by(_CP.c.tree_size)).all()
            cps = {int(r.tree_size): _cp(r) for r in rows}
            if new_size is None and cps:
                new_size = max(cps)
            old = cps.get(old_size)
            new = cps.get(new_size) if new_size is not None else None
            if old is None or new is None:
                raise LedgerNotCheckpointed(
                    f"both sizes must be signed checkpoints (known: {sorted(cps)[-5:]})"
                )
            if old_size > new.tree_size:
                raise LedgerNotCheckpointed("the old checkpoint must not be newer than the new")
            with self._tree_lock:
                tree = self._extend_tree(conn, new.tree_size)
                proof = tree.consistency_proof(old_size, new.tree_size)
        return {
            "format": "trustdesk-consistency-proof/v1",
            "old": old.to_dict(),
            "new": new.to_dict(),
            "proof": [p.hex() for p in proof],
            "public_key": self.signer.public_key_hex,
        }

    # -- verification --------------------------------------------------------------------

    def verify(
        self,
        *,
        from_seq: int = 1,
        workers: int = 1,
        parallel_above: int = 50_000,
        progress: Callable[[int], None] | None = None,
    ) -> VerifyReport:
        """Verify events from ``from_seq`` (earlier ones are trusted) and every checkpoint.

        With ``workers > 1`` the events are split into ranges hashed by that many
        processes (each with its own connection); links between ranges, the Merkle tree
        and the checkpoints are then checked here. The result is the same either way.
        """
        started = _time.perf_counter()
        from_seq = max(1, from_seq)
        report = VerifyReport(True, 0, 0, from_seq, from_seq - 1, 0.0)
        tree = MerkleTree()
        cp_events: dict[int, dict[str, Any]] = {}

        def fail(msg: str, *, event: int | None = None, checkpoint: int | None = None) -> None:
            if report.ok:
                report.ok = False
                report.failure = msg
                report.bad_event = event
                report.bad_checkpoint = checkpoint
            report.problems.append(msg)

        with self.db.connect_read() as conn:
            prev = GENESIS_HASH
            if from_seq > 1:
                # Trust the prefix: take its hashes as leaves and its last hash as anchor.
                n = 0
                for seq, digest in conn.execute(
                    select(_EV.c.seq, _EV.c.hash).where(_EV.c.seq < from_seq).order_by(_EV.c.seq)
                ):
                    n += 1
                    if seq != n:
                        fail(f"event {n} is missing", event=n)
                        break
                    tree.append(bytes.fromhex(digest))
                    prev = digest
            head = conn.execute(select(_EV.c.seq).order_by(_EV.c.seq.desc()).limit(1)).scalar()
            scans = (
                self._scan(conn, from_seq, int(head or 0), workers, parallel_above)
                if report.ok
                else []
            )
            for scan in scans:
                if scan.count and scan.first_prev != prev:
                    s0 = scan.start
                    fail(f"event {s0} does not link to event {s0 - 1}", event=s0)
                    break
                leaves = scan.leaves
                for i in range(0, len(leaves), 32):
                    tree.append(leaves[i : i + 32])
                report.events_checked += scan.count
                if scan.count:
                    report.last_seq = scan.last_seq
                    prev = scan.last_hash
                cp_events.update(scan.cp_events)
                if scan.failure is not None:
                    fail(scan.failure[1], event=scan.failure[0])
                    break
                if progress is not None:
                    progress(report.events_checked)
            if report.ok:
                self._verify_checkpoints(conn, tree, cp_events, report, fail)
        report.seconds = _time.perf_counter() - started
        return report

    def _scan(
        self, conn: Connection, start: int, head: int, workers: int, parallel_above: int
    ) -> list[RangeScan]:
        url = self.db.engine.url
        parallel = (
            workers > 1
            and head - start >= parallel_above
            and not (url.get_backend_name() == "sqlite" and url.database in (None, ":memory:"))
        )
        if not parallel:
            return [scan_rows(conn, start, None)]
        bounds: list[tuple[int, int | None]] = []
        step = (head - start + workers) // workers
        for i in range(workers):
            a = start + i * step
            b = min(head, a + step - 1) if i < workers - 1 else None
            if a <= head:
                bounds.append((a, b))
        rendered = url.render_as_string(hide_password=False)
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=len(bounds), mp_context=ctx) as pool:
            futures = [pool.submit(scan_url, rendered, a, b) for a, b in bounds]
            return [f.result() for f in futures]

    def _verify_checkpoints(
        self,
        conn: Connection,
        tree: MerkleTree,
        cp_events: dict[int, dict[str, Any]],
        report: VerifyReport,
        fail: Callable[..., None],
    ) -> None:
        rows = conn.execute(select(_CP).order_by(_CP.c.tree_size)).all()
        stored = {int(r.tree_size): _cp(r) for r in rows}
        for cp in stored.values():
            report.checkpoints_checked += 1
            size = cp.tree_size
            if size > tree.size:
                fail(f"checkpoint {size} covers events that do not exist", checkpoint=size)
                return
            if cp.key_id != self.signer.key_id or not verify_signature(
                self.signer.public_raw,
                checkpoint_message(size, cp.root_hash, cp.time),
                cp.signature,
            ):
                fail(f"checkpoint {size} has an invalid signature", checkpoint=size)
                return
            if tree.root(size).hex() != cp.root_hash:
                fail(f"checkpoint {size} does not match the events it covers", checkpoint=size)
                return
        # Every checkpoint event must have its row, and agree with it.
        for seq, payload in sorted(cp_events.items()):
            size = int(payload.get("tree_size", -1))
            row_cp = stored.get(size)
            if row_cp is None:
                fail(f"checkpoint {size} (ledger event {seq}) is missing", checkpoint=size)
                return
            if row_cp.to_dict() != payload:
                fail(f"checkpoint {size} differs from its ledger event {seq}", checkpoint=size)
                return
        in_chain = {int(p.get("tree_size", -1)) for p in cp_events.values()}
        if report.first_seq == 1:
            for size in stored:
                if size not in in_chain:
                    # A checkpoint's own event is appended right after the events it
                    # covers, in the same transaction: it should be event size + 1.
                    fail(
                        f"checkpoint {size} has no ledger event: event {size + 1} was "
                        "removed, or the checkpoint is forged",
                        checkpoint=size,
                        event=size + 1,
                    )
                    return

    # -- search --------------------------------------------------------------------------

    def search(
        self,
        *,
        conversation_id: str | None = None,
        actor: str | None = None,
        type: str | None = None,
        subject: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        text_query: str | None = None,
        after_seq: int = 0,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        """Events matching every given filter, in sequence order (page with ``after_seq``)."""
        stmt = select(_EV).where(_EV.c.seq > after_seq)
        if conversation_id:
            stmt = stmt.where(_EV.c.conversation_id == conversation_id)
        if actor:
            stmt = stmt.where(_EV.c.actor == actor)
        if type:
            stmt = stmt.where(_EV.c.type == type)
        if subject:
            stmt = stmt.where(_EV.c.subject == subject)
        if since:
            stmt = stmt.where(_EV.c.time >= since)
        if until:
            stmt = stmt.where(_EV.c.time < until)
        with self.db.connect_read() as conn:
            if text_query and text_query.strip():
                if conn.dialect.name == "sqlite":
                    terms = [t for t in text_query.split() if t.strip()]
                    match = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
                    stmt = stmt.where(
                        _EV.c.seq.in_(
                            text("SELECT rowid FROM ledger_fts WHERE ledger_fts MATCH :q")
                            .bindparams(bindparam("q", match))
                            .columns(column("rowid", Integer))
                        )
                    )
                else:
                    stmt = stmt.where(
                        text(
                            "to_tsvector('simple', ledger_events.payload::text) "
                            "@@ plainto_tsquery('simple', :q)"
                        ).bindparams(q=text_query)
                    )
            rows = conn.execute(stmt.order_by(_EV.c.seq).limit(min(max(limit, 1), 1000))).all()
        return [event_view(r) for r in rows]


def _parse_time(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _cp(row: Any) -> Checkpoint:
    t = row.time
    return Checkpoint(
        tree_size=int(row.tree_size),
        root_hash=row.root_hash,
        time=canonical_time(t) if isinstance(t, datetime) else str(t),
        key_id=row.key_id,
        signature=row.signature,
    )


def event_view(r: Any) -> dict[str, Any]:
    """A ``ledger_events`` row as the search (and the API) shows it."""
    return {
        "seq": r.seq,
        "event_id": str(r.event_id),
        "time": canonical_time(r.time),
        "type": r.type,
        "actor": r.actor,
        "subject": r.subject,
        "conversation_id": r.conversation_id,
        "payload": r.payload,
        "reasons": r.reasons,
        "model_versions": r.model_versions,
        "hash": r.hash,
    }
