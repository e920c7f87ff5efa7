"""The privacy stage: run every detector, resolve overlaps, redact.

:class:`PrivacyEngine` implements :class:`trustdesk.stages.PrivacyStage`. Findings
below ``min_score`` are dropped first; overlapping findings are then resolved by
:func:`resolve_overlaps` (higher score wins, then the longer span, then the earlier
start) before :func:`trustdesk.privacy.redact.redact` replaces them with type tags.

Re-check: redaction shortens the text, which can bring a weak match within reach of
a context word ("call ... <CREDIT_CARD> ... 1234567"), or expose a number that lost an
overlap. So when a pass finds something, the detectors run again over the redacted
text; what they find there (outside the tags) is mapped back to the original offsets
and added, up to ``MAX_PASSES`` passes in all. Redacting the output again therefore
finds nothing new. The extra pass is cheap in the common case: once the values are
replaced by tags, few digits are left, and the phone matcher does not even run.

A detector that raises makes the whole stage raise :class:`~trustdesk.errors.StageError`
(the pipeline then fails closed); the error names the detector, never the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from trustdesk.errors import ConfigError, StageError
from trustdesk.privacy.redact import redact
from trustdesk.privacy.registry import DetectorRegistry, default_registry
from trustdesk.types import Finding, PrivacyResult, RedactedSpan, StageName

#: Detection passes at most: the first over the text, the rest over its redaction.
MAX_PASSES = 3


def _priority(finding: Finding) -> tuple[float, int, int]:
    return (-finding.score, -(finding.end - finding.start), finding.start)


def resolve_overlaps(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Keep a non-overlapping subset of ``findings``, sorted by position.

    Findings are taken greedily in priority order (higher score, then longer span,
    then earlier start); one that overlaps an already kept finding is dropped.
    Spans that merely touch (one ends where the next starts) do not overlap.
    """
    kept: list[Finding] = []
    for finding in sorted(findings, key=_priority):
        if all(finding.end <= k.start or finding.start >= k.end for k in kept):
            kept.append(finding)
    kept.sort(key=lambda f: (f.start, f.end))
    return tuple(kept)


def _shift_back(
    finding: Finding, redacted: Sequence[Finding], spans: Sequence[RedactedSpan]
) -> Finding | None:
    """``finding`` (in a redacted text) at the original text's offsets; None if it touches a tag.

    ``redacted`` are the findings that were replaced and ``spans`` their tags, in order.
    """
    shift = 0
    for original, span in zip(redacted, spans, strict=True):
        if finding.end <= span.start:
            break
        if finding.start < span.end:  # overlaps a tag: made partly of our own output
            return None
        shift += (original.end - original.start) - (span.end - span.start)
    return Finding(
        finding.entity_type,
        finding.start + shift,
        finding.end + shift,
        finding.score,
        finding.detector,
        finding.explanation,
    )


class PrivacyEngine:
    """Finds personal data with the registry's detectors and redacts it.

    The engine reads the registry on every call, so adding or removing detectors
    later takes effect at once.
    """

    name: str = StageName.PRIVACY.value

    def __init__(self, registry: DetectorRegistry | None = None, *, min_score: float = 0.5) -> None:
        if not 0.0 <= min_score <= 1.0:
            raise ConfigError(f"min_score must be within [0, 1], got {min_score}")
        self.registry = registry if registry is not None else default_registry()
        self.min_score = min_score

    def analyze(self, text: str) -> tuple[Finding, ...]:
        """Resolved findings with ``score >= min_score``, sorted by position."""
        return self._run(text)[0]

    def redact(self, text: str) -> PrivacyResult:
        """The text with every finding replaced by its type tag, plus the findings."""
        findings, redacted_text, spans = self._run(text)
        return PrivacyResult(redacted_text=redacted_text, findings=findings, spans=spans)

    def _run(self, text: str) -> tuple[tuple[Finding, ...], str, tuple[RedactedSpan, ...]]:
        if not isinstance(text, str):
            raise TypeError(f"text must be str, got {type(text).__name__}")
        findings = self._detect(text)
        if not findings:
            return (), text, ()
        redacted_text, spans = redact(text, findings)
        for _ in range(MAX_PASSES - 1):
            moved = (_shift_back(f, findings, spans) for f in self._detect(redacted_text))
            extra = [f for f in moved if f is not None]
            if not extra:
                break
            findings = resolve_overlaps((*findings, *extra))
            redacted_text, spans = redact(text, findings)
        return findings, redacted_text, spans

    def _detect(self, text: str) -> tuple[Finding, ...]:
        """One pass of every detector over ``text``, thresholded and resolved."""
        if not text:
            return ()
        candidates: list[Finding] = []
        for detector in self.registry:
            try:
                found = detector.analyze(text)
            except Exception as exc:
                raise StageError(
                    self.name, f"detector {detector.name!r} failed: {type(exc).__name__}"
                ) from exc
            candidates.extend(f for f in found if f.score >= self.min_score)
        if len(candidates) <= 1:
            return tuple(candidates)
        return resolve_overlaps(candidates)

    def __repr__(self) -> str:
        return f"PrivacyEngine(detectors={list(self.registry.names)!r}, min_score={self.min_score})"
