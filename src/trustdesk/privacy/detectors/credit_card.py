"""Payment card numbers (``CREDIT_CARD``): 13-19 digits, Luhn-checked.

The digits may be grouped by single spaces or dashes ("4111 1111 1111 1111",
"4111-1111-1111-1111", "3782 822463 10005", "378282246310005").

The detector first finds each *run* of digit groups joined by single spaces or
dashes. A run of 13-19 digits that passes the Luhn check (``stdnum.luhn``) is a card
number, whatever its grouping. A longer or failing run may still hold a card next to
other numbers ("4111 1111 1111 1111 123" with a CVV, "078-05-1120 4111 1111 1111
1111"); then consecutive groups of at least three digits are tried, longest first
from the left. A card number never starts with 0.
"""

from __future__ import annotations

import re

from stdnum import luhn

from trustdesk.privacy.detectors.base import ASCII_DIGIT_RE, Detector
from trustdesk.types import Finding

CREDIT_CARD = "CREDIT_CARD"

MIN_DIGITS = 13
MAX_DIGITS = 19
#: In a longer run, only groups at least this long can be part of a card number.
MIN_SUBRUN_GROUP = 3

_RUN_RE = re.compile(r"(?<![A-Za-z0-9])[0-9]+(?:[ \-][0-9]+)*(?![A-Za-z0-9])", re.ASCII)
_GROUP_RE = re.compile(r"[0-9]+", re.ASCII)
_EXPLANATION = "13-19 digit card pattern; Luhn checksum (stdnum.luhn)"


def _is_card(digits: str) -> bool:
    return MIN_DIGITS <= len(digits) <= MAX_DIGITS and digits[0] != "0" and luhn.is_valid(digits)


def card_spans(run: str) -> list[tuple[int, int]]:
    """Offsets (within ``run``) of the card numbers in one run of digit groups."""
    digits = run.replace(" ", "").replace("-", "")
    if len(digits) < MIN_DIGITS:
        return []
    if _is_card(digits):
        return [(0, len(run))]
    groups = [(m.start(), m.end()) for m in _GROUP_RE.finditer(run)]
    if len(groups) < 2:
        return []
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(groups):
        best = -1
        count = 0
        for j in range(i, len(groups)):
            start, end = groups[j]
            if end - start < MIN_SUBRUN_GROUP:
                break
            count += end - start
            if count > MAX_DIGITS:
                break
            if count >= MIN_DIGITS:
                sub = run[groups[i][0] : end].replace(" ", "").replace("-", "")
                if _is_card(sub):
                    best = j
        if best >= 0:
            spans.append((groups[i][0], groups[best][1]))
            i = best + 1
        else:
            i += 1
    return spans


class CreditCardDetector(Detector):
    """Finds card numbers that pass the Luhn check; 0.9, or 0.95 next to a context word."""

    name = "credit_card"
    entity_types = (CREDIT_CARD,)
    context_words = ("card", "visa", "mastercard", "amex", "credit", "debit")
    context_boost = 0.05
    base_score = 0.9

    def may_match(self, text: str) -> bool:
        return ASCII_DIGIT_RE.search(text) is not None

    def analyze(self, text: str) -> list[Finding]:
        findings: list[Finding] = []
        for m in _RUN_RE.finditer(text):
            if m.end() - m.start() < MIN_DIGITS:
                continue
            offset = m.start()
            for start, end in card_spans(m.group()):
                findings.append(
                    self.make_finding(
                        text,
                        CREDIT_CARD,
                        offset + start,
                        offset + end,
                        self.base_score,
                        _EXPLANATION,
                    )
                )
        return findings
