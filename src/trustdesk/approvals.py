"""Human approval of account changes, bound to the exact action.

When the agent asks for an account-changing tool (:mod:`trustdesk.agent.tools`), the
service stores an ``approvals`` row: the tool, its arguments (vault tokens, never raw
values), the customer, and the SHA-256 binding of the three, valid for
:data:`APPROVAL_TTL`. A human with ``approval:decide`` approves or rejects it
(:meth:`ApprovalService.decide`):

* only a *pending*, unexpired approval can be decided (an expired one is marked
  ``expired``);
* on approval, the tool runs through :meth:`ToolGate.execute_approved`, which
  recomputes the binding from what is about to run and refuses anything that differs
  from what was approved (arguments changed in the database, another customer...);
* every step writes the ledger (``approval.decided``, ``tool.called``), the call is
  kept in ``tool_calls``, and the customer sees a system message in the conversation.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from trustdesk.agent.tools import ToolGate
from trustdesk.errors import Conflict, NotFound
from trustdesk.ledger import EventType, LedgerEvent
from trustdesk.ledger.sql import SqlLedger
from trustdesk.privacy.operators import REPLACEMENT_RE
from trustdesk.privacy.tokens import reveal_tokens
from trustdesk.service import ConversationService
from trustdesk.store.db import Database
from trustdesk.store.models import Approval, DataCategory, ToolCall, table_of
from trustdesk.types import Role, ToolOutcome

__all__ = ["APPROVAL_TTL", "ApprovalService", "Decided", "record_tool_call"]

APPROVAL_TTL = timedelta(minutes=30)
_APPROVALS = table_of(Approval)
_TOOL_CALLS = table_of(ToolCall)


class ApprovalNotFound(NotFound):
    def __init__(self, approval_id: uuid.UUID) -> None:
        super().__init__(f"approval {approval_id} does not exist")


class ApprovalNotPending(Conflict):
    def __init__(self, approval_id: uuid.UUID, status: str) -> None:
        super().__init__(f"approval {approval_id} is {status}, not pending")


@dataclass(frozen=True, slots=True)
class Decided:
    """The outcome of a decision: the approval's new status and, if run, the tool call."""

    approval_id: uuid.UUID
    status: str
    outcome: ToolOutcome | None


def _now() -> datetime:
    return datetime.now(UTC)


def record_tool_call(
    conn: Connection,
    *,
    conversation_id: uuid.UUID,
    customer_id: uuid.UUID,
    outcome: ToolOutcome,
    approval_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Insert one ``tool_calls`` row (arguments are tokens; no returned data is kept)."""
    call_id = uuid.uuid4()
    conn.execute(
        insert(_TOOL_CALLS).values(
            id=call_id,
            conversation_id=conversation_id,
            customer_id=customer_id,
            tool=outcome.tool,
            scope=outcome.scope,
            fields=list(outcome.fields),
            arguments_redacted=dict(outcome.arguments),
            outcome=outcome.status,
            status_code=outcome.status_code,
            approval_id=approval_id,
            data_category=str(DataCategory.AI_DECISION),
            created_at=_now(),
        )
    )
    return call_id


def create_approval(
    conn: Connection,
    *,
    conversation_id: uuid.UUID,
    customer_id: uuid.UUID,
    customer_ref: str,
    outcome: ToolOutcome,
) -> uuid.UUID:
    """Store a pending approval for an ``approval_required`` outcome; returns its id."""
    if outcome.status != "approval_required" or outcome.binding is None:
        raise ValueError("only an approval_required outcome with a binding can be stored")
    approval_id = uuid.uuid4()
    now = _now()
    conn.execute(
        insert(_APPROVALS).values(
            id=approval_id,
            conversation_id=conversation_id,
            customer_id=customer_id,
            customer_ref=customer_ref,
            tool=outcome.tool,
            arguments_redacted=dict(outcome.arguments),
            binding_sha256=outcome.binding,
            status="pending",
            expires_at=now + APPROVAL_TTL,
            data_category=str(DataCategory.CASE),
            created_at=now,
        )
    )
    return approval_id


_POSTCODE = re.compile(r"\b(\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})\b")


def address_fields(raw: str, *, default_country: str = "US") -> dict[str, str]:
    """A free-text address as the bank's structured fields.

    Comma- or line-separated parts: the street lines first (a part with a house number,
    at most two), then the city; a two-letter state before the postcode is the region.
    "Flat 3, 10 Downing Street, London SW1A 2AA" → line1 "Flat 3", line2 "10 Downing
    Street", city "London", postcode "SW1A 2AA".
    """
    parts = [p.strip() for p in re.split(r"[,\n]", raw) if p.strip()]
    if not parts:
        raise ValueError("empty address")
    postal = _POSTCODE.search(raw)
    postal_code = postal.group(1) if postal else "-"
    streets: list[str] = [parts[0]]
    rest = parts[1:]
    if len(rest) >= 2 and re.search(r"\d", rest[0]) and not _POSTCODE.fullmatch(rest[0]):
        streets.append(rest.pop(0))
    region = ""
    city = ""
    for part in rest:
        cleaned = _POSTCODE.sub("", part).strip(" ,")
        state = re.fullmatch(r"(.*?)\s*\b([A-Z]{2})", cleaned)
        if state and not region:
            region = state.group(2)
            cleaned = state.group(1).strip(" ,")
        if cleaned and not city:
            city = cleaned
    out = {
        "line1": streets[0][:120],
        "postal_code": postal_code[:16],
        "city": (city or streets[-1])[:80],
        "country": default_country,
    }
    if len(streets) > 1:
        out["line2"] = streets[1][:120]
    if region:
        out["region"] = region
    return out


class ApprovalService:
    """Decides approvals and runs approved actions through the tool gate."""

    def __init__(
        self,
        *,
        db: Database,
        service: ConversationService,
        gate: ToolGate | None,
        master_key: bytes | None,
    ) -> None:
        self.db = db
        self.service = service
        self.gate = gate
        self.master_key = master_key

    def decide(
        self,
        approval_id: uuid.UUID,
        *,
        approve: bool,
        actor: str,
        user_id: uuid.UUID | None,
        comment: str | None,
    ) -> Decided:
        now = _now()
        with self.db.connect_write() as conn:
            row = conn.execute(select(_APPROVALS).where(_APPROVALS.c.id == approval_id)).first()
            if row is None:
                raise ApprovalNotFound(approval_id)
            if row.status != "pending":
                raise ApprovalNotPending(approval_id, row.status)
            expires = row.expires_at
            if expires.tzinfo is None:
                expires = expires.replace(tzinfo=UTC)
            if expires <= now:
                conn.execute(
                    update(_APPROVALS)
                    .where(_APPROVALS.c.id == approval_id)
                    .values(status="expired")
                )
                status = "expired"
            else:
                status = "approved" if approve else "rejected"
                conn.execute(
                    update(_APPROVALS)
                    .where(_APPROVALS.c.id == approval_id)
                    .values(status=status, decided_by=user_id, comment=comment, decided_at=now)
                )
            SqlLedger(conn).append(
                LedgerEvent(
                    type=EventType.APPROVAL_DECIDED,
                    actor=actor,
                    subject=str(row.customer_id),
                    conversation_id=str(row.conversation_id),
                    payload={
                        "approval_id": str(approval_id),
                        "tool": row.tool,
                        "status": status,
                        "binding_sha256": row.binding_sha256,
                    },
                )
            )
            if status != "approved":
                text = (
                    "The request expired before anyone could approve it; please ask again."
                    if status == "expired"
                    else "A colleague reviewed your request and could not approve it."
                )
                self.service.append_message(
                    conn, row.conversation_id, role=Role.SYSTEM, text=text, actor="system"
                )
        if status != "approved":
            return Decided(approval_id, status, None)
        return Decided(approval_id, *self._execute(row, actor))

    def _resolve(self, customer_id: uuid.UUID, args: Mapping[str, Any]) -> dict[str, Any]:
        """Vault tokens in ``args`` replaced by the customer's sealed values."""
        if self.master_key is None:
            raise ValueError("no vault master key: sealed values cannot be resolved")
        out: dict[str, Any] = {}
        with self.db.connect_read() as conn:
            for key, value in args.items():
                if not isinstance(value, str) or not REPLACEMENT_RE.search(value):
                    out[key] = value
                    continue
                tokens = [m.group() for m in REPLACEMENT_RE.finditer(value)]
                values = reveal_tokens(conn, self.master_key, subject=customer_id, tokens=tokens)
                text = value
                for token, plain in values.items():
                    if plain is None:
                        raise ValueError(f"argument {key!r} holds a token that is not sealed")
                    text = text.replace(token, plain)
                out[key] = text
        if "address" in out:
            out.update(address_fields(str(out.pop("address"))))
        return out

    def _execute(self, row: Any, actor: str) -> tuple[str, ToolOutcome | None]:
        if self.gate is None:
            outcome = ToolOutcome(
                row.tool, "", (), "error", row.arguments_redacted, reason="no_gate"
            )
        else:
            customer_id = row.customer_id

            def resolve(args: Mapping[str, Any]) -> Mapping[str, Any]:
                return self._resolve(customer_id, args)

            outcome = self.gate.execute_approved(
                row.tool,
                customer_ref=row.customer_ref or "",
                conversation_id=str(row.conversation_id),
                arguments=row.arguments_redacted,
                approved_binding=row.binding_sha256,
                resolve=resolve,
            )
        status = "executed" if outcome.status == "ok" else "failed"
        with self.db.connect_write() as conn:
            record_tool_call(
                conn,
                conversation_id=row.conversation_id,
                customer_id=row.customer_id,
                outcome=outcome,
                approval_id=row.id,
            )
            conn.execute(
                update(_APPROVALS)
                .where(_APPROVALS.c.id == row.id)
                .values(status=status, executed_at=_now(), result=outcome.record())
            )
            SqlLedger(conn).append(
                LedgerEvent(
                    type=EventType.TOOL_CALLED,
                    actor=actor,
                    subject=str(row.customer_id),
                    conversation_id=str(row.conversation_id),
                    payload={**outcome.record(), "approval_id": str(row.id)},
                )
            )
            text = (
                "Your request was approved by a colleague and has been done."
                if status == "executed"
                else "Your request was approved, but the bank's system could not complete it. "
                "A colleague will follow up."
            )
            self.service.append_message(
                conn, row.conversation_id, role=Role.SYSTEM, text=text, actor="system"
            )
        return status, outcome
