"""Intent matcher: every intent in four languages, gibberish, calibration properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustdesk.agent import INTENTS, IntentMatch, IntentMatcher
from trustdesk.agent.intents import fold
from trustdesk.errors import ConfigError

MATCHER = IntentMatcher()
THRESHOLD = 0.55

CASES: list[tuple[str, str]] = [
    ("When will my new card arrive?", "card_arrival"),
    ("My card still hasn't arrived", "card_arrival"),
    ("Hello, when will my card arrive?", "card_arrival"),
    ("¿Cuándo llega mi tarjeta?", "card_arrival"),
    ("Meine Karte ist noch nicht angekommen", "card_arrival"),
    ("Quand vais-je recevoir ma carte ?", "card_arrival"),
    ("I lost my card", "lost_or_stolen_card"),
    ("My card was stolen", "lost_or_stolen_card"),
    ("He perdido mi tarjeta", "lost_or_stolen_card"),
    ("Ich habe meine Karte verloren", "lost_or_stolen_card"),
    ("J'ai perdu ma carte", "lost_or_stolen_card"),
    ("Please freeze my card", "freeze_card"),
    ("Quiero bloquear mi tarjeta", "freeze_card"),
    ("Bitte meine Karte sperren", "freeze_card"),
    ("Je veux bloquer ma carte", "freeze_card"),
    ("Are there any card fees?", "card_fees"),
    ("How much does it cost to withdraw cash at an ATM?", "card_fees"),
    ("¿Qué comisiones tiene la tarjeta?", "card_fees"),
    ("Welche Gebühren hat die Karte?", "card_fees"),
    ("Quels sont les frais de la carte ?", "card_fees"),
    ("What exchange rate do you use?", "exchange_rate"),
    ("¿Qué tipo de cambio usan?", "exchange_rate"),
    ("Wie hoch ist der Wechselkurs?", "exchange_rate"),
    ("Quel est le taux de change ?", "exchange_rate"),
    ("I don't recognise a payment on my account", "dispute_transaction"),
    ("I was charged twice for the same purchase", "dispute_transaction"),
    ("No reconozco un cargo", "dispute_transaction"),
    ("Ich erkenne eine Abbuchung nicht", "dispute_transaction"),
    ("Je ne reconnais pas ce paiement", "dispute_transaction"),
    ("How long does a transfer take?", "transfer_timing"),
    ("What is my transfer limit?", "transfer_timing"),
    ("¿Cuánto tarda una transferencia?", "transfer_timing"),
    ("Wie lange dauert eine Überweisung?", "transfer_timing"),
    ("Combien de temps prend un virement ?", "transfer_timing"),
    ("How do I top up my account?", "top_up"),
    ("Can I add money with Apple Pay?", "top_up"),
    ("¿Cómo recargo mi cuenta?", "top_up"),
    ("Wie kann ich mein Konto aufladen?", "top_up"),
    ("Comment recharger mon compte ?", "top_up"),
    ("Someone called me and asked for my PIN", "security_phishing"),
    ("Is this email really from you? It looks like phishing", "security_phishing"),
    ("Me pidieron el PIN por teléfono, ¿es una estafa?", "security_phishing"),
    ("Ist das Betrug?", "security_phishing"),
    ("Je pense que c'est une arnaque", "security_phishing"),
    ("What are your opening hours?", "opening_hours"),
    ("Are you open on Saturday?", "opening_hours"),
    ("¿Cuál es su horario?", "opening_hours"),
    ("Was sind Ihre Öffnungszeiten?", "opening_hours"),
    ("Quels sont vos horaires ?", "opening_hours"),
    ("I need to change my address", "change_address"),
    ("I\u2019ve moved house", "change_address"),
    ("Quiero cambiar mi dirección", "change_address"),
    ("Ich möchte meine Adresse ändern", "change_address"),
    ("Je voudrais changer mon adresse", "change_address"),
    ("I want a refund", "refund_request"),
    ("Quiero un reembolso", "refund_request"),
    ("Ich möchte eine Rückerstattung", "refund_request"),
    ("Je veux être remboursé", "refund_request"),
    ("Hi", "greeting"),
    ("Hello there!", "greeting"),
    ("Buenos días", "greeting"),
    ("Guten Tag", "greeting"),
    ("Bonjour", "greeting"),
    ("Thanks, bye!", "goodbye"),
    ("Thank you", "goodbye"),
    ("That's all, goodbye", "goodbye"),
    ("Tschüss", "goodbye"),
    ("Merci beaucoup", "goodbye"),
    ("Can I talk to a human?", "human_request"),
    ("I want to speak to a real person", "human_request"),
    ("agent", "human_request"),
    ("Quiero hablar con una persona", "human_request"),
    ("Ich möchte mit einem Menschen sprechen", "human_request"),
    ("Je voudrais parler à un conseiller", "human_request"),
]


@pytest.mark.parametrize(("text", "intent"), CASES)
def test_intent_is_recognised_confidently(text: str, intent: str) -> None:
    best = MATCHER.best(text)
    assert best is not None
    assert best.intent == intent
    assert best.confidence >= THRESHOLD


def test_every_intent_has_cases() -> None:
    assert {intent for _, intent in CASES} == set(INTENTS)
    assert set(MATCHER.intents) == set(INTENTS)


@pytest.mark.parametrize(
    "text",
    ["asdfgh qwerty", "The weather is nice today", "", "   ", "12345", "🙂🙂🙂", "lorem ipsum"],
)
def test_gibberish_matches_nothing(text: str) -> None:
    assert MATCHER.rank(text) == []
    assert MATCHER.best(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Is there a fee for international transfers?",  # fees vs transfers
        "I want a refund for a payment I don't recognise",  # refund vs dispute
        "How much is it?",  # one weak cue
    ],
)
def test_ambiguous_or_weak_messages_are_not_confident(text: str) -> None:
    best = MATCHER.best(text)
    assert best is not None
    assert best.confidence < THRESHOLD


def test_more_evidence_means_more_confidence() -> None:
    one = MATCHER.best("What is the exchange rate?")
    two = MATCHER.best("What is the exchange rate from dollars to euros?")
    assert one is not None and two is not None
    assert two.confidence > one.confidence


def test_ranking_is_sorted_and_unpacks_as_pairs() -> None:
    ranked = MATCHER.rank("I lost my card, please freeze my card and refund me")
    assert len(ranked) >= 2
    confidences = [c for _, c in ranked]
    assert confidences == sorted(confidences, reverse=True)
    intent, confidence = ranked[0]
    assert isinstance(ranked[0], IntentMatch)
    assert ranked[0] == (intent, confidence)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_confidences_are_probabilities(text: str) -> None:
    ranked = MATCHER.rank(text)
    assert all(0.0 < m.confidence <= 1.0 for m in ranked)
    assert sum(m.confidence for m in ranked) <= 1.0 + 1e-9


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Überweisung", "uberweisung"),
        ("Dirección", "direccion"),
        ("I\u2019ve", "i've"),
        ("ÇA", "ca"),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_custom_patterns_and_validation() -> None:
    matcher = IntentMatcher({"pizza": [(r"\bpizza\b", 1.0)]})
    assert matcher.intents == ("pizza",)
    best = matcher.best("PIZZA please")
    assert best is not None
    assert best.intent == "pizza"
    assert best.confidence == pytest.approx(1 / 1.35)
    with pytest.raises(ConfigError, match="pizza"):
        IntentMatcher({"pizza": [(r"(pizza", 1.0)]})
    with pytest.raises(ConfigError, match="weight"):
        IntentMatcher({"pizza": [(r"pizza", 1.5)]})
    with pytest.raises(ConfigError):
        IntentMatcher(saturation=0)
