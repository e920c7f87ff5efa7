"""The bank's seed: deterministic, synthetic-only, and the same customers as TrustDesk's."""

from __future__ import annotations

import json
import re
import secrets
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from stdnum import iban

from trustdesk.bank import BankSettings, open_bank_db, seed_bank, synthetic
from trustdesk.bank.models import (
    BankAccount,
    BankCard,
    BankCustomer,
    BankTransaction,
    FeeRecord,
)
from trustdesk.demo import seed as demo_seed
from trustdesk.privacy.vault import SqlVault
from trustdesk.store.db import Database, upgrade
from trustdesk.store.models import Account, Card, Customer

AS_OF = date(2025, 3, 14)
COUNT = 24


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    with db.read() as s:
        return {
            "customers": [
                (c.ref, c.name, c.email, c.phone, c.address, c.date_of_birth, c.jurisdiction)
                for c in s.scalars(select(BankCustomer).order_by(BankCustomer.ref))
            ],
            "accounts": [
                (a.customer_id, a.number, a.kind, a.iban, a.currency, a.balance_cents)
                for a in s.scalars(select(BankAccount).order_by(BankAccount.id))
            ],
            "cards": [
                (c.id, c.customer_id, c.last4, c.brand, c.status, c.delivery_status)
                for c in s.scalars(select(BankCard).order_by(BankCard.id))
            ],
            "transactions": [
                (t.id, t.customer_id, t.booked_on, t.merchant, t.amount_cents, t.card_id)
                for t in s.scalars(select(BankTransaction).order_by(BankTransaction.id))
            ],
            "fees": [
                (f.id, f.customer_id, f.kind, f.amount_cents, f.refunded)
                for f in s.scalars(select(FeeRecord).order_by(FeeRecord.id))
            ],
        }


def seeded(path: Path, **kw: Any) -> Database:
    db = open_bank_db(BankSettings(data_dir=path))
    report = seed_bank(db, customers=COUNT, as_of=AS_OF, **kw)
    assert not report.skipped and report.customers == COUNT
    return db


def test_seed_is_deterministic(tmp_path: Path) -> None:
    one, two = seeded(tmp_path / "one"), seeded(tmp_path / "two")
    try:
        assert dump(one) == dump(two)
        other = seeded(tmp_path / "three", seed=78)
        assert dump(other)["customers"] != dump(one)["customers"]
        other.dispose()
    finally:
        one.dispose()
        two.dispose()


def test_seed_skips_when_present_and_resets(tmp_path: Path) -> None:
    db = seeded(tmp_path)
    try:
        first = dump(db)
        assert seed_bank(db, customers=COUNT, as_of=AS_OF).skipped
        assert not seed_bank(db, customers=COUNT, as_of=AS_OF, reset=True).skipped
        assert dump(db)["cards"] == first["cards"]
    finally:
        db.dispose()


def test_seed_is_synthetic_only(tmp_path: Path) -> None:
    db = seeded(tmp_path)
    try:
        data = dump(db)
    finally:
        db.dispose()
    refs = [c[0] for c in data["customers"]]
    assert refs == [f"NW-{i:06d}" for i in range(1, COUNT + 1)]
    for _, _, email, phone, *_ in data["customers"]:
        assert email.rsplit("@", 1)[1] in synthetic.RESERVED_DOMAINS
        assert re.fullmatch(r"\+1 \(\d{3}\) 555-01\d\d", phone)
    for *_, number, _kind, account_iban, _cur, _bal in data["accounts"]:
        assert iban.is_valid(account_iban) and re.fullmatch(r"\d{8}", number)
    assert {c[2] for c in data["cards"]} <= {last4 for _, last4 in synthetic.TEST_CARDS}
    assert data["transactions"] and data["fees"]


def test_constants_match_the_trustdesk_demo() -> None:
    for name in ("SEED", "RESERVED_DOMAINS", "TEST_CARDS", "JURISDICTIONS"):
        assert getattr(synthetic, name) == getattr(demo_seed, name), name


@pytest.fixture
def trustdesk_db(tmp_path: Path) -> Any:
    db = Database.from_url(f"sqlite:///{tmp_path / 'trustdesk.db'}")
    upgrade(db.engine)
    yield db
    db.dispose()


def test_same_customers_as_the_trustdesk_demo(trustdesk_db: Database) -> None:
    """Customer NW-… in the bank is the same person, with the same cards, as in TrustDesk."""
    master = secrets.token_bytes(32)
    with trustdesk_db.write() as session:
        demo_seed.seed_demo(session, master_key=master, tenant="banktest", count=COUNT)
    theirs: dict[str, dict[str, Any]] = {}
    with trustdesk_db.read() as session:
        vault = SqlVault(session, master)
        for customer in session.scalars(
            select(Customer).where(Customer.tenant == "banktest", Customer.kind == "customer")
        ):
            assert customer.external_ref and customer.profile_ciphertext
            profile = json.loads(vault.decrypt(customer.id, "profile", customer.profile_ciphertext))
            accounts = session.scalars(
                select(Account).where(Account.customer_id == customer.id).order_by(Account.kind)
            ).all()
            cards = session.scalars(select(Card).where(Card.customer_id == customer.id)).all()
            theirs[customer.external_ref] = {
                "jurisdiction": customer.jurisdiction,
                "profile": profile,
                "accounts": [(a.kind, a.currency, a.balance_cents) for a in accounts],
                "cards": [
                    (c.brand, c.last4, c.status, c.expiry_month, c.expiry_year) for c in cards
                ],
            }

    ours = list(synthetic.generate_customers(COUNT))
    assert sorted(theirs) == [c.ref for c in ours]
    for person in ours:
        other = theirs[person.ref]
        assert other["jurisdiction"] == person.jurisdiction
        assert other["profile"] == {
            "name": person.name,
            "email": person.email,
            "phone": person.phone,
            "address": person.address,
            "date_of_birth": person.date_of_birth.isoformat(),
        }
        assert other["accounts"] == [(a.kind, a.currency, a.balance_cents) for a in person.accounts]
        assert other["cards"] == [
            (a.card.brand, a.card.last4, a.card.status, a.card.expiry_month, a.card.expiry_year)
            for a in person.accounts
            if a.card is not None
        ]
