"""Every entity type the privacy engine reports, with Presidio's names where they exist.

The constants are plain strings so that findings, policies and YAML rules can name
them directly. :data:`ENTITY_TYPES` is the closed set: a policy or rule that names
anything else is a configuration error.

Groups (:data:`PHI_TYPES`, :data:`PCI_TYPES`, ...) drive the HIPAA and PCI policy
profiles (:mod:`trustdesk.privacy.policy`).
"""

from __future__ import annotations

PERSON = "PERSON"
EMAIL_ADDRESS = "EMAIL_ADDRESS"
PHONE_NUMBER = "PHONE_NUMBER"
CREDIT_CARD = "CREDIT_CARD"
CARD_CVV = "CARD_CVV"
CARD_EXPIRY = "CARD_EXPIRY"
US_SSN = "US_SSN"
IBAN_CODE = "IBAN_CODE"
BANK_ACCOUNT = "BANK_ACCOUNT"
ROUTING_NUMBER = "ROUTING_NUMBER"
STREET_ADDRESS = "STREET_ADDRESS"
LOCATION = "LOCATION"
ZIP_CODE = "ZIP_CODE"
DATE_OF_BIRTH = "DATE_OF_BIRTH"
DATE_TIME = "DATE_TIME"
AGE = "AGE"
ORGANIZATION = "ORGANIZATION"
TITLE = "TITLE"
NRP = "NRP"
URL = "URL"
IP_ADDRESS = "IP_ADDRESS"
US_DRIVER_LICENSE = "US_DRIVER_LICENSE"
PASSPORT = "PASSPORT"
MEDICAL_RECORD_NUMBER = "MEDICAL_RECORD_NUMBER"
HEALTH_INSURANCE_ID = "HEALTH_INSURANCE_ID"
MEDICAL_CONDITION = "MEDICAL_CONDITION"
PASSWORD_OR_PIN = "PASSWORD_OR_PIN"
#: Other identifying numbers and sensitive attributes a caller discloses that have no
#: narrower type (national IDs, policy and employee numbers, salary, religion...).
ID_NUMBER = "ID_NUMBER"
SENSITIVE_ATTRIBUTE = "SENSITIVE_ATTRIBUTE"

ENTITY_TYPES: frozenset[str] = frozenset(
    {
        PERSON,
        EMAIL_ADDRESS,
        PHONE_NUMBER,
        CREDIT_CARD,
        CARD_CVV,
        CARD_EXPIRY,
        US_SSN,
        IBAN_CODE,
        BANK_ACCOUNT,
        ROUTING_NUMBER,
        STREET_ADDRESS,
        LOCATION,
        ZIP_CODE,
        DATE_OF_BIRTH,
        DATE_TIME,
        AGE,
        ORGANIZATION,
        TITLE,
        NRP,
        URL,
        IP_ADDRESS,
        US_DRIVER_LICENSE,
        PASSPORT,
        MEDICAL_RECORD_NUMBER,
        HEALTH_INSURANCE_ID,
        MEDICAL_CONDITION,
        PASSWORD_OR_PIN,
        ID_NUMBER,
        SENSITIVE_ATTRIBUTE,
    }
)

#: Protected health information under HIPAA's Safe Harbor identifiers plus health data.
PHI_TYPES: frozenset[str] = frozenset(
    {
        PERSON,
        EMAIL_ADDRESS,
        PHONE_NUMBER,
        US_SSN,
        STREET_ADDRESS,
        LOCATION,
        ZIP_CODE,
        DATE_OF_BIRTH,
        AGE,
        URL,
        IP_ADDRESS,
        US_DRIVER_LICENSE,
        PASSPORT,
        MEDICAL_RECORD_NUMBER,
        HEALTH_INSURANCE_ID,
        MEDICAL_CONDITION,
        BANK_ACCOUNT,
        ID_NUMBER,
    }
)

#: Cardholder data and sensitive authentication data under PCI DSS.
PCI_TYPES: frozenset[str] = frozenset({CREDIT_CARD, CARD_CVV, CARD_EXPIRY, PASSWORD_OR_PIN})

#: Types made of digits (spoken-digit normalization and split-value joining apply).
NUMERIC_TYPES: frozenset[str] = frozenset(
    {
        CREDIT_CARD,
        CARD_CVV,
        CARD_EXPIRY,
        US_SSN,
        IBAN_CODE,
        BANK_ACCOUNT,
        ROUTING_NUMBER,
        PHONE_NUMBER,
        ZIP_CODE,
        PASSWORD_OR_PIN,
    }
)
