"""Web addresses (``URL``): ``http(s)://`` and ``www.`` URLs, and bare domain names.

* A URL with a scheme (``https://example.com/a?b=1``, ``ftp://...``) or starting with
  ``www.`` scores 0.9, whatever its top-level domain.
* A bare domain name (``example.com``, ``shop.example.org/returns``,
  ``ClickPhobia.com.br``) counts when its top-level domain is a known generic one
  (0.75), or a two-letter country code under a second-level label such as ``com`` or
  ``co`` (``.com.br``, ``.co.uk``: 0.75), or a country code alone (0.6) unless that
  code is also a common short word or file extension ("end.so", "main.py", "it.is").

The domain of an e-mail address is never a URL: a name right after "@" or right
before it is skipped (the e-mail detector reports the whole address). Trailing
punctuation ("see example.com." / "(https://example.com)") is not part of the URL; a
closing parenthesis is kept when the URL opened one.
"""

from __future__ import annotations

import re

from trustdesk.privacy.detectors.base import Detector
from trustdesk.types import Finding

URL = "URL"

_SCHEME_RE = re.compile(
    r"(?<![\w@.-])(?:(?:https?|ftp)://|www\.)[^\s<>\"'`]+",
    re.IGNORECASE,
)
_BARE_RE = re.compile(
    r"(?<![\w@.\-/:])"
    r"(?P<host>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?P<tld>[a-z]{2,24}))"
    r"(?![\w@-]|\.[a-z0-9])"
    r"(?P<path>[/?#][^\s<>\"'`]*)?",
    re.IGNORECASE,
)
# Cheap gate: a dot between a letter/digit and a letter, or a scheme.
_GATE_RE = re.compile(r"[a-z0-9-]\.[a-z]|://", re.IGNORECASE)
_TRAILING = ".,;:!?'\")]}>*"

_GENERIC_TLDS = frozenset(
    """
    com net org edu gov mil int info biz name pro mobi asia tel travel jobs cat coop aero
    io ai app dev co me tv xyz online site shop store tech blog cloud email club live news
    media agency company world life today space website link page art design studio
    health bank insurance finance money law legal global group solutions services support
    systems network digital market academy center expert guru ninja rocks social team
    """.split()
)
# Second-level labels under a country code: .com.br, .co.uk, .org.au, .gov.uk ...
_SECOND_LEVEL = frozenset("com co org net gov edu ac ltd plc nhs sch gob".split())
# Country codes that are also everyday words or file extensions; bare, they need a
# scheme, "www." or a second-level label.
_AMBIGUOUS_CC = frozenset(
    """
    am an as at be by do go he hi id if in is it me my no of on or pm so to up us we
    py rs md sh pl ps cs ml mm tk ms
    """.split()
)


def _trim(url: str) -> str:
    """``url`` without trailing punctuation; a ")" stays when the URL opened a "("."""
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


class UrlDetector(Detector):
    """Finds URLs and bare domain names, not e-mail domains."""

    name = "url"
    entity_types = (URL,)
    scheme_score = 0.9
    generic_score = 0.75
    country_score = 0.6

    def may_match(self, text: str) -> bool:
        return _GATE_RE.search(text) is not None

    def analyze(self, text: str) -> list[Finding]:
        if _GATE_RE.search(text) is None:
            return []
        findings: list[Finding] = []
        taken: list[tuple[int, int]] = []
        for m in _SCHEME_RE.finditer(text):
            url = _trim(m.group())
            if "." not in url or url.endswith("://"):
                continue
            start, end = m.start(), m.start() + len(url)
            if text[end : end + 1] == "@":
                continue
            taken.append((start, end))
            findings.append(
                Finding(URL, start, end, self.scheme_score, self.name, "URL with scheme or www.")
            )
        for m in _BARE_RE.finditer(text):
            start = m.start()
            if any(a <= start < b for a, b in taken):
                continue
            labels = m.group("host").lower().split(".")
            tld = labels[-1]
            if tld in _GENERIC_TLDS:
                score, why = self.generic_score, "domain name; generic top-level domain"
            elif len(tld) == 2 and len(labels) >= 3 and labels[-2] in _SECOND_LEVEL:
                score, why = self.generic_score, "domain name; country code domain"
            elif len(tld) == 2 and tld not in _AMBIGUOUS_CC and len(labels[-2]) >= 2:
                score, why = self.country_score, "domain name; country code domain"
            else:
                continue
            if labels[-2].isdigit():
                continue  # "3.com" is a sentence typo far more often than a host
            end = start + len(_trim(m.group()))
            if end <= start:
                continue
            findings.append(Finding(URL, start, end, score, self.name, why))
        return findings
