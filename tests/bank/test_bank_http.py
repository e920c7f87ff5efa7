"""The bank over real HTTP: scopes, the token's customer only, field minimization, audit."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from tests.bank.conftest import BankServer
from trustdesk.bank.models import (
    AddressChange,
    AuditEntry,
    BankAccount,
    BankCard,
    BankCustomer,
    BankTransaction,
    Dispute,
    FeeRecord,
)
from trustdesk.tooltokens import ToolTokenIssuer

A, B = "NW-000001", "NW-000002"
CARD_READ = ("get_card_status", "cards:read")
FREEZE = ("freeze_card", "cards:freeze")
ALL_CARD_FIELDS = ["id", "last4", "brand", "status", "expiry", "delivery_status"]


@pytest.fixture(scope="module")
def client(bank: BankServer) -> Any:
    with httpx.Client(base_url=bank.url, timeout=30) as c:
        yield c


def cards_of(bank: BankServer, client: httpx.Client, subject: str) -> list[dict[str, Any]]:
    r = client.get("/v1/cards", headers=bank.auth(*CARD_READ, ALL_CARD_FIELDS, subject=subject))
    assert r.status_code == 200, r.text
    cards: list[dict[str, Any]] = r.json()["cards"]
    return cards


def audit_for(bank: BankServer, jti: str) -> list[AuditEntry]:
    with bank.db.read() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.token_jti == jti)))


def _jti(token: str) -> str:
    import base64
    import json

    body = token.split(".")[1]
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return str(payload["jti"])


def last_audit(bank: BankServer) -> AuditEntry:
    with bank.db.read() as s:
        row = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    assert row is not None
    return row


def assert_problem(r: httpx.Response, status: int, reason: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status and body["reason"] == reason
    assert {"type", "title", "detail"} <= body.keys()


def test_healthz(client: httpx.Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_only_the_fields_the_token_grants(bank: BankServer, client: httpx.Client) -> None:
    r = client.get("/v1/cards", headers=bank.auth(*CARD_READ, ["last4", "status"]))
    assert r.status_code == 200
    cards = r.json()["cards"]
    assert cards and all(set(card) == {"last4", "status"} for card in cards)


def test_fields_the_endpoint_does_not_have_are_ignored(
    bank: BankServer, client: httpx.Client
) -> None:
    fields = ["last4", "iban", "balance", "name", "date_of_birth", "card_number"]
    r = client.get("/v1/cards", headers=bank.auth(*CARD_READ, fields))
    assert all(set(card) == {"last4"} for card in r.json()["cards"])
    r = client.get("/v1/cards", headers=bank.auth(*CARD_READ, []))
    assert all(card == {} for card in r.json()["cards"])


def test_a_token_for_a_reads_only_a(bank: BankServer, client: httpx.Client) -> None:
    ids_a = {c["id"] for c in cards_of(bank, client, A)}
    ids_b = {c["id"] for c in cards_of(bank, client, B)}
    with bank.db.read() as s:
        a = s.scalars(select(BankCustomer).where(BankCustomer.ref == A)).one()
        expected_a = set(s.scalars(select(BankCard.id).where(BankCard.customer_id == a.id)))
    assert ids_a == expected_a and ids_a and ids_b and not ids_a & ids_b


def test_a_cannot_freeze_bs_card_and_it_is_audited(bank: BankServer, client: httpx.Client) -> None:
    card_b = cards_of(bank, client, B)[0]
    token = bank.token(*FREEZE, ["status"], subject=A)
    r = client.post(
        f"/v1/cards/{card_b['id']}/freeze", headers={"Authorization": f"Bearer {token}"}
    )
    assert_problem(r, 404, "not_found")
    # Indistinguishable from a card that does not exist.
    r2 = client.post("/v1/cards/card_000000000000/freeze", headers=bank.auth(*FREEZE, ["status"]))
    assert_problem(r2, 404, "not_found")
    assert r.json()["detail"] == r2.json()["detail"]
    assert cards_of(bank, client, B)[0]["status"] == card_b["status"]
    [row] = audit_for(bank, _jti(token))
    assert (row.tool, row.scope, row.subject) == ("freeze_card", "cards:freeze", A)
    assert (row.outcome, row.reason, row.status_code) == ("denied", "not_found", 404)


def test_a_read_token_cannot_freeze(bank: BankServer, client: httpx.Client) -> None:
    card = cards_of(bank, client, A)[0]
    url = f"/v1/cards/{card['id']}/freeze"

    read_token = bank.token(*CARD_READ, ["status"])
    r = client.post(url, headers={"Authorization": f"Bearer {read_token}"})
    assert_problem(r, 403, "scope_denied")
    assert 'error="insufficient_scope"' in r.headers["www-authenticate"]

    # Minted for the freeze tool but granted only cards:read: still refused.
    narrow = bank.token("freeze_card", "cards:read", ["status"])
    r = client.post(url, headers={"Authorization": f"Bearer {narrow}"})
    assert_problem(r, 403, "scope_denied")
    # The right scope for another tool.
    wrong_tool = bank.token("get_card_status", "cards:freeze", ["status"])
    r = client.post(url, headers={"Authorization": f"Bearer {wrong_tool}"})
    assert_problem(r, 403, "tool_mismatch")

    assert {c["id"]: c["status"] for c in cards_of(bank, client, A)}[card["id"]] == card["status"]
    for token, reason in (
        (read_token, "scope_denied"),
        (narrow, "scope_denied"),
        (wrong_tool, "tool_mismatch"),
    ):
        [row] = audit_for(bank, _jti(token))
        assert (row.outcome, row.reason, row.subject, row.tool) == (
            "denied",
            reason,
            A,
            "freeze_card",
        )


def test_freeze_changes_state(bank: BankServer, client: httpx.Client) -> None:
    with bank.db.read() as s:
        card = s.scalars(
            select(BankCard).where(BankCard.status == "active").order_by(BankCard.id)
        ).first()
        assert card is not None
        owner = s.get(BankCustomer, card.customer_id)
        assert owner is not None
    token = bank.token(*FREEZE, ["id", "status"], subject=owner.ref)
    r = client.post(f"/v1/cards/{card.id}/freeze", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    assert r.json() == {"card": {"id": card.id, "status": "frozen"}, "changed": True}
    with bank.db.read() as s:
        stored = s.get(BankCard, card.id)
        assert stored is not None and stored.status == "frozen" and stored.frozen_at is not None
    [row] = audit_for(bank, _jti(token))
    assert (row.outcome, row.reason, row.status_code, row.subject) == (
        "allowed",
        "ok",
        200,
        owner.ref,
    )
    assert row.conversation_id == "conv-test"
    # Idempotent.
    r = client.post(
        f"/v1/cards/{card.id}/freeze", headers=bank.auth(*FREEZE, ["status"], subject=owner.ref)
    )
    assert r.json() == {"card": {"status": "frozen"}, "changed": False}


def test_lost_card_cannot_be_frozen(bank: BankServer, client: httpx.Client) -> None:
    with bank.db.write() as s:
        card = s.scalars(select(BankCard).order_by(BankCard.id.desc())).first()
        assert card is not None
        card.status = "lost"
        owner = s.get(BankCustomer, card.customer_id)
        assert owner is not None
        ref, card_id = owner.ref, card.id
    r = client.post(
        f"/v1/cards/{card_id}/freeze", headers=bank.auth(*FREEZE, ["status"], subject=ref)
    )
    assert_problem(r, 409, "card_not_active")


def test_token_failures_are_401_problems_and_audited(
    bank: BankServer, client: httpx.Client
) -> None:
    past = ToolTokenIssuer(bank.key, clock=lambda: 1_000_000_000.0)
    expired = past.mint(
        audience="northwind-core-banking",
        subject=A,
        tool="get_card_status",
        scope="cards:read",
        fields=["last4"],
        conversation_id="c",
    )
    head, body, sig = bank.token(*CARD_READ, ["last4"]).split(".")
    tampered_sig = f"{head}.{body}.{'A' if sig[0] != 'A' else 'B'}{sig[1:]}"
    stranger = ToolTokenIssuer(Ed25519PrivateKey.generate()).mint(
        audience="northwind-core-banking",
        subject=A,
        tool="get_card_status",
        scope="cards:read",
        fields=["last4"],
        conversation_id="c",
    )
    cases = [
        ({"Authorization": f"Bearer {expired}"}, "token_expired"),
        (bank.auth(*CARD_READ, ["last4"], audience="trustdesk-api"), "wrong_audience"),
        ({"Authorization": f"Bearer {tampered_sig}"}, "bad_signature"),
        ({"Authorization": f"Bearer {stranger}"}, "unknown_kid"),
        ({"Authorization": "Bearer bm90.YQ.YQ"}, "bad_json"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "malformed"),
        ({}, "missing_token"),
    ]
    for headers, reason in cases:
        before = last_audit(bank).id
        r = client.get("/v1/cards", headers=headers)
        assert_problem(r, 401, reason)
        assert r.headers["www-authenticate"].startswith("Bearer")
        row = last_audit(bank)
        assert row.id > before
        assert (row.tool, row.outcome, row.reason, row.subject) == (
            "get_card_status",
            "denied",
            reason,
            None,
        )


def test_replayed_token(bank: BankServer, client: httpx.Client) -> None:
    token = bank.token(*CARD_READ, ["last4"])
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/v1/cards", headers=headers).status_code == 200
    assert_problem(client.get("/v1/cards", headers=headers), 401, "replayed")
    rows = audit_for(bank, _jti(token))
    assert [(r.outcome, r.reason) for r in rows] == [("allowed", "ok"), ("denied", "replayed")]


def test_transactions(bank: BankServer, client: httpx.Client) -> None:
    fields = ["id", "date", "merchant", "amount", "currency"]
    r = client.get(
        "/v1/transactions",
        params={"limit": 5},
        headers=bank.auth("list_transactions", "transactions:read", fields),
    )
    assert r.status_code == 200, r.text
    txns = r.json()["transactions"]
    assert len(txns) == 5 and all(set(t) == set(fields) for t in txns)
    assert [t["date"] for t in txns] == sorted((t["date"] for t in txns), reverse=True)
    assert all(t["amount"].startswith("-") for t in txns)
    with bank.db.read() as s:
        a = s.scalars(select(BankCustomer).where(BankCustomer.ref == A)).one()
        own = set(s.scalars(select(BankTransaction.id).where(BankTransaction.customer_id == a.id)))
    assert {t["id"] for t in txns} <= own

    token = bank.token("list_transactions", "transactions:read", ["id"])
    r = client.get(
        "/v1/transactions", params={"limit": 51}, headers={"Authorization": f"Bearer {token}"}
    )
    assert_problem(r, 422, "invalid_request")
    [row] = audit_for(bank, _jti(token))
    assert (row.outcome, row.reason, row.subject) == ("denied", "invalid_request", A)


def test_dispute(bank: BankServer, client: httpx.Client) -> None:
    with bank.db.read() as s:
        a = s.scalars(select(BankCustomer).where(BankCustomer.ref == A)).one()
        b = s.scalars(select(BankCustomer).where(BankCustomer.ref == B)).one()
        own = s.scalars(
            select(BankTransaction.id).where(BankTransaction.customer_id == a.id).limit(1)
        ).one()
        theirs = s.scalars(
            select(BankTransaction.id).where(BankTransaction.customer_id == b.id).limit(1)
        ).one()
    tool = ("start_dispute", "disputes:create")
    body = {"transaction_id": own, "reason": "I did not make this purchase"}
    r = client.post("/v1/disputes", json=body, headers=bank.auth(*tool, ["id", "status"]))
    assert r.status_code == 201, r.text
    dispute = r.json()["dispute"]
    assert set(dispute) == {"id", "status"} and dispute["status"] == "open"
    with bank.db.read() as s:
        stored = s.get(Dispute, dispute["id"])
        assert stored is not None and stored.customer_id == a.id
        assert stored.transaction_id == own and stored.conversation_id == "conv-test"

    again = client.post("/v1/disputes", json=body, headers=bank.auth(*tool, ["id"]))
    assert_problem(again, 409, "already_disputed")
    other = client.post(
        "/v1/disputes",
        json={"transaction_id": theirs, "reason": "not mine"},
        headers=bank.auth(*tool, ["id"]),
    )
    assert_problem(other, 404, "not_found")
    # A body cannot name another customer.
    extra = client.post(
        "/v1/disputes",
        json={"transaction_id": theirs, "reason": "not mine", "customer": B},
        headers=bank.auth(*tool, ["id"]),
    )
    assert_problem(extra, 422, "invalid_request")


def test_address_update_is_recorded(bank: BankServer, client: httpx.Client) -> None:
    with bank.db.read() as s:
        before = s.scalars(select(BankCustomer).where(BankCustomer.ref == B)).one()
    new = {
        "line1": "12 Harbour Road",
        "postal_code": "94105",
        "city": "San Francisco",
        "region": "CA",
        "country": "US",
    }
    token = bank.token(
        "update_address", "profile:address:write", ["address"], subject=B, conversation_id="c-9"
    )
    r = client.put("/v1/address", json=new, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    formatted = "12 Harbour Road, 94105 San Francisco, CA, US"
    assert r.json() == {"address": {"address": formatted}}
    with bank.db.read() as s:
        after = s.get(BankCustomer, before.id)
        assert after is not None and after.address == formatted
        [change] = s.scalars(
            select(AddressChange).where(AddressChange.customer_id == before.id)
        ).all()
    assert (change.old_address, change.new_address) == (before.address, formatted)
    assert (change.conversation_id, change.token_jti) == ("c-9", _jti(token))
    [row] = audit_for(bank, _jti(token))
    assert (row.tool, row.outcome, row.subject) == ("update_address", "allowed", B)

    bad = client.put(
        "/v1/address",
        json={**new, "customer_ref": A},
        headers=bank.auth("update_address", "profile:address:write", ["address"], subject=B),
    )
    assert_problem(bad, 422, "invalid_request")


def test_refund_fee(bank: BankServer, client: httpx.Client) -> None:
    with bank.db.read() as s:
        fee = s.scalars(
            select(FeeRecord).where(FeeRecord.refunded.is_(False)).order_by(FeeRecord.id)
        ).first()
        assert fee is not None
        owner = s.get(BankCustomer, fee.customer_id)
        account = s.get(BankAccount, fee.account_id)
        assert owner is not None and account is not None
        other = s.scalars(
            select(FeeRecord).where(FeeRecord.customer_id != fee.customer_id).limit(1)
        ).one()
    tool = ("refund_fee", "fees:refund")
    fields = ["id", "refunded", "amount"]
    r = client.post(
        f"/v1/fees/{fee.id}/refund", headers=bank.auth(*tool, fields, subject=owner.ref)
    )
    assert r.status_code == 200, r.text
    assert r.json()["fee"]["refunded"] is True and set(r.json()["fee"]) == set(fields)
    with bank.db.read() as s:
        credited = s.get(BankAccount, account.id)
        assert credited is not None
        assert credited.balance_cents == account.balance_cents + fee.amount_cents
    again = client.post(
        f"/v1/fees/{fee.id}/refund", headers=bank.auth(*tool, fields, subject=owner.ref)
    )
    assert_problem(again, 409, "already_refunded")
    theirs = client.post(
        f"/v1/fees/{other.id}/refund", headers=bank.auth(*tool, fields, subject=owner.ref)
    )
    assert_problem(theirs, 404, "not_found")


def test_unknown_customer(bank: BankServer, client: httpx.Client) -> None:
    r = client.get("/v1/cards", headers=bank.auth(*CARD_READ, ["last4"], subject="NW-999999"))
    assert_problem(r, 404, "customer_not_found")
