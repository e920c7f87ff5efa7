"""International bank account numbers (``IBAN_CODE``), checked with ``stdnum.iban``.

Accepted forms: compact ("DE89370400440532013000") or grouped in fours by single
spaces ("DE89 3704 0044 0532 0130 00"); letters may be lower case. The mod-97 check
and the per-country structure check in ``stdnum.iban.is_valid`` make false positives
rare, so a valid IBAN scores 0.95.
"""

from __future__ import annotations

import re

from stdnum import iban

from trustdesk.privacy.detectors.base import ASCII_DIGIT_RE, Detector
from trustdesk.types import Finding

IBAN_CODE = "IBAN_CODE"

# Country code, two check digits, then up to 30 alphanumerics (IBANs are at most 34
# characters), either grouped by four or compact.
_IBAN_RE = re.compile(
    r"(?<![A-Za-z0-9])"
    r"[A-Za-z]{2}[0-9]{2}"
    r"(?:(?:\ [A-Za-z0-9]{4}){2,7}(?:\ [A-Za-z0-9]{1,4})?|[A-Za-z0-9]{11,30})"
    r"(?![A-Za-z0-9])",
    re.ASCII,
)


class IbanDetector(Detector):
    """Finds IBANs that pass ``stdnum.iban.is_valid``."""

    name = "iban"
    entity_types = (IBAN_CODE,)
    context_words = ("iban", "account", "bank", "transfer", "wire")
    context_boost = 0.05
    base_score = 0.95

    def may_match(self, text: str) -> bool:
        return ASCII_DIGIT_RE.search(text) is not None

    def analyze(self, text: str) -> list[Finding]:
        findings: list[Finding] = []
        for m in _IBAN_RE.finditer(text):
            end = self._valid_end(m.group())
            if end:
                findings.append(
                    self.make_finding(
                        text,
                        IBAN_CODE,
                        m.start(),
                        m.start() + end,
                        self.base_score,
                        "IBAN pattern; mod-97 and country format (stdnum.iban)",
                    )
                )
        return findings

    @staticmethod
    def _valid_end(candidate: str) -> int:
        """Length of the longest valid IBAN prefix of ``candidate`` (0 if none).

        A grouped IBAN followed by a word of four capitals or digits ("... 7034 HELP")
        swallows that word; dropping trailing groups one at a time recovers it.
        """
        while True:
            if iban.is_valid(candidate):
                return len(candidate)
            cut = candidate.rfind(" ")
            if cut < 0 or candidate.count(" ") <= 2:
                return 0
            candidate = candidate[:cut]
