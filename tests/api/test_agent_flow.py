"""The agent's tools end to end over HTTP, with TrustDesk and the bank both really running.

TrustDesk (``create_app``) and Northwind Bank each run in uvicorn on a free port and
share one data directory: the app's ``build_tool_gate`` creates the tool-signing key
and exports its public half, and the bank, started after the app, trusts exactly that
key. Both are seeded with the same demo customers (``NW-000001`` ...).

One customer goes through the whole story: asks about a card (article and a hint to
verify), verifies with a one-time code (a wrong code counts an attempt; an unknown
customer number is answered alike), asks again (live status from the bank), freezes
the card (frozen at the bank), changes the address (stored only as a vault token,
pending a human's approval), and a human approves (the bank has the new address, the
customer a system message). The ledger records every step and never the raw address
or the code.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from tests.agent.test_tool_gate import BankServer, free_socket, serve_bank
from tests.conftest import LiveServer, _serve, make_settings
from trustdesk.access import Role
from trustdesk.access.service import AccessService
from trustdesk.agent.actions import APPROVAL_REPLY, ASK_ADDRESS_REPLY, VERIFY_HINT
from trustdesk.store.db import Database
from trustdesk.store.models import (
    Approval,
    Conversation,
    LedgerEventRow,
    Message,
    OtpChallenge,
    ToolCall,
)

REF = "NW-000002"  # one active visa card, delivered, in both systems
RAW_ADDRESS = "12 Elm Street, Springfield, IL 62704"
PASSWORD = "Lantern harbour 2026"
TOKEN_RE = re.compile(r"<STREET_ADDRESS_[0-9a-f]{4,32}>")


@dataclass
class Stack:
    app: LiveServer
    bank: BankServer
    state: Any  # the app's AppState
    agent_headers: dict[str, str]


@pytest.fixture(scope="module")
def stack(fresh_database: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    from trustdesk.api import create_app
    from trustdesk.demo.seed import seed_demo
    from trustdesk.privacy.vault import load_master_key

    data_dir = tmp_path_factory.mktemp("flow")
    bank_sock = free_socket()  # the bank's port is known before the app is built
    bank_url = f"http://127.0.0.1:{bank_sock.getsockname()[1]}"
    settings = make_settings(data_dir, fresh_database, agent={"bank_url": bank_url})
    app = create_app(settings, db=fresh_database)  # creates and exports the tool key
    if not any(getattr(r, "path", "").startswith("/v1/desk") for r in app.routes):
        from trustdesk.api.routes import desk  # until app.py includes the desk router

        app.include_router(desk.router)
    with fresh_database.write() as s:
        seed_demo(s, master_key=load_master_key(data_dir), tenant=settings.tenant, count=3)
    access = AccessService(fresh_database)
    name = f"approver{uuid.uuid4().hex[:6]}"
    access.create_user(username=name, display_name="Approver", role=Role.AGENT, password=PASSWORD)
    headers = {"Authorization": f"Bearer {access.login(name, PASSWORD).token}"}
    gate = app.state.trustdesk.approvals.gate
    try:
        with serve_bank(data_dir, customers=3, sock=bank_sock) as bank:
            for live in _serve(app, settings, fresh_database):
                yield Stack(live, bank, app.state.trustdesk, headers)
    finally:
        # The app's lifespan leaves the gate's HTTP client open (see
        # test_app_shutdown_closes_the_tool_gate_client); close its keep-alive socket
        # here so it does not surface as an unraisable ResourceWarning.
        gate.client.close()


@pytest.fixture(scope="module")
def client(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.app.url, timeout=30) as c:
        yield c


def say(client: httpx.Client, cid: str, text: str) -> dict[str, Any]:
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": text})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def tool_calls(db: Database, cid: str) -> list[tuple[str, str]]:
    with db.write() as s:
        rows = s.scalars(
            select(ToolCall)
            .where(ToolCall.conversation_id == uuid.UUID(cid))
            .order_by(ToolCall.created_at)
        ).all()
        return [(r.tool, r.outcome) for r in rows]


def ledger(db: Database, cid: str | None = None) -> list[LedgerEventRow]:
    with db.write() as s:
        stmt = select(LedgerEventRow).order_by(LedgerEventRow.seq)
        if cid is not None:
            stmt = stmt.where(LedgerEventRow.conversation_id == cid)
        rows = list(s.scalars(stmt).all())
        s.expunge_all()
        return rows


def test_the_whole_flow(stack: Stack, client: httpx.Client) -> None:
    db, bank = stack.app.db, stack.bank
    card = bank.cards(REF)[0]
    assert card["status"] == "active"
    old_address = bank.address(REF)

    r = client.post("/v1/conversations", json={})
    assert r.status_code == 201, r.text
    cid = r.json()["id"]

    # 1. Unverified: the article, a hint to verify, no tool.
    first = say(client, cid, "When will my new card arrive?")
    assert first["reply"]["role"] == "ai"
    assert first["reply"]["citation"] == "card_delivery"
    assert first["reply"]["text"].endswith(VERIFY_HINT)
    assert card["last4"] not in first["reply"]["text"]
    assert tool_calls(db, cid) == []
    assert bank.audit_count() == 0

    # 2. Verification: an unknown number is answered exactly like a known one.
    unknown = client.post(
        f"/v1/conversations/{cid}/verification", json={"customer_ref": "NW-999999"}
    )
    known = client.post(f"/v1/conversations/{cid}/verification", json={"customer_ref": REF.lower()})
    assert unknown.status_code == known.status_code == 200, (unknown.text, known.text)
    answer = known.json()
    code = answer.pop("demo_code")  # demo mode only: there is no SMS gateway
    assert re.fullmatch(r"\d{6}", code)
    assert "demo_code" not in unknown.json()
    assert unknown.json() == answer

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    bad = client.post(f"/v1/conversations/{cid}/verification/confirm", json={"code": wrong})
    assert bad.status_code == 403, bad.text
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert "4 attempt" in bad.json()["detail"]
    with db.write() as s:
        otp = s.scalars(
            select(OtpChallenge).where(OtpChallenge.conversation_id == uuid.UUID(cid))
        ).all()
        open_ = [o for o in otp if o.consumed_at is None]
        assert [o.attempts for o in open_] == [1]
        assert len(open_[0].code_sha256) == 64 and open_[0].salt  # salted hash only
    ok = client.post(f"/v1/conversations/{cid}/verification/confirm", json={"code": code})
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"verified": True, "customer_ref_last4": REF[-4:]}
    again = client.post(f"/v1/conversations/{cid}/verification/confirm", json={"code": code})
    assert again.status_code == 409  # the code is used up
    with db.write() as s:
        conv = s.get(Conversation, uuid.UUID(cid))
        assert conv is not None and conv.authenticated_ref == REF

    # 3. Verified: the live status from the bank.
    live = say(client, cid, "When will my new card arrive?")
    assert live["reply"]["text"].startswith("I checked for you:")
    assert f"ending {card['last4']} is active" in live["reply"]["text"]
    assert VERIFY_HINT not in live["reply"]["text"]
    assert tool_calls(db, cid) == [("get_card_status", "ok")]
    assert bank.audit("get_card_status")[-1].conversation_id == cid
    assert bank.audit("get_card_status")[-1].subject == REF

    # 4. Freeze: frozen at the bank.
    frozen = say(client, cid, "I lost my card")
    assert f"frozen your card ending {card['last4']}" in frozen["reply"]["text"]
    assert bank.cards(REF)[0]["status"] == "frozen"
    assert tool_calls(db, cid)[-2:] == [("get_card_status", "ok"), ("freeze_card", "ok")]

    # 5. Address: asked for, then typed; only a vault token is stored.
    asked = say(client, cid, "I want to change my address")
    assert asked["reply"]["text"] == ASK_ADDRESS_REPLY
    assert asked["escalated"] is False
    typed = say(client, cid, RAW_ADDRESS)
    token = TOKEN_RE.fullmatch(typed["redacted_text"].strip())
    assert token is not None, typed["redacted_text"]
    assert typed["reply"]["text"] == APPROVAL_REPLY
    assert typed["escalated"] is False
    assert typed["escalation_reason"] == "approval_required"
    assert tool_calls(db, cid)[-1] == ("update_address", "approval_required")
    assert bank.audit_count("update_address") == 0
    assert bank.address(REF) == old_address
    with db.write() as s:
        texts = [
            m.text_redacted
            for m in s.scalars(select(Message).where(Message.conversation_id == uuid.UUID(cid)))
        ]
        assert token.group() in texts
        assert not any("Elm Street" in t or "62704" in t for t in texts)
        (approval,) = s.scalars(
            select(Approval).where(Approval.conversation_id == uuid.UUID(cid))
        ).all()
        assert approval.status == "pending"
        assert approval.tool == "update_address"
        assert approval.arguments_redacted == {"address": token.group()}
        assert approval.customer_ref == REF
        approval_id = str(approval.id)

    pending = client.get(
        "/v1/desk/approvals", params={"status": "pending"}, headers=stack.agent_headers
    )
    assert pending.status_code == 200, pending.text
    assert approval_id in pending.text
    assert "Elm Street" not in pending.text

    # 6. A human approves: the bank has the typed address, the customer a system message.
    r = client.post(
        f"/v1/desk/approvals/{approval_id}/approve", json={}, headers=stack.agent_headers
    )
    assert r.status_code == 200, r.text
    decided = r.json()
    assert decided["status"] == "executed", decided
    assert decided["outcome"]["status"] == "ok"
    assert "Elm" not in json.dumps(decided)
    assert bank.address(REF) == "12 Elm Street, 62704 Springfield, IL, US"
    change = bank.audit("update_address")[-1]
    assert (change.subject, change.outcome, change.conversation_id) == (REF, "allowed", cid)
    twice = client.post(
        f"/v1/desk/approvals/{approval_id}/approve", json={}, headers=stack.agent_headers
    )
    assert twice.status_code == 409
    assert bank.audit_count("update_address") == 1

    view = client.get(f"/v1/conversations/{cid}").json()
    last = view["messages"][-1]
    assert last["role"] == "system"
    assert "approved" in last["text"]

    # 7. The ledger: every step, never the raw address or the code.
    events = ledger(db, cid)
    types = [e.type for e in events]
    for expected in (
        "tool.called",
        "approval.requested",
        "approval.decided",
        "verification.code_sent",
        "verification.failed",
        "verification.succeeded",
    ):
        assert expected in types, (expected, types)
    failed = [e.payload for e in events if e.type == "verification.failed"]
    assert {"reason": "unknown_customer_ref"} in failed
    assert {"reason": "wrong_code", "attempts": 1} in failed
    requested = next(e for e in events if e.type == "approval.requested")
    assert requested.payload["arguments"] == {"address": token.group()}
    assert requested.payload["binding_sha256"] == approval.binding_sha256
    decided_event = next(e for e in events if e.type == "approval.decided")
    assert decided_event.payload["status"] == "approved"
    executed = [e for e in events if e.type == "tool.called" and "approval_id" in e.payload]
    assert [e.payload["status"] for e in executed] == ["ok"]
    assert [e.payload["tool"] for e in events if e.type == "tool.called"] == [
        "get_card_status",
        "get_card_status",
        "freeze_card",
        "update_address",
    ]

    code_re = re.compile(rf"(?<![0-9A-Za-z]){code}(?![0-9A-Za-z])")
    for event in ledger(db):
        blob = json.dumps([event.payload, event.reasons], ensure_ascii=False)
        for raw in ("Elm Street", "Springfield", "62704"):
            assert raw not in blob, (event.type, blob)
        assert not code_re.search(blob), (event.type, blob)


def test_a_stranger_cannot_confirm_without_a_code(stack: Stack, client: httpx.Client) -> None:
    """No open challenge (only an unknown number was given): confirming is refused."""
    cid = client.post("/v1/conversations", json={}).json()["id"]
    r = client.post(f"/v1/conversations/{cid}/verification", json={"customer_ref": "NW-424242"})
    assert r.status_code == 200
    assert "demo_code" not in r.json()
    guess = client.post(f"/v1/conversations/{cid}/verification/confirm", json={"code": "123456"})
    assert guess.status_code == 409
    freeze = say(client, cid, "I lost my card")
    assert freeze["reply"]["text"].startswith("I can do that for you once you've verified")
    assert tool_calls(stack.app.db, cid) == []


def verified_conversation(client: httpx.Client, ref: str) -> str:
    cid: str = client.post("/v1/conversations", json={}).json()["id"]
    r = client.post(f"/v1/conversations/{cid}/verification", json={"customer_ref": ref})
    assert r.status_code == 200, r.text
    ok = client.post(
        f"/v1/conversations/{cid}/verification/confirm", json={"code": r.json()["demo_code"]}
    )
    assert ok.status_code == 200, ok.text
    return cid


def pending_address_change(db: Database, client: httpx.Client, cid: str, raw: str) -> Approval:
    assert say(client, cid, "I need to update my postal address")["reply"]["text"] == (
        ASK_ADDRESS_REPLY
    )
    assert say(client, cid, raw)["reply"]["text"] == APPROVAL_REPLY
    with db.write() as s:
        (approval,) = s.scalars(
            select(Approval).where(Approval.conversation_id == uuid.UUID(cid))
        ).all()
        s.expunge(approval)
    assert approval.status == "pending"
    return approval


def test_a_rejected_change_never_reaches_the_bank(stack: Stack, client: httpx.Client) -> None:
    db, bank, ref = stack.app.db, stack.bank, "NW-000001"
    old = bank.address(ref)
    cid = verified_conversation(client, ref)
    approval = pending_address_change(db, client, cid, "48 Oak Avenue, Portland, OR 97205")
    before = bank.audit_count()
    r = client.post(
        f"/v1/desk/approvals/{approval.id}/reject",
        json={"comment": "The customer asked us to wait."},
        headers=stack.agent_headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "rejected" and r.json()["outcome"] is None
    assert bank.audit_count() == before
    assert bank.address(ref) == old
    last = client.get(f"/v1/conversations/{cid}").json()["messages"][-1]
    assert last["role"] == "system" and "could not approve" in last["text"]
    late = client.post(
        f"/v1/desk/approvals/{approval.id}/approve", json={}, headers=stack.agent_headers
    )
    assert late.status_code == 409
    assert bank.address(ref) == old


def test_an_approval_tampered_with_in_the_database_is_not_executed(
    stack: Stack, client: httpx.Client
) -> None:
    """What runs must be what was approved: changed arguments fail the binding."""
    from sqlalchemy import update

    db, bank, ref = stack.app.db, stack.bank, "NW-000003"
    old = bank.address(ref)
    cid = verified_conversation(client, ref)
    approval = pending_address_change(db, client, cid, "7 Birch Road, Salem, OR 97301")
    with db.write() as s:
        s.execute(
            update(Approval)
            .where(Approval.id == approval.id)
            .values(arguments_redacted={"address": "<STREET_ADDRESS_00000000>"})
        )
    before = bank.audit_count()
    r = client.post(
        f"/v1/desk/approvals/{approval.id}/approve", json={}, headers=stack.agent_headers
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "failed"
    assert (body["outcome"]["status"], body["outcome"]["reason"]) == ("denied", "binding_mismatch")
    assert body["outcome"]["binding_sha256"] != approval.binding_sha256
    assert bank.audit_count() == before
    assert bank.address(ref) == old
    assert tool_calls(db, cid)[-1] == ("update_address", "denied")
    last = client.get(f"/v1/conversations/{cid}").json()["messages"][-1]
    assert last["role"] == "system" and "could not complete" in last["text"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "12 Elm Street, Springfield, IL 62704",
            {"line1": "12 Elm Street", "postal_code": "62704", "city": "Springfield"},
        ),
        (
            "12 Elm Street\nSpringfield, IL 62704",
            {"line1": "12 Elm Street", "postal_code": "62704", "city": "Springfield"},
        ),
        (
            "48 Oak Avenue, Portland, OR 97205-1234",
            {"line1": "48 Oak Avenue", "postal_code": "97205-1234", "city": "Portland"},
        ),
        (
            "10 Downing Street, London, SW1A 2AA",
            {"line1": "10 Downing Street", "postal_code": "SW1A 2AA", "city": "London"},
        ),
        pytest.param(
            "12 Elm Street, Springfield, IL 62704",
            {"region": "IL"},
            id="us-state-kept",
        ),
        pytest.param(
            "Flat 3, 10 Downing Street, London SW1A 2AA",
            {"line1": "Flat 3", "line2": "10 Downing Street", "city": "London"},
            id="two-line-street",
        ),
    ],
)
def test_address_fields(raw: str, expected: dict[str, str]) -> None:
    from trustdesk.approvals import address_fields

    fields = address_fields(raw)
    assert {k: fields.get(k) for k in expected} == expected
    assert fields["country"] == "US"


def test_app_shutdown_closes_the_tool_gate_client(
    fresh_database: Database, tmp_path_factory: pytest.TempPathFactory
) -> None:
    import asyncio

    from trustdesk.api import create_app

    settings = make_settings(
        tmp_path_factory.mktemp("shutdown"),
        fresh_database,
        agent={"bank_url": "http://127.0.0.1:9"},
    )
    app = create_app(settings, db=fresh_database)
    gate = app.state.trustdesk.approvals.gate
    assert gate is not None

    async def start_and_stop() -> None:
        async with app.router.lifespan_context(app):
            pass

    try:
        asyncio.run(start_and_stop())
        assert gate.client.is_closed
    finally:
        gate.client.close()
