"""The FastAPI dependency on a tiny app: 401, 403 (audited), 200, and the route map.

The app is served in-process through ``httpx.ASGITransport`` rather than Starlette's
``TestClient``, which on Starlette 1.x warns (an error under ``-W error``) unless the
``httpx2`` package is installed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace
from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Request, Response

from tests.access.conftest import PASSWORDS, FakeClock, ledger_events
from trustdesk.access import (
    PROBLEM_TYPES,
    SESSION_COOKIE,
    AccessService,
    Principal,
    Role,
    Scope,
    authorization_matrix_markdown,
    require,
    route_scopes,
    set_session_cookie,
)
from trustdesk.api import problems
from trustdesk.store.db import Database

LedgerReader = Annotated[Principal, Depends(require(Scope.LEDGER_READ))]
Revealer = Annotated[Principal, Depends(require(Scope.PII_REVEAL))]


def build_app(access: AccessService) -> FastAPI:
    app = FastAPI()
    app.state.trustdesk = SimpleNamespace(access=access)
    problems.install(app)

    @app.get("/ledger/events/{seq}")
    async def read_event(seq: int, principal: LedgerReader) -> dict[str, Any]:
        return {"seq": seq, "actor": principal.actor}

    @app.post("/vault/reveal")
    def reveal(principal: Revealer, request: Request) -> dict[str, Any]:
        assert request.state.principal is principal
        return {"revealed_for": principal.actor}

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/auth/login")
    def login(body: dict[str, str], response: Response) -> dict[str, str]:
        ttl = timedelta(hours=1)
        result = access.login(body["username"], body["password"], ttl=ttl)
        set_session_cookie(response, result.token, max_age=ttl, secure=False)
        return {"actor": result.principal.actor}

    monitor = APIRouter(prefix="/monitor", dependencies=[Depends(require(Scope.MONITOR_READ))])

    @monitor.get("/stats")
    async def stats() -> dict[str, int]:
        return {"open": 3}

    app.include_router(monitor)
    return app


@pytest.fixture(autouse=True)
def problems_mapped(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the lead adds to ``problems._DOMAIN``: the access errors first."""
    monkeypatch.setattr(problems, "_DOMAIN", [*PROBLEM_TYPES, *problems._DOMAIN])


class TestClient:
    """A small synchronous client over ``httpx.ASGITransport`` that keeps cookies."""

    __test__ = False

    def __init__(self, app: FastAPI, *, raise_server_exceptions: bool = True) -> None:
        self.app = app
        self.raise_server_exceptions = raise_server_exceptions
        self.cookies = httpx.Cookies()

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(
                app=self.app, raise_app_exceptions=self.raise_server_exceptions
            )
            async with httpx.AsyncClient(
                transport=transport, base_url="http://desk.example.com", cookies=self.cookies
            ) as c:
                resp = await c.request(method, url, **kwargs)
                self.cookies = httpx.Cookies(c.cookies)
                return resp

        return asyncio.run(go())

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)


@pytest.fixture
def client(access: AccessService) -> Iterator[TestClient]:
    yield TestClient(build_app(access))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_public_route(client: TestClient) -> None:
    assert client.get("/health").status_code == 200


@pytest.mark.parametrize(
    ("headers", "slug"),
    [
        ({}, "authentication-required"),
        ({"Authorization": "Bearer"}, "invalid-credentials"),
        ({"Authorization": "Basic YWxpY2U6cHc="}, "invalid-credentials"),
        (bearer("td_abcdefghij_" + "x" * 43), "invalid-credentials"),
        (bearer("tds_" + "x" * 43), "invalid-credentials"),
        (bearer("garbage"), "invalid-credentials"),
    ],
)
def test_401_without_valid_credentials(
    client: TestClient, db: Database, headers: dict[str, str], slug: str
) -> None:
    before = len(ledger_events(db))
    resp = client.get("/ledger/events/1", headers=headers)
    assert resp.status_code == 401
    assert resp.headers["content-type"] == "application/problem+json"
    assert resp.json()["type"].endswith("/" + slug)
    assert len(ledger_events(db)) == before  # anonymous noise is not ledgered


def test_403_names_the_scope_and_is_audited(
    client: TestClient, access: AccessService, db: Database, staff: dict[str, Principal]
) -> None:
    token = access.create_session(staff["alice.martin"].id, timedelta(hours=1))  # an agent
    resp = client.get("/ledger/events/7", headers=bearer(token))
    assert resp.status_code == 403
    body = resp.json()
    assert body["type"].endswith("/permission-denied")
    assert "ledger:read" in body["detail"]
    kind, actor, payload = ledger_events(db)[-1]
    assert (kind, actor) == ("access.denied", "user:alice.martin")
    assert payload == {
        "scope": "ledger:read",
        "method": "GET",
        "path": "/ledger/events/7",
        "role": "agent",
    }
    assert token not in str(ledger_events(db))


def test_200_with_the_scope(
    client: TestClient, access: AccessService, staff: dict[str, Principal]
) -> None:
    token = access.create_session(staff["bruno.keller"].id, timedelta(hours=1))  # supervisor
    resp = client.get("/ledger/events/7", headers=bearer(token))
    assert resp.status_code == 200
    assert resp.json() == {"seq": 7, "actor": "user:bruno.keller"}
    key, _ = access.create_api_key(name="stats scraper", role=Role.SUPERVISOR)
    assert client.get("/monitor/stats", headers=bearer(key)).status_code == 200
    ai_key, _ = access.create_api_key(name="ai", role=Role.AI_AGENT)
    assert client.get("/monitor/stats", headers=bearer(ai_key)).status_code == 403


@pytest.mark.usefixtures("staff")
def test_session_cookie(client: TestClient, access: AccessService) -> None:
    resp = client.post(
        "/auth/login", json={"username": "bruno.keller", "password": PASSWORDS["bruno.keller"]}
    )
    assert resp.status_code == 200
    cookie = resp.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=tds_")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert client.get("/ledger/events/1").status_code == 200  # the client kept the cookie
    # The cookie never carries an API key.
    key, _ = access.create_api_key(name="ai", role=Role.AI_AGENT)
    client.cookies.set(SESSION_COOKIE, key)
    assert client.get("/ledger/events/1").status_code == 401


def test_grant_opens_and_closes_a_route(
    client: TestClient,
    access: AccessService,
    db: Database,
    clock: FakeClock,
    staff: dict[str, Principal],
) -> None:
    officer = staff["dmitri.novak"]
    token = access.create_session(officer.id, timedelta(hours=4))
    assert client.post("/vault/reveal", headers=bearer(token)).status_code == 403
    access.grant(
        user_id=officer.id,
        scope=Scope.PII_REVEAL,
        reason="Regulator request REG-77 for one account holder",
        granted_by=staff["chloe.dubois"],
        ttl=timedelta(hours=1),
    )
    resp = client.post("/vault/reveal", headers=bearer(token))
    assert resp.status_code == 200
    kind, actor, payload = ledger_events(db)[-1]
    assert (kind, actor) == ("access.granted", "user:dmitri.novak")
    assert payload["via"] == "grant" and payload["scope"] == "pii:reveal"
    clock.advance(hours=1)
    assert client.post("/vault/reveal", headers=bearer(token)).status_code == 403


def test_route_scopes_and_matrix(access: AccessService) -> None:
    app = build_app(access)
    found = route_scopes(app)
    assert ("GET", "/ledger/events/{seq}", Scope.LEDGER_READ) in found
    assert ("POST", "/vault/reveal", Scope.PII_REVEAL) in found
    assert ("GET", "/monitor/stats", Scope.MONITOR_READ) in found
    assert ("GET", "/health", None) in found
    assert ("POST", "/auth/login", None) in found
    assert ("GET", "/openapi.json", None) in found
    md = authorization_matrix_markdown(found)
    assert (
        "| POST | `/vault/reveal` | `pii:reveal` | deny | grant | grant | grant | deny | deny |"
        in md
    )
    assert (
        "| GET | `/monitor/stats` | `monitor:read` | deny | deny | allow | deny | allow | deny |"
        in md
    )


def test_require_carries_its_scope() -> None:
    dep = require(Scope.DESK_REPLY)
    assert dep.scope is Scope.DESK_REPLY
    assert require(Scope.DESK_REPLY) is dep
    assert repr(dep) == "require('desk:reply')"


def test_missing_access_service_is_a_server_error() -> None:
    app = FastAPI()
    app.state.trustdesk = SimpleNamespace()

    @app.get("/x")
    async def x(_p: LedgerReader) -> None:
        return None

    c = TestClient(app, raise_server_exceptions=False)
    assert c.get("/x", headers=bearer("tds_" + "a" * 43)).status_code == 500
