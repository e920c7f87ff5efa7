"""The small protocols each pipeline stage implements.

The pipeline (:mod:`trustdesk.pipeline`) owns their order; each implementation is a
plain object whose method takes and returns values from :mod:`trustdesk.types`.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from trustdesk.types import (
    AgentContext,
    AgentDecision,
    EgressContext,
    GuardResult,
    PrivacyContext,
    PrivacyResult,
)


@runtime_checkable
class IngressGuard(Protocol):
    """Judges an inbound customer message before anything else sees it."""

    name: str

    def check(self, text: str) -> GuardResult: ...


@runtime_checkable
class PrivacyStage(Protocol):
    """Finds personal data and returns the text with it redacted."""

    name: str

    def redact(self, text: str, context: PrivacyContext | None = None) -> PrivacyResult:
        """Redact ``text``; ``context`` names its conversation, data subject and channel."""
        ...


@runtime_checkable
class AgentStage(Protocol):
    """Answers a redacted message, or decides to hand over to a human."""

    name: str

    def respond(self, context: AgentContext) -> AgentDecision: ...


@runtime_checkable
class EgressGuard(Protocol):
    """Judges a reply before it leaves for the customer."""

    name: str

    def check(self, reply: str, context: EgressContext) -> GuardResult: ...
