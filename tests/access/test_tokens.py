"""API key and session token formats, hashing and comparison."""

from __future__ import annotations

import hashlib
import re

import pytest

from trustdesk.access import (
    MalformedToken,
    generate_api_key,
    generate_session_token,
    hash_token,
    parse_api_key,
    parse_session_token,
    token_matches,
)
from trustdesk.access.tokens import hashes_match, token_kind, validate_prefix

KEY_RE = re.compile(r"td_[a-z0-9]{10}_[A-Za-z0-9_-]{43}")


def test_api_key_format_and_hash() -> None:
    issued = generate_api_key()
    assert KEY_RE.fullmatch(issued.key)
    assert issued.key.startswith(issued.prefix + "_")
    assert issued.key_hash == hashlib.sha256(issued.key.encode()).hexdigest()
    assert issued.key not in repr(issued)
    parts = parse_api_key(issued.key)
    assert parts.prefix == issued.prefix
    assert issued.key == f"{parts.prefix}_{parts.secret}"
    assert parts.secret not in repr(parts)


def test_api_keys_are_unique() -> None:
    keys = {generate_api_key().key for _ in range(200)}
    assert len(keys) == 200
    assert len({k[:13] for k in keys}) == 200


def test_session_token_format() -> None:
    issued = generate_session_token()
    assert re.fullmatch(r"tds_[A-Za-z0-9_-]{43}", issued.token)
    assert parse_session_token(issued.token) == issued.token
    assert issued.token_hash == hash_token(issued.token)
    assert issued.token not in repr(issued)


def test_kind() -> None:
    assert token_kind(generate_api_key().key) == "api_key"
    assert token_kind(generate_session_token().token) == "session"
    with pytest.raises(MalformedToken):
        token_kind("Basic xyz")


def test_constant_time_comparison() -> None:
    issued = generate_api_key()
    assert token_matches(issued.key, issued.key_hash)
    assert token_matches(issued.key, issued.key_hash.upper())
    assert not token_matches(issued.key + "x", issued.key_hash)
    assert hashes_match(issued.key_hash, issued.key_hash)
    assert not hashes_match(issued.key_hash, "0" * 64)
    assert not hashes_match(issued.key_hash, "é" * 64)  # non-ASCII: no TypeError


@pytest.mark.parametrize(
    "key",
    [
        "",
        "td_",
        "td_abc_" + "a" * 43,  # prefix too short
        "td_abcdefghijklm_" + "a" * 43,  # prefix too long
        "td_ABCDEFGHIJ_" + "a" * 43,  # upper case in prefix
        "td_abcdefghij_" + "a" * 42,  # secret too short
        "td_abcdefghij_" + "a" * 43 + "\n",
        "td_abcdefghij_" + "a" * 42 + "=",
        "tx_abcdefghij_" + "a" * 43,
        "td_abcdefghij_" + "é" * 43,
        "td_abcdefghij_" + "a" * 200,
    ],
)
def test_malformed_api_keys(key: str) -> None:
    with pytest.raises(MalformedToken, match="malformed API key"):
        parse_api_key(key)


def test_malformed_messages_never_echo_input() -> None:
    secret_like = "td_abcdefghij_" + "S3cr3t" * 3
    with pytest.raises(MalformedToken) as info:
        parse_api_key(secret_like)
    assert "S3cr3t" not in str(info.value)
    assert "td_<8-12 characters a-z0-9>_" in str(info.value)


def test_malformed_session_tokens() -> None:
    for token in ("", "tds_", "tds_short", generate_api_key().key, "tds_" + "a" * 43 + " "):
        with pytest.raises(MalformedToken, match="malformed session token"):
            parse_session_token(token)


def test_non_strings_are_malformed() -> None:
    with pytest.raises(MalformedToken):
        parse_api_key(None)  # type: ignore[arg-type]


def test_prefix_validation() -> None:
    assert validate_prefix("td_abcdefgh") == "td_abcdefgh"
    with pytest.raises(MalformedToken):
        validate_prefix("td_abc")
    with pytest.raises(MalformedToken):
        generate_api_key(prefix="nope")
    assert generate_api_key(prefix="td_fixedpre1").prefix == "td_fixedpre1"
