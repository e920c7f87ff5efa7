"""The one registry of permission scopes and roles, and who holds what.

A *scope* names one capability (``resource:action``). A *role* is a fixed set of
scopes. A principal's effective scopes are its role's scopes plus any unexpired,
unrevoked time-bound grants (see :mod:`trustdesk.access.service`). Routes ask for a
scope, never for a role, so this module is the only place that decides who may do
what; ``docs/authorization.md`` is generated from it.

Least privilege, role by role:

``customer``
    ``conversation:create`` and ``conversation:write``: start a conversation and speak
    in it. A scope says *what kind* of action; the route must still check that the
    conversation is the caller's own. Customers cannot read other conversations.
``ai_agent``
    ``tool:call`` and ``conversation:read``: the AI reads redacted transcripts and calls
    its tools through the guarded tool layer. It cannot reply as a human, decide its
    own approvals, or read the ledger. It is a machine role: API keys only, no login.
``agent``
    The human desk: ``desk:read``, ``desk:reply``, ``approval:decide``, ``ai:correct``.
    Agents see escalated conversations through the desk, not every conversation.
``supervisor``
    Oversight without acting on customers: ``desk:read``, ``monitor:read``,
    ``ledger:read``. A supervisor who must answer a customer does it as an agent.
``compliance_officer``
    The ledger (``ledger:read``, ``ledger:verify``, ``ledger:prove``, ``ledger:export``)
    and ``grant:manage``: deciding whether re-identification has a legal basis (a
    subject-access request, a fraud case) is a compliance decision, so the compliance
    officer is who hands out time-bound ``pii:reveal`` grants. The service refuses a
    grant to oneself, so re-identification always needs two people.
``admin``
    Runs the installation: ``user:manage``, ``apikey:manage``, ``config:manage`` and the
    aggregate ``monitor:read``. Deliberately **not** ``grant:manage``: whoever can create
    identities (and so knows their first password) must not also be able to hand those
    identities re-identification rights, or one person could reveal raw data alone.
    Not ``pii:reveal``, not ``desk:reply``, no ledger content.

``pii:reveal`` is held by **no** role. It exists only as a time-bound grant (at most
:data:`MAX_GRANT_TTL`, with a written reason) to the roles in
:data:`GRANTABLE_SCOPES`; a grant expires by itself because expiry is evaluated on
every request. :data:`AUDITED_SCOPES` are the scopes whose every successful use is
written to the ledger as ``access.granted``.

API keys (machine identities) may only carry roles that hold no access-management
scope (:data:`API_KEY_ROLES`): a leaked key can never mint users, keys or grants.
Human logins (:data:`USER_ROLES`) may hold any role but ``ai_agent``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from enum import StrEnum
from types import MappingProxyType


class Scope(StrEnum):
    """A permission. ``Scope.X.description`` explains it in one line."""

    CONVERSATION_CREATE = "conversation:create"
    CONVERSATION_READ = "conversation:read"
    CONVERSATION_WRITE = "conversation:write"
    DESK_READ = "desk:read"
    DESK_REPLY = "desk:reply"
    APPROVAL_DECIDE = "approval:decide"
    AI_CORRECT = "ai:correct"
    LEDGER_READ = "ledger:read"
    LEDGER_VERIFY = "ledger:verify"
    LEDGER_PROVE = "ledger:prove"
    LEDGER_EXPORT = "ledger:export"
    MONITOR_READ = "monitor:read"
    PII_REVEAL = "pii:reveal"
    PRIVACY_SCAN = "privacy:scan"
    GUARD_CHECK = "guard:check"
    GRANT_MANAGE = "grant:manage"
    USER_MANAGE = "user:manage"
    APIKEY_MANAGE = "apikey:manage"
    CONFIG_MANAGE = "config:manage"
    TOOL_CALL = "tool:call"

    @property
    def description(self) -> str:
        return SCOPE_DESCRIPTIONS[self]

    @property
    def grantable(self) -> bool:
        """Whether this scope can be given for a limited time through a grant."""
        return self in GRANTABLE_SCOPES


class Role(StrEnum):
    """A named, fixed set of scopes (see :data:`ROLE_SCOPES`)."""

    CUSTOMER = "customer"
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    COMPLIANCE_OFFICER = "compliance_officer"
    ADMIN = "admin"
    AI_AGENT = "ai_agent"

    @property
    def scopes(self) -> frozenset[Scope]:
        return ROLE_SCOPES[self]


SCOPE_DESCRIPTIONS: Mapping[Scope, str] = MappingProxyType(
    {
        Scope.CONVERSATION_CREATE: "Start a conversation (as a customer or a channel).",
        Scope.CONVERSATION_READ: "Read any conversation's redacted transcript.",
        Scope.CONVERSATION_WRITE: "Send messages as the customer in one's own conversation.",
        Scope.DESK_READ: "See the escalation queue and escalated conversations (redacted).",
        Scope.DESK_REPLY: "Answer customers as a human agent and resolve escalations.",
        Scope.APPROVAL_DECIDE: "Approve or reject an account-changing action the AI proposed.",
        Scope.AI_CORRECT: "Correct or flag an AI answer.",
        Scope.LEDGER_READ: "Read and search the audit ledger (redacted events).",
        Scope.LEDGER_VERIFY: "Verify the ledger's hash chain and signed checkpoints.",
        Scope.LEDGER_PROVE: "Produce inclusion and consistency proofs for ledger events.",
        Scope.LEDGER_EXPORT: "Export ledger slices for auditors and regulators.",
        Scope.MONITOR_READ: "Read metrics, health and aggregate monitoring dashboards.",
        Scope.PII_REVEAL: (
            "Re-identify raw personal values from the vault. Never held by a role: "
            "only through a time-bound grant with a written reason."
        ),
        Scope.PRIVACY_SCAN: "Run the privacy engine on text (find and redact personal data).",
        Scope.GUARD_CHECK: "Run the ingress guard on text (prompt-injection verdict).",
        Scope.GRANT_MANAGE: "Give and revoke time-bound grants (e.g. pii:reveal).",
        Scope.USER_MANAGE: "Create, change and deactivate human users.",
        Scope.APIKEY_MANAGE: "Create and revoke API keys for machine identities.",
        Scope.CONFIG_MANAGE: "Change the installation's configuration.",
        Scope.TOOL_CALL: "Call the AI agent's tools (machine identity of the AI agent).",
    }
)

ROLE_SCOPES: Mapping[Role, frozenset[Scope]] = MappingProxyType(
    {
        Role.CUSTOMER: frozenset({Scope.CONVERSATION_CREATE, Scope.CONVERSATION_WRITE}),
        Role.AGENT: frozenset(
            {
                Scope.DESK_READ,
                Scope.DESK_REPLY,
                Scope.APPROVAL_DECIDE,
                Scope.AI_CORRECT,
                Scope.PRIVACY_SCAN,
            }
        ),
        Role.SUPERVISOR: frozenset(
            {
                Scope.DESK_READ,
                Scope.MONITOR_READ,
                Scope.LEDGER_READ,
                Scope.PRIVACY_SCAN,
                Scope.GUARD_CHECK,
            }
        ),
        Role.COMPLIANCE_OFFICER: frozenset(
            {
                Scope.LEDGER_READ,
                Scope.LEDGER_VERIFY,
                Scope.LEDGER_PROVE,
                Scope.LEDGER_EXPORT,
                Scope.GRANT_MANAGE,
                Scope.PRIVACY_SCAN,
            }
        ),
        Role.ADMIN: frozenset(
            {
                Scope.USER_MANAGE,
                Scope.APIKEY_MANAGE,
                Scope.CONFIG_MANAGE,
                Scope.MONITOR_READ,
                Scope.PRIVACY_SCAN,
                Scope.GUARD_CHECK,
            }
        ),
        Role.AI_AGENT: frozenset({Scope.TOOL_CALL, Scope.CONVERSATION_READ}),
    }
)

#: Scope → the roles that may receive it through a time-bound grant.
GRANTABLE_SCOPES: Mapping[Scope, frozenset[Role]] = MappingProxyType(
    {
        Scope.PII_REVEAL: frozenset({Role.AGENT, Role.SUPERVISOR, Role.COMPLIANCE_OFFICER}),
    }
)

#: The longest a grant may last: one working shift.
MAX_GRANT_TTL = timedelta(hours=8)

#: A grant's reason must be at least this long (after trimming whitespace).
MIN_GRANT_REASON = 10

#: Scopes whose every successful use is written to the ledger (``access.granted``).
AUDITED_SCOPES: frozenset[Scope] = frozenset({Scope.PII_REVEAL, Scope.LEDGER_EXPORT})

#: Scopes that administer access itself; never carried by an API key.
MANAGEMENT_SCOPES: frozenset[Scope] = frozenset(
    {Scope.GRANT_MANAGE, Scope.USER_MANAGE, Scope.APIKEY_MANAGE}
)

#: Roles an API key may carry.
API_KEY_ROLES: frozenset[Role] = frozenset(
    role for role, scopes in ROLE_SCOPES.items() if not scopes & MANAGEMENT_SCOPES
)

#: Roles a human user (password login) may have. The AI agent is never a human login.
USER_ROLES: frozenset[Role] = frozenset(Role) - {Role.AI_AGENT}


def _cell(scope: Scope | None, role: Role) -> str:
    if scope is None or scope in ROLE_SCOPES[role]:
        return "allow"
    if role in GRANTABLE_SCOPES.get(scope, frozenset()):
        return "grant"
    return "deny"


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def authorization_matrix_markdown(routes: Iterable[tuple[str, str, Scope | None]]) -> str:
    """A Markdown table: one row per (method, path, scope), one column per role.

    Cells read ``allow`` (the role holds the scope), ``grant`` (only through a
    time-bound grant) or ``deny``. A route without a scope is public. Rows are sorted
    by path, then method; a route needing several scopes appears once per scope and a
    caller needs all of them.
    """
    roles = list(Role)
    header = ["Method", "Path", "Scope", *(f"`{r}`" for r in roles)]
    lines = [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join(["---"] * 3 + [":-:"] * len(roles)) + " |",
    ]
    rows = sorted(set(routes), key=lambda r: (r[1], r[0], "" if r[2] is None else str(r[2])))
    for method, path, scope in rows:
        scope_cell = "public" if scope is None else f"`{scope}`"
        cells = [_escape(method), f"`{_escape(path)}`", scope_cell]
        cells += [_cell(scope, role) for role in roles]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "`allow`: the role holds the scope. `grant`: only through a time-bound grant "
        f"(at most {_hours(MAX_GRANT_TTL)}, with a written reason). `deny`: never.",
    ]
    return "\n".join(lines) + "\n"


def scope_table_markdown() -> str:
    """A Markdown table of every scope, its description and the roles that hold it."""
    lines = ["| Scope | Description | Roles | By grant |", "| --- | --- | --- | --- |"]
    for scope in Scope:
        holders = [f"`{r}`" for r in Role if scope in ROLE_SCOPES[r]]
        grantees = [f"`{r}`" for r in Role if r in GRANTABLE_SCOPES.get(scope, frozenset())]
        lines.append(
            f"| `{scope}` | {_escape(scope.description)} | "
            f"{', '.join(holders) or '—'} | {', '.join(grantees) or '—'} |"
        )
    return "\n".join(lines) + "\n"


def _hours(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:g} h"
