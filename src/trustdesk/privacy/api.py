"""The one-call interface: ``scan(text)`` and ``scan_conversation(turns)``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from trustdesk.privacy.engine import PrivacyEngine
from trustdesk.types import Finding


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Findings in one text (offsets into that text) and the text with them redacted."""

    findings: tuple[Finding, ...]
    redacted: str


@dataclass(frozen=True, slots=True)
class TurnFinding:
    """A finding in one turn of a conversation."""

    turn: int
    finding: Finding


@dataclass(frozen=True, slots=True)
class ConversationScan:
    findings: tuple[TurnFinding, ...]
    redacted: tuple[str, ...]


@lru_cache(maxsize=1)
def default_engine() -> PrivacyEngine:
    """The shared engine with every built-in detector."""
    return PrivacyEngine()


def scan(text: str, *, engine: PrivacyEngine | None = None) -> ScanResult:
    """Find and redact personal data in one text."""
    result = (engine or default_engine()).redact(text)
    return ScanResult(result.findings, result.redacted_text)


def scan_conversation(
    turns: Sequence[str], *, engine: PrivacyEngine | None = None
) -> ConversationScan:
    """Find and redact personal data in each turn of a conversation."""
    found: list[TurnFinding] = []
    redacted: list[str] = []
    for i, text in enumerate(turns):
        one = scan(text, engine=engine)
        found.extend(TurnFinding(i, f) for f in one.findings)
        redacted.append(one.redacted)
    return ConversationScan(tuple(found), tuple(redacted))
