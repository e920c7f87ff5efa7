"""Rule files: validation errors name the file and the rule; normalization folds tricks."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

import trustdesk.guard as guard_pkg
from trustdesk.errors import ConfigError
from trustdesk.guard import default_rules, load_rules, normalize_text, parse_rules
from trustdesk.guard.normalize import INVISIBLE_CHARACTERS

GOOD_RULE = """
  - id: custom.rule
    category: jailbreak
    languages: [en]
    score: 0.7
    pattern: \\bopen\\W*sesame
"""


def doc(*rules: str) -> str:
    return "version: 1\nrules:\n" + "".join(rules)


def rule(**fields: str) -> str:
    base = {
        "id": "custom.rule",
        "category": "jailbreak",
        "languages": "[en]",
        "score": "0.7",
        "pattern": "'\\bopen\\W*sesame'",
    }
    base.update(fields)
    body = "".join(f"    {k}: {v}\n" for k, v in base.items() if v != "<absent>")
    return "  - " + body[4:]


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        (doc(rule(pattern="'open(sesame'")), ["custom.rule", "invalid regex"]),
        (doc(rule(id="bad.one", pattern="'[a-'")), ["bad.one", "invalid regex"]),
        (doc(rule(pattern="'Open sesame'")), ["custom.rule", "upper-case"]),
        (doc(rule(pattern="'(?:x)?'")), ["custom.rule", "empty string"]),
        (doc(rule(category="spam")), ["custom.rule", "category"]),
        (doc(rule(score="1.5")), ["custom.rule", "score"]),
        (doc(rule(score="-0.1")), ["custom.rule", "score"]),
        (doc(rule(languages="[]")), ["custom.rule", "languages"]),
        (doc(rule(languages="[english]")), ["custom.rule", "2-letter"]),
        (doc(rule(id="Bad Id")), ["Bad Id", "id"]),
        (doc(rule(pattern="<absent>")), ["custom.rule", "pattern"]),
        (doc(rule(colour="red")), ["custom.rule", "colour"]),
        (doc(rule(triggers="[Open]")), ["custom.rule", "trigger"]),
        (doc(rule(examples="['open sesame', 'close sesame']")), ["custom.rule", "example #2"]),
        (doc(rule(triggers="[close]", examples="['open sesame']")), ["custom.rule", "example #1"]),
        (doc(rule(), rule()), ["custom.rule", "duplicate"]),
        ("version: 2\nrules:\n" + GOOD_RULE, ["version"]),
        ("version: 1\nrules: []\n", ["rules"]),
        ("- just\n- a list\n", ["mapping"]),
        ("version: 1\nrules: [\n", ["YAML"]),
    ],
)
def test_invalid_rule_files_are_refused_clearly(text: str, fragments: list[str]) -> None:
    with pytest.raises(ConfigError) as info:
        parse_rules(text, source="custom.yaml")
    message = str(info.value)
    assert message.startswith("custom.yaml: ")
    for fragment in fragments:
        assert fragment in message


def test_valid_rule_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        doc(rule(triggers="[sesame]", examples="['OPEN SESAME', 'o p e n s e s a m e']")),
        encoding="utf-8",
    )
    (loaded,) = load_rules(path)
    assert loaded.id == "custom.rule"
    assert loaded.category == "jailbreak"
    assert loaded.triggers == ("sesame",)
    assert loaded.matches("Please, 0p3n s3s4m3!")
    assert not loaded.matches("open the door")


def test_missing_rule_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_rules(tmp_path / "nope.yaml")


def test_builtin_rules_load_and_are_cached() -> None:
    rules = default_rules()
    assert rules is default_rules()
    assert len(rules) >= 30
    assert len({r.id for r in rules}) == len(rules)
    assert all(r.examples for r in rules), "every built-in rule documents an example"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IGNORE", "ignore"),
        ("ig\u200bno\u200cre\u200d \u2060all\ufeff", "ignore all"),
        ("\u00adig\u00adnore", "ignore"),
        ("i g n o r e", "ignore"),
        ("i.g.n.o.r.e  a-l-l", "ignoreall"),
        ("1gn0r3 4ll", "ignore all"),
        ("p@$$w0rd", "password"),
        ("".join(chr(ord(c) + 0xFEE0) for c in "fullwidth"), "fullwidth"),
        ("Ign\u043ere", "ignore"),  # Cyrillic o
        ("Straße", "strasse"),
        ("Pay 500 EUR on 3/4", "pay 500 eur on 3/4"),  # numbers stay numbers
        ("I need a card", "i need a card"),  # single-letter words are not joined
        ("", ""),
    ],
)
def test_normalize_text(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


def test_every_format_character_is_invisible() -> None:
    missing = [
        hex(cp)
        for cp in range(0x110000)
        if unicodedata.category(chr(cp)) == "Cf" and chr(cp) not in INVISIBLE_CHARACTERS
    ]
    assert missing == []


def test_public_api_is_sorted() -> None:
    # ruff's RUF022 order: CONSTANTS, then Classes, then functions; each alphabetical
    def key(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert guard_pkg.__all__ == sorted(guard_pkg.__all__, key=key)
    for name in guard_pkg.__all__:
        assert hasattr(guard_pkg, name)
