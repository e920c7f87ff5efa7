"""Access-control errors.

Where they sit in the tree of :mod:`trustdesk.errors`, and the HTTP status each should
map to in ``trustdesk.api.problems._DOMAIN`` (subclasses before their bases)::

    AuthenticationError                                  401
    ├── CredentialsRequired     no credentials presented
    └── InvalidCredentials      wrong, unknown, expired or revoked credentials
        └── MalformedToken      a token or key that is not even well formed
    PermissionDenied(TrustDeskError)                     403
    InputError(ValueError)
    └── InvalidAccessRequest                             422
        ├── WeakPassword        the password policy refused a password
        └── InvalidGrant        a grant request breaks the grant rules
    NotFound(LookupError)                                404
    ├── UserNotFound
    ├── ApiKeyNotFound
    └── GrantNotFound
    Conflict                                             409
    └── UsernameTaken

No message here contains a password, a token, a key or its hash.
"""

from __future__ import annotations

from collections.abc import Sequence

from trustdesk.errors import AuthenticationError, Conflict, InputError, NotFound, TrustDeskError


class CredentialsRequired(AuthenticationError):
    """The request carries no credentials at all."""

    def __init__(
        self, detail: str = "authentication required: send 'Authorization: Bearer <token>'"
    ) -> None:
        super().__init__(detail)


class InvalidCredentials(AuthenticationError):
    """Credentials were presented but do not authenticate anyone.

    The message is deliberately generic: it never says whether a username exists,
    or whether a key is unknown, expired or revoked.
    """

    def __init__(self, detail: str = "invalid credentials") -> None:
        super().__init__(detail)


class MalformedToken(InvalidCredentials):
    """A token or API key does not have the expected shape (says which shape, not why)."""


class PermissionDenied(TrustDeskError):
    """The caller is authenticated but lacks the scope (or right) an action needs."""

    def __init__(self, detail: str, *, scope: str | None = None) -> None:
        super().__init__(detail)
        self.scope = scope

    @classmethod
    def missing_scope(cls, scope: str) -> PermissionDenied:
        return cls(f"this action requires the scope {scope!r}", scope=scope)


class InvalidAccessRequest(InputError):
    """A request to the access service is malformed (bad username, role, TTL, …)."""


class WeakPassword(InvalidAccessRequest):
    """The password policy refused a password; ``problems`` lists every rule broken."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("password refused: " + "; ".join(self.problems))


class InvalidGrant(InvalidAccessRequest):
    """A grant request breaks the grant rules (scope not grantable, reason, TTL, grantee)."""


class UserNotFound(NotFound):
    def __init__(self, user: str) -> None:
        super().__init__(f"user {user} does not exist")
        self.user = user


class ApiKeyNotFound(NotFound):
    def __init__(self, prefix: str) -> None:
        super().__init__(f"API key {prefix} does not exist")
        self.prefix = prefix


class GrantNotFound(NotFound):
    def __init__(self, grant_id: str) -> None:
        super().__init__(f"grant {grant_id} does not exist")
        self.grant_id = grant_id


class UsernameTaken(Conflict):
    def __init__(self, username: str) -> None:
        super().__init__(f"username {username!r} is already taken")
        self.username = username


#: For ``trustdesk.api.problems._DOMAIN``: (error, status, slug, title), subclasses first.
#: 401 answers should also carry ``WWW-Authenticate: Bearer``.
PROBLEM_TYPES: list[tuple[type[TrustDeskError], int, str, str]] = [
    (CredentialsRequired, 401, "authentication-required", "Authentication required"),
    (InvalidCredentials, 401, "invalid-credentials", "Invalid credentials"),
    (PermissionDenied, 403, "permission-denied", "Permission denied"),
    (WeakPassword, 422, "weak-password", "Password refused by policy"),
    (InvalidGrant, 422, "invalid-grant", "Grant refused"),
    (InvalidAccessRequest, 422, "invalid-access-request", "Invalid access request"),
    (UsernameTaken, 409, "username-taken", "Username taken"),
    (UserNotFound, 404, "user-not-found", "User not found"),
    (ApiKeyNotFound, 404, "api-key-not-found", "API key not found"),
    (GrantNotFound, 404, "grant-not-found", "Grant not found"),
]
