"""The detector contract: find spans of personal data, never rewrite text.

A :class:`Detector` looks at a text and returns :class:`~trustdesk.types.Finding`
values (type, offsets, score, who found it, and a short explanation that names the
pattern or validator, never the matched value). Redaction is a separate step
(:mod:`trustdesk.privacy.redact`), and overlap between detectors is resolved by the
engine (:mod:`trustdesk.privacy.engine`).

Context words
-------------
A detector may declare ``context_words``. When one of them occurs (case-insensitive,
at the start of a word, e.g. ``card`` matches "card" and "cardholder" but not
"discard") within ``context_window`` characters (40 by default) *before* a match, the
match's base score is raised by ``context_boost`` (capped at 1.0). Likewise, a
word of ``negative_context_words`` in the same window ("order", "invoice",
"tracking", "amount") lowers the score by ``context_penalty`` (floored at 0.0); when
both occur, both apply. Context never
finds anything by itself, but it can lift a weak match (a merely "possible" phone
number) over the engine's threshold, and a detector may require it outright (bare
nine-digit SSNs, see :class:`~trustdesk.privacy.detectors.us_ssn.UsSsnDetector`).

A word right after "<" does not count, so the tags the redactor writes
(``<PHONE_NUMBER>``) never act as context for a second pass over redacted text.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable

from trustdesk.types import Finding

#: Any ASCII digit (the gate of detectors whose patterns need one).
ASCII_DIGIT_RE = re.compile(r"[0-9]")

#: How many characters before a match are searched for context words.
DEFAULT_CONTEXT_WINDOW = 40

#: Appended to a finding's explanation when a context word raised its score.
CONTEXT_NOTE = "context word nearby"

#: Appended when a negative context word lowered its score.
NEGATIVE_CONTEXT_NOTE = "negative context word nearby"


def _words_re(words: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern matching any of ``words`` at the start of a word (longest first)."""
    cleaned = sorted({w.strip().lower() for w in words if w.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    return re.compile(
        r"(?<![\w<])(?:" + "|".join(re.escape(w) for w in cleaned) + ")", re.IGNORECASE
    )


class Detector(ABC):
    """Finds one or more types of personal data in a text.

    Subclasses set the class attributes ``name`` (unique within a registry) and
    ``entity_types`` (every ``entity_type`` their findings may carry), and implement
    :meth:`analyze`. They may set ``context_words`` and ``context_boost``. The
    constructor lets a caller override, per instance, the name (to register two
    differently configured detectors of one class), the context words and the window.
    """

    name: str
    entity_types: tuple[str, ...]
    context_words: tuple[str, ...] = ()
    context_boost: float = 0.0
    negative_context_words: tuple[str, ...] = ()
    context_penalty: float = 0.0
    context_window: int = DEFAULT_CONTEXT_WINDOW
    #: Whether the engine runs this detector again over the tagged text (the re-check
    #: pass that catches matches a context word now reaches). Detectors that read
    #: whole sentences (NER, key phrases) gain nothing there and opt out.
    rescan: bool = True
    #: Whether this detector reads the text with the other detectors' findings already
    #: replaced by type tags (``"my card is <CREDIT_CARD>, I live in Denver"``). Models
    #: that read context (NER, key phrases) see the same text the first time and when
    #: redacted output is redacted again, and cannot swallow a validated value.
    sees_masked: bool = False

    def __init__(
        self,
        *,
        name: str | None = None,
        context_words: Iterable[str] | None = None,
        context_window: int | None = None,
        negative_context_words: Iterable[str] | None = None,
    ) -> None:
        if name is not None:
            if not name:
                raise ValueError("a detector name must not be empty")
            self.name = name
        if context_words is not None:
            self.context_words = tuple(context_words)
        if context_window is not None:
            if context_window < 0:
                raise ValueError("context_window must be >= 0")
            self.context_window = context_window
        if negative_context_words is not None:
            self.negative_context_words = tuple(negative_context_words)
        self._context_re = _words_re(self.context_words)
        self._negative_re = _words_re(self.negative_context_words)

    @abstractmethod
    def analyze(self, text: str) -> list[Finding]:
        """Return the findings in ``text``; offsets index ``text``, end exclusive."""

    def may_match(self, text: str) -> bool:
        """A cheap gate: ``False`` only when :meth:`analyze` surely finds nothing in ``text``.

        The engine skips a detector whose gate is closed (in the re-check pass most
        tagged texts have no digit left, so the number detectors need not run). The
        default never closes; override it only with a test that can never be wrong.
        """
        return True

    def has_context(self, text: str, start: int) -> bool:
        """Whether a context word occurs within the window before ``start``."""
        return self._near(self._context_re, text, start)

    def has_negative_context(self, text: str, start: int) -> bool:
        """Whether a negative context word occurs within the window before ``start``."""
        return self._near(self._negative_re, text, start)

    def _near(self, pattern: re.Pattern[str] | None, text: str, start: int) -> bool:
        if pattern is None or self.context_window == 0:
            return False
        # Searching in place (not in a slice) lets the look-behind see the character
        # before the window, so a word cut by the window's edge never counts.
        pos = max(0, start - self.context_window)
        return pattern.search(text, pos, start) is not None

    def make_finding(
        self,
        text: str,
        entity_type: str,
        start: int,
        end: int,
        base_score: float,
        explanation: str,
    ) -> Finding:
        """Build a finding, raising ``base_score`` by ``context_boost`` when context is present."""
        score = base_score
        if self.context_boost and self.has_context(text, start):
            score = min(1.0, base_score + self.context_boost)
            explanation = f"{explanation}; {CONTEXT_NOTE}"
        if self.context_penalty and self.has_negative_context(text, start):
            score = max(0.0, score - self.context_penalty)
            explanation = f"{explanation}; {NEGATIVE_CONTEXT_NOTE}"
        return Finding(
            entity_type=entity_type,
            start=start,
            end=end,
            score=round(score, 4),
            detector=self.name,
            explanation=explanation,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"
