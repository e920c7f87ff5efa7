"""POST /v1/privacy/scan and /v1/privacy/reveal against the live server."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import LiveServer
from trustdesk.access import Role
from trustdesk.access.service import AccessService
from trustdesk.privacy.operators import pseudonym
from trustdesk.privacy.tokens import pseudonym_key, seal_values
from trustdesk.privacy.vault import load_master_key
from trustdesk.store.models import Customer
from trustdesk.types import SealedValue

PASSWORD = "Lantern harbour 2026"
CARD = "4111 1111 1111 1111"
EMAIL = "pat.doe@example.com"


@pytest.fixture
def client(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def people(live_server: LiveServer) -> dict[str, object]:
    """An agent (privacy:scan, pii:reveal only by grant), an officer, and a customer."""
    access = AccessService(live_server.db)
    sfx = uuid.uuid4().hex[:6]
    out: dict[str, object] = {}
    for label, role in [
        ("agent", Role.AGENT),
        ("officer", Role.COMPLIANCE_OFFICER),
        ("customer", Role.CUSTOMER),
    ]:
        name = f"p{label}{sfx}"
        user_id = access.create_user(
            username=name, display_name=label.title(), role=role, password=PASSWORD
        )
        out[label] = {"Authorization": f"Bearer {access.login(name, PASSWORD).token}"}
        out[f"{label}_id"] = user_id
    return out


def _headers(people: dict[str, object], who: str) -> dict[str, str]:
    value = people[who]
    assert isinstance(value, dict)
    return value


def _is_problem(r: httpx.Response, status: int | None = None) -> dict[str, object]:
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    if status is not None:
        assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body = r.json()
    assert body["status"] == r.status_code
    assert body["title"] and "detail" in body
    return body  # type: ignore[no-any-return]


# -- scan ----------------------------------------------------------------------------------


def test_scan_text(client: httpx.Client, people: dict[str, object]) -> None:
    text = f"naïve question — card {CARD} and mail {EMAIL}"
    r = client.post("/v1/privacy/scan", json={"text": text}, headers=_headers(people, "agent"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["redacted"] == "naïve question — card <CREDIT_CARD> and mail <EMAIL_ADDRESS>"
    found = {(f["type"], text[f["start"] : f["end"]]) for f in body["findings"]}
    assert found == {("CREDIT_CARD", CARD), ("EMAIL_ADDRESS", EMAIL)}
    for f in body["findings"]:
        assert f["turn"] == 0
        assert 0 < f["score"] <= 1
        assert f["detector"] and isinstance(f["explanation"], str)


def test_scan_text_without_findings(client: httpx.Client, people: dict[str, object]) -> None:
    r = client.post(
        "/v1/privacy/scan",
        json={"text": "when does the branch open?"},
        headers=_headers(people, "agent"),
    )
    assert r.status_code == 200
    assert r.json() == {"findings": [], "redacted": "when does the branch open?"}


def test_scan_turns_finds_a_split_card(client: httpx.Client, people: dict[str, object]) -> None:
    turns = ["my card is 4111 1111", "thanks", "1111 1111"]
    r = client.post("/v1/privacy/scan", json={"turns": turns}, headers=_headers(people, "agent"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["redacted"] == ["my card is <CREDIT_CARD>", "thanks", "<CREDIT_CARD>"]
    got = [(f["turn"], f["type"], f["score"], f["detector"]) for f in body["findings"]]
    assert got == [
        (0, "CREDIT_CARD", 0.95, "split_value"),
        (2, "CREDIT_CARD", 0.95, "split_value"),
    ]
    assert [turns[f["turn"]][f["start"] : f["end"]] for f in body["findings"]] == [
        "4111 1111",
        "1111 1111",
    ]


@pytest.mark.parametrize(
    ("operator", "pattern"),
    [
        ("pseudonymize", r"card <CREDIT_CARD_[0-9a-f]{8}> mail <EMAIL_ADDRESS_[0-9a-f]{8}>"),
        ("mask", r"card \*{4} \*{4} \*{4} \*{4} mail \*{3}\.\*{11}\.\*{3}"),
        ("keep_last:4", r"card <CREDIT_CARD \*{4}1111> mail <EMAIL_ADDRESS \*{4}ecom>"),
        ("keep_last:2", r"card <CREDIT_CARD \*{4}11> mail <EMAIL_ADDRESS \*{4}om>"),
        ("tag", r"card <CREDIT_CARD> mail <EMAIL_ADDRESS>"),
    ],
)
def test_scan_operators(
    client: httpx.Client, people: dict[str, object], operator: str, pattern: str
) -> None:
    text = f"card {CARD} mail {EMAIL}"
    r = client.post(
        "/v1/privacy/scan",
        json={"text": text, "operator": operator},
        headers=_headers(people, "agent"),
    )
    assert r.status_code == 200, r.text
    assert re.fullmatch(pattern, r.json()["redacted"]), r.json()["redacted"]


def test_scan_pseudonyms_are_the_deployments(
    live_server: LiveServer, client: httpx.Client, people: dict[str, object]
) -> None:
    r = client.post(
        "/v1/privacy/scan",
        json={"turns": [f"mail {EMAIL}", f"again: {EMAIL.upper()}"], "operator": "pseudonymize"},
        headers=_headers(people, "agent"),
    )
    assert r.status_code == 200, r.text
    first, second = r.json()["redacted"]
    key = pseudonym_key(load_master_key(live_server.settings.data_dir), live_server.settings.tenant)
    token = pseudonym(key, "EMAIL_ADDRESS", EMAIL)
    assert first == f"mail {token}"
    assert second == f"again: {token}"  # the same person, whatever the spelling


@pytest.mark.parametrize("operator", ["encrypt", "keep", "shred", "keep_last:9", "tag:1"])
def test_scan_refuses_reversible_and_unknown_operators(
    client: httpx.Client, people: dict[str, object], operator: str
) -> None:
    r = client.post(
        "/v1/privacy/scan",
        json={"text": f"card {CARD}", "operator": operator},
        headers=_headers(people, "agent"),
    )
    body = _is_problem(r, 422)
    assert CARD not in json.dumps(body)


@pytest.mark.parametrize(
    "payload",
    [
        {"text": "hello", "turns": ["hello"]},
        {},
        {"operator": "tag"},
        {"text": "x" * 8193},
        {"text": "é" * 4097},  # 8194 bytes in UTF-8
        {"turns": ["hi"] * 101},
        {"turns": ["ok", "y" * 9000]},
        {"text": 4111111111111111},
        {"turns": "not a list"},
        {"text": "hello", "extra": 1},
        {"text": "   "},
        {"text": "nul \x00 byte"},
    ],
)
def test_scan_bad_input_is_a_problem(
    client: httpx.Client, people: dict[str, object], payload: dict[str, object]
) -> None:
    r = client.post("/v1/privacy/scan", json=payload, headers=_headers(people, "agent"))
    _is_problem(r)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"text": "card \\ud800 4111 1111 1111 1111"}',
        b'{"turns": ["ok", "\\udfff"]}',
        b'{"text": "unterminated',
        b"\xff\xfe not utf-8",
    ],
)
def test_scan_lone_surrogate_and_broken_json(
    client: httpx.Client, people: dict[str, object], raw: bytes
) -> None:
    r = client.post(
        "/v1/privacy/scan",
        content=raw,
        headers={**_headers(people, "agent"), "content-type": "application/json"},
    )
    body = _is_problem(r)
    assert "4111 1111 1111 1111" not in json.dumps(body)


def test_scan_at_the_size_limit_is_accepted(
    client: httpx.Client, people: dict[str, object]
) -> None:
    text = "a" * 8192
    r = client.post("/v1/privacy/scan", json={"text": text}, headers=_headers(people, "agent"))
    assert r.status_code == 200, r.text
    r = client.post(
        "/v1/privacy/scan", json={"turns": ["ok"] * 100}, headers=_headers(people, "agent")
    )
    assert r.status_code == 200, r.text
    assert len(r.json()["redacted"]) == 100


def test_scan_needs_credentials(client: httpx.Client) -> None:
    r = client.post("/v1/privacy/scan", json={"text": "hello"})
    assert r.status_code == 401
    _is_problem(r, 401)
    r = client.post(
        "/v1/privacy/scan", json={"text": "hello"}, headers={"Authorization": "Bearer nonsense"}
    )
    assert r.status_code == 401


def test_scan_is_forbidden_for_customers(client: httpx.Client, people: dict[str, object]) -> None:
    r = client.post("/v1/privacy/scan", json={"text": "hi"}, headers=_headers(people, "customer"))
    body = _is_problem(r, 403)
    assert "privacy:scan" in str(body["detail"])


@pytest.mark.parametrize("who", ["officer"])
def test_scan_allowed_for_other_staff(
    client: httpx.Client, people: dict[str, object], who: str
) -> None:
    r = client.post("/v1/privacy/scan", json={"text": "hi"}, headers=_headers(people, who))
    assert r.status_code == 200


# -- reveal ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sealed_customer(live_server: LiveServer) -> tuple[uuid.UUID, str, str]:
    """A customer with one sealed e-mail address: (id, token, value)."""
    master = load_master_key(live_server.settings.data_dir)
    key = pseudonym_key(master, live_server.settings.tenant)
    value = f"reveal.{uuid.uuid4().hex[:8]}@example.com"
    token = pseudonym(key, "EMAIL_ADDRESS", value)
    with live_server.db.write() as s:
        c = Customer(tenant=live_server.settings.tenant, kind="guest")
        s.add(c)
        s.flush()
        cid = c.id
    with live_server.db.connect_write() as conn:
        seal_values(
            conn,
            master,
            subject=cid,
            conversation_id=None,
            values=[SealedValue(token, "EMAIL_ADDRESS", value)],
        )
    return cid, token, value


REASON = "Customer disputes a transfer and asked us to confirm the address"


def test_reveal_without_a_grant_is_forbidden(
    client: httpx.Client,
    people: dict[str, object],
    sealed_customer: tuple[uuid.UUID, str, str],
) -> None:
    cid, token, value = sealed_customer
    body = {"customer_id": str(cid), "tokens": [token], "reason": REASON}
    for who in ("agent", "officer", "customer"):
        r = client.post("/v1/privacy/reveal", json=body, headers=_headers(people, who))
        problem = _is_problem(r, 403)
        assert value not in json.dumps(problem)
    assert client.post("/v1/privacy/reveal", json=body).status_code == 401


def test_reveal_with_a_grant(
    client: httpx.Client,
    people: dict[str, object],
    sealed_customer: tuple[uuid.UUID, str, str],
) -> None:
    cid, token, value = sealed_customer
    agent, officer = _headers(people, "agent"), _headers(people, "officer")
    g = client.post(
        "/v1/grants",
        headers=officer,
        json={
            "user_id": str(people["agent_id"]),
            "scope": "pii:reveal",
            "reason": "Ticket 5521: confirm the address of a disputed transfer",
            "ttl_minutes": 30,
        },
    )
    assert g.status_code == 201, g.text
    unknown_token = "<EMAIL_ADDRESS_00000000>"
    r = client.post(
        "/v1/privacy/reveal",
        json={"customer_id": str(cid), "tokens": [token, unknown_token], "reason": REASON},
        headers=agent,
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"customer_id": str(cid), "values": {token: value, unknown_token: None}}

    ledger = client.get(
        "/v1/ledger/events",
        headers=officer,
        params={"type": "vault.revealed", "subject": str(cid)},
    )
    assert ledger.status_code == 200, ledger.text
    events = ledger.json()["events"]
    assert events, ledger.json()
    last = events[-1]
    assert last["actor"].startswith("user:pagent")
    assert value not in json.dumps(events)
    assert REASON not in json.dumps(events)  # only its hash
    payload = last["payload"]
    assert payload["tokens"] == [token]
    assert payload["missing"] == 1

    # 404: a customer that does not exist.
    r = client.post(
        "/v1/privacy/reveal",
        json={"customer_id": str(uuid.uuid4()), "tokens": [token], "reason": REASON},
        headers=agent,
    )
    _is_problem(r, 404)

    # 422: malformed tokens, too many, none, a short reason.
    for bad in (
        {"customer_id": str(cid), "tokens": ["pat.doe@example.com"], "reason": REASON},
        {"customer_id": str(cid), "tokens": ["<EMAIL_ADDRESS>"], "reason": REASON},
        {"customer_id": str(cid), "tokens": ["<CREDIT_CARD ****1111>"], "reason": REASON},
        {"customer_id": str(cid), "tokens": [], "reason": REASON},
        {"customer_id": str(cid), "tokens": [token] * 101, "reason": REASON},
        {"customer_id": str(cid), "tokens": [token], "reason": "because"},
        {"customer_id": "not-a-uuid", "tokens": [token], "reason": REASON},
        {"customer_id": str(cid), "tokens": [token], "reason": REASON, "extra": True},
    ):
        r = client.post("/v1/privacy/reveal", json=bad, headers=agent)
        problem = _is_problem(r, 422)
        assert value not in json.dumps(problem)
