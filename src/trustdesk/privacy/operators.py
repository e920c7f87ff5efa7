"""Operators: what replaces a finding in the redacted text.

Every operator turns one detected value into its replacement:

``tag``
    ``<EMAIL_ADDRESS>``: the type only.
``mask``
    Every letter and digit becomes ``*``; separators stay, so the shape is kept
    (``****-****``).
``keep_last``
    ``<CREDIT_CARD ****1111>``: the last *n* digits (or characters, for values
    without digits) and nothing else. PCI DSS allows showing the last four digits of
    a card number.
``pseudonymize``
    ``<PERSON_7f3a91c2>``: a token made from a keyed HMAC-SHA256 of the type and the
    value's canonical form. The same value gives the same token within a tenant (one
    key), whatever its spelling ("4111 1111 1111 1111" and "4111-1111-1111-1111" are
    one value), so the agent and analysts can follow "the same person" without seeing
    them. Different keys give unrelated tokens.
``encrypt``
    The pseudonym token, and the value is sealed into the vault under the data
    subject's key (:class:`~trustdesk.privacy.tokens.TokenVault`), so an authorized
    person can reveal it later (audited); shredding the subject's key makes it
    unrecoverable.
``keep``
    The value stays as it is (for types a deployment decides are not sensitive, such
    as dates of transactions).

Replacements are themselves recognised by :data:`REPLACEMENT_RE`, and the engine never
detects inside them: redacting redacted text changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from trustdesk.privacy.entities import NUMERIC_TYPES


class Action(StrEnum):
    """An operator's name, as written in policies."""

    KEEP = "keep"
    TAG = "tag"
    MASK = "mask"
    KEEP_LAST = "keep_last"
    PSEUDONYMIZE = "pseudonymize"
    ENCRYPT = "encrypt"


#: Actions after which the original value can be recovered by someone (with the key).
REVERSIBLE_ACTIONS = frozenset({Action.ENCRYPT, Action.KEEP})

#: Anything an operator writes: ``<TYPE>``, ``<TYPE_token>``, ``<TYPE ****1234>``.
REPLACEMENT_RE = re.compile(r"<[A-Z][A-Z_]*(?:_[0-9a-f]{4,32}| \*{4}[^\s<>*]{1,8})?>")

#: Hex characters of a pseudonym token (32 bits: collisions are rare within a tenant).
TOKEN_HEX = 8

_TOKEN_RE = re.compile(r"<([A-Z][A-Z_]*)_([0-9a-f]{4,32})>")
_SEPARATORS = frozenset(" -./()_:")


def canonical_value(entity_type: str, value: str) -> str:
    """The form of ``value`` that pseudonyms are computed from.

    NFKC, case-folded, whitespace collapsed; for numeric types every separator is
    dropped, so the spacing or dashes a customer used do not change the token.
    """
    text = unicodedata.normalize("NFKC", value).casefold()
    if entity_type in NUMERIC_TYPES or entity_type == "IBAN_CODE":
        return "".join(ch for ch in text if ch.isalnum())
    return " ".join(text.split())


def pseudonym(key: bytes, entity_type: str, value: str, *, hex_chars: int = TOKEN_HEX) -> str:
    """The pseudonym token for ``value``: ``<TYPE_xxxxxxxx>``."""
    if not key:
        raise ValueError("a pseudonymization key must not be empty")
    message = entity_type.encode() + b"\x00" + canonical_value(entity_type, value).encode()
    digest = hmac.new(key, message, hashlib.sha256).hexdigest()
    return f"<{entity_type}_{digest[:hex_chars]}>"


def parse_token(token: str) -> tuple[str, str] | None:
    """``(entity_type, hex)`` of a pseudonym token, or None if ``token`` is not one."""
    match = _TOKEN_RE.fullmatch(token)
    return (match.group(1), match.group(2)) if match else None


def mask(value: str, char: str = "*") -> str:
    """Every letter and digit replaced by ``char``; separators kept."""
    return "".join(ch if ch in _SEPARATORS or ch.isspace() else char for ch in value)


def keep_last(entity_type: str, value: str, n: int = 4) -> str:
    """``<TYPE ****1234>``: the last ``n`` digits (characters, when there are no digits)."""
    digits = [ch for ch in value if ch.isdigit()] or [ch for ch in value if ch.isalnum()]
    tail = "".join(digits[-n:]) if n > 0 else ""
    if len(digits) <= n:  # showing all of a short value would show the value
        tail = ""
    return f"<{entity_type} ****{tail}>" if tail else f"<{entity_type}>"


@dataclass(frozen=True, slots=True)
class Operator:
    """One action with its parameter (``n`` for ``keep_last``)."""

    action: Action
    n: int = 4

    def __post_init__(self) -> None:
        if not 1 <= self.n <= 8:
            raise ValueError(f"keep_last n must be within [1, 8], got {self.n}")

    @classmethod
    def parse(cls, spec: str) -> Operator:
        """``"tag"``, ``"mask"``, ``"keep_last"``, ``"keep_last:4"``, ``"pseudonymize"``..."""
        name, _, arg = spec.strip().partition(":")
        try:
            action = Action(name.strip())
        except ValueError:
            known = ", ".join(a.value for a in Action)
            raise ValueError(f"unknown operator {spec!r}; expected one of {known}") from None
        if arg and action is not Action.KEEP_LAST:
            raise ValueError(f"operator {action.value!r} takes no argument")
        if arg:
            try:
                return cls(action, int(arg))
            except ValueError:
                raise ValueError(f"keep_last needs a number of digits 1-8, got {arg!r}") from None
        return cls(action)

    def __str__(self) -> str:
        return f"keep_last:{self.n}" if self.action is Action.KEEP_LAST else self.action.value

    def apply(self, entity_type: str, value: str, key: bytes) -> str:
        """The replacement of ``value`` (``encrypt`` also needs the vault: see the engine)."""
        action = self.action
        if action is Action.KEEP:
            return value
        if action is Action.TAG:
            return f"<{entity_type}>"
        if action is Action.MASK:
            return mask(value)
        if action is Action.KEEP_LAST:
            return keep_last(entity_type, value, self.n)
        return pseudonym(key, entity_type, value)
