"""Customer verification by one-time code, before the agent touches any account data.

The code never passes through the chat: the customer gives their customer number to
``POST /v1/conversations/{id}/verification``, a 6-digit code goes to the phone number
on file (:class:`CodeSender`), and the customer confirms it with
``POST /v1/conversations/{id}/verification/confirm``. So neither the customer number
nor the code reaches the AI, the transcript or the ledger.

* Only a salted SHA-256 of the code is stored (``otp_challenges``); it expires after
  :data:`CODE_TTL` and allows :data:`MAX_ATTEMPTS` tries; a new challenge replaces the
  open one. Codes are compared in constant time.
* An unknown customer number gets the same answer as a known one ("if the number
  exists, a code was sent"), so the endpoint cannot be used to probe customers.
* On success the conversation records ``authenticated_ref`` and moves to the verified
  customer as its data subject: what is said from now on belongs to them.

In demo mode the :class:`DemoSender` shows the code in the API answer and the server
log (the demo has no SMS gateway); production deployments plug in their own sender.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import Connection, insert, select, update

from trustdesk.errors import Conflict, NotFound, VerificationFailed
from trustdesk.ledger import EventType, LedgerEvent
from trustdesk.ledger.sql import SqlLedger
from trustdesk.store.db import Database
from trustdesk.store.models import (
    Conversation,
    Customer,
    DataCategory,
    OtpChallenge,
    table_of,
)

__all__ = ["CODE_TTL", "MAX_ATTEMPTS", "CodeSender", "DemoSender", "VerificationService"]

log = logging.getLogger("trustdesk.verification")

CODE_TTL = timedelta(minutes=5)
MAX_ATTEMPTS = 5
_CONV = table_of(Conversation)
_CUST = table_of(Customer)
_OTP = table_of(OtpChallenge)


class CodeSender(Protocol):
    """Delivers a one-time code to a customer's phone on file."""

    def send(self, customer_ref: str, code: str) -> str | None:
        """Send; return the code only if it may be shown (demo), else None."""


class DemoSender:
    """The demo's 'SMS': the code is logged and returned for display."""

    def send(self, customer_ref: str, code: str) -> str | None:
        log.warning("demo one-time code", extra={"customer_ref": customer_ref, "code": code})
        return code


class ConversationMissing(NotFound):
    def __init__(self, conversation_id: uuid.UUID) -> None:
        super().__init__(f"conversation {conversation_id} does not exist")


class NoOpenChallenge(Conflict):
    def __init__(self) -> None:
        super().__init__("no open verification for this conversation: request a code first")


class WrongCode(VerificationFailed):
    def __init__(self, left: int) -> None:
        super().__init__(f"the code is wrong or expired; {left} attempt(s) left")
        self.left = left


@dataclass(frozen=True, slots=True)
class Started:
    """A code was (or, for an unknown number, seemed to be) sent."""

    sent: bool
    demo_code: str | None


def _hash(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class VerificationService:
    def __init__(self, db: Database, *, tenant: str, sender: CodeSender) -> None:
        self.db = db
        self.tenant = tenant
        self.sender = sender

    def _conversation(self, conn: Connection, conversation_id: uuid.UUID) -> tuple[uuid.UUID, str]:
        row = conn.execute(
            select(_CONV.c.customer_id, _CONV.c.status).where(_CONV.c.id == conversation_id)
        ).first()
        if row is None:
            raise ConversationMissing(conversation_id)
        if row.status == "closed":
            raise Conflict(f"conversation {conversation_id} is closed")
        return row.customer_id, row.status

    def start(self, conversation_id: uuid.UUID, customer_ref: str) -> Started:
        """Send a code to the phone of ``customer_ref`` if that customer exists."""
        ref = customer_ref.strip().upper()
        with self.db.connect_write() as conn:
            subject, _ = self._conversation(conn, conversation_id)
            customer = conn.execute(
                select(_CUST.c.id).where(
                    _CUST.c.tenant == self.tenant,
                    _CUST.c.external_ref == ref,
                    _CUST.c.kind == "customer",
                )
            ).first()
            now = _now()
            conn.execute(
                update(_OTP)
                .where(_OTP.c.conversation_id == conversation_id, _OTP.c.consumed_at.is_(None))
                .values(consumed_at=now)
            )
            ledger = SqlLedger(conn)
            if customer is None:
                ledger.append(
                    LedgerEvent(
                        type=EventType.VERIFICATION_FAILED,
                        actor="customer",
                        subject=str(subject),
                        conversation_id=str(conversation_id),
                        payload={"reason": "unknown_customer_ref"},
                    )
                )
                return Started(sent=False, demo_code=None)
            code = f"{secrets.randbelow(1_000_000):06d}"
            salt = secrets.token_hex(16)
            conn.execute(
                insert(_OTP).values(
                    id=uuid.uuid4(),
                    conversation_id=conversation_id,
                    customer_id=customer.id,
                    code_sha256=_hash(salt, code),
                    salt=salt,
                    attempts=0,
                    expires_at=now + CODE_TTL,
                    data_category=str(DataCategory.IDENTITY),
                    created_at=now,
                )
            )
            ledger.append(
                LedgerEvent(
                    type=EventType.VERIFICATION_SENT,
                    actor="system",
                    subject=str(customer.id),
                    conversation_id=str(conversation_id),
                    payload={"channel": "sms", "expires_in_s": int(CODE_TTL.total_seconds())},
                )
            )
        shown = self.sender.send(ref, code)
        return Started(sent=True, demo_code=shown)

    def confirm(self, conversation_id: uuid.UUID, code: str) -> str:
        """Check the code; on success the conversation is verified. Returns the customer ref."""
        cleaned = "".join(ch for ch in code if ch.isdigit())
        with self.db.connect_write() as conn:
            subject, _ = self._conversation(conn, conversation_id)
            row = conn.execute(
                select(_OTP)
                .where(_OTP.c.conversation_id == conversation_id, _OTP.c.consumed_at.is_(None))
                .order_by(_OTP.c.created_at.desc())
                .limit(1)
            ).first()
            now = _now()
            if row is None or _aware(row.expires_at) <= now or row.attempts >= MAX_ATTEMPTS:
                raise NoOpenChallenge()
            ok = len(cleaned) == 6 and hmac.compare_digest(
                _hash(row.salt, cleaned), row.code_sha256
            )
            ledger = SqlLedger(conn)
            if not ok:
                attempts = row.attempts + 1
                values: dict[str, object] = {"attempts": attempts}
                if attempts >= MAX_ATTEMPTS:
                    values["consumed_at"] = now
                conn.execute(update(_OTP).where(_OTP.c.id == row.id).values(**values))
                ledger.append(
                    LedgerEvent(
                        type=EventType.VERIFICATION_FAILED,
                        actor="customer",
                        subject=str(row.customer_id),
                        conversation_id=str(conversation_id),
                        payload={"reason": "wrong_code", "attempts": attempts},
                    )
                )
                failed = WrongCode(MAX_ATTEMPTS - attempts)
            else:
                failed = None
                ref = conn.execute(
                    select(_CUST.c.external_ref).where(_CUST.c.id == row.customer_id)
                ).scalar_one()
                conn.execute(update(_OTP).where(_OTP.c.id == row.id).values(consumed_at=now))
                conn.execute(
                    update(_CONV)
                    .where(_CONV.c.id == conversation_id)
                    .values(
                        authenticated_ref=ref,
                        authenticated_at=now,
                        customer_id=row.customer_id,
                        updated_at=now,
                    )
                )
                ledger.append(
                    LedgerEvent(
                        type=EventType.VERIFICATION_SUCCEEDED,
                        actor="customer",
                        subject=str(row.customer_id),
                        conversation_id=str(conversation_id),
                        payload={"previous_subject": str(subject)},
                    )
                )
        if failed is not None:  # raised after the commit, so the attempt is counted
            raise failed
        return str(ref)
