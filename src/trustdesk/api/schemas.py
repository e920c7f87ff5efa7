"""Request and response bodies of the public API."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ConsentChoices(BaseModel):
    """A customer's consent choices; a purpose left out is not changed (never implied)."""

    model_config = ConfigDict(extra="forbid")

    recording: bool | None = Field(None, description="Keep the (redacted) transcript.")
    improve_ai: bool | None = Field(
        None, description="Use the conversation to train or evaluate the AI."
    )

    def given(self) -> dict[str, bool]:
        return {k: v for k, v in self.model_dump().items() if v is not None}


class CreateConversation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Literal["web", "api"] = Field("api", description="Where the customer writes from.")
    mode: Literal["ai", "human"] = Field(
        "ai", description="Who answers: the AI agent, or a human from the start."
    )
    consent: ConsentChoices | None = Field(
        None, description="Consent choices made when starting (recorded, append-only)."
    )


class ConversationCreated(BaseModel):
    id: str
    status: str
    mode: str
    channel: str
    created_at: str
    consent: dict[str, bool] = Field(default_factory=dict)


class PostMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        description="The customer's message. At most `api.max_message_bytes` UTF-8 bytes.",
        max_length=1_048_576,
    )


class FindingOut(BaseModel):
    type: str = Field(description="Entity type, e.g. CREDIT_CARD.")
    start: int = Field(description="Start offset in the redacted text.")
    end: int = Field(description="End offset (exclusive) in the redacted text.")
    detector: str
    score: float


class ReasonOut(BaseModel):
    code: str
    message: str
    source: str | None = None
    score: float | None = None
    threshold: float | None = None


class VerdictOut(BaseModel):
    stage: str
    verdict: str
    score: float
    latency_ms: float
    reasons: list[ReasonOut]


class ReplyOut(BaseModel):
    id: str
    role: str = Field(description="`ai` for the agent, `system` for safe or hand-over replies.")
    text: str
    intent: str | None = None
    confidence: float | None = None
    citation: str | None = Field(None, description="Knowledge article the answer came from.")


class MessageAccepted(BaseModel):
    conversation_id: str
    message_id: str
    redacted_text: str = Field(description="The message as stored: personal data replaced.")
    redacted: bool
    findings: list[FindingOut]
    reply: ReplyOut
    escalated: bool
    escalation_reason: str | None = None
    status: str
    mode: str
    verdicts: list[VerdictOut]


class WebhookMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    conversation: str = Field(
        min_length=1,
        max_length=128,
        pattern=r"^[A-Za-z0-9._:-]+$",
        description="The platform's own conversation id.",
    )
    text: str = Field(max_length=1_048_576)
