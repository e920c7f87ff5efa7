"""Conversations: the one place that turns pipeline outcomes into stored rows.

Each inbound message is handled in two phases:

1. *read*: load the conversation (404 / 409 closed), its recent redacted history;
   run the pipeline outside any write lock;
2. *write*: one transaction stores the redacted message, its findings, every stage's
   decision, the reply, any escalation, the conversation's new state and the turn's
   ledger events — all or nothing. A message is acknowledged only after the commit.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from trustdesk.errors import (
    ConversationClosed,
    ConversationNotFound,
    EmptyMessage,
    InputError,
    InvalidEncoding,
    MessageTooLarge,
    ReplayedWebhook,
)
from trustdesk.ledger import BufferedLedger, EventType, LedgerEvent
from trustdesk.ledger.service import LedgerService
from trustdesk.ledger.sql import SqlLedger
from trustdesk.monitor.metrics import Metrics
from trustdesk.pipeline import Pipeline, TurnInput, TurnOutcome
from trustdesk.privacy.tokens import seal_values
from trustdesk.store.db import Database
from trustdesk.store.models import (
    ConsentRecord,
    Conversation,
    Customer,
    DataCategory,
    Decision,
    Escalation,
    FindingRow,
    Message,
    WebhookDelivery,
    table_of,
)
from trustdesk.types import ConversationMode, ConversationStatus, Role, Turn

log = logging.getLogger(__name__)

HISTORY_TURNS = 10

#: What a customer may consent to: keeping the transcript, and using it to improve the AI.
CONSENT_PURPOSES: tuple[str, ...] = ("recording", "improve_ai")

# Statements of the hot path, built once.
_CONV = table_of(Conversation)
_MSG = table_of(Message)
_READ_STATE = select(
    _CONV.c.customer_id, _CONV.c.status, _CONV.c.mode, _CONV.c.authenticated_ref
).where(_CONV.c.id == bindparam("cid"))
_READ_HISTORY = (
    select(_MSG.c.role, _MSG.c.text_redacted, _MSG.c.intent)
    .where(_MSG.c.conversation_id == bindparam("cid"))
    .order_by(_MSG.c.seq.desc())
    .limit(HISTORY_TURNS)
)
_LOCK_STATE = select(
    _CONV.c.id,
    _CONV.c.customer_id,
    _CONV.c.channel,
    _CONV.c.status,
    _CONV.c.mode,
    _CONV.c.message_count,
).where(_CONV.c.id == bindparam("cid"))
_LOCK_STATE_PG = _LOCK_STATE.with_for_update()
_INSERT_MESSAGE = insert(_MSG)
_INSERT_FINDING = insert(table_of(FindingRow))
_INSERT_DECISION = insert(table_of(Decision))
_INSERT_ESCALATION = insert(table_of(Escalation))
_INSERT_DELIVERY = insert(table_of(WebhookDelivery))
_UPDATE_CONVERSATION = update(_CONV).where(_CONV.c.id == bindparam("cid"))


@dataclass(frozen=True, slots=True)
class TurnResult:
    """What the channels answer after a message is stored."""

    conversation_id: uuid.UUID
    message_id: uuid.UUID
    reply_id: uuid.UUID
    outcome: TurnOutcome
    status: str
    mode: str


@dataclass(frozen=True, slots=True)
class _ConvState:
    id: uuid.UUID
    customer_id: uuid.UUID
    channel: str
    status: str
    mode: str
    message_count: int


@dataclass(frozen=True, slots=True)
class WebhookDeliveryInfo:
    source: str
    delivery_id: str
    signature: str


def validate_text(text: str, *, max_bytes: int) -> str:
    """Check a customer message; returns it unchanged or raises an :class:`InputError`."""
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise InvalidEncoding("text contains unpaired surrogates; it is not valid UTF-8") from exc
    if size > max_bytes:
        raise MessageTooLarge(size, max_bytes)
    if "\x00" in text:
        raise InvalidEncoding("text contains a NUL character")
    if not text.strip():
        raise EmptyMessage()
    return text


def _now() -> datetime:
    return datetime.now(UTC)


class ConversationService:
    def __init__(
        self,
        *,
        db: Database,
        pipeline: Pipeline,
        tenant: str,
        max_message_bytes: int,
        metrics: Metrics | None = None,
        ledger: LedgerService | None = None,
        master_key: bytes | None = None,
    ) -> None:
        self.db = db
        #: Seals the values the privacy policy encrypts; without it they are not kept
        #: (their tokens stay, as irreversible pseudonyms).
        self.master_key = master_key
        self.ledger = ledger
        self.pipeline = pipeline
        self.tenant = tenant
        self.max_message_bytes = max_message_bytes
        self.metrics = metrics

    # -- conversations ---------------------------------------------------------------

    def _new_conversation(
        self,
        session: Session,
        *,
        channel: str,
        mode: ConversationMode,
        external_ref: str | None = None,
    ) -> Conversation:
        guest = Customer(tenant=self.tenant, kind="guest")
        session.add(guest)
        session.flush()
        conv = Conversation(
            tenant=self.tenant,
            customer_id=guest.id,
            channel=channel,
            external_ref=external_ref,
            status=str(ConversationStatus.OPEN),
            mode=str(mode),
            data_category=str(DataCategory.COMMUNICATIONS),
        )
        session.add(conv)
        session.flush()
        SqlLedger(session).append(
            LedgerEvent(
                type=EventType.CONVERSATION_CREATED,
                actor="customer",
                subject=str(guest.id),
                conversation_id=str(conv.id),
                payload={"channel": channel, "mode": str(mode)},
            )
        )
        return conv

    def create_conversation(
        self,
        *,
        channel: str = "web",
        mode: ConversationMode = ConversationMode.AI,
        consent: Mapping[str, bool] | None = None,
    ) -> Conversation:
        """Open a conversation; ``consent`` choices are recorded in the same transaction."""
        with self.db.write() as session:
            conv = self._new_conversation(session, channel=channel, mode=mode)
            if consent:
                self._record_consent(session, conv, consent, source=channel)
            if mode is ConversationMode.HUMAN:
                session.add(
                    Escalation(
                        conversation_id=conv.id,
                        customer_id=conv.customer_id,
                        reason_code="customer_chose_human",
                        reasons=[
                            {
                                "code": "customer_chose_human",
                                "message": "the customer chose a human at the start",
                            }
                        ],
                        summary="",
                        data_category=str(DataCategory.CASE),
                    )
                )
                conv.status = str(ConversationStatus.ESCALATED)
        return conv

    @staticmethod
    def _record_consent(
        session: Session, conv: Conversation, choices: Mapping[str, bool], *, source: str
    ) -> list[dict[str, Any]]:
        unknown = sorted(set(choices) - set(CONSENT_PURPOSES))
        if unknown:
            raise InputError(f"unknown consent purpose(s): {', '.join(unknown)}")
        out: list[dict[str, Any]] = []
        for purpose in CONSENT_PURPOSES:
            if purpose not in choices:
                continue
            granted = bool(choices[purpose])
            session.add(
                ConsentRecord(
                    customer_id=conv.customer_id,
                    conversation_id=conv.id,
                    purpose=purpose,
                    granted=granted,
                    source=source,
                    data_category=str(DataCategory.CONSENT),
                )
            )
            out.append({"purpose": purpose, "granted": granted})
        SqlLedger(session).append(
            LedgerEvent(
                type=EventType.CONSENT_RECORDED,
                actor="customer",
                subject=str(conv.customer_id),
                conversation_id=str(conv.id),
                payload={"choices": out, "source": source},
            )
        )
        return out

    def record_consent(
        self, conversation_id: uuid.UUID, choices: Mapping[str, bool], *, source: str = "web"
    ) -> dict[str, bool]:
        """Record changed consent choices (append-only); returns the choices in force."""
        with self.db.write() as session:
            conv = self._lock(session, conversation_id)
            self._record_consent(session, conv, choices, source=source)
            session.flush()
            return self._consent_in_force(session, conv.customer_id)

    def consent(self, conversation_id: uuid.UUID) -> dict[str, bool]:
        """The consent choices in force for the conversation's customer (absent = not given)."""
        with self.db.read() as session:
            conv = session.get(Conversation, conversation_id)
            if conv is None:
                raise ConversationNotFound(str(conversation_id))
            return self._consent_in_force(session, conv.customer_id)

    @staticmethod
    def _consent_in_force(session: Session, customer_id: uuid.UUID) -> dict[str, bool]:
        rows = session.scalars(
            select(ConsentRecord)
            .where(ConsentRecord.customer_id == customer_id)
            .order_by(ConsentRecord.created_at, ConsentRecord.id)
        ).all()
        state = dict.fromkeys(CONSENT_PURPOSES, False)
        for r in rows:  # oldest first: the latest choice wins
            state[r.purpose] = r.granted
        return state

    def get_conversation(self, conversation_id: uuid.UUID) -> Conversation:
        with self.db.read() as session:
            conv = session.scalar(
                select(Conversation)
                .where(Conversation.id == conversation_id)
                .options(selectinload(Conversation.messages).selectinload(Message.findings))
            )
            if conv is None:
                raise ConversationNotFound(str(conversation_id))
            return conv

    def messages_after(
        self, conversation_id: uuid.UUID, after: int
    ) -> tuple[str, list[dict[str, Any]]]:
        """The conversation's status and its messages with ``seq > after`` (API views)."""
        with self.db.read() as session:
            status = session.scalar(
                select(Conversation.status).where(Conversation.id == conversation_id)
            )
            if status is None:
                raise ConversationNotFound(str(conversation_id))
            rows = session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation_id, Message.seq > after)
                .order_by(Message.seq)
                .options(selectinload(Message.findings))
            ).all()
            return status, [message_view(m) for m in rows]

    def close_conversation(self, conversation_id: uuid.UUID) -> Conversation:
        with self.db.write() as session:
            conv = self._lock(session, conversation_id)
            if conv.status == ConversationStatus.CLOSED:
                raise ConversationClosed(str(conversation_id))
            conv.status = str(ConversationStatus.CLOSED)
            conv.closed_at = conv.updated_at = _now()
            SqlLedger(session).append(
                LedgerEvent(
                    type=EventType.CONVERSATION_CLOSED,
                    actor="customer",
                    subject=str(conv.customer_id),
                    conversation_id=str(conv.id),
                )
            )
        forget = getattr(self.pipeline.privacy, "forget_conversation", None)
        if callable(forget):  # pending pieces of split values are dropped with it
            forget(str(conversation_id))
        return conv

    def _lock(self, session: Session, conversation_id: uuid.UUID) -> Conversation:
        stmt = select(Conversation).where(Conversation.id == conversation_id)
        if session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        conv = session.scalar(stmt)
        if conv is None:
            raise ConversationNotFound(str(conversation_id))
        return conv

    # -- messages --------------------------------------------------------------------

    def post_message(
        self,
        conversation_id: uuid.UUID,
        text: str,
        *,
        channel: str = "web",
        delivery: WebhookDeliveryInfo | None = None,
    ) -> TurnResult:
        started = time.perf_counter()
        validate_text(text, max_bytes=self.max_message_bytes)

        # Read phase.
        with self.db.connect_read() as conn:
            row = conn.execute(_READ_STATE, {"cid": conversation_id}).first()
            if row is None:
                raise ConversationNotFound(str(conversation_id))
            customer_id, status, mode, customer_ref = row
            if status == ConversationStatus.CLOSED:
                raise ConversationClosed(str(conversation_id))
            recent = conn.execute(_READ_HISTORY, {"cid": conversation_id}).all()
            history = tuple(
                Turn(role=Role(r.role), text=r.text_redacted, intent=r.intent)
                for r in reversed(recent)
            )
            turn = TurnInput(
                conversation_id=str(conversation_id),
                text=text,
                customer_id=str(customer_id),
                mode=ConversationMode(mode),
                history=history,
                channel=channel,
                customer_ref=customer_ref,
            )

        buffer = BufferedLedger()
        outcome = self.pipeline.run(turn, buffer)

        # Write phase: all or nothing.
        try:
            with self.db.connect_write() as session:
                state = self._lock_state(session, conversation_id)
                if state.status == ConversationStatus.CLOSED:
                    raise ConversationClosed(str(conversation_id))
                if delivery is not None:
                    session.execute(
                        _INSERT_DELIVERY.values(
                            source=delivery.source,
                            delivery_id=delivery.delivery_id,
                            signature=delivery.signature,
                            conversation_id=conversation_id,
                            received_at=_now(),
                        )
                    )
                inbound, reply, status, mode = self._store_turn(session, state, outcome)
                self._store_actions(session, state, outcome, inbound, customer_ref)
                if outcome.inbound.sealed and self.master_key is not None:
                    seal_values(
                        session,
                        self.master_key,
                        subject=state.customer_id,
                        conversation_id=conversation_id,
                        values=outcome.inbound.sealed,
                    )
                if outcome.escalation is not None and outcome.escalation.handover:
                    buffer.append(
                        LedgerEvent(
                            type=EventType.CONVERSATION_ESCALATED,
                            actor="system",
                            subject=str(state.customer_id),
                            conversation_id=str(conversation_id),
                            payload={
                                "reason": outcome.escalation.reason_code,
                                "suggestion": outcome.escalation.suggestion,
                            },
                            reasons=tuple(r.to_dict() for r in outcome.escalation.reasons),
                        )
                    )
                appended = len(buffer.events)
                buffer.flush_to(SqlLedger(session))
        except IntegrityError as exc:
            if delivery is not None:
                raise ReplayedWebhook(delivery.delivery_id) from exc
            raise

        if self.ledger is not None:
            self.ledger.note_appended(appended)
        elapsed = time.perf_counter() - started
        self._observe(outcome, channel, elapsed)
        log.info(
            "turn.completed",
            extra={
                "conversation_id": str(conversation_id),
                "message_id": str(inbound),
                "channel": channel,
                "latency_ms": round(elapsed * 1000, 3),
                "findings": len(outcome.inbound.findings),
                "escalated": outcome.escalation is not None,
            },
        )
        return TurnResult(conversation_id, inbound, reply, outcome, status, mode)

    def _store_actions(
        self,
        conn: Connection,
        conv: _ConvState,
        outcome: TurnOutcome,
        message_id: uuid.UUID,
        customer_ref: str | None,
    ) -> None:
        """Tool calls of the turn, and a pending approval for each account change."""
        decision = outcome.decision
        if decision is None or not decision.tool_calls:
            return
        from trustdesk.approvals import create_approval, record_tool_call

        for call in decision.tool_calls:
            approval_id = None
            if call.status == "approval_required" and customer_ref:
                approval_id = create_approval(
                    conn,
                    conversation_id=conv.id,
                    customer_id=conv.customer_id,
                    customer_ref=customer_ref,
                    outcome=call,
                )
            record_tool_call(
                conn,
                conversation_id=conv.id,
                customer_id=conv.customer_id,
                outcome=call,
                approval_id=approval_id,
            )

    def append_message(
        self,
        conn: Connection,
        conversation_id: uuid.UUID,
        *,
        role: Role,
        text: str,
        actor: str,
        redacted: bool = False,
    ) -> uuid.UUID:
        """Add one message outside a customer turn (a human agent, a system notice).

        Runs in the caller's transaction; the text must already be safe to store (a
        human agent's reply is passed through the privacy engine by the caller).
        """
        state = self._lock_state(conn, conversation_id)
        if state.status == ConversationStatus.CLOSED:
            raise ConversationClosed(str(conversation_id))
        now = _now()
        message_id = uuid.uuid4()
        seq = state.message_count + 1
        conn.execute(
            _INSERT_MESSAGE,
            [
                {
                    "conversation_id": state.id,
                    "customer_id": state.customer_id,
                    "created_at": now,
                    "id": message_id,
                    "seq": seq,
                    "role": str(role),
                    "text_redacted": text,
                    "redacted": redacted,
                    "intent": None,
                    "confidence": None,
                    "citation": None,
                    "data_category": str(DataCategory.COMMUNICATIONS),
                }
            ],
        )
        conn.execute(
            _UPDATE_CONVERSATION.values(message_count=seq, updated_at=now),
            {"cid": state.id},
        )
        SqlLedger(conn).append(
            LedgerEvent(
                type=EventType.REPLY_SENT,
                actor=actor,
                subject=str(state.customer_id),
                conversation_id=str(state.id),
                payload={"text": text, "role": str(role)},
            )
        )
        if self.ledger is not None:
            self.ledger.note_appended(1)
        return message_id

    def _lock_state(self, conn: Connection, conversation_id: uuid.UUID) -> _ConvState:
        """Read (and on PostgreSQL lock) the conversation row for this transaction."""
        stmt = _LOCK_STATE_PG if conn.dialect.name == "postgresql" else _LOCK_STATE
        row = conn.execute(stmt, {"cid": conversation_id}).first()
        if row is None:
            raise ConversationNotFound(str(conversation_id))
        return _ConvState(*row)

    def _store_turn(
        self, session: Connection, conv: _ConvState, outcome: TurnOutcome
    ) -> tuple[uuid.UUID, uuid.UUID, str, str]:
        """Insert the turn's rows with a few multi-row statements; update the conversation."""
        now = _now()
        comm = str(DataCategory.COMMUNICATIONS)
        seq = conv.message_count + 1
        decision = outcome.decision
        inbound_id, reply_id = uuid.uuid4(), uuid.uuid4()
        common = {"conversation_id": conv.id, "customer_id": conv.customer_id, "created_at": now}
        session.execute(
            _INSERT_MESSAGE,
            [
                {
                    **common,
                    "id": inbound_id,
                    "seq": seq,
                    "role": str(Role.CUSTOMER),
                    "text_redacted": outcome.inbound.redacted_text,
                    "redacted": outcome.inbound.redacted or outcome.failed_closed,
                    "intent": decision.intent if decision else None,
                    "confidence": decision.confidence if decision else None,
                    "citation": None,
                    "data_category": comm,
                },
                {
                    **common,
                    "id": reply_id,
                    "seq": seq + 1,
                    "role": str(outcome.reply_role),
                    "text_redacted": outcome.reply_text,
                    "redacted": False,
                    "intent": None,
                    "confidence": None,
                    "citation": (
                        decision.citation if decision and outcome.reply_role is Role.AI else None
                    ),
                    "data_category": comm,
                },
            ],
        )
        spans = outcome.inbound.spans
        if outcome.inbound.findings:
            session.execute(
                _INSERT_FINDING,
                [
                    {
                        **common,
                        "id": uuid.uuid4(),
                        "message_id": inbound_id,
                        "entity_type": f.entity_type,
                        "start": f.start,
                        "end": f.end,
                        "redacted_start": spans[i].start if i < len(spans) else -1,
                        "redacted_end": spans[i].end if i < len(spans) else -1,
                        "detector": f.detector,
                        "score": f.score,
                        "data_category": comm,
                    }
                    for i, f in enumerate(outcome.inbound.findings)
                ],
            )
        versions = self.pipeline.model_versions
        if outcome.records:
            session.execute(
                _INSERT_DECISION,
                [
                    {
                        **common,
                        "id": uuid.uuid4(),
                        "message_id": inbound_id,
                        "stage": str(rec.stage),
                        "verdict": str(rec.verdict),
                        "score": rec.score,
                        "reasons": rec.reasons_json(),
                        "latency_ms": rec.latency_ms,
                        "model": versions.get(str(rec.stage)),
                        "data_category": str(DataCategory.AI_DECISION),
                    }
                    for rec in outcome.records
                ],
            )
        status, mode = conv.status, conv.mode
        if outcome.escalation is not None:
            esc = outcome.escalation
            session.execute(
                _INSERT_ESCALATION.values(
                    **common,
                    id=uuid.uuid4(),
                    reason_code=esc.reason_code,
                    reasons=[r.to_dict() for r in esc.reasons],
                    summary=_summary(conv.channel, outcome),
                    suggestion=esc.suggestion,
                    handover=esc.handover,
                    status="queued",
                    data_category=str(DataCategory.CASE),
                )
            )
            if esc.handover:
                mode = str(ConversationMode.HUMAN)
                status = str(ConversationStatus.ESCALATED)
        values: dict[str, Any] = {
            "message_count": seq + 1,
            "updated_at": now,
            "status": status,
            "mode": mode,
        }
        if outcome.flagged:
            values["flagged"] = True
        session.execute(_UPDATE_CONVERSATION.values(**values), {"cid": conv.id})
        return inbound_id, reply_id, status, mode

    def _observe(self, outcome: TurnOutcome, channel: str, seconds: float) -> None:
        if self.metrics is None:
            return
        try:
            self.metrics.messages.labels(channel=channel).inc()
            self.metrics.turn_seconds.labels(channel=channel).observe(seconds)
            for f in outcome.inbound.findings:
                self.metrics.redactions.labels(entity_type=f.entity_type).inc()
            if outcome.escalation is not None:
                self.metrics.escalations.labels(reason=outcome.escalation.reason_code).inc()
        except Exception:  # monitoring fails open
            log.exception("metrics update failed")

    # -- webhook conversations -------------------------------------------------------

    def conversation_for_external(self, *, channel: str, external_ref: str) -> uuid.UUID:
        """The conversation bound to an external platform's conversation id (created once)."""
        found = self._external_id(channel, external_ref)
        if found is not None:
            return found
        try:
            with self.db.write() as session:
                conv = self._new_conversation(
                    session, channel=channel, mode=ConversationMode.AI, external_ref=external_ref
                )
                return conv.id
        except IntegrityError:
            # Another worker created it first.
            found = self._external_id(channel, external_ref)
            if found is None:
                raise
            return found

    def _external_id(self, channel: str, external_ref: str) -> uuid.UUID | None:
        with self.db.read() as session:
            return session.scalar(
                select(Conversation.id).where(
                    Conversation.channel == channel, Conversation.external_ref == external_ref
                )
            )

    def webhook_seen(self, source: str, delivery_id: str, signature: str) -> bool:
        with self.db.read() as session:
            return (
                session.scalar(
                    select(WebhookDelivery.delivery_id).where(
                        (
                            (WebhookDelivery.source == source)
                            & (WebhookDelivery.delivery_id == delivery_id)
                        )
                        | (WebhookDelivery.signature == signature)
                    )
                )
                is not None
            )


def _summary(channel: str, outcome: TurnOutcome) -> str:
    """A redacted hand-over summary: the customer's last message and what the AI made of it."""
    parts: list[str] = [f"Customer ({channel}): {outcome.inbound.redacted_text[:500]}"]
    d = outcome.decision
    if d is not None:
        parts.append(f"AI intent: {d.intent or 'not understood'} ({d.confidence:.2f})")
        if d.suggestion:
            parts.append(f"AI suggests: {d.suggestion}")
    return "\n".join(parts)


def conversation_view(conv: Conversation) -> dict[str, Any]:
    """A conversation as the API shows it: redacted messages and finding types only."""
    return {
        "id": str(conv.id),
        "channel": conv.channel,
        "status": conv.status,
        "mode": conv.mode,
        "flagged": conv.flagged,
        "created_at": conv.created_at.isoformat(),
        "updated_at": conv.updated_at.isoformat(),
        "messages": [message_view(m) for m in conv.messages],
    }


def message_view(m: Message) -> dict[str, Any]:
    """One stored (redacted) message as the API shows it, with its finding types."""
    return {
        "id": str(m.id),
        "seq": m.seq,
        "role": m.role,
        "text": m.text_redacted,
        "redacted": m.redacted,
        "intent": m.intent,
        "confidence": m.confidence,
        "citation": m.citation,
        "created_at": m.created_at.isoformat(),
        "findings": [
            {
                "type": f.entity_type,
                "start": f.redacted_start,
                "end": f.redacted_end,
                "detector": f.detector,
                "score": round(f.score, 4),
            }
            for f in m.findings
        ],
    }
