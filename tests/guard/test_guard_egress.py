"""Egress guard: foreign identifiers and canary tokens are blocked, the customer's own pass."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

from trustdesk.errors import ConfigError, StageError
from trustdesk.guard import (
    DEFAULT_BLOCKED_TYPES,
    IdentifierEgressGuard,
    new_canary,
    normalize_identifier,
)
from trustdesk.stages import EgressGuard
from trustdesk.types import EgressContext, Finding, Verdict

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CARD = re.compile(r"\b\d{4}(?:[ -]?\d{4}){3}\b")


def find(text: str) -> Sequence[Finding]:
    """A tiny stand-in detector: e-mail addresses and 16-digit card numbers."""
    found = [
        Finding("EMAIL_ADDRESS", m.start(), m.end(), 0.9, "test-email")
        for m in _EMAIL.finditer(text)
    ]
    found += [
        Finding("CREDIT_CARD", m.start(), m.end(), 0.95, "test-card") for m in _CARD.finditer(text)
    ]
    return found


OWN = EgressContext(
    conversation_id="c-1",
    own_values=frozenset(
        {
            normalize_identifier("EMAIL_ADDRESS", "Ana.Customer@Example.com"),
            normalize_identifier("CREDIT_CARD", "4111 1111 1111 1111"),
        }
    ),
)
GUARD = IdentifierEgressGuard(find)


@pytest.mark.parametrize(
    ("reply", "verdict", "codes"),
    [
        ("Your card will arrive in 5 to 7 working days.", Verdict.ALLOW, []),
        (
            "We sent the details to ana.customer@example.com.",
            Verdict.ALLOW,
            ["egress.own_identifier"],
        ),
        (
            "We sent the details to ANA.CUSTOMER@EXAMPLE.COM.",
            Verdict.ALLOW,
            ["egress.own_identifier"],
        ),
        ("Card 4111-1111-1111-1111 is active.", Verdict.ALLOW, ["egress.own_identifier"]),
        ("Card 4111111111111111 is active.", Verdict.ALLOW, ["egress.own_identifier"]),
        ("Contact bob@example.org for help.", Verdict.BLOCK, ["egress.foreign_identifier"]),
        ("The card 5555 5555 5555 4444 is blocked.", Verdict.BLOCK, ["egress.foreign_identifier"]),
        (
            "Your card 4111 1111 1111 1111 and bob@example.net",
            Verdict.BLOCK,
            ["egress.own_identifier", "egress.foreign_identifier"],
        ),
    ],
)
def test_identifiers(reply: str, verdict: Verdict, codes: list[str]) -> None:
    result = GUARD.check(reply, OWN)
    assert result.verdict is verdict
    if verdict is Verdict.ALLOW:
        assert sorted(r.code for r in result.reasons) == sorted(codes)
        assert result.score == 0.0
    else:
        assert {r.code for r in result.reasons} == {"egress.foreign_identifier"}
        assert result.score > 0.0


def test_reasons_name_type_and_offsets_never_the_value() -> None:
    reply = "Write to bob@example.org or pay with 5555 5555 5555 4444."
    result = GUARD.check(reply, OWN)
    assert result.verdict is Verdict.BLOCK
    messages = [r.message for r in result.reasons]
    assert len(messages) == 2
    assert "EMAIL_ADDRESS at [9, 24)" in messages[0]
    assert "CREDIT_CARD at [37, 56)" in messages[1]
    for r in result.reasons:
        assert "bob@example.org" not in r.message
        assert "5555" not in r.message
        assert r.source in {"test-email", "test-card"}


def test_another_customers_identifier_is_foreign() -> None:
    other = EgressContext(conversation_id="c-2", own_values=frozenset({"carl@example.com"}))
    result = GUARD.check("We sent the details to ana.customer@example.com.", other)
    assert result.verdict is Verdict.BLOCK


def test_no_own_values_means_every_identifier_is_foreign() -> None:
    result = GUARD.check("Card 4111 1111 1111 1111", EgressContext(conversation_id="c-3"))
    assert result.verdict is Verdict.BLOCK


def test_types_outside_the_blocked_set_pass() -> None:
    def find_person(text: str) -> Sequence[Finding]:
        return [Finding("PERSON", 0, text.index(" "), 0.9, "test-person")]

    result = IdentifierEgressGuard(find_person).check("Ana will help you.", OWN)
    assert result.verdict is Verdict.ALLOW
    only_cards = IdentifierEgressGuard(find, blocked_types=frozenset({"CREDIT_CARD"}))
    assert only_cards.check("Mail bob@example.org", OWN).verdict is Verdict.ALLOW
    assert only_cards.check("Card 5555 5555 5555 4444", OWN).verdict is Verdict.BLOCK


def test_canary_in_reply_blocks() -> None:
    canary = new_canary()
    guard = IdentifierEgressGuard(find, canaries=[canary])
    assert guard.check("Your card arrives in 5 days.", OWN).verdict is Verdict.ALLOW
    for leak in (
        f"My instructions say {canary}, be helpful.",
        f"My instructions say {canary.upper()}",
        f"hidden: {canary[:6]}\u200b{canary[6:]}",
        f"spaced: {' '.join(canary.upper())}",
    ):
        result = guard.check(leak, OWN)
        assert result.verdict is Verdict.BLOCK, leak
        assert result.score == 1.0
        assert [r.code for r in result.reasons] == ["egress.canary"]
        assert canary not in result.reasons[0].message


def test_new_canary_format_and_randomness() -> None:
    tokens = {new_canary() for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert re.fullmatch(r"cnry-[0-9a-f]{16}", token)


@pytest.mark.parametrize("canary", ["", " ", "cnry-12"])
def test_weak_canary_is_refused(canary: str) -> None:
    with pytest.raises(ConfigError):
        IdentifierEgressGuard(find, canaries=[canary])


def test_published_bank_identifiers_pass() -> None:
    guard = IdentifierEgressGuard(find, public_values=frozenset({"help@northwind.example"}))
    result = guard.check("Write to Help@Northwind.example any time.", OWN)
    assert result.verdict is Verdict.ALLOW
    assert [r.code for r in result.reasons] == ["egress.public_identifier"]
    assert guard.check("Write to bob@northwind.example", OWN).verdict is Verdict.BLOCK


def test_failing_detector_raises_stage_error_without_the_text() -> None:
    def broken(text: str) -> Sequence[Finding]:
        raise RuntimeError(f"boom on {text}")

    with pytest.raises(StageError) as info:
        IdentifierEgressGuard(broken).check("secret reply", OWN)
    assert "secret reply" not in str(info.value)
    assert info.value.stage == "egress_guard"


def test_finding_outside_the_reply_fails_closed() -> None:
    def wrong(text: str) -> Sequence[Finding]:
        return [Finding("CREDIT_CARD", 5, len(text) + 10, 0.9, "bad")]

    result = IdentifierEgressGuard(wrong).check("short reply", OWN)
    assert result.verdict is Verdict.BLOCK
    assert result.reasons[0].code == "egress.invalid_finding"


@pytest.mark.parametrize(
    ("entity_type", "value", "expected"),
    [
        ("CREDIT_CARD", "4111 1111-1111 1111", "4111111111111111"),
        ("US_SSN", "078-05-1120", "078051120"),
        ("PHONE_NUMBER", "+1 (555) 010-0199", "15550100199"),
        ("BANK_ACCOUNT", "0001 2345 67", "0001234567"),
        ("EMAIL_ADDRESS", "  Ana.Customer@Example.COM ", "ana.customer@example.com"),
        ("IBAN_CODE", "gb82 west 1234 5698 7654 32", "GB82WEST12345698765432"),
        ("MEDICAL_RECORD_NUMBER", "mrn-00123", "MRN00123"),
        ("IP_ADDRESS", " 2001:DB8::1 ", "2001:db8::1"),
        ("STREET_ADDRESS", "12  Example Street,", "12 example street"),
    ],
)
def test_normalize_identifier(entity_type: str, value: str, expected: str) -> None:
    assert normalize_identifier(entity_type, value) == expected


def test_protocol_name_and_defaults() -> None:
    assert isinstance(GUARD, EgressGuard)
    assert GUARD.name == "egress_guard"
    assert GUARD.blocked_types == DEFAULT_BLOCKED_TYPES
    assert {"CREDIT_CARD", "IBAN_CODE", "EMAIL_ADDRESS", "IP_ADDRESS"} <= DEFAULT_BLOCKED_TYPES
