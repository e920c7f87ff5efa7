"""US social security numbers (``US_SSN``), checked with ``stdnum.us.ssn``.

Formats: ``ddd-dd-dddd`` (0.85) and ``ddd dd dddd`` (0.75), each raised by 0.1 next
to a context word; a bare nine-digit number only counts when a context word ("ssn",
"social security", ...) precedes it within the context window (0.7). A match that
continues a longer number grouped the same way ("123-45-6789-01") is not an SSN.

Numbers ``stdnum.us.ssn.is_valid`` rejects for their structure (area 000, 666 or
9xx, group 00, serial 0000) are never reported. ``stdnum`` also rejects a short list
of numbers that were published in advertising (e.g. 078-05-1120, printed on sample
wallet cards and then used by thousands of people as their own). Those are still
SSN-shaped personal data in a customer message, so they are reported, with a score
0.1 lower and an explanation saying so.
"""

from __future__ import annotations

import re

from stdnum.us import ssn

from trustdesk.privacy.detectors.base import ASCII_DIGIT_RE, Detector
from trustdesk.types import Finding

US_SSN = "US_SSN"

_SSN_RE = re.compile(
    r"(?<![A-Za-z0-9])"
    r"(?P<area>[0-9]{3})(?P<sep>[ \-]?)(?P<group>[0-9]{2})(?P=sep)(?P<serial>[0-9]{4})"
    r"(?![A-Za-z0-9])",
    re.ASCII,
)
_DIGITS = frozenset("0123456789")


def _continues(text: str, start: int, end: int, seps: str) -> bool:
    """Whether the match is part of a longer number: "digit+sep" before or "sep+digit" after."""
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    return (len(before) == 2 and before[0] in _DIGITS and before[1] in seps) or (
        len(after) == 2 and after[0] in seps and after[1] in _DIGITS
    )


def _plausible(area: str, group: str, serial: str) -> bool:
    """The structural rules stdnum applies, without its list of published numbers."""
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


class UsSsnDetector(Detector):
    """Finds US SSNs; bare nine-digit numbers need a context word."""

    name = "us_ssn"
    entity_types = (US_SSN,)
    context_words = ("ssn", "social security", "social sec", "ss#", "ss #", "ss no")
    context_boost = 0.1
    dashed_score = 0.85
    spaced_score = 0.75
    bare_score = 0.7
    published_penalty = 0.1

    def may_match(self, text: str) -> bool:
        return ASCII_DIGIT_RE.search(text) is not None

    def analyze(self, text: str) -> list[Finding]:
        findings: list[Finding] = []
        for m in _SSN_RE.finditer(text):
            area, sep, group, serial = m.group("area", "sep", "group", "serial")
            if not _plausible(area, group, serial):
                continue
            # "123-45-6789" may sit next to other numbers ("078-05-1120 4111 ..."), but
            # not inside a longer number grouped the same way; a bare one stands alone.
            if _continues(text, m.start(), m.end(), sep or " -"):
                continue
            if sep == "-":
                score = self.dashed_score
            elif sep == " ":
                score = self.spaced_score
            elif self.has_context(text, m.start()):
                score = self.bare_score - self.context_boost  # make_finding adds it back
            else:
                continue
            explanation = "SSN pattern; stdnum.us.ssn"
            if not ssn.is_valid(area + group + serial):
                score -= self.published_penalty
                explanation = "SSN pattern; published sample number (stdnum.us.ssn)"
            findings.append(self.make_finding(text, US_SSN, m.start(), m.end(), score, explanation))
        return findings
