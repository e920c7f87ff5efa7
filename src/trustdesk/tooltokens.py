"""Tool credentials: short-lived, scoped, Ed25519-signed JWTs for backend tool calls.

When the AI agent calls a tool, TrustDesk mints one token for that one call: who the
customer is (``sub``, the bank's customer reference), which tool and scope, which
response fields the tool may return, and the conversation it serves. The backend
(e.g. the demo core-banking service, :mod:`trustdesk.bank`) verifies it with the
public key alone and answers only for that customer and those fields.

Format: a compact JWS (RFC 7515) holding a JWT (RFC 7519), signed with Ed25519
(RFC 8037, ``alg`` = ``EdDSA``)::

    base64url(header) "." base64url(payload) "." base64url(signature)

    header   {"alg": "EdDSA", "typ": "JWT", "kid": "<16 hex digits>"}
    payload  {"iss", "aud", "sub", "tool", "scope", "fields", "cid",
              "iat", "nbf", "exp", "jti"}

``kid`` is the first 16 hex digits of SHA-256 of the raw public key (:func:`key_id`).
``scope`` is one scope or several separated by spaces (as in OAuth). A token lives at
most :data:`MAX_TTL_SECONDS`; :class:`ToolTokenVerifier` refuses longer lifetimes even
when the signature is good. The verifier accepts ``EdDSA`` only (never ``none`` or an
HMAC algorithm), refuses duplicate JSON keys, non-canonical base64url and unknown
``crit`` headers, and remembers every accepted ``jti`` until the token expires, so a
token works once per verifier (per process; a backend with several processes adds its
own shared record, as :mod:`trustdesk.bank` does).

Keys: the private key lives in ``<data_dir>/keys/tool-signing.key`` (PKCS#8 PEM, mode
0600, created on first use); :func:`export_public_key` writes the public half to
``<data_dir>/keys/tool-signing.pub`` (SubjectPublicKeyInfo PEM). A backend loads it with
:func:`load_public_keys` from that file or from a JWKS document (:func:`jwks`).

Failures raise :class:`ToolTokenError` whose ``reason`` is one of :data:`REASONS`.
Nothing here imports a web framework.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import secrets
import stat
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
)

from trustdesk.errors import AuthenticationError, ConfigError

__all__ = [
    "ALGORITHM",
    "DEFAULT_ISSUER",
    "MAX_TTL_SECONDS",
    "REASONS",
    "ToolClaims",
    "ToolTokenError",
    "ToolTokenIssuer",
    "ToolTokenVerifier",
    "export_public_key",
    "jwks",
    "key_id",
    "load_or_create_tool_key",
    "load_public_keys",
    "private_key_path",
    "public_key_path",
    "public_keys_from_jwks",
]

ALGORITHM = "EdDSA"
DEFAULT_ISSUER = "trustdesk"
MAX_TTL_SECONDS = 300
#: Anything longer is refused before it is split or decoded.
MAX_TOKEN_LENGTH = 8192
#: Accepted ``jti`` values remembered at once; beyond this the verifier fails closed.
REPLAY_CACHE_LIMIT = 200_000

#: Every ``ToolTokenError.reason``.
REASONS = frozenset(
    {
        "malformed",  # not three base64url segments, too long, or not a string
        "bad_base64",  # a segment is not canonical unpadded base64url
        "bad_json",  # header or payload is not a JSON object (or repeats a key)
        "unsupported_alg",  # alg is not EdDSA (none, HS256, RS256, ...)
        "unsupported_header",  # typ is not JWT, or crit names an extension
        "unknown_kid",  # no public key with this kid
        "bad_signature",  # the signature does not verify
        "invalid_claims",  # a claim is missing or has the wrong type
        "wrong_issuer",
        "wrong_audience",
        "token_expired",
        "not_yet_valid",  # nbf or iat in the future
        "lifetime_too_long",  # exp - iat (or exp - nbf) above MAX_TTL_SECONDS
        "scope_denied",  # the required scope is not granted
        "tool_mismatch",  # the token was minted for another tool
        "replayed",  # this jti was accepted before
        "replay_cache_full",  # too many live tokens to remember: fail closed
    }
)

_B64URL = re.compile(r"[A-Za-z0-9_-]*")
_CLAIM_TEXT_MAX = 512


class ToolTokenError(AuthenticationError):
    """A tool token is refused; ``reason`` (one of :data:`REASONS`) says why."""

    def __init__(
        self, reason: str, detail: str | None = None, *, claims: ToolClaims | None = None
    ) -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown tool token error reason {reason!r}")
        super().__init__(detail or reason.replace("_", " "))
        self.reason = reason
        #: Set when the token itself is authentic and valid but not good for this call
        #: (tool_mismatch, scope_denied, replayed, replay_cache_full), so the caller can
        #: say whose call it refused.
        self.claims = claims


@dataclass(frozen=True, slots=True)
class ToolClaims:
    """The verified claims of a tool token."""

    issuer: str
    audience: str
    subject: str
    tool: str
    scopes: frozenset[str]
    fields: tuple[str, ...]
    conversation_id: str
    issued_at: int
    not_before: int
    expires_at: int
    jti: str
    kid: str

    @property
    def scope(self) -> str:
        """The granted scopes as the token spells them (space-separated, sorted)."""
        return " ".join(sorted(self.scopes))


# -- encoding -------------------------------------------------------------------------


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(segment: str) -> bytes:
    """Strict unpadded base64url: alphabet, length and canonical trailing bits."""
    if not _B64URL.fullmatch(segment) or len(segment) % 4 == 1:
        raise ToolTokenError("bad_base64")
    try:
        data = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        raise ToolTokenError("bad_base64") from None
    if _b64encode(data) != segment:  # unused low bits set: another spelling of the bytes
        raise ToolTokenError("bad_base64")
    return data


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _json_object(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(
            data.decode("utf-8"),
            object_pairs_hook=_no_duplicates,
            parse_constant=_reject_constant,
        )
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ToolTokenError("bad_json") from None
    if not isinstance(value, dict):
        raise ToolTokenError("bad_json")
    return value


def _json_bytes(value: Mapping[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=True).encode()


def key_id(public_key: Ed25519PublicKey) -> str:
    """The key's id: the first 16 hex digits of SHA-256 of its raw 32 bytes."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


# -- issuing --------------------------------------------------------------------------


def _text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value or len(value) > _CLAIM_TEXT_MAX:
        raise ValueError(f"{name} must be a non-empty string of at most {_CLAIM_TEXT_MAX}")
    return value


class ToolTokenIssuer:
    """Mints tool tokens with an Ed25519 private key."""

    def __init__(
        self,
        private_key: Ed25519PrivateKey,
        *,
        issuer: str = DEFAULT_ISSUER,
        kid: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._key = private_key
        self.issuer = _text("issuer", issuer)
        self.kid = _text("kid", kid) if kid is not None else key_id(private_key.public_key())
        self._clock = clock

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self._key.public_key()

    def mint(
        self,
        *,
        audience: str,
        subject: str,
        tool: str,
        scope: str,
        fields: Sequence[str],
        conversation_id: str,
        ttl_seconds: int = 120,
    ) -> str:
        """One token for one tool call; ``ValueError`` if an argument is unusable.

        ``ttl_seconds`` must be 1..:data:`MAX_TTL_SECONDS` (longer is refused, not
        shortened, so a caller never believes a token lives longer than it does).
        """
        if isinstance(ttl_seconds, bool) or not isinstance(ttl_seconds, int):
            raise ValueError("ttl_seconds must be an integer")
        if not 1 <= ttl_seconds <= MAX_TTL_SECONDS:
            raise ValueError(f"ttl_seconds must be between 1 and {MAX_TTL_SECONDS}")
        if isinstance(fields, str) or not all(isinstance(f, str) and f for f in fields):
            raise ValueError("fields must be a sequence of non-empty strings, not a string")
        scopes = scope.split() if isinstance(scope, str) else []
        if not scopes:
            raise ValueError("scope must name at least one scope")
        now = int(self._clock())
        payload = {
            "iss": self.issuer,
            "aud": _text("audience", audience),
            "sub": _text("subject", subject),
            "tool": _text("tool", tool),
            "scope": " ".join(scopes),
            "fields": list(dict.fromkeys(fields)),
            "cid": _text("conversation_id", conversation_id),
            "iat": now,
            "nbf": now,
            "exp": now + ttl_seconds,
            "jti": secrets.token_urlsafe(16),
        }
        header = {"alg": ALGORITHM, "typ": "JWT", "kid": self.kid}
        signing_input = f"{_b64encode(_json_bytes(header))}.{_b64encode(_json_bytes(payload))}"
        signature = self._key.sign(signing_input.encode("ascii"))
        return f"{signing_input}.{_b64encode(signature)}"


# -- verifying ------------------------------------------------------------------------


class _ReplayCache:
    """Accepted ``jti`` values until their expiry; thread-safe."""

    def __init__(self, limit: int) -> None:
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()
        self._limit = limit

    def add(self, jti: str, forget_after: float, now: float) -> None:
        with self._lock:
            seen_until = self._seen.get(jti)
            if seen_until is not None and seen_until >= now:
                raise ToolTokenError("replayed")
            if len(self._seen) >= self._limit:
                for key in [k for k, until in self._seen.items() if until < now]:
                    del self._seen[key]
                if len(self._seen) >= self._limit:
                    raise ToolTokenError("replay_cache_full")
            self._seen[jti] = forget_after


def _int_claim(payload: Mapping[str, Any], name: str) -> int:
    value = payload.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ToolTokenError("invalid_claims", f"claim {name!r} must be an integer")
    return value


def _str_claim(payload: Mapping[str, Any], name: str) -> str:
    value = payload.get(name)
    if not isinstance(value, str) or not value or len(value) > _CLAIM_TEXT_MAX:
        raise ToolTokenError("invalid_claims", f"claim {name!r} must be a non-empty string")
    return value


class ToolTokenVerifier:
    """Checks tool tokens for one audience against a set of Ed25519 public keys."""

    def __init__(
        self,
        public_keys: Mapping[str, Ed25519PublicKey],
        *,
        audience: str,
        issuer: str = DEFAULT_ISSUER,
        leeway_seconds: int = 5,
        clock: Callable[[], float] = time.time,
        replay_cache_limit: int = REPLAY_CACHE_LIMIT,
    ) -> None:
        if not public_keys:
            raise ValueError("at least one public key is needed")
        if not 0 <= leeway_seconds <= 60:
            raise ValueError("leeway_seconds must be between 0 and 60")
        self._keys = dict(public_keys)
        self.audience = _text("audience", audience)
        self.issuer = _text("issuer", issuer)
        self.leeway = leeway_seconds
        self._clock = clock
        self._replay = _ReplayCache(replay_cache_limit)

    def verify(self, token: str, *, required_scope: str, tool: str) -> ToolClaims:
        """The token's claims if it is good for ``tool`` with ``required_scope``.

        Checks, in order: shape, header (alg, typ, crit, kid), signature, claims
        (types, issuer, audience, times, lifetime), scope, tool, and last the replay
        record, so only a token that passes everything uses up its ``jti``.
        """
        claims = self.inspect(token)
        if required_scope not in claims.scopes:
            raise ToolTokenError(
                "scope_denied", f"scope {required_scope!r} is not granted", claims=claims
            )
        if claims.tool != tool:
            raise ToolTokenError(
                "tool_mismatch", f"token is for tool {claims.tool!r}", claims=claims
            )
        try:
            self._replay.add(claims.jti, claims.expires_at + self.leeway, self._clock())
        except ToolTokenError as exc:
            raise ToolTokenError(exc.reason, claims=claims) from None
        return claims

    def inspect(self, token: str) -> ToolClaims:
        """Every check of :meth:`verify` except tool, scope and replay; records nothing."""
        if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
            raise ToolTokenError("malformed")
        parts = token.split(".")
        if len(parts) != 3 or not all(parts):
            raise ToolTokenError("malformed", "expected three non-empty dot-separated parts")
        header_b64, payload_b64, signature_b64 = parts
        header = _json_object(_b64decode(header_b64))
        alg = header.get("alg")
        if alg != ALGORITHM:
            raise ToolTokenError("unsupported_alg", f"alg must be {ALGORITHM}")
        if header.get("typ", "JWT") != "JWT" or "crit" in header:
            raise ToolTokenError("unsupported_header")
        kid = header.get("kid")
        if not isinstance(kid, str) or kid not in self._keys:
            raise ToolTokenError("unknown_kid")
        signature = _b64decode(signature_b64)
        payload_bytes = _b64decode(payload_b64)
        try:
            self._keys[kid].verify(signature, f"{header_b64}.{payload_b64}".encode("ascii"))
        except InvalidSignature:
            raise ToolTokenError("bad_signature") from None
        return self._claims(_json_object(payload_bytes), kid)

    def _claims(self, payload: Mapping[str, Any], kid: str) -> ToolClaims:
        issuer = _str_claim(payload, "iss")
        aud = payload.get("aud")
        audiences = aud if isinstance(aud, list) else [aud]
        if not audiences or not all(isinstance(a, str) and a for a in audiences):
            raise ToolTokenError("invalid_claims", "claim 'aud' must be a string")
        subject = _str_claim(payload, "sub")
        tool = _str_claim(payload, "tool")
        scope = _str_claim(payload, "scope")
        cid = _str_claim(payload, "cid")
        jti = _str_claim(payload, "jti")
        fields = payload.get("fields")
        if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
            raise ToolTokenError("invalid_claims", "claim 'fields' must be a list of strings")
        iat, nbf, exp = (_int_claim(payload, n) for n in ("iat", "nbf", "exp"))

        if issuer != self.issuer:
            raise ToolTokenError("wrong_issuer")
        if self.audience not in audiences:
            raise ToolTokenError("wrong_audience")
        if nbf < iat or exp <= nbf:
            raise ToolTokenError("invalid_claims", "need iat <= nbf < exp")
        if exp - iat > MAX_TTL_SECONDS:
            raise ToolTokenError("lifetime_too_long", f"a token may live {MAX_TTL_SECONDS} s")
        now = self._clock()
        if now >= exp + self.leeway:
            raise ToolTokenError("token_expired")
        if now + self.leeway < nbf or now + self.leeway < iat:
            raise ToolTokenError("not_yet_valid")
        return ToolClaims(
            issuer=issuer,
            audience=self.audience,
            subject=subject,
            tool=tool,
            scopes=frozenset(scope.split()),
            fields=tuple(dict.fromkeys(fields)),
            conversation_id=cid,
            issued_at=iat,
            not_before=nbf,
            expires_at=exp,
            jti=jti,
            kid=kid,
        )


# -- key files ------------------------------------------------------------------------


def private_key_path(data_dir: Path) -> Path:
    return data_dir / "keys" / "tool-signing.key"


def public_key_path(data_dir: Path) -> Path:
    return data_dir / "keys" / "tool-signing.pub"


def _read_private_key(path: Path) -> Ed25519PrivateKey:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"{path} is readable by others; chmod 600 it")
    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{path} is not an unencrypted PEM private key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError(f"{path} does not hold an Ed25519 key")
    return key


def load_or_create_tool_key(data_dir: Path) -> Ed25519PrivateKey:
    """The tool-signing key at ``<data_dir>/keys/tool-signing.key``, created if absent.

    Creation is atomic (written to a temporary file, then hard-linked into place), so
    two processes starting together end up with the same, complete key.
    """
    path = private_key_path(data_dir)
    if path.exists():
        return _read_private_key(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:  # another process won the race: use its key
            return _read_private_key(path)
    finally:
        tmp.unlink(missing_ok=True)
    return key


def export_public_key(data_dir: Path) -> Path:
    """Write the tool key's public half (PEM) to ``<data_dir>/keys/tool-signing.pub``.

    Creates the private key first if there is none. Returns the path written.
    """
    public = load_or_create_tool_key(data_dir).public_key()
    pem = public.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    path = public_key_path(data_dir)
    if path.exists() and path.read_bytes() == pem:
        return path
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    tmp.write_bytes(pem)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return path


def jwks(public_key: Ed25519PublicKey, kid: str | None = None) -> dict[str, Any]:
    """A JWKS document (RFC 7517, OKP key per RFC 8037) holding ``public_key``."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {
        "keys": [
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": _b64encode(raw),
                "kid": kid if kid is not None else key_id(public_key),
                "alg": ALGORITHM,
                "use": "sig",
            }
        ]
    }


def public_keys_from_jwks(document: Mapping[str, Any]) -> dict[str, Ed25519PublicKey]:
    """The Ed25519 signing keys of a JWKS document, by kid; ConfigError if there are none."""
    keys = document.get("keys")
    if not isinstance(keys, list):
        raise ConfigError("a JWKS document needs a 'keys' list")
    out: dict[str, Ed25519PublicKey] = {}
    for jwk in keys:
        if not isinstance(jwk, dict) or jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
            continue
        if jwk.get("use", "sig") != "sig" or jwk.get("alg", ALGORITHM) != ALGORITHM:
            continue
        x = jwk.get("x")
        if not isinstance(x, str):
            raise ConfigError("an Ed25519 JWK needs an 'x' string")
        try:
            raw = _b64decode(x)
            public = Ed25519PublicKey.from_public_bytes(raw)
        except (ToolTokenError, ValueError) as exc:
            raise ConfigError("an Ed25519 JWK has an invalid 'x'") from exc
        kid = jwk.get("kid")
        out[kid if isinstance(kid, str) and kid else key_id(public)] = public
    if not out:
        raise ConfigError("the JWKS document holds no Ed25519 signing key")
    return out


def load_public_keys(path: Path) -> dict[str, Ed25519PublicKey]:
    """Public keys by kid from a PEM public key file or a JWKS (JSON) file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the tool public key {path}: {exc.strerror}") from exc
    if data.lstrip().startswith(b"{"):
        try:
            document = json.loads(data)
        except ValueError as exc:
            raise ConfigError(f"{path} is not valid JSON") from exc
        if not isinstance(document, dict):
            raise ConfigError(f"{path} is not a JWKS document")
        return public_keys_from_jwks(document)
    try:
        public = load_pem_public_key(data)
    except ValueError as exc:
        raise ConfigError(f"{path} is neither a PEM public key nor a JWKS document") from exc
    if not isinstance(public, Ed25519PublicKey):
        raise ConfigError(f"{path} does not hold an Ed25519 public key")
    return {key_id(public): public}
