"""What the demo agent does with tools: intents mapped to least-privilege actions.

The agent acts only through the :class:`~trustdesk.agent.tools.ToolGate`:

* no verified customer → no tool: the agent answers what it can from the knowledge
  base and asks the customer to verify (one-time code), ``needs_verification``;
* a read (card status, recent transactions) or a protective action (freezing a card)
  runs at once, with only the fields the answer needs;
* an account change (a new postal address) never runs: the gate returns
  ``approval_required`` bound to the exact arguments, and the agent tells the customer
  a colleague will approve it. The new address reaches the agent only as a vault
  token (``<STREET_ADDRESS_7f3a91c2>``); the gate resolves it when a human approved.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from trustdesk.agent.tools import ToolGate
from trustdesk.types import AgentContext, AgentDecision, Reason, Role, ToolOutcome

__all__ = [
    "ACTION_INTENTS",
    "ADDRESS_INTENT",
    "READ_TOOLS",
    "VERIFY_HINT",
    "act",
    "address_follow_up",
]

#: Banking77 intents the agent can act on, and the tool it uses.
ACTION_INTENTS: Mapping[str, str] = {
    "card_arrival": "get_card_status",
    "card_delivery_estimate": "get_card_status",
    "card_not_working": "get_card_status",
    "lost_or_stolen_card": "freeze_card",
    "compromised_card": "freeze_card",
    "card_payment_not_recognised": "list_transactions",
    "transaction_charged_twice": "list_transactions",
    "pending_card_payment": "list_transactions",
    "edit_personal_details": "update_address",
}
ADDRESS_INTENT = "edit_personal_details"
#: Tools that only read: unverified customers get the article, plus a hint to verify.
READ_TOOLS = frozenset({"get_card_status", "list_transactions"})
_ADDRESS_TOKEN = re.compile(r"<STREET_ADDRESS_[0-9a-f]{4,32}>")

VERIFY_REPLY = (
    "I can do that for you once you've verified who you are: choose \u201cVerify me\u201d, "
    "enter your customer number, and type the one-time code we text to the phone number "
    "on file. I never ask for your PIN or password."
)
VERIFY_HINT = (
    "If you verify yourself (“Verify me”, then the code we text you), I can "
    "also check your own account for you."
)
ASK_ADDRESS_REPLY = (
    "Sure. Please type your new postal address in full (street, city, postcode); a "
    "colleague will check and approve the change."
)
APPROVAL_REPLY = (
    "Thanks. For your security, a colleague has to approve address changes: I've sent "
    "them the request and you'll see the result here."
)
FAILED_REPLY = (
    "I couldn't reach our banking system just now, so a human agent will take over this "
    "conversation shortly."
)


def address_follow_up(context: AgentContext) -> bool:
    """Whether this message gives the address the agent just asked for."""
    if not _ADDRESS_TOKEN.search(context.text):
        return False
    # The understood intent is stored with the customer's message the AI answered.
    last = next((t for t in reversed(context.history) if t.role is Role.CUSTOMER), None)
    return last is not None and last.intent == ADDRESS_INTENT


def _reason(code: str, message: str, source: str) -> Reason:
    return Reason(code=code, message=message, source=source)


def _decision(
    reply: str,
    intent: str,
    confidence: float,
    model: str,
    reasons: Sequence[Reason],
    calls: Sequence[ToolOutcome] = (),
    *,
    escalate: bool = False,
    needs_verification: bool = False,
    suggestion: str | None = None,
) -> AgentDecision:
    return AgentDecision(
        reply=reply,
        intent=intent,
        confidence=confidence,
        escalate=escalate,
        reasons=tuple(reasons),
        suggestion=suggestion,
        model=model,
        tool_calls=tuple(calls),
        needs_verification=needs_verification,
    )


def _cards(outcome: ToolOutcome) -> list[dict[str, Any]]:
    data = outcome.data if isinstance(outcome.data, dict) else {}
    cards = data.get("cards")
    return [c for c in cards if isinstance(c, dict)] if isinstance(cards, list) else []


def _describe_card(card: Mapping[str, Any]) -> str:
    brand = str(card.get("brand") or "card").title()
    text = f"your {brand} card ending {card.get('last4', '????')} is {card.get('status', '?')}"
    delivery = card.get("delivery_status")
    if delivery and delivery not in ("delivered", "none"):
        expected = card.get("expected_delivery")
        text += f" (delivery: {delivery}" + (f", expected {expected})" if expected else ")")
    return text


def act(
    gate: ToolGate,
    context: AgentContext,
    intent: str,
    confidence: float,
    matched: Reason,
    model: str,
) -> AgentDecision:
    """Carry out ``intent`` with its tool for the verified customer of ``context``."""
    tool = ACTION_INTENTS[intent]
    source = f"tool:{tool}"
    if not context.customer_ref:
        return _decision(
            VERIFY_REPLY,
            intent,
            confidence,
            model,
            (
                matched,
                _reason("verification_required", f"{tool} needs a verified customer", source),
            ),
            needs_verification=True,
        )
    cid = context.conversation_id
    ref = context.customer_ref
    if tool == "update_address":
        token = _ADDRESS_TOKEN.search(context.text)
        if token is None:
            return _decision(
                ASK_ADDRESS_REPLY,
                intent,
                confidence,
                model,
                (matched, _reason("address_needed", "the new address is missing", source)),
            )
        call = gate.call(
            tool, customer_ref=ref, conversation_id=cid, arguments={"address": token.group()}
        )
        return _decision(
            APPROVAL_REPLY,
            intent,
            confidence,
            model,
            (matched, _reason("approval_required", f"{tool} changes the account", source)),
            (call,),
            suggestion=f"approve {tool}",
        )
    if tool == "list_transactions":
        call = gate.call(
            tool,
            customer_ref=ref,
            conversation_id=cid,
            arguments={"limit": 5},
            fields=("date", "merchant", "amount", "currency"),
        )
        if call.status != "ok":
            return _failed(intent, confidence, matched, model, call)
        data = call.data if isinstance(call.data, dict) else {}
        rows = [t for t in data.get("transactions", []) if isinstance(t, dict)]
        if not rows:
            reply = "I can't see any recent card payments on your account."
        else:
            lines = "; ".join(
                f"{t.get('date')}: {t.get('merchant')} {t.get('amount')} {t.get('currency')}"
                for t in rows
            )
            reply = (
                f"Here are your latest card payments: {lines}. If one of them isn't yours, "
                "tell me which and I'll pass it to our disputes team."
            )
        return _decision(reply, intent, confidence, model, (matched, _used(call)), (call,))
    status = gate.call(
        "get_card_status",
        customer_ref=ref,
        conversation_id=cid,
        fields=("id", "last4", "brand", "status", "delivery_status", "expected_delivery"),
    )
    if status.status != "ok":
        return _failed(intent, confidence, matched, model, status)
    cards = _cards(status)
    if tool == "get_card_status":
        if not cards:
            reply = "I can't find a card on your account."
        else:
            reply = "I checked for you: " + "; ".join(_describe_card(c) for c in cards) + "."
        return _decision(reply, intent, confidence, model, (matched, _used(status)), (status,))
    active = [c for c in cards if c.get("status") == "active"]
    if not active:
        return _decision(
            "None of your cards is active, so there is nothing to freeze.",
            intent,
            confidence,
            model,
            (matched, _used(status)),
            (status,),
        )
    target = active[0]
    frozen = gate.call(
        "freeze_card",
        customer_ref=ref,
        conversation_id=cid,
        arguments={"card_id": str(target.get("id"))},
        fields=("last4", "status"),
    )
    if frozen.status != "ok":
        return _failed(intent, confidence, matched, model, frozen, (status,))
    return _decision(
        f"Done: I've frozen your card ending {target.get('last4')}. Nobody can pay with it "
        "now; you can unfreeze it in the app, or order a replacement if it's lost.",
        intent,
        confidence,
        model,
        (matched, _used(status), _used(frozen)),
        (status, frozen),
    )


def _used(call: ToolOutcome) -> Reason:
    return Reason(
        code="tool_called",
        message=f"{call.tool} with scope {call.scope}, fields {', '.join(call.fields)}: "
        f"{call.status}",
        source=f"tool:{call.tool}",
    )


def _failed(
    intent: str,
    confidence: float,
    matched: Reason,
    model: str,
    call: ToolOutcome,
    earlier: Sequence[ToolOutcome] = (),
) -> AgentDecision:
    return _decision(
        FAILED_REPLY,
        intent,
        confidence,
        model,
        (
            _reason("tool_failed", f"{call.tool}: {call.status} ({call.reason})", call.tool),
            matched,
        ),
        (*earlier, call),
        escalate=True,
        suggestion=f"check {call.tool} for the customer",
    )
