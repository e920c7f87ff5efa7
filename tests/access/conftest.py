"""Fixtures for the access tests: a migrated SQLite file, a fake clock, a cheap hasher."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from trustdesk.access import AccessService, Passwords, Principal, Role
from trustdesk.ledger.sql import iter_records
from trustdesk.store.db import Database, upgrade

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
#: Fake credentials, used only in these tests.
PASSWORDS = {
    "alice.martin": "Correct-Horse-42",
    "bruno.keller": "Staple Battery 7x",
    "chloe.dubois": "Lighthouse#Harbor9",
    "dmitri.novak": "Quiet-Meadow-2026",
    "erin.walsh": "Paper Lantern 88!",
}


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def make_database(path: Path) -> Database:
    db = Database.from_url(f"sqlite:///{path}")
    upgrade(db.engine)
    return db


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = make_database(tmp_path / "t.db")
    yield database
    database.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def access(db: Database, clock: FakeClock) -> AccessService:
    return AccessService(db, clock=clock, passwords=Passwords("fast"))


@pytest.fixture
def staff(access: AccessService) -> dict[str, Principal]:
    """One user per human role (fake people), as principals."""
    roles = {
        "alice.martin": Role.AGENT,
        "bruno.keller": Role.SUPERVISOR,
        "chloe.dubois": Role.COMPLIANCE_OFFICER,
        "dmitri.novak": Role.COMPLIANCE_OFFICER,
        "erin.walsh": Role.ADMIN,
    }
    out: dict[str, Principal] = {}
    for username, role in roles.items():
        uid = access.create_user(
            username=username,
            display_name=username.replace(".", " ").title(),
            role=role,
            password=PASSWORDS[username],
        )
        out[username] = access.user_principal(uid)
    return out


def ledger_events(db: Database) -> list[tuple[str, str, dict[str, object]]]:
    """(type, actor, payload) of every ledger event, in order."""
    with db.read() as session:
        return [
            (str(r.event.type), r.event.actor, dict(r.event.payload)) for r in iter_records(session)
        ]


def dump_database(db: Database) -> str:
    """Every row of every table, as text (to search for leaked secrets)."""
    parts: list[str] = []
    with db.connect_read() as conn:
        names = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        ).scalars()
        for name in list(names):
            for row in conn.exec_driver_sql(f'SELECT * FROM "{name}"'):
                parts.append(f"{name}: {tuple(row)!r}")
    return "\n".join(parts)


__all__ = ["PASSWORDS", "START", "FakeClock", "dump_database", "ledger_events", "make_database"]
