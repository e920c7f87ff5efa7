"""The service over a real database (SQLite and PostgreSQL): what gets stored, atomically."""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import select, text

from trustdesk.config import Settings
from trustdesk.errors import (
    ConversationClosed,
    ConversationNotFound,
    EmptyMessage,
    InvalidEncoding,
    MessageTooLarge,
)
from trustdesk.factory import build_pipeline
from trustdesk.ledger import verify_chain
from trustdesk.ledger.sql import iter_records
from trustdesk.privacy.operators import REPLACEMENT_RE
from trustdesk.service import ConversationService
from trustdesk.store.db import Database, current_revision, head_revision
from trustdesk.store.models import (
    Conversation,
    Decision,
    Escalation,
    FindingRow,
    LedgerEventRow,
    Message,
)

CARD = "4111 1111 1111 1111"
EMAIL = "pat.doe@example.com"


@pytest.fixture
def service(database: Database) -> Iterator[ConversationService]:
    pipeline = build_pipeline(Settings(demo=True))
    yield ConversationService(
        db=database, pipeline=pipeline, tenant="northwind", max_message_bytes=8192
    )
    pipeline.close()


def test_schema_is_at_head(database: Database) -> None:
    assert current_revision(database.engine) == head_revision()


def test_migrations_match_the_models(database: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from trustdesk.store.db import include_object
    from trustdesk.store.models import Base

    with database.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def _dump_all_text(database: Database) -> str:
    """Every value in every table, as one string, to search for leaked data."""
    from trustdesk.store.models import Base

    chunks: list[str] = []
    with database.engine.connect() as conn:
        if database.backend == "sqlite":
            chunks.extend(repr(r) for r in conn.exec_driver_sql("SELECT * FROM ledger_fts"))
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(table.select()):
                chunks.append(repr(tuple(row)))
    return "\n".join(chunks)


def test_message_with_card_and_email_is_stored_redacted(
    service: ConversationService, database: Database
) -> None:
    conv = service.create_conversation()
    # Not all digits, and not two letters then digits: either can read as an IBAN piece
    # next to card words (a reference that looks like one is redacted, by design).
    marker = "zz" + uuid.uuid4().hex[:8]
    result = service.post_message(
        conv.id, f"card {CARD} and mail {EMAIL} ref {marker}, when does my card arrive?"
    )
    o = result.outcome
    assert {f.entity_type for f in o.inbound.findings} == {"CREDIT_CARD", "EMAIL_ADDRESS"}

    with database.read() as s:
        msgs = s.scalars(
            select(Message).where(Message.conversation_id == conv.id).order_by(Message.seq)
        ).all()
        assert [m.seq for m in msgs] == [1, 2]
        assert msgs[0].role == "customer" and msgs[0].redacted
        assert marker in msgs[0].text_redacted
        assert "<CREDIT_CARD ****1111>" in msgs[0].text_redacted
        assert re.search(r"<EMAIL_ADDRESS_[0-9a-f]{8}>", msgs[0].text_redacted)
        findings = s.scalars(select(FindingRow).where(FindingRow.message_id == msgs[0].id)).all()
        assert sorted(f.entity_type for f in findings) == ["CREDIT_CARD", "EMAIL_ADDRESS"]
        for f in findings:
            assert f.customer_id == conv.customer_id
            assert f.data_category == "communications"
            tag = msgs[0].text_redacted[f.redacted_start : f.redacted_end]
            assert REPLACEMENT_RE.fullmatch(tag) and tag.startswith(f"<{f.entity_type}")
        decisions = s.scalars(select(Decision).where(Decision.message_id == msgs[0].id)).all()
        assert {d.stage for d in decisions} == {"ingress_guard", "privacy", "agent", "egress_guard"}
        assert all(d.customer_id == conv.customer_id for d in decisions)

    everything = _dump_all_text(database)
    assert marker in everything
    assert CARD not in everything
    assert CARD.replace(" ", "") not in everything
    assert EMAIL not in everything


def test_every_personal_row_links_to_its_subject(
    service: ConversationService, database: Database
) -> None:
    conv = service.create_conversation()
    service.post_message(conv.id, "I want to talk to a human")
    from trustdesk.store.models import SUBJECT_TABLES

    with database.read() as s:
        for model in SUBJECT_TABLES:
            table = model.__table__  # type: ignore[attr-defined]
            assert "customer_id" in table.c, model
            assert "data_category" in table.c, model
            assert "created_at" in table.c, model
        esc = s.scalars(select(Escalation).where(Escalation.conversation_id == conv.id)).one()
        assert esc.reason_code == "customer_requested_human"
        assert esc.customer_id == conv.customer_id
        c = s.get(Conversation, conv.id)
        assert c is not None and c.mode == "human" and c.status == "escalated"


def test_ledger_chain_verifies_after_turns(
    service: ConversationService, database: Database
) -> None:
    conv = service.create_conversation()
    for msg in ("hello", f"my card {CARD} was stolen", "thanks, bye"):
        service.post_message(conv.id, msg)
    with database.read() as s:
        records = list(iter_records(s))
        assert verify_chain(records) == len(records) > 0
        mine = s.scalars(
            select(LedgerEventRow)
            .where(LedgerEventRow.conversation_id == str(conv.id))
            .order_by(LedgerEventRow.seq)
        ).all()
        types = [r.type for r in mine]
        assert types[0] == "conversation.created"
        assert types.count("message.received") == 3
        assert "4111" not in repr([r.payload for r in mine])


def test_concurrent_messages_keep_order_and_chain(
    service: ConversationService, database: Database
) -> None:
    convs = [service.create_conversation() for _ in range(3)]
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            for j in range(5):
                service.post_message(convs[(i + j) % 3].id, f"when will my card arrive {i}-{j}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with database.read() as s:
        for conv in convs:
            seqs = s.scalars(
                select(Message.seq).where(Message.conversation_id == conv.id).order_by(Message.seq)
            ).all()
            assert len(seqs) > 0
            assert list(seqs) == list(range(1, len(seqs) + 1))
        assert verify_chain(list(iter_records(s))) > 0


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", EmptyMessage),
        ("   \n\t", EmptyMessage),
        ("x" * 8193, MessageTooLarge),
        ("é" * 4097, MessageTooLarge),
        ("bad \ud800 surrogate", InvalidEncoding),
        ("nul \x00 byte", InvalidEncoding),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    service: ConversationService, database: Database, text: str, error: type[Exception]
) -> None:
    conv = service.create_conversation()
    with pytest.raises(error):
        service.post_message(conv.id, text)
    with database.read() as s:
        n = s.scalar(select(Message.id).where(Message.conversation_id == conv.id).limit(1))
        assert n is None


def test_unknown_and_closed_conversations(service: ConversationService) -> None:
    with pytest.raises(ConversationNotFound):
        service.post_message(uuid.uuid4(), "hello")
    conv = service.create_conversation()
    service.close_conversation(conv.id)
    with pytest.raises(ConversationClosed):
        service.post_message(conv.id, "hello")
    with pytest.raises(ConversationClosed):
        service.close_conversation(conv.id)


def test_failed_write_stores_nothing(service: ConversationService, database: Database) -> None:
    """A turn whose transaction fails leaves no message, finding, decision or event."""
    conv = service.create_conversation()
    with database.read() as s:
        before = s.scalar(text("SELECT COUNT(*) FROM ledger_events"))

    original = service._store_turn

    def exploding(*args: object, **kwargs: object) -> object:
        original(*args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("disk full")

    service._store_turn = exploding  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        service.post_message(conv.id, f"card {CARD}")
    with database.read() as s:
        assert s.scalar(select(Message.id).where(Message.conversation_id == conv.id)) is None
        assert s.scalar(select(FindingRow.id).where(FindingRow.conversation_id == conv.id)) is None
        after = s.scalar(text("SELECT COUNT(*) FROM ledger_events"))
        c = s.get(Conversation, conv.id)
        assert c is not None and c.message_count == 0
    assert after == before
