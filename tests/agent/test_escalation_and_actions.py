"""When the agent hands over (pure policy tables), and what it does with real tools.

The first half checks the escalation rules of :mod:`trustdesk.agent.escalation` as
tables. The second half runs :class:`DemoBankAgent` with a real :class:`ToolGate`
against a real bank server and checks each decision and what reached the bank.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.agent.test_tool_gate import BankServer, bank_and_gate, free_socket
from trustdesk.agent import DemoBankAgent
from trustdesk.agent.actions import (
    APPROVAL_REPLY,
    ASK_ADDRESS_REPLY,
    FAILED_REPLY,
    VERIFY_HINT,
    VERIFY_REPLY,
)
from trustdesk.agent.escalation import (
    ACCOUNT_CHANGE_ACTIONS,
    EscalationReason,
    account_change,
    customer_requested_human,
    decide,
    low_confidence,
    repeated_misunderstanding,
)
from trustdesk.agent.intents import IntentMatch
from trustdesk.agent.knowledge import default_knowledge
from trustdesk.agent.tools import ToolGate, binding_sha256
from trustdesk.tooltokens import ToolTokenIssuer, load_or_create_tool_key
from trustdesk.types import AgentContext, AgentDecision, Role, Turn

T = 0.6
HUMAN = "human_request"
OOS = "out_of_scope"
M = IntentMatch


def ai(intent: str | None) -> Turn:
    return Turn(Role.AI, "reply", intent)


def cust(intent: str | None = None) -> Turn:
    return Turn(Role.CUSTOMER, "message", intent)


def human() -> Turn:
    return Turn(Role.HUMAN, "a human answered")


def code(escalation: object) -> str | None:
    return None if escalation is None else str(escalation.code)  # type: ignore[attr-defined]


# -- escalation rules as tables ---------------------------------------------------------


@pytest.mark.parametrize(
    ("matches", "expected"),
    [
        ([M(HUMAN, 0.9)], "customer_requested_human"),
        ([M(HUMAN, 0.01)], "customer_requested_human"),  # however unsure
        ([M("card_arrival", 0.99), M(HUMAN, 0.2)], "customer_requested_human"),  # any rank
        (
            [M("card_arrival", 0.5), M("exchange_rate", 0.3), M(HUMAN, 0.1)],
            "customer_requested_human",
        ),
        ([M("card_arrival", 0.99)], None),
        ([], None),
    ],
)
def test_customer_requested_human_table(matches: list[IntentMatch], expected: str | None) -> None:
    assert code(customer_requested_human(matches)) == expected


@pytest.mark.parametrize(
    ("best", "expected", "suggestion"),
    [
        *[
            (M(intent, 0.9), "account_change_requires_human", action)
            for intent, action in ACCOUNT_CHANGE_ACTIONS.items()
        ],
        (M("edit_personal_details", T), "account_change_requires_human", "update_details"),
        (M("edit_personal_details", T - 0.01), None, None),  # not understood: not this rule
        (M("lost_or_stolen_card", 0.99), None, None),  # protective, answered by an article
        (M("change_pin", 0.99), None, None),  # self-service in the app
        (M("card_arrival", 0.99), None, None),
        (None, None, None),
    ],
)
def test_account_change_table(
    best: IntentMatch | None, expected: str | None, suggestion: str | None
) -> None:
    out = account_change(best, T)
    assert code(out) == expected
    assert (out.suggestion if out else None) == suggestion


@pytest.mark.parametrize(
    ("history", "limit", "expected"),
    [
        ((ai(None), ai(None)), 2, "repeated_misunderstanding"),
        ((cust(), ai(None), cust(), ai(None)), 2, "repeated_misunderstanding"),
        ((ai(None), ai(None), ai(None)), 3, "repeated_misunderstanding"),
        ((ai(None), ai(None)), 3, None),
        ((ai(None),), 1, "repeated_misunderstanding"),
        ((ai(None), ai("card_arrival"), ai(None)), 2, None),  # an understood turn breaks it
        ((ai(None), human(), ai(None)), 2, None),  # so does a human's reply
        ((ai(None), human()), 1, None),
        ((), 1, None),
        ((cust(), cust(), cust()), 1, None),  # customer turns alone are no misunderstanding
    ],
)
def test_repeated_misunderstanding_table(
    history: tuple[Turn, ...], limit: int, expected: str | None
) -> None:
    assert code(repeated_misunderstanding(history, limit)) == expected


@pytest.mark.parametrize(
    ("best", "expected"),
    [
        (None, "low_confidence"),
        (M("card_arrival", T - 0.001), "low_confidence"),
        (M("card_arrival", 0.0), "low_confidence"),
        (M(OOS, 0.99), "low_confidence"),  # out of scope however sure
        (M("card_arrival", T), None),
        (M("card_arrival", 1.0), None),
    ],
)
def test_low_confidence_table(best: IntentMatch | None, expected: str | None) -> None:
    out = low_confidence(best, T)
    assert code(out) == expected
    if out is not None:
        assert out.reason.threshold == T


@pytest.mark.parametrize(
    ("matches", "history", "confidence", "expected"),
    [
        # a request for a human wins over everything else
        ([M("edit_personal_details", 0.99), M(HUMAN, 0.3)], (), None, "customer_requested_human"),
        ([M(OOS, 0.99), M(HUMAN, 0.3)], (ai(None), ai(None)), None, "customer_requested_human"),
        ([M("card_arrival", 0.1), M(HUMAN, 0.1)], (), None, "customer_requested_human"),
        # then account changes, even after misunderstandings
        ([M("request_refund", 0.9)], (ai(None), ai(None)), None, "account_change_requires_human"),
        # then repeated misunderstanding, before low confidence
        ([M("card_arrival", 0.1)], (ai(None), ai(None)), None, "repeated_misunderstanding"),
        ([M("card_arrival", 0.99)], (ai(None), ai(None)), None, "repeated_misunderstanding"),
        ([M("card_arrival", 0.1)], (ai(None), human(), ai(None)), None, "low_confidence"),
        ([M(OOS, 0.95)], (), None, "low_confidence"),
        ([], (), None, "low_confidence"),
        # the pooled confidence overrides the best match's own
        ([M("card_arrival", 0.4)], (), 0.9, None),
        ([M("card_arrival", 0.9)], (), 0.4, "low_confidence"),
        ([M("request_refund", 0.4)], (), 0.9, "account_change_requires_human"),
        # understood, nothing to hand over
        ([M("card_arrival", 0.9)], (ai("card_arrival"), ai(None)), None, None),
    ],
)
def test_decide_applies_the_rules_in_order(
    matches: list[IntentMatch],
    history: tuple[Turn, ...],
    confidence: float | None,
    expected: str | None,
) -> None:
    out = decide(
        matches, history, confidence_threshold=T, max_misunderstandings=2, confidence=confidence
    )
    assert code(out) == expected
    if out is not None:
        assert out.reason.source == "escalation_policy"
        assert EscalationReason(out.reason.code) is out.code


# -- the agent's actions with a real gate ----------------------------------------------

ALICE = "NW-000001"
BOB = "NW-000002"
TOKEN = "<STREET_ADDRESS_7f3a91c2>"


@pytest.fixture(scope="module")
def bank_gate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BankServer, ToolGate]]:
    with bank_and_gate(tmp_path_factory.mktemp("actionbank")) as pair:
        yield pair


@pytest.fixture(scope="module")
def bank(bank_gate: tuple[BankServer, ToolGate]) -> BankServer:
    return bank_gate[0]


@pytest.fixture(scope="module")
def agent(bank_gate: tuple[BankServer, ToolGate]) -> DemoBankAgent:
    return DemoBankAgent(tools=bank_gate[1])


def ask(
    agent: DemoBankAgent,
    text: str,
    *,
    ref: str | None = None,
    history: tuple[Turn, ...] = (),
    tools_allowed: bool = True,
    cid: str = "conv-actions",
) -> AgentDecision:
    return agent.respond(
        AgentContext(
            conversation_id=cid,
            text=text,
            history=history,
            customer_id="cust-1",
            tools_allowed=tools_allowed,
            customer_ref=ref,
        )
    )


def test_unverified_card_question_gets_the_article_and_a_hint(
    agent: DemoBankAgent, bank: BankServer
) -> None:
    before = bank.audit_count()
    d = ask(agent, "When will my new card arrive?")
    article = default_knowledge().get("card_delivery")
    assert article is not None
    assert d.intent == "card_arrival"
    assert d.citation == "card_delivery"
    assert d.reply == f"{article.body} {VERIFY_HINT}"
    assert d.needs_verification is True
    assert d.escalate is False
    assert d.tool_calls == ()
    assert bank.audit_count() == before


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I lost my card", "lost_or_stolen_card"),
        ("My card has been compromised", "compromised_card"),
        ("I want to change my address", "edit_personal_details"),
    ],
)
def test_unverified_actions_ask_to_verify_first(
    agent: DemoBankAgent, bank: BankServer, text: str, intent: str
) -> None:
    before = bank.audit_count()
    d = ask(agent, text)
    assert d.intent == intent
    assert d.reply == VERIFY_REPLY
    assert d.needs_verification is True
    assert d.escalate is False
    assert d.tool_calls == ()
    assert any(r.code == "verification_required" for r in d.reasons)
    assert bank.audit_count() == before


def test_unverified_address_follow_up_asks_to_verify(
    agent: DemoBankAgent, bank: BankServer
) -> None:
    before = bank.audit_count()
    d = ask(agent, TOKEN, history=(cust("edit_personal_details"), ai("edit_personal_details")))
    assert d.reply == VERIFY_REPLY
    assert d.needs_verification is True
    assert d.tool_calls == ()
    assert bank.audit_count() == before


def test_verified_card_question_reads_the_bank(agent: DemoBankAgent, bank: BankServer) -> None:
    before = bank.audit_count("get_card_status")
    d = ask(agent, "When will my new card arrive?", ref=ALICE, cid="conv-alice")
    assert d.intent == "card_arrival"
    assert d.needs_verification is False
    assert d.escalate is False
    assert [c.tool for c in d.tool_calls] == ["get_card_status"]
    call = d.tool_calls[0]
    assert call.status == "ok" and call.scope == "cards:read"
    assert "expiry" not in call.fields
    card = bank.cards(ALICE)[0]
    assert d.reply.startswith("I checked for you:")
    assert f"ending {card['last4']} is {card['status']}" in d.reply
    assert VERIFY_HINT not in d.reply
    assert any(r.code == "tool_called" for r in d.reasons)
    assert bank.audit_count("get_card_status") == before + 1
    row = bank.audit("get_card_status")[-1]
    assert (row.subject, row.conversation_id) == (ALICE, "conv-alice")


def test_verified_payment_question_lists_transactions(agent: DemoBankAgent) -> None:
    d = ask(agent, "I don't recognise a payment", ref=ALICE)
    assert [c.tool for c in d.tool_calls] == ["list_transactions"]
    call = d.tool_calls[0]
    assert call.status == "ok"
    assert call.fields == ("date", "merchant", "amount", "currency")
    assert call.arguments == {"limit": 5}
    rows = call.data["transactions"]
    assert 1 <= len(rows) <= 5
    assert all("id" not in r and "card_id" not in r for r in rows)
    assert d.reply.startswith("Here are your latest card payments:")


def test_verified_freeze_freezes_the_card(agent: DemoBankAgent, bank: BankServer) -> None:
    card = bank.cards(BOB)[0]
    assert card["status"] == "active"
    d = ask(agent, "I lost my card", ref=BOB, cid="conv-bob")
    assert [(c.tool, c.status) for c in d.tool_calls] == [
        ("get_card_status", "ok"),
        ("freeze_card", "ok"),
    ]
    assert d.tool_calls[1].arguments == {"card_id": card["id"]}
    assert d.tool_calls[1].fields == ("last4", "status")
    assert f"frozen your card ending {card['last4']}" in d.reply
    assert d.escalate is False
    assert bank.cards(BOB)[0]["status"] == "frozen"
    # asked again: nothing left to freeze, only the status is read
    again = ask(agent, "I lost my card", ref=BOB, cid="conv-bob")
    assert [c.tool for c in again.tool_calls] == ["get_card_status"]
    assert "nothing to freeze" in again.reply


def test_verified_address_change_asks_for_the_address_then_needs_approval(
    agent: DemoBankAgent, bank: BankServer
) -> None:
    before = bank.audit_count()
    first = ask(agent, "I want to change my address", ref=ALICE)
    assert first.intent == "edit_personal_details"
    assert first.reply == ASK_ADDRESS_REPLY
    assert first.escalate is False
    assert first.tool_calls == ()

    history = (cust("edit_personal_details"), ai("edit_personal_details"))
    second = ask(agent, f"It is {TOKEN}", ref=ALICE, history=history)
    assert second.reply == APPROVAL_REPLY
    assert second.intent == "edit_personal_details"
    assert second.suggestion == "approve update_address"
    assert second.escalate is False
    (call,) = second.tool_calls
    assert call.status == "approval_required"
    assert call.arguments == {"address": TOKEN}
    assert call.binding == binding_sha256("update_address", {"address": TOKEN}, ALICE)
    assert bank.audit_count() == before  # nothing reached the bank


def test_an_address_token_without_the_question_is_not_an_address_change(
    agent: DemoBankAgent, bank: BankServer
) -> None:
    before = bank.audit_count()
    d = ask(agent, TOKEN, ref=ALICE, history=(cust("card_arrival"), ai("card_arrival")))
    assert all(c.tool != "update_address" for c in d.tool_calls)
    assert bank.audit_count() == before


@pytest.mark.parametrize(
    "text",
    ["I lost my card", "When will my new card arrive?", "I want to change my address"],
)
def test_guard_review_runs_no_tool(agent: DemoBankAgent, bank: BankServer, text: str) -> None:
    before = bank.audit_count()
    d = ask(agent, text, ref=ALICE, tools_allowed=False)
    assert d.tool_calls == ()
    assert d.needs_verification is False
    assert VERIFY_HINT not in d.reply
    assert bank.audit_count() == before


def test_guard_review_without_verification_gives_no_hint(agent: DemoBankAgent) -> None:
    d = ask(agent, "When will my new card arrive?", tools_allowed=False)
    assert d.tool_calls == ()
    assert d.needs_verification is False
    assert VERIFY_HINT not in d.reply


@pytest.mark.parametrize(
    "text",
    [
        "talk to a human",
        "I want to talk to a human, I lost my card",
        "Can I speak to a person about my card arrival?",
    ],
)
def test_a_request_for_a_human_runs_no_tool(
    agent: DemoBankAgent, bank: BankServer, text: str
) -> None:
    before = bank.audit_count()
    d = ask(agent, text, ref=ALICE)
    assert d.escalate is True
    assert d.intent == "human_request"
    assert d.reasons[0].code == "customer_requested_human"
    assert d.tool_calls == ()
    assert bank.audit_count() == before


def test_a_request_for_a_human_beats_an_address_follow_up(
    agent: DemoBankAgent, bank: BankServer
) -> None:
    before = bank.audit_count()
    history = (cust("edit_personal_details"), ai("edit_personal_details"))
    d = ask(agent, f"{TOKEN} but I'd rather talk to a human", ref=ALICE, history=history)
    assert d.escalate is True
    assert d.tool_calls == ()
    assert bank.audit_count() == before


def test_without_a_gate_the_agent_never_acts() -> None:
    d = DemoBankAgent().respond(
        AgentContext(conversation_id="c", text="I lost my card", customer_ref=ALICE)
    )
    assert d.tool_calls == ()
    assert d.needs_verification is False
    assert d.citation == "lost_or_stolen_card"


def test_bank_down_hands_over(tmp_path: Path) -> None:
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    issuer = ToolTokenIssuer(load_or_create_tool_key(tmp_path))
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=2) as client:
        agent = DemoBankAgent(tools=ToolGate(issuer, client))
        d = ask(agent, "I lost my card", ref=ALICE)
    assert d.reply == FAILED_REPLY
    assert d.escalate is True
    assert d.reasons[0].code == "tool_failed"
    assert [(c.tool, c.status) for c in d.tool_calls] == [("get_card_status", "error")]
    assert d.suggestion == "check get_card_status for the customer"
