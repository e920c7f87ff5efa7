"""Policies: which operator applies to which entity type, on which channel.

A :class:`Policy` maps ``(channel, entity_type)`` to an :class:`~.operators.Operator`.
Lookup order: the channel's own rule for the type, the policy's rule for the type,
the channel's default, the policy's default.

Profiles add hard constraints on top of any policy (:func:`build_policy`):

``hipaa``
    Every PHI type (:data:`~trustdesk.privacy.entities.PHI_TYPES`) is always
    redacted: ``keep`` is refused for them, and so is ``mask`` (a mask keeps the
    shape, and with it, e.g., a date's format). Dates (``DATE_TIME``) are redacted
    too, since Safe Harbor removes every element of a date but the year.
``pci``
    Card data is never stored, not even encrypted, beyond the last four digits:
    ``CREDIT_CARD`` is ``keep_last:4`` or ``tag``; ``CARD_CVV``, ``CARD_EXPIRY`` and
    ``PASSWORD_OR_PIN`` are ``tag``. Reversible operators (``encrypt``, ``keep``) and
    pseudonyms (a keyed hash of a card number can be brute-forced over the card
    space) are refused for PCI types.

Policies come from YAML::

    profiles: [pci, hipaa]
    default: pseudonymize
    types:
      CREDIT_CARD: keep_last:4
      DATE_TIME: keep
    channels:
      voice:
        default: tag

A profile never silently weakens a rule: a YAML file that asks for something a
profile forbids is a :class:`~trustdesk.errors.ConfigError` naming the type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from trustdesk.errors import ConfigError
from trustdesk.privacy.entities import (
    CARD_CVV,
    CARD_EXPIRY,
    CREDIT_CARD,
    DATE_TIME,
    ENTITY_TYPES,
    PASSWORD_OR_PIN,
    PCI_TYPES,
    PHI_TYPES,
)
from trustdesk.privacy.operators import Action, Operator

CHANNELS = frozenset({"chat", "web", "voice", "email", "sms", "api", "webhook"})
PROFILES = frozenset({"hipaa", "pci"})

TAG = Operator(Action.TAG)
PSEUDONYMIZE = Operator(Action.PSEUDONYMIZE)
KEEP_LAST_4 = Operator(Action.KEEP_LAST, 4)

#: TrustDesk's built-in rules, below anything a deployment configures: card data
#: PCI-style, and dates kept (the date of a disputed payment is not personal data by
#: itself; birth dates are ``DATE_OF_BIRTH``). Profiles override these silently.
DEFAULT_TYPES: dict[str, Operator] = {
    CREDIT_CARD: KEEP_LAST_4,
    CARD_CVV: TAG,
    CARD_EXPIRY: TAG,
    PASSWORD_OR_PIN: TAG,
    DATE_TIME: Operator(Action.KEEP),
}


@dataclass(frozen=True)
class Policy:
    """Operators per entity type and channel, plus the profiles that constrain them.

    Lookup, first match wins: the channel's rule for the type, the policy's rule for
    the type, the channel's default, the built-in rule for the type (``base``), the
    policy's default. Explicit rules are checked against the profiles
    (:meth:`check`); built-in rules and defaults are silently made compliant.
    """

    default: Operator = PSEUDONYMIZE
    types: Mapping[str, Operator] = field(default_factory=dict)
    channels: Mapping[str, Mapping[str, Operator]] = field(default_factory=dict)
    channel_defaults: Mapping[str, Operator] = field(default_factory=dict)
    profiles: frozenset[str] = frozenset()
    base: Mapping[str, Operator] = field(default_factory=dict)

    def operator(self, entity_type: str, channel: str = "chat") -> Operator:
        """The operator for ``entity_type`` on ``channel``, with the profiles enforced."""
        chosen = (
            self.channels.get(channel, {}).get(entity_type)
            or self.types.get(entity_type)
            or self.channel_defaults.get(channel)
            or self.base.get(entity_type)
            or self.default
        )
        return _enforce(self.profiles, entity_type, chosen)

    def check(self) -> None:
        """Raise ConfigError where an explicit rule breaks a profile."""
        explicit: list[tuple[str, str, Operator]] = [
            ("*", t, op) for t, op in self.types.items()
        ] + [(ch, t, op) for ch, rules in self.channels.items() for t, op in rules.items()]
        for channel, entity_type, op in explicit:
            problem = _violation(self.profiles, entity_type, op)
            if problem:
                where = "" if channel == "*" else f" on channel {channel!r}"
                raise ConfigError(f"policy rule {entity_type}={op}{where}: {problem}")


def _violation(profiles: frozenset[str], entity_type: str, op: Operator) -> str | None:
    if "pci" in profiles and entity_type in PCI_TYPES:
        if entity_type == CREDIT_CARD:
            if op.action is Action.KEEP_LAST and op.n <= 4:
                return None
            if op.action is Action.TAG:
                return None
            return "the pci profile allows only keep_last:4 (or less) or tag for card numbers"
        if op.action is not Action.TAG:
            return "the pci profile stores no CVV, expiry or PIN in any form: use tag"
    if "hipaa" in profiles and (entity_type in PHI_TYPES or entity_type == DATE_TIME):
        if op.action in (Action.KEEP, Action.MASK):
            return "the hipaa profile always redacts PHI: keep and mask are refused"
    return None


def _enforce(profiles: frozenset[str], entity_type: str, op: Operator) -> Operator:
    """``op``, or the strictest safe operator when ``op`` breaks a profile (defaults only)."""
    if not profiles or _violation(profiles, entity_type, op) is None:
        return op
    if entity_type == CREDIT_CARD:
        return KEEP_LAST_4
    return TAG if entity_type in PCI_TYPES else PSEUDONYMIZE


def _operator(value: Any, where: str) -> Operator:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: an operator must be a string, got {type(value).__name__}")
    try:
        return Operator.parse(value)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _type_rules(raw: Any, where: str) -> dict[str, Operator]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping of entity type to operator")
    rules: dict[str, Operator] = {}
    for entity_type, value in raw.items():
        if entity_type not in ENTITY_TYPES:
            raise ConfigError(f"{where}: unknown entity type {entity_type!r}")
        rules[entity_type] = _operator(value, f"{where}.{entity_type}")
    return rules


def build_policy(
    *,
    profiles: Iterable[str] = (),
    default: str | None = None,
    types: Mapping[str, str] | None = None,
    channels: Mapping[str, Mapping[str, str]] | None = None,
) -> Policy:
    """A checked policy: TrustDesk's defaults, overridden by the arguments."""
    chosen = frozenset(p.strip().lower() for p in profiles if p.strip())
    unknown = chosen - PROFILES
    if unknown:
        raise ConfigError(
            f"unknown privacy profile(s) {sorted(unknown)}; known: {sorted(PROFILES)}"
        )
    data: dict[str, Any] = {"default": default, "types": dict(types or {}), "channels": channels}
    return _from_mapping(data, chosen, "policy")


def _from_mapping(data: Mapping[str, Any], profiles: frozenset[str], where: str) -> Policy:
    unknown_keys = set(data) - {"profiles", "default", "types", "channels"}
    if unknown_keys:
        raise ConfigError(f"{where}: unknown key(s) {sorted(unknown_keys)}")
    raw_default = data.get("default")
    default = (
        _operator(raw_default, f"{where}.default") if raw_default is not None else PSEUDONYMIZE
    )
    types = _type_rules(data.get("types"), f"{where}.types")
    channels: dict[str, dict[str, Operator]] = {}
    channel_defaults: dict[str, Operator] = {}
    raw_channels = data.get("channels") or {}
    if not isinstance(raw_channels, dict):
        raise ConfigError(f"{where}.channels: expected a mapping of channel to rules")
    for channel, rules in raw_channels.items():
        if channel not in CHANNELS:
            raise ConfigError(
                f"{where}.channels: unknown channel {channel!r}; known: {sorted(CHANNELS)}"
            )
        if rules is None:
            rules = {}
        if not isinstance(rules, dict):
            raise ConfigError(
                f"{where}.channels.{channel}: expected a mapping of entity type to operator"
            )
        rules = dict(rules)
        if "default" in rules:
            channel_defaults[channel] = _operator(
                rules.pop("default"), f"{where}.channels.{channel}.default"
            )
        channels[channel] = _type_rules(rules, f"{where}.channels.{channel}")
    policy = Policy(default, types, channels, channel_defaults, profiles, DEFAULT_TYPES)
    policy.check()
    return policy


def load_policy(path: Path, *, extra_profiles: Iterable[str] = ()) -> Policy:
    """A policy from a YAML file (see the module docstring), plus ``extra_profiles``."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read privacy policy {path}: {exc}") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: a privacy policy is a mapping")
    profiles = raw.get("profiles") or []
    if not isinstance(profiles, list) or not all(isinstance(p, str) for p in profiles):
        raise ConfigError(f"{path}: profiles must be a list of names")
    chosen = frozenset(p.lower() for p in [*profiles, *extra_profiles])
    unknown = chosen - PROFILES
    if unknown:
        raise ConfigError(f"{path}: unknown privacy profile(s) {sorted(unknown)}")
    return _from_mapping(raw, chosen, str(path))


def policy_from_settings(
    *, profiles: Iterable[str], default_operator: str, policy_file: Path | None
) -> Policy:
    """The policy that the ``privacy`` settings section describes."""
    if policy_file is not None:
        return load_policy(policy_file, extra_profiles=profiles)
    return build_policy(profiles=profiles, default=default_operator)
