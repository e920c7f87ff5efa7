"""Demo agent: answers with citations, escalation reasons, no echo of the customer."""

from __future__ import annotations

import pytest

from trustdesk.agent import (
    ESCALATION_REPLIES,
    GOODBYE_REPLY,
    GREETING_REPLY,
    DemoBankAgent,
    EscalationReason,
    IntentMatch,
    KnowledgeBase,
    default_knowledge,
    parse_article,
)
from trustdesk.agent.escalation import (
    account_change,
    customer_requested_human,
    decide,
    low_confidence,
    repeated_misunderstanding,
)
from trustdesk.errors import ConfigError
from trustdesk.stages import AgentStage
from trustdesk.types import AgentContext, Role, Turn

AGENT = DemoBankAgent()


def ctx(text: str, history: tuple[Turn, ...] = (), *, tools: bool = True) -> AgentContext:
    return AgentContext(conversation_id="c-1", text=text, history=history, tools_allowed=tools)


def ai(intent: str | None) -> Turn:
    return Turn(Role.AI, "reply", intent)


def customer(text: str = "message") -> Turn:
    return Turn(Role.CUSTOMER, text)


@pytest.mark.parametrize(
    ("text", "intent", "citation"),
    [
        ("When will my new card arrive?", "card_arrival", "card_delivery"),
        ("I lost my card", "lost_or_stolen_card", "lost_or_stolen_card"),
        ("Are there any card fees?", "card_fees", "card_fees"),
        ("What exchange rate do you use?", "exchange_rate", "card_fees"),
        ("I don't recognise a payment", "dispute_transaction", "dispute_transaction"),
        ("How long does a transfer take?", "transfer_timing", "transfers"),
        ("How do I top up my account?", "top_up", "top_up"),
        ("Someone asked for my PIN on the phone", "security_phishing", "security_phishing"),
        ("What are your opening hours?", "opening_hours", "contact_hours"),
        ("¿Cuándo llega mi tarjeta?", "card_arrival", "card_delivery"),
    ],
)
def test_answers_cite_the_article(text: str, intent: str, citation: str) -> None:
    decision = AGENT.respond(ctx(text))
    article = default_knowledge().get(citation)
    assert article is not None
    assert decision.escalate is False
    assert decision.intent == intent
    assert decision.citation == citation
    assert decision.reply == article.body
    assert decision.confidence >= AGENT.confidence_threshold
    assert decision.model == "demo-rules-v1"
    assert decision.suggestion is None
    codes = [r.code for r in decision.reasons]
    assert codes == ["intent_matched", "knowledge_article"]


@pytest.mark.parametrize(
    ("text", "intent", "reply"),
    [("Hi", "greeting", GREETING_REPLY), ("Thanks, bye!", "goodbye", GOODBYE_REPLY)],
)
def test_greeting_and_goodbye_are_canned(text: str, intent: str, reply: str) -> None:
    decision = AGENT.respond(ctx(text))
    assert (decision.intent, decision.reply, decision.citation) == (intent, reply, None)
    assert decision.escalate is False


def test_intents_sharing_an_article_pool_their_confidence() -> None:
    decision = AGENT.respond(ctx("What exchange rate and fees do you charge for card payments?"))
    assert decision.escalate is False
    assert decision.citation == "card_fees"


@pytest.mark.parametrize(
    ("text", "history", "reason", "suggestion", "intent"),
    [
        ("Can I talk to a human?", (), "customer_requested_human", None, "human_request"),
        ("Quiero hablar con una persona", (), "customer_requested_human", None, "human_request"),
        # always honoured, even next to a question the agent could answer
        (
            "When will my card arrive? Otherwise let me speak to a person",
            (),
            "customer_requested_human",
            None,
            "human_request",
        ),
        (
            "Please freeze my card",
            (),
            "account_change_requires_human",
            "freeze_card",
            "freeze_card",
        ),
        (
            "I need to change my address",
            (),
            "account_change_requires_human",
            "update_address",
            "change_address",
        ),
        ("I want a refund", (), "account_change_requires_human", "issue_refund", "refund_request"),
        ("asdfgh qwerty", (), "low_confidence", None, None),
        ("Is there a fee for international transfers?", (), "low_confidence", None, None),
        (
            "When will my card arrive?",
            (customer(), ai(None), customer(), ai(None)),
            "repeated_misunderstanding",
            None,
            "card_arrival",
        ),
        (
            "asdfgh",
            (ai("greeting"), customer(), ai(None), customer(), ai(None)),
            "repeated_misunderstanding",
            None,
            None,
        ),
    ],
)
def test_escalation_reasons(
    text: str,
    history: tuple[Turn, ...],
    reason: str,
    suggestion: str | None,
    intent: str | None,
) -> None:
    decision = AGENT.respond(ctx(text, history))
    assert decision.escalate is True
    assert decision.reasons[0].code == reason  # the pipeline reads the first reason
    assert decision.suggestion == suggestion
    assert decision.intent == intent
    assert decision.citation is None
    assert decision.reply == ESCALATION_REPLIES[reason]
    assert "human" in decision.reply


def test_low_confidence_reason_carries_score_and_threshold() -> None:
    agent = DemoBankAgent(confidence_threshold=0.9)
    decision = agent.respond(ctx("When will my new card arrive?"))
    (reason,) = decision.reasons
    assert reason.code == "low_confidence"
    assert reason.threshold == 0.9
    assert reason.score is not None and 0.5 < reason.score < 0.9
    assert "card_arrival" in reason.message
    assert decision.confidence == reason.score


@pytest.mark.parametrize(
    ("history", "escalates"),
    [
        ((), False),
        ((customer(), ai(None)), False),  # one misunderstanding is not repeated
        ((customer(), ai(None), customer(), ai(None)), True),
        ((ai(None), customer(), ai("card_fees"), customer(), ai(None)), False),  # streak broken
        ((ai(None), ai(None), Turn(Role.HUMAN, "hi, Sam here")), False),  # a human answered since
        ((ai(None), Turn(Role.SYSTEM, "notice"), ai(None)), True),  # system notes don't count
    ],
)
def test_repeated_misunderstanding_counts_the_last_ai_turns(
    history: tuple[Turn, ...], escalates: bool
) -> None:
    decision = AGENT.respond(ctx("How do I top up my account?", history))
    assert decision.escalate is escalates
    if escalates:
        assert decision.reasons[0].code == "repeated_misunderstanding"


def test_max_misunderstandings_is_configurable() -> None:
    history = (customer(), ai(None))
    assert DemoBankAgent(max_misunderstandings=1).respond(ctx("top up", history)).escalate
    three = (ai(None), ai(None))
    assert (
        not DemoBankAgent(max_misunderstandings=3).respond(ctx("How do I top up?", three)).escalate
    )


def test_review_without_tools_still_answers_from_knowledge() -> None:
    decision = AGENT.respond(ctx("How long does a transfer take?", tools=False))
    assert decision.escalate is False
    assert decision.citation == "transfers"


def test_account_change_still_escalates_without_tools() -> None:
    decision = AGENT.respond(ctx("Please freeze my card", tools=False))
    assert decision.escalate is True
    assert decision.suggestion == "freeze_card"


@pytest.mark.parametrize(
    "text",
    [
        "When will my card ZQX-UNIQUE-7781 arrive?",
        "Talk to a human about ZQX-UNIQUE-7781",
        "ZQX-UNIQUE-7781",
        "Hi ZQX-UNIQUE-7781",
        "freeze card ZQX-UNIQUE-7781",
    ],
)
def test_replies_never_echo_the_customer(text: str) -> None:
    decision = AGENT.respond(ctx(text))
    assert "ZQX" not in decision.reply
    assert "7781" not in decision.reply
    for reason in decision.reasons:
        assert "ZQX" not in reason.message


def test_intent_without_article_escalates() -> None:
    knowledge = KnowledgeBase(
        [parse_article("---\nid: a\ntitle: A\nintents: [top_up]\n---\nBody. Text.")]
    )
    decision = DemoBankAgent(knowledge=knowledge).respond(ctx("What are your opening hours?"))
    assert decision.escalate is True
    assert decision.reasons[0].code == "no_article"
    assert decision.intent == "opening_hours"


def test_protocol_name_and_model() -> None:
    assert isinstance(AGENT, AgentStage)
    assert AGENT.name == "agent"
    assert AGENT.model == "demo-rules-v1"


@pytest.mark.parametrize(
    "kwargs",
    [{"confidence_threshold": 1.5}, {"confidence_threshold": -0.1}, {"max_misunderstandings": 0}],
)
def test_bad_settings_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ConfigError):
        DemoBankAgent(**kwargs)  # type: ignore[arg-type]


# -- the policy functions alone -------------------------------------------------------


def test_policy_functions() -> None:
    human = [IntentMatch("card_arrival", 0.6), IntentMatch("human_request", 0.1)]
    assert customer_requested_human(human) is not None
    assert customer_requested_human([IntentMatch("card_arrival", 0.9)]) is None

    freeze = account_change(IntentMatch("freeze_card", 0.8), 0.55)
    assert freeze is not None
    assert freeze.code is EscalationReason.ACCOUNT_CHANGE_REQUIRES_HUMAN
    assert freeze.suggestion == "freeze_card"
    assert account_change(IntentMatch("freeze_card", 0.3), 0.55) is None  # not understood
    assert account_change(IntentMatch("top_up", 0.9), 0.55) is None
    assert account_change(None, 0.55) is None

    assert low_confidence(None, 0.0) is not None  # nothing matched is never confident
    assert low_confidence(IntentMatch("top_up", 0.5), 0.55) is not None
    assert low_confidence(IntentMatch("top_up", 0.55), 0.55) is None

    assert repeated_misunderstanding((ai(None),), 1) is not None
    assert repeated_misunderstanding((ai(None),), 2) is None

    assert decide([], (), confidence_threshold=0.55, max_misunderstandings=2) is not None
    ok = decide(
        [IntentMatch("top_up", 0.8)], (), confidence_threshold=0.55, max_misunderstandings=2
    )
    assert ok is None
    pooled = decide(
        [IntentMatch("card_fees", 0.4)],
        (),
        confidence_threshold=0.55,
        max_misunderstandings=2,
        confidence=0.7,
    )
    assert pooled is None
