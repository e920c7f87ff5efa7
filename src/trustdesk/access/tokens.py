"""API keys and session tokens: generation, format, hashing, comparison.

Formats (ASCII only, so they survive headers, cookies and shells unquoted):

* API key: ``td_<id>_<secret>``. ``td_<id>`` is the key's public *prefix* (``<id>`` is
  10 random characters of ``[a-z0-9]``; 8–12 accepted), stored in clear, shown in
  listings and used as the ledger actor (``apikey:td_…``). ``<secret>`` is 32 random
  bytes from :mod:`secrets`, URL-safe base64 (43 characters).
* Session token: ``tds_<secret>`` with the same kind of secret.

Only the SHA-256 (hex) of the *whole* key or token is stored. A plain hash is enough
(no salt, no argon2): the input is 256 random bits, so there is nothing to guess, and
a fast hash keeps per-request authentication cheap. Stored and presented hashes are
compared with :func:`hmac.compare_digest`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
from dataclasses import dataclass, field
from typing import Literal

from trustdesk.access.errors import MalformedToken

API_KEY_MARKER = "td_"
SESSION_MARKER = "tds_"
PREFIX_ALPHABET = string.ascii_lowercase + string.digits
PREFIX_ID_LENGTH = 10
SECRET_BYTES = 32
#: Anything longer is refused before any regular expression or hash runs.
MAX_TOKEN_LENGTH = 160

_SECRET = r"[A-Za-z0-9_-]{43,86}"
_API_KEY_RE = re.compile(rf"(td_[a-z0-9]{{8,12}})_({_SECRET})")
_PREFIX_RE = re.compile(r"td_[a-z0-9]{8,12}")
_SESSION_RE = re.compile(rf"tds_{_SECRET}")

API_KEY_FORMAT = "td_<8-12 characters a-z0-9>_<43+ characters A-Z a-z 0-9 _ ->"
SESSION_FORMAT = "tds_<43+ characters A-Z a-z 0-9 _ ->"


@dataclass(frozen=True, slots=True)
class ApiKeyParts:
    """A parsed API key: its public prefix (``td_<id>``) and its secret part."""

    prefix: str
    secret: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class IssuedApiKey:
    """A new API key: the plaintext (show it once), its prefix and the hash to store."""

    key: str = field(repr=False)
    prefix: str
    key_hash: str


@dataclass(frozen=True, slots=True)
class IssuedSession:
    """A new session token (give it to the client) and the hash to store."""

    token: str = field(repr=False)
    token_hash: str


def hash_token(token: str) -> str:
    """SHA-256 (lower-case hex) of a whole key or token."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def hashes_match(presented_hash: str, expected_hash: str) -> bool:
    """Constant-time comparison of two hex digests (case-insensitive; never raises)."""
    return hmac.compare_digest(
        presented_hash.lower().encode("utf-8", "surrogatepass"),
        expected_hash.lower().encode("utf-8", "surrogatepass"),
    )


def token_matches(token: str, expected_hash: str) -> bool:
    """Whether ``token`` hashes to ``expected_hash``, compared in constant time."""
    return hashes_match(hash_token(token), expected_hash)


def new_prefix() -> str:
    """A fresh public key prefix, ``td_`` plus 10 random characters of ``[a-z0-9]``."""
    return API_KEY_MARKER + "".join(
        secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_ID_LENGTH)
    )


def generate_api_key(prefix: str | None = None) -> IssuedApiKey:
    """A new random API key (with a new prefix unless one is given)."""
    prefix = validate_prefix(prefix) if prefix is not None else new_prefix()
    key = f"{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    return IssuedApiKey(key=key, prefix=prefix, key_hash=hash_token(key))


def generate_session_token() -> IssuedSession:
    """A new random session token."""
    token = SESSION_MARKER + secrets.token_urlsafe(SECRET_BYTES)
    return IssuedSession(token=token, token_hash=hash_token(token))


def _check_length(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise MalformedToken(f"malformed {what}: expected a string")
    if len(value) > MAX_TOKEN_LENGTH:
        raise MalformedToken(f"malformed {what}: longer than {MAX_TOKEN_LENGTH} characters")
    return value


def parse_api_key(key: str) -> ApiKeyParts:
    """Split an API key into prefix and secret; :class:`MalformedToken` if ill-formed."""
    key = _check_length(key, "API key")
    match = _API_KEY_RE.fullmatch(key)
    if match is None:
        raise MalformedToken(f"malformed API key: expected {API_KEY_FORMAT}")
    return ApiKeyParts(prefix=match.group(1), secret=match.group(2))


def validate_prefix(prefix: str) -> str:
    """``prefix`` itself if it is a well-formed public key prefix (``td_<id>``)."""
    prefix = _check_length(prefix, "API key prefix")
    if _PREFIX_RE.fullmatch(prefix) is None:
        raise MalformedToken("malformed API key prefix: expected td_<8-12 characters a-z0-9>")
    return prefix


def parse_session_token(token: str) -> str:
    """``token`` itself if it is a well-formed session token; else :class:`MalformedToken`."""
    token = _check_length(token, "session token")
    if _SESSION_RE.fullmatch(token) is None:
        raise MalformedToken(f"malformed session token: expected {SESSION_FORMAT}")
    return token


def token_kind(token: str) -> Literal["api_key", "session"]:
    """Which kind of credential ``token`` claims to be (by its marker), unvalidated."""
    token = _check_length(token, "token")
    if token.startswith(SESSION_MARKER):
        return "session"
    if token.startswith(API_KEY_MARKER):
        return "api_key"
    raise MalformedToken("malformed token: expected an API key (td_…) or a session token (tds_…)")
