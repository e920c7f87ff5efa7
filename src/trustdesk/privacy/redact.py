"""The redaction operator: replace findings with type tags. Detection happens elsewhere.

``redact("mail a@b.example", findings)`` returns ``("mail <EMAIL_ADDRESS>", spans)``
where each :class:`~trustdesk.types.RedactedSpan` gives the tag's offsets in the
*redacted* text. Findings must not overlap (the engine resolves overlaps first).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from trustdesk.types import Finding, RedactedSpan

#: Given a finding and the value it covers, the text that replaces it.
Replacer = Callable[[Finding, str], str]


def tag_for(entity_type: str) -> str:
    """The text that replaces a finding of ``entity_type``, e.g. ``<EMAIL_ADDRESS>``."""
    return f"<{entity_type}>"


def redact(
    text: str, findings: Iterable[Finding], replace: Replacer | None = None
) -> tuple[str, tuple[RedactedSpan, ...]]:
    """Replace each finding in ``text`` with its tag (or with ``replace(finding, value)``).

    Findings may come in any order but must lie within ``text`` and must not overlap;
    otherwise ``ValueError`` is raised (naming offsets, never text).
    """
    ordered = sorted(findings, key=lambda f: (f.start, f.end))
    parts: list[str] = []
    spans: list[RedactedSpan] = []
    cursor = 0  # position in the original text
    out_len = 0  # length of the redacted text built so far
    for finding in ordered:
        if finding.end > len(text):
            raise ValueError(
                f"finding [{finding.start}, {finding.end}) lies outside a text of "
                f"length {len(text)}"
            )
        if finding.start < cursor:
            raise ValueError(
                f"finding [{finding.start}, {finding.end}) overlaps the previous one; "
                "resolve overlaps before redacting"
            )
        kept = text[cursor : finding.start]
        tag = (
            tag_for(finding.entity_type)
            if replace is None
            else replace(finding, text[finding.start : finding.end])
        )
        parts.append(kept)
        parts.append(tag)
        start = out_len + len(kept)
        spans.append(RedactedSpan(finding.entity_type, start, start + len(tag), tag))
        out_len = start + len(tag)
        cursor = finding.end
    if not spans:
        return text, ()
    parts.append(text[cursor:])
    return "".join(parts), tuple(spans)
