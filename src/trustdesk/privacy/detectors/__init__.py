"""The built-in detectors, one module each; see :mod:`.base` for the contract."""

from __future__ import annotations

from trustdesk.privacy.detectors.base import Detector
from trustdesk.privacy.detectors.credit_card import CREDIT_CARD, CreditCardDetector
from trustdesk.privacy.detectors.email import EMAIL_ADDRESS, EmailDetector
from trustdesk.privacy.detectors.iban import IBAN_CODE, IbanDetector
from trustdesk.privacy.detectors.ip_address import IP_ADDRESS, IpAddressDetector
from trustdesk.privacy.detectors.phone import PHONE_NUMBER, PhoneDetector
from trustdesk.privacy.detectors.us_ssn import US_SSN, UsSsnDetector

__all__ = [
    "CREDIT_CARD",
    "EMAIL_ADDRESS",
    "IBAN_CODE",
    "IP_ADDRESS",
    "PHONE_NUMBER",
    "US_SSN",
    "CreditCardDetector",
    "Detector",
    "EmailDetector",
    "IbanDetector",
    "IpAddressDetector",
    "PhoneDetector",
    "UsSsnDetector",
]
