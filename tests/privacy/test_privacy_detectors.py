"""Table-driven detector tests: each row is a text and every span the detector must report.

Rows with an empty expectation are the negative cases. All data is fake: test card
numbers, published example IBANs, 555 phone numbers, reserved e-mail domains, SSNs
from the never-issued or advertising ranges or obviously made up.
"""

from __future__ import annotations

import phonenumbers
import pytest

from trustdesk.privacy.detectors import (
    CREDIT_CARD,
    EMAIL_ADDRESS,
    IBAN_CODE,
    IP_ADDRESS,
    PHONE_NUMBER,
    US_SSN,
    CreditCardDetector,
    Detector,
    EmailDetector,
    IbanDetector,
    IpAddressDetector,
    PhoneDetector,
    UsSsnDetector,
)
from trustdesk.privacy.detectors.credit_card import card_spans

Span = tuple[str, int, int]


def spans(detector: Detector, text: str) -> list[Span]:
    return sorted((f.entity_type, f.start, f.end) for f in detector.analyze(text))


def _check_table(detector: Detector, text: str, expected: list[Span]) -> None:
    found = detector.analyze(text)
    assert sorted((f.entity_type, f.start, f.end) for f in found) == sorted(expected)
    for f in found:
        assert f.detector == detector.name
        assert f.entity_type in detector.entity_types
        assert 0.0 <= f.score <= 1.0
        assert f.explanation
        # The explanation names the pattern or validator, never the value.
        assert text[f.start : f.end] not in f.explanation


EMAIL_CASES: list[tuple[str, list[Span]]] = [
    ("write to jane.doe@example.com please", [(EMAIL_ADDRESS, 9, 29)]),
    ("ops+alerts@mail.example.", [(EMAIL_ADDRESS, 0, 23)]),
    ("a@b.example and c_d@sub.example.com", [(EMAIL_ADDRESS, 0, 11), (EMAIL_ADDRESS, 16, 35)]),
    ("<JOHN.SMITH@EXAMPLE.ORG>", [(EMAIL_ADDRESS, 1, 23)]),
    ("no at sign here", []),
    ("user@localhost is not routable", []),
    ("@example.com alone", []),
    ("email me at jane@", []),
    ("jane@example has no tld", []),
    ("price is 5 @ 3.50", []),
]


@pytest.mark.parametrize(("text", "expected"), EMAIL_CASES)
def test_email(text: str, expected: list[Span]) -> None:
    _check_table(EmailDetector(), text, expected)


CARD_CASES: list[tuple[str, list[Span]]] = [
    ("my card is 4111 1111 1111 1111", [(CREDIT_CARD, 11, 30)]),
    ("4111-1111-1111-1111", [(CREDIT_CARD, 0, 19)]),
    ("5555555555554444.", [(CREDIT_CARD, 0, 16)]),
    ("amex 3782 822463 10005", [(CREDIT_CARD, 5, 22)]),
    ("visa 4222222222222 (13 digits)", [(CREDIT_CARD, 5, 18)]),
    ("card 4111 1111 1111 1111 123", [(CREDIT_CARD, 5, 24)]),  # followed by a CVV
    ("078-05-1120 4111 1111 1111 1111", [(CREDIT_CARD, 12, 31)]),  # after an SSN
    ("4111 1111 1111 1112", []),  # bad Luhn
    # A longer run: the longest Luhn-valid groups from the left are the card.
    ("4111 1111 1111 1111 1111", [(CREDIT_CARD, 0, 19)]),
    ("4111 1111 1111 1112 1111", []),  # 20 digits, no valid 13-19 digit groups
    ("41111111111111111111", []),  # 20 digits ungrouped
    ("0000 0000 0000 0000", []),  # passes Luhn, but no card starts with 0
    ("1 000 000 000 000 000 000", []),
    ("order 12345", []),
    ("x4111111111111111", []),  # glued to a word
    ("4111  1111  1111  1111", []),  # double spaces do not group
]


@pytest.mark.parametrize(("text", "expected"), CARD_CASES)
def test_credit_card(text: str, expected: list[Span]) -> None:
    _check_table(CreditCardDetector(), text, expected)


def test_credit_card_context_raises_score() -> None:
    detector = CreditCardDetector()
    (plain,) = detector.analyze("number 4111 1111 1111 1111")
    (ctx,) = detector.analyze("my visa is 4111 1111 1111 1111")
    assert ctx.score > plain.score >= 0.5
    assert "context" in ctx.explanation


def test_card_spans_on_runs() -> None:
    assert card_spans("4111 1111 1111 1111") == [(0, 19)]
    assert card_spans("12 4111 1111 1111 1111") == [(3, 22)]
    assert card_spans("1234") == []


IBAN_CASES: list[tuple[str, list[Span]]] = [
    ("GB82 WEST 1234 5698 7654 32", [(IBAN_CODE, 0, 27)]),
    ("pay to DE89 3704 0044 0532 0130 00.", [(IBAN_CODE, 7, 34)]),
    ("DE89370400440532013000", [(IBAN_CODE, 0, 22)]),
    ("gb82west12345698765432", [(IBAN_CODE, 0, 22)]),
    ("AT61 1904 3002 3457 3201 HELP", [(IBAN_CODE, 0, 24)]),  # trailing word trimmed
    (
        "NL91 ABNA 0417 1643 00 and FR14 2004 1010 0505 0001 3M02 606",
        [
            (IBAN_CODE, 0, 22),
            (IBAN_CODE, 27, 60),
        ],
    ),
    ("GB82 WEST 1234 5698 7654 33", []),  # bad check digits
    ("GB83 WEST 1234 5698 7654 32", []),
    ("XX82 WEST 1234 5698 7654 32", []),  # no such country
    ("GB82", []),
    ("AB12 is a form name", []),
]


@pytest.mark.parametrize(("text", "expected"), IBAN_CASES)
def test_iban(text: str, expected: list[Span]) -> None:
    _check_table(IbanDetector(), text, expected)


PHONE_CASES: list[tuple[str, list[Span]]] = [
    ("(415) 555-0142", [(PHONE_NUMBER, 0, 14)]),
    ("call +44 20 7946 0958 today", [(PHONE_NUMBER, 5, 21)]),
    ("415-555-0199 or 212.555.0123", [(PHONE_NUMBER, 0, 12), (PHONE_NUMBER, 16, 28)]),
    ("tel:+14155550142", [(PHONE_NUMBER, 4, 16)]),
    ("call me at 123", []),
    ("1 2 3 4 5 6", []),  # six digits: phonenumbers is not even run
    ("no digits at all", []),
    ("my card is 4111 1111 1111 1111", []),
    ("DE89 3704 0044 0532 0130 00", []),
]


@pytest.mark.parametrize(("text", "expected"), PHONE_CASES)
def test_phone(text: str, expected: list[Span]) -> None:
    _check_table(PhoneDetector(), text, expected)


def test_phone_valid_scores_above_possible() -> None:
    detector = PhoneDetector()
    (valid,) = detector.analyze("reach (415) 555-0142")
    (possible,) = detector.analyze("order 1234567 shipped")
    assert valid.score >= 0.5
    assert possible.score < 0.5
    assert "valid" in valid.explanation
    assert "possible" in possible.explanation
    (with_context,) = detector.analyze("call me on 1234567")
    assert with_context.score > possible.score


def test_phone_skips_matcher_below_seven_digits(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("phonenumbers must not run")

    monkeypatch.setattr(phonenumbers, "PhoneNumberMatcher", boom)
    assert PhoneDetector().analyze("room 12, floor 3, 45 people, 6 exits") == []


def test_phone_region_is_configurable() -> None:
    gb = PhoneDetector(region="GB", name="phone_gb")
    assert gb.name == "phone_gb"
    assert spans(gb, "ring 020 7946 0958") == [(PHONE_NUMBER, 5, 18)]
    assert [f.detector for f in gb.analyze("ring 020 7946 0958")] == ["phone_gb"]
    with pytest.raises(ValueError):
        PhoneDetector(name="")


SSN_CASES: list[tuple[str, list[Span]]] = [
    ("ssn 078-05-1120", [(US_SSN, 4, 15)]),  # published sample, still reported
    ("123-45-6789", [(US_SSN, 0, 11)]),
    ("123 45 6789", [(US_SSN, 0, 11)]),
    ("my ssn is 123456789", [(US_SSN, 10, 19)]),
    ("social security number: 123456789", [(US_SSN, 24, 33)]),
    ("000-12-3456", []),  # area 000
    ("666-12-3456", []),  # area 666
    ("900-12-3456", []),  # area 9xx
    ("123-00-6789", []),  # group 00
    ("123-45-0000", []),  # serial 0000
    ("order 123456789", []),  # bare, no context
    ("123-45 6789", []),  # mixed separators
    ("1123-45-6789", []),
    ("123-45-6789-01", []),  # part of a longer number
]


@pytest.mark.parametrize(("text", "expected"), SSN_CASES)
def test_us_ssn(text: str, expected: list[Span]) -> None:
    _check_table(UsSsnDetector(), text, expected)


def test_us_ssn_scores() -> None:
    detector = UsSsnDetector()
    (dashed,) = detector.analyze("123-45-6789")
    (spaced,) = detector.analyze("123 45 6789")
    (published,) = detector.analyze("078-05-1120")
    assert dashed.score > spaced.score >= 0.5
    assert published.score < dashed.score
    assert "published" in published.explanation


IP_CASES: list[tuple[str, list[Span]]] = [
    ("ip 192.168.1.1.", [(IP_ADDRESS, 3, 14)]),
    ("2001:db8::1", [(IP_ADDRESS, 0, 11)]),
    ("from fe80::1ff:fe23:4567:890a, ok", [(IP_ADDRESS, 5, 29)]),
    ("::ffff:192.0.2.1", [(IP_ADDRESS, 0, 16)]),
    ("hosts 10.0.0.1 and 203.0.113.7", [(IP_ADDRESS, 6, 14), (IP_ADDRESS, 19, 30)]),
    ("256.1.1.1", []),
    ("1.2.3.4.5", []),
    ("version 01.02.03.04", []),  # leading zeros are not an address
    ("12:30:45", []),
    ("std::vector", []),
    ("a :: b", []),
    ("1:2:3:4:5:6:7:8:9", []),
    ("2001:db8::1g", []),
]


@pytest.mark.parametrize(("text", "expected"), IP_CASES)
def test_ip_address(text: str, expected: list[Span]) -> None:
    _check_table(IpAddressDetector(), text, expected)


def test_context_window_is_about_forty_characters() -> None:
    detector = CreditCardDetector()
    near = "card" + " " * 30 + "4111 1111 1111 1111"
    far = "card" + " " * 60 + "4111 1111 1111 1111"
    after = "4111 1111 1111 1111 card"
    (n,) = detector.analyze(near)
    (f,) = detector.analyze(far)
    (a,) = detector.analyze(after)
    assert n.score > f.score == a.score


def test_context_word_must_start_a_word() -> None:
    detector = CreditCardDetector()
    (discard,) = detector.analyze("discard 4111 1111 1111 1111")
    (cardholder,) = detector.analyze("cardholder 4111 1111 1111 1111")
    assert cardholder.score > discard.score


def test_context_words_can_be_overridden() -> None:
    detector = CreditCardDetector(context_words=["karte"], context_window=10)
    (hit,) = detector.analyze("karte 4111 1111 1111 1111")
    (miss,) = detector.analyze("card 4111 1111 1111 1111")
    assert hit.score > miss.score
    with pytest.raises(ValueError):
        CreditCardDetector(context_window=-1)


def test_detectors_never_rewrite_text() -> None:
    text = "card 4111 1111 1111 1111, jane@example.com"
    for detector in (CreditCardDetector(), EmailDetector()):
        detector.analyze(text)
    assert text == "card 4111 1111 1111 1111, jane@example.com"


def test_detector_is_abstract() -> None:
    with pytest.raises(TypeError):
        Detector()  # type: ignore[abstract]
