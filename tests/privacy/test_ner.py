"""The trained NER detector: expected spans, near misses, robustness, thread safety."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trustdesk.privacy.detectors.base import Detector
from trustdesk.privacy.ner import NER_ENTITY_TYPES, NerDetector, NerModel, load_default_model
from trustdesk.privacy.ner.features import case_type, doc_case, shape, tokenize
from trustdesk.privacy.ner.model import FORMAT

DET = NerDetector()


def found(text: str) -> set[tuple[str, str]]:
    return {(f.entity_type, text[f.start : f.end]) for f in DET.analyze(text)}


# (text, spans that must be found exactly as (type, covered text))
POSITIVES = [
    ("hi, this is Maria Keller from Denver", {("PERSON", "Maria Keller"), ("LOCATION", "Denver")}),
    ("can I speak to Mr. Patel", {("TITLE", "Mr."), ("PERSON", "Patel")}),
    ("Dr. Jones will see you", {("TITLE", "Dr."), ("PERSON", "Jones")}),
    ("I am Canadian and Catholic", {("NRP", "Canadian"), ("NRP", "Catholic")}),
    (
        "I work for Acme Corp in Boston, MA",
        {("ORGANIZATION", "Acme Corp"), ("LOCATION", "Boston"), ("LOCATION", "MA")},
    ),
    (
        "I work at Northwind Bank as a Network and computer systems administrator",
        {
            ("ORGANIZATION", "Northwind Bank"),
            ("TITLE", "Network and computer systems administrator"),
        },
    ),
    (
        "my address is 4759 William Haven Apt. 194\nWest Corey, CA 90152",
        {("STREET_ADDRESS", "4759 William Haven Apt. 194\nWest Corey, CA 90152")},
    ),
    ("I'm traveling in Portugal next week", {("LOCATION", "Portugal")}),
]

# lower-case chat / ASR text
LOWERCASE = [
    (
        "my name is john smith and i live in denver colorado",
        {("PERSON", "john smith"), ("LOCATION", "denver"), ("LOCATION", "colorado")},
    ),
    ("this is sarah calling about my card", {("PERSON", "sarah")}),
]

NEGATIVES = [
    "I'd like to freeze my Visa card",
    "Monday",
    "Northwind Online Banking",
    "is the branch open on Saturday?",
    "I need my statement for December",
    "how do I reset my PIN?",
    "Thanks for your patience while I look into this",
    "my card number is 4111 1111 1111 1111",
    "Please allow five to seven business days",
    "",
    "   \n  ",
]


@pytest.mark.parametrize(("text", "expected"), POSITIVES + LOWERCASE)
def test_finds_expected_spans(text: str, expected: set[tuple[str, str]]) -> None:
    assert expected <= found(text)


@pytest.mark.parametrize("text", NEGATIVES)
def test_near_misses_find_nothing(text: str) -> None:
    assert DET.analyze(text) == []


def test_all_caps_name() -> None:
    assert ("PERSON", "JOHN SMITH") in found("MY NAME IS JOHN SMITH")


def test_findings_carry_detector_name_score_and_no_value() -> None:
    text = "hello, my name is Maria Keller"
    findings = DET.analyze(text)
    assert findings
    for f in findings:
        assert f.detector == "ner"
        assert 0.5 <= f.score <= 0.95
        assert f.entity_type in NER_ENTITY_TYPES
        assert "Keller" not in f.explanation


def test_contract() -> None:
    assert isinstance(DET, Detector)
    assert DET.name == "ner"
    assert set(DET.entity_types) == {
        "PERSON",
        "LOCATION",
        "STREET_ADDRESS",
        "ORGANIZATION",
        "NRP",
        "TITLE",
    }
    assert NerDetector(name="ner2").name == "ner2"


def test_spans_never_start_or_end_with_punctuation_or_function_words() -> None:
    text = "Agent: name?\nCustomer: (Maria Keller), from Denver, Colorado."
    for f in DET.analyze(text):
        value = text[f.start : f.end]
        assert value == value.strip()
        assert value[0].isalnum()
        assert value[-1].isalnum() or value.endswith(".")


def test_email_and_url_regions_are_left_to_other_detectors() -> None:
    text = "write to maria.keller@example.com or see https://example.org/john.smith"
    for f in DET.analyze(text):
        assert text[f.start : f.end] not in {"maria.keller", "john.smith"}
        assert not 9 <= f.start < 33


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_raises_and_offsets_are_in_bounds(text: str) -> None:
    for f in DET.analyze(text):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end].strip()


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Maria", "Keller", "Denver", "CO", "Mr.", "Bank", "\n", ",", "42", "é", "Straße"]
        ),
        max_size=30,
    )
)
def test_entity_like_word_salad_stays_in_bounds(words: list[str]) -> None:
    text = " ".join(words)
    for f in DET.analyze(text):
        assert 0 <= f.start < f.end <= len(text)


def test_thread_safety_same_results_in_parallel() -> None:
    texts = [t for t, _ in POSITIVES + LOWERCASE] * 20
    expected = [DET.analyze(t) for t in texts]
    fresh = NerDetector()
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(fresh.analyze, texts))
    assert got == expected


def test_default_model_is_loaded_once() -> None:
    assert load_default_model() is load_default_model()
    assert NerDetector().model is DET.model
    assert DET.model.metadata["types"] == list(NER_ENTITY_TYPES)


def _tiny_model() -> NerModel:
    return NerModel(
        {
            "format": FORMAT,
            "labels": ["O", "B-PERSON", "I-PERSON"],
            "bias": [0.0, -5.0, -5.0],
            "weights": {"g=first": [1, 8.0], "t1=B-PERSON|c=T": [2, 9.0]},
            "gazetteers": {"first": ["zed"]},
        }
    )


def test_custom_model_and_bio_decoding() -> None:
    det = NerDetector(model=_tiny_model())
    text = "ask Zed Quux now"
    assert [(f.entity_type, text[f.start : f.end]) for f in det.analyze(text)] == [
        ("PERSON", "Zed Quux")
    ]


def test_wrong_artifact_format_is_rejected() -> None:
    with pytest.raises(ValueError, match="format"):
        NerModel({"format": "something-else"})


def test_tokenizer_and_feature_helpers() -> None:
    toks = tokenize("Mr. O'Brien lives at 12-B Main St.")
    assert [t[0] for t in toks] == ["Mr", ".", "O'Brien", "lives", "at", "12-B", "Main", "St", "."]
    assert all(text == "Mr. O'Brien lives at 12-B Main St."[s:e] for text, s, e in toks)
    assert case_type("Smith") == "T"
    assert case_type("CO") == "U"
    assert case_type("90210") == "d"
    assert case_type(",") == ","
    assert shape("Smith") == "Xxx"
    assert shape("90210") == "dd"


def _beam_model(beam: int) -> NerModel:
    # "Zed" alone leans to O; "Quux" is a strong I-PERSON only after B-PERSON. Greedy
    # commits to O at "Zed" and finds nothing; the beam keeps B-PERSON alive.
    return NerModel(
        {
            "format": FORMAT,
            "labels": ["O", "B-PERSON", "I-PERSON"],
            "bias": [0.0, -5.0, -5.0],
            "weights": {"w=zed": [1, 4.5], "w=quux": [1, 4.9], "t1=B-PERSON|c=T": [2, 9.0]},
            "gazetteers": {},
            "metadata": {"beam": beam, "beam_gap": 2.0},
        }
    )


def test_beam_decoding_recovers_what_greedy_misses() -> None:
    text = "ask Zed Quux now"
    greedy = _beam_model(1)
    assert greedy.predict(text) == []
    spans = _beam_model(3).predict(text)
    assert [(s.label, text[s.start : s.end]) for s in spans] == [("PERSON", "Zed Quux")]
    assert 0.0 < spans[0].score <= 1.0


def test_shipped_model_uses_beam_decoding() -> None:
    model = load_default_model()
    assert model.beam >= 1
    assert model.metadata.get("beam") == model.beam


def test_doc_case() -> None:
    assert doc_case("my name is john") == "l"
    assert doc_case("MY NAME IS JOHN") == "u"
    assert doc_case("My name is John") == "m"


@pytest.mark.parametrize(
    "text",
    [
        "Pay with Visa or Mastercard",
        "Summer Sale ends Monday",
        "Overall a good experience",
        "Sign up for Online Banking today",
    ],
)
def test_capitalised_non_entities_find_nothing(text: str) -> None:
    assert DET.analyze(text) == []


@pytest.mark.parametrize("text", ["¹\U00018d090A˥", "<STREET_ADDRESS>\U00018d090A˥", "4B", "1 2 3"])
def test_spans_without_a_word_are_never_emitted(text: str) -> None:
    assert DET.analyze(text) == []
