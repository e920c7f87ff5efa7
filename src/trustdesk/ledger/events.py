"""Ledger event values and the one enum of event types (``"resource.action"``)."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

GENESIS_HASH = "0" * 64


class EventType(StrEnum):
    """Every kind of event the ledger records."""

    CONVERSATION_CREATED = "conversation.created"
    CONVERSATION_CLOSED = "conversation.closed"
    CONVERSATION_ESCALATED = "conversation.escalated"
    CONVERSATION_FLAGGED = "conversation.flagged"
    MESSAGE_RECEIVED = "message.received"
    GUARD_INGRESS = "guard.ingress_checked"
    PRIVACY_REDACTED = "privacy.redacted"
    AGENT_DECIDED = "agent.decided"
    GUARD_EGRESS = "guard.egress_checked"
    REPLY_SENT = "reply.sent"
    STAGE_FAILED = "stage.failed"
    WEBHOOK_RECEIVED = "webhook.received"
    DEMO_SEEDED = "demo.seeded"
    CHECKPOINT_SIGNED = "ledger.checkpoint_signed"
    LEDGER_VERIFIED = "ledger.verified"
    AUTH_LOGIN = "auth.login"
    AUTH_LOGIN_FAILED = "auth.login_failed"
    AUTH_LOGOUT = "auth.logout"
    ACCESS_GRANTED = "access.granted"
    ACCESS_DENIED = "access.denied"
    GRANT_CREATED = "grant.created"
    GRANT_REVOKED = "grant.revoked"
    APIKEY_CREATED = "apikey.created"
    APIKEY_REVOKED = "apikey.revoked"
    USER_CREATED = "user.created"
    VAULT_REVEALED = "vault.revealed"
    DATA_VIEWED = "data.viewed"
    CONFIG_CHANGED = "config.changed"
    ALERT_RAISED = "alert.raised"
    TOOL_CALLED = "tool.called"
    APPROVAL_REQUESTED = "approval.requested"
    APPROVAL_DECIDED = "approval.decided"
    VERIFICATION_SENT = "verification.code_sent"
    VERIFICATION_SUCCEEDED = "verification.succeeded"
    VERIFICATION_FAILED = "verification.failed"
    DESK_CLAIMED = "desk.claimed"
    DESK_RESOLVED = "desk.resolved"
    AI_CORRECTED = "ai.corrected"
    CONSENT_RECORDED = "consent.recorded"


@dataclass(frozen=True, slots=True)
class LedgerEvent:
    """An event to append. ``payload`` holds redacted text or vault tokens only."""

    type: EventType
    actor: str
    subject: str | None = None
    conversation_id: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    reasons: tuple[dict[str, Any], ...] = ()
    model_versions: dict[str, str] = field(default_factory=dict)
    time: datetime = field(default_factory=lambda: datetime.now(UTC))
    event_id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """An event as stored: with its sequence number and chain hashes."""

    seq: int
    event: LedgerEvent
    prev_hash: str
    hash: str


def canonical_time(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_body(seq: int, event: LedgerEvent) -> dict[str, Any]:
    """The fields a chain hash covers, as plain JSON values."""
    return {
        "seq": seq,
        "event_id": str(event.event_id),
        "time": canonical_time(event.time),
        "type": str(event.type),
        "actor": event.actor,
        "subject": event.subject,
        "conversation_id": event.conversation_id,
        "payload": event.payload,
        "reasons": list(event.reasons),
        "model_versions": event.model_versions,
    }


def chain_hash(prev_hash: str, seq: int, event: LedgerEvent) -> str:
    """SHA-256 over the previous hash and the canonical JSON of this event."""
    body = json.dumps(
        event_body(seq, event), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(prev_hash.encode("ascii") + body.encode("utf-8")).hexdigest()
