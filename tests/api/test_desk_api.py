"""The human desk (/v1/desk) against a live server, on SQLite and PostgreSQL.

An escalated conversation goes through the queue, a claim, a redacted human reply, a
resolution and corrections; approvals are decided; every route refuses the roles
without its scope.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from tests.conftest import LiveServer, _serve
from trustdesk.access import Role
from trustdesk.access.service import AccessService
from trustdesk.agent.tools import binding_sha256
from trustdesk.store.models import (
    Approval,
    Conversation,
    Correction,
    DataCategory,
    Escalation,
    LedgerEventRow,
    Message,
)

PASSWORD = "Lantern harbour 2026"
CARD = "4111 1111 1111 1111"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def server(live_server: LiveServer) -> Iterator[LiveServer]:
    """The live server, or (until ``app.py`` includes the desk router) one serving it."""
    if httpx.get(live_server.url + "/v1/desk/queue", timeout=10).status_code != 404:
        yield live_server
        return
    from trustdesk.api import create_app
    from trustdesk.api.routes import desk

    app = create_app(live_server.settings, db=live_server.db)
    app.include_router(desk.router)
    yield from _serve(app, live_server.settings, live_server.db)


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def people(server: LiveServer) -> dict[str, dict[str, str]]:
    """Two agents, a supervisor and a customer, each logged in."""
    access = AccessService(server.db)
    sfx = uuid.uuid4().hex[:6]
    out: dict[str, dict[str, str]] = {}
    for label, role in [
        ("agent", Role.AGENT),
        ("agent2", Role.AGENT),
        ("supervisor", Role.SUPERVISOR),
        ("customer", Role.CUSTOMER),
    ]:
        name = f"d{label}{sfx}"
        user_id = access.create_user(
            username=name, display_name=label.title(), role=role, password=PASSWORD
        )
        token = access.login(name, PASSWORD).token
        out[label] = {
            "Authorization": f"Bearer {token}",
            "id": str(user_id),
            "actor": f"user:{name}",
        }
    return out


def _h(people: dict[str, dict[str, str]], who: str) -> dict[str, str]:
    return {"Authorization": people[who]["Authorization"]}


def _problem(r: httpx.Response, status: int, slug: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = r.json()
    assert body["status"] == status and body["title"] and body["detail"]
    if slug is not None:
        assert body["type"].endswith("/" + slug), body
    return body


def _escalated(client: httpx.Client) -> str:
    r = client.post("/v1/conversations", json={})
    assert r.status_code == 201, r.text
    cid: str = r.json()["id"]
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": "can I talk to a human?"})
    assert r.status_code == 200, r.text
    assert r.json()["escalated"] is True
    assert r.json()["escalation_reason"] == "customer_requested_human"
    return cid


def _queue_item(
    client: httpx.Client, people: dict[str, dict[str, str]], cid: str, **params: Any
) -> dict[str, Any]:
    offset = 0
    while True:
        r = client.get(
            "/v1/desk/queue",
            params={"limit": 100, "offset": offset, **params},
            headers=_h(people, "agent"),
        )
        assert r.status_code == 200, r.text
        body = r.json()
        for item in body["items"]:
            if item["conversation_id"] == cid:
                return item  # type: ignore[no-any-return]
        offset += 100
        assert offset < body["total"] + 100, f"{cid} not in the queue"


def _events(db: Any, type_: str, conversation_id: str) -> list[LedgerEventRow]:
    with db.read() as s:
        return list(
            s.scalars(
                select(LedgerEventRow)
                .where(
                    LedgerEventRow.type == type_,
                    LedgerEventRow.conversation_id == conversation_id,
                )
                .order_by(LedgerEventRow.seq)
            )
        )


# -- the escalation's life ---------------------------------------------------------------


def test_queue_claim_reply_resolve(
    server: LiveServer, client: httpx.Client, people: dict[str, dict[str, str]]
) -> None:
    cid = _escalated(client)
    agent, agent_id = _h(people, "agent"), people["agent"]["id"]

    item = _queue_item(client, people, cid)
    assert item["status"] == "queued" and item["assigned_to"] is None
    assert item["reason_code"] == "customer_requested_human"
    assert item["reasons"][0]["code"] == "customer_requested_human"
    assert item["summary"].startswith("Customer (api): can I talk to a human?")
    assert item["conversation_mode"] == "human"
    assert item["pending_approvals"] == []
    esc = item["id"]

    # The transcript, redacted, with decisions; the view is in the ledger.
    r = client.get(f"/v1/desk/conversations/{cid}", headers=agent)
    assert r.status_code == 200, r.text
    view = r.json()
    assert [m["role"] for m in view["messages"]] == ["customer", "ai"]
    customer_msg = view["messages"][0]
    assert customer_msg["intent"] == "human_request"
    assert {d["stage"] for d in customer_msg["decisions"]} >= {"privacy", "agent"}
    assert view["escalations"][0]["id"] == esc
    viewed = _events(server.db, "data.viewed", cid)
    assert viewed[-1].actor == people["agent"]["actor"]
    assert viewed[-1].payload["view"] == "desk.conversation"

    # Claim: assigned, human mode; idempotent for the claimer; 409 for another agent.
    r = client.post(f"/v1/desk/escalations/{esc}/claim", headers=agent)
    assert r.status_code == 200, r.text
    assert r.json()["assigned_to"] == agent_id and r.json()["mode"] == "human"
    assert client.post(f"/v1/desk/escalations/{esc}/claim", headers=agent).status_code == 200
    _problem(
        client.post(f"/v1/desk/escalations/{esc}/claim", headers=_h(people, "agent2")),
        409,
        "escalation-claimed",
    )
    assert len(_events(server.db, "desk.claimed", cid)) == 1
    item = _queue_item(client, people, cid)
    assert item["status"] == "claimed" and item["assigned_to"] == agent_id

    # A reply with a card number is stored redacted.
    r = client.post(
        f"/v1/desk/conversations/{cid}/reply",
        json={"text": f"I see your card {CARD} on file. Let me help."},
        headers=agent,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert CARD not in body["text_redacted"] and body["redacted"] is True
    assert "CREDIT_CARD" in body["findings"]
    with server.db.read() as s:
        stored = s.get(Message, uuid.UUID(body["message_id"]))
        assert stored is not None and stored.role == "human"
        assert CARD not in stored.text_redacted and "1111 1111" not in stored.text_redacted
    sent = _events(server.db, "reply.sent", cid)
    assert CARD not in str(sent[-1].payload) and sent[-1].payload["role"] == "human"

    # The second agent may not reply while the first holds it.
    _problem(
        client.post(
            f"/v1/desk/conversations/{cid}/reply",
            json={"text": "me too"},
            headers=_h(people, "agent2"),
        ),
        409,
        "escalation-claimed",
    )
    # Nor resolve it.
    _problem(
        client.post(f"/v1/desk/escalations/{esc}/resolve", json={}, headers=_h(people, "agent2")),
        409,
        "escalation-claimed",
    )

    # Resolve: back to the AI, ledger event with the redacted note.
    r = client.post(
        f"/v1/desk/escalations/{esc}/resolve",
        json={"note": f"customer read card {CARD} to me"},
        headers=agent,
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "resolved"
    assert r.json()["conversation_mode"] == "ai" and r.json()["conversation_status"] == "open"
    with server.db.read() as s:
        e = s.get(Escalation, uuid.UUID(esc))
        conv = s.get(Conversation, uuid.UUID(cid))
        assert e is not None and e.status == "resolved" and e.resolved_at is not None
        assert conv is not None and conv.mode == "ai" and conv.status == "open"
    resolved = _events(server.db, "desk.resolved", cid)
    assert len(resolved) == 1 and CARD not in str(resolved[0].payload)
    _problem(
        client.post(f"/v1/desk/escalations/{esc}/resolve", headers=agent),
        409,
        "escalation-resolved",
    )
    # Not in the default queue any more; listed under status=resolved.
    r = client.get("/v1/desk/queue", params={"limit": 100}, headers=agent)
    assert all(i["id"] != esc for i in r.json()["items"])
    assert _queue_item(client, people, cid, status="resolved")["id"] == esc

    # No open escalation: replying is a conflict.
    _problem(
        client.post(f"/v1/desk/conversations/{cid}/reply", json={"text": "hi"}, headers=agent),
        409,
        "not-escalated",
    )


def test_reply_to_unclaimed_escalation_claims_it(
    server: LiveServer, client: httpx.Client, people: dict[str, dict[str, str]]
) -> None:
    cid = _escalated(client)
    r = client.post(
        f"/v1/desk/conversations/{cid}/reply",
        json={"text": "Hello, I'm Sam from the team."},
        headers=_h(people, "agent2"),
    )
    assert r.status_code == 200, r.text
    assert r.json()["claimed"] is True
    item = _queue_item(client, people, cid)
    assert item["status"] == "claimed" and item["assigned_to"] == people["agent2"]["id"]
    assert _events(server.db, "desk.claimed", cid)[0].payload["auto"] is True


def test_reply_to_a_closed_conversation_is_a_conflict(
    client: httpx.Client, people: dict[str, dict[str, str]]
) -> None:
    cid = _escalated(client)
    assert client.post(f"/v1/conversations/{cid}/close").status_code == 200
    _problem(
        client.post(
            f"/v1/desk/conversations/{cid}/reply", json={"text": "hi"}, headers=_h(people, "agent")
        ),
        409,
        "conversation-closed",
    )
    esc = _queue_item(client, people, cid)["id"]
    _problem(
        client.post(f"/v1/desk/escalations/{esc}/claim", headers=_h(people, "agent")),
        409,
        "conversation-closed",
    )
    # Resolving it still clears the queue; the conversation stays closed.
    r = client.post(f"/v1/desk/escalations/{esc}/resolve", headers=_h(people, "agent"))
    assert r.status_code == 200 and r.json()["conversation_status"] == "closed"


def test_input_validation(client: httpx.Client, people: dict[str, dict[str, str]]) -> None:
    agent = _h(people, "agent")
    unknown = uuid.uuid4()
    _problem(client.get("/v1/desk/conversations/not-a-uuid", headers=agent), 422, "validation")
    _problem(client.get(f"/v1/desk/conversations/{unknown}", headers=agent), 404)
    _problem(
        client.post(f"/v1/desk/escalations/{unknown}/claim", headers=agent),
        404,
        "escalation-not-found",
    )
    _problem(
        client.post(f"/v1/desk/escalations/{unknown}/resolve", headers=agent),
        404,
        "escalation-not-found",
    )
    _problem(client.get("/v1/desk/queue", params={"limit": 101}, headers=agent), 422)
    _problem(client.get("/v1/desk/queue", params={"status": "bogus"}, headers=agent), 422)
    _problem(client.get("/v1/desk/approvals", params={"status": "nope"}, headers=agent), 422)

    # A conversation that never reached the desk is not visible there.
    r = client.post("/v1/conversations", json={})
    plain = r.json()["id"]
    _problem(
        client.get(f"/v1/desk/conversations/{plain}", headers=agent), 404, "conversation-not-found"
    )

    cid = _escalated(client)
    url = f"/v1/desk/conversations/{cid}/reply"
    _problem(client.post(url, json={"text": "   "}, headers=agent), 422, "empty-message")
    _problem(client.post(url, json={"text": "x" * 9000}, headers=agent), 413)
    _problem(client.post(url, json={"text": "hi", "extra": 1}, headers=agent), 422, "validation")
    _problem(client.post(url, json={}, headers=agent), 422, "validation")


# -- corrections -------------------------------------------------------------------------


def test_corrections(
    server: LiveServer, client: httpx.Client, people: dict[str, dict[str, str]]
) -> None:
    cid = _escalated(client)
    with server.db.read() as s:
        msgs = list(
            s.scalars(
                select(Message)
                .where(Message.conversation_id == uuid.UUID(cid))
                .order_by(Message.seq)
            )
        )
    customer_msg, ai_msg = msgs[0], msgs[1]
    assert ai_msg.role == "ai" and customer_msg.intent == "human_request"
    agent = _h(people, "agent")

    r = client.post(
        "/v1/desk/corrections",
        json={
            "message_id": str(ai_msg.id),
            "kind": "wrong_intent",
            "corrected_intent": "card_arrival",
            "note": f"they asked about card {CARD}",
        },
        headers=agent,
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["predicted_intent"] == "human_request"
    assert body["corrected_intent"] == "card_arrival"
    assert CARD not in (body["note"] or "")
    with server.db.read() as s:
        row = s.get(Correction, uuid.UUID(body["id"]))
        assert row is not None and row.message_id == ai_msg.id
        assert row.created_by == uuid.UUID(people["agent"]["id"])
    ledger = _events(server.db, "ai.corrected", cid)
    assert ledger[-1].payload["corrected_intent"] == "card_arrival"

    # Unknown label, missing label, correcting a customer message, unknown message.
    _problem(
        client.post(
            "/v1/desk/corrections",
            json={"message_id": str(ai_msg.id), "kind": "wrong_intent", "corrected_intent": "nope"},
            headers=agent,
        ),
        422,
        "invalid-correction",
    )
    _problem(
        client.post(
            "/v1/desk/corrections",
            json={"message_id": str(ai_msg.id), "kind": "wrong_intent"},
            headers=agent,
        ),
        422,
        "validation",
    )
    _problem(
        client.post(
            "/v1/desk/corrections",
            json={"message_id": str(ai_msg.id), "kind": "wrong_mood"},
            headers=agent,
        ),
        422,
        "validation",
    )
    _problem(
        client.post(
            "/v1/desk/corrections",
            json={
                "message_id": str(customer_msg.id),
                "kind": "wrong_intent",
                "corrected_intent": "card_arrival",
            },
            headers=agent,
        ),
        422,
        "invalid-correction",
    )
    _problem(
        client.post(
            "/v1/desk/corrections",
            json={"message_id": str(uuid.uuid4()), "kind": "wrong_answer"},
            headers=agent,
        ),
        404,
        "message-not-found",
    )
    r = client.post(
        "/v1/desk/corrections",
        json={"message_id": str(ai_msg.id), "kind": "wrong_answer", "note": "too curt"},
        headers=agent,
    )
    assert r.status_code == 201, r.text

    # Drift: counts per pair, for the corrector and (aggregates only) for monitoring.
    r = client.get("/v1/desk/corrections", headers=agent)
    assert r.status_code == 200, r.text
    pairs = {
        (p["kind"], p["predicted_intent"], p["corrected_intent"]): p["count"]
        for p in r.json()["pairs"]
    }
    assert pairs[("wrong_intent", "human_request", "card_arrival")] >= 1
    assert pairs[("wrong_answer", "human_request", None)] >= 1
    assert any(i["id"] == body["id"] for i in r.json()["items"])
    r = client.get("/v1/desk/corrections", params={"kind": "wrong_answer"}, headers=agent)
    assert {i["kind"] for i in r.json()["items"]} == {"wrong_answer"}
    r = client.get("/v1/desk/corrections/drift", headers=_h(people, "supervisor"))
    assert r.status_code == 200, r.text
    assert r.json()["by_kind"]["wrong_intent"] >= 1
    assert "items" not in r.json()
    _problem(client.get("/v1/desk/corrections", headers=_h(people, "supervisor")), 403)


# -- approvals ---------------------------------------------------------------------------


def _pending_approval(server: LiveServer, cid: str, *, expires_in: timedelta) -> uuid.UUID:
    with server.db.write() as s:
        conv = s.get(Conversation, uuid.UUID(cid))
        assert conv is not None
        args = {"address": "<STREET_ADDRESS_7f3a91c2>"}
        approval = Approval(
            conversation_id=conv.id,
            customer_id=conv.customer_id,
            customer_ref="C-1001",
            tool="update_address",
            arguments_redacted=args,
            binding_sha256=binding_sha256("update_address", args, "C-1001"),
            status="pending",
            expires_at=datetime.now(UTC) + expires_in,
            data_category=str(DataCategory.CASE),
        )
        s.add(approval)
        s.flush()
        return approval.id


def test_reject_and_expire_approvals(
    server: LiveServer, client: httpx.Client, people: dict[str, dict[str, str]]
) -> None:
    cid = _escalated(client)
    agent = _h(people, "agent")
    pending = _pending_approval(server, cid, expires_in=timedelta(minutes=30))

    item = _queue_item(client, people, cid)
    assert [a["id"] for a in item["pending_approvals"]] == [str(pending)]
    assert item["pending_approvals"][0]["arguments"] == {"address": "<STREET_ADDRESS_7f3a91c2>"}
    assert len(item["pending_approvals"][0]["binding_sha256"]) == 64
    r = client.get("/v1/desk/approvals", params={"status": "pending", "limit": 100}, headers=agent)
    assert r.status_code == 200
    assert all(a["status"] == "pending" for a in r.json()["items"])

    url = f"/v1/desk/approvals/{pending}/reject"
    _problem(client.post(url, json={}, headers=agent), 422, "validation")
    _problem(client.post(url, json={"comment": "  x "}, headers=agent), 422, "validation")
    r = client.post(url, json={"comment": f"address not verified; card {CARD}"}, headers=agent)
    assert r.status_code == 200, r.text
    assert r.json() == {"approval_id": str(pending), "status": "rejected", "outcome": None}
    with server.db.read() as s:
        row = s.get(Approval, pending)
        assert row is not None and row.status == "rejected"
        assert row.comment is not None and row.comment.startswith("address not verified")
        assert CARD not in row.comment
        assert row.decided_by == uuid.UUID(people["agent"]["id"])
    decided = _events(server.db, "approval.decided", cid)
    assert decided[-1].payload["approval_id"] == str(pending)
    assert decided[-1].payload["status"] == "rejected"
    # Decided once only.
    _problem(
        client.post(f"/v1/desk/approvals/{pending}/approve", json={}, headers=agent),
        409,
        "approval-not-pending",
    )
    _problem(
        client.post(f"/v1/desk/approvals/{uuid.uuid4()}/approve", headers=agent),
        404,
        "approval-not-found",
    )

    expired = _pending_approval(server, cid, expires_in=timedelta(minutes=-1))
    r = client.get("/v1/desk/approvals", params={"status": "pending", "limit": 100}, headers=agent)
    assert next(a for a in r.json()["items"] if a["id"] == str(expired))["expired"] is True
    r = client.post(f"/v1/desk/approvals/{expired}/approve", headers=agent)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "expired" and r.json()["outcome"] is None
    with server.db.read() as s:
        row = s.get(Approval, expired)
        assert row is not None and row.status == "expired"

    view = client.get(f"/v1/desk/conversations/{cid}", headers=agent).json()
    assert {a["status"] for a in view["approvals"]} == {"rejected", "expired"}


# -- who may do what ---------------------------------------------------------------------


def test_supervisor_reads_but_cannot_act(
    client: httpx.Client, people: dict[str, dict[str, str]]
) -> None:
    cid = _escalated(client)
    sup = _h(people, "supervisor")
    assert client.get("/v1/desk/queue", headers=sup).status_code == 200
    assert client.get(f"/v1/desk/conversations/{cid}", headers=sup).status_code == 200
    assert client.get("/v1/desk/approvals", headers=sup).status_code == 200
    esc = _queue_item(client, people, cid)["id"]
    for method, url, body in [
        ("POST", f"/v1/desk/conversations/{cid}/reply", {"text": "hello"}),
        ("POST", f"/v1/desk/escalations/{esc}/claim", None),
        ("POST", f"/v1/desk/escalations/{esc}/resolve", {}),
        ("POST", f"/v1/desk/approvals/{uuid.uuid4()}/approve", {}),
        ("POST", f"/v1/desk/approvals/{uuid.uuid4()}/reject", {"comment": "no way"}),
        ("POST", "/v1/desk/corrections", {"message_id": str(uuid.uuid4()), "kind": "x"}),
    ]:
        r = client.request(method, url, json=body, headers=sup)
        _problem(r, 403, "permission-denied")


def test_customer_and_anonymous_are_refused_everywhere(
    client: httpx.Client, people: dict[str, dict[str, str]]
) -> None:
    cid, some = str(uuid.uuid4()), str(uuid.uuid4())
    routes = [
        ("GET", "/v1/desk/queue", None),
        ("GET", f"/v1/desk/conversations/{cid}", None),
        ("POST", f"/v1/desk/escalations/{some}/claim", None),
        ("POST", f"/v1/desk/conversations/{cid}/reply", {"text": "hi"}),
        ("POST", f"/v1/desk/escalations/{some}/resolve", {}),
        ("GET", "/v1/desk/approvals", None),
        ("POST", f"/v1/desk/approvals/{some}/approve", {}),
        ("POST", f"/v1/desk/approvals/{some}/reject", {"comment": "nope"}),
        ("POST", "/v1/desk/corrections", {"message_id": some, "kind": "wrong_answer"}),
        ("GET", "/v1/desk/corrections", None),
        ("GET", "/v1/desk/corrections/drift", None),
    ]
    for method, url, body in routes:
        r = client.request(method, url, json=body, headers=_h(people, "customer"))
        _problem(r, 403, "permission-denied")
        r = client.request(method, url, json=body)
        _problem(r, 401)
