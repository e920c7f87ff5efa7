"""Shared fixtures: a database per backend (SQLite always, PostgreSQL when reachable and
always in CI), a live uvicorn server per backend, and a clean environment per test."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url

from trustdesk.config import Settings
from trustdesk.store.db import Database, upgrade

PG_ENV = "TRUSTDESK_TEST_POSTGRES_URL"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
KEEP_ENV = {PG_ENV, "TRUSTDESK_DATASETS"}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees another's (or the developer's) TRUSTDESK_* settings."""
    for key in list(os.environ):
        if key.startswith("TRUSTDESK_") and key not in KEEP_ENV:
            monkeypatch.delenv(key)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database for this run; skipped outside CI if absent."""
    base = make_url(os.environ.get(PG_ENV, DEFAULT_PG))
    name = f"trustdesk_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        admin.dispose()
        msg = f"PostgreSQL not reachable at {base.render_as_string(hide_password=True)}: {exc}"
        if in_ci():
            pytest.fail(f"{msg} (CI=true: PostgreSQL tests must run)")
        pytest.skip(msg)
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session", params=BACKENDS)
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A migrated database, shared by the tests of one backend."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "trustdesk.db"
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_url")
    db = Database.from_url(url)
    upgrade(db.engine)
    yield db
    db.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def fresh_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A migrated database of its own for one test module (SQLite file or new PG database)."""
    if request.param == "sqlite":
        db = Database.from_url(f"sqlite:///{tmp_path_factory.mktemp('own') / 'own.db'}")
        upgrade(db.engine)
        yield db
        db.dispose()
        return
    base = make_url(request.getfixturevalue("postgres_url"))
    name = f"{base.database}_m{uuid.uuid4().hex[:6]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    db = Database.from_url(base.set(database=name).render_as_string(hide_password=False))
    upgrade(db.engine)
    try:
        yield db
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def make_settings(data_dir: Path, db: Database, **overrides: object) -> Settings:
    return Settings(
        demo=True,
        data_dir=data_dir,
        database_url=db.engine.url.render_as_string(hide_password=False),
        **overrides,  # type: ignore[arg-type]
    )


@dataclass
class LiveServer:
    url: str
    settings: Settings
    db: Database


def _serve(app: object, settings: Settings, db: Database) -> Iterator[LiveServer]:
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="on",  # type: ignore[arg-type]
        ws="websockets-sansio",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", settings=settings, db=db)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def live_server(
    database: Database, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """A real uvicorn server on a free port, serving ``create_app`` over ``database``."""
    from trustdesk.api import create_app

    settings = make_settings(
        tmp_path_factory.mktemp("data"), database, webhook={"secret": "test-webhook-secret-0123"}
    )
    app = create_app(settings, db=database)
    yield from _serve(app, settings, database)
