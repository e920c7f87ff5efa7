"""Password hashing (argon2id) and the password policy.

Hashing uses ``argon2-cffi`` with the argon2id variant and the parameters of RFC 9106's
second recommended option (the "low memory" one, §4): time cost 3, 64 MiB of memory,
parallelism 4, a 16-byte random salt and a 32-byte tag — about 50 ms on a current
server core. The parameters travel inside each hash (PHC string format), so raising
them later only makes :meth:`Passwords.verify` report ``needs_rehash`` for old hashes;
the service then re-hashes at the next successful login.

``Passwords("fast")`` uses one pass over 1 MiB: fine for tests, never for production.

Verification is constant time with respect to the password (argon2 compares tags in
constant time) and :meth:`Passwords.dummy_verify` spends the same work on a random
hash, so a login for an unknown user costs as much as one for a known user.

The policy (:func:`check_password_policy`) follows NIST SP 800-63B in spirit — length
first — plus a few cheap checks against the weakest choices.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from typing import Literal

from argon2 import Parameters, PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.profiles import RFC_9106_LOW_MEMORY

from trustdesk.access.errors import WeakPassword

#: The production parameters: argon2id, t=3, m=64 MiB, p=4, 16-byte salt, 32-byte tag.
DEFAULT_PARAMETERS: Parameters = RFC_9106_LOW_MEMORY

#: Cheap parameters for tests: argon2id, t=1, m=1 MiB, p=1.
FAST_PARAMETERS = Parameters(
    type=Type.ID,
    version=19,
    salt_len=16,
    hash_len=32,
    time_cost=1,
    memory_cost=1024,
    parallelism=1,
)

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
MIN_DISTINCT_CHARACTERS = 5
MIN_CHARACTER_CLASSES = 2

#: A few of the most common long passwords; the policy refuses these outright.
_COMMON = frozenset(
    {
        "password1234",
        "password12345",
        "password123456",
        "passw0rd1234",
        "qwertyuiop12",
        "qwerty123456",
        "1q2w3e4r5t6y",
        "abc123456789",
        "iloveyou1234",
        "letmein12345",
        "welcome12345",
        "administrator",
        "changeme1234",
        "trustdesk123",
        "trustdesk1234",
    }
)


@dataclass(frozen=True, slots=True)
class PasswordCheck:
    """The outcome of a verification. ``needs_rehash`` only matters when ``ok``."""

    ok: bool
    needs_rehash: bool = False

    def __bool__(self) -> bool:
        return self.ok


class Passwords:
    """Hashes and verifies passwords with one set of argon2id parameters."""

    def __init__(self, profile: Literal["default", "fast"] | Parameters = "default") -> None:
        if profile == "default":
            params = DEFAULT_PARAMETERS
        elif profile == "fast":
            params = FAST_PARAMETERS
        elif isinstance(profile, Parameters):
            params = profile
        else:
            raise ValueError(f"unknown password profile {profile!r}")
        if params.type is not Type.ID:
            raise ValueError("only argon2id is allowed")
        self.parameters = params
        self._hasher = PasswordHasher.from_parameters(params)
        self._dummy_hash: str | None = None

    def hash(self, password: str) -> str:
        """The PHC string of ``password`` under a fresh random salt."""
        return self._hasher.hash(password)

    def verify(self, stored_hash: str, password: str) -> PasswordCheck:
        """Whether ``password`` matches ``stored_hash``; never raises on a bad hash."""
        try:
            self._hasher.verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError, UnicodeError):
            return PasswordCheck(ok=False)
        return PasswordCheck(ok=True, needs_rehash=self._needs_rehash(stored_hash))

    def _needs_rehash(self, stored_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(stored_hash)
        except (InvalidHashError, ValueError):
            return True

    def dummy_verify(self, password: str) -> None:
        """Spend the work of one verification, for callers with no hash to check."""
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(24))
        self.verify(self._dummy_hash, password)


_default: Passwords | None = None


def default_passwords() -> Passwords:
    """The process-wide production hasher (created on first use)."""
    global _default
    if _default is None:
        _default = Passwords()
    return _default


def hash_password(password: str, *, passwords: Passwords | None = None) -> str:
    """Hash ``password`` with argon2id (production parameters unless told otherwise).

    This does not apply the policy; call :func:`check_password_policy` first.
    """
    return (passwords or default_passwords()).hash(password)


def verify_password(
    stored_hash: str, password: str, *, passwords: Passwords | None = None
) -> PasswordCheck:
    """Check ``password`` against ``stored_hash``; ``needs_rehash`` if parameters changed."""
    return (passwords or default_passwords()).verify(stored_hash, password)


def _classes(password: str) -> int:
    lower = upper = digit = other = False
    for ch in password:
        if ch.isdigit():
            digit = True
        elif ch.islower():
            lower = True
        elif ch.isupper():
            upper = True
        else:
            other = True
    return sum((lower, upper, digit, other))


def password_problems(password: str, *, username: str | None = None) -> list[str]:
    """Every policy rule ``password`` breaks, as readable sentences (empty if fine)."""
    problems: list[str] = []
    n = len(password)
    if n < MIN_PASSWORD_LENGTH:
        problems.append(f"it must be at least {MIN_PASSWORD_LENGTH} characters long (it has {n})")
    if n > MAX_PASSWORD_LENGTH:
        problems.append(f"it must be at most {MAX_PASSWORD_LENGTH} characters long (it has {n})")
    if any(unicodedata.category(ch) in {"Cc", "Cs"} for ch in password):
        problems.append("it must not contain control characters or unpaired surrogates")
    if password and password.strip() != password:
        problems.append("it must not start or end with whitespace")
    if len(set(password)) < MIN_DISTINCT_CHARACTERS:
        problems.append(f"it must use at least {MIN_DISTINCT_CHARACTERS} different characters")
    if _classes(password) < MIN_CHARACTER_CLASSES:
        problems.append(
            "it must mix at least two kinds of characters "
            "(lower case, upper case, digits, symbols or spaces)"
        )
    lowered = password.casefold()
    if lowered in _COMMON:
        problems.append("it is one of the most commonly used passwords")
    if username and len(username) >= 3 and username.casefold() in lowered:
        problems.append("it must not contain the username")
    return problems


def check_password_policy(password: str, *, username: str | None = None) -> None:
    """Raise :class:`WeakPassword` listing every rule ``password`` breaks."""
    problems = password_problems(password, username=username)
    if problems:
        raise WeakPassword(problems)
