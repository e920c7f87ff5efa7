"""Table tests for the structured-data detectors: the built-in YAML rules, dates, URLs.

Each row is a text and every (type, span text) that must be reported at or above the
engine's threshold; rows with an empty expectation are near-miss negatives. The
texts run through a :class:`PrivacyEngine` holding the pattern detectors plus these,
so a row also checks how they resolve against the phone, card and SSN detectors.
All data is fake: test card numbers, 555 phone numbers, example.com, made-up IDs.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustdesk.privacy.detectors import (
    CreditCardDetector,
    Detector,
    EmailDetector,
    IbanDetector,
    IpAddressDetector,
    PhoneDetector,
    UsSsnDetector,
)
from trustdesk.privacy.detectors.dates import DATE_OF_BIRTH, DATE_TIME, DateDetector
from trustdesk.privacy.detectors.url import URL, UrlDetector
from trustdesk.privacy.engine import PrivacyEngine
from trustdesk.privacy.registry import DetectorRegistry
from trustdesk.privacy.rules import default_rule_detector

Expected = list[tuple[str, str]]


@pytest.fixture(scope="module")
def engine() -> PrivacyEngine:
    # The pattern detectors these must resolve against; not default_registry(), whose
    # other members (NER, ...) would make these tables about more than these rules.
    registry = DetectorRegistry(
        [
            EmailDetector(),
            CreditCardDetector(),
            IbanDetector(),
            UsSsnDetector(),
            IpAddressDetector(),
            PhoneDetector(),
            default_rule_detector(),
            DateDetector(),
            UrlDetector(),
        ]
    )
    return PrivacyEngine(registry)


def _found(engine: PrivacyEngine, text: str) -> Expected:
    return [(f.entity_type, text[f.start : f.end]) for f in engine.analyze(text)]


def _check(engine: PrivacyEngine, text: str, expected: Expected) -> None:
    assert _found(engine, text) == expected


PAYMENT_CASES: list[tuple[str, Expected]] = [
    ("my cvv is 482", [("CARD_CVV", "482")]),
    ("the CVC on the back is 0462", [("CARD_CVV", "0462")]),
    ("it's the three digits on the back, 731", [("CARD_CVV", "731")]),
    ("the security code on the card is 390.", [("CARD_CVV", "390")]),
    ("390 is the cvv", [("CARD_CVV", "390")]),
    ("it expires 08 27", [("CARD_EXPIRY", "08 27")]),
    ("exp 0827", [("CARD_EXPIRY", "0827")]),
    ("the expiration date is 11/2025", [("CARD_EXPIRY", "11/2025")]),
    ("valid thru Aug 2027", [("CARD_EXPIRY", "Aug 2027")]),
    (
        "card 4111 1111 1111 1111 exp 08/27 123",
        [("CREDIT_CARD", "4111 1111 1111 1111"), ("CARD_EXPIRY", "08/27"), ("CARD_CVV", "123")],
    ),
    (
        "my routing number is 011000015 and account number 31926485",
        [("ROUTING_NUMBER", "011000015"), ("BANK_ACCOUNT", "31926485")],
    ),
    (
        "sort code 20-30-45 account 70213394",
        [("ROUTING_NUMBER", "20-30-45"), ("BANK_ACCOUNT", "70213394")],
    ),
    ("my checking acct is 5820137746", [("BANK_ACCOUNT", "5820137746")]),
    ("wire it to BIC BARCGB22 please", [("BANK_ACCOUNT", "BARCGB22")]),
    ("the swift code is COBADEFF", [("BANK_ACCOUNT", "COBADEFF")]),
    # near misses
    ("cvv? I don't have my card with me", []),
    ("my card expires soon, can I get a new one?", []),
    ("Where is my order #448291?", []),
    ("I was charged $3,200.00 twice on my account", []),
    ("they took 1,250 dollars out of my checking account", []),
    ("I went to branch 042 yesterday", []),
    ("transaction id 88273645 shows as pending", []),
    ("my account balance is 2500 and I owe 1200", []),
    ("my account shows order number 77123456 as unpaid", []),
    ("the discount code 739104 expired", []),
    ("the charge on my card from 03/15 is wrong", []),
]

IDENTITY_CASES: list[tuple[str, Expected]] = [
    ("my national insurance number is AB 12 34 56 C", [("ID_NUMBER", "AB 12 34 56 C")]),
    ("NHS number 401 023 2137", [("ID_NUMBER", "401 023 2137")]),
    ("my SIN is 273 819 508", [("ID_NUMBER", "273 819 508")]),
    ("our tax ID is 47-2918365", [("ID_NUMBER", "47-2918365")]),
    ("VAT number GB319264859", [("ID_NUMBER", "GB319264859")]),
    ("employee ID EMP-48291", [("ID_NUMBER", "EMP-48291")]),
    ("I need to update my policy number to POL-448291", [("ID_NUMBER", "POL-448291")]),
    ("my nursing license number is RN-553017", [("ID_NUMBER", "RN-553017")]),
    ("the VIN is 5XYZU3LB1DG104829", [("ID_NUMBER", "5XYZU3LB1DG104829")]),
    ("my phone's IMEI is 490154203237518", [("ID_NUMBER", "490154203237518")]),
    ("the MAC address on the router is 3A:7F:01:C2:9B:44.", [("ID_NUMBER", "3A:7F:01:C2:9B:44")]),
    ("my plate is KDX-3307", [("ID_NUMBER", "KDX-3307")]),
    ("my driver's license number is W7265910", [("US_DRIVER_LICENSE", "W7265910")]),
    ("driving licence 4418-20-7736", [("US_DRIVER_LICENSE", "4418-20-7736")]),
    ("passport number K40918273", [("PASSPORT", "K40918273")]),
    ("I live in Boulder, CO 80302", [("ZIP_CODE", "80302")]),
    ("my zip is 60614", [("ZIP_CODE", "60614")]),
    ("97205 is my zip code", [("ZIP_CODE", "97205")]),
    ("postcode EC1A 1BB", [("ZIP_CODE", "EC1A 1BB")]),
    ("send it to LS1 4AP please", [("ZIP_CODE", "LS1 4AP")]),
    ("I'm 34 and my mother is 78 years old", [("AGE", "34"), ("AGE", "78")]),
    ("patient aged 79", [("AGE", "79")]),
    ("Age: 60", [("AGE", "60")]),
    # near misses
    ("my driver's license expired in 2019", [("DATE_TIME", "2019")]),
    ("my passport expires in 2027", [("DATE_TIME", "2027")]),
    ("your ticket number is TD-20231 and we'll update you", []),
    ("I bought the model XR-2000 printer", []),
    ("I'm 5 minutes away from the branch", []),
    ("I'm 3 in the queue", []),
    ("the policy on returns is 30 days", []),
    ("since 273 819 508 was printed", []),
    ("registration takes 5 minutes", []),
    ("my car is 3 years old", []),
    ("how many guests? it will be 6", []),
    ("Are SWIFT transfers accepted?", []),
]

HEALTH_AND_SECRET_CASES: list[tuple[str, Expected]] = [
    ("MRN-482910", [("MEDICAL_RECORD_NUMBER", "MRN-482910")]),
    ("my medical record number is 48291034", [("MEDICAL_RECORD_NUMBER", "48291034")]),
    ("my member ID is ABC319264859", [("HEALTH_INSURANCE_ID", "ABC319264859")]),
    ("my insurance ID is HI-3319027", [("HEALTH_INSURANCE_ID", "HI-3319027")]),
    ("EHIC number 80440031926485901", [("HEALTH_INSURANCE_ID", "80440031926485901")]),
    ("my PIN for the account is 6204", [("PASSWORD_OR_PIN", "6204")]),
    ("7731 is my pin", [("PASSWORD_OR_PIN", "7731")]),
    ("my password is Summer2024!", [("PASSWORD_OR_PIN", "Summer2024!")]),
    ("password: hunter2.", [("PASSWORD_OR_PIN", "hunter2")]),
    ("the code you just sent me is 739104", [("PASSWORD_OR_PIN", "739104")]),
    ("OTP 28461", [("PASSWORD_OR_PIN", "28461")]),
    ("my recovery code is RC-5106-2293", [("PASSWORD_OR_PIN", "RC-5106-2293")]),
    # near misses
    ("my password is not working, can you reset it", []),
    ("my password is wrong", []),
    ("My password isn't being accepted", []),
    ("my pin doesn't work since 2019", [("DATE_TIME", "2019")]),
    ("the promo code SAVE20 didn't work", []),
    ("my gym membership is 40 a month", []),
]

DATE_URL_CASES: list[tuple[str, Expected]] = [
    ("the meeting is on 2000-04-16 11:34:35", [(DATE_TIME, "2000-04-16 11:34:35")]),
    ("on 04/16/2000 I called", [(DATE_TIME, "04/16/2000")]),
    (
        "April 16th, 2000 and 16 April 2000",
        [(DATE_TIME, "April 16th, 2000"), (DATE_TIME, "16 April 2000")],
    ),
    ("next Tuesday, July 14th at 3pm works", [(DATE_TIME, "next Tuesday, July 14th at 3pm")]),
    ("from July 10th through July 24th", [(DATE_TIME, "July 10th through July 24th")]),
    ("I moved here in 1977", [(DATE_TIME, "1977")]),
    ("I was born on October 8th, 1983", [(DATE_OF_BIRTH, "October 8th, 1983")]),
    ("my DOB is 04/16/1985", [(DATE_OF_BIRTH, "04/16/1985")]),
    ("date of birth 04 16 1985", [(DATE_OF_BIRTH, "04 16 1985")]),
    ("04/16/1985 is my date of birth", [(DATE_OF_BIRTH, "04/16/1985")]),
    (
        "I was born in 1980 and the charge on March 3rd is wrong",
        [(DATE_OF_BIRTH, "1980"), (DATE_TIME, "March 3rd")],
    ),
    ("are you open Saturday at 9am?", [(DATE_TIME, "Saturday at 9am")]),
    ("the charge on March 3rd is not mine", [(DATE_TIME, "March 3rd")]),
    ("my birthday gift was charged on March 3rd", [(DATE_TIME, "March 3rd")]),
    ("go to ClickPhobia.com.br now", [(URL, "ClickPhobia.com.br")]),
    ("see https://www.example.com/help?a=1.", [(URL, "https://www.example.com/help?a=1")]),
    (
        "visit www.example.org or shop.example.com/returns",
        [(URL, "www.example.org"), (URL, "shop.example.com/returns")],
    ),
    # near misses
    ("write to jane.doe@example.com", [("EMAIL_ADDRESS", "jane.doe@example.com")]),
    ("main.py crashed at the end.so I gave up", []),
    ("version 2.3.1 of the app", []),
    ("you may 2 things", []),
    ("the 2 may be fine", []),
    ("a total of 2000 dollars", []),
    ("between 17th May to 21st May", [(DATE_TIME, "17th May to 21st May")]),
    ("sort of 20-30-45 maybe", []),
    ("the model 2000 printer", []),
]


@pytest.mark.parametrize(("text", "expected"), PAYMENT_CASES)
def test_payment(engine: PrivacyEngine, text: str, expected: Expected) -> None:
    _check(engine, text, expected)


@pytest.mark.parametrize(("text", "expected"), IDENTITY_CASES)
def test_identity(engine: PrivacyEngine, text: str, expected: Expected) -> None:
    _check(engine, text, expected)


@pytest.mark.parametrize(("text", "expected"), HEALTH_AND_SECRET_CASES)
def test_health_and_secrets(engine: PrivacyEngine, text: str, expected: Expected) -> None:
    _check(engine, text, expected)


@pytest.mark.parametrize(("text", "expected"), DATE_URL_CASES)
def test_dates_and_urls(engine: PrivacyEngine, text: str, expected: Expected) -> None:
    _check(engine, text, expected)


@pytest.mark.parametrize("detector", [DateDetector(), UrlDetector(), default_rule_detector()])
def test_findings_are_well_formed(detector: Detector) -> None:
    text = (
        "DOB 04/16/1985, cvv 482, exp 08/27, sort code 20-30-45, see example.com, "
        "MRN-482910, my PIN is 4821, I'm 34."
    )
    found = detector.analyze(text)
    assert found
    for f in found:
        assert f.detector == detector.name
        assert f.entity_type in detector.entity_types
        assert f.explanation
        assert text[f.start : f.end] not in f.explanation


def test_dates_never_birth_for_times_and_weekdays() -> None:
    found = DateDetector().analyze("my birthday party is on Saturday at 9am")
    assert {f.entity_type for f in found} == {DATE_TIME}


def test_dotted_lower_case_text_changes_length() -> None:
    # "İ" lower-cases to two characters; offsets must still index the original text.
    text = "İİ my cvv is 482, born on June 2nd, 1979, see example.com"
    for detector in (default_rule_detector(), DateDetector(), UrlDetector()):
        for f in detector.analyze(text):
            assert 0 <= f.start < f.end <= len(text)
    spans = {text[f.start : f.end] for f in default_rule_detector().analyze(text)}
    assert "482" in spans
    dates = {text[f.start : f.end] for f in DateDetector().analyze(text)}
    assert "June 2nd, 1979" in dates


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises(text: str) -> None:
    for detector in (_RULES, _DATES, _URLS):
        for f in detector.analyze(text):
            assert 0 <= f.start < f.end <= len(text)
            assert 0.0 <= f.score <= 1.0


_ALPHABET = st.sampled_from(
    list("0319264859 -/:.,@abcdefxyzABCDEFXYZ") + ["cvv ", "DOB ", "www.", "pin "]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_digit_heavy_text_stays_in_bounds(text: str) -> None:
    for detector in (_RULES, _DATES, _URLS):
        for f in detector.analyze(text):
            assert 0 <= f.start < f.end <= len(text)


_RULES = default_rule_detector()
_DATES = DateDetector()
_URLS = UrlDetector()


_PIECES = st.sampled_from(
    [
        "my cvv is ",
        "exp ",
        "DOB ",
        "born on ",
        "account number ",
        "sort code ",
        "routing ",
        "passport ",
        "MRN-",
        "my PIN is ",
        "password: ",
        "zip ",
        "I'm ",
        "see ",
        "482",
        "08/27",
        "0827",
        "04/16/1985",
        "March 3rd",
        "31926485",
        "20-30-45",
        "011000015",
        "K40918273",
        "482910",
        "hunter2",
        "60614",
        "34",
        "example.com",
        " ",
        ", ",
        ". ",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_redacting_twice_finds_nothing_new(engine: PrivacyEngine, text: str) -> None:
    once = engine.redact(text)
    assert engine.redact(once.redacted_text).findings == ()
