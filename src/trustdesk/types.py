"""Frozen values that cross stage boundaries.

Every stage of the pipeline takes and returns these plain values, so each stage
runs alone in a test, from the CLI or in a batch job. None of them ever carries a
raw personal value next to its type: a :class:`Finding` holds offsets into the
text it was found in, never the matched substring.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    """What a stage decided about a message.

    ``allow`` lets it pass, ``review`` lets it pass under restrictions with a human
    notified, ``block`` stops it, ``error`` means the stage could not decide (the
    pipeline then fails closed).
    """

    ALLOW = "allow"
    REVIEW = "review"
    BLOCK = "block"
    ERROR = "error"


class StageName(StrEnum):
    """The stages of one turn, in pipeline order."""

    INGRESS_GUARD = "ingress_guard"
    PRIVACY = "privacy"
    AGENT = "agent"
    EGRESS_GUARD = "egress_guard"


class Role(StrEnum):
    """Who wrote a message in a conversation."""

    CUSTOMER = "customer"
    AI = "ai"
    HUMAN = "human"
    SYSTEM = "system"


class ConversationMode(StrEnum):
    """Who answers the customer: the AI agent or a human."""

    AI = "ai"
    HUMAN = "human"


class ConversationStatus(StrEnum):
    OPEN = "open"
    ESCALATED = "escalated"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Reason:
    """One explainable cause of a verdict: which rule or detector, which score, which threshold."""

    code: str
    message: str
    source: str | None = None
    score: float | None = None
    threshold: float | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.source is not None:
            data["source"] = self.source
        if self.score is not None:
            data["score"] = round(self.score, 4)
        if self.threshold is not None:
            data["threshold"] = self.threshold
        return data


@dataclass(frozen=True, slots=True)
class Finding:
    """A span of personal data found in a text: type, offsets, score, and who found it.

    ``start``/``end`` index the text the detector was given (end exclusive). The value
    itself is never stored here.
    """

    entity_type: str
    start: int
    end: int
    score: float
    detector: str
    explanation: str = ""

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score {self.score} outside [0, 1]")

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.entity_type,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 4),
            "detector": self.detector,
        }


@dataclass(frozen=True, slots=True)
class GuardResult:
    """The verdict of a guard (ingress or egress) with a score in [0, 1] and its reasons."""

    verdict: Verdict
    score: float
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class RedactedSpan:
    """Where a finding landed in the redacted text, and what replaced it."""

    entity_type: str
    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class PrivacyContext:
    """Where a text comes from: its conversation, data subject and channel."""

    conversation_id: str | None = None
    subject: str | None = None
    channel: str = "chat"


@dataclass(frozen=True, slots=True)
class SealedValue:
    """A raw value to be sealed in the vault under ``token`` (never logged or stored plain).

    The privacy stage returns these for values its policy encrypts; whoever stores the
    redacted text stores them, encrypted under the data subject's key, in the same
    transaction, so that the token can be revealed later by an authorized person.
    """

    token: str
    entity_type: str
    value: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class PrivacyResult:
    """Output of the privacy stage: the redacted text and what was found in the original."""

    redacted_text: str
    findings: tuple[Finding, ...]
    spans: tuple[RedactedSpan, ...] = ()
    sealed: tuple[SealedValue, ...] = ()

    @property
    def redacted(self) -> bool:
        return bool(self.findings)


@dataclass(frozen=True, slots=True)
class Turn:
    """One earlier message of a conversation, as the agent may see it (redacted)."""

    role: Role
    text: str
    intent: str | None = None


@dataclass(frozen=True, slots=True)
class AgentContext:
    """What the agent is given for one turn. ``text`` is already redacted."""

    conversation_id: str
    text: str
    history: tuple[Turn, ...] = ()
    customer_id: str | None = None
    tools_allowed: bool = True
    #: The bank customer reference this conversation was verified as (one-time code).
    customer_ref: str | None = None


@dataclass(frozen=True, slots=True)
class ToolOutcome:
    """What one tool call did. ``data`` holds only the fields the token allowed.

    ``status``: ``ok``, ``denied`` (the backend refused), ``error``,
    ``approval_required`` (an account change: a human must approve the exact call,
    bound by ``binding``), ``unauthenticated`` (the customer is not verified yet).
    """

    tool: str
    scope: str
    fields: tuple[str, ...]
    status: str
    arguments: Mapping[str, Any] = field(default_factory=dict)
    data: Any = None
    status_code: int | None = None
    reason: str | None = None
    binding: str | None = None

    def record(self) -> dict[str, Any]:
        """A ledger-safe summary: no returned data; arguments are tokens, never values."""
        out: dict[str, Any] = {
            "tool": self.tool,
            "scope": self.scope,
            "fields": list(self.fields),
            "status": self.status,
            "arguments": dict(self.arguments),
        }
        if self.status_code is not None:
            out["status_code"] = self.status_code
        if self.reason:
            out["reason"] = self.reason
        if self.binding:
            out["binding_sha256"] = self.binding
        return out


@dataclass(frozen=True, slots=True)
class AgentDecision:
    """The agent's answer with its intent, confidence and the reasons behind it."""

    reply: str
    intent: str | None
    confidence: float
    escalate: bool
    reasons: tuple[Reason, ...] = ()
    citation: str | None = None
    suggestion: str | None = None
    model: str = "unknown"
    #: Tools the agent called this turn (or asked to call: ``approval_required``).
    tool_calls: tuple[ToolOutcome, ...] = ()
    #: The agent needs the customer verified (one-time code) before it can act.
    needs_verification: bool = False
    #: The next-best intents and their confidences, for the explanation record.
    alternatives: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class EgressContext:
    """What the egress guard knows about the conversation a reply is going to.

    ``own_values`` holds the normalized identifiers that belong to the conversation's
    authenticated customer (their own card's last digits, their e-mail, ...); any other
    identifier in a reply is a leak.
    """

    conversation_id: str
    own_values: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class StageRecord:
    """What the pipeline records for one stage of one turn: verdict, reasons, latency."""

    stage: StageName
    verdict: Verdict
    score: float
    reasons: tuple[Reason, ...]
    latency_ms: float

    def reasons_json(self) -> list[dict[str, Any]]:
        return [r.to_dict() for r in self.reasons]
