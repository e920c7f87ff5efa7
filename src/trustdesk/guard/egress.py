"""The egress guard: stops a reply that leaks an identifier or the prompt.

A reply is blocked when

* it contains an identifier of a blocked type (card number, IBAN, e-mail, ...) that
  does not belong to the conversation's customer: the detector ``find`` (the privacy
  engine's analyzer) locates identifiers, :func:`normalize_identifier` puts each found
  value in canonical form, and a value missing from ``context.own_values`` is a leak;
* it contains a canary token: a random marker planted in the agent's instructions
  (see :func:`new_canary`), which only appears in a reply when the prompt leaked;
* it contains a *restricted* value (``restricted_values``: internal numbers, staff
  lines, test accounts) — whoever the customer is;
* it gives advice the bank's profile forbids (``advice_profiles``): personalised
  investment advice ("you should buy shares of ..."), medical advice ("stop taking
  your ..."), legal or tax advice. These are regulated activities a customer-service
  agent must not perform; the patterns look for advice *given*, not topics
  mentioned, so "we can't give investment advice" passes.

Reasons name the identifier type and its offsets in the reply, never the value, and
never the canary.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence

from trustdesk.errors import ConfigError, StageError
from trustdesk.types import EgressContext, Finding, GuardResult, Reason, Verdict

__all__ = [
    "ADVICE_PATTERNS",
    "CANARY_PREFIX",
    "DEFAULT_ADVICE_PROFILES",
    "DEFAULT_BLOCKED_TYPES",
    "IdentifierEgressGuard",
    "new_canary",
    "normalize_identifier",
]

#: Identifier types a reply may only contain when they belong to the customer.
DEFAULT_BLOCKED_TYPES: frozenset[str] = frozenset(
    {
        "CREDIT_CARD",
        "IBAN_CODE",
        "US_SSN",
        "EMAIL_ADDRESS",
        "PHONE_NUMBER",
        "BANK_ACCOUNT",
        "MEDICAL_RECORD_NUMBER",
        "STREET_ADDRESS",
        "IP_ADDRESS",
    }
)

CANARY_PREFIX = "cnry-"

#: Advice a customer-service reply must not give, by profile: patterns of advice given.
ADVICE_PATTERNS: dict[str, tuple[str, ...]] = {
    "investment": (
        r"\byou should (?:definitely |probably |really )?(?:buy|sell|invest in|short|hold)\b",
        r"\bi(?: would|'d|’d)? (?:recommend|suggest|advise) (?:that )?(?:you )?(?:buying|selling"
        r"|investing|putting (?:all |some |most )?(?:of )?your (?:money|savings))",
        r"\b(?:buy|sell) (?:shares|stocks?|bitcoin|crypto(?:currency)?|bonds) (?:now|today|of)\b",
        r"\b(?:guaranteed|risk[- ]free) (?:returns?|profit|gains?)\b",
        r"\bput (?:all|most) of your (?:money|savings) (?:in|into)\b",
    ),
    "medical": (
        r"\byou should (?:stop|start|double|increase|decrease|reduce) (?:taking |your )",
        r"\b(?:stop|start) taking (?:your )?[a-z]+(?: medication| pills?)?\b(?! without)",
        r"\btake \d+ ?(?:mg|milligrams?|pills?|tablets?)\b",
        r"\byou (?:probably |likely |definitely )?have (?:diabetes|cancer|depression|covid"
        r"|an infection|a heart condition)\b",
    ),
    "legal": (
        r"\byou should (?:sue|file a lawsuit|not pay (?:your|the) (?:taxes|debt))\b",
        r"\b(?:you can|just) (?:ignore|avoid paying) (?:your|the) (?:taxes|tax bill|debt)\b",
    ),
}
DEFAULT_ADVICE_PROFILES: frozenset[str] = frozenset(ADVICE_PATTERNS)

_DIGIT_TYPES = frozenset({"CREDIT_CARD", "US_SSN", "PHONE_NUMBER", "BANK_ACCOUNT"})
_NON_DIGIT = re.compile(r"\D")
_NON_ALNUM = re.compile(r"[\W_]")
_SPACE = re.compile(r"\s+")


def _squash(text: str) -> str:
    """Letters and digits only, casefolded: how a canary is looked for when disguised."""
    return _NON_ALNUM.sub("", text.casefold())


def normalize_identifier(entity_type: str, value: str) -> str:
    """Canonical form of an identifier, for comparing it with the customer's own values.

    * card, SSN, phone and account numbers: digits only (``"4111 1111-1111 1111"`` →
      ``"4111111111111111"``; ``"+1 555-0100"`` → ``"15550100"``);
    * e-mail: trimmed and casefolded;
    * IBAN: whitespace removed, upper case;
    * medical record number: letters and digits only, upper case;
    * IP address: trimmed, lower case;
    * anything else (street address, ...): casefolded, whitespace collapsed, trailing
      punctuation dropped.
    """
    if entity_type in _DIGIT_TYPES:
        return _NON_DIGIT.sub("", value)
    if entity_type == "EMAIL_ADDRESS":
        return value.strip().casefold()
    if entity_type == "IBAN_CODE":
        return _SPACE.sub("", value).upper()
    if entity_type == "MEDICAL_RECORD_NUMBER":
        return _NON_ALNUM.sub("", value).upper()
    if entity_type == "IP_ADDRESS":
        return value.strip().lower()
    return _SPACE.sub(" ", value.casefold()).strip().rstrip(".,;:")


def new_canary() -> str:
    """A fresh random canary token (``cnry-`` + 16 hex digits) to plant in a prompt."""
    return CANARY_PREFIX + secrets.token_hex(8)


class IdentifierEgressGuard:
    """Blocks replies that carry someone else's identifiers or a canary token.

    ``find`` returns the identifiers in a text as :class:`~trustdesk.types.Finding`
    spans; a detector that raises turns into a :class:`~trustdesk.errors.StageError`
    (the pipeline then fails closed). A finding whose span lies outside the reply
    blocks it too: a guard that cannot read a value cannot vouch for it.

    ``canaries`` are matched exactly and also with case, punctuation, spaces and
    invisible characters ignored ("CNRY 0a1b ..." still counts).

    ``public_values`` are normalized identifiers anyone may see (the bank's published
    support e-mail or phone number); without them a reply quoting the bank's own
    hotline would count as a leak.
    """

    name = "egress_guard"

    def __init__(
        self,
        find: Callable[[str], Sequence[Finding]],
        *,
        canaries: Sequence[str] = (),
        blocked_types: frozenset[str] = DEFAULT_BLOCKED_TYPES,
        public_values: frozenset[str] = frozenset(),
        restricted_values: frozenset[str] = frozenset(),
        advice_profiles: frozenset[str] = DEFAULT_ADVICE_PROFILES,
    ) -> None:
        if any(len(_squash(c)) < 8 for c in canaries):
            raise ConfigError("canary tokens need at least 8 letters or digits")
        unknown = set(advice_profiles) - set(ADVICE_PATTERNS)
        if unknown:
            raise ConfigError(
                f"unknown advice profile(s) {sorted(unknown)}; known: {sorted(ADVICE_PATTERNS)}"
            )
        self.restricted_values = frozenset(_squash(v) for v in restricted_values if _squash(v))
        self._advice = tuple(
            (profile, re.compile(pattern, re.IGNORECASE))
            for profile in sorted(advice_profiles)
            for pattern in ADVICE_PATTERNS[profile]
        )
        self._find = find
        self._canaries = tuple(canaries)
        self._squashed_canaries = tuple(_squash(c) for c in canaries)
        self.blocked_types = frozenset(blocked_types)
        self.public_values = frozenset(public_values)

    def _canary_reasons(self, reply: str) -> list[Reason]:
        if not self._canaries:
            return []
        squashed = _squash(reply)
        reasons = []
        for i, (canary, squashed_canary) in enumerate(
            zip(self._canaries, self._squashed_canaries, strict=True)
        ):
            if canary in reply or squashed_canary in squashed:
                start = reply.find(canary)
                where = f" at offset {start}" if start >= 0 else ""
                reasons.append(
                    Reason(
                        code="egress.canary",
                        message=f"reply contains canary token #{i + 1}{where} (prompt leak)",
                        source=self.name,
                        score=1.0,
                        threshold=1.0,
                    )
                )
        return reasons

    def _policy_reasons(self, reply: str) -> list[Reason]:
        reasons: list[Reason] = []
        if self.restricted_values:
            squashed = _squash(reply)
            hits = sum(1 for v in self.restricted_values if v in squashed)
            if hits:
                reasons.append(
                    Reason(
                        code="egress.restricted_identifier",
                        message=f"reply contains {hits} restricted value(s)",
                        source=self.name,
                        score=1.0,
                    )
                )
        seen: set[str] = set()
        for profile, pattern in self._advice:
            if profile in seen:
                continue
            match = pattern.search(reply)
            if match is not None:
                seen.add(profile)
                reasons.append(
                    Reason(
                        code=f"egress.advice.{profile}",
                        message=f"reply gives {profile} advice at offset {match.start()}, "
                        "which the bank's profile forbids",
                        source=self.name,
                        score=0.9,
                    )
                )
        return reasons

    def check(self, reply: str, context: EgressContext) -> GuardResult:
        reasons = self._canary_reasons(reply) + self._policy_reasons(reply)
        try:
            findings = list(self._find(reply))
        except Exception as exc:
            raise StageError(self.name, f"identifier detector raised {type(exc).__name__}") from exc
        allowed: list[Reason] = []
        score = 1.0 if reasons else 0.0
        for f in sorted(findings, key=lambda f: (f.start, f.end)):
            if f.entity_type not in self.blocked_types:
                continue
            span = f"[{f.start}, {f.end})"
            if f.end > len(reply):
                reasons.append(
                    Reason(
                        code="egress.invalid_finding",
                        message=f"{f.entity_type} finding at {span} lies outside the reply",
                        source=f.detector,
                        score=1.0,
                    )
                )
                score = 1.0
                continue
            value = normalize_identifier(f.entity_type, reply[f.start : f.end])
            if value and value in context.own_values:
                allowed.append(
                    Reason(
                        code="egress.own_identifier",
                        message=f"{f.entity_type} at {span} belongs to this customer",
                        source=f.detector,
                        score=f.score,
                    )
                )
                continue
            if value and value in self.public_values:
                allowed.append(
                    Reason(
                        code="egress.public_identifier",
                        message=f"{f.entity_type} at {span} is a published bank identifier",
                        source=f.detector,
                        score=f.score,
                    )
                )
                continue
            reasons.append(
                Reason(
                    code="egress.foreign_identifier",
                    message=f"reply contains a {f.entity_type} at {span} "
                    "that does not belong to this customer",
                    source=f.detector,
                    score=f.score,
                )
            )
            score = max(score, f.score)
        if reasons:
            return GuardResult(verdict=Verdict.BLOCK, score=score, reasons=tuple(reasons))
        return GuardResult(verdict=Verdict.ALLOW, score=0.0, reasons=tuple(allowed))
