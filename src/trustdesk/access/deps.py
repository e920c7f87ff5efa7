"""FastAPI integration: ``Depends(require(Scope.X))`` on a route, and the route → scope map.

Credentials are read from ``Authorization: Bearer <token>`` (a session token or an API
key), or else from the ``td_session`` cookie (session tokens only). The principal is
resolved by the :class:`~trustdesk.access.service.AccessService` at
``app.state.trustdesk.access``:

* no credentials → :class:`~trustdesk.access.errors.CredentialsRequired` (401);
* bad, expired or revoked credentials → :class:`~trustdesk.access.errors.InvalidCredentials`
  (401);
* a principal without the scope → :class:`~trustdesk.access.errors.PermissionDenied`
  (403, naming the scope) and an ``access.denied`` ledger event (actor, role, scope,
  method, request path without query string; never the credential). Paths must
  therefore never carry personal data (ids only), which is already the API's rule.

401s are not written to the ledger: anyone can send them, and a ledger write per
anonymous request would let them grow the ledger and queue on its write lock.
Successful uses of :data:`~trustdesk.access.scopes.AUDITED_SCOPES` are written as
``access.granted``.

The dependency is ``async`` and sends its database work to the thread pool with
:func:`starlette.concurrency.run_in_threadpool`: reading the header costs nothing on the
event loop, and the blocking lookup never runs on it. It returns the
:class:`~trustdesk.access.service.Principal` and also leaves it in
``request.state.principal``.

Each dependency carries its scope (``require(s).scope``) so :func:`route_scopes` can
list what every route needs and :func:`~trustdesk.access.scopes.authorization_matrix_markdown`
can render it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any

import fastapi.routing
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, APIWebSocketRoute
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute

from trustdesk.access.errors import CredentialsRequired, InvalidCredentials, MalformedToken
from trustdesk.access.scopes import AUDITED_SCOPES, Scope
from trustdesk.access.service import AccessService, Principal
from trustdesk.access.tokens import token_kind

SESSION_COOKIE = "td_session"


def _access_service(conn: HTTPConnection) -> AccessService:
    state = getattr(conn.app.state, "trustdesk", None)
    service = getattr(state, "access", None)
    if not isinstance(service, AccessService):
        raise RuntimeError("app.state.trustdesk.access is not an AccessService")
    return service


def credential_from(conn: HTTPConnection) -> str:
    """The bearer token or session cookie of a request; 401 errors if absent or odd."""
    header = conn.headers.get("authorization")
    if header is not None:
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() != "bearer":
            raise InvalidCredentials("unsupported authorization scheme: use 'Bearer <token>'")
        token = value.strip()
        if not token:
            raise MalformedToken("malformed authorization header: the token is empty")
        return token
    cookie = conn.cookies.get(SESSION_COOKIE)
    if cookie:
        if token_kind(cookie) != "session":
            raise MalformedToken(f"the {SESSION_COOKIE} cookie can only hold a session token")
        return cookie
    raise CredentialsRequired()


def _method(conn: HTTPConnection) -> str:
    if conn.scope.get("type") == "websocket":
        return "WS"
    method = conn.scope.get("method")
    return method if isinstance(method, str) else "GET"


def _request_path(conn: HTTPConnection) -> str:
    """The request's path, without the query string (which may hold anything)."""
    return conn.url.path


class RequireScope:
    """A FastAPI dependency admitting principals that hold :attr:`scope`."""

    __slots__ = ("scope",)

    def __init__(self, scope: Scope) -> None:
        self.scope = Scope(scope)

    def __repr__(self) -> str:
        return f"require({str(self.scope)!r})"

    async def __call__(self, conn: HTTPConnection) -> Principal:
        token = credential_from(conn)
        service = _access_service(conn)
        principal = await run_in_threadpool(service.resolve_token, token)
        allowed = self.scope in principal.scopes
        if not allowed or self.scope in AUDITED_SCOPES:
            await run_in_threadpool(
                functools.partial(
                    service.record_access,
                    principal,
                    self.scope,
                    allowed=allowed,
                    method=_method(conn),
                    path=_request_path(conn),
                )
            )
        principal.require(self.scope)
        conn.state.principal = principal
        return principal


@functools.cache
def require(scope: Scope) -> RequireScope:
    """The dependency for ``scope`` (one instance per scope): ``Depends(require(s))``."""
    return RequireScope(scope)


def _dependant_scopes(dependant: Dependant) -> list[Scope]:
    found: list[Scope] = []
    stack = [dependant]
    while stack:
        node = stack.pop()
        if isinstance(node.call, RequireScope) and node.call.scope not in found:
            found.append(node.call.scope)
        stack.extend(reversed(node.dependencies))
    return found


def _flat_routes(routes: Sequence[BaseRoute]) -> Iterator[Any]:
    """Routes with their effective path and dependencies.

    FastAPI ≥ 0.16x keeps included routers lazily (``iter_route_contexts`` gives each
    route's effective path and dependant); older versions copy them into ``routes``.
    """
    iter_contexts = getattr(fastapi.routing, "iter_route_contexts", None)
    if iter_contexts is None:
        yield from routes
    else:
        yield from iter_contexts(routes)


def _walk(routes: Sequence[BaseRoute], prefix: str) -> list[tuple[str, str, Scope | None]]:
    rows: list[tuple[str, str, Scope | None]] = []
    for route in _flat_routes(routes):
        kind = getattr(route, "original_route", route)
        path = prefix + str(route.path)
        scopes: list[Scope | None] = [None]
        if isinstance(kind, APIRoute | APIWebSocketRoute):
            methods = sorted(route.methods or {"GET"}) if isinstance(kind, APIRoute) else ["WS"]
            dependant = getattr(route, "dependant", None)
            if isinstance(dependant, Dependant):
                scopes = list(_dependant_scopes(dependant)) or [None]
        elif isinstance(kind, Mount):
            if kind.routes:
                rows += _walk(kind.routes, path)
                continue
            methods, path = ["GET"], path + "/{path:path}"
        elif isinstance(kind, Route):
            methods = sorted(route.methods or {"GET"})
        elif isinstance(kind, WebSocketRoute):
            methods = ["WS"]
        else:
            continue
        if "GET" in methods and "HEAD" in methods:
            methods.remove("HEAD")
        rows += [(m, path, s) for m in methods for s in scopes]
    return rows


def route_scopes(app: FastAPI) -> list[tuple[str, str, Scope | None]]:
    """``(method, path, scope)`` for every route of ``app``; ``None`` means public.

    Scopes are found by walking each route's dependency tree (router-level
    dependencies included) for :func:`require` dependencies. A route needing several
    scopes yields one row per scope. Routes of mounted sub-applications that are not
    FastAPI routes (static files) are listed as public.
    """
    return _walk(app.routes, "")


def set_session_cookie(
    response: Response, token: str, *, max_age: timedelta, secure: bool = True
) -> None:
    """Put a session token in an ``HttpOnly``, ``SameSite=Strict`` cookie for ``max_age``.

    Pass the session's TTL; the session itself expires server-side regardless.
    """
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max(0, int(max_age.total_seconds())),
        path="/",
        secure=secure,
        httponly=True,
        samesite="strict",
    )


def clear_session_cookie(response: Response, *, secure: bool = True) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", secure=secure, httponly=True, samesite="strict"
    )
