"""Identities, credentials and grants over the database, every change in the ledger.

* **Users** are humans with a role and (optionally) an argon2id password.
* **Sessions** are what a password login yields: a random ``tds_…`` token, stored as
  its SHA-256, valid until it expires or is revoked (logout).
* **API keys** are machine identities (``td_<id>_<secret>``, stored as SHA-256), with a
  role from :data:`~trustdesk.access.scopes.API_KEY_ROLES` and an optional expiry.
* **Grants** give one user one extra scope (e.g. ``pii:reveal``) for a limited time,
  with a written reason, from someone holding ``grant:manage`` who is not the grantee.

A :class:`Principal` is evaluated at *resolution time* with :attr:`AccessService.clock`:
its scopes are its role's plus the grants active at that instant. Nothing expires in the
background; an expired session, key or grant simply stops resolving.

Every state change writes its ledger event in the same transaction (``user.created``,
``auth.login``, ``auth.login_failed``, ``auth.logout``, ``apikey.created``,
``apikey.revoked``, ``grant.created``, ``grant.revoked``), and so do access decisions
reported by the HTTP layer (``access.denied``, ``access.granted``). No event payload
holds a password, token, key or hash of one; a grant's free-text reason (which may name
a customer) stays in ``grants`` while the ledger keeps its SHA-256, binding the two.

Password work (argon2, ~50 ms) happens outside write transactions, so it never holds
SQLite's writer lock.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trustdesk.access.errors import (
    ApiKeyNotFound,
    GrantNotFound,
    InvalidAccessRequest,
    InvalidCredentials,
    InvalidGrant,
    MalformedToken,
    PermissionDenied,
    UsernameTaken,
    UserNotFound,
)
from trustdesk.access.passwords import Passwords, check_password_policy
from trustdesk.access.scopes import (
    API_KEY_ROLES,
    GRANTABLE_SCOPES,
    MAX_GRANT_TTL,
    MIN_GRANT_REASON,
    ROLE_SCOPES,
    USER_ROLES,
    Role,
    Scope,
)
from trustdesk.access.tokens import (
    generate_api_key,
    generate_session_token,
    hash_token,
    hashes_match,
    parse_api_key,
    parse_session_token,
    token_kind,
    validate_prefix,
)
from trustdesk.ledger.events import EventType, LedgerEvent
from trustdesk.ledger.sql import SqlLedger
from trustdesk.store.db import Database
from trustdesk.store.models import ApiKey, Grant, User, UserSession

PrincipalKind = Literal["user", "api_key"]

#: The actor recorded for changes made without a principal (CLI, bootstrap).
SYSTEM_ACTOR = "system"
#: The actor recorded for a failed login naming no existing user.
ANONYMOUS_ACTOR = "anonymous"

DEFAULT_SESSION_TTL = timedelta(hours=8)
MAX_SESSION_TTL = timedelta(hours=12)
MAX_GRANT_REASON = 2000
#: ``api_keys.last_used_at`` is refreshed at most this often (one write, not one per call).
API_KEY_TOUCH_INTERVAL = timedelta(minutes=1)

_USERNAME_RE = re.compile(r"[a-z0-9][a-z0-9._@-]{2,63}")
_GENERIC_LOGIN_ERROR = "invalid username or password"
_GENERIC_TOKEN_ERROR = "invalid, expired or revoked credentials"
#: Compared against when an API key's prefix is unknown, so both paths cost the same.
_DUMMY_HASH = hashlib.sha256(b"trustdesk: no such key").hexdigest()


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class GrantInfo:
    """A grant as stored (its reason included; never put that in the ledger)."""

    id: uuid.UUID
    user_id: uuid.UUID
    scope: Scope
    reason: str
    granted_by: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None

    def active_at(self, at: datetime) -> bool:
        return self.created_at <= at < self.expires_at and (
            self.revoked_at is None or self.revoked_at > at
        )


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, and what they may do at the moment they were resolved.

    ``scopes`` = the role's scopes ∪ the scopes of grants active at resolution time;
    ``granted`` is the part held only through a grant. ``user_id`` is the human behind
    the principal (the user itself, or an API key's owner if it has one).
    """

    kind: PrincipalKind
    id: uuid.UUID
    name: str
    role: Role
    scopes: frozenset[Scope]
    actor: str
    user_id: uuid.UUID | None = None
    granted: frozenset[Scope] = field(default_factory=frozenset)

    def has(self, scope: Scope) -> bool:
        return scope in self.scopes

    def require(self, scope: Scope) -> None:
        """Raise :class:`PermissionDenied` unless this principal holds ``scope``."""
        if scope not in self.scopes:
            raise PermissionDenied.missing_scope(str(scope))


@dataclass(frozen=True, slots=True)
class LoginResult:
    """A successful password login: who, the session token (secret) and its expiry."""

    principal: Principal
    token: str = field(repr=False)
    expires_at: datetime


def normalize_username(username: str) -> str:
    """The canonical form of a username, or :class:`InvalidAccessRequest` explaining why."""
    if not isinstance(username, str):
        raise InvalidAccessRequest("username must be a string")
    name = username.strip().lower()
    if _USERNAME_RE.fullmatch(name) is None:
        raise InvalidAccessRequest(
            "username must be 3-64 characters of a-z, 0-9, '.', '_', '@' or '-', "
            "starting with a letter or digit"
        )
    return name


def _display_name(display_name: str) -> str:
    if not isinstance(display_name, str):
        raise InvalidAccessRequest("display name must be a string")
    name = display_name.strip()
    if not 1 <= len(name) <= 128:
        raise InvalidAccessRequest("display name must be 1-128 characters")
    if any(unicodedata.category(ch) in {"Cc", "Cs"} for ch in name):
        raise InvalidAccessRequest("display name must not contain control characters")
    return name


def _role(role: Role | str, allowed: Iterable[Role], what: str) -> Role:
    try:
        parsed = Role(role)
    except ValueError:
        raise InvalidAccessRequest(
            f"unknown role {str(role)[:40]!r}; expected one of {', '.join(Role)}"
        ) from None
    allowed = frozenset(allowed)
    if parsed not in allowed:
        names = ", ".join(r for r in Role if r in allowed)
        raise InvalidAccessRequest(f"{what} cannot have the role {parsed}; allowed: {names}")
    return parsed


def _positive_ttl(ttl: timedelta, maximum: timedelta | None, what: str) -> timedelta:
    if not isinstance(ttl, timedelta) or ttl <= timedelta(0):
        raise InvalidAccessRequest(f"{what} TTL must be a positive duration")
    if maximum is not None and ttl > maximum:
        raise InvalidAccessRequest(f"{what} TTL must be at most {maximum}")
    return ttl


def _stored_role(value: str) -> Role | None:
    try:
        return Role(value)
    except ValueError:
        return None


def _iso(t: datetime | None) -> str | None:
    return None if t is None else t.astimezone(UTC).isoformat()


def _session_ref(token_hash: str) -> str:
    """A short public reference to a session (a prefix of its hash) for the ledger."""
    return token_hash[:16]


class AccessService:
    """Users, sessions, API keys and grants on ``db``; ``clock`` decides what is expired."""

    def __init__(
        self,
        db: Database,
        *,
        clock: Callable[[], datetime] = utc_now,
        passwords: Passwords | None = None,
        max_session_ttl: timedelta = MAX_SESSION_TTL,
        api_key_touch_interval: timedelta = API_KEY_TOUCH_INTERVAL,
    ) -> None:
        self.db = db
        self.clock = clock
        self.passwords = passwords or Passwords()
        self.max_session_ttl = max_session_ttl
        self.api_key_touch_interval = api_key_touch_interval

    # -- helpers -----------------------------------------------------------------------

    def _now(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None:
            raise ValueError("AccessService clock returned a naive datetime")
        return now

    def _event(
        self,
        session: Session,
        type_: EventType,
        actor: str,
        payload: dict[str, Any],
        now: datetime,
    ) -> None:
        SqlLedger(session).append(LedgerEvent(type=type_, actor=actor, payload=payload, time=now))

    @staticmethod
    def _actor(by: Principal | None, scope: Scope) -> str:
        if by is None:
            return SYSTEM_ACTOR
        by.require(scope)
        return by.actor

    @staticmethod
    def _grants(session: Session, user_id: uuid.UUID, at: datetime) -> list[GrantInfo]:
        rows = session.scalars(
            select(Grant)
            .where(
                Grant.user_id == user_id,
                Grant.created_at <= at,
                Grant.expires_at > at,
                (Grant.revoked_at.is_(None)) | (Grant.revoked_at > at),
            )
            .order_by(Grant.expires_at)
        ).all()
        out: list[GrantInfo] = []
        for row in rows:
            try:
                scope = Scope(row.scope)
            except ValueError:
                continue
            out.append(
                GrantInfo(
                    id=row.id,
                    user_id=row.user_id,
                    scope=scope,
                    reason=row.reason,
                    granted_by=row.granted_by,
                    created_at=row.created_at,
                    expires_at=row.expires_at,
                    revoked_at=row.revoked_at,
                )
            )
        return out

    def _user_principal(self, session: Session, user: User, now: datetime) -> Principal:
        role = _stored_role(user.role)
        if role is None or role not in USER_ROLES:
            # A row edited behind our back: fail closed.
            raise InvalidCredentials(_GENERIC_TOKEN_ERROR)
        base = ROLE_SCOPES[role]
        granted = frozenset(
            g.scope
            for g in self._grants(session, user.id, now)
            if role in GRANTABLE_SCOPES.get(g.scope, frozenset())
        )
        return Principal(
            kind="user",
            id=user.id,
            name=user.username,
            role=role,
            scopes=base | granted,
            actor=f"user:{user.username}",
            user_id=user.id,
            granted=granted - base,
        )

    @staticmethod
    def _get_user(session: Session, user_id: uuid.UUID) -> User:
        user = session.get(User, user_id)
        if user is None:
            raise UserNotFound(str(user_id))
        return user

    # -- users -------------------------------------------------------------------------

    def create_user(
        self,
        *,
        username: str,
        display_name: str,
        role: Role | str,
        password: str | None,
        by: Principal | None = None,
    ) -> uuid.UUID:
        """Create a human user; ``password=None`` makes an account with no password login.

        ``by`` (if given) must hold ``user:manage``; it is the ledger actor.
        """
        actor = self._actor(by, Scope.USER_MANAGE)
        name = normalize_username(username)
        shown = _display_name(display_name)
        parsed_role = _role(role, USER_ROLES, "a user")
        password_hash: str | None = None
        if password is not None:
            check_password_policy(password, username=name)
            password_hash = self.passwords.hash(password)
        now = self._now()
        try:
            with self.db.write() as session:
                if session.scalar(select(User.id).where(User.username == name)) is not None:
                    raise UsernameTaken(name)
                user = User(
                    id=uuid.uuid4(),
                    username=name,
                    display_name=shown,
                    role=str(parsed_role),
                    password_hash=password_hash,
                    active=True,
                    created_at=now,
                )
                session.add(user)
                session.flush()
                self._event(
                    session,
                    EventType.USER_CREATED,
                    actor,
                    {
                        "user_id": str(user.id),
                        "username": name,
                        "role": str(parsed_role),
                        "password_login": password_hash is not None,
                    },
                    now,
                )
                return user.id
        except IntegrityError:
            raise UsernameTaken(name) from None

    def user_principal(self, user_id: uuid.UUID) -> Principal:
        """The principal of an active user now (for the CLI and for tests)."""
        now = self._now()
        with self.db.read() as session:
            user = self._get_user(session, user_id)
            if not user.active:
                raise InvalidCredentials(_GENERIC_TOKEN_ERROR)
            return self._user_principal(session, user, now)

    # -- passwords and sessions --------------------------------------------------------

    def authenticate_password(self, username: str, password: str) -> Principal:
        """The principal of ``username`` if ``password`` is right; else a generic error.

        Writes ``auth.login`` or ``auth.login_failed``. The error never says whether the
        user exists; an unknown user costs one argon2 verification too.
        """
        return self._password_login(username, password, ttl=None)[0]

    def login(
        self, username: str, password: str, *, ttl: timedelta = DEFAULT_SESSION_TTL
    ) -> LoginResult:
        """Check the password and open a session, in one transaction, one ``auth.login``."""
        principal, token, expires_at = self._password_login(username, password, ttl=ttl)
        assert token is not None and expires_at is not None
        return LoginResult(principal=principal, token=token, expires_at=expires_at)

    def _password_login(
        self, username: str, password: str, *, ttl: timedelta | None
    ) -> tuple[Principal, str | None, datetime | None]:
        if ttl is not None:
            _positive_ttl(ttl, self.max_session_ttl, "session")
        try:
            name: str | None = normalize_username(username)
        except InvalidAccessRequest:
            name = None
        if not isinstance(password, str):
            password = ""

        # Phase 1, no write lock: find the user and check the password.
        user: User | None = None
        if name is not None:
            with self.db.read() as session:
                user = session.scalar(select(User).where(User.username == name))
        if user is not None and user.password_hash:
            check = self.passwords.verify(user.password_hash, password)
        else:
            self.passwords.dummy_verify(password)
            check = None

        failure: str | None = None
        if user is None:
            failure = "unknown_user"
        elif not user.password_hash:
            failure = "no_password"
        elif check is None or not check.ok:
            failure = "bad_password"
        elif not user.active:
            failure = "inactive"
        new_hash = (
            self.passwords.hash(password)
            if failure is None and check is not None and check.needs_rehash
            else None
        )

        # Phase 2: record the outcome (and open the session) in one transaction.
        now = self._now()
        principal: Principal | None = None
        issued = generate_session_token() if ttl is not None and failure is None else None
        expires_at = now + ttl if issued is not None and ttl is not None else None
        with self.db.write() as session:
            if failure is not None or user is None:
                actor = ANONYMOUS_ACTOR if user is None else f"user:{user.username}"
                payload: dict[str, Any] = {"method": "password", "reason": failure}
                if user is not None:
                    payload["user_id"] = str(user.id)
                self._event(session, EventType.AUTH_LOGIN_FAILED, actor, payload, now)
            else:
                fresh = session.get(User, user.id)
                if fresh is None or not fresh.active:
                    failure = "inactive"
                    self._event(
                        session,
                        EventType.AUTH_LOGIN_FAILED,
                        f"user:{user.username}",
                        {"method": "password", "reason": failure, "user_id": str(user.id)},
                        now,
                    )
                else:
                    if new_hash is not None:
                        fresh.password_hash = new_hash
                    principal = self._user_principal(session, fresh, now)
                    payload = {
                        "method": "password",
                        "user_id": str(fresh.id),
                        "role": fresh.role,
                        "rehashed": new_hash is not None,
                    }
                    if issued is not None and expires_at is not None:
                        session.add(
                            UserSession(
                                token_hash=issued.token_hash,
                                user_id=fresh.id,
                                created_at=now,
                                expires_at=expires_at,
                            )
                        )
                        payload["session"] = _session_ref(issued.token_hash)
                        payload["expires_at"] = _iso(expires_at)
                    self._event(session, EventType.AUTH_LOGIN, principal.actor, payload, now)
        if principal is None:
            raise InvalidCredentials(_GENERIC_LOGIN_ERROR)
        return principal, (issued.token if issued else None), expires_at

    def create_session(self, user_id: uuid.UUID, ttl: timedelta = DEFAULT_SESSION_TTL) -> str:
        """Open a session for an active user (already authenticated by the caller).

        Returns the token; only its SHA-256 is stored. Writes ``auth.login``
        (``method: session``).
        """
        _positive_ttl(ttl, self.max_session_ttl, "session")
        issued = generate_session_token()
        now = self._now()
        with self.db.write() as session:
            user = self._get_user(session, user_id)
            if not user.active:
                raise InvalidCredentials(_GENERIC_TOKEN_ERROR)
            expires_at = now + ttl
            session.add(
                UserSession(
                    token_hash=issued.token_hash,
                    user_id=user.id,
                    created_at=now,
                    expires_at=expires_at,
                )
            )
            self._event(
                session,
                EventType.AUTH_LOGIN,
                f"user:{user.username}",
                {
                    "method": "session",
                    "user_id": str(user.id),
                    "role": user.role,
                    "session": _session_ref(issued.token_hash),
                    "expires_at": _iso(expires_at),
                },
                now,
            )
        return issued.token

    def resolve_session(self, token: str) -> Principal:
        """The principal of a live session; :class:`InvalidCredentials` otherwise."""
        token = parse_session_token(token)
        token_hash = hash_token(token)
        now = self._now()
        with self.db.read() as session:
            found = session.execute(
                select(UserSession, User)
                .join(User, User.id == UserSession.user_id)
                .where(UserSession.token_hash == token_hash)
            ).first()
            if found is None:
                raise InvalidCredentials(_GENERIC_TOKEN_ERROR)
            row, user = found
            if (
                not hashes_match(token_hash, row.token_hash)
                or row.revoked_at is not None
                or row.expires_at <= now
                or not user.active
            ):
                raise InvalidCredentials(_GENERIC_TOKEN_ERROR)
            return self._user_principal(session, user, now)

    def revoke_session(self, token: str) -> None:
        """Log out: revoke the session (idempotent). Writes ``auth.logout``."""
        token_hash = hash_token(parse_session_token(token))
        now = self._now()
        with self.db.write() as session:
            row = session.get(UserSession, token_hash)
            if row is None:
                raise InvalidCredentials(_GENERIC_TOKEN_ERROR)
            if row.revoked_at is not None:
                return
            row.revoked_at = now
            user = session.get(User, row.user_id)
            actor = f"user:{user.username}" if user is not None else SYSTEM_ACTOR
            self._event(
                session,
                EventType.AUTH_LOGOUT,
                actor,
                {"user_id": str(row.user_id), "session": _session_ref(token_hash)},
                now,
            )

    # -- API keys ----------------------------------------------------------------------

    def create_api_key(
        self,
        *,
        name: str,
        role: Role | str,
        user_id: uuid.UUID | None = None,
        ttl: timedelta | None = None,
        by: Principal | None = None,
    ) -> tuple[str, uuid.UUID]:
        """A new API key: ``(plaintext, row id)``. Show the plaintext once; it is not kept.

        ``role`` must be one of :data:`API_KEY_ROLES`; ``ttl=None`` never expires.
        ``by`` (if given) must hold ``apikey:manage``. Writes ``apikey.created``.
        """
        actor = self._actor(by, Scope.APIKEY_MANAGE)
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 128:
            raise InvalidAccessRequest("API key name must be 1-128 characters")
        label = name.strip()
        parsed_role = _role(role, API_KEY_ROLES, "an API key")
        if ttl is not None:
            _positive_ttl(ttl, None, "API key")
        now = self._now()
        expires_at = now + ttl if ttl is not None else None
        with self.db.write() as session:
            if user_id is not None:
                owner = self._get_user(session, user_id)
                if not owner.active:
                    raise InvalidAccessRequest("cannot create an API key for an inactive user")
            issued = generate_api_key()
            while session.scalar(select(ApiKey.id).where(ApiKey.prefix == issued.prefix)):
                issued = generate_api_key()
            row = ApiKey(
                id=uuid.uuid4(),
                prefix=issued.prefix,
                key_hash=issued.key_hash,
                name=label,
                role=str(parsed_role),
                user_id=user_id,
                created_at=now,
                expires_at=expires_at,
            )
            session.add(row)
            session.flush()
            self._event(
                session,
                EventType.APIKEY_CREATED,
                actor,
                {
                    "key_id": str(row.id),
                    "prefix": issued.prefix,
                    "name": label,
                    "role": str(parsed_role),
                    "user_id": None if user_id is None else str(user_id),
                    "expires_at": _iso(expires_at),
                },
                now,
            )
            return issued.key, row.id

    def resolve_api_key(self, key: str) -> Principal:
        """The principal of a live API key; only ever raises :class:`InvalidCredentials`.

        Refreshes ``last_used_at`` at most once per ``api_key_touch_interval``.
        """
        parts = parse_api_key(key)
        presented = hash_token(key)
        now = self._now()
        with self.db.read() as session:
            found = session.execute(
                select(ApiKey, User)
                .outerjoin(User, User.id == ApiKey.user_id)
                .where(ApiKey.prefix == parts.prefix)
            ).first()
        if found is None:
            hashes_match(presented, _DUMMY_HASH)
            raise InvalidCredentials(_GENERIC_TOKEN_ERROR)
        row, owner = found
        role = _stored_role(row.role)
        if (
            not hashes_match(presented, row.key_hash)
            or row.revoked_at is not None
            or (row.expires_at is not None and row.expires_at <= now)
            or (row.user_id is not None and (owner is None or not owner.active))
            or role is None
            or role not in API_KEY_ROLES
        ):
            raise InvalidCredentials(_GENERIC_TOKEN_ERROR)
        if row.last_used_at is None or now - row.last_used_at >= self.api_key_touch_interval:
            with self.db.write() as session:
                session.execute(update(ApiKey).where(ApiKey.id == row.id).values(last_used_at=now))
        return Principal(
            kind="api_key",
            id=row.id,
            name=row.name,
            role=role,
            scopes=ROLE_SCOPES[role],
            actor=f"apikey:{row.prefix}",
            user_id=row.user_id,
        )

    def revoke_api_key(self, prefix: str, *, by: Principal | None = None) -> None:
        """Revoke a key by its public prefix (or the whole key); idempotent.

        ``by`` may be a holder of ``apikey:manage``, the key's owner, or the key itself.
        Writes ``apikey.revoked``.
        """
        try:
            public = parse_api_key(prefix).prefix
        except MalformedToken:
            try:
                public = validate_prefix(prefix)
            except MalformedToken:
                raise InvalidAccessRequest(
                    "malformed API key prefix: expected td_<8-12 characters a-z0-9>"
                ) from None
        now = self._now()
        with self.db.write() as session:
            row = session.scalar(select(ApiKey).where(ApiKey.prefix == public))
            if row is None:
                raise ApiKeyNotFound(public)
            if by is None:
                actor = SYSTEM_ACTOR
            elif (
                Scope.APIKEY_MANAGE in by.scopes
                or (by.kind == "api_key" and by.id == row.id)
                or (by.kind == "user" and row.user_id is not None and by.id == row.user_id)
            ):
                actor = by.actor
            else:
                raise PermissionDenied.missing_scope(str(Scope.APIKEY_MANAGE))
            if row.revoked_at is not None:
                return
            row.revoked_at = now
            self._event(
                session,
                EventType.APIKEY_REVOKED,
                actor,
                {"key_id": str(row.id), "prefix": row.prefix, "name": row.name},
                now,
            )

    # -- grants ------------------------------------------------------------------------

    def grant(
        self,
        *,
        user_id: uuid.UUID,
        scope: Scope | str,
        reason: str,
        granted_by: Principal,
        ttl: timedelta,
    ) -> uuid.UUID:
        """Give ``user_id`` the grantable ``scope`` for ``ttl`` (at most 8 h), with a reason.

        ``granted_by`` must hold ``grant:manage`` and cannot grant to itself. The reason
        (at least 10 characters) is stored in ``grants``; the ledger event
        ``grant.created`` keeps its SHA-256.
        """
        granted_by.require(Scope.GRANT_MANAGE)
        if granted_by.kind != "user":
            raise PermissionDenied("only a person can give a grant", scope=str(scope))
        if granted_by.user_id == user_id:
            raise PermissionDenied("nobody can give a grant to themselves", scope=str(scope))
        try:
            parsed = Scope(scope)
        except ValueError:
            raise InvalidGrant(f"unknown scope {str(scope)[:64]!r}") from None
        eligible = GRANTABLE_SCOPES.get(parsed)
        if eligible is None:
            grantable = ", ".join(str(s) for s in GRANTABLE_SCOPES)
            raise InvalidGrant(f"scope {parsed} cannot be granted; grantable: {grantable}")
        text = reason.strip() if isinstance(reason, str) else ""
        if len(text) < MIN_GRANT_REASON:
            raise InvalidGrant(
                f"a grant needs a written reason of at least {MIN_GRANT_REASON} characters"
            )
        if len(text) > MAX_GRANT_REASON:
            raise InvalidGrant(f"a grant's reason must be at most {MAX_GRANT_REASON} characters")
        if not isinstance(ttl, timedelta) or ttl <= timedelta(0):
            raise InvalidGrant("a grant's TTL must be a positive duration")
        if ttl > MAX_GRANT_TTL:
            raise InvalidGrant(f"a grant's TTL must be at most {MAX_GRANT_TTL}")
        now = self._now()
        expires_at = now + ttl
        with self.db.write() as session:
            user = self._get_user(session, user_id)
            if not user.active:
                raise InvalidGrant("cannot grant to an inactive user")
            role = _stored_role(user.role)
            if role is None or role not in eligible:
                names = ", ".join(r for r in Role if r in eligible)
                raise InvalidGrant(f"scope {parsed} can only be granted to: {names}")
            row = Grant(
                id=uuid.uuid4(),
                user_id=user.id,
                scope=str(parsed),
                reason=text,
                granted_by=granted_by.actor,
                created_at=now,
                expires_at=expires_at,
            )
            session.add(row)
            session.flush()
            self._event(
                session,
                EventType.GRANT_CREATED,
                granted_by.actor,
                {
                    "grant_id": str(row.id),
                    "user_id": str(user.id),
                    "username": user.username,
                    "scope": str(parsed),
                    "expires_at": _iso(expires_at),
                    "ttl_seconds": int(ttl.total_seconds()),
                    "reason_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                },
                now,
            )
            return row.id

    def revoke_grant(self, grant_id: uuid.UUID, by: Principal) -> None:
        """End a grant now (idempotent). ``by``: a ``grant:manage`` holder or the grantee."""
        now = self._now()
        with self.db.write() as session:
            row = session.get(Grant, grant_id)
            if row is None:
                raise GrantNotFound(str(grant_id))
            is_grantee = by.kind == "user" and by.user_id == row.user_id
            if Scope.GRANT_MANAGE not in by.scopes and not is_grantee:
                raise PermissionDenied.missing_scope(str(Scope.GRANT_MANAGE))
            if row.revoked_at is not None:
                return
            row.revoked_at = now
            self._event(
                session,
                EventType.GRANT_REVOKED,
                by.actor,
                {
                    "grant_id": str(row.id),
                    "user_id": str(row.user_id),
                    "scope": row.scope,
                    "had_expired": row.expires_at <= now,
                },
                now,
            )

    def active_grants(self, user_id: uuid.UUID, at: datetime | None = None) -> list[GrantInfo]:
        """The grants of ``user_id`` in force at ``at`` (default: now), soonest expiry first."""
        when = self._now() if at is None else at
        with self.db.read() as session:
            return self._grants(session, user_id, when)

    # -- resolution and access decisions -----------------------------------------------

    def resolve_token(self, token: str) -> Principal:
        """Resolve a bearer credential: a session token or an API key, by its marker."""
        if token_kind(token) == "session":
            return self.resolve_session(token)
        return self.resolve_api_key(token)

    def record_access(
        self,
        principal: Principal,
        scope: Scope,
        *,
        allowed: bool,
        method: str,
        path: str,
    ) -> None:
        """Write ``access.granted`` or ``access.denied`` (no credential in the payload)."""
        now = self._now()
        payload: dict[str, Any] = {
            "scope": str(scope),
            "method": method[:16],
            "path": path[:256],
            "role": str(principal.role),
        }
        if allowed:
            payload["via"] = "grant" if scope in principal.granted else "role"
        with self.db.write() as session:
            self._event(
                session,
                EventType.ACCESS_GRANTED if allowed else EventType.ACCESS_DENIED,
                principal.actor,
                payload,
                now,
            )
