"""Property tests: resolving arbitrary credentials only ever fails with an auth error."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.access.conftest import FakeClock, make_database
from trustdesk.access import (
    AccessService,
    InvalidCredentials,
    Passwords,
    Role,
    check_password_policy,
    parse_api_key,
)
from trustdesk.access.errors import WeakPassword
from trustdesk.access.tokens import API_KEY_FORMAT, MAX_TOKEN_LENGTH
from trustdesk.errors import AuthenticationError


@pytest.fixture(scope="module")
def fuzz_access(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AccessService, str]]:
    db = make_database(tmp_path_factory.mktemp("fuzz") / "t.db")
    service = AccessService(db, clock=FakeClock(), passwords=Passwords("fast"))
    key, _ = service.create_api_key(name="fuzz target", role=Role.AI_AGENT)
    uid = service.create_user(
        username="lena.fischer", display_name="Lena", role="agent", password="Amber-Canyon-73"
    )
    service.create_session(uid, timedelta(hours=1))
    yield service, key
    db.dispose()


def _mutations(key: str) -> st.SearchStrategy[str]:
    """Near misses of a real key: one character changed, dropped or added."""
    return st.tuples(
        st.integers(min_value=0, max_value=len(key) - 1),
        st.sampled_from(["replace", "drop", "insert"]),
        st.characters(),
    ).map(
        lambda t: (
            key[: t[0]] + t[2] + key[t[0] + 1 :]
            if t[1] == "replace"
            else key[: t[0]] + key[t[0] + 1 :]
            if t[1] == "drop"
            else key[: t[0]] + t[2] + key[t[0] :]
        )
    )


WELL_FORMED = st.from_regex(r"td_[a-z0-9]{8,12}_[A-Za-z0-9_-]{43}", fullmatch=True)
SESSIONS = st.from_regex(r"tds_[A-Za-z0-9_-]{43}", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_resolve_api_key_only_raises_auth_errors(
    fuzz_access: tuple[AccessService, str], data: st.DataObject
) -> None:
    service, key = fuzz_access
    candidate = data.draw(st.one_of(st.text(), WELL_FORMED, SESSIONS, _mutations(key)))
    if candidate == key:
        assert service.resolve_api_key(candidate).role is Role.AI_AGENT
        return
    with pytest.raises(InvalidCredentials):
        service.resolve_api_key(candidate)
    with pytest.raises(AuthenticationError):
        service.resolve_token(candidate)


@settings(max_examples=200, deadline=None)
@given(token=st.one_of(st.text(), SESSIONS, st.binary().map(lambda b: b.decode("latin-1"))))
def test_resolve_session_only_raises_auth_errors(
    fuzz_access: tuple[AccessService, str], token: str
) -> None:
    service, _ = fuzz_access
    with pytest.raises(InvalidCredentials):
        service.resolve_session(token)


@settings(max_examples=100, deadline=None)
@given(username=st.text(max_size=80), password=st.text(max_size=40))
def test_password_login_only_raises_auth_errors(
    fuzz_access: tuple[AccessService, str], username: str, password: str
) -> None:
    service, _ = fuzz_access
    with pytest.raises(InvalidCredentials, match="^invalid username or password$"):
        service.authenticate_password(username, password)


PARSE_MESSAGES = {
    f"malformed API key: expected {API_KEY_FORMAT}",
    f"malformed API key: longer than {MAX_TOKEN_LENGTH} characters",
}


@given(key=st.one_of(st.text(), st.text(min_size=150, max_size=200), WELL_FORMED))
def test_parse_api_key_never_echoes_its_input(key: str) -> None:
    try:
        parse_api_key(key)
    except InvalidCredentials as exc:
        assert str(exc) in PARSE_MESSAGES  # fixed texts: nothing of the input


@given(password=st.text(max_size=60))
def test_policy_either_accepts_or_explains(password: str) -> None:
    try:
        check_password_policy(password)
    except WeakPassword as exc:
        assert exc.problems
        assert all(p.startswith("it ") for p in exc.problems)
