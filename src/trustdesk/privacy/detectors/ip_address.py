"""IP addresses (``IP_ADDRESS``), v4 and v6, validated by the ``ipaddress`` module.

IPv4 dotted quads score 0.6 (version strings like "1.2.3.4" look the same), IPv6
addresses 0.7; a context word ("ip", "server", ...) raises either by 0.25. An IPv6
candidate must contain at least one digit, so "::" or words like "be::ad" are ignored.
"""

from __future__ import annotations

import ipaddress
import re

from trustdesk.privacy.detectors.base import ASCII_DIGIT_RE, Detector
from trustdesk.types import Finding

IP_ADDRESS = "IP_ADDRESS"

_IPV4_RE = re.compile(
    r"(?<![0-9A-Za-z.])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?![0-9A-Za-z]|\.[0-9])",
    re.ASCII,
)
# Two to eight "group:" prefixes then an optional last group or embedded IPv4; the
# tail is possessive and every repetition bounded, so matching stays linear. Whether
# the candidate really is an address is left to ipaddress.
_IPV6_RE = re.compile(
    r"(?<![0-9A-Za-z:.])(?:[0-9A-Fa-f]{0,4}:){2,8}[0-9A-Fa-f.]*+",
    re.ASCII,
)
_WORDISH = re.compile(r"[\w:]")


class IpAddressDetector(Detector):
    """Finds IPv4 and IPv6 addresses."""

    name = "ip_address"
    entity_types = (IP_ADDRESS,)
    context_words = ("ip", "ipv4", "ipv6", "address", "server", "host", "router", "vpn")
    context_boost = 0.25
    v4_score = 0.6
    v6_score = 0.7

    def may_match(self, text: str) -> bool:
        return ":" in text or ASCII_DIGIT_RE.search(text) is not None

    def analyze(self, text: str) -> list[Finding]:
        findings = self._ipv6(text) if text.count(":") >= 2 else []
        if "." in text:
            v6_spans = [(f.start, f.end) for f in findings]
            for m in _IPV4_RE.finditer(text):
                if any(s <= m.start() and m.end() <= e for s, e in v6_spans):
                    continue  # the IPv4 tail of an IPv6 address ("::ffff:192.0.2.1")
                try:
                    ipaddress.IPv4Address(m.group())
                except ValueError:
                    continue
                findings.append(
                    self.make_finding(
                        text,
                        IP_ADDRESS,
                        m.start(),
                        m.end(),
                        self.v4_score,
                        "IPv4 pattern; ipaddress.IPv4Address",
                    )
                )
        return findings

    def _ipv6(self, text: str) -> list[Finding]:
        findings: list[Finding] = []
        for m in _IPV6_RE.finditer(text):
            if _WORDISH.match(text, m.end()):  # runs on into a word or a 9th group
                continue
            candidate = m.group().rstrip(".")
            if not any(c.isdigit() for c in candidate):
                continue
            try:
                ipaddress.IPv6Address(candidate)
            except ValueError:
                continue
            findings.append(
                self.make_finding(
                    text,
                    IP_ADDRESS,
                    m.start(),
                    m.start() + len(candidate),
                    self.v6_score,
                    "IPv6 pattern; ipaddress.IPv6Address",
                )
            )
        return findings
