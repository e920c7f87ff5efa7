"""E-mail addresses (``EMAIL_ADDRESS``), found by a bounded regular expression."""

from __future__ import annotations

import re

from trustdesk.privacy.detectors.base import Detector
from trustdesk.types import Finding

EMAIL_ADDRESS = "EMAIL_ADDRESS"

# local@label.label.tld: the local part starts with an alphanumeric, each domain label
# is 1-63 characters not starting or ending with "-", the TLD is 2-63 letters. Every
# repetition is bounded or unambiguous, so matching stays linear.
_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+\-])"
    r"[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}"
    r"@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}"
    r"(?![A-Za-z0-9\-])",
    re.ASCII,
)


class EmailDetector(Detector):
    """Finds e-mail addresses; a well-formed address scores 0.9."""

    name = "email"
    entity_types = (EMAIL_ADDRESS,)
    base_score = 0.9

    def may_match(self, text: str) -> bool:
        return "@" in text

    def analyze(self, text: str) -> list[Finding]:
        if "@" not in text:
            return []
        return [
            self.make_finding(
                text, EMAIL_ADDRESS, m.start(), m.end(), self.base_score, "e-mail address pattern"
            )
            for m in _EMAIL_RE.finditer(text)
        ]
