"""Tool tokens: round trip, and every way a token is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from trustdesk.errors import ConfigError
from trustdesk.tooltokens import (
    MAX_TTL_SECONDS,
    ToolTokenError,
    ToolTokenIssuer,
    ToolTokenVerifier,
    export_public_key,
    jwks,
    key_id,
    load_or_create_tool_key,
    load_public_keys,
    public_keys_from_jwks,
)

AUD = "northwind-core-banking"
T0 = 1_750_000_000


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def issuer(key: Ed25519PrivateKey, clock: Clock) -> ToolTokenIssuer:
    return ToolTokenIssuer(key, clock=clock)


@pytest.fixture
def verifier(key: Ed25519PrivateKey, clock: Clock) -> ToolTokenVerifier:
    return ToolTokenVerifier(
        {key_id(key.public_key()): key.public_key()}, audience=AUD, clock=clock
    )


def mint(issuer: ToolTokenIssuer, **overrides: Any) -> str:
    args: dict[str, Any] = {
        "audience": AUD,
        "subject": "NW-000042",
        "tool": "get_card_status",
        "scope": "cards:read",
        "fields": ["last4", "status"],
        "conversation_id": "conv-1",
    }
    args.update(overrides)
    return issuer.mint(**args)


def signed(key: Ed25519PrivateKey, header: dict[str, Any], payload: dict[str, Any]) -> str:
    head = b64(json.dumps(header).encode())
    body = b64(json.dumps(payload).encode())
    return f"{head}.{body}.{b64(key.sign(f'{head}.{body}'.encode()))}"


def good_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "iss": "trustdesk",
        "aud": AUD,
        "sub": "NW-000042",
        "tool": "get_card_status",
        "scope": "cards:read",
        "fields": ["last4"],
        "cid": "conv-1",
        "iat": T0,
        "nbf": T0,
        "exp": T0 + 60,
        "jti": "jti-1",
    }
    payload.update(overrides)
    return payload


def reason_of(verifier: ToolTokenVerifier, token: str, **kw: str) -> str:
    with pytest.raises(ToolTokenError) as info:
        verifier.verify(
            token,
            required_scope=kw.get("scope", "cards:read"),
            tool=kw.get("tool", "get_card_status"),
        )
    return info.value.reason


def test_round_trip(issuer: ToolTokenIssuer, verifier: ToolTokenVerifier) -> None:
    token = mint(issuer, scope="cards:read cards:freeze", ttl_seconds=90)
    header = json.loads(unb64(token.split(".")[0]))
    assert header == {"alg": "EdDSA", "typ": "JWT", "kid": issuer.kid}
    claims = verifier.verify(token, required_scope="cards:read", tool="get_card_status")
    assert claims.subject == "NW-000042"
    assert claims.audience == AUD and claims.issuer == "trustdesk"
    assert claims.tool == "get_card_status"
    assert claims.scopes == {"cards:read", "cards:freeze"}
    assert claims.fields == ("last4", "status")
    assert claims.conversation_id == "conv-1"
    assert claims.issued_at == claims.not_before == T0
    assert claims.expires_at == T0 + 90
    assert claims.kid == issuer.kid and len(claims.jti) >= 16


def test_each_token_has_its_own_jti(issuer: ToolTokenIssuer) -> None:
    payloads = [json.loads(unb64(mint(issuer).split(".")[1])) for _ in range(20)]
    assert len({p["jti"] for p in payloads}) == 20


def test_ttl_above_the_cap_is_refused_at_mint(issuer: ToolTokenIssuer) -> None:
    mint(issuer, ttl_seconds=MAX_TTL_SECONDS)
    for ttl in (MAX_TTL_SECONDS + 1, 3600, 0, -5):
        with pytest.raises(ValueError, match="ttl_seconds"):
            mint(issuer, ttl_seconds=ttl)


def test_mint_refuses_a_bare_string_for_fields(issuer: ToolTokenIssuer) -> None:
    with pytest.raises(ValueError, match="fields"):
        mint(issuer, fields="last4")
    with pytest.raises(ValueError, match="scope"):
        mint(issuer, scope="  ")


def test_expired(issuer: ToolTokenIssuer, verifier: ToolTokenVerifier, clock: Clock) -> None:
    token = mint(issuer, ttl_seconds=60)
    clock.now = T0 + 60 + 4  # inside the 5 s leeway
    verifier.inspect(token)
    clock.now = T0 + 60 + 5
    assert reason_of(verifier, token) == "token_expired"


def test_not_yet_valid(issuer: ToolTokenIssuer, verifier: ToolTokenVerifier, clock: Clock) -> None:
    token = mint(issuer)
    clock.now = T0 - 5  # leeway
    verifier.inspect(token)
    clock.now = T0 - 6
    assert reason_of(verifier, token) == "not_yet_valid"


def test_wrong_audience(issuer: ToolTokenIssuer, verifier: ToolTokenVerifier) -> None:
    assert reason_of(verifier, mint(issuer, audience="another-backend")) == "wrong_audience"


def test_wrong_issuer(key: Ed25519PrivateKey, clock: Clock, verifier: ToolTokenVerifier) -> None:
    other = ToolTokenIssuer(key, issuer="someone-else", clock=clock)
    assert reason_of(verifier, mint(other)) == "wrong_issuer"


def test_tampered_payload(issuer: ToolTokenIssuer, verifier: ToolTokenVerifier) -> None:
    head, body, sig = mint(issuer).split(".")
    payload = json.loads(unb64(body))
    payload["sub"] = "NW-000001"  # someone else's account
    forged = f"{head}.{b64(json.dumps(payload).encode())}.{sig}"
    assert reason_of(verifier, forged) == "bad_signature"


def test_tampered_signature(issuer: ToolTokenIssuer, verifier: ToolTokenVerifier) -> None:
    head, body, sig = mint(issuer).split(".")
    raw = bytearray(unb64(sig))
    raw[10] ^= 0x01
    assert reason_of(verifier, f"{head}.{body}.{b64(bytes(raw))}") == "bad_signature"


def test_signature_by_another_key_with_the_same_kid(
    issuer: ToolTokenIssuer, verifier: ToolTokenVerifier, clock: Clock
) -> None:
    impostor = ToolTokenIssuer(Ed25519PrivateKey.generate(), kid=issuer.kid, clock=clock)
    assert reason_of(verifier, mint(impostor)) == "bad_signature"


def test_alg_none_is_refused(issuer: ToolTokenIssuer, verifier: ToolTokenVerifier) -> None:
    _, body, _ = mint(issuer).split(".")
    for alg in ("none", "None", "NONE"):
        head = b64(json.dumps({"alg": alg, "typ": "JWT", "kid": issuer.kid}).encode())
        assert reason_of(verifier, f"{head}.{body}.") == "malformed"  # empty signature
        assert reason_of(verifier, f"{head}.{body}.AAAA") == "unsupported_alg"


def test_hs256_with_the_public_key_as_secret_is_refused(
    key: Ed25519PrivateKey, issuer: ToolTokenIssuer, verifier: ToolTokenVerifier
) -> None:
    # The classic confusion attack: HMAC keyed with the (public) verification key.
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    secret = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    _, body, _ = mint(issuer).split(".")
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": issuer.kid}).encode())
    mac = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    assert reason_of(verifier, f"{head}.{body}.{b64(mac)}") == "unsupported_alg"


def test_unknown_kid(clock: Clock, verifier: ToolTokenVerifier) -> None:
    stranger = ToolTokenIssuer(Ed25519PrivateKey.generate(), clock=clock)
    assert reason_of(verifier, mint(stranger)) == "unknown_kid"


def test_replayed_jti(issuer: ToolTokenIssuer, verifier: ToolTokenVerifier) -> None:
    token = mint(issuer)
    verifier.verify(token, required_scope="cards:read", tool="get_card_status")
    assert reason_of(verifier, token) == "replayed"


def test_refused_tokens_do_not_use_up_their_jti(
    issuer: ToolTokenIssuer, verifier: ToolTokenVerifier
) -> None:
    token = mint(issuer)
    assert reason_of(verifier, token, scope="cards:freeze") == "scope_denied"
    verifier.verify(token, required_scope="cards:read", tool="get_card_status")


def test_scope_and_tool_mismatch(issuer: ToolTokenIssuer, verifier: ToolTokenVerifier) -> None:
    token = mint(issuer)
    with pytest.raises(ToolTokenError) as info:
        verifier.verify(token, required_scope="cards:freeze", tool="get_card_status")
    assert info.value.reason == "scope_denied"
    assert info.value.claims is not None and info.value.claims.subject == "NW-000042"
    assert reason_of(verifier, token, tool="freeze_card") == "tool_mismatch"


def test_lifetime_above_the_cap_is_refused_even_when_signed(
    key: Ed25519PrivateKey, verifier: ToolTokenVerifier
) -> None:
    header = {"alg": "EdDSA", "typ": "JWT", "kid": key_id(key.public_key())}
    token = signed(key, header, good_payload(exp=T0 + MAX_TTL_SECONDS + 1))
    assert reason_of(verifier, token) == "lifetime_too_long"
    # The same construction within the cap is accepted: only the lifetime was wrong.
    verifier.verify(
        signed(key, header, good_payload()), required_scope="cards:read", tool="get_card_status"
    )


def test_claim_types_are_checked(key: Ed25519PrivateKey, verifier: ToolTokenVerifier) -> None:
    header = {"alg": "EdDSA", "typ": "JWT", "kid": key_id(key.public_key())}
    for bad in (
        {"exp": str(T0 + 60)},
        {"exp": True},
        {"fields": "last4"},
        {"sub": ""},
        {"nbf": T0 + 61},
    ):
        assert reason_of(verifier, signed(key, header, good_payload(**bad))) == "invalid_claims"
    missing = good_payload()
    del missing["jti"]
    assert reason_of(verifier, signed(key, header, missing)) == "invalid_claims"


def test_malformed_tokens(issuer: ToolTokenIssuer, verifier: ToolTokenVerifier) -> None:
    token = mint(issuer)
    head, body, sig = token.split(".")
    assert reason_of(verifier, "") == "malformed"
    assert reason_of(verifier, f"{head}.{body}") == "malformed"
    assert reason_of(verifier, f"{token}.extra") == "malformed"
    assert reason_of(verifier, "a" * 9000) == "malformed"
    assert reason_of(verifier, f"{head}=.{body}.{sig}") == "bad_base64"
    assert reason_of(verifier, f"{head}.{body}.{sig}+") == "bad_base64"
    assert reason_of(verifier, f"{b64(b'not json')}.{body}.{sig}") == "bad_json"
    assert reason_of(verifier, f"{b64(b'[1]')}.{body}.{sig}") == "bad_json"


def test_non_canonical_base64_is_refused(
    issuer: ToolTokenIssuer, verifier: ToolTokenVerifier
) -> None:
    head, body, sig = mint(issuer).split(".")
    # 64 bytes → 86 characters; the last one carries 4 unused bits. Set one of them.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet[alphabet.index(sig[-1]) | 0b0001]
    assert last != sig[-1]
    assert reason_of(verifier, f"{head}.{body}.{sig[:-1]}{last}") == "bad_base64"


def test_duplicate_keys_and_crit_are_refused(
    key: Ed25519PrivateKey, verifier: ToolTokenVerifier
) -> None:
    kid = key_id(key.public_key())
    head = b64(f'{{"alg":"EdDSA","kid":"{kid}","alg":"none"}}'.encode())
    body = b64(json.dumps(good_payload()).encode())
    sig = b64(key.sign(f"{head}.{body}".encode()))
    assert reason_of(verifier, f"{head}.{body}.{sig}") == "bad_json"
    crit = {"alg": "EdDSA", "typ": "JWT", "kid": kid, "crit": ["exp"]}
    assert reason_of(verifier, signed(key, crit, good_payload())) == "unsupported_header"


def test_key_files(tmp_path: Path) -> None:
    key = load_or_create_tool_key(tmp_path)
    path = tmp_path / "keys" / "tool-signing.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = load_or_create_tool_key(tmp_path)
    assert key_id(again.public_key()) == key_id(key.public_key())

    pub = export_public_key(tmp_path)
    assert pub == tmp_path / "keys" / "tool-signing.pub"
    assert pub.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    keys = load_public_keys(pub)
    assert list(keys) == [key_id(key.public_key())]

    os.chmod(path, 0o644)
    with pytest.raises(ConfigError, match="readable by others"):
        load_or_create_tool_key(tmp_path)


def test_jwks_round_trip(tmp_path: Path, key: Ed25519PrivateKey, clock: Clock) -> None:
    doc = jwks(key.public_key(), "k1")
    assert doc["keys"][0]["kty"] == "OKP" and doc["keys"][0]["crv"] == "Ed25519"
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(doc))
    keys = load_public_keys(path)
    assert list(keys) == ["k1"] and public_keys_from_jwks(doc).keys() == keys.keys()
    token = mint(ToolTokenIssuer(key, kid="k1", clock=clock))
    verifier = ToolTokenVerifier(keys, audience=AUD, clock=clock)
    assert verifier.verify(token, required_scope="cards:read", tool="get_card_status").kid == "k1"
    with pytest.raises(ConfigError):
        public_keys_from_jwks({"keys": [{"kty": "RSA", "n": "x", "e": "AQAB"}]})
