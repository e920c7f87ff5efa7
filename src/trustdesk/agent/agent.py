"""The demo agent of Northwind Bank: a trained intent model, a knowledge base and a policy.

For each (already redacted) message the agent

1. strips the redaction tags (``<CREDIT_CARD>`` ...) so they don't read as words;
2. looks for the three rule-based intents the Banking77 model has no label for
   (:mod:`trustdesk.agent.intents`): ``human_request`` (multilingual, always honoured),
   ``greeting`` and ``goodbye`` (canned replies, when they match clearly);
3. otherwise classifies the message with the trained Banking77 model
   (:mod:`trustdesk.agent.classifier`): calibrated probabilities of the labels that one
   knowledge article answers are pooled ("how long does a transfer take?" splits between
   ``pending_transfer`` and ``transfer_timing``, both answered by ``transfers``);
4. asks the escalation policy (:mod:`trustdesk.agent.escalation`) whether a human must
   take over, and otherwise answers with the knowledge article for the intent, citing it.
   An understood intent without an article escalates with ``no_article``.

The confidence bar is the higher of ``confidence_threshold`` and the model's own
out-of-scope threshold, so a looser setting never lets through what the model calls
out of scope.

Replies come only from the articles and the canned texts below: the agent never
echoes what the customer wrote. It has no tools, so ``context.tools_allowed == False``
(the ingress guard asked for review) changes nothing for knowledge answers.
"""

from __future__ import annotations

import dataclasses
import threading

from trustdesk.agent.actions import (
    ACTION_INTENTS,
    ADDRESS_INTENT,
    READ_TOOLS,
    VERIFY_HINT,
    act,
    address_follow_up,
)
from trustdesk.agent.classifier import IntentModel
from trustdesk.agent.escalation import (
    HUMAN_REQUEST_INTENT,
    OUT_OF_SCOPE_INTENT,
    EscalationReason,
    decide,
)
from trustdesk.agent.intents import DEFAULT_PATTERNS, IntentMatch, IntentMatcher
from trustdesk.agent.knowledge import Article, KnowledgeBase, default_knowledge
from trustdesk.agent.tools import ToolGate
from trustdesk.errors import ConfigError, StageError
from trustdesk.privacy.operators import REPLACEMENT_RE
from trustdesk.types import AgentContext, AgentDecision, Reason

__all__ = [
    "ESCALATION_REPLIES",
    "GOODBYE_REPLY",
    "GREETING_REPLY",
    "RULE_INTENTS",
    "DemoBankAgent",
    "default_model",
    "strip_tags",
]

GREETING_REPLY = (
    "Hello! I'm the Northwind Bank virtual assistant. I can help with cards, transfers, "
    "top-ups, disputes and security questions. What can I do for you?"
)
GOODBYE_REPLY = "Thank you for contacting Northwind Bank. Have a great day!"
NO_ARTICLE_REPLY = (
    "I don't have an answer for that yet, so a human agent will take over this "
    "conversation shortly."
)

ESCALATION_REPLIES: dict[str, str] = {
    EscalationReason.CUSTOMER_REQUESTED_HUMAN: (
        "Of course. I'm passing this conversation to our team: a human agent will take "
        "over here shortly."
    ),
    EscalationReason.ACCOUNT_CHANGE_REQUIRES_HUMAN: (
        "For your security, changes to your account are made by our team. A human agent "
        "will take over this conversation shortly and help you with it."
    ),
    EscalationReason.REPEATED_MISUNDERSTANDING: (
        "I'm sorry I couldn't help you. A human agent will take over this conversation shortly."
    ),
    EscalationReason.LOW_CONFIDENCE: (
        "I want to make sure you get the right answer, so a human agent will take over "
        "this conversation shortly."
    ),
}

#: Intents still detected by rules: the Banking77 model has no label for them.
RULE_INTENTS: tuple[str, ...] = (
    HUMAN_REQUEST_INTENT,
    "greeting",
    "goodbye",
    "opening_hours",
    "security_phishing",
)

_CANNED = {"greeting": GREETING_REPLY, "goodbye": GOODBYE_REPLY}
#: Intents Banking77 has no label for: the rules decide them when they match clearly
#: (greetings get canned replies; the others are answered from their articles).
_RULE_FIRST = frozenset(_CANNED) | {"opening_hours", "security_phishing"}
_POOL_TOP_K = 10

_model_lock = threading.Lock()
_model: IntentModel | None = None


def default_model() -> IntentModel:
    """The shipped Banking77 model, loaded once per process on first use (~0.2 s)."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                _model = IntentModel.load()
    return _model


def strip_tags(text: str) -> str:
    """Replace redaction tags (``<CREDIT_CARD>``, ``<PERSON>`` ...) with a space."""
    return " ".join(REPLACEMENT_RE.sub(" ", text).split())


def _rule_matcher() -> IntentMatcher:
    return IntentMatcher({i: DEFAULT_PATTERNS[i] for i in RULE_INTENTS})


class DemoBankAgent:
    """Demo agent implementing :class:`~trustdesk.stages.AgentStage`.

    ``model`` defaults to the shipped Banking77 classifier (loaded once per process),
    ``matcher`` to the rule patterns of :data:`RULE_INTENTS` (only those intents are
    taken from it), ``knowledge`` to the built-in articles. Stateless and thread-safe:
    everything it needs comes with the context.
    """

    name = "agent"

    def __init__(
        self,
        *,
        confidence_threshold: float = 0.55,
        max_misunderstandings: int = 2,
        matcher: IntentMatcher | None = None,
        knowledge: KnowledgeBase | None = None,
        model: IntentModel | None = None,
        tools: ToolGate | None = None,
    ) -> None:
        if not 0.0 <= confidence_threshold <= 1.0:
            raise ConfigError("agent confidence_threshold must lie in [0, 1]")
        if max_misunderstandings < 1:
            raise ConfigError("agent max_misunderstandings must be at least 1")
        self.confidence_threshold = confidence_threshold
        self.max_misunderstandings = max_misunderstandings
        self.matcher = matcher if matcher is not None else _rule_matcher()
        self.knowledge = knowledge if knowledge is not None else default_knowledge()
        self.intent_model = model if model is not None else default_model()
        #: The least-privilege tool gate; without it the agent only answers from articles.
        self.tools = tools
        #: Recorded with every decision: the classifier's version plus the rules.
        self.model = f"{self.intent_model.version}+rules"

    @property
    def threshold(self) -> float:
        """The confidence bar: the setting, never below the model's out-of-scope threshold."""
        return max(self.confidence_threshold, self.intent_model.threshold)

    def _rules(self, text: str) -> list[IntentMatch]:
        return [m for m in self.matcher.rank(text) if m.intent in RULE_INTENTS]

    def _classify(self, text: str) -> tuple[list[IntentMatch], float]:
        """The model's ranked labels and the answer confidence of the best one.

        The answer confidence pools the probabilities of the labels that the best
        label's article also answers; a label without article keeps its own.
        """
        pred = self.intent_model.classify(text, top_k=_POOL_TOP_K)
        matches = [IntentMatch(label, p) for label, p in pred.top]
        best = matches[0]
        if best.intent == OUT_OF_SCOPE_INTENT:
            return matches, best.confidence
        article = self.knowledge.for_intent(best.intent)
        if article is None:
            return matches, best.confidence
        pooled = sum(m.confidence for m in matches if m.intent in article.intents)
        return matches, min(1.0, pooled)

    def respond(self, context: AgentContext) -> AgentDecision:
        runners_up: list[tuple[str, float]] = []
        decision = self._respond(context, runners_up)
        if not runners_up:
            return decision
        return dataclasses.replace(decision, alternatives=tuple(runners_up))

    def _respond(self, context: AgentContext, runners_up: list[tuple[str, float]]) -> AgentDecision:
        text = strip_tags(context.text)
        threshold = self.threshold
        rules = self._rules(text)
        canned = next(
            (m for m in rules if m.intent in _RULE_FIRST and m.confidence >= threshold), None
        )
        if canned is not None:
            matches, confidence = rules, canned.confidence
        else:
            matches, confidence = self._classify(text)
            runners_up.extend((m.intent, round(m.confidence, 4)) for m in matches[1:4])
            # a request for a human is honoured at any rank, next to any question
            matches += [m for m in rules if m.intent == HUMAN_REQUEST_INTENT]
        acted = self._act(context, matches, confidence, threshold)
        if acted is not None:
            return acted
        escalation = decide(
            matches,
            context.history,
            confidence_threshold=threshold,
            max_misunderstandings=self.max_misunderstandings,
            confidence=confidence,
        )
        best = matches[0].intent
        understood = best if confidence >= threshold and best != OUT_OF_SCOPE_INTENT else None

        if escalation is not None:
            intent = understood
            if escalation.code is EscalationReason.CUSTOMER_REQUESTED_HUMAN:
                intent = HUMAN_REQUEST_INTENT
                confidence = next(m.confidence for m in matches if m.intent == intent)
            return AgentDecision(
                reply=ESCALATION_REPLIES[escalation.code],
                intent=intent,
                confidence=confidence,
                escalate=True,
                reasons=(escalation.reason,),
                suggestion=escalation.suggestion,
                model=self.model,
            )

        if understood is None:  # unreachable: the policy escalates what is not understood
            raise StageError(self.name, "escalation policy let an unmatched message through")
        matched = Reason(
            code="intent_matched",
            message=f"intent {understood} matched",
            source=self.model,
            score=confidence,
            threshold=threshold,
        )
        if understood in _CANNED:
            return AgentDecision(
                reply=_CANNED[understood],
                intent=understood,
                confidence=confidence,
                escalate=False,
                reasons=(matched,),
                model=self.model,
            )
        article = self.knowledge.for_intent(understood)
        if article is None:
            return self._no_article(understood, confidence, threshold)
        hint = (
            self.tools is not None
            and context.tools_allowed
            and not context.customer_ref
            and understood in ACTION_INTENTS
        )
        return AgentDecision(
            reply=f"{article.body} {VERIFY_HINT}" if hint else article.body,
            intent=understood,
            confidence=confidence,
            escalate=False,
            reasons=(matched, _cited(article)),
            citation=article.id,
            model=self.model,
            needs_verification=hint,
        )

    def _act(
        self,
        context: AgentContext,
        matches: list[IntentMatch],
        confidence: float,
        threshold: float,
    ) -> AgentDecision | None:
        """A tool action for this turn, or None to answer as usual.

        Never when the guard asked for review (``tools_allowed`` is false) and never
        when the customer asked for a human: that is always honoured first.
        """
        if self.tools is None or not context.tools_allowed:
            return None
        if any(m.intent == HUMAN_REQUEST_INTENT for m in matches):
            return None
        if address_follow_up(context):
            reason = Reason(
                code="intent_matched",
                message=f"new address given after {ADDRESS_INTENT} was asked",
                source=self.model,
                score=confidence,
                threshold=threshold,
            )
            return act(self.tools, context, ADDRESS_INTENT, confidence, reason, self.model)
        best = matches[0]
        if best.intent not in ACTION_INTENTS or confidence < threshold:
            return None
        if not context.customer_ref and ACTION_INTENTS[best.intent] in READ_TOOLS:
            return None  # the article answers; the reply adds how to verify
        reason = Reason(
            code="intent_matched",
            message=f"intent {best.intent} matched",
            source=self.model,
            score=confidence,
            threshold=threshold,
        )
        return act(self.tools, context, best.intent, confidence, reason, self.model)

    def _no_article(self, intent: str, confidence: float, threshold: float) -> AgentDecision:
        return AgentDecision(
            reply=NO_ARTICLE_REPLY,
            intent=intent,
            confidence=confidence,
            escalate=True,
            reasons=(
                Reason(
                    code="no_article",
                    message=f"no knowledge article answers intent {intent}",
                    source=self.model,
                    score=confidence,
                    threshold=threshold,
                ),
            ),
            model=self.model,
        )


def _cited(article: Article) -> Reason:
    return Reason(
        code="knowledge_article",
        message=f"answered from article {article.id}",
        source=article.id,
    )
