"""The disclosure detector: values announced after a key phrase, and medical terms."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trustdesk.privacy import PrivacyEngine
from trustdesk.privacy.detectors.disclosure import KEYS, DisclosureDetector
from trustdesk.privacy.entities import ENTITY_TYPES
from trustdesk.privacy.registry import default_registry
from trustdesk.privacy.transcript import normalize_transcript

DETECTOR = DisclosureDetector()
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Fake values only.
POSITIVES = [
    ("Hi, my salary is $68,500 a year, thanks.", "$68,500 a year", "SENSITIVE_ATTRIBUTE"),
    ("my bonus this year was $4,000.", "$4,000", "SENSITIVE_ATTRIBUTE"),
    ("My account balance is $2,340.17 right now.", "$2,340.17", "SENSITIVE_ATTRIBUTE"),
    ("My credit score is 702.", "702", "SENSITIVE_ATTRIBUTE"),
    (
        "I work for Bright Horizon Logistics and I need help.",
        "Bright Horizon Logistics",
        "ORGANIZATION",
    ),
    ("my diagnosis is type 2 diabetes", "type 2 diabetes", "MEDICAL_CONDITION"),
    ("I'm taking 40 milligrams of lisinopril", "40 milligrams of lisinopril", "MEDICAL_CONDITION"),
    ("I'm Jewish.", "Jewish", "SENSITIVE_ATTRIBUTE"),
    ("I'm a registered Democrat, by the way.", "Democrat", "SENSITIVE_ATTRIBUTE"),
    ("My mother's maiden name is Kowalsky.", "Kowalsky", "PERSON"),
    ("my first pet was called Biscuit", "Biscuit", "PASSWORD_OR_PIN"),
    ("my username is mthompson82", "mthompson82", "ID_NUMBER"),
    ("my password is SunsetTiger47!", "SunsetTiger47", "PASSWORD_OR_PIN"),
    ("My PIN is 4821.", "4821", "PASSWORD_OR_PIN"),
    ("the code you sent me is 551903", "551903", "PASSWORD_OR_PIN"),
    ("my employee ID is EMP-20931.", "EMP-20931", "ID_NUMBER"),
    ("policy number PX-7781234 please", "PX-7781234", "ID_NUMBER"),
    ("my blood type is O negative", "O negative", "MEDICAL_CONDITION"),
    ("I'm 12 weeks pregnant", "12 weeks pregnant", "MEDICAL_CONDITION"),
    ("my license plate is 7XKP192", "7XKP192", "ID_NUMBER"),
    ("the coordinates are 39.7392, -104.9903", "39.7392, -104.9903", "LOCATION"),
    ("I was convicted of shoplifting in 2012.", "shoplifting in 2012", "SENSITIVE_ATTRIBUTE"),
    ("I'm married.", "married", "SENSITIVE_ATTRIBUTE"),
    ("my security answer is blue falcon", "blue falcon", "PASSWORD_OR_PIN"),
    ("I'm 34 years old.", "34", "AGE"),
    ("my beneficiary is my sister Dana Whitfield", "Dana Whitfield", "PERSON"),
    ("I've been sober for three years", "sober for three years", "MEDICAL_CONDITION"),
    ("I filed for bankruptcy in 2019", "bankruptcy in 2019", "SENSITIVE_ATTRIBUTE"),
    ("I'm on an H-1B visa", "on an H-1B visa", "SENSITIVE_ATTRIBUTE"),
    ("I grew up in Millbrook.", "Millbrook", "LOCATION"),
    ("The policy number on file should be QK-118822.", "QK-118822", "ID_NUMBER"),
    ("My VIN is 1HGCM82633A004052", "1HGCM82633A004052", "ID_NUMBER"),
    ("my date of birth is March 4, 1988", "March 4, 1988", "DATE_OF_BIRTH"),
    ("I'm deaf", "deaf", "MEDICAL_CONDITION"),
]

NEAR_MISSES = [
    "my password isn't working",
    "my password is wrong apparently",
    "I forgot my PIN",
    "what is my balance?",
    "my salary arrives on Friday",
    "my employer will call you",
    "I need to reset my password",
    "my diagnosis? I don't know yet",
    "my balance is low",
    "I'm calling about my card",
    "I'm not sure what my PIN is",
    "I work for a living, you know",
    "my name is on the account",
    "I'm fine, thanks for asking",
    "Could you tell me when the branch opens tomorrow?",
    "I want one card and I'm happy",
]


@pytest.mark.parametrize(("text", "value", "entity_type"), POSITIVES)
def test_disclosed_values_are_found(text: str, value: str, entity_type: str) -> None:
    findings = [f for f in DETECTOR.analyze(text) if f.score >= 0.5]
    start = text.index(value)
    hits = [f for f in findings if f.start == start and f.end == start + len(value)]
    assert hits, [(f.entity_type, text[f.start : f.end]) for f in findings]
    assert any(f.entity_type == entity_type for f in hits)
    assert all(f.score >= 0.6 for f in hits)
    # the explanation names the key, never the value
    assert all(value not in f.explanation for f in hits)


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_misses_find_nothing(text: str) -> None:
    findings = [f for f in DETECTOR.analyze(text) if f.score >= 0.5]
    assert findings == [], [(f.entity_type, text[f.start : f.end]) for f in findings]


def test_value_stops_at_clause_words() -> None:
    text = "my diagnosis is chronic migraine but could you check my claim"
    (finding,) = [f for f in DETECTOR.analyze(text) if f.entity_type == "MEDICAL_CONDITION"]
    assert text[finding.start : finding.end] == "chronic migraine"


def test_medical_terms_need_health_context() -> None:
    bare = [f for f in DETECTOR.analyze("the asthma exhibit was fun") if f.score >= 0.5]
    assert bare == []
    text = "my doctor said the asthma is getting worse"
    found = [f for f in DETECTOR.analyze(text) if f.score >= 0.5]
    assert [text[f.start : f.end] for f in found] == ["asthma"]
    cued = [f for f in DETECTOR.analyze("I have epilepsy, is that covered?") if f.score >= 0.5]
    assert cued and cued[0].entity_type == "MEDICAL_CONDITION"


def test_lexicon_types_are_known() -> None:
    assert {k.entity_type for k in KEYS} <= ENTITY_TYPES
    assert set(DisclosureDetector.entity_types) <= ENTITY_TYPES
    assert {k.entity_type for k in KEYS} <= set(DisclosureDetector.entity_types)


def test_works_in_the_engine() -> None:
    registry = default_registry()
    assert isinstance(registry.get("disclosure"), DisclosureDetector)
    result = PrivacyEngine(registry).redact("Hi, my password is SunsetTiger47 and my PIN is 4821.")
    assert "SunsetTiger47" not in result.redacted_text
    assert "4821" not in result.redacted_text


def test_findings_on_normalized_transcript_map_back() -> None:
    spoken = "yeah so my pin is four eight two one okay and my salary is sixty thousand dollars"
    normalized = normalize_transcript(spoken)
    assert "4821" in normalized.text
    findings = [f for f in DETECTOR.analyze(normalized.text) if f.score >= 0.5]
    pin = [f for f in findings if f.entity_type == "PASSWORD_OR_PIN"]
    assert pin
    mapped = normalized.map_finding(pin[0])
    assert spoken[mapped.start : mapped.end] == "four eight two one"


FRAGMENTS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "my password is",
            "my salary is",
            "I'm",
            "I work for",
            "my name is",
            "diagnosed with",
            "the coordinates are",
            "$",
            "12,000",
            "Acme",
            ",",
            ".",
            "?",
            "and",
            "metformin",
            "doctor",
            "I'm 5 feet",
        ]
    ),
)
TEXTS = st.one_of(st.text(max_size=200), st.lists(FRAGMENTS, max_size=15).map(" ".join))


@SETTINGS
@given(TEXTS)
def test_never_raises_and_spans_are_valid(text: str) -> None:
    for f in DETECTOR.analyze(text):
        assert 0 <= f.start < f.end <= len(text)
        assert 0.0 <= f.score <= 1.0
        assert f.detector == "disclosure"
        assert text[f.start : f.end].strip() == text[f.start : f.end]
