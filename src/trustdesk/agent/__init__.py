"""The demo AI agent of Northwind Bank: intents, knowledge articles, escalation policy."""

from trustdesk.agent.agent import (
    ESCALATION_REPLIES,
    GOODBYE_REPLY,
    GREETING_REPLY,
    DemoBankAgent,
)
from trustdesk.agent.escalation import (
    ACCOUNT_CHANGE_ACTIONS,
    Escalation,
    EscalationReason,
    decide,
)
from trustdesk.agent.intents import INTENTS, IntentMatch, IntentMatcher
from trustdesk.agent.knowledge import (
    Article,
    KnowledgeBase,
    default_knowledge,
    load_articles,
    parse_article,
)

__all__ = [
    "ACCOUNT_CHANGE_ACTIONS",
    "ESCALATION_REPLIES",
    "GOODBYE_REPLY",
    "GREETING_REPLY",
    "INTENTS",
    "Article",
    "DemoBankAgent",
    "Escalation",
    "EscalationReason",
    "IntentMatch",
    "IntentMatcher",
    "KnowledgeBase",
    "decide",
    "default_knowledge",
    "load_articles",
    "parse_article",
]
