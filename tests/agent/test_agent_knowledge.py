"""Knowledge articles: the built-in set, front matter validation."""

from __future__ import annotations

from pathlib import Path

import pytest

import trustdesk.agent as agent_pkg
from trustdesk.agent import (
    INTENTS,
    Article,
    KnowledgeBase,
    default_knowledge,
    load_articles,
    parse_article,
)
from trustdesk.agent.agent import default_model
from trustdesk.errors import ConfigError

ARTICLE = """---
id: sample
title: A sample
intents: [card_fees]
---
First sentence. Second sentence.
"""


def test_builtin_articles() -> None:
    articles = load_articles()
    assert 8 <= len(articles) <= 12
    ids = {a.id for a in articles}
    assert ids == {
        "card_delivery",
        "lost_or_stolen_card",
        "card_fees",
        "dispute_transaction",
        "transfers",
        "top_up",
        "security_phishing",
        "contact_hours",
        "pin_and_passcode",
        "identity_verification",
    }
    known = set(INTENTS) | set(default_model().labels)
    for article in articles:
        assert article.title
        assert set(article.intents) <= known, article.id
        sentences = [s for s in article.body.replace("!", ".").split(". ") if s.strip()]
        assert 2 <= len(sentences) <= 5, article.id
        assert "@" not in article.body, "no e-mail addresses: the egress guard would block them"


@pytest.mark.parametrize(
    ("label", "article_id"),
    [
        ("card_arrival", "card_delivery"),
        ("card_delivery_estimate", "card_delivery"),
        ("card_payment_fee_charged", "card_fees"),
        ("exchange_rate", "card_fees"),
        ("exchange_charge", "card_fees"),
        ("transaction_charged_twice", "dispute_transaction"),
        ("card_payment_not_recognised", "dispute_transaction"),
        ("transfer_timing", "transfers"),
        ("pending_transfer", "transfers"),
        ("top_up_failed", "top_up"),
        ("top_up_limits", "top_up"),
        ("compromised_card", "lost_or_stolen_card"),
        ("change_pin", "pin_and_passcode"),
        ("verify_my_identity", "identity_verification"),
    ],
)
def test_banking77_labels_map_to_articles(label: str, article_id: str) -> None:
    article = default_knowledge().for_intent(label)
    assert article is not None and article.id == article_id


def test_security_article_says_we_never_ask_for_a_pin() -> None:
    article = default_knowledge().for_intent("security_phishing")
    assert article is not None
    assert "never ask for your PIN" in article.body


def test_knowledge_base_lookup() -> None:
    kb = default_knowledge()
    assert kb is default_knowledge()
    fees = kb.for_intent("card_fees")
    assert fees is not None and fees is kb.for_intent("exchange_rate")
    assert kb.get("card_fees") is fees
    assert kb.for_intent("greeting") is None
    assert kb.get("nope") is None
    assert "card_arrival" in kb.intents


def test_parse_article() -> None:
    article = parse_article(ARTICLE)
    assert article == Article(
        "sample", "A sample", ("card_fees",), "First sentence. Second sentence."
    )
    crlf = parse_article("\ufeff" + ARTICLE.replace("\n", "\r\n"))
    assert crlf == article


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("no front matter\n", "must start"),
        ("---\nid: x\n", "not closed"),
        ("---\n[a, b]\n---\nBody.\n", "mapping"),
        ("---\nid: [\n---\nBody.\n", "YAML"),
        ("---\nid: sample\ntitle: T\n---\nBody.\n", "intents"),
        ("---\nid: Sample\ntitle: T\nintents: [a]\n---\nBody.\n", "id"),
        ("---\nid: sample\ntitle: T\nintents: []\n---\nBody.\n", "intents"),
        ("---\nid: sample\ntitle: T\nintents: [Bad Intent]\n---\nBody.\n", "intents"),
        ("---\nid: sample\ntitle: T\nintents: [a]\nextra: 1\n---\nBody.\n", "extra"),
        ("---\nid: sample\ntitle: T\nintents: [a]\n---\n\n", "no body"),
        ("---\nid: sample\ntitle: T\nintents: [a]\n---\n" + "x" * 2000, "limit"),
    ],
)
def test_invalid_articles_are_refused(text: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_article(text, source="sample.md")
    assert str(info.value).startswith("sample.md: ")
    assert fragment in str(info.value)


def test_directory_checks(tmp_path: Path) -> None:
    (tmp_path / "sample.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    (article,) = load_articles(tmp_path)
    assert article.id == "sample"

    (tmp_path / "other.md").write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(ConfigError, match="file name"):
        load_articles(tmp_path)

    (tmp_path / "other.md").write_text(ARTICLE.replace("id: sample", "id: other"), encoding="utf-8")
    with pytest.raises(ConfigError, match="already answered"):
        load_articles(tmp_path)

    with pytest.raises(ConfigError, match="not a directory"):
        load_articles(tmp_path / "missing")


def test_knowledge_base_refuses_duplicates() -> None:
    a = parse_article(ARTICLE)
    with pytest.raises(ConfigError):
        KnowledgeBase([a, a])


def test_public_api_is_sorted() -> None:
    # ruff's RUF022 order: CONSTANTS, then Classes, then functions; each alphabetical
    def key(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert agent_pkg.__all__ == sorted(agent_pkg.__all__, key=key)
    for name in agent_pkg.__all__:
        assert hasattr(agent_pkg, name)
