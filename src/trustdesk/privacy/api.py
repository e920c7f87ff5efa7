"""The one-call interface: ``scan(text)`` and ``scan_conversation(turns)``.

>>> from trustdesk.privacy import scan, scan_conversation
>>> scan("card 4111 1111 1111 1111").redacted
'card <CREDIT_CARD>'
>>> [f.turn for f in scan_conversation(["my card is 4111 1111", "1111 1111"]).findings]
[0, 1]

Both use type tags unless given an engine with another policy. ``scan_conversation``
treats the turns as one customer's messages in order, so a value split across them is
found in every piece (:mod:`trustdesk.privacy.split`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from trustdesk.privacy.engine import PrivacyEngine
from trustdesk.privacy.policy import Policy
from trustdesk.privacy.split import SplitValueTracker
from trustdesk.types import Finding


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Findings in one text (offsets into that text) and the text with them redacted."""

    findings: tuple[Finding, ...]
    redacted: str


@dataclass(frozen=True, slots=True)
class TurnFinding:
    """A finding in one turn of a conversation (offsets into that turn)."""

    turn: int
    finding: Finding

    def to_dict(self) -> dict[str, object]:
        f = self.finding
        return {
            "turn": self.turn,
            "start": f.start,
            "end": f.end,
            "type": f.entity_type,
            "score": round(f.score, 4),
            "detector": f.detector,
        }


@dataclass(frozen=True, slots=True)
class ConversationScan:
    findings: tuple[TurnFinding, ...]
    redacted: tuple[str, ...]


@lru_cache(maxsize=1)
def default_engine() -> PrivacyEngine:
    """The shared engine: every built-in detector, type tags."""
    return PrivacyEngine()


def scan(
    text: str, *, engine: PrivacyEngine | None = None, policy: Policy | None = None
) -> ScanResult:
    """Find and redact personal data in one text (``policy`` overrides the engine's)."""
    eng = engine or default_engine()
    if policy is None:
        result = eng.redact(text)
    else:
        result = eng.apply(text, eng.analyze(text), policy=policy)
    return ScanResult(result.findings, result.redacted_text)


def scan_conversation(
    turns: Sequence[str],
    *,
    engine: PrivacyEngine | None = None,
    policy: Policy | None = None,
) -> ConversationScan:
    """Find and redact personal data in each turn, joining values split across turns."""
    eng = engine or default_engine()
    tracker = SplitValueTracker(max_conversations=1)
    key = uuid.uuid4().hex
    per_turn: list[list[Finding]] = []
    for text in turns:
        seen = tracker.observe_detailed(key, text, eng.analyze(text))
        per_turn.append(list(seen.findings))
        for piece in seen.joined:  # retype earlier provisional pieces, now confirmed
            earlier = per_turn[piece.message]
            for i, f in enumerate(earlier):
                if f.start == piece.start and f.end == piece.end:
                    earlier[i] = Finding(
                        piece.entity_type,
                        f.start,
                        f.end,
                        0.95,
                        f.detector,
                        "piece of a value split across messages; checksum of the joined value",
                    )
    found: list[TurnFinding] = []
    redacted: list[str] = []
    for i, (text, findings) in enumerate(zip(turns, per_turn, strict=True)):
        found.extend(TurnFinding(i, f) for f in findings)
        redacted.append(eng.apply(text, findings, policy=policy).redacted_text)
    return ConversationScan(tuple(found), tuple(redacted))
