"""AccessService over a real SQLite file: users, logins, sessions, API keys, grants."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from tests.access.conftest import PASSWORDS, START, FakeClock, dump_database, ledger_events
from trustdesk.access import (
    AccessService,
    ApiKeyNotFound,
    GrantNotFound,
    InvalidAccessRequest,
    InvalidCredentials,
    InvalidGrant,
    MalformedToken,
    Passwords,
    PermissionDenied,
    Principal,
    Role,
    Scope,
    UsernameTaken,
    UserNotFound,
    WeakPassword,
)
from trustdesk.ledger import verify_chain
from trustdesk.ledger.sql import iter_records
from trustdesk.store.db import Database
from trustdesk.store.models import ApiKey, Grant, User, UserSession

REASON = "Subject access request SAR-2026-0142 needs the IBAN on file"


def _types(db: Database) -> list[str]:
    return [t for t, _, _ in ledger_events(db)]


def _user_id(db: Database, username: str) -> uuid.UUID:
    with db.read() as session:
        uid = session.scalar(select(User.id).where(User.username == username))
    assert uid is not None
    return uid


# -- users -----------------------------------------------------------------------------


def test_create_user_writes_a_ledger_event(access: AccessService, db: Database) -> None:
    uid = access.create_user(
        username="  Fatima.Haddad ",
        display_name="Fatima Haddad",
        role="agent",
        password="Orchard-Window-55",
    )
    with db.read() as session:
        user = session.get(User, uid)
        assert user is not None
        assert user.username == "fatima.haddad"
        assert user.role == "agent"
        assert user.password_hash and user.password_hash.startswith("$argon2id$")
    [(kind, actor, payload)] = ledger_events(db)
    assert (kind, actor) == ("user.created", "system")
    assert payload == {
        "user_id": str(uid),
        "username": "fatima.haddad",
        "role": "agent",
        "password_login": True,
    }
    assert "Fatima Haddad" not in str(payload)  # the display name is personal data


def test_create_user_refusals(access: AccessService, staff: dict[str, Principal]) -> None:
    with pytest.raises(UsernameTaken):
        access.create_user(
            username="ALICE.MARTIN", display_name="A M", role="agent", password="Another-Pass-99"
        )
    with pytest.raises(WeakPassword, match="at least 12"):
        access.create_user(
            username="gustav.berg", display_name="Gustav Berg", role="agent", password="short"
        )
    with pytest.raises(InvalidAccessRequest, match="cannot have the role ai_agent"):
        access.create_user(
            username="robot", display_name="Robot", role=Role.AI_AGENT, password=None
        )
    with pytest.raises(InvalidAccessRequest, match="unknown role"):
        access.create_user(username="x.y.z", display_name="X", role="root", password=None)
    with pytest.raises(InvalidAccessRequest, match="username must be"):
        access.create_user(username="a b", display_name="X", role="agent", password=None)
    with pytest.raises(InvalidAccessRequest, match="display name"):
        access.create_user(username="abc", display_name=" ", role="agent", password=None)
    # Only a holder of user:manage may create users.
    with pytest.raises(PermissionDenied, match="user:manage"):
        access.create_user(
            username="henri.blanc",
            display_name="Henri Blanc",
            role="agent",
            password=None,
            by=staff["chloe.dubois"],
        )
    uid = access.create_user(
        username="henri.blanc",
        display_name="Henri Blanc",
        role="agent",
        password=None,
        by=staff["erin.walsh"],
    )
    assert access.user_principal(uid).role is Role.AGENT


def test_user_principal_scopes(staff: dict[str, Principal]) -> None:
    agent = staff["alice.martin"]
    assert agent.kind == "user" and agent.actor == "user:alice.martin"
    assert agent.scopes == Role.AGENT.scopes and agent.granted == frozenset()
    assert agent.user_id == agent.id
    assert staff["erin.walsh"].has(Scope.USER_MANAGE)
    assert not staff["erin.walsh"].has(Scope.PII_REVEAL)


# -- password login --------------------------------------------------------------------


def test_login_success(access: AccessService, db: Database, staff: dict[str, Principal]) -> None:
    principal = access.authenticate_password("Alice.Martin", PASSWORDS["alice.martin"])
    assert principal == staff["alice.martin"]
    kind, actor, payload = ledger_events(db)[-1]
    assert (kind, actor) == ("auth.login", "user:alice.martin")
    assert payload["method"] == "password" and payload["rehashed"] is False


def test_login_failures_are_generic_and_recorded(
    access: AccessService, db: Database, staff: dict[str, Principal]
) -> None:
    messages = []
    for username, password in [
        ("alice.martin", "Wrong-Password-1"),
        ("nobody.here", "Wrong-Password-1"),
        ("not a username!", "x"),
    ]:
        with pytest.raises(InvalidCredentials) as info:
            access.authenticate_password(username, password)
        messages.append(str(info.value))
    assert set(messages) == {"invalid username or password"}
    failures = [e for e in ledger_events(db) if e[0] == "auth.login_failed"]
    assert failures[0] == (
        "auth.login_failed",
        "user:alice.martin",
        {
            "method": "password",
            "reason": "bad_password",
            "user_id": str(staff["alice.martin"].id),
        },
    )
    # An unknown name may be a mistyped password: it is not recorded.
    assert failures[1] == (
        "auth.login_failed",
        "anonymous",
        {"method": "password", "reason": "unknown_user"},
    )
    assert failures[2][1] == "anonymous"
    assert "Wrong-Password-1" not in str(ledger_events(db))
    assert "nobody.here" not in dump_database(db)


@pytest.mark.usefixtures("staff")
def test_unknown_user_costs_a_hash(access: AccessService, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(access.passwords, "dummy_verify", lambda pw: calls.append("dummy"))
    with pytest.raises(InvalidCredentials):
        access.authenticate_password("nobody.here", "Wrong-Password-1")
    assert calls == ["dummy"]
    access.create_user(username="ivo.petrov", display_name="Ivo", role="agent", password=None)
    with pytest.raises(InvalidCredentials):
        access.authenticate_password("ivo.petrov", "")  # no password login
    assert calls == ["dummy", "dummy"]


@pytest.mark.usefixtures("staff")
def test_inactive_user_cannot_log_in(access: AccessService, db: Database) -> None:
    with db.write() as session:
        session.execute(update(User).where(User.username == "alice.martin").values(active=False))
    with pytest.raises(InvalidCredentials, match="invalid username or password"):
        access.authenticate_password("alice.martin", PASSWORDS["alice.martin"])
    assert ledger_events(db)[-1][2]["reason"] == "inactive"


def test_login_rehashes_old_parameters(db: Database, clock: FakeClock) -> None:
    from argon2 import Parameters, Type

    old = AccessService(db, clock=clock, passwords=Passwords("fast"))
    uid = old.create_user(
        username="jana.novak", display_name="Jana", role="agent", password="Willow-River-31"
    )
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
    new = AccessService(db, clock=clock, passwords=stronger)
    new.authenticate_password("jana.novak", "Willow-River-31")
    with db.read() as session:
        stored = session.get(User, uid)
        assert stored is not None and stored.password_hash
        assert "m=2048,t=2" in stored.password_hash
    assert ledger_events(db)[-1][2]["rehashed"] is True


# -- sessions --------------------------------------------------------------------------


def test_session_lifecycle(
    access: AccessService, db: Database, clock: FakeClock, staff: dict[str, Principal]
) -> None:
    result = access.login("bruno.keller", PASSWORDS["bruno.keller"], ttl=timedelta(hours=1))
    assert result.expires_at == START + timedelta(hours=1)
    assert result.token.startswith("tds_") and result.token not in repr(result)
    assert access.resolve_session(result.token) == staff["bruno.keller"]
    assert access.resolve_token(result.token) == staff["bruno.keller"]
    login = ledger_events(db)[-1]
    assert login[0] == "auth.login" and "session" in login[2]

    clock.advance(minutes=59, seconds=59)
    access.resolve_session(result.token)
    clock.advance(seconds=1)
    with pytest.raises(InvalidCredentials):
        access.resolve_session(result.token)


def test_session_revocation(
    access: AccessService, db: Database, staff: dict[str, Principal]
) -> None:
    token = access.create_session(staff["alice.martin"].id, timedelta(hours=2))
    assert access.resolve_session(token).actor == "user:alice.martin"
    access.revoke_session(token)
    with pytest.raises(InvalidCredentials):
        access.resolve_session(token)
    access.revoke_session(token)  # idempotent: one event only
    assert _types(db).count("auth.logout") == 1
    kind, actor, payload = ledger_events(db)[-1]
    assert (kind, actor) == ("auth.logout", "user:alice.martin")
    assert token not in str(payload)
    with pytest.raises(InvalidCredentials):
        access.revoke_session("tds_" + "A" * 43)


def test_session_refusals(access: AccessService, db: Database, staff: dict[str, Principal]) -> None:
    uid = staff["alice.martin"].id
    with pytest.raises(InvalidAccessRequest, match="at most"):
        access.create_session(uid, timedelta(days=2))
    with pytest.raises(InvalidAccessRequest, match="positive"):
        access.create_session(uid, timedelta(0))
    with pytest.raises(UserNotFound):
        access.create_session(uuid.uuid4(), timedelta(hours=1))
    with pytest.raises(MalformedToken):
        access.resolve_session("not-a-token")
    token = access.create_session(uid, timedelta(hours=1))
    with db.write() as session:
        session.execute(update(User).where(User.id == uid).values(active=False))
    with pytest.raises(InvalidCredentials):
        access.resolve_session(token)


# -- API keys --------------------------------------------------------------------------


def test_api_key_lifecycle(
    access: AccessService, db: Database, clock: FakeClock, staff: dict[str, Principal]
) -> None:
    key, key_id = access.create_api_key(
        name="ai-agent-primary", role="ai_agent", ttl=timedelta(days=30), by=staff["erin.walsh"]
    )
    prefix = key[:13]
    principal = access.resolve_api_key(key)
    assert principal.kind == "api_key" and principal.id == key_id
    assert principal.actor == f"apikey:{prefix}"
    assert principal.scopes == {Scope.TOOL_CALL, Scope.CONVERSATION_READ}
    assert access.resolve_token(key) == principal
    with db.read() as session:
        row = session.get(ApiKey, key_id)
        assert row is not None and row.last_used_at == START
        assert row.prefix == prefix and row.key_hash != key
    kind, actor, payload = ledger_events(db)[-1]
    assert (kind, actor) == ("apikey.created", "user:erin.walsh")
    assert payload["prefix"] == prefix and payload["role"] == "ai_agent"

    # last_used_at moves at most once a minute.
    clock.advance(seconds=30)
    access.resolve_api_key(key)
    with db.read() as session:
        assert session.get(ApiKey, key_id).last_used_at == START  # type: ignore[union-attr]
    clock.advance(seconds=30)
    access.resolve_api_key(key)
    with db.read() as session:
        assert session.get(ApiKey, key_id).last_used_at == clock.now  # type: ignore[union-attr]

    # A wrong secret with the right prefix is refused.
    wrong = prefix + "_" + ("B" * 43)
    with pytest.raises(InvalidCredentials):
        access.resolve_api_key(wrong)

    clock.advance(days=30)
    with pytest.raises(InvalidCredentials):
        access.resolve_api_key(key)


def test_api_key_revocation(
    access: AccessService, db: Database, staff: dict[str, Principal]
) -> None:
    key, _ = access.create_api_key(name="crm bridge", role=Role.CUSTOMER)
    access.resolve_api_key(key)
    with pytest.raises(PermissionDenied):
        access.revoke_api_key(key[:13], by=staff["alice.martin"])
    access.revoke_api_key(key[:13], by=staff["erin.walsh"])
    with pytest.raises(InvalidCredentials):
        access.resolve_api_key(key)
    access.revoke_api_key(key[:13])  # idempotent
    assert _types(db).count("apikey.revoked") == 1
    assert ledger_events(db)[-1][1] == "user:erin.walsh"

    # A whole key is accepted (its prefix is used), and a key may revoke itself.
    key2, _ = access.create_api_key(name="leaked one", role=Role.AI_AGENT)
    itself = access.resolve_api_key(key2)
    access.revoke_api_key(key2, by=itself)
    with pytest.raises(InvalidCredentials):
        access.resolve_api_key(key2)
    assert ledger_events(db)[-1][1] == itself.actor
    assert key2 not in str(ledger_events(db))

    with pytest.raises(ApiKeyNotFound):
        access.revoke_api_key("td_zzzzzzzzzz")
    with pytest.raises(InvalidAccessRequest, match="malformed API key prefix"):
        access.revoke_api_key("nonsense")


def test_api_key_refusals(access: AccessService, staff: dict[str, Principal]) -> None:
    for role in (Role.ADMIN, Role.COMPLIANCE_OFFICER):
        with pytest.raises(InvalidAccessRequest, match="an API key cannot have the role"):
            access.create_api_key(name="too powerful", role=role)
    with pytest.raises(PermissionDenied, match="apikey:manage"):
        access.create_api_key(name="k", role=Role.AI_AGENT, by=staff["bruno.keller"])
    with pytest.raises(InvalidAccessRequest, match="name"):
        access.create_api_key(name="  ", role=Role.AI_AGENT)
    with pytest.raises(InvalidAccessRequest, match="positive"):
        access.create_api_key(name="k", role=Role.AI_AGENT, ttl=timedelta(seconds=-1))
    with pytest.raises(UserNotFound):
        access.create_api_key(name="k", role=Role.AGENT, user_id=uuid.uuid4())


def test_user_bound_key_dies_with_its_user(
    access: AccessService, db: Database, staff: dict[str, Principal]
) -> None:
    owner = staff["alice.martin"]
    key, _ = access.create_api_key(name="alice's desk script", role=Role.AGENT, user_id=owner.id)
    assert access.resolve_api_key(key).user_id == owner.id
    with db.write() as session:
        session.execute(update(User).where(User.id == owner.id).values(active=False))
    with pytest.raises(InvalidCredentials):
        access.resolve_api_key(key)


def test_key_row_with_a_forbidden_role_fails_closed(access: AccessService, db: Database) -> None:
    key, key_id = access.create_api_key(name="edited", role=Role.AI_AGENT)
    with db.write() as session:
        session.execute(update(ApiKey).where(ApiKey.id == key_id).values(role="admin"))
    with pytest.raises(InvalidCredentials):
        access.resolve_api_key(key)


# -- grants ----------------------------------------------------------------------------


def test_time_bound_pii_reveal_grant(
    access: AccessService, db: Database, clock: FakeClock, staff: dict[str, Principal]
) -> None:
    grantor, grantee = staff["chloe.dubois"], staff["dmitri.novak"]
    token = access.create_session(grantee.id, timedelta(hours=4))
    assert Scope.PII_REVEAL not in access.resolve_session(token).scopes

    grant_id = access.grant(
        user_id=grantee.id,
        scope=Scope.PII_REVEAL,
        reason=REASON,
        granted_by=grantor,
        ttl=timedelta(hours=1),
    )
    now = access.resolve_session(token)
    assert Scope.PII_REVEAL in now.scopes and now.granted == {Scope.PII_REVEAL}
    [info] = access.active_grants(grantee.id)
    assert (info.id, info.scope, info.reason, info.granted_by) == (
        grant_id,
        Scope.PII_REVEAL,
        REASON,
        "user:chloe.dubois",
    )
    assert info.expires_at == START + timedelta(hours=1)

    kind, actor, payload = ledger_events(db)[-1]
    assert (kind, actor) == ("grant.created", "user:chloe.dubois")
    assert payload["scope"] == "pii:reveal" and payload["ttl_seconds"] == 3600
    assert len(str(payload["reason_sha256"])) == 64
    assert REASON not in str(payload)

    clock.advance(minutes=59)
    assert Scope.PII_REVEAL in access.resolve_session(token).scopes
    clock.advance(minutes=1)  # expires by itself: no job, no write
    assert Scope.PII_REVEAL not in access.resolve_session(token).scopes
    assert access.active_grants(grantee.id) == []
    assert [g.id for g in access.active_grants(grantee.id, at=START)] == [grant_id]
    assert "grant.revoked" not in _types(db)


def test_revoked_grant_is_gone(
    access: AccessService, db: Database, clock: FakeClock, staff: dict[str, Principal]
) -> None:
    grantee = staff["alice.martin"]
    grant_id = access.grant(
        user_id=grantee.id,
        scope="pii:reveal",
        reason="Fraud case FC-8812: verify the payee's account",
        granted_by=staff["chloe.dubois"],
        ttl=timedelta(hours=2),
    )
    assert access.user_principal(grantee.id).has(Scope.PII_REVEAL)
    clock.advance(minutes=10)
    with pytest.raises(PermissionDenied):
        access.revoke_grant(grant_id, by=staff["bruno.keller"])
    access.revoke_grant(grant_id, by=staff["dmitri.novak"])
    assert not access.user_principal(grantee.id).has(Scope.PII_REVEAL)
    assert access.active_grants(grantee.id) == []
    # It was in force before the revocation.
    assert len(access.active_grants(grantee.id, at=START + timedelta(minutes=5))) == 1
    access.revoke_grant(grant_id, by=staff["dmitri.novak"])  # idempotent
    assert _types(db).count("grant.revoked") == 1
    assert ledger_events(db)[-1][:2] == ("grant.revoked", "user:dmitri.novak")
    with pytest.raises(GrantNotFound):
        access.revoke_grant(uuid.uuid4(), by=staff["dmitri.novak"])


def test_grantee_may_give_up_a_grant(access: AccessService, staff: dict[str, Principal]) -> None:
    grantee = staff["bruno.keller"]
    grant_id = access.grant(
        user_id=grantee.id,
        scope=Scope.PII_REVEAL,
        reason="Complaint CMP-311 requires the original address",
        granted_by=staff["chloe.dubois"],
        ttl=timedelta(minutes=30),
    )
    access.revoke_grant(grant_id, by=access.user_principal(grantee.id))
    assert not access.user_principal(grantee.id).has(Scope.PII_REVEAL)


@pytest.mark.parametrize(
    ("overrides", "error", "fragment"),
    [
        ({"scope": Scope.USER_MANAGE}, InvalidGrant, "cannot be granted"),
        ({"scope": "root:all"}, InvalidGrant, "unknown scope"),
        ({"reason": "because"}, InvalidGrant, "at least 10 characters"),
        ({"reason": "          x         "}, InvalidGrant, "at least 10 characters"),
        ({"ttl": timedelta(hours=8, seconds=1)}, InvalidGrant, "at most 8:00:00"),
        ({"ttl": timedelta(0)}, InvalidGrant, "positive"),
        ({"user": "erin.walsh"}, InvalidGrant, "can only be granted to"),
        ({"by": "erin.walsh"}, PermissionDenied, "grant:manage"),
        ({"by": "dmitri.novak", "user": "dmitri.novak"}, PermissionDenied, "themselves"),
    ],
)
def test_grant_refusals(
    access: AccessService,
    db: Database,
    staff: dict[str, Principal],
    overrides: dict[str, object],
    error: type[Exception],
    fragment: str,
) -> None:
    before = len(ledger_events(db))
    user = staff[str(overrides.get("user", "alice.martin"))]
    by = staff[str(overrides.get("by", "chloe.dubois"))]
    with pytest.raises(error, match=fragment):
        access.grant(
            user_id=user.id,
            scope=overrides.get("scope", Scope.PII_REVEAL),  # type: ignore[arg-type]
            reason=overrides.get("reason", REASON),  # type: ignore[arg-type]
            granted_by=by,
            ttl=overrides.get("ttl", timedelta(hours=1)),  # type: ignore[arg-type]
        )
    assert len(ledger_events(db)) == before
    with db.read() as session:
        assert session.scalars(select(Grant)).all() == []


def test_api_keys_get_no_grants(access: AccessService, staff: dict[str, Principal]) -> None:
    agent = staff["alice.martin"]
    key, _ = access.create_api_key(name="alice script", role=Role.AGENT, user_id=agent.id)
    access.grant(
        user_id=agent.id,
        scope=Scope.PII_REVEAL,
        reason=REASON,
        granted_by=staff["chloe.dubois"],
        ttl=timedelta(hours=1),
    )
    assert access.user_principal(agent.id).has(Scope.PII_REVEAL)
    assert not access.resolve_api_key(key).has(Scope.PII_REVEAL)


def test_grant_to_unknown_user(access: AccessService, staff: dict[str, Principal]) -> None:
    with pytest.raises(UserNotFound):
        access.grant(
            user_id=uuid.uuid4(),
            scope=Scope.PII_REVEAL,
            reason=REASON,
            granted_by=staff["chloe.dubois"],
            ttl=timedelta(hours=1),
        )


# -- secrets never stored; ledger intact ------------------------------------------------


def test_no_secret_in_any_stored_row(
    access: AccessService, db: Database, staff: dict[str, Principal], tmp_path: Path
) -> None:
    login = access.login("alice.martin", PASSWORDS["alice.martin"])
    with pytest.raises(InvalidCredentials):
        access.authenticate_password("alice.martin", "Wrong-But-Plausible-9")
    key, _ = access.create_api_key(name="ai", role=Role.AI_AGENT, by=staff["erin.walsh"])
    access.resolve_api_key(key)
    access.revoke_api_key(key[:13], by=staff["erin.walsh"])
    access.revoke_session(login.token)

    dump = dump_database(db)
    secrets = [*PASSWORDS.values(), "Wrong-But-Plausible-9", login.token, key, key[14:]]
    for secret in secrets:
        assert secret not in dump, "a secret was stored"
    # Not in the raw files either (WAL included).
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("t.db*") if p.is_file())
    for secret in secrets:
        assert secret.encode() not in raw
    # What is stored are hashes.
    with db.read() as session:
        assert session.scalars(select(UserSession.token_hash)).all()
        assert all(len(h) == 64 for h in session.scalars(select(ApiKey.key_hash)))


@pytest.mark.usefixtures("staff")
def test_the_ledger_chain_stays_valid(access: AccessService, db: Database) -> None:
    access.login("alice.martin", PASSWORDS["alice.martin"])
    key, _ = access.create_api_key(name="ai", role=Role.AI_AGENT)
    access.revoke_api_key(key[:13])
    with db.read() as session:
        records = list(iter_records(session))
    verify_chain(records)
    assert {r.event.type for r in records} >= {"user.created", "auth.login", "apikey.created"}


def test_naive_clock_is_refused(db: Database) -> None:
    from datetime import datetime

    service = AccessService(
        db,
        clock=lambda: datetime(2026, 1, 1),  # noqa: DTZ001
        passwords=Passwords("fast"),
    )
    with pytest.raises(ValueError, match="naive"):
        service.create_user(username="kim.lee", display_name="Kim", role="agent", password=None)
