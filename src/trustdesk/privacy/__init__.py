"""The privacy stage: find personal data in a message and replace it with type tags.

Quick use::

    from trustdesk.privacy import PrivacyEngine

    result = PrivacyEngine().redact("my card is 4111 1111 1111 1111")
    result.redacted_text  # "my card is <CREDIT_CARD>"

Detectors (:mod:`trustdesk.privacy.detectors`) only find spans; the engine resolves
overlaps and :func:`redact` rewrites the text.
"""

from __future__ import annotations

from trustdesk.privacy.api import ConversationScan, ScanResult, TurnFinding, scan, scan_conversation
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
from trustdesk.privacy.engine import PrivacyEngine, resolve_overlaps
from trustdesk.privacy.redact import redact, tag_for
from trustdesk.privacy.registry import DetectorRegistry, default_registry

__all__ = [
    "CREDIT_CARD",
    "EMAIL_ADDRESS",
    "IBAN_CODE",
    "IP_ADDRESS",
    "PHONE_NUMBER",
    "US_SSN",
    "ConversationScan",
    "CreditCardDetector",
    "Detector",
    "DetectorRegistry",
    "EmailDetector",
    "IbanDetector",
    "IpAddressDetector",
    "PhoneDetector",
    "PrivacyEngine",
    "ScanResult",
    "TurnFinding",
    "UsSsnDetector",
    "default_registry",
    "redact",
    "resolve_overlaps",
    "scan",
    "scan_conversation",
    "tag_for",
]
