"""The agent's tool gate against a real Northwind Bank server.

The bank runs in uvicorn on a free port over a fresh, seeded database and trusts the
public half of the key the gate's :class:`ToolTokenIssuer` signs with (made and
exported the way TrustDesk makes them). Every check looks at the bank itself: its
audit table, its cards and its customers' addresses.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from trustdesk.agent.tools import TOOLS, ToolGate, binding_sha256
from trustdesk.bank import BankSettings, create_bank_app, open_bank_db, seed_bank
from trustdesk.bank.models import AddressChange, AuditEntry, BankCard, BankCustomer
from trustdesk.store.db import Database
from trustdesk.tooltokens import ToolTokenIssuer, export_public_key, load_or_create_tool_key

AS_OF = date(2025, 3, 14)
ALICE = "NW-000001"  # one active card
BOB = "NW-000002"  # one active card
NEW_ADDRESS = {
    "line1": "12 Elm Street",
    "postal_code": "62704",
    "city": "Springfield",
    "country": "US",
}


# -- a real bank server (shared with the other agent and API flow tests) -----------------


@dataclass
class BankServer:
    url: str
    db: Database
    data_dir: Path

    def audit_count(self, tool: str | None = None) -> int:
        stmt = select(func.count()).select_from(AuditEntry)
        if tool is not None:
            stmt = stmt.where(AuditEntry.tool == tool)
        with self.db.write() as s:
            return int(s.scalar(stmt) or 0)

    def audit(self, tool: str) -> list[AuditEntry]:
        with self.db.write() as s:
            rows = s.scalars(
                select(AuditEntry).where(AuditEntry.tool == tool).order_by(AuditEntry.id)
            ).all()
            s.expunge_all()
            return list(rows)

    def cards(self, ref: str) -> list[dict[str, Any]]:
        with self.db.write() as s:
            customer = s.scalar(select(BankCustomer).where(BankCustomer.ref == ref))
            assert customer is not None, ref
            rows = s.scalars(
                select(BankCard).where(BankCard.customer_id == customer.id).order_by(BankCard.id)
            ).all()
            return [
                {"id": c.id, "last4": c.last4, "brand": c.brand, "status": c.status} for c in rows
            ]

    def address(self, ref: str) -> str:
        with self.db.write() as s:
            customer = s.scalar(select(BankCustomer).where(BankCustomer.ref == ref))
            assert customer is not None, ref
            return customer.address

    def address_changes(self) -> int:
        with self.db.write() as s:
            return int(s.scalar(select(func.count()).select_from(AddressChange)) or 0)


def free_socket() -> socket.socket:
    """A listening-ready socket bound to a free local port (not yet served)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def serve_bank(
    data_dir: Path, *, customers: int = 6, sock: socket.socket | None = None
) -> Iterator[BankServer]:
    """Seed a bank under ``data_dir`` and serve it; it trusts ``<data_dir>/keys/…pub``.

    The public key must exist already (``export_public_key`` or TrustDesk's
    ``build_tool_gate``). ``sock`` is a socket from :func:`free_socket`, for callers
    that need the URL before the bank starts.
    """
    import uvicorn

    settings = BankSettings(data_dir=data_dir)
    db = open_bank_db(settings)
    seed_bank(db, customers=customers, as_of=AS_OF)
    app = create_bank_app(settings, db=db)
    sock = sock or free_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", ws="none")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield BankServer(url=f"http://127.0.0.1:{port}", db=db, data_dir=data_dir)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        db.dispose()


@contextmanager
def bank_and_gate(data_dir: Path) -> Iterator[tuple[BankServer, ToolGate]]:
    """A bank trusting a fresh tool key, and a gate minting with that key."""
    key = load_or_create_tool_key(data_dir)
    export_public_key(data_dir)
    with serve_bank(data_dir) as bank, httpx.Client(base_url=bank.url, timeout=10) as client:
        yield bank, ToolGate(ToolTokenIssuer(key), client, ttl_seconds=60)


# -- fixtures --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bank_gate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BankServer, ToolGate]]:
    with bank_and_gate(tmp_path_factory.mktemp("gatebank")) as pair:
        yield pair


@pytest.fixture
def bank(bank_gate: tuple[BankServer, ToolGate]) -> BankServer:
    return bank_gate[0]


@pytest.fixture
def gate(bank_gate: tuple[BankServer, ToolGate]) -> ToolGate:
    return bank_gate[1]


# -- reads ------------------------------------------------------------------------------


def test_card_status_returns_only_the_requested_fields(bank: BankServer, gate: ToolGate) -> None:
    before = bank.audit_count("get_card_status")
    out = gate.call(
        "get_card_status", customer_ref=ALICE, conversation_id="c-read", fields=("last4", "status")
    )
    assert out.status == "ok", out
    assert out.status_code == 200
    assert out.fields == ("last4", "status")
    assert out.scope == "cards:read"
    cards = out.data["cards"]
    assert cards, out.data
    assert all(set(card) == {"last4", "status"} for card in cards)
    expected = [{"last4": c["last4"], "status": c["status"]} for c in bank.cards(ALICE)]
    assert cards == expected
    # one allowed audit row, for this customer and conversation
    assert bank.audit_count("get_card_status") == before + 1
    row = bank.audit("get_card_status")[-1]
    assert (row.subject, row.outcome, row.conversation_id) == (ALICE, "allowed", "c-read")


def test_card_status_default_fields_are_the_tool_spec(bank: BankServer, gate: ToolGate) -> None:
    out = gate.call("get_card_status", customer_ref=BOB, conversation_id="c-read")
    assert out.status == "ok", out
    assert out.fields == TOOLS["get_card_status"].fields
    for card in out.data["cards"]:
        assert set(card) == set(TOOLS["get_card_status"].fields)
        assert "expiry" not in card  # the bank can return it, the spec never asks
    assert [c["id"] for c in out.data["cards"]] == [c["id"] for c in bank.cards(BOB)]


def test_a_customer_sees_only_their_own_cards(bank: BankServer, gate: ToolGate) -> None:
    mine = gate.call("get_card_status", customer_ref=ALICE, conversation_id="c-own")
    theirs = {c["id"] for c in bank.cards(BOB)}
    assert mine.status == "ok"
    assert not {c["id"] for c in mine.data["cards"]} & theirs


def test_a_customer_cannot_freeze_another_customers_card(bank: BankServer, gate: ToolGate) -> None:
    bobs = bank.cards(BOB)[0]
    assert bobs["status"] == "active"
    out = gate.call(
        "freeze_card",
        customer_ref=ALICE,
        conversation_id="c-steal",
        arguments={"card_id": bobs["id"]},
    )
    assert out.status == "denied", out
    assert out.status_code == 404
    assert out.reason == "not_found"
    assert out.data is None
    assert bank.cards(BOB)[0]["status"] == "active"
    row = bank.audit("freeze_card")[-1]
    assert (row.subject, row.outcome, row.reason) == (ALICE, "denied", "not_found")


def test_an_unknown_card_is_denied_like_someone_elses(gate: ToolGate) -> None:
    out = gate.call(
        "freeze_card",
        customer_ref=ALICE,
        conversation_id="c-unknown",
        arguments={"card_id": "card_000000000000"},
    )
    assert (out.status, out.status_code, out.reason) == ("denied", 404, "not_found")


def test_freeze_own_card_changes_the_bank(bank: BankServer, gate: ToolGate) -> None:
    ref = "NW-000005"
    card = bank.cards(ref)[0]
    assert card["status"] == "active"
    out = gate.call(
        "freeze_card",
        customer_ref=ref,
        conversation_id="c-freeze",
        arguments={"card_id": card["id"]},
        fields=("last4", "status"),
    )
    assert out.status == "ok", out
    assert out.data["card"] == {"last4": card["last4"], "status": "frozen"}
    assert bank.cards(ref)[0]["status"] == "frozen"


def test_freeze_without_card_id_is_an_error_without_a_bank_call(
    bank: BankServer, gate: ToolGate
) -> None:
    before = bank.audit_count()
    out = gate.call("freeze_card", customer_ref=ALICE, conversation_id="c-noid")
    assert (out.status, out.reason) == ("error", "missing_card_id")
    assert bank.audit_count() == before


def test_list_transactions_is_minimized(gate: ToolGate) -> None:
    out = gate.call(
        "list_transactions",
        customer_ref=ALICE,
        conversation_id="c-txn",
        arguments={"limit": 3},
        fields=("date", "amount"),
    )
    assert out.status == "ok", out
    rows = out.data["transactions"]
    assert 1 <= len(rows) <= 3
    assert all(set(r) == {"date", "amount"} for r in rows)


# -- refusals before any bank call -----------------------------------------------------


def test_an_unknown_field_raises_before_any_call(bank: BankServer, gate: ToolGate) -> None:
    before = bank.audit_count()
    with pytest.raises(ValueError, match="cannot return"):
        gate.call(
            "get_card_status",
            customer_ref=ALICE,
            conversation_id="c-fields",
            fields=("last4", "pan"),
        )
    with pytest.raises(ValueError):
        # the bank could return expiry, but the tool spec does not grant it
        gate.call(
            "get_card_status", customer_ref=ALICE, conversation_id="c-fields", fields=("expiry",)
        )
    assert bank.audit_count() == before


def test_an_unknown_tool_raises(gate: ToolGate) -> None:
    with pytest.raises(KeyError):
        gate.call("close_account", customer_ref=ALICE, conversation_id="c-x")


@pytest.mark.parametrize("ref", [None, ""])
@pytest.mark.parametrize("tool", ["get_card_status", "freeze_card", "update_address"])
def test_no_customer_ref_is_unauthenticated(
    bank: BankServer, gate: ToolGate, tool: str, ref: str | None
) -> None:
    before = bank.audit_count()
    out = gate.call(tool, customer_ref=ref, conversation_id="c-anon", arguments={"card_id": "x"})
    assert out.status == "unauthenticated"
    assert out.reason == "customer_not_verified"
    assert out.binding is None and out.data is None
    assert bank.audit_count() == before


# -- account changes need an approval bound to the exact call ---------------------------


def test_update_address_call_needs_approval_and_makes_no_bank_call(
    bank: BankServer, gate: ToolGate
) -> None:
    before_audit = bank.audit_count()
    before_address = bank.address(ALICE)
    out = gate.call(
        "update_address", customer_ref=ALICE, conversation_id="c-addr", arguments=NEW_ADDRESS
    )
    assert out.status == "approval_required"
    assert out.binding == binding_sha256("update_address", NEW_ADDRESS, ALICE)
    assert len(out.binding) == 64
    assert out.status_code is None and out.data is None
    assert out.record()["binding_sha256"] == out.binding
    assert bank.audit_count() == before_audit
    assert bank.audit_count("update_address") == 0
    assert bank.address(ALICE) == before_address


def test_refund_fee_call_also_needs_approval(bank: BankServer, gate: ToolGate) -> None:
    before = bank.audit_count()
    out = gate.call(
        "refund_fee", customer_ref=ALICE, conversation_id="c-fee", arguments={"fee_id": "fee_1"}
    )
    assert out.status == "approval_required"
    assert out.binding == binding_sha256("refund_fee", {"fee_id": "fee_1"}, ALICE)
    assert bank.audit_count() == before


@pytest.mark.parametrize(
    ("arguments", "customer"),
    [
        pytest.param({**NEW_ADDRESS, "line1": "13 Elm Street"}, ALICE, id="changed-line1"),
        pytest.param({**NEW_ADDRESS, "line2": "Apt 4"}, ALICE, id="added-field"),
        pytest.param({k: v for k, v in NEW_ADDRESS.items() if k != "city"}, ALICE, id="dropped"),
        pytest.param(NEW_ADDRESS, BOB, id="another-customer"),
    ],
)
def test_execute_approved_refuses_anything_but_what_was_approved(
    bank: BankServer, gate: ToolGate, arguments: dict[str, str], customer: str
) -> None:
    approved = gate.call(
        "update_address", customer_ref=ALICE, conversation_id="c-bind", arguments=NEW_ADDRESS
    )
    assert approved.binding is not None
    addresses = {ref: bank.address(ref) for ref in (ALICE, BOB)}
    changes = bank.address_changes()
    before = bank.audit_count()
    out = gate.execute_approved(
        "update_address",
        customer_ref=customer,
        conversation_id="c-bind",
        arguments=arguments,
        approved_binding=approved.binding,
    )
    assert out.status == "denied"
    assert out.reason == "binding_mismatch"
    assert out.binding == binding_sha256("update_address", arguments, customer)
    assert out.binding != approved.binding
    assert out.data is None and out.status_code is None
    assert bank.audit_count() == before  # refused before any token was minted
    assert {ref: bank.address(ref) for ref in (ALICE, BOB)} == addresses
    assert bank.address_changes() == changes


def test_execute_approved_with_the_exact_call_changes_the_address(
    bank: BankServer, gate: ToolGate
) -> None:
    ref = "NW-000006"
    old = bank.address(ref)
    approved = gate.call(
        "update_address", customer_ref=ref, conversation_id="c-exact", arguments=NEW_ADDRESS
    )
    assert approved.binding is not None
    out = gate.execute_approved(
        "update_address",
        customer_ref=ref,
        conversation_id="c-exact",
        arguments=dict(reversed(list(NEW_ADDRESS.items()))),  # key order does not matter
        approved_binding=approved.binding,
    )
    assert out.status == "ok", out
    assert out.status_code == 200
    assert out.binding == approved.binding
    assert out.data["address"]["address"] == "12 Elm Street, 62704 Springfield, US"
    assert bank.address(ref) == "12 Elm Street, 62704 Springfield, US" != old
    row = bank.audit("update_address")[-1]
    assert (row.subject, row.outcome, row.conversation_id) == (ref, "allowed", "c-exact")


def test_execute_approved_resolves_tokens_only_after_the_binding_check(
    bank: BankServer, gate: ToolGate
) -> None:
    """The approval binds the vault token; the value is resolved only to be sent."""
    ref = "NW-000004"
    token_args = {"address": "<STREET_ADDRESS_7f3a91c2>"}
    seen: list[dict[str, Any]] = []

    def resolve(args: Any) -> dict[str, Any]:
        seen.append(dict(args))
        assert args == token_args
        return dict(NEW_ADDRESS, line1="48 Oak Avenue")

    approved = gate.call(
        "update_address", customer_ref=ref, conversation_id="c-tok", arguments=token_args
    )
    assert approved.binding == binding_sha256("update_address", token_args, ref)
    refused = gate.execute_approved(
        "update_address",
        customer_ref=ref,
        conversation_id="c-tok",
        arguments={"address": "<STREET_ADDRESS_00000000>"},
        approved_binding=approved.binding,
        resolve=resolve,
    )
    assert refused.reason == "binding_mismatch"
    assert seen == []  # a refused call never reveals the sealed value
    out = gate.execute_approved(
        "update_address",
        customer_ref=ref,
        conversation_id="c-tok",
        arguments=token_args,
        approved_binding=approved.binding,
        resolve=resolve,
    )
    assert out.status == "ok", out
    assert out.arguments == token_args  # the outcome keeps the token, not the value
    assert "Oak" not in str(out.record())
    assert bank.address(ref) == "48 Oak Avenue, 62704 Springfield, US"


def test_a_resolver_failure_is_an_error_without_a_bank_call(
    bank: BankServer, gate: ToolGate
) -> None:
    args = {"address": "<STREET_ADDRESS_deadbeef>"}
    approved = gate.call(
        "update_address", customer_ref=ALICE, conversation_id="c-r", arguments=args
    )
    assert approved.binding is not None

    def broken(_args: Any) -> dict[str, Any]:
        raise ValueError("not sealed")

    before = bank.audit_count()
    out = gate.execute_approved(
        "update_address",
        customer_ref=ALICE,
        conversation_id="c-r",
        arguments=args,
        approved_binding=approved.binding,
        resolve=broken,
    )
    assert (out.status, out.reason) == ("error", "ValueError")
    assert bank.audit_count() == before


def test_the_bank_validates_approved_arguments(bank: BankServer, gate: ToolGate) -> None:
    """An approved but malformed change is refused by the bank and changes nothing."""
    bad = {**NEW_ADDRESS, "country": "usa"}
    approved = gate.call("update_address", customer_ref=BOB, conversation_id="c-v", arguments=bad)
    assert approved.binding is not None
    old = bank.address(BOB)
    out = gate.execute_approved(
        "update_address",
        customer_ref=BOB,
        conversation_id="c-v",
        arguments=bad,
        approved_binding=approved.binding,
    )
    assert (out.status, out.status_code, out.reason) == ("error", 422, "invalid_request")
    assert bank.address(BOB) == old


# -- failures --------------------------------------------------------------------------


def test_each_call_mints_a_fresh_token(bank: BankServer, gate: ToolGate) -> None:
    for _ in range(3):
        out = gate.call("get_card_status", customer_ref=ALICE, conversation_id="c-jti")
        assert out.status == "ok"
    jtis = [r.token_jti for r in bank.audit("get_card_status") if r.conversation_id == "c-jti"]
    assert len(jtis) == 3 and len(set(jtis)) == 3


def test_an_untrusted_key_is_denied(bank: BankServer) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    with httpx.Client(base_url=bank.url, timeout=10) as client:
        rogue = ToolGate(ToolTokenIssuer(Ed25519PrivateKey.generate()), client)
        out = rogue.call("get_card_status", customer_ref=ALICE, conversation_id="c-rogue")
    assert (out.status, out.status_code, out.reason) == ("denied", 401, "unknown_kid")
    assert out.data is None


def test_an_unknown_customer_is_denied(gate: ToolGate) -> None:
    out = gate.call("get_card_status", customer_ref="NW-999999", conversation_id="c-ghost")
    assert (out.status, out.status_code, out.reason) == ("denied", 404, "customer_not_found")


def test_bank_down_is_an_error_not_an_exception(tmp_path: Path) -> None:
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()  # nothing listens here any more
    issuer = ToolTokenIssuer(load_or_create_tool_key(tmp_path))
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=2) as client:
        gate = ToolGate(issuer, client)
        out = gate.call("get_card_status", customer_ref=ALICE, conversation_id="c-down")
        assert out.status == "error"
        assert out.reason == "ConnectError"
        assert out.data is None
        approved = gate.call(
            "update_address", customer_ref=ALICE, conversation_id="c-down", arguments=NEW_ADDRESS
        )
        assert approved.binding is not None
        done = gate.execute_approved(
            "update_address",
            customer_ref=ALICE,
            conversation_id="c-down",
            arguments=NEW_ADDRESS,
            approved_binding=approved.binding,
        )
        assert (done.status, done.reason, done.binding) == (
            "error",
            "ConnectError",
            approved.binding,
        )


@pytest.mark.parametrize("ttl", [0, 301])
def test_tool_credentials_live_at_most_300_seconds(tmp_path: Path, ttl: int) -> None:
    issuer = ToolTokenIssuer(load_or_create_tool_key(tmp_path))
    with httpx.Client() as client, pytest.raises(ValueError):
        ToolGate(issuer, client, ttl_seconds=ttl)


def test_binding_covers_tool_arguments_and_customer() -> None:
    base = binding_sha256("update_address", NEW_ADDRESS, ALICE)
    assert base == binding_sha256("update_address", dict(sorted(NEW_ADDRESS.items())), ALICE)
    assert base != binding_sha256("refund_fee", NEW_ADDRESS, ALICE)
    assert base != binding_sha256("update_address", NEW_ADDRESS, BOB)
    assert base != binding_sha256("update_address", {**NEW_ADDRESS, "city": "Salem"}, ALICE)
