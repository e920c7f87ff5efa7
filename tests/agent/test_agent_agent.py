"""Demo agent: Banking77 model + rules, answers with citations, escalation reasons, no echo."""

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
from trustdesk.agent.agent import default_model, strip_tags
from trustdesk.agent.classifier import IntentModel
from trustdesk.agent.escalation import (
    ACCOUNT_CHANGE_ACTIONS,
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
MODEL_ID = f"{default_model().version}+rules"


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
        ("Hi, my card <CREDIT_CARD> hasn't arrived yet.", "card_arrival", "card_delivery"),
        ("I lost my card", "lost_or_stolen_card", "lost_or_stolen_card"),
        ("My card was stolen", "lost_or_stolen_card", "lost_or_stolen_card"),
        ("My card has been compromised", "compromised_card", "lost_or_stolen_card"),
        ("Are there any card fees?", "card_payment_fee_charged", "card_fees"),
        ("What exchange rate do you use?", "exchange_rate", "card_fees"),
        ("Why was I charged a fee for my card payment?", "card_payment_fee_charged", "card_fees"),
        ("I don't recognise a payment", "card_payment_not_recognised", "dispute_transaction"),
        (
            "I was charged twice for the same purchase",
            "transaction_charged_twice",
            "dispute_transaction",
        ),
        ("Why is my transfer still pending?", "pending_transfer", "transfers"),
        ("How do I top up my account?", "transfer_into_account", "top_up"),
        ("My top up failed", "top_up_failed", "top_up"),
        ("How do I change my PIN?", "change_pin", "pin_and_passcode"),
        ("I forgot my passcode", "passcode_forgotten", "pin_and_passcode"),
        ("How can I verify my identity?", "verify_my_identity", "identity_verification"),
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
    assert decision.confidence >= AGENT.threshold
    assert decision.model == MODEL_ID
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
    # the model splits "how long does a transfer take?" between pending_transfer and
    # transfer_timing; the transfers article answers both, so the answer is confident
    decision = AGENT.respond(ctx("How long does a transfer take?"))
    assert decision.escalate is False
    assert decision.citation == "transfers"
    # "how does topping up work?" is split between top-up labels, none confident on its own
    text = "How does topping up work?"
    top = default_model().classify(text, top_k=5).top
    assert top[0][1] < AGENT.threshold
    decision = AGENT.respond(ctx(text))
    assert decision.escalate is False
    assert decision.citation == "top_up"
    assert decision.confidence > top[0][1]
    fees = AGENT.respond(ctx("What exchange rate and fees do you charge for card payments?"))
    assert fees.escalate is False
    assert fees.citation == "card_fees"


def test_greeting_inside_a_question_goes_to_the_model() -> None:
    decision = AGENT.respond(ctx("Hello, when will my card arrive?"))
    assert decision.escalate is False
    assert decision.citation == "card_delivery"


def test_redaction_tags_are_stripped_before_classification() -> None:
    assert strip_tags("my card <CREDIT_CARD> and <PERSON>") == "my card and"
    # "<PERSON>" alone is not a request for a person, nor anything else
    decision = AGENT.respond(ctx("<PERSON>"))
    assert decision.escalate is True
    assert decision.reasons[0].code == "low_confidence"


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
            "I need to change my address",
            (),
            "account_change_requires_human",
            "update_details",
            "edit_personal_details",
        ),
        ("I want a refund", (), "account_change_requires_human", "issue_refund", "request_refund"),
        (
            "I want to close my account",
            (),
            "account_change_requires_human",
            "close_account",
            "terminate_account",
        ),
        (
            "Can I cancel a transfer I just made?",
            (),
            "account_change_requires_human",
            "cancel_transfer",
            "cancel_transfer",
        ),
        ("asdfgh qwerty", (), "low_confidence", None, None),
        # out of scope (open-domain) and languages the model was not trained on
        ("What's the weather like in Paris?", (), "low_confidence", None, None),
        ("Who won the football game last night?", (), "low_confidence", None, None),
        ("¿Cuándo llega mi tarjeta?", (), "low_confidence", None, None),
        (
            "When will my card arrive?",
            (customer(), ai(None), customer(), ai(None)),
            "repeated_misunderstanding",
            None,
            "card_delivery_estimate",
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
    decision = agent.respond(ctx("Are there any card fees?"))
    (reason,) = decision.reasons
    assert reason.code == "low_confidence"
    assert reason.threshold == 0.9
    assert reason.score is not None and 0.5 < reason.score < 0.9
    assert "card_payment_fee_charged" in reason.message
    assert decision.confidence == reason.score


def test_the_model_threshold_is_a_floor() -> None:
    loose = DemoBankAgent(confidence_threshold=0.0)
    assert loose.threshold == default_model().threshold
    decision = loose.respond(ctx("What's the weather like in Paris?"))
    assert decision.escalate is True
    assert decision.reasons[0].code == "low_confidence"
    assert decision.reasons[0].threshold == default_model().threshold


def test_out_of_scope_label_escalates() -> None:
    model = default_model()
    oos = IntentModel(
        labels=[*model.labels, "out_of_scope"],
        bias=[*model.bias, 1000.0],  # always wins
        temperature=model.temperature,
        threshold=model.threshold,
        version="oos-test",
        word=model.word,
        char=model.char,
    )
    agent = DemoBankAgent(model=oos)
    assert agent.model == "oos-test+rules"
    decision = agent.respond(ctx("When will my new card arrive?"))
    assert decision.escalate is True
    assert decision.intent is None
    assert decision.reasons[0].code == "low_confidence"
    assert "out of scope" in decision.reasons[0].message
    assert agent.respond(ctx("Hi")).intent == "greeting"  # rules still work


def test_banking77_intent_without_article_escalates() -> None:
    decision = AGENT.respond(ctx("Is there a fee for international transfers?"))
    assert decision.escalate is True
    assert decision.intent == "transfer_fee_charged"
    assert decision.reasons[0].code == "no_article"
    assert decision.citation is None
    assert "human" in decision.reply


def test_every_account_change_label_is_a_model_label_or_a_rule_name() -> None:
    labels = set(default_model().labels)
    assert {"edit_personal_details", "request_refund", "terminate_account"} <= set(
        ACCOUNT_CHANGE_ACTIONS
    )
    for intent in ACCOUNT_CHANGE_ACTIONS:
        assert intent in labels or intent in {"change_address", "refund_request", "freeze_card"}
        assert default_knowledge().for_intent(intent) is None  # never answered from an article


def test_every_article_intent_is_a_model_label_or_a_former_rule_intent() -> None:
    labels = set(default_model().labels)
    rule_names = {"card_fees", "top_up", "dispute_transaction", "security_phishing"}
    rule_names |= {"opening_hours"}
    for article in default_knowledge().articles:
        for intent in article.intents:
            assert intent in labels or intent in rule_names, (article.id, intent)


@pytest.mark.parametrize(
    ("text", "intent", "article"),
    [
        ("What are your opening hours?", "opening_hours", "contact_hours"),
        (
            "Someone called asking for my PIN, is that you?",
            "security_phishing",
            "security_phishing",
        ),
    ],
)
def test_rule_intents_without_a_banking77_label_are_answered(
    text: str, intent: str, article: str
) -> None:
    decision = AGENT.respond(ctx(text))
    assert decision.escalate is False
    assert decision.intent == intent
    assert decision.citation == article


def test_the_shipped_model_is_loaded_once() -> None:
    assert DemoBankAgent().intent_model is DemoBankAgent().intent_model


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
    decision = AGENT.respond(ctx("I want a refund", tools=False))
    assert decision.escalate is True
    assert decision.suggestion == "issue_refund"


def test_freezing_a_card_is_answered_with_the_self_service_article() -> None:
    # documented behaviour: the model labels it lost_or_stolen_card, whose article tells
    # the customer to freeze the card in the app (instant, reversible); no escalation
    decision = AGENT.respond(ctx("Please freeze my card"))
    assert decision.escalate is False
    assert decision.citation == "lost_or_stolen_card"


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
    decision = DemoBankAgent(knowledge=knowledge).respond(ctx("I lost my card"))
    assert decision.escalate is True
    assert decision.reasons[0].code == "no_article"
    assert decision.intent == "lost_or_stolen_card"


def test_protocol_name_and_model() -> None:
    assert isinstance(AGENT, AgentStage)
    assert AGENT.name == "agent"
    assert AGENT.model == MODEL_ID
    assert AGENT.model.endswith("+rules")


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
