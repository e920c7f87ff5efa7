"""The engine end to end, overlap resolution, the redaction operator and the registry."""

from __future__ import annotations

import re

import pytest

from trustdesk.errors import ConfigError, StageError
from trustdesk.privacy import (
    CREDIT_CARD,
    EMAIL_ADDRESS,
    IBAN_CODE,
    IP_ADDRESS,
    PHONE_NUMBER,
    US_SSN,
    Detector,
    DetectorRegistry,
    EmailDetector,
    PrivacyEngine,
    default_registry,
    redact,
    resolve_overlaps,
    tag_for,
)
from trustdesk.privacy.entities import DATE_TIME, ENTITY_TYPES, LOCATION, PERSON
from trustdesk.stages import PrivacyStage
from trustdesk.types import Finding, PrivacyResult, RedactedSpan

ENGINE = PrivacyEngine()


def _f(start: int, end: int, score: float, entity_type: str = "X", detector: str = "d") -> Finding:
    return Finding(entity_type, start, end, score, detector)


class FixedDetector(Detector):
    """Reports whatever findings it was built with (for overlap tests)."""

    name = "fixed"
    entity_types = ("A", "B")

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__()
        self.findings = findings

    def analyze(self, text: str) -> list[Finding]:
        return list(self.findings)


class BrokenDetector(Detector):
    name = "broken"
    entity_types = ("A",)

    def analyze(self, text: str) -> list[Finding]:
        raise RuntimeError(f"cannot handle {text}")


# text -> redacted text, and the types found in order
REDACT_CASES: list[tuple[str, str, list[str]]] = [
    ("my card is 4111 1111 1111 1111", "my card is <CREDIT_CARD>", [CREDIT_CARD]),
    ("bad card 4111 1111 1111 1112", "bad card 4111 1111 1111 1112", []),
    (
        "IBAN GB82 WEST 1234 5698 7654 32, or DE89 3704 0044 0532 0130 00",
        "IBAN <IBAN_CODE>, or <IBAN_CODE>",
        [IBAN_CODE, IBAN_CODE],
    ),
    (
        "call (415) 555-0142 or +44 20 7946 0958",
        "call <PHONE_NUMBER> or <PHONE_NUMBER>",
        [PHONE_NUMBER, PHONE_NUMBER],
    ),
    ("mail jane.doe@example.com.", "mail <EMAIL_ADDRESS>.", [EMAIL_ADDRESS]),
    ("ssn 078-05-1120, not 000-12-3456", "ssn <US_SSN>, not 000-12-3456", [US_SSN]),
    (
        "server 203.0.113.7 and 2001:db8::1",
        "server <IP_ADDRESS> and <IP_ADDRESS>",
        [IP_ADDRESS] * 2,
    ),
    ("order 1234567 shipped", "order 1234567 shipped", []),  # possible phone, low score
    ("Hello, I lost my card yesterday.", "Hello, I lost my card yesterday.", []),
    ("", "", []),
    (
        "078-05-1120 4111 1111 1111 1111 jane@example.com",
        "<US_SSN> <CREDIT_CARD> <EMAIL_ADDRESS>",
        [US_SSN, CREDIT_CARD, EMAIL_ADDRESS],
    ),
]


@pytest.mark.parametrize(("text", "redacted", "types"), REDACT_CASES)
def test_engine_redacts(text: str, redacted: str, types: list[str]) -> None:
    result = ENGINE.redact(text)
    assert result.redacted_text == redacted
    assert [f.entity_type for f in result.findings] == types
    assert [s.entity_type for s in result.spans] == types
    assert result.redacted is bool(types)
    for span in result.spans:
        assert (
            result.redacted_text[span.start : span.end]
            == span.replacement
            == tag_for(span.entity_type)
        )


def test_engine_is_a_privacy_stage() -> None:
    assert isinstance(ENGINE, PrivacyStage)
    assert ENGINE.name == "privacy"
    assert isinstance(ENGINE.redact("x"), PrivacyResult)


def test_phone_never_wins_over_card_or_iban() -> None:
    text = "call me, card 4111 1111 1111 1111, iban GB82 WEST 1234 5698 7654 32"
    types = {f.entity_type for f in ENGINE.analyze(text)}
    assert types == {CREDIT_CARD, IBAN_CODE}


def test_analyze_filters_by_min_score_and_sorts() -> None:
    text = "call 1234567 or mail jane@example.com or (415) 555-0142"
    default = ENGINE.analyze(text)
    assert [f.entity_type for f in default] == [PHONE_NUMBER, EMAIL_ADDRESS, PHONE_NUMBER]
    assert [f.start for f in default] == sorted(f.start for f in default)
    strict = PrivacyEngine(min_score=0.9).analyze(text)
    assert [f.entity_type for f in strict] == [EMAIL_ADDRESS]
    lenient = PrivacyEngine(min_score=0.0).analyze("order 1234567")
    assert [f.entity_type for f in lenient] == [PHONE_NUMBER]


@pytest.mark.parametrize("bad", [-0.1, 1.5])
def test_min_score_must_be_a_probability(bad: float) -> None:
    with pytest.raises(ConfigError):
        PrivacyEngine(min_score=bad)


def test_engine_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        ENGINE.redact(b"bytes")  # type: ignore[arg-type]


def test_failing_detector_fails_the_stage_without_leaking_text() -> None:
    engine = PrivacyEngine(DetectorRegistry([EmailDetector(), BrokenDetector()]))
    with pytest.raises(StageError) as info:
        engine.redact("secret jane@example.com")
    assert info.value.stage == "privacy"
    assert "broken" in str(info.value)
    assert "secret" not in str(info.value)
    assert "jane" not in str(info.value)


def test_engine_sees_registry_changes() -> None:
    registry = default_registry()
    engine = PrivacyEngine(registry)
    registry.remove("email")
    assert engine.redact("jane@example.com").redacted_text == "jane@example.com"


# Overlap resolution: higher score, then longer span, then earlier start.
OVERLAP_CASES: list[tuple[list[Finding], list[tuple[int, int, float]]]] = [
    ([_f(0, 10, 0.9), _f(5, 15, 0.8)], [(0, 10, 0.9)]),
    ([_f(0, 10, 0.7), _f(5, 15, 0.8)], [(5, 15, 0.8)]),
    ([_f(0, 10, 0.8), _f(2, 20, 0.8)], [(2, 20, 0.8)]),  # tie on score: longer wins
    ([_f(5, 15, 0.8), _f(0, 10, 0.8)], [(0, 10, 0.8)]),  # tie on both: earlier wins
    ([_f(0, 5, 0.6), _f(5, 10, 0.6)], [(0, 5, 0.6), (5, 10, 0.6)]),  # touching is fine
    (
        [_f(0, 4, 0.6), _f(3, 8, 0.9), _f(7, 12, 0.6), _f(20, 25, 0.1)],
        [(3, 8, 0.9), (20, 25, 0.1)],
    ),
    ([_f(0, 20, 0.5), _f(2, 4, 0.9), _f(6, 8, 0.9)], [(2, 4, 0.9), (6, 8, 0.9)]),
    ([], []),
]


@pytest.mark.parametrize(("findings", "kept"), OVERLAP_CASES)
def test_resolve_overlaps(findings: list[Finding], kept: list[tuple[int, int, float]]) -> None:
    assert [(f.start, f.end, f.score) for f in resolve_overlaps(findings)] == kept


def test_engine_resolves_overlaps_between_detectors() -> None:
    fixed = FixedDetector([_f(0, 4, 0.6, "A", "fixed"), _f(2, 8, 0.7, "B", "fixed")])
    result = PrivacyEngine(DetectorRegistry([fixed])).redact("abcdefghij")
    assert result.redacted_text == "ab<B>ij"
    assert result.spans == (RedactedSpan("B", 2, 5, "<B>"),)


def test_redact_operator() -> None:
    text = "a 12 b 345 c"
    redacted, spans = redact(text, [_f(7, 10, 0.9, "N"), _f(2, 4, 0.9, "TWO")])
    assert redacted == "a <TWO> b <N> c"
    assert spans == (RedactedSpan("TWO", 2, 7, "<TWO>"), RedactedSpan("N", 10, 13, "<N>"))
    assert redact(text, []) == (text, ())
    assert redact("12", [_f(0, 2, 0.9, "N")]) == ("<N>", (RedactedSpan("N", 0, 3, "<N>"),))


def test_redact_operator_rejects_overlap_and_out_of_bounds() -> None:
    with pytest.raises(ValueError, match="overlaps"):
        redact("0123456789", [_f(0, 5, 0.9), _f(3, 8, 0.9)])
    with pytest.raises(ValueError, match="outside"):
        redact("0123", [_f(2, 9, 0.9)])


def test_registry() -> None:
    registry = default_registry()
    assert registry.names == (
        "email",
        "credit_card",
        "iban",
        "us_ssn",
        "ip_address",
        "phone",
        "rules",
        "dates",
        "url",
        "street_address",
        "disclosure",
        "ner",
    )
    assert len(registry) == 12
    assert "email" in registry
    # Every detector's types are known entity types; the structured ones are all there.
    assert registry.entity_types <= ENTITY_TYPES
    assert {EMAIL_ADDRESS, CREDIT_CARD, IBAN_CODE, US_SSN, IP_ADDRESS, PHONE_NUMBER} <= (
        registry.entity_types
    )
    assert {PERSON, LOCATION, DATE_TIME} <= registry.entity_types
    with pytest.raises(ValueError, match="already registered"):
        registry.add(EmailDetector())
    replacement = EmailDetector()
    registry.add(replacement, replace=True)
    assert registry.get("email") is replacement
    assert registry.remove("email") is replacement
    assert "email" not in registry
    assert registry.get("email") is None
    with pytest.raises(KeyError):
        registry.remove("email")
    with pytest.raises(TypeError):
        registry.add("email")  # type: ignore[arg-type]
    assert [d.name for d in registry] == list(registry.names)
    assert len(DetectorRegistry()) == 0


def test_default_registry_is_fresh_each_time() -> None:
    first = default_registry()
    first.remove("phone")
    assert "phone" in default_registry()


class RegexDetector(Detector):
    """Reports every match of a pattern as ``entity``, optionally only in short texts."""

    entity_types = ("N", "T", "Z")

    def __init__(self, name: str, pattern: str, entity: str, max_len: int = 10**9) -> None:
        super().__init__(name=name)
        self.pattern = re.compile(pattern)
        self.entity = entity
        self.max_len = max_len

    def analyze(self, text: str) -> list[Finding]:
        if len(text) > self.max_len:
            return []
        return [
            _f(m.start(), m.end(), 0.9, self.entity, self.name) for m in self.pattern.finditer(text)
        ]


def test_recheck_maps_new_findings_back_to_the_original() -> None:
    # "zz" is only found in texts of at most 8 characters, i.e. after redaction.
    registry = DetectorRegistry(
        [RegexDetector("digits", r"[0-9]+", "N"), RegexDetector("late", r"zz", "Z", max_len=8)]
    )
    result = PrivacyEngine(registry).redact("1234567 zz")
    assert result.redacted_text == "<N> <Z>"
    assert [(f.entity_type, f.start, f.end) for f in result.findings] == [("N", 0, 7), ("Z", 8, 10)]


def test_recheck_ignores_matches_on_our_own_tags() -> None:
    registry = DetectorRegistry(
        [RegexDetector("digits", r"[0-9]+", "N"), RegexDetector("tags", r"<[A-Z]+>", "T")]
    )
    result = PrivacyEngine(registry).redact("a 12 b")
    assert result.redacted_text == "a <N> b"
    assert [f.entity_type for f in result.findings] == ["N"]


def test_recheck_when_redaction_brings_context_closer() -> None:
    # The last number is 48 characters after "call" (out of the 40-character window),
    # but only 36 once the two cards are tags: it is redacted on the second pass.
    text = "call, 4111 1111 1111 1111, 4111 1111 1111 1111, 0000000000, "
    result = ENGINE.redact(text)
    assert result.redacted_text == "call, <CREDIT_CARD>, <CREDIT_CARD>, <PHONE_NUMBER>, "
    assert ENGINE.redact(result.redacted_text).findings == ()
