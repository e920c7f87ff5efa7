"""The scope registry: complete, least-privileged, and rendered as a matrix."""

from __future__ import annotations

from trustdesk.access import (
    API_KEY_ROLES,
    GRANTABLE_SCOPES,
    MANAGEMENT_SCOPES,
    ROLE_SCOPES,
    SCOPE_DESCRIPTIONS,
    USER_ROLES,
    Role,
    Scope,
    authorization_matrix_markdown,
    scope_table_markdown,
)


def test_every_scope_is_described_and_named_resource_action() -> None:
    assert set(SCOPE_DESCRIPTIONS) == set(Scope)
    for scope in Scope:
        resource, _, action = scope.partition(":")
        assert resource and action, scope
        assert scope.description.endswith("."), scope


def test_every_role_has_scopes() -> None:
    assert set(ROLE_SCOPES) == set(Role)
    for role in Role:
        assert role.scopes == ROLE_SCOPES[role]
        assert role.scopes, role


def test_pii_reveal_is_never_held_permanently_only_granted() -> None:
    assert all(Scope.PII_REVEAL not in scopes for scopes in ROLE_SCOPES.values())
    assert Scope.PII_REVEAL.grantable
    assert not Scope.USER_MANAGE.grantable
    # No grant can go to the AI, a customer or the admin.
    eligible = GRANTABLE_SCOPES[Scope.PII_REVEAL]
    assert not eligible & {Role.AI_AGENT, Role.CUSTOMER, Role.ADMIN}
    # Nothing grantable is also a role scope (grants are for what roles lack).
    for scope in GRANTABLE_SCOPES:
        assert all(scope not in s for s in ROLE_SCOPES.values())


def test_least_privilege_of_each_role() -> None:
    assert ROLE_SCOPES[Role.CUSTOMER] == {Scope.CONVERSATION_CREATE, Scope.CONVERSATION_WRITE}
    assert ROLE_SCOPES[Role.AI_AGENT] == {Scope.TOOL_CALL, Scope.CONVERSATION_READ}
    admin = ROLE_SCOPES[Role.ADMIN]
    assert Scope.DESK_REPLY not in admin and Scope.GRANT_MANAGE not in admin
    assert not {s for s in admin if s.startswith("ledger:")}
    # Only people act on customers' accounts; the AI never decides its own approvals.
    for role in (Role.AI_AGENT, Role.CUSTOMER, Role.SUPERVISOR, Role.ADMIN):
        assert Scope.APPROVAL_DECIDE not in ROLE_SCOPES[role]
    # Separation of duties: whoever creates identities cannot hand out grants.
    for scopes in ROLE_SCOPES.values():
        assert not (Scope.USER_MANAGE in scopes and Scope.GRANT_MANAGE in scopes)
    assert Scope.TOOL_CALL in ROLE_SCOPES[Role.AI_AGENT]
    assert sum(Scope.TOOL_CALL in s for s in ROLE_SCOPES.values()) == 1


def test_key_and_user_roles() -> None:
    assert Role.AI_AGENT in API_KEY_ROLES and Role.AI_AGENT not in USER_ROLES
    assert Role.ADMIN not in API_KEY_ROLES and Role.COMPLIANCE_OFFICER not in API_KEY_ROLES
    for role in API_KEY_ROLES:
        assert not ROLE_SCOPES[role] & MANAGEMENT_SCOPES


def test_authorization_matrix_markdown() -> None:
    md = authorization_matrix_markdown(
        [
            ("GET", "/desk/queue", Scope.DESK_READ),
            ("POST", "/vault/reveal", Scope.PII_REVEAL),
            ("GET", "/health", None),
            ("GET", "/health", None),  # duplicates collapse
        ]
    )
    lines = md.splitlines()
    assert lines[0] == (
        "| Method | Path | Scope | `customer` | `agent` | `supervisor` "
        "| `compliance_officer` | `admin` | `ai_agent` |"
    )
    assert lines[1].startswith("| --- | --- | --- | :-: |")
    rows = [line for line in lines[2:] if line.startswith("| ")]
    assert rows == [
        "| GET | `/desk/queue` | `desk:read` | deny | allow | allow | deny | deny | deny |",
        "| GET | `/health` | public | allow | allow | allow | allow | allow | allow |",
        "| POST | `/vault/reveal` | `pii:reveal` | deny | grant | grant | grant | deny | deny |",
    ]
    assert "`grant`: only through a time-bound grant (at most 8 h" in md


def test_matrix_escapes_pipes() -> None:
    md = authorization_matrix_markdown([("GET", "/a|b", None)])
    assert "`/a\\|b`" in md


def test_scope_table_lists_every_scope() -> None:
    md = scope_table_markdown()
    for scope in Scope:
        assert f"| `{scope}` |" in md
    assert "| `pii:reveal` |" in md
    line = next(x for x in md.splitlines() if x.startswith("| `pii:reveal`"))
    assert line.endswith("| — | `agent`, `supervisor`, `compliance_officer` |")
