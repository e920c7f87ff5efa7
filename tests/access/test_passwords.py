"""argon2id hashing, verification and the password policy."""

from __future__ import annotations

import pytest
from argon2 import Parameters, Type

from trustdesk.access import (
    Passwords,
    WeakPassword,
    check_password_policy,
    hash_password,
    password_problems,
    verify_password,
)
from trustdesk.access.passwords import DEFAULT_PARAMETERS, FAST_PARAMETERS

FAST = Passwords("fast")
GOOD = "Correct-Horse-42"


def test_hash_is_argon2id_with_a_fresh_salt() -> None:
    h1, h2 = FAST.hash(GOOD), FAST.hash(GOOD)
    assert h1.startswith("$argon2id$v=19$m=1024,t=1,p=1$")
    assert h1 != h2
    assert GOOD not in h1


def test_verify() -> None:
    stored = FAST.hash(GOOD)
    ok = FAST.verify(stored, GOOD)
    assert ok.ok and bool(ok) and not ok.needs_rehash
    assert not FAST.verify(stored, GOOD + "!")
    assert not FAST.verify(stored, "")
    assert not FAST.verify("not a hash", GOOD)
    assert not FAST.verify(stored, "\udc80 surrogate")


def test_module_functions_accept_a_hasher() -> None:
    stored = hash_password(GOOD, passwords=FAST)
    assert verify_password(stored, GOOD, passwords=FAST).ok


def test_needs_rehash_when_parameters_change() -> None:
    stronger = Passwords(
        Parameters(
            type=Type.ID,
            version=19,
            salt_len=16,
            hash_len=32,
            time_cost=2,
            memory_cost=2048,
            parallelism=1,
        )
    )
    old = FAST.hash(GOOD)
    check = stronger.verify(old, GOOD)
    assert check.ok and check.needs_rehash
    assert not stronger.verify(stronger.hash(GOOD), GOOD).needs_rehash


def test_default_profile_is_rfc9106_low_memory() -> None:
    p = Passwords().parameters
    assert p is DEFAULT_PARAMETERS
    assert (p.type, p.time_cost, p.memory_cost, p.parallelism) == (Type.ID, 3, 65536, 4)
    assert FAST_PARAMETERS.type is Type.ID


def test_only_argon2id() -> None:
    with pytest.raises(ValueError, match="argon2id"):
        Passwords(
            Parameters(
                type=Type.I,
                version=19,
                salt_len=16,
                hash_len=32,
                time_cost=1,
                memory_cost=1024,
                parallelism=1,
            )
        )


def test_dummy_verify_runs() -> None:
    FAST.dummy_verify("whatever it is")
    FAST.dummy_verify("")


@pytest.mark.parametrize(
    "password",
    [GOOD, "Staple Battery 7x", "correct horse battery staple", "Ünïcödé-Pässwört", "ab12cd34ef56"],
)
def test_policy_accepts(password: str) -> None:
    check_password_policy(password, username="alice.martin")


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("Short-1", "at least 12 characters long (it has 7)"),
        ("abcdefghijklmnop", "mix at least two kinds"),
        ("123456789012", "mix at least two kinds"),
        ("aaaaaaaaaaa1", "at least 5 different characters"),
        ("Password1234", "most commonly used"),
        ("alice.martin-2026", "must not contain the username"),
        ("tab\there-Password9", "control characters"),
        (" Leading-space-9", "start or end with whitespace"),
        ("x" * 1025 + "A1", "at most 1024 characters"),
    ],
)
def test_policy_refuses_with_a_clear_reason(password: str, fragment: str) -> None:
    with pytest.raises(WeakPassword) as info:
        check_password_policy(password, username="alice.martin")
    assert fragment in str(info.value)
    assert password not in str(info.value)
    assert any(fragment in p for p in info.value.problems)


def test_policy_lists_every_problem() -> None:
    problems = password_problems("aaaa")
    assert len(problems) == 3  # length, distinct characters, one class
