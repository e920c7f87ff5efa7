"""The ingress and egress guards."""

from trustdesk.guard.egress import (
    CANARY_PREFIX,
    DEFAULT_BLOCKED_TYPES,
    IdentifierEgressGuard,
    new_canary,
    normalize_identifier,
)
from trustdesk.guard.ingress import CATEGORY_BONUS, RuleIngressGuard
from trustdesk.guard.layered import (
    SOURCES,
    UNTRUSTED_SOURCES,
    LayeredIngressGuard,
    Source,
    default_injection_model,
)
from trustdesk.guard.limits import AbuseLimits, SlidingWindowLimiter
from trustdesk.guard.model import InjectionModel
from trustdesk.guard.normalize import normalize_text
from trustdesk.guard.rules import CATEGORIES, Rule, default_rules, load_rules, parse_rules

__all__ = [
    "CANARY_PREFIX",
    "CATEGORIES",
    "CATEGORY_BONUS",
    "DEFAULT_BLOCKED_TYPES",
    "SOURCES",
    "UNTRUSTED_SOURCES",
    "AbuseLimits",
    "IdentifierEgressGuard",
    "InjectionModel",
    "LayeredIngressGuard",
    "Rule",
    "RuleIngressGuard",
    "SlidingWindowLimiter",
    "Source",
    "default_injection_model",
    "default_rules",
    "load_rules",
    "new_canary",
    "normalize_identifier",
    "normalize_text",
    "parse_rules",
]
