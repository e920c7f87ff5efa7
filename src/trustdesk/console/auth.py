"""Who is looking at a console page, and may they.

Every protected page resolves the session cookie on the server and checks one scope
(:func:`page_principal`); the browser is never trusted to hide what it may not see.
A refusal is recorded in the ledger (``access.denied``) like a refused API call, and so
is every use of an audited scope (``pii:reveal``, ``ledger:export``: ``access.granted``).

Forms post back to the console with a CSRF token bound to the session
(:func:`csrf_token`); the session cookie is also ``SameSite=Strict``.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from trustdesk.access import SESSION_COOKIE, Scope
from trustdesk.access.deps import RequireScope
from trustdesk.access.errors import PermissionDenied
from trustdesk.access.scopes import AUDITED_SCOPES
from trustdesk.access.service import Principal
from trustdesk.access.tokens import token_kind
from trustdesk.errors import AuthenticationError, InputError

#: The largest form body a console page accepts.
MAX_FORM_BYTES = 16_384


class LoginRequired(Exception):
    """No valid session: the page answers with a redirect to the login form."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class PageForbidden(Exception):
    """A valid session without the page's scope: the page answers 403."""

    def __init__(self, principal: Principal, scope: Scope) -> None:
        super().__init__(str(scope))
        self.principal = principal
        self.scope = scope


class FormError(InputError):
    """A console form that is malformed, oversized or fails its CSRF check."""


def login_url(next_path: str) -> str:
    return "/login?next=" + quote(next_path, safe="/")


def safe_next(value: str | None) -> str:
    """A same-site path to go to after login (never an absolute or scheme-relative URL).

    ``""`` means "no page asked for": the login then goes to the role's own page.
    """
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return ""
    return value


def landing_page(principal: Principal) -> str:
    """The first staff page a principal may open: desk, supervisor, compliance, or chat."""
    for scope, path in (
        (Scope.DESK_READ, "/desk"),
        (Scope.MONITOR_READ, "/supervisor"),
        (Scope.LEDGER_READ, "/compliance"),
        (Scope.PII_REVEAL, "/compliance/reveal"),
    ):
        if scope in principal.scopes:
            return path
    return "/"


async def optional_principal(request: Request) -> Principal | None:
    """The principal behind the session cookie, or None (no cookie, expired, revoked)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token or token_kind(token) != "session":
        return None
    access = request.app.state.trustdesk.access
    try:
        principal: Principal = await run_in_threadpool(access.resolve_token, token)
    except (AuthenticationError, PermissionDenied):
        return None
    return principal


async def page_principal(request: Request, scope: Scope) -> Principal:
    """The logged-in principal holding ``scope``; otherwise LoginRequired / PageForbidden."""
    principal = await optional_principal(request)
    path = request.url.path
    if principal is None:
        raise LoginRequired(path + (f"?{request.url.query}" if request.url.query else ""))
    access = request.app.state.trustdesk.access
    allowed = scope in principal.scopes
    if not allowed or scope in AUDITED_SCOPES:  # as the API does: refusals, and audited uses
        await run_in_threadpool(
            lambda: access.record_access(
                principal, scope, allowed=allowed, method=request.method, path=path
            )
        )
    if not allowed:
        raise PageForbidden(principal, scope)
    return principal


class PageScope(RequireScope):
    """``Depends(page_scope(s))``: a page's scope check, listed in the authorization matrix.

    Unlike the API's :func:`~trustdesk.access.require`, which answers 401/403 problems,
    a page sends the visitor to the login form or shows a refusal page.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"page_scope({str(self.scope)!r})"

    async def __call__(self, conn: HTTPConnection) -> Principal:
        assert isinstance(conn, Request)
        principal = await page_principal(conn, self.scope)
        conn.state.principal = principal
        return principal


@functools.cache
def page_scope(scope: Scope) -> PageScope:
    """The page dependency for ``scope`` (one instance per scope)."""
    return PageScope(scope)


def csrf_token(request: Request) -> str:
    """A token bound to the session cookie (HMAC keyed by the session token itself)."""
    session = request.cookies.get(SESSION_COOKIE, "")
    return hmac.new(session.encode(), b"trustdesk-console-csrf", hashlib.sha256).hexdigest()


async def read_form(request: Request, *, check_csrf: bool = True) -> dict[str, str]:
    """Parse an ``application/x-www-form-urlencoded`` body (one value per field)."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/x-www-form-urlencoded":
        raise FormError("the form must be sent as application/x-www-form-urlencoded")
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise FormError(f"the form is larger than {MAX_FORM_BYTES} bytes")
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError as exc:
        raise FormError("the form is not valid UTF-8") from exc
    form = {k: v[-1] for k, v in parsed.items()}
    if check_csrf and not hmac.compare_digest(form.get("csrf", ""), csrf_token(request)):
        raise FormError("the form expired or did not come from this console; reload the page")
    return form


def nav_context(request: Request, principal: Principal | None) -> dict[str, Any]:
    """What every console page's header needs: who is logged in and which pages they see."""
    pages: list[tuple[str, str]] = [("/", "Customer chat")]
    if principal is not None:
        if Scope.DESK_READ in principal.scopes:
            pages.append(("/desk", "Agent desk"))
        if Scope.MONITOR_READ in principal.scopes:
            pages.append(("/supervisor", "Supervisor"))
        if Scope.LEDGER_READ in principal.scopes:
            pages.append(("/compliance", "Compliance"))
        if Scope.PII_REVEAL in principal.scopes:  # only ever through a time-bound grant
            pages.append(("/compliance/reveal", "Re-identify"))
    return {
        "principal": principal,
        "pages": pages,
        "current": request.url.path,
        "csrf": csrf_token(request) if principal is not None else "",
    }


def redirect_back(
    path: str, anchor: str = "", *, done: str | None = None, error: str | None = None
) -> RedirectResponse:
    """Post/redirect/get: back to ``path`` (and ``#anchor``) with a notice in the query."""
    query = urlencode({k: v for k, v in (("done", done), ("error", error)) if v})
    return RedirectResponse(
        f"{path}{'?' + query if query else ''}{'#' + anchor if anchor else ''}", status_code=303
    )


def flash(request: Request) -> dict[str, Any]:
    """The notice a redirect carried (``done`` or ``error``), for the page's header."""
    error = request.query_params.get("error")
    done = request.query_params.get("done")
    if error:
        return {"flash": error[:500], "flash_kind": "error"}
    if done:
        return {"flash": done[:500], "flash_kind": "ok"}
    return {}
