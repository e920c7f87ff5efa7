"""Engines, sessions and migrations for SQLite (embedded default) and PostgreSQL.

SQLite runs in WAL mode with foreign keys on. Write transactions on SQLite start with
``BEGIN IMMEDIATE`` so that two writers never deadlock upgrading a read lock; reads
start deferred and run beside the writer.
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from trustdesk.errors import MigrationError, StoreError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy, not pysqlite, decide when transactions begin.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _sqlite_on_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def canonical_json(value: object) -> str:
    """JSON as the ledger hashes it: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


#: Database objects that migrations create but the models do not describe.
UNMODELLED = frozenset({"ledger_fts", "ix_ledger_events_fts"})


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic filter: ignore full-text search objects (FTS5 tables, GIN indexes)."""
    del obj, type_, reflected, compare_to
    return not (name and (name in UNMODELLED or name.startswith("ledger_fts_")))


def create_db_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine for ``url``; SQLite files get their directory created and WAL on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": 10},
            json_serializer=canonical_json,
            pool_size=8,
            max_overflow=32,
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            url = str(parsed.set(drivername="postgresql+psycopg").render_as_string(False))
        return create_engine(
            url,
            echo=echo,
            pool_size=10,
            max_overflow=20,
            pool_pre_ping=True,
            json_serializer=canonical_json,
        )
    raise StoreError(f"unsupported database backend {parsed.get_backend_name()!r}")


class WriterLock:
    """A thread lock plus, if ``path`` is given, an exclusive ``flock`` on that file."""

    def __init__(self, path: Path | None) -> None:
        self._thread_lock = threading.Lock()
        self._path = path
        self._fd: int | None = None

    def __enter__(self) -> None:
        self._thread_lock.acquire()
        if self._path is None:
            return
        try:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._thread_lock.release()
            raise

    def __exit__(self, *exc: object) -> None:
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()


class Database:
    """An engine with a read session factory and a write session factory."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.backend = engine.dialect.name
        write_engine = (
            engine.execution_options(sqlite_begin="IMMEDIATE")
            if self.backend == "sqlite"
            else engine
        )
        self._write_engine = write_engine
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(write_engine, expire_on_commit=False)
        # SQLite allows one writer. Queue writers on a lock instead of letting them
        # spin in SQLite's busy handler (which sleeps in growing steps): a thread lock
        # within the process, and an flock on a file beside the database across the
        # processes of `serve --workers N`.
        self._write_lock: WriterLock | None = None
        if self.backend == "sqlite":
            db_path = engine.url.database
            lock_path = (
                Path(db_path + ".writer.lock") if db_path and db_path != ":memory:" else None
            )
            self._write_lock = WriterLock(lock_path)

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(create_db_engine(url))

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; closed (its transaction rolled back) at the end.

        Objects loaded here stay usable, detached, after the block.
        """
        with self._read() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed if the block succeeds, rolled back if it raises."""
        with self._writer(), self._write() as session, session.begin():
            yield session

    @contextmanager
    def connect_read(self) -> Iterator[Connection]:
        """A Core connection for reading (cheaper than a session on hot paths)."""
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def connect_write(self) -> Iterator[Connection]:
        """A Core connection in one write transaction (committed, or rolled back on error)."""
        with self._writer(), self._write_engine.begin() as conn:
            yield conn

    def _writer(self) -> AbstractContextManager[object]:
        """The writer lock on SQLite; nothing on PostgreSQL (it locks rows itself)."""
        return self._write_lock if self._write_lock is not None else nullcontext()

    def ping(self) -> None:
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        except SQLAlchemyError as exc:
            raise StoreError(f"database unreachable: {type(exc).__name__}") from exc

    def dispose(self) -> None:
        self.engine.dispose()


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


@functools.cache
def head_revision() -> str:
    """The newest migration shipped with this code (read once per process)."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    if head is None:
        raise MigrationError("no migrations found")
    return head


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except OperationalError as exc:
        raise StoreError(f"database unreachable: {type(exc).__name__}") from exc


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Apply migrations up to ``revision``; returns the revision now current."""
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    rev = current_revision(engine)
    if rev is None:
        raise MigrationError("upgrade left no revision")
    return rev


def ensure_current(engine: Engine) -> None:
    """Raise :class:`MigrationError` unless the schema is at head."""
    rev = current_revision(engine)
    head = head_revision()
    if rev != head:
        raise MigrationError(
            f"database schema is at {rev or 'nothing'}, code expects {head}; "
            "run `trustdesk db upgrade`"
        )
