"""The demo agent of Northwind Bank: intent matching, a knowledge base and a policy.

For each (already redacted) message the agent ranks intents, asks the escalation
policy (:mod:`trustdesk.agent.escalation`) whether a human must take over, and
otherwise answers with the knowledge article for the intent, citing it. Greetings and
goodbyes get short canned replies without a citation.

Replies come only from the articles and the canned texts below: the agent never
echoes what the customer wrote. It has no tools, so ``context.tools_allowed == False``
(the ingress guard asked for review) changes nothing for knowledge answers.
"""

from __future__ import annotations

from trustdesk.agent.escalation import HUMAN_REQUEST_INTENT, EscalationReason, decide
from trustdesk.agent.intents import IntentMatch, IntentMatcher
from trustdesk.agent.knowledge import Article, KnowledgeBase, default_knowledge
from trustdesk.errors import ConfigError, StageError
from trustdesk.types import AgentContext, AgentDecision, Reason

__all__ = ["ESCALATION_REPLIES", "GOODBYE_REPLY", "GREETING_REPLY", "DemoBankAgent"]

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

_CANNED = {"greeting": GREETING_REPLY, "goodbye": GOODBYE_REPLY}


class DemoBankAgent:
    """Rule-based demo agent implementing :class:`~trustdesk.stages.AgentStage`.

    ``matcher`` and ``knowledge`` default to the built-in intent patterns and articles.
    Stateless and thread-safe: everything it needs comes with the context.
    """

    name = "agent"
    model = "demo-rules-v1"

    def __init__(
        self,
        *,
        confidence_threshold: float = 0.55,
        max_misunderstandings: int = 2,
        matcher: IntentMatcher | None = None,
        knowledge: KnowledgeBase | None = None,
    ) -> None:
        if not 0.0 <= confidence_threshold <= 1.0:
            raise ConfigError("agent confidence_threshold must lie in [0, 1]")
        if max_misunderstandings < 1:
            raise ConfigError("agent max_misunderstandings must be at least 1")
        self.confidence_threshold = confidence_threshold
        self.max_misunderstandings = max_misunderstandings
        self.matcher = matcher if matcher is not None else IntentMatcher()
        self.knowledge = knowledge if knowledge is not None else default_knowledge()

    def _answer_confidence(self, matches: list[IntentMatch]) -> float:
        """The best intent's confidence, pooled with intents answered by the same article.

        "Fees and exchange rates?" splits its evidence between two intents that one
        article answers; the answer is as certain as their sum.
        """
        best = matches[0]
        article = self.knowledge.for_intent(best.intent)
        if article is None:
            return best.confidence
        pooled = sum(m.confidence for m in matches if m.intent in article.intents)
        return min(1.0, pooled)

    def respond(self, context: AgentContext) -> AgentDecision:
        matches = self.matcher.rank(context.text)
        confidence = self._answer_confidence(matches) if matches else 0.0
        escalation = decide(
            matches,
            context.history,
            confidence_threshold=self.confidence_threshold,
            max_misunderstandings=self.max_misunderstandings,
            confidence=confidence,
        )
        understood = (
            matches[0].intent if matches and confidence >= self.confidence_threshold else None
        )

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
            threshold=self.confidence_threshold,
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
            return self._no_article(understood, confidence)
        return AgentDecision(
            reply=article.body,
            intent=understood,
            confidence=confidence,
            escalate=False,
            reasons=(matched, _cited(article)),
            citation=article.id,
            model=self.model,
        )

    def _no_article(self, intent: str, confidence: float) -> AgentDecision:
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
