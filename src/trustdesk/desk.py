"""The human desk: the escalation queue, take-over, replies, resolution and AI corrections.

Everything a human agent does to a customer's conversation goes through
:class:`DeskService`, and every step writes the ledger in the same transaction:

* **queue**: queued and claimed escalations, newest first, each with its redacted
  hand-over summary, the AI's reasons and suggestion, and the conversation's pending
  approvals (arguments are vault tokens, never values);
* **view**: a conversation's redacted transcript with every stage's decision and its
  reasons, tool calls, approvals and escalations. Only conversations that reached the
  desk (an escalation or an approval) can be viewed, and every view is recorded
  (``data.viewed``);
* **claim**: the escalation is assigned to the caller and the conversation is handed
  to a human (mode ``human``); someone else's claim is a 409 (``desk.claimed``);
* **reply**: the agent's text goes through the deployment's privacy engine before it
  is stored (an agent must not paste a card number into a transcript either). Only the
  claimer replies; an unclaimed escalation is claimed by whoever replies first;
* **resolve**: the escalation is closed and, unless the conversation is closed or
  still has another open hand-over, the AI answers again (mode ``ai``, status ``open``)
  (``desk.resolved``);
* **corrections**: a human marks an AI answer as a wrong intent or a wrong answer.
  A correction is attached to the **AI message** being corrected; the intent the AI
  predicted is stored on the customer message that the AI answered (the AI reply's
  nearest earlier customer message), and is copied into the correction as
  ``predicted_intent``. Counts per predicted → corrected pair feed drift monitoring
  (``ai.corrected``).

Free text a human types (replies, notes) is redacted with the same engine as customer
text; what is stored and what the ledger holds is the redacted form.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Row, desc, func, insert, select, true, update

from trustdesk.access.errors import PermissionDenied
from trustdesk.approvals import ApprovalNotFound
from trustdesk.errors import (
    Conflict,
    ConversationClosed,
    ConversationNotFound,
    InputError,
    NotFound,
    TrustDeskError,
)
from trustdesk.ledger import EventType, LedgerEvent
from trustdesk.ledger.sql import SqlLedger
from trustdesk.privacy.tokens import seal_values
from trustdesk.service import ConversationService, validate_text
from trustdesk.store.db import Database
from trustdesk.store.models import (
    Approval,
    Conversation,
    Correction,
    DataCategory,
    Decision,
    Escalation,
    FindingRow,
    Message,
    ToolCall,
    User,
    table_of,
)
from trustdesk.types import (
    ConversationMode,
    ConversationStatus,
    PrivacyContext,
    PrivacyResult,
    Role,
)

__all__ = [
    "DESK_PROBLEMS",
    "MAX_NOTE_CHARS",
    "MAX_REPLY_BYTES",
    "CorrectionKind",
    "DeskService",
    "EscalationClaimed",
    "EscalationNotFound",
    "EscalationResolved",
    "EscalationStatus",
    "InvalidCorrection",
    "MessageNotFound",
    "NotEscalated",
    "PrivacyUnavailable",
    "known_intents",
]

#: The largest human reply, in UTF-8 bytes.
MAX_REPLY_BYTES = 8 * 1024
#: The longest note (resolution, correction), in characters.
MAX_NOTE_CHARS = 2000

_CONV = table_of(Conversation)
_MSG = table_of(Message)
_ESC = table_of(Escalation)
_APR = table_of(Approval)
_DEC = table_of(Decision)
_FIND = table_of(FindingRow)
_TOOL = table_of(ToolCall)
_CORR = table_of(Correction)
_USERS = table_of(User)


class EscalationStatus(StrEnum):
    QUEUED = "queued"
    CLAIMED = "claimed"
    RESOLVED = "resolved"


OPEN_ESCALATION = (EscalationStatus.QUEUED.value, EscalationStatus.CLAIMED.value)


class CorrectionKind(StrEnum):
    WRONG_INTENT = "wrong_intent"
    WRONG_ANSWER = "wrong_answer"


# -- errors ------------------------------------------------------------------------------


class EscalationNotFound(NotFound):
    def __init__(self, escalation_id: uuid.UUID) -> None:
        super().__init__(f"escalation {escalation_id} does not exist")


class MessageNotFound(NotFound):
    def __init__(self, message_id: uuid.UUID) -> None:
        super().__init__(f"message {message_id} does not exist")


class ConversationNotOnDesk(ConversationNotFound):
    """Unknown, or never escalated: the desk sees only what was handed to it."""

    def __init__(self, conversation_id: uuid.UUID) -> None:
        NotFound.__init__(
            self, f"conversation {conversation_id} does not exist or never reached the desk"
        )
        self.conversation_id = str(conversation_id)


class EscalationClaimed(Conflict):
    def __init__(self, escalation_id: uuid.UUID) -> None:
        super().__init__(f"escalation {escalation_id} is claimed by another agent")


class EscalationResolved(Conflict):
    def __init__(self, escalation_id: uuid.UUID) -> None:
        super().__init__(f"escalation {escalation_id} is already resolved")


class NotEscalated(Conflict):
    def __init__(self, conversation_id: uuid.UUID) -> None:
        super().__init__(
            f"conversation {conversation_id} has no open escalation; a human can only "
            "answer a conversation that was handed over"
        )


class InvalidCorrection(InputError):
    """A correction that cannot be accepted (unknown intent, not an AI message, ...)."""


class PrivacyUnavailable(TrustDeskError):
    """The privacy engine failed: nothing a human typed is stored unredacted."""

    def __init__(self) -> None:
        super().__init__("the privacy engine could not check the text; nothing was stored")


#: (error, status, slug, title) for the API layer, subclasses before their bases.
DESK_PROBLEMS: list[tuple[type[TrustDeskError], int, str, str]] = [
    (EscalationNotFound, 404, "escalation-not-found", "Escalation not found"),
    (MessageNotFound, 404, "message-not-found", "Message not found"),
    (EscalationClaimed, 409, "escalation-claimed", "Escalation claimed by another agent"),
    (EscalationResolved, 409, "escalation-resolved", "Escalation already resolved"),
    (NotEscalated, 409, "not-escalated", "Conversation not escalated"),
    (InvalidCorrection, 422, "invalid-correction", "Invalid correction"),
    (PrivacyUnavailable, 503, "privacy-unavailable", "Privacy engine unavailable"),
]


# -- helpers -----------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite through Core: stored as UTC without a zone
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def _str(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


def known_intents(agent: object) -> frozenset[str]:
    """Every intent label the deployed agent can predict (what a correction may name).

    The trained model's labels (the agent's own model, else the shipped Banking77
    model), the rule intents, the former rule intents and ``out_of_scope``.
    """
    from trustdesk.agent.agent import RULE_INTENTS, default_model
    from trustdesk.agent.escalation import OUT_OF_SCOPE_INTENT
    from trustdesk.agent.intents import INTENTS

    model = getattr(agent, "intent_model", None)
    labels = getattr(model, "labels", None)
    if not labels:
        labels = default_model().labels
    return (
        frozenset(str(x) for x in labels) | set(RULE_INTENTS) | set(INTENTS) | {OUT_OF_SCOPE_INTENT}
    )


@dataclass(frozen=True, slots=True)
class Page:
    limit: int = 50
    offset: int = 0


# -- the service -------------------------------------------------------------------------


class DeskService:
    """What a human agent does on the desk; every change in one transaction with its event."""

    def __init__(self, *, db: Database, service: ConversationService) -> None:
        self.db = db
        self.service = service
        self._intents: frozenset[str] | None = None

    # -- shared ------------------------------------------------------------------------

    @property
    def intents(self) -> frozenset[str]:
        if self._intents is None:
            self._intents = known_intents(self.service.pipeline.agent)
        return self._intents

    def _noted(self, count: int) -> None:
        if self.service.ledger is not None and count:
            self.service.ledger.note_appended(count)

    def _redact(self, text: str, *, subject: uuid.UUID, channel: str) -> PrivacyResult:
        """A human's text through the deployment's privacy engine (no split tracking)."""
        try:
            return self.service.pipeline.privacy.redact(
                text, PrivacyContext(conversation_id=None, subject=str(subject), channel=channel)
            )
        except Exception as exc:
            raise PrivacyUnavailable() from exc

    def _seal(
        self,
        conn: Connection,
        result: PrivacyResult,
        *,
        subject: uuid.UUID,
        conversation_id: uuid.UUID,
    ) -> None:
        if result.sealed and self.service.master_key is not None:
            seal_values(
                conn,
                self.service.master_key,
                subject=subject,
                conversation_id=conversation_id,
                values=result.sealed,
            )

    @staticmethod
    def _lock_escalation(conn: Connection, escalation_id: uuid.UUID) -> Row[Any]:
        stmt = (
            select(_ESC, _CONV.c.status.label("conv_status"), _CONV.c.channel)
            .join(_CONV, _CONV.c.id == _ESC.c.conversation_id)
            .where(_ESC.c.id == escalation_id)
        )
        if conn.dialect.name == "postgresql":
            stmt = stmt.with_for_update(of=_ESC)
        row = conn.execute(stmt).first()
        if row is None:
            raise EscalationNotFound(escalation_id)
        return row

    @staticmethod
    def _require_user(user_id: uuid.UUID | None) -> uuid.UUID:
        if user_id is None:
            raise PermissionDenied(
                "only a human user can take over a conversation; this credential has no user"
            )
        return user_id

    @staticmethod
    def _take(
        conn: Connection, esc: Row[Any], *, user_id: uuid.UUID, actor: str, auto: bool
    ) -> None:
        """Assign ``esc`` to ``user_id``, hand its conversation to a human, record it."""
        now = _now()
        conn.execute(
            update(_ESC)
            .where(_ESC.c.id == esc.id)
            .values(status=EscalationStatus.CLAIMED.value, assigned_to=user_id)
        )
        values: dict[str, Any] = {"mode": ConversationMode.HUMAN.value, "updated_at": now}
        if esc.conv_status != ConversationStatus.CLOSED:
            values["status"] = ConversationStatus.ESCALATED.value
        conn.execute(update(_CONV).where(_CONV.c.id == esc.conversation_id).values(**values))
        SqlLedger(conn).append(
            LedgerEvent(
                type=EventType.DESK_CLAIMED,
                actor=actor,
                subject=str(esc.customer_id),
                conversation_id=str(esc.conversation_id),
                payload={
                    "escalation_id": str(esc.id),
                    "reason_code": esc.reason_code,
                    "assigned_to": str(user_id),
                    "auto": auto,
                },
            )
        )

    # -- queue -------------------------------------------------------------------------

    def queue(
        self, *, statuses: Sequence[str] = OPEN_ESCALATION, page: Page | None = None
    ) -> dict[str, Any]:
        """Escalations with the given statuses, newest first, with pending approvals."""
        page = page or Page()
        where = _ESC.c.status.in_(list(statuses))
        with self.db.connect_read() as conn:
            total = conn.execute(select(func.count()).select_from(_ESC).where(where)).scalar_one()
            rows = conn.execute(
                select(
                    _ESC,
                    _CONV.c.status.label("conv_status"),
                    _CONV.c.mode.label("conv_mode"),
                    _CONV.c.channel,
                    _USERS.c.username.label("assignee"),
                )
                .join(_CONV, _CONV.c.id == _ESC.c.conversation_id)
                .outerjoin(_USERS, _USERS.c.id == _ESC.c.assigned_to)
                .where(where)
                .order_by(desc(_ESC.c.created_at), desc(_ESC.c.id))
                .limit(page.limit)
                .offset(page.offset)
            ).all()
            conv_ids = list({r.conversation_id for r in rows})
            pending: dict[uuid.UUID, list[dict[str, Any]]] = {c: [] for c in conv_ids}
            if conv_ids:
                for a in conn.execute(
                    select(_APR)
                    .where(_APR.c.conversation_id.in_(conv_ids), _APR.c.status == "pending")
                    .order_by(_APR.c.created_at)
                ):
                    pending[a.conversation_id].append(_approval_view(a))
        items = [
            {
                **_escalation_view(r),
                "conversation_status": r.conv_status,
                "conversation_mode": r.conv_mode,
                "channel": r.channel,
                "assigned_to_username": r.assignee,
                "pending_approvals": pending.get(r.conversation_id, []),
            }
            for r in rows
        ]
        return {"items": items, "total": total, "limit": page.limit, "offset": page.offset}

    # -- one conversation --------------------------------------------------------------

    def conversation(self, conversation_id: uuid.UUID, *, actor: str) -> dict[str, Any]:
        """The redacted transcript with decisions, tool calls, approvals and escalations."""
        with self.db.connect_read() as conn:
            conv = conn.execute(select(_CONV).where(_CONV.c.id == conversation_id)).first()
            if conv is None:
                raise ConversationNotOnDesk(conversation_id)
            escalations = conn.execute(
                select(_ESC, _USERS.c.username.label("assignee"))
                .outerjoin(_USERS, _USERS.c.id == _ESC.c.assigned_to)
                .where(_ESC.c.conversation_id == conversation_id)
                .order_by(_ESC.c.created_at, _ESC.c.id)
            ).all()
            approvals = conn.execute(
                select(_APR)
                .where(_APR.c.conversation_id == conversation_id)
                .order_by(_APR.c.created_at, _APR.c.id)
            ).all()
            if not escalations and not approvals:
                raise ConversationNotOnDesk(conversation_id)
            messages = conn.execute(
                select(_MSG).where(_MSG.c.conversation_id == conversation_id).order_by(_MSG.c.seq)
            ).all()
            findings: dict[uuid.UUID, list[dict[str, Any]]] = {}
            for f in conn.execute(
                select(_FIND)
                .where(_FIND.c.conversation_id == conversation_id)
                .order_by(_FIND.c.redacted_start)
            ):
                findings.setdefault(f.message_id, []).append(
                    {
                        "type": f.entity_type,
                        "start": f.redacted_start,
                        "end": f.redacted_end,
                        "detector": f.detector,
                        "score": round(f.score, 4),
                    }
                )
            decisions: dict[uuid.UUID, list[dict[str, Any]]] = {}
            for d in conn.execute(
                select(_DEC)
                .where(_DEC.c.conversation_id == conversation_id)
                .order_by(_DEC.c.created_at, _DEC.c.id)
            ):
                decisions.setdefault(d.message_id, []).append(
                    {
                        "stage": d.stage,
                        "verdict": d.verdict,
                        "score": round(d.score, 4),
                        "reasons": d.reasons,
                        "latency_ms": round(d.latency_ms, 3),
                        "model": d.model,
                    }
                )
            tool_calls = conn.execute(
                select(_TOOL)
                .where(_TOOL.c.conversation_id == conversation_id)
                .order_by(_TOOL.c.created_at, _TOOL.c.id)
            ).all()
        with self.db.connect_write() as conn:
            SqlLedger(conn).append(
                LedgerEvent(
                    type=EventType.DATA_VIEWED,
                    actor=actor,
                    subject=str(conv.customer_id),
                    conversation_id=str(conversation_id),
                    payload={"view": "desk.conversation", "messages": len(messages)},
                )
            )
        self._noted(1)
        return {
            "id": str(conv.id),
            "channel": conv.channel,
            "status": conv.status,
            "mode": conv.mode,
            "flagged": conv.flagged,
            "authenticated": conv.authenticated_ref is not None,
            "created_at": _iso(conv.created_at),
            "updated_at": _iso(conv.updated_at),
            "messages": [
                {
                    "id": str(m.id),
                    "seq": m.seq,
                    "role": m.role,
                    "text_redacted": m.text_redacted,
                    "redacted": m.redacted,
                    "intent": m.intent,
                    "confidence": m.confidence,
                    "citation": m.citation,
                    "created_at": _iso(m.created_at),
                    "findings": findings.get(m.id, []),
                    "decisions": decisions.get(m.id, []),
                }
                for m in messages
            ],
            "tool_calls": [
                {
                    "id": str(t.id),
                    "tool": t.tool,
                    "scope": t.scope,
                    "fields": t.fields,
                    "arguments": t.arguments_redacted,
                    "outcome": t.outcome,
                    "status_code": t.status_code,
                    "approval_id": _str(t.approval_id),
                    "created_at": _iso(t.created_at),
                }
                for t in tool_calls
            ],
            "approvals": [_approval_view(a) for a in approvals],
            "escalations": [
                {**_escalation_view(e), "assigned_to_username": e.assignee} for e in escalations
            ],
        }

    # -- claim, reply, resolve -----------------------------------------------------------

    def claim(
        self, escalation_id: uuid.UUID, *, actor: str, user_id: uuid.UUID | None
    ) -> dict[str, Any]:
        """Assign the escalation to the caller (idempotent for the claimer)."""
        user = self._require_user(user_id)
        events = 0
        with self.db.connect_write() as conn:
            esc = self._lock_escalation(conn, escalation_id)
            if esc.status == EscalationStatus.RESOLVED:
                raise EscalationResolved(escalation_id)
            if esc.status == EscalationStatus.CLAIMED and esc.assigned_to != user:
                raise EscalationClaimed(escalation_id)
            if esc.status != EscalationStatus.CLAIMED:
                if esc.conv_status == ConversationStatus.CLOSED:
                    raise ConversationClosed(str(esc.conversation_id))
                self._take(conn, esc, user_id=user, actor=actor, auto=False)
                events = 1
        self._noted(events)
        return {
            "escalation_id": str(escalation_id),
            "conversation_id": str(esc.conversation_id),
            "status": EscalationStatus.CLAIMED.value,
            "assigned_to": str(user),
            "mode": ConversationMode.HUMAN.value,
        }

    def reply(
        self,
        conversation_id: uuid.UUID,
        text: str,
        *,
        actor: str,
        user_id: uuid.UUID | None,
    ) -> dict[str, Any]:
        """Store a human agent's reply, redacted; claims an unclaimed escalation first."""
        validate_text(text, max_bytes=MAX_REPLY_BYTES)
        with self.db.connect_read() as conn:
            conv = conn.execute(
                select(_CONV.c.customer_id, _CONV.c.channel, _CONV.c.status).where(
                    _CONV.c.id == conversation_id
                )
            ).first()
        if conv is None:
            raise ConversationNotOnDesk(conversation_id)
        if conv.status == ConversationStatus.CLOSED:
            raise ConversationClosed(str(conversation_id))
        result = self._redact(text, subject=conv.customer_id, channel=conv.channel)
        claimed = False
        with self.db.connect_write() as conn:
            stmt = (
                select(_ESC, _CONV.c.status.label("conv_status"))
                .join(_CONV, _CONV.c.id == _ESC.c.conversation_id)
                .where(
                    _ESC.c.conversation_id == conversation_id,
                    _ESC.c.status.in_(OPEN_ESCALATION),
                )
                # A claimed one first (whoever holds it answers), then the newest.
                .order_by(desc(_ESC.c.status == EscalationStatus.CLAIMED.value))
                .order_by(desc(_ESC.c.created_at))
                .limit(1)
            )
            if conn.dialect.name == "postgresql":
                stmt = stmt.with_for_update(of=_ESC)
            esc = conn.execute(stmt).first()
            if esc is None:
                raise NotEscalated(conversation_id)
            if esc.status == EscalationStatus.CLAIMED:
                if user_id is None or esc.assigned_to != user_id:
                    raise EscalationClaimed(esc.id)
            else:
                if esc.conv_status == ConversationStatus.CLOSED:
                    raise ConversationClosed(str(conversation_id))
                self._take(conn, esc, user_id=self._require_user(user_id), actor=actor, auto=True)
                claimed = True
            self._seal(conn, result, subject=conv.customer_id, conversation_id=conversation_id)
            message_id = self.service.append_message(
                conn,
                conversation_id,
                role=Role.HUMAN,
                text=result.redacted_text,
                actor=actor,
                redacted=result.redacted,
            )
        self._noted(1 if claimed else 0)  # append_message notes its own event
        return {
            "message_id": str(message_id),
            "conversation_id": str(conversation_id),
            "escalation_id": str(esc.id),
            "role": Role.HUMAN.value,
            "text_redacted": result.redacted_text,
            "redacted": result.redacted,
            "findings": [f.entity_type for f in result.findings],
            "claimed": claimed,
        }

    def resolve(
        self,
        escalation_id: uuid.UUID,
        *,
        actor: str,
        user_id: uuid.UUID | None,
        note: str | None = None,
    ) -> dict[str, Any]:
        """Close the escalation; the AI answers again unless another hand-over is open."""
        redacted_note: str | None = None
        if note is not None:
            validate_text(note, max_bytes=4 * MAX_NOTE_CHARS)
            with self.db.connect_read() as conn:
                head = conn.execute(
                    select(_ESC.c.customer_id, _CONV.c.channel)
                    .join(_CONV, _CONV.c.id == _ESC.c.conversation_id)
                    .where(_ESC.c.id == escalation_id)
                ).first()
            if head is None:
                raise EscalationNotFound(escalation_id)
            redacted_note = self._redact(
                note, subject=head.customer_id, channel=head.channel
            ).redacted_text
        now = _now()
        with self.db.connect_write() as conn:
            esc = self._lock_escalation(conn, escalation_id)
            if esc.status == EscalationStatus.RESOLVED:
                raise EscalationResolved(escalation_id)
            if esc.status == EscalationStatus.CLAIMED and (
                user_id is None or esc.assigned_to != user_id
            ):
                raise EscalationClaimed(escalation_id)
            conn.execute(
                update(_ESC)
                .where(_ESC.c.id == escalation_id)
                .values(
                    status=EscalationStatus.RESOLVED.value,
                    resolved_at=now,
                    assigned_to=esc.assigned_to or user_id,
                )
            )
            others = conn.execute(
                select(func.count())
                .select_from(_ESC)
                .where(
                    _ESC.c.conversation_id == esc.conversation_id,
                    _ESC.c.id != escalation_id,
                    _ESC.c.status.in_(OPEN_ESCALATION),
                    _ESC.c.handover.is_(True),
                )
            ).scalar_one()
            back_to_ai = esc.conv_status != ConversationStatus.CLOSED and others == 0
            if back_to_ai:
                conn.execute(
                    update(_CONV)
                    .where(_CONV.c.id == esc.conversation_id)
                    .values(
                        mode=ConversationMode.AI.value,
                        status=ConversationStatus.OPEN.value,
                        updated_at=now,
                    )
                )
            payload: dict[str, Any] = {
                "escalation_id": str(escalation_id),
                "reason_code": esc.reason_code,
                "returned_to_ai": back_to_ai,
            }
            if redacted_note is not None:
                payload["note"] = redacted_note
            SqlLedger(conn).append(
                LedgerEvent(
                    type=EventType.DESK_RESOLVED,
                    actor=actor,
                    subject=str(esc.customer_id),
                    conversation_id=str(esc.conversation_id),
                    payload=payload,
                )
            )
        self._noted(1)
        return {
            "escalation_id": str(escalation_id),
            "conversation_id": str(esc.conversation_id),
            "status": EscalationStatus.RESOLVED.value,
            "resolved_at": _iso(now),
            "conversation_status": (
                ConversationStatus.OPEN.value if back_to_ai else esc.conv_status
            ),
            "conversation_mode": (
                ConversationMode.AI.value if back_to_ai else ConversationMode.HUMAN.value
            ),
        }

    # -- approvals (listing; decisions are ApprovalService's) ----------------------------

    def approvals(
        self, *, statuses: Iterable[str] | None = None, page: Page | None = None
    ) -> dict[str, Any]:
        page = page or Page()
        where = _APR.c.status.in_(list(statuses)) if statuses is not None else true()
        with self.db.connect_read() as conn:
            total = conn.execute(select(func.count()).select_from(_APR).where(where)).scalar_one()
            rows = conn.execute(
                select(_APR)
                .where(where)
                .order_by(desc(_APR.c.created_at), desc(_APR.c.id))
                .limit(page.limit)
                .offset(page.offset)
            ).all()
        return {
            "items": [_approval_view(a) for a in rows],
            "total": total,
            "limit": page.limit,
            "offset": page.offset,
        }

    def redact_comment(self, approval_id: uuid.UUID, comment: str) -> str:
        """An approval decision's comment, redacted for the approval's customer."""
        validate_text(comment, max_bytes=4 * MAX_NOTE_CHARS)
        with self.db.connect_read() as conn:
            head = conn.execute(
                select(_APR.c.customer_id, _CONV.c.channel)
                .join(_CONV, _CONV.c.id == _APR.c.conversation_id)
                .where(_APR.c.id == approval_id)
            ).first()
        if head is None:
            raise ApprovalNotFound(approval_id)
        return self._redact(comment, subject=head.customer_id, channel=head.channel).redacted_text

    # -- corrections -------------------------------------------------------------------

    def correct(
        self,
        *,
        message_id: uuid.UUID,
        kind: CorrectionKind,
        corrected_intent: str | None,
        note: str | None,
        actor: str,
        user_id: uuid.UUID | None,
    ) -> dict[str, Any]:
        """Record a human's correction of one AI message (see the module docstring)."""
        if kind is CorrectionKind.WRONG_INTENT and corrected_intent is None:
            raise InvalidCorrection("a wrong_intent correction needs corrected_intent")
        if corrected_intent is not None and corrected_intent not in self.intents:
            raise InvalidCorrection(
                f"corrected_intent {corrected_intent!r} is not an intent the agent knows"
            )
        with self.db.connect_read() as conn:
            msg = conn.execute(
                select(
                    _MSG.c.id,
                    _MSG.c.conversation_id,
                    _MSG.c.customer_id,
                    _MSG.c.seq,
                    _MSG.c.role,
                    _CONV.c.channel,
                )
                .join(_CONV, _CONV.c.id == _MSG.c.conversation_id)
                .where(_MSG.c.id == message_id)
            ).first()
            if msg is None:
                raise MessageNotFound(message_id)
            if msg.role != Role.AI:
                raise InvalidCorrection(
                    f"only AI messages can be corrected; message {message_id} is a "
                    f"{msg.role} message"
                )
            predicted = conn.execute(
                select(_MSG.c.intent)
                .where(
                    _MSG.c.conversation_id == msg.conversation_id,
                    _MSG.c.seq < msg.seq,
                    _MSG.c.role == Role.CUSTOMER.value,
                )
                .order_by(desc(_MSG.c.seq))
                .limit(1)
            ).scalar_one_or_none()
        if kind is CorrectionKind.WRONG_INTENT and corrected_intent == predicted:
            raise InvalidCorrection(
                f"corrected_intent equals the predicted intent {predicted!r}; nothing to correct"
            )
        stored_note = (
            self._redact(note, subject=msg.customer_id, channel=msg.channel).redacted_text
            if note is not None
            else None
        )
        correction_id = uuid.uuid4()
        now = _now()
        with self.db.connect_write() as conn:
            conn.execute(
                insert(_CORR).values(
                    id=correction_id,
                    conversation_id=msg.conversation_id,
                    customer_id=msg.customer_id,
                    message_id=message_id,
                    kind=kind.value,
                    predicted_intent=predicted,
                    corrected_intent=corrected_intent,
                    note=stored_note,
                    created_by=user_id,
                    data_category=DataCategory.AI_DECISION.value,
                    created_at=now,
                )
            )
            SqlLedger(conn).append(
                LedgerEvent(
                    type=EventType.AI_CORRECTED,
                    actor=actor,
                    subject=str(msg.customer_id),
                    conversation_id=str(msg.conversation_id),
                    payload={
                        "correction_id": str(correction_id),
                        "message_id": str(message_id),
                        "kind": kind.value,
                        "predicted_intent": predicted,
                        "corrected_intent": corrected_intent,
                    },
                )
            )
        self._noted(1)
        return {
            "id": str(correction_id),
            "conversation_id": str(msg.conversation_id),
            "message_id": str(message_id),
            "kind": kind.value,
            "predicted_intent": predicted,
            "corrected_intent": corrected_intent,
            "note": stored_note,
            "created_by": _str(user_id),
            "created_at": _iso(now),
        }

    def _pairs(self, conn: Connection) -> list[dict[str, Any]]:
        n = func.count().label("n")
        rows = conn.execute(
            select(_CORR.c.kind, _CORR.c.predicted_intent, _CORR.c.corrected_intent, n)
            .group_by(_CORR.c.kind, _CORR.c.predicted_intent, _CORR.c.corrected_intent)
            .order_by(desc(n), _CORR.c.kind)
        ).all()
        return [
            {
                "kind": r.kind,
                "predicted_intent": r.predicted_intent,
                "corrected_intent": r.corrected_intent,
                "count": r.n,
            }
            for r in rows
        ]

    def corrections(
        self, *, kind: CorrectionKind | None = None, page: Page | None = None
    ) -> dict[str, Any]:
        """Corrections, newest first, and the counts per predicted → corrected pair."""
        page = page or Page()
        where = _CORR.c.kind == kind.value if kind is not None else true()
        with self.db.connect_read() as conn:
            total = conn.execute(select(func.count()).select_from(_CORR).where(where)).scalar_one()
            rows = conn.execute(
                select(_CORR)
                .where(where)
                .order_by(desc(_CORR.c.created_at), desc(_CORR.c.id))
                .limit(page.limit)
                .offset(page.offset)
            ).all()
            pairs = self._pairs(conn)
        return {
            "items": [
                {
                    "id": str(c.id),
                    "conversation_id": str(c.conversation_id),
                    "message_id": str(c.message_id),
                    "kind": c.kind,
                    "predicted_intent": c.predicted_intent,
                    "corrected_intent": c.corrected_intent,
                    "note": c.note,
                    "created_by": _str(c.created_by),
                    "created_at": _iso(c.created_at),
                }
                for c in rows
            ],
            "total": total,
            "limit": page.limit,
            "offset": page.offset,
            "pairs": pairs,
        }

    def drift(self) -> dict[str, Any]:
        """Aggregate counts only (no notes, no ids): for monitoring dashboards."""
        with self.db.connect_read() as conn:
            pairs = self._pairs(conn)
        by_kind: dict[str, int] = {k.value: 0 for k in CorrectionKind}
        for p in pairs:
            by_kind[p["kind"]] = by_kind.get(p["kind"], 0) + p["count"]
        return {"total": sum(by_kind.values()), "by_kind": by_kind, "pairs": pairs}


def _escalation_view(r: Row[Any]) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "conversation_id": str(r.conversation_id),
        "reason_code": r.reason_code,
        "reasons": r.reasons,
        "summary": r.summary,
        "suggestion": r.suggestion,
        "handover": r.handover,
        "status": r.status,
        "assigned_to": _str(r.assigned_to),
        "created_at": _iso(r.created_at),
        "resolved_at": _iso(r.resolved_at),
    }


def _approval_view(a: Row[Any]) -> dict[str, Any]:
    expires = a.expires_at
    if expires is not None and expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    return {
        "id": str(a.id),
        "conversation_id": str(a.conversation_id),
        "tool": a.tool,
        "arguments": a.arguments_redacted,
        "binding_sha256": a.binding_sha256,
        "status": a.status,
        "expires_at": _iso(expires),
        "expired": a.status == "pending" and expires is not None and expires <= _now(),
        "decided_by": _str(a.decided_by),
        "decided_at": _iso(a.decided_at),
        "comment": a.comment,
        "result": a.result,
        "created_at": _iso(a.created_at),
    }
