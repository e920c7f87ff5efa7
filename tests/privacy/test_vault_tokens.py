"""Sealed values behind vault tokens, on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, update

from trustdesk.config import Settings
from trustdesk.factory import build_pipeline
from trustdesk.privacy.operators import parse_token, pseudonym
from trustdesk.privacy.tokens import pseudonym_key, reveal_tokens, seal_values
from trustdesk.privacy.vault import SqlVault, SubjectShredded, VaultError
from trustdesk.service import ConversationService
from trustdesk.store.db import Database
from trustdesk.store.models import Customer, Message, SubjectKey, VaultToken, table_of
from trustdesk.types import SealedValue

MASTER = bytes(range(32))
EMAIL = "pat.doe@example.com"
TOKENS = table_of(VaultToken)


def _customer(database: Database, tenant: str = "northwind") -> uuid.UUID:
    with database.write() as s:
        c = Customer(tenant=tenant, kind="guest")
        s.add(c)
        s.flush()
        return c.id


def _sealed(key: bytes, entity_type: str, value: str) -> SealedValue:
    return SealedValue(pseudonym(key, entity_type, value), entity_type, value)


@pytest.fixture
def subject(database: Database) -> uuid.UUID:
    return _customer(database)


KEY = pseudonym_key(MASTER, "northwind")


def test_pseudonym_key_is_per_tenant_and_stable() -> None:
    assert pseudonym_key(MASTER, "northwind") == KEY
    assert len(KEY) == 32
    assert pseudonym_key(MASTER, "contoso") != KEY
    assert pseudonym_key(bytes(32), "northwind") != KEY


def test_seal_then_reveal(database: Database, subject: uuid.UUID) -> None:
    values = [
        _sealed(KEY, "EMAIL_ADDRESS", EMAIL),
        _sealed(KEY, "PHONE_NUMBER", "212-555-0123"),
        _sealed(KEY, "PERSON", "Zoë Brontë"),
    ]
    with database.connect_write() as conn:
        assert seal_values(conn, MASTER, subject=subject, conversation_id=None, values=values) == 3
    with database.connect_read() as conn:
        got = reveal_tokens(
            conn, MASTER, subject=subject, tokens=[v.token for v in values] + ["<PERSON_deadbeef>"]
        )
    assert got == {v.token: v.value for v in values} | {"<PERSON_deadbeef>": None}
    with database.connect_read() as conn:
        rows = conn.execute(
            select(TOKENS.c.token, TOKENS.c.entity_type, TOKENS.c.ciphertext).where(
                TOKENS.c.customer_id == subject
            )
        ).all()
    assert {r.entity_type for r in rows} == {"EMAIL_ADDRESS", "PHONE_NUMBER", "PERSON"}
    for r in rows:
        assert parse_token(r.token) is not None
        assert EMAIL.encode() not in bytes(r.ciphertext)
        assert "Brontë".encode() not in bytes(r.ciphertext)


def test_nothing_to_seal(database: Database, subject: uuid.UUID) -> None:
    with database.connect_write() as conn:
        assert seal_values(conn, MASTER, subject=subject, conversation_id=None, values=[]) == 0
    with database.connect_read() as conn:
        assert reveal_tokens(conn, MASTER, subject=subject, tokens=["<PERSON_0000aaaa>"]) == {
            "<PERSON_0000aaaa>": None
        }


def test_a_token_of_another_subject_is_not_revealed(database: Database) -> None:
    alice, bob = _customer(database), _customer(database)
    value = _sealed(KEY, "EMAIL_ADDRESS", "alice@example.com")
    with database.connect_write() as conn:
        seal_values(conn, MASTER, subject=alice, conversation_id=None, values=[value])
    with database.connect_read() as conn:
        assert reveal_tokens(conn, MASTER, subject=bob, tokens=[value.token]) == {value.token: None}
        assert reveal_tokens(conn, MASTER, subject=alice, tokens=[value.token]) == {
            value.token: "alice@example.com"
        }


def test_ciphertext_moved_to_another_subject_does_not_open(database: Database) -> None:
    alice, bob = _customer(database), _customer(database)
    a = _sealed(KEY, "EMAIL_ADDRESS", "alice@example.com")
    b = _sealed(KEY, "EMAIL_ADDRESS", "bob@example.com")
    with database.connect_write() as conn:
        seal_values(conn, MASTER, subject=alice, conversation_id=None, values=[a])
        seal_values(conn, MASTER, subject=bob, conversation_id=None, values=[b])
        stolen = conn.execute(
            select(TOKENS.c.ciphertext).where(TOKENS.c.customer_id == alice)
        ).scalar_one()
        conn.execute(update(TOKENS).where(TOKENS.c.customer_id == bob).values(ciphertext=stolen))
    with database.connect_read() as conn, pytest.raises(VaultError):
        reveal_tokens(conn, MASTER, subject=bob, tokens=[b.token])


@pytest.mark.parametrize("how", ["flip", "truncate"])
def test_tampered_ciphertext_raises(database: Database, subject: uuid.UUID, how: str) -> None:
    value = _sealed(KEY, "EMAIL_ADDRESS", EMAIL)
    with database.connect_write() as conn:
        seal_values(conn, MASTER, subject=subject, conversation_id=None, values=[value])
        blob = bytearray(
            conn.execute(
                select(TOKENS.c.ciphertext).where(TOKENS.c.customer_id == subject)
            ).scalar_one()
        )
        if how == "flip":
            blob[-1] ^= 0x01
        else:
            blob = blob[:20]
        conn.execute(
            update(TOKENS).where(TOKENS.c.customer_id == subject).values(ciphertext=bytes(blob))
        )
    with database.connect_read() as conn, pytest.raises(VaultError):
        reveal_tokens(conn, MASTER, subject=subject, tokens=[value.token])


def test_wrong_master_key_raises(database: Database, subject: uuid.UUID) -> None:
    value = _sealed(KEY, "EMAIL_ADDRESS", EMAIL)
    with database.connect_write() as conn:
        seal_values(conn, MASTER, subject=subject, conversation_id=None, values=[value])
    with database.connect_read() as conn, pytest.raises(VaultError):
        reveal_tokens(conn, secrets.token_bytes(32), subject=subject, tokens=[value.token])


def test_shredding_the_subject_key(database: Database, subject: uuid.UUID) -> None:
    value = _sealed(KEY, "EMAIL_ADDRESS", EMAIL)
    with database.connect_write() as conn:
        seal_values(conn, MASTER, subject=subject, conversation_id=None, values=[value])
    with database.write() as s:
        assert SqlVault(s, MASTER).shred(subject) is True
        assert SqlVault(s, MASTER).shred(subject) is False  # already gone
    with database.connect_read() as conn:
        assert (
            conn.execute(
                select(func.count())
                .select_from(table_of(SubjectKey))
                .where(table_of(SubjectKey).c.customer_id == subject)
            ).scalar_one()
            == 0
        )
        with pytest.raises(SubjectShredded) as info:
            reveal_tokens(conn, MASTER, subject=subject, tokens=[value.token])
    assert info.value.subject == subject
    assert isinstance(info.value, VaultError)


def test_sealing_the_same_token_twice_stores_one_row(
    database: Database, subject: uuid.UUID
) -> None:
    first = _sealed(KEY, "CREDIT_CARD", "4111 1111 1111 1111")
    # Another spelling of the same value: the same token.
    second = _sealed(KEY, "CREDIT_CARD", "4111-1111-1111-1111")
    assert first.token == second.token
    with database.connect_write() as conn:
        assert (
            seal_values(conn, MASTER, subject=subject, conversation_id=None, values=[first, second])
            == 1
        )
    with database.connect_write() as conn:
        assert seal_values(conn, MASTER, subject=subject, conversation_id=None, values=[first]) == 0
    with database.connect_read() as conn:
        count = conn.execute(
            select(func.count()).select_from(TOKENS).where(TOKENS.c.customer_id == subject)
        ).scalar_one()
        assert count == 1
        revealed = reveal_tokens(conn, MASTER, subject=subject, tokens=[first.token])
        # One of the spellings (both are the same card number).
        assert revealed[first.token] in {first.value, second.value}


def test_one_subject_key_per_subject(database: Database, subject: uuid.UUID) -> None:
    with database.connect_write() as conn:
        seal_values(
            conn,
            MASTER,
            subject=subject,
            conversation_id=None,
            values=[_sealed(KEY, "PERSON", "Pat Doe")],
        )
        seal_values(
            conn,
            MASTER,
            subject=subject,
            conversation_id=None,
            values=[_sealed(KEY, "PERSON", "Sam Roe")],
        )
    keys = table_of(SubjectKey)
    with database.connect_read() as conn:
        assert (
            conn.execute(
                select(func.count()).select_from(keys).where(keys.c.customer_id == subject)
            ).scalar_one()
            == 1
        )


# -- the pipeline, end to end ----------------------------------------------------------


def _dump_all_text(database: Database) -> str:
    """Every value in every table (and the SQLite ledger index), as one string."""
    from trustdesk.store.models import Base

    chunks: list[str] = []
    with database.engine.connect() as conn:
        if database.backend == "sqlite":
            chunks.extend(repr(r) for r in conn.exec_driver_sql("SELECT * FROM ledger_fts"))
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(table.select()):
                chunks.append(repr(tuple(row)))
    return "\n".join(chunks)


@pytest.fixture
def sealing_service(database: Database) -> Iterator[ConversationService]:
    # A generous time budget: a cold first call must not be withheld on a slow machine.
    settings = Settings(demo=True, privacy={"timeout_ms": 30_000})
    assert settings.privacy.default_operator == "encrypt"
    pipeline = build_pipeline(settings, master_key=MASTER)
    yield ConversationService(
        db=database,
        pipeline=pipeline,
        tenant="northwind",
        max_message_bytes=8192,
        master_key=MASTER,
    )
    pipeline.close()


def test_pipeline_seals_encrypted_values(
    sealing_service: ConversationService, database: Database
) -> None:
    marker = uuid.uuid4().hex[:10]
    email = f"pat.{marker}@example.com"
    conv = sealing_service.create_conversation()
    sealing_service.post_message(conv.id, f"please write to {email} about ref {marker}")

    with database.read() as s:
        msgs = s.scalars(
            select(Message).where(Message.conversation_id == conv.id).order_by(Message.seq)
        ).all()
        inbound = msgs[0].text_redacted
    tokens = re.findall(r"<EMAIL_ADDRESS_[0-9a-f]{8}>", inbound)
    assert len(tokens) == 1, inbound
    assert marker in inbound  # the ref itself (not personal) is kept
    token = tokens[0]
    assert token == pseudonym(pseudonym_key(MASTER, "northwind"), "EMAIL_ADDRESS", email)

    everything = _dump_all_text(database)
    assert email not in everything
    assert f"pat.{marker}" not in everything
    assert token in everything

    with database.connect_read() as conn:
        row = conn.execute(
            select(TOKENS.c.customer_id, TOKENS.c.conversation_id, TOKENS.c.entity_type).where(
                TOKENS.c.token == token
            )
        ).one()
        assert row.customer_id == conv.customer_id
        assert row.conversation_id == conv.id
        assert row.entity_type == "EMAIL_ADDRESS"
        assert reveal_tokens(conn, MASTER, subject=conv.customer_id, tokens=[token]) == {
            token: email
        }


def test_pipeline_without_master_key_stores_no_sealed_value(database: Database) -> None:
    pipeline = build_pipeline(Settings(demo=True, privacy={"timeout_ms": 30_000}))
    service = ConversationService(
        db=database, pipeline=pipeline, tenant="northwind", max_message_bytes=8192
    )
    try:
        marker = uuid.uuid4().hex[:10]
        conv = service.create_conversation()
        service.post_message(conv.id, f"mail me at sam.{marker}@example.com")
    finally:
        pipeline.close()
    with database.connect_read() as conn:
        count = conn.execute(
            select(func.count()).select_from(TOKENS).where(TOKENS.c.customer_id == conv.customer_id)
        ).scalar_one()
    assert count == 0
    assert f"sam.{marker}" not in _dump_all_text(database)
