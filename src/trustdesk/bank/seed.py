"""Seed the demo core bank: the same customers as TrustDesk's demo, plus banking data.

Customers, accounts and cards come from :func:`trustdesk.bank.synthetic.generate_customers`,
which mirrors :func:`trustdesk.demo.seed.seed_demo` draw for draw, so ``NW-000001`` ..
``NW-000200`` are the same people with the same cards in both systems when both use the
default seed (77). What only the bank has (account numbers, card ids, delivery
status, transactions, fees) comes from a second random stream seeded from ``seed``,
so it never shifts the shared one. Everything is deterministic for a given ``seed``,
``customers`` and ``as_of`` (the day dates are counted back from; default today).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, func, select

from trustdesk.bank.models import (
    AddressChange,
    BankAccount,
    BankCard,
    BankCustomer,
    BankTransaction,
    Dispute,
    FeeRecord,
)
from trustdesk.bank.synthetic import SEED, generate_customers
from trustdesk.store.db import Database

__all__ = ["FEE_KINDS", "MERCHANTS", "BankSeedReport", "seed_bank"]

#: Fictional merchants and the range of a typical purchase, in minor units.
MERCHANTS = (
    ("Contoso Coffee", 250, 1_200),
    ("Fabrikam Grocers", 1_500, 12_000),
    ("Tailspin Toys", 1_000, 8_000),
    ("Wingtip Travel", 9_000, 65_000),
    ("Adventure Works Outdoor", 2_500, 30_000),
    ("Litware Books", 800, 4_500),
    ("Northwind Traders", 1_200, 9_000),
    ("Proseware Streaming", 799, 1_599),
    ("Woodgrove Pharmacy", 400, 6_000),
    ("Alpine Ski House", 5_000, 40_000),
)
#: Fee kinds and their amounts in minor units.
FEE_KINDS = (
    ("atm_withdrawal", 250),
    ("foreign_exchange", 175),
    ("card_replacement", 1_000),
    ("overdraft", 1_500),
    ("monthly_account", 490),
)


@dataclass(frozen=True, slots=True)
class BankSeedReport:
    customers: int
    accounts: int
    cards: int
    transactions: int
    fees: int
    skipped: bool


class _Ids:
    """Deterministic, unique public ids such as ``card_3f09a1c2b4de``."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._seen: set[str] = set()

    def new(self, prefix: str) -> str:
        while True:
            value = f"{prefix}_{self._rng.getrandbits(48):012x}"
            if value not in self._seen:
                self._seen.add(value)
                return value


def seed_bank(
    db: Database,
    seed: int = SEED,
    customers: int = 200,
    *,
    reset: bool = False,
    as_of: date | None = None,
) -> BankSeedReport:
    """Create ``customers`` customers with their data unless some exist (or ``reset``).

    ``reset`` deletes every customer and what belongs to them; the audit table and the
    record of used tokens are kept.
    """
    today = as_of or date.today()
    with db.write() as session:
        existing = session.scalar(select(func.count()).select_from(BankCustomer)) or 0
        if existing and not reset:
            return BankSeedReport(int(existing), 0, 0, 0, 0, skipped=True)
        for model in (
            AddressChange,
            Dispute,
            FeeRecord,
            BankTransaction,
            BankCard,
            BankAccount,
            BankCustomer,
        ):
            session.execute(delete(model))

        rng = random.Random(f"northwind-bank-{seed}")
        ids = _Ids(rng)
        numbers: set[str] = set()
        n_accounts = n_cards = n_txns = n_fees = 0
        for person in generate_customers(customers, seed):
            customer = BankCustomer(
                ref=person.ref,
                jurisdiction=person.jurisdiction,
                name=person.name,
                phone=person.phone,
                email=person.email,
                address=person.address,
                date_of_birth=person.date_of_birth,
            )
            session.add(customer)
            session.flush()
            for acct in person.accounts:
                number = f"{rng.randrange(10**7, 10**8)}"
                while number in numbers:
                    number = f"{rng.randrange(10**7, 10**8)}"
                numbers.add(number)
                account = BankAccount(
                    customer_id=customer.id,
                    number=number,
                    kind=acct.kind,
                    iban=acct.iban,
                    currency=acct.currency,
                    balance_cents=acct.balance_cents,
                )
                session.add(account)
                session.flush()
                n_accounts += 1
                if acct.card is None:
                    continue
                roll = rng.random()
                if roll < 0.8:
                    delivery, expected = "delivered", None
                elif roll < 0.92:
                    delivery, expected = "shipped", today + timedelta(days=rng.randint(1, 6))
                else:
                    delivery, expected = "delayed", today - timedelta(days=rng.randint(1, 5))
                card = BankCard(
                    id=ids.new("card"),
                    customer_id=customer.id,
                    account_id=account.id,
                    brand=acct.card.brand,
                    last4=acct.card.last4,
                    status=acct.card.status,
                    expiry_month=acct.card.expiry_month,
                    expiry_year=acct.card.expiry_year,
                    delivery_status=delivery,
                    expected_delivery=expected,
                )
                session.add(card)
                n_cards += 1
                for _ in range(rng.randint(6, 20)):
                    merchant, low, high = rng.choice(MERCHANTS)
                    session.add(
                        BankTransaction(
                            id=ids.new("txn"),
                            customer_id=customer.id,
                            account_id=account.id,
                            card_id=card.id if rng.random() < 0.85 else None,
                            booked_on=today - timedelta(days=rng.randint(0, 60)),
                            merchant=merchant,
                            amount_cents=-rng.randint(low, high),
                            currency=acct.currency,
                        )
                    )
                    n_txns += 1
                for _ in range(rng.randint(0, 3)):
                    kind, amount = rng.choice(FEE_KINDS)
                    charged_on = today - timedelta(days=rng.randint(0, 60))
                    refunded = rng.random() < 0.1
                    session.add(
                        FeeRecord(
                            id=ids.new("fee"),
                            customer_id=customer.id,
                            account_id=account.id,
                            kind=kind,
                            amount_cents=amount,
                            currency=acct.currency,
                            charged_on=charged_on,
                            refunded=refunded,
                            refunded_at=(
                                datetime.combine(charged_on + timedelta(days=2), time(9), UTC)
                                if refunded
                                else None
                            ),
                        )
                    )
                    n_fees += 1
        return BankSeedReport(customers, n_accounts, n_cards, n_txns, n_fees, skipped=False)
