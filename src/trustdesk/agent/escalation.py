"""When the demo agent hands a conversation to a human: small pure policy functions.

Each check returns an :class:`Escalation` (a :class:`~trustdesk.types.Reason` and an
optional suggestion for the human) or ``None``. :func:`decide` applies them in order:

1. ``customer_requested_human``: the customer asked for a person. Always honoured,
   whatever else the message says and however confident the agent is otherwise.
2. ``account_change_requires_human``: the understood intent changes the account
   (personal details, refund, closing the account, cancelling a transfer; see
   :data:`ACCOUNT_CHANGE_ACTIONS`). The AI never acts; it suggests the action.
3. ``repeated_misunderstanding``: the agent's last ``max_misunderstandings`` replies
   in this conversation understood nothing (their intent is ``None``). A human reply
   in between ends the streak.
4. ``low_confidence``: the best intent's confidence is below the threshold, or the
   classifier put the message out of scope (best intent ``out_of_scope``).

The agent adds a fifth outcome itself, ``no_article``: a confidently understood intent
that no knowledge article answers (it hands over instead of giving a wrong answer).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from trustdesk.agent.intents import IntentMatch
from trustdesk.types import Reason, Role, Turn

__all__ = [
    "ACCOUNT_CHANGE_ACTIONS",
    "HUMAN_REQUEST_INTENT",
    "OUT_OF_SCOPE_INTENT",
    "Escalation",
    "EscalationReason",
    "account_change",
    "customer_requested_human",
    "decide",
    "low_confidence",
    "repeated_misunderstanding",
]

HUMAN_REQUEST_INTENT = "human_request"
OUT_OF_SCOPE_INTENT = "out_of_scope"

#: Account-changing intents and the action a human should consider taking: the one table
#: of them. Banking77 labels (what the trained classifier predicts) first, then the names
#: of the former rule-based intents, kept for callers that still produce them.
#:
#: Not here on purpose: ``lost_or_stolen_card`` and ``compromised_card`` are answered from
#: the ``lost_or_stolen_card`` article (the customer freezes the card in the app, instantly
#: and reversibly); ``change_pin``, ``pin_blocked`` and ``passcode_forgotten`` from the
#: ``pin_and_passcode`` article (self-service in the app).
ACCOUNT_CHANGE_ACTIONS: Mapping[str, str] = {
    # Banking77
    "edit_personal_details": "update_details",
    "request_refund": "issue_refund",
    "terminate_account": "close_account",
    "cancel_transfer": "cancel_transfer",
    # former rule intents
    "change_address": "update_address",
    "refund_request": "issue_refund",
    "freeze_card": "freeze_card",
}

_POLICY = "escalation_policy"


class EscalationReason(StrEnum):
    CUSTOMER_REQUESTED_HUMAN = "customer_requested_human"
    ACCOUNT_CHANGE_REQUIRES_HUMAN = "account_change_requires_human"
    REPEATED_MISUNDERSTANDING = "repeated_misunderstanding"
    LOW_CONFIDENCE = "low_confidence"


@dataclass(frozen=True, slots=True)
class Escalation:
    """Why the conversation goes to a human, and what the AI would have done."""

    reason: Reason
    suggestion: str | None = None

    @property
    def code(self) -> EscalationReason:
        return EscalationReason(self.reason.code)


def customer_requested_human(matches: Sequence[IntentMatch]) -> Escalation | None:
    """Escalate when any ranked intent is a request for a human (at any rank)."""
    for match in matches:
        if match.intent == HUMAN_REQUEST_INTENT:
            return Escalation(
                Reason(
                    code=EscalationReason.CUSTOMER_REQUESTED_HUMAN.value,
                    message="the customer asked to talk to a person",
                    source=_POLICY,
                    score=match.confidence,
                )
            )
    return None


def account_change(best: IntentMatch | None, threshold: float) -> Escalation | None:
    """Escalate a confidently understood account-changing intent, with a suggestion."""
    if best is None or best.confidence < threshold:
        return None
    action = ACCOUNT_CHANGE_ACTIONS.get(best.intent)
    if action is None:
        return None
    return Escalation(
        Reason(
            code=EscalationReason.ACCOUNT_CHANGE_REQUIRES_HUMAN.value,
            message=f"intent {best.intent} changes the account; suggested action: {action}",
            source=_POLICY,
            score=best.confidence,
            threshold=threshold,
        ),
        suggestion=action,
    )


def repeated_misunderstanding(
    history: Sequence[Turn], max_misunderstandings: int
) -> Escalation | None:
    """Escalate when the last ``max_misunderstandings`` AI turns all had no intent."""
    streak = 0
    for turn in reversed(history):
        if turn.role is Role.HUMAN:
            break
        if turn.role is not Role.AI:
            continue
        if turn.intent is not None:
            break
        streak += 1
        if streak >= max_misunderstandings:
            return Escalation(
                Reason(
                    code=EscalationReason.REPEATED_MISUNDERSTANDING.value,
                    message=f"the last {streak} AI replies did not understand the customer",
                    source=_POLICY,
                    score=float(streak),
                    threshold=float(max_misunderstandings),
                )
            )
    return None


def low_confidence(best: IntentMatch | None, threshold: float) -> Escalation | None:
    """Escalate when no intent matched, the best one is below the threshold or the best
    one is ``out_of_scope`` (the classifier's own "not a banking question")."""
    out_of_scope = best is not None and best.intent == OUT_OF_SCOPE_INTENT
    if best is not None and best.confidence >= threshold and not out_of_scope:
        return None
    confidence = best.confidence if best is not None else 0.0
    if out_of_scope:
        return Escalation(
            Reason(
                code=EscalationReason.LOW_CONFIDENCE.value,
                message=f"the message is out of scope (confidence {confidence:.2f})",
                source=_POLICY,
                score=confidence,
                threshold=threshold,
            )
        )
    guess = f"best guess {best.intent}" if best is not None else "no intent matched"
    return Escalation(
        Reason(
            code=EscalationReason.LOW_CONFIDENCE.value,
            message=f"{guess}; confidence {confidence:.2f} is below {threshold:g}",
            source=_POLICY,
            score=confidence,
            threshold=threshold,
        )
    )


def decide(
    matches: Sequence[IntentMatch],
    history: Sequence[Turn],
    *,
    confidence_threshold: float,
    max_misunderstandings: int,
    confidence: float | None = None,
) -> Escalation | None:
    """Apply the checks in order; ``None`` means the AI may answer.

    ``confidence`` overrides the best match's confidence (the agent pools intents that
    share one article); by default it is the best match's own.
    """
    best = matches[0] if matches else None
    if best is not None and confidence is not None:
        best = IntentMatch(best.intent, confidence)
    return (
        customer_requested_human(matches)
        or account_change(best, confidence_threshold)
        or repeated_misunderstanding(history, max_misunderstandings)
        or low_confidence(best, confidence_threshold)
    )
