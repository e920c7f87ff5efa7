"""Pattern rules: YAML validation, the rule semantics, the detector's gates."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustdesk.errors import ConfigError
from trustdesk.privacy.entities import ENTITY_TYPES
from trustdesk.privacy.rules import (
    VALIDATORS,
    PatternRule,
    RuleDetector,
    default_rule_detector,
    default_rules,
    load_rule_files,
    load_rules,
    parse_rules,
)

GOOD = """
version: 1
defines:
  num: '(\\d{4,6})(?!\\d)'
rules:
  - id: custom.badge
    entity_type: ID_NUMBER
    description: a badge number after "badge"
    patterns: ['\\bbadge\\s+(?:no\\s+)?{{num}}']
    group: 1
    score: 0.9
    triggers: [badge]
    examples: ["badge 48291"]
    counter_examples: ["badge 12"]
"""


def _one(body: str) -> str:
    """A file with one rule whose fields are ``body`` (YAML lines, 4-space indented)."""
    return "version: 1\nrules:\n  - id: t.rule\n" + body


def _rule(**fields: object) -> PatternRule:
    base: dict[str, object] = {
        "id": "t.rule",
        "entity_type": "ID_NUMBER",
        "patterns": [r"\bref\s+(\d{4})\b"],
        "group": 1,
        "score": 0.6,
    }
    base.update(fields)
    return PatternRule.model_validate(base)


def _spans(detector: RuleDetector, text: str) -> list[tuple[str, str, float]]:
    return [(f.entity_type, text[f.start : f.end], f.score) for f in detector.analyze(text)]


# --- loading and validation --------------------------------------------------------


def test_parse_good_file() -> None:
    (rule,) = parse_rules(GOOD, source="custom.yaml")
    assert rule.id == "custom.badge"
    detector = RuleDetector([rule])
    assert _spans(detector, "my badge no 48291 please") == [("ID_NUMBER", "48291", 0.9)]
    assert detector.entity_types == ("ID_NUMBER",)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "    entity_type: CREDIT_CARD_NUMBER\n    patterns: ['x\\d']\n    score: 0.5\n",
            "unknown entity_type 'CREDIT_CARD_NUMBER'",
        ),
        ("    entity_type: URL\n    patterns: ['(']\n    score: 0.5\n", "invalid regex"),
        (
            "    entity_type: URL\n    patterns: ['a*']\n    score: 0.5\n",
            "matches the empty string",
        ),
        ("    entity_type: URL\n    patterns: ['a']\n    score: 1.5\n", "score"),
        ("    entity_type: URL\n    patterns: ['a']\n    score: -0.1\n", "score"),
        (
            "    entity_type: URL\n    patterns: ['a']\n    score: 0.5\n    validator: crc32\n",
            "validator",
        ),
        ("    entity_type: URL\n    patterns: ['a']\n    score: 0.5\n    colour: red\n", "colour"),
        ("    entity_type: URL\n    patterns: ['a']\n    score: 0.5\n    group: 1\n", "group 1"),
        (
            "    entity_type: URL\n    patterns: ['(a)']\n    score: 0.5\n    group: v\n",
            "group named 'v'",
        ),
        ("    entity_type: URL\n    patterns: []\n    score: 0.5\n", "patterns"),
        (
            "    entity_type: URL\n    patterns: ['a']\n    score: 0.5\n"
            "    requires_context: true\n",
            "no context words",
        ),
        (
            "    entity_type: URL\n    patterns: ['a']\n    score: 0.5\n    context: ['--']\n",
            "has no letter or digit",
        ),
        (
            "    entity_type: URL\n    patterns: ['a']\n    score: 0.5\n    substrings: ['A']\n",
            "lower-case",
        ),
        (
            "    entity_type: URL\n    patterns: ['{{nope}}']\n    score: 0.5\n",
            "undefined name {{nope}}",
        ),
        (
            "    entity_type: URL\n    patterns: ['\\bref (\\d+)']\n    group: 1\n"
            "    score: 0.9\n    examples: ['no match here']\n",
            "example #1 ('no match here') finds nothing",
        ),
        (
            "    entity_type: URL\n    patterns: ['\\bref (\\d+)']\n    group: 1\n"
            "    score: 0.9\n    counter_examples: ['ref 12']\n",
            "counter-example #1",
        ),
        (
            # The trigger gate hides the example: caught at load.
            "    entity_type: URL\n    patterns: ['\\bref (\\d+)']\n    group: 1\n"
            "    score: 0.9\n    triggers: [reference]\n    examples: ['ref 12']\n",
            "finds nothing",
        ),
        (
            "    entity_type: URL\n    patterns: ['[a-z]+']\n    score: 0.9\n"
            "    examples: ['abc']\n",
            # digits: true by default, so a digit-free example is gated away
            "finds nothing",
        ),
    ],
)
def test_invalid_rule_names_file_and_rule(body: str, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_rules(_one(body), source="mine.yaml")
    assert "mine.yaml" in str(err.value)
    assert "t.rule" in str(err.value)
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: [", "not valid YAML"),
        ("- a\n- b\n", "expected a mapping"),
        ("version: 2\nrules: [{}]\n", "version"),
        ("version: 1\nrules: []\n", "rules"),
        ("version: 1\nextra: 1\nrules: [{}]\n", "extra"),
        ("version: 1\ndefines: {Bad: x}\nrules: [{}]\n", "'Bad' is not a lower-case name"),
        ("version: 1\nrules:\n  - patterns: ['a']\n", "rule #1"),
    ],
)
def test_invalid_file(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match="f.yaml") as err:
        parse_rules(text, source="f.yaml")
    assert message in str(err.value)


def test_duplicate_ids(tmp_path: Path) -> None:
    doc = GOOD + GOOD.split("rules:\n", 1)[1]
    with pytest.raises(ConfigError, match="duplicate id"):
        parse_rules(doc)
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD)
    with pytest.raises(ConfigError, match=r"b\.yaml: rule 'custom\.badge': duplicate id"):
        load_rule_files([tmp_path])
    with pytest.raises(ConfigError, match="unique"):
        RuleDetector([*parse_rules(GOOD), *parse_rules(GOOD)])


def test_load_user_files(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(GOOD)
    (tmp_path / "ignored.txt").write_text("not yaml: [")
    rules = load_rule_files([tmp_path])
    assert [r.id for r in rules] == ["custom.badge"]
    assert [r.id for r in load_rules(tmp_path / "mine.yaml")] == ["custom.badge"]
    with pytest.raises(ConfigError, match="cannot read"):
        load_rules(tmp_path / "missing.yaml")
    # Built-in and user rules side by side.
    detector = RuleDetector([*default_rules(), *rules])
    assert ("ID_NUMBER", "48291", 0.9) in _spans(detector, "badge 48291")


def test_builtin_rules_are_valid() -> None:
    rules = default_rules()
    assert len({r.id for r in rules}) == len(rules)
    assert {r.entity_type for r in rules} <= ENTITY_TYPES
    assert {
        "CARD_CVV",
        "CARD_EXPIRY",
        "BANK_ACCOUNT",
        "ROUTING_NUMBER",
        "ZIP_CODE",
        "AGE",
        "US_DRIVER_LICENSE",
        "PASSPORT",
        "MEDICAL_RECORD_NUMBER",
        "HEALTH_INSURANCE_ID",
        "PASSWORD_OR_PIN",
        "ID_NUMBER",
    } <= {r.entity_type for r in rules}
    for rule in rules:
        assert rule.description


# --- rule semantics ------------------------------------------------------------------


def test_context_raises_negative_lowers() -> None:
    rule = _rule(context=["ticket"], context_boost=0.3, negative_context=["order"])
    detector = RuleDetector([rule])
    assert _spans(detector, "ref 1234") == [("ID_NUMBER", "1234", 0.6)]
    assert _spans(detector, "my ticket ref 1234") == [("ID_NUMBER", "1234", 0.9)]
    assert _spans(detector, "the order ref 1234") == [("ID_NUMBER", "1234", 0.2)]
    found = detector.analyze("ticket and order ref 1234")
    assert [f.score for f in found] == [0.5]
    assert "context word nearby" in found[0].explanation
    assert "negative context word nearby" in found[0].explanation


def test_context_words_are_whole_words_unless_starred() -> None:
    whole = RuleDetector([_rule(context=["sin"], requires_context=True)])
    assert _spans(whole, "SIN ref 1234") == [("ID_NUMBER", "1234", 0.8)]
    assert _spans(whole, "since ref 1234") == []
    prefix = RuleDetector([_rule(context=["expir*"], requires_context=True)])
    assert _spans(prefix, "expires ref 1234") == [("ID_NUMBER", "1234", 0.8)]
    # A redaction tag is never context.
    assert _spans(whole, "<SIN> ref 1234") == []


def test_context_window_and_after() -> None:
    rule = _rule(context=["ticket"], requires_context=True, context_window=15, context_after=15)
    detector = RuleDetector([rule])
    assert _spans(detector, "ticket ref 1234") == [("ID_NUMBER", "1234", 0.8)]
    assert _spans(detector, "ticket, as I said before, ref 1234") == []
    assert _spans(detector, "ref 1234 is the ticket") == [("ID_NUMBER", "1234", 0.8)]


def test_validator_drops_or_scores_invalid() -> None:
    strict = RuleDetector([_rule(patterns=[r"\b(\d{16})\b"], validator="luhn", score=0.9)])
    assert _spans(strict, "4111111111111111") == [("ID_NUMBER", "4111111111111111", 0.9)]
    assert _spans(strict, "4111111111111112") == []
    lenient = RuleDetector(
        [_rule(patterns=[r"\b(\d{16})\b"], validator="luhn", score=0.9, invalid_score=0.55)]
    )
    (finding,) = lenient.analyze("4111111111111112")
    assert finding.score == 0.55
    assert "validator luhn failed" in finding.explanation


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("luhn", "4111111111111111", "4111111111111112"),
        ("aba_routing", "011000015", "011000016"),
        ("iban", "GB82WEST12345698765432", "GB82WEST12345698765433"),
        ("us_ein", "319264859", "003456789"),
        ("nhs", "4010232137", "4010232138"),
        ("uk_nino", "AB123456C", "GB123456C"),
        ("ca_sin", "273819508", "273819509"),
        ("au_tfn", "865302417", "865302418"),
        ("vat", "GB980780684", "GB980780685"),
        ("bic", "COBADEFF", "COBAXXFF"),
        ("imei", "490154203237518", "490154203237519"),
        ("vin", "5XYZU3LB1DG104829", "5XYZU3LB2DG104829"),
        ("month_year", "0827", "1327"),
    ],
)
def test_validators(name: str, good: str, bad: str) -> None:
    assert VALIDATORS[name](good)
    assert not VALIDATORS[name](bad)


def test_named_group_and_whole_match() -> None:
    named = RuleDetector([_rule(patterns=[r"\bref\s+(?P<v>\d{4})\b"], group="v")])
    assert _spans(named, "ref 1234") == [("ID_NUMBER", "1234", 0.6)]
    whole = RuleDetector([_rule(patterns=[r"\bref\s+\d{4}\b"], group=0)])
    assert _spans(whole, "a ref 1234") == [("ID_NUMBER", "ref 1234", 0.6)]


def test_case_sensitive_rule() -> None:
    rule = _rule(patterns=[r"\b([A-Z]{2}\d{4})\b"], ignore_case=False)
    detector = RuleDetector([rule])
    assert _spans(detector, "AB1234 ab1234") == [("ID_NUMBER", "AB1234", 0.6)]


# --- gates -----------------------------------------------------------------------------


def test_gates() -> None:
    digits = _rule(id="t.digits", patterns=[r"\bref\s+(\w{4})\b"])
    words = _rule(id="t.words", patterns=[r"\bcode\s+(\w{4})\b"], digits=False, triggers=["code"])
    prefix = _rule(id="t.prefix", patterns=[r"\bexp\w*\s+(\w{4})\b"], triggers=["exp*"])
    subs = _rule(id="t.subs", patterns=[r"(\d\d:\d\d)"], group=1, substrings=[":"])
    detector = RuleDetector([digits, words, prefix, subs])
    assert detector.armed_rules("ref abcd") == []
    assert detector.armed_rules("ref 1234") == ["t.digits"]
    assert detector.armed_rules("the code abcd") == ["t.words"]
    assert detector.armed_rules("the codes abcd") == []
    assert detector.armed_rules("it expires 0827") == ["t.digits", "t.prefix"]
    assert detector.armed_rules("at 10:30") == ["t.digits", "t.subs"]


def test_requires_context_rule_is_gated_by_its_context() -> None:
    rule = _rule(context=["ticket number"], requires_context=True)
    detector = RuleDetector([rule])
    assert detector.armed_rules("ref 1234") == []
    assert detector.armed_rules("Ticket ref 1234") == ["t.rule"]


def test_redaction_tags_are_not_labels() -> None:
    detector = default_rule_detector()
    assert detector.analyze("my <PASSPORT> and 987654321") == []
    assert detector.analyze("<MEDICAL_RECORD_NUMBER> cvv <CARD_CVV>") == []


def test_builtin_detector_on_plain_chat_is_quiet() -> None:
    detector = default_rule_detector()
    text = "Hi, I was charged twice for my order yesterday and I'd like a refund please!"
    assert detector.analyze(text) == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    for f in _DETECTOR.analyze(text):
        assert 0 <= f.start < f.end <= len(text)
        assert 0.0 <= f.score <= 1.0
        assert f.entity_type in _DETECTOR.entity_types


_DETECTOR = default_rule_detector()
