"""Ledger benchmark: appends/s, full verification of 1M events, inclusion proofs.

    python bench/ledger.py                     # SQLite, and PostgreSQL if reachable
    python bench/ledger.py --verify-events 100000 --backends sqlite

Appends: W worker processes each append events through ``SqlLedger.append_many`` in
transactions of B events (B=1: one transaction per event; B=100: batching), on a fresh
database. Verification: ``LedgerService.verify()`` over a ledger of N events with a
signed checkpoint every 10,000. Proofs: generation through ``LedgerService.prove`` and
offline checking through ``trustdesk.ledger.verifier``. Writes bench/results/ledger.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url

from trustdesk.ledger.events import EventType, LedgerEvent
from trustdesk.ledger.service import LedgerService
from trustdesk.ledger.signing import CheckpointSigner
from trustdesk.ledger.sql import SqlLedger
from trustdesk.ledger.verifier import verify_document
from trustdesk.store.db import Database, upgrade

RESULTS = Path(__file__).parent / "results"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def make_event(i: int) -> LedgerEvent:
    return LedgerEvent(
        type=EventType.MESSAGE_RECEIVED,
        actor="customer",
        subject=str(uuid.UUID(int=i % 5000 + 1)),
        conversation_id=str(uuid.UUID(int=i % 20000 + 7)),
        payload={
            "text": f"my card <CREDIT_CARD> has not arrived yet, order {i}",
            "redacted": True,
        },
        reasons=({"code": "finding", "message": "CREDIT_CARD", "score": 0.95},),
        model_versions={"privacy": "privacy", "agent": "demo-rules-v1"},
    )


def _append_worker(url: str, count: int, batch: int, start: int, barrier: Any) -> None:
    db = Database.from_url(url)
    events = [make_event(start + i) for i in range(count)]
    barrier.wait()
    for i in range(0, count, batch):
        with db.connect_write() as conn:
            SqlLedger(conn).append_many(events[i : i + batch])
    db.dispose()


def fresh_url(backend: str, pg_url: str, tmp: Path) -> tuple[str, Any]:
    if backend == "sqlite":
        path = tmp / f"ledger-{uuid.uuid4().hex[:6]}.db"
        return f"sqlite:///{path}", None
    base = make_url(pg_url)
    name = f"trustdesk_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    return base.set(database=name).render_as_string(hide_password=False), (admin, name)


def drop(handle: Any) -> None:
    if handle is None:
        return
    admin, name = handle
    with admin.connect() as c:
        c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def bench_appends(
    backend: str, pg_url: str, tmp: Path, workers: int, batch: int, total: int
) -> dict[str, Any]:
    url, handle = fresh_url(backend, pg_url, tmp)
    try:
        db = Database.from_url(url)
        upgrade(db.engine)
        db.dispose()
        per = total // workers
        ctx = mp.get_context("spawn")
        barrier = ctx.Barrier(workers + 1)
        procs = [
            ctx.Process(target=_append_worker, args=(url, per, batch, w * per, barrier))
            for w in range(workers)
        ]
        for p in procs:
            p.start()
        barrier.wait()
        t0 = time.perf_counter()
        for p in procs:
            p.join()
        wall = time.perf_counter() - t0
        if any(p.exitcode != 0 for p in procs):
            raise SystemExit(f"append worker failed on {backend}")
        db = Database.from_url(url)
        ledger = LedgerService(db, CheckpointSigner.generate())
        report = ledger.verify()
        db.dispose()
        return {
            "backend": backend,
            "workers": workers,
            "batch": batch,
            "events": per * workers,
            "seconds": round(wall, 3),
            "appends_per_second": round(per * workers / wall),
            "chain_verifies": report.ok,
        }
    finally:
        drop(handle)


def bench_verify_and_proofs(n: int, tmp: Path, proofs: int) -> dict[str, Any]:
    url = f"sqlite:///{tmp / 'verify.db'}"
    db = Database.from_url(url)
    upgrade(db.engine)
    ledger = LedgerService(db, CheckpointSigner.generate(), every=10_000, seconds=1e9)
    t0 = time.perf_counter()
    batch = 2000
    for i in range(0, n, batch):
        with db.connect_write() as conn:
            SqlLedger(conn).append_many([make_event(j) for j in range(i, min(n, i + batch))])
        if (i // batch) % 5 == 4:
            ledger.checkpoint(force=True)
    ledger.checkpoint(force=True)
    populate = time.perf_counter() - t0

    ledger_fresh = LedgerService(db, ledger.signer)  # cold: no cached tree
    report = ledger_fresh.verify()
    if not report.ok:
        raise SystemExit(f"verify failed: {report.failure}")
    workers = os.cpu_count() or 1
    parallel = ledger_fresh.verify(workers=workers)
    if not parallel.ok:
        raise SystemExit(f"parallel verify failed: {parallel.failure}")

    rng = random.Random(1)
    gen, chk, sizes, hashes = [], [], [], []
    ledger.prove("1")  # warm the cached tree
    for _ in range(proofs):
        seq = rng.randint(1, n)
        t = time.perf_counter()
        doc = ledger.prove(str(seq), checkpoint_if_needed=False)
        gen.append(time.perf_counter() - t)
        t = time.perf_counter()
        ok, reason = verify_document(doc)
        chk.append(time.perf_counter() - t)
        if not ok:
            raise SystemExit(f"proof for {seq} failed: {reason}")
        sizes.append(len(json.dumps(doc)))
        hashes.append(len(doc["proof"]))
    # Tree-only proof generation (no database round trip), the ≤ 1 ms target.
    with db.connect_read() as conn, ledger._tree_lock:
        tree = ledger._extend_tree(conn, report.last_seq)
    tree_gen = []
    size = tree.size
    for _ in range(proofs):
        idx = rng.randrange(size)
        t = time.perf_counter()
        tree.inclusion_proof(idx, size)
        tree_gen.append(time.perf_counter() - t)
    db.dispose()
    return {
        "events": n,
        "populate_seconds": round(populate, 2),
        "full_verify_seconds": round(parallel.seconds, 3),
        "full_verify_workers": workers,
        "full_verify_seconds_one_process": round(report.seconds, 3),
        "verify_events_per_second": round(parallel.events_checked / parallel.seconds),
        "checkpoints_verified": report.checkpoints_checked,
        "proof": {
            "samples": proofs,
            "generate_ms_median_with_db": round(statistics.median(gen) * 1000, 4),
            "generate_ms_median_tree_only": round(statistics.median(tree_gen) * 1000, 4),
            "check_ms_median": round(statistics.median(chk) * 1000, 4),
            "hashes_median": statistics.median(hashes),
            "json_bytes_median": statistics.median(sizes),
        },
    }


def pg_available(url: str) -> bool:
    try:
        eng = create_engine(url)
        with eng.connect():
            pass
        eng.dispose()
        return True
    except Exception:
        return False


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--pg-url", default=os.environ.get("TRUSTDESK_TEST_POSTGRES_URL", PG_DEFAULT))
    ap.add_argument("--appends", type=int, default=20_000, help="events per append run")
    ap.add_argument("--verify-events", type=int, default=1_000_000)
    ap.add_argument("--proofs", type=int, default=1000)
    ap.add_argument("--out", type=Path, default=RESULTS / "ledger.json")
    args = ap.parse_args()

    backends = [b for b in args.backends.split(",") if b]
    if "postgresql" in backends and not pg_available(args.pg_url):
        print("PostgreSQL not reachable; skipping it")
        backends.remove("postgresql")
    appends: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="trustdesk-ledger-bench-") as d:
        tmp = Path(d)
        for backend in backends:
            for workers in (1, 4):
                for batch in (1, 100, 1000):
                    total = args.appends * (3 if batch >= 1000 else 1)
                    if batch == 1:
                        total = max(2000, args.appends // 10)
                    r = bench_appends(backend, args.pg_url, tmp, workers, batch, total)
                    print(
                        f"{backend:<10} workers={workers} batch={batch:<4} "
                        f"{r['appends_per_second']:>8} appends/s"
                    )
                    appends.append(r)
        verify = bench_verify_and_proofs(args.verify_events, tmp, args.proofs)
    print(json.dumps(verify, indent=2))
    result = {
        "benchmark": "ledger",
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "targets": {
            "sqlite_batched_appends_per_second": 10_000,
            "full_verify_1m_seconds": 10,
            "inclusion_proof_ms": 1,
        },
        "appends": appends,
        "verify_and_proofs": verify,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
