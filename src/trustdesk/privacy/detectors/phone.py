"""Telephone numbers (``PHONE_NUMBER``) via ``phonenumbers.PhoneNumberMatcher``.

Scoring: a number ``phonenumbers`` considers *valid* for its region scores 0.7; one
that is only *possible* (right length, unknown or unassigned range, e.g. a fictional
number in a range the metadata does not list) scores 0.4, which is below the engine's
default threshold of 0.5 unless a context word ("phone", "call", ...) is near. Phone
scores stay below card and IBAN scores, so the engine's overlap resolution never
lets a phone finding win over a card number or IBAN.

``phonenumbers`` is comparatively slow, so a text never reaches it unless it holds a
run of seven digits (no phone number anywhere has fewer, country code included) with
at most four separators between neighbouring digits: spaces, punctuation or "x"
(a superset of what ``phonenumbers`` accepts between digit groups).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import phonenumbers

from trustdesk.privacy.detectors.base import Detector
from trustdesk.types import Finding

PHONE_NUMBER = "PHONE_NUMBER"

#: Fewer digits than this in the whole text and the matcher is not run.
MIN_DIGITS = 7

# Unicode-aware on purpose: phonenumbers also reads full-width and other script digits.
_DIGIT_RE = re.compile(r"\d")
#: Seven digits, each at most four separators from the last: a candidate can hold a number.
_RUN_RE = re.compile(rf"\d(?:[\Wx]{{0,4}}\d){{{MIN_DIGITS - 1}}}", re.IGNORECASE)


class PhoneDetector(Detector):
    """Finds phone numbers; ``region`` is the default region for numbers without "+"."""

    name = "phone"
    entity_types = (PHONE_NUMBER,)
    context_words = (
        "phone",
        "call",
        "tel",
        "telephone",
        "mobile",
        "cell",
        "number",
        "text me",
        "reach",
        "fax",
        "whatsapp",
        "contact",
    )
    context_boost = 0.15
    valid_score = 0.7
    possible_score = 0.4

    def __init__(
        self,
        region: str = "US",
        *,
        max_tries: int = 65,
        name: str | None = None,
        context_words: Iterable[str] | None = None,
        context_window: int | None = None,
    ) -> None:
        super().__init__(name=name, context_words=context_words, context_window=context_window)
        self.region = region
        self.max_tries = max_tries

    def may_match(self, text: str) -> bool:
        return _DIGIT_RE.search(text) is not None

    def analyze(self, text: str) -> list[Finding]:
        if len(_DIGIT_RE.findall(text)) < MIN_DIGITS or _RUN_RE.search(text) is None:
            return []
        findings: list[Finding] = []
        matcher = phonenumbers.PhoneNumberMatcher(
            text, self.region, leniency=phonenumbers.Leniency.POSSIBLE, max_tries=self.max_tries
        )
        for match in matcher:
            if phonenumbers.is_valid_number(match.number):
                score, explanation = self.valid_score, "phonenumbers: valid number"
            else:
                score, explanation = self.possible_score, "phonenumbers: possible number"
            findings.append(
                self.make_finding(text, PHONE_NUMBER, match.start, match.end, score, explanation)
            )
        return findings
