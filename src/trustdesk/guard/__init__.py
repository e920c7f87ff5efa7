"""The ingress and egress guards."""

from trustdesk.guard.egress import (
    CANARY_PREFIX,
    DEFAULT_BLOCKED_TYPES,
    IdentifierEgressGuard,
    new_canary,
    normalize_identifier,
)
from trustdesk.guard.ingress import CATEGORY_BONUS, RuleIngressGuard
from trustdesk.guard.normalize import normalize_text
from trustdesk.guard.rules import CATEGORIES, Rule, default_rules, load_rules, parse_rules

__all__ = [
    "CANARY_PREFIX",
    "CATEGORIES",
    "CATEGORY_BONUS",
    "DEFAULT_BLOCKED_TYPES",
    "IdentifierEgressGuard",
    "Rule",
    "RuleIngressGuard",
    "default_rules",
    "load_rules",
    "new_canary",
    "normalize_identifier",
    "normalize_text",
    "parse_rules",
]
