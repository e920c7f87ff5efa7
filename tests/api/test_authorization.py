"""Every route called as every role against the live server: allow or deny as declared.

Also: re-identification under a time-bound grant, login and the generated docs.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import LiveServer
from trustdesk.access import ROLE_SCOPES, Role, Scope, route_scopes
from trustdesk.access.service import AccessService

PASSWORD = "Lantern harbour 2026"


def _route_params(path: str) -> str:
    return (
        path.replace("{conversation_id}", str(uuid.uuid4()))
        .replace("{user_id}", str(uuid.uuid4()))
        .replace("{grant_id}", str(uuid.uuid4()))
        .replace("{customer_id}", str(uuid.uuid4()))
        .replace("{ref}", "1")
        .replace("{prefix}", "td_zzzzzzzzzz")
        .replace("{source}", "acme")
    )


@pytest.fixture(scope="module")
def tokens(live_server: LiveServer) -> dict[Role, str]:
    """A credential for every role: a session for humans, an API key for the AI agent."""
    access = AccessService(live_server.db)
    out: dict[Role, str] = {}
    suffix = uuid.uuid4().hex[:6]
    for role in Role:
        if role is Role.AI_AGENT:
            key, _ = access.create_api_key(name=f"matrix-{suffix}", role=role)
            out[role] = key
            continue
        name = f"m{role.value.replace('_', '')}{suffix}"
        access.create_user(username=name, display_name=name, role=role, password=PASSWORD)
        out[role] = access.login(name, PASSWORD).token
    return out


@pytest.fixture
def client(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=20) as c:
        yield c


def _app_routes(live_server: LiveServer) -> list[tuple[str, str, Scope | None]]:
    from trustdesk.api import create_app

    app = create_app(live_server.settings, db=live_server.db)
    return route_scopes(app)


def test_every_scoped_route_as_every_role(
    live_server: LiveServer, tokens: dict[Role, str], client: httpx.Client
) -> None:
    routes = [r for r in _app_routes(live_server) if r[2] is not None and _is_api(r[1])]
    assert len(routes) >= 10
    wrong: list[tuple[str, str, str, int]] = []
    for method, path, scope in routes:
        assert scope is not None
        url = _route_params(path)
        body = {} if method in ("POST", "PUT", "PATCH") else None
        anon = client.request(method, url, json=body)
        if anon.status_code != 401:
            wrong.append((method, path, "anonymous", anon.status_code))
        for role, token in tokens.items():
            r = client.request(method, url, json=body, headers={"Authorization": f"Bearer {token}"})
            allowed = scope in ROLE_SCOPES[role]
            if allowed and r.status_code in (401, 403):
                wrong.append((method, path, role.value, r.status_code))
            if not allowed and r.status_code != 403:
                wrong.append((method, path, role.value, r.status_code))
            if r.status_code == 403:
                assert r.headers["content-type"].startswith("application/problem+json")
                assert str(scope) in r.json()["detail"]
    assert wrong == []


def _is_api(path: str) -> bool:
    return path.startswith("/v1/")


def test_every_console_page_as_every_role(
    live_server: LiveServer, tokens: dict[Role, str], client: httpx.Client
) -> None:
    """Console pages take the session cookie: no session → the login form; a session
    without the page's scope → 403 (an HTML page); with it → anything but a refusal."""
    from trustdesk.access import SESSION_COOKIE

    routes = [r for r in _app_routes(live_server) if r[2] is not None and not _is_api(r[1])]
    assert len(routes) >= 15
    wrong: list[tuple[str, str, str, int]] = []

    def status(method: str, url: str, headers: dict[str, str]) -> tuple[int, str]:
        data = {"x": "1"} if method == "POST" else None
        with client.stream(method, url, headers=headers, data=data) as r:  # streams never end
            return r.status_code, r.headers.get("location", "")

    for method, path, scope in routes:
        assert scope is not None
        url = _route_params(path)
        code, location = status(method, url, {})
        if code != 303 or not location.startswith("/login?next="):
            wrong.append((method, path, "anonymous", code))
        for role, token in tokens.items():
            code, location = status(method, url, {"cookie": f"{SESSION_COOKIE}={token}"})
            if role is Role.AI_AGENT:  # an API key is no session: back to the login form
                if code != 303:
                    wrong.append((method, path, role.value, code))
            elif scope in ROLE_SCOPES[role]:
                if code in (401, 403) or (code == 303 and location.startswith("/login")):
                    wrong.append((method, path, role.value, code))
            elif code != 403:
                wrong.append((method, path, role.value, code))
    assert wrong == []


def test_public_routes_need_no_credentials(live_server: LiveServer, client: httpx.Client) -> None:
    public = [r for r in _app_routes(live_server) if r[2] is None]
    for method, path, _ in public:
        if method in ("WS",) or "{path" in path or path.endswith("/events"):
            continue
        r = client.request(method, _route_params(path), json={} if method == "POST" else None)
        # Auth routes answer 401 for a missing session; webhooks need an HMAC signature.
        exempt = path.startswith(("/v1/auth/", "/v1/webhooks/"))
        assert r.status_code not in (401, 403) or exempt, (method, path)


def test_bad_and_expired_credentials_are_401(client: httpx.Client) -> None:
    for bad in ("nonsense", "td_abcdefghij_" + "x" * 43, "tds_" + "y" * 43, "Basic"):
        r = client.get("/v1/ledger/verify", headers={"Authorization": f"Bearer {bad}"})
        assert r.status_code == 401
        assert r.headers["www-authenticate"] == "Bearer"


def test_login_cookie_and_me(live_server: LiveServer, client: httpx.Client) -> None:
    access = AccessService(live_server.db)
    name = f"casey{uuid.uuid4().hex[:6]}"
    access.create_user(
        username=name, display_name="Casey", role=Role.COMPLIANCE_OFFICER, password=PASSWORD
    )
    bad = client.post("/v1/auth/login", json={"username": name, "password": "wrong password"})
    assert bad.status_code == 401
    r = client.post("/v1/auth/login", json={"username": name, "password": PASSWORD})
    assert r.status_code == 200
    assert "td_session" in r.headers["set-cookie"]
    assert "httponly" in r.headers["set-cookie"].lower()
    me = client.get("/v1/auth/me")  # the cookie jar carries the session
    assert me.json()["role"] == "compliance_officer"
    assert "ledger:verify" in me.json()["scopes"]
    report = client.get("/v1/ledger/verify").json()
    assert report["ok"] is True, report
    assert client.post("/v1/auth/logout").status_code == 200
    assert client.get("/v1/ledger/verify").status_code == 401


def test_reveal_needs_a_time_bound_grant(live_server: LiveServer, client: httpx.Client) -> None:
    """An agent reveals a customer's profile only while a compliance officer's grant lasts."""
    from trustdesk.demo.seed import seed_demo
    from trustdesk.privacy.vault import load_master_key
    from trustdesk.store.models import Customer

    db = live_server.db
    with db.write() as s:
        if s.query(Customer).filter(Customer.kind == "customer").count() == 0:
            seed_demo(
                s,
                master_key=load_master_key(live_server.settings.data_dir),
                tenant="northwind",
                count=3,
            )
        customer = s.query(Customer).filter(Customer.kind == "customer").first()
        assert customer is not None
        cid = customer.id
    access = AccessService(db)
    sfx = uuid.uuid4().hex[:6]
    agent_id = access.create_user(
        username=f"alex{sfx}", display_name="Alex", role=Role.AGENT, password=PASSWORD
    )
    access.create_user(
        username=f"casey{sfx}",
        display_name="Casey",
        role=Role.COMPLIANCE_OFFICER,
        password=PASSWORD,
    )
    agent = {"Authorization": f"Bearer {access.login(f'alex{sfx}', PASSWORD).token}"}
    officer = {"Authorization": f"Bearer {access.login(f'casey{sfx}', PASSWORD).token}"}
    reason = {"reason": "Customer disputes a transfer and asked us to confirm identity"}

    assert client.post(f"/v1/customers/{cid}/reveal", json=reason, headers=agent).status_code == 403
    short = client.post(
        "/v1/grants",
        headers=officer,
        json={"user_id": str(agent_id), "scope": "pii:reveal", "reason": "because"},
    )
    assert short.status_code == 422
    g = client.post(
        "/v1/grants",
        headers=officer,
        json={
            "user_id": str(agent_id),
            "scope": "pii:reveal",
            "reason": "Ticket 4411: identity check for a disputed transfer",
            "ttl_minutes": 0.05,
        },
    )
    assert g.status_code == 201, g.text
    r = client.post(f"/v1/customers/{cid}/reveal", json=reason, headers=agent)
    assert r.status_code == 200, r.text
    assert r.json()["profile"]["email"].endswith(
        ("example.com", "example.net", "example.org", ".example")
    )
    ledger = client.get(
        "/v1/ledger/events", headers=officer, params={"type": "vault.revealed", "subject": str(cid)}
    ).json()
    assert ledger["events"] and ledger["events"][-1]["actor"].startswith("user:alex")
    assert "@" not in str(ledger["events"])
    time.sleep(3.2)  # the grant (3 s) expires by itself
    assert client.post(f"/v1/customers/{cid}/reveal", json=reason, headers=agent).status_code == 403


def test_authorization_docs_are_current() -> None:
    from trustdesk.cli.main import authorization_doc

    docs = Path(__file__).resolve().parents[2] / "docs" / "authorization.md"
    assert docs.read_text() == authorization_doc(), (
        "run: trustdesk access matrix > docs/authorization.md"
    )
