"""The privacy stage: run every detector, resolve overlaps, apply the policy's operators.

:class:`PrivacyEngine` implements :class:`trustdesk.stages.PrivacyStage`. One call:

1. **Detect** with every registered detector over the text and, when the transcript
   normalizer changed something ("four one one one ..." → "4111 ..."), over the
   normalized text too; findings there are mapped back to the original characters.
   Findings below ``min_score`` are dropped, and so are findings inside text an
   operator wrote earlier (``<PERSON_7f3a91c2>``), so redacting twice changes nothing.
2. **Resolve overlaps** (:func:`resolve_overlaps`): higher score wins, then the longer
   span, then the earlier start.
3. **Re-check**: redaction shortens the text, which can bring a weak match within
   reach of a context word, or expose a number that lost an overlap. So when a pass
   finds something, the detectors run again over the tagged text; what they find
   there (outside the tags) is mapped back and added, up to ``MAX_PASSES`` in all.
4. **Split values**: with a conversation context, the
   :class:`~trustdesk.privacy.split.SplitValueTracker` joins digits spread over
   several customer messages (a card number in three pieces) and marks every piece.
5. **Operators**: the policy (:mod:`trustdesk.privacy.policy`) picks, per type and
   channel, tag / mask / keep_last / pseudonymize / encrypt / keep. Values to encrypt
   come back as :class:`~trustdesk.types.SealedValue` for the caller to seal in the
   vault in the same transaction as the redacted text.

A detector that raises makes the whole stage raise :class:`~trustdesk.errors.StageError`
(the pipeline then fails closed); the error names the detector, never the text.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from trustdesk.errors import ConfigError, StageError
from trustdesk.privacy.operators import REPLACEMENT_RE, Action, pseudonym
from trustdesk.privacy.policy import TAG, Policy
from trustdesk.privacy.redact import redact
from trustdesk.privacy.registry import DetectorRegistry, default_registry
from trustdesk.privacy.split import SplitValueTracker
from trustdesk.types import (
    Finding,
    PrivacyContext,
    PrivacyResult,
    RedactedSpan,
    SealedValue,
    StageName,
)

#: Detection passes at most: the first over the text, the rest over its redaction.
MAX_PASSES = 3

#: Appended to the explanation of a finding made on the normalized transcript.
SPOKEN_NOTE = "spoken form"

#: A policy that replaces every finding with its type tag (the engine's default).
TAG_ALL = Policy(default=TAG)


class NormalizedText(Protocol):
    """What a transcript normalizer returns (see :mod:`trustdesk.privacy.transcript`)."""

    @property
    def text(self) -> str: ...

    @property
    def changed(self) -> bool: ...

    def to_original(self, start: int, end: int) -> tuple[int, int]: ...


Normalizer = Callable[[str], NormalizedText]


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


_SPACES = re.compile(r"\s+")


def _fold(term: str) -> str:
    """A term for allow-list comparison: case-folded, spacing collapsed, trimmed."""
    return _SPACES.sub(" ", term.casefold()).strip()


def _default_normalizer() -> Normalizer | None:
    try:
        from trustdesk.privacy.transcript import normalize_transcript
    except ImportError:  # pragma: no cover - the module ships with the package
        return None
    return normalize_transcript


class PrivacyEngine:
    """Finds personal data with the registry's detectors and applies the policy.

    ``policy`` defaults to :data:`TAG_ALL` (type tags). ``pseudonym_key`` keys the
    HMAC of pseudonyms and encrypted-value tokens; without one, a random key is made
    per engine (tokens are then consistent only within this process). The engine
    reads the registry on every call, so adding or removing detectors later takes
    effect at once. Thread-safe.
    """

    name: str = StageName.PRIVACY.value

    def __init__(
        self,
        registry: DetectorRegistry | None = None,
        *,
        min_score: float = 0.5,
        policy: Policy | None = None,
        pseudonym_key: bytes | None = None,
        normalizer: Normalizer | None | bool = True,
        tracker: SplitValueTracker | None = None,
        allow_terms: Iterable[str] = (),
    ) -> None:
        if not 0.0 <= min_score <= 1.0:
            raise ConfigError(f"min_score must be within [0, 1], got {min_score}")
        if pseudonym_key is not None and len(pseudonym_key) < 16:
            raise ConfigError("pseudonym_key must be at least 16 bytes")
        self.registry = registry if registry is not None else default_registry()
        self.min_score = min_score
        self.policy = policy if policy is not None else TAG_ALL
        self._key = pseudonym_key if pseudonym_key is not None else secrets.token_bytes(32)
        if normalizer is True:
            self.normalizer: Normalizer | None = _default_normalizer()
        elif normalizer is False:
            self.normalizer = None
        else:
            self.normalizer = normalizer
        self.tracker = tracker if tracker is not None else SplitValueTracker()
        #: Findings whose whole text is one of these (folded) are dropped: brand names.
        self.allow_terms: frozenset[str] = frozenset(
            folded for term in allow_terms if (folded := _fold(term))
        )

    # -- public -------------------------------------------------------------------------

    def analyze(self, text: str) -> tuple[Finding, ...]:
        """Resolved findings with ``score >= min_score``, sorted by position."""
        return self._findings(text)

    def redact(self, text: str, context: PrivacyContext | None = None) -> PrivacyResult:
        """The text with every finding replaced by its policy's operator, plus the findings.

        With a ``context`` naming a conversation, values split across that
        conversation's messages are joined (see :mod:`trustdesk.privacy.split`).
        """
        findings = self._findings(text)
        if context is not None and context.conversation_id is not None:
            findings = self.tracker.observe(context.conversation_id, text, findings)
        return self.apply(text, findings, channel=context.channel if context else "chat")

    def apply(
        self,
        text: str,
        findings: Sequence[Finding],
        *,
        channel: str = "chat",
        policy: Policy | None = None,
    ) -> PrivacyResult:
        """Apply the policy's (or ``policy``'s) operators to non-overlapping ``findings``."""
        if not findings:
            return PrivacyResult(redacted_text=text, findings=())
        sealed: dict[str, SealedValue] = {}
        policy = policy if policy is not None else self.policy
        key = self._key

        def replace(finding: Finding, value: str) -> str:
            op = policy.operator(finding.entity_type, channel)
            out = op.apply(finding.entity_type, value, key)
            if op.action is Action.ENCRYPT and out not in sealed:
                sealed[out] = SealedValue(out, finding.entity_type, value)
            return out

        redacted_text, spans = redact(text, findings, replace)
        return PrivacyResult(
            redacted_text=redacted_text,
            findings=tuple(findings),
            spans=spans,
            sealed=tuple(sealed.values()),
        )

    def forget_conversation(self, conversation_id: str) -> None:
        """Drop what the split-value tracker keeps for a closed conversation."""
        self.tracker.forget(conversation_id)

    def token_for(self, entity_type: str, value: str) -> str:
        """The pseudonym token this engine gives ``value`` (for lookups by value)."""
        return pseudonym(self._key, entity_type, value)

    # -- detection ----------------------------------------------------------------------

    def _findings(self, text: str) -> tuple[Finding, ...]:
        if not isinstance(text, str):
            raise TypeError(f"text must be str, got {type(text).__name__}")
        findings = self._detect(text)
        if not findings:
            return ()
        tagged, spans = redact(text, findings)
        for _ in range(MAX_PASSES - 1):
            moved = (_shift_back(f, findings, spans) for f in self._detect(tagged, rescan=True))
            extra = [f for f in moved if f is not None]
            if not extra:
                break
            findings = resolve_overlaps((*findings, *extra))
            tagged, spans = redact(text, findings)
        if self.allow_terms:
            allowed = self.allow_terms
            findings = tuple(f for f in findings if _fold(text[f.start : f.end]) not in allowed)
        return findings

    def _run_detectors(self, text: str, *, masked: bool, rescan: bool = False) -> list[Finding]:
        found: list[Finding] = []
        threshold = self.min_score
        for detector in self.registry:
            if detector.sees_masked is not masked or (rescan and not detector.rescan):
                continue
            if rescan and not detector.may_match(text):
                continue  # e.g. no digit left outside the tags: nothing to re-check
            try:
                result = detector.analyze(text)
            except Exception as exc:
                raise StageError(
                    self.name, f"detector {detector.name!r} failed: {type(exc).__name__}"
                ) from exc
            found.extend(f for f in result if f.score >= threshold)
        return found

    def _detect(self, text: str, *, rescan: bool = False) -> tuple[Finding, ...]:
        """One pass of every detector over ``text`` (and its normalized form), resolved.

        ``rescan`` marks the re-check pass over tagged text: detectors that opted out
        (``Detector.rescan``) are skipped, and so is the transcript normalizer.
        """
        if not text:
            return ()
        plain = self._unprotected(text, self._plain_candidates(text, rescan=rescan))
        if len(plain) > 1:
            plain = list(resolve_overlaps(plain))
        # Context readers see the text with the plain findings already tagged.
        if plain:
            plain.sort(key=lambda f: (f.start, f.end))
            view, spans = redact(text, plain)
            moved = (
                _shift_back(f, plain, spans)
                for f in self._run_detectors(view, masked=True, rescan=rescan)
            )
            context = [f for f in moved if f is not None]
        else:
            context = self._run_detectors(text, masked=True, rescan=rescan)
        candidates = plain + self._unprotected(text, context)
        if len(candidates) > 1:
            candidates = list(resolve_overlaps(candidates))
        if context and not rescan:
            # A context reader's own tags change the context it reads ("<PERSON>\nAaa"):
            # read the tagged text again until nothing new appears, so that redacting
            # the output again finds nothing (idempotence).
            for _ in range(MAX_PASSES - 1):
                candidates.sort(key=lambda f: (f.start, f.end))
                view, spans = redact(text, candidates)
                moved = (
                    _shift_back(f, candidates, spans)
                    for f in self._run_detectors(view, masked=True)
                )
                extra = self._unprotected(text, [f for f in moved if f is not None])
                if not extra:
                    break
                candidates = list(resolve_overlaps((*candidates, *extra)))
        return tuple(candidates)

    @staticmethod
    def _unprotected(text: str, candidates: list[Finding]) -> list[Finding]:
        """``candidates`` minus those inside text an operator wrote."""
        if candidates and "<" in text:
            protected = [m.span() for m in REPLACEMENT_RE.finditer(text)]
            if protected:
                return [
                    f for f in candidates if all(f.end <= s or f.start >= e for s, e in protected)
                ]
        return candidates

    def _plain_candidates(self, text: str, *, rescan: bool) -> list[Finding]:
        """Pattern detectors over ``text`` and over its normalized transcript form."""
        candidates = self._run_detectors(text, masked=False, rescan=rescan)
        if self.normalizer is not None and not rescan:
            try:
                normalized = self.normalizer(text)
            except Exception as exc:
                raise StageError(
                    self.name, f"transcript normalizer failed: {type(exc).__name__}"
                ) from exc
            if normalized.changed:
                for f in self._run_detectors(normalized.text, masked=False):
                    start, end = normalized.to_original(f.start, f.end)
                    if 0 <= start < end <= len(text):
                        note = f"{f.explanation}; {SPOKEN_NOTE}" if f.explanation else SPOKEN_NOTE
                        candidates.append(
                            Finding(f.entity_type, start, end, f.score, f.detector, note)
                        )
        return candidates

    def __repr__(self) -> str:
        return f"PrivacyEngine(detectors={list(self.registry.names)!r}, min_score={self.min_score})"
