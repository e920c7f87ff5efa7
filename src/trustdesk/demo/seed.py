"""Seed Northwind Bank's synthetic customers (Faker, fixed seed, reserved e-mail domains).

Customers come from three jurisdictions: the EU (GDPR), California (CCPA) and the
health-benefits line (HIPAA). Profiles (name, e-mail, phone, address, birth date) are
encrypted in the vault under each customer's own key; accounts keep the IBAN encrypted
and its last four digits in clear; cards keep only their last four digits (PCI).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date

from faker import Faker
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from trustdesk.access.service import AccessService
from trustdesk.ledger import EventType, LedgerEvent
from trustdesk.ledger.sql import SqlLedger
from trustdesk.privacy.vault import SqlVault
from trustdesk.store.models import Account, Card, Customer, DataCategory, SubjectKey

SEED = 77
RESERVED_DOMAINS = ("example.com", "example.net", "example.org", "northwind.example")
#: Last four digits of well-known test card numbers (Visa 4111…1111, MC 5555…4444, ...).
TEST_CARDS = (("visa", "1111"), ("mastercard", "4444"), ("visa", "1881"), ("amex", "0005"))
JURISDICTIONS = (
    ("gdpr", ("de_DE", "fr_FR", "es_ES", "nl_NL"), "EUR"),
    ("ccpa", ("en_US",), "USD"),
    ("hipaa", ("en_US",), "USD"),
)


@dataclass(frozen=True, slots=True)
class SeedReport:
    customers: int
    accounts: int
    cards: int
    skipped: bool


def _phone(rng: random.Random) -> str:
    # 555-0100..0199 is reserved for fiction in the North American plan.
    return f"+1 ({rng.randint(201, 989)}) 555-01{rng.randint(0, 99):02d}"


def seed_demo(
    session: Session, *, master_key: bytes, tenant: str, count: int = 200, reset: bool = False
) -> SeedReport:
    """Create ``count`` demo customers unless some already exist (or ``reset``)."""
    existing = session.scalar(
        select(func.count())
        .select_from(Customer)
        .where(Customer.tenant == tenant, Customer.kind == "customer")
    )
    if existing and not reset:
        return SeedReport(int(existing), 0, 0, skipped=True)
    if reset:
        ids = select(Customer.id).where(Customer.tenant == tenant, Customer.kind == "customer")
        session.execute(delete(Card).where(Card.customer_id.in_(ids)))
        session.execute(delete(Account).where(Account.customer_id.in_(ids)))
        session.execute(delete(SubjectKey).where(SubjectKey.customer_id.in_(ids)))
        session.execute(
            delete(Customer).where(Customer.tenant == tenant, Customer.kind == "customer")
        )

    rng = random.Random(SEED)
    fakers = {loc: Faker(loc) for _, locs, _ in JURISDICTIONS for loc in locs}
    for i, f in enumerate(fakers.values()):
        f.seed_instance(SEED + i)
    vault = SqlVault(session, master_key)
    n_accounts = n_cards = 0
    for i in range(count):
        jurisdiction, locales, currency = JURISDICTIONS[i % len(JURISDICTIONS)]
        fake = fakers[rng.choice(locales)]
        first, last = fake.first_name(), fake.last_name()
        user = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        user = "".join(ch for ch in user if ch.isascii() and (ch.isalnum() or ch == "."))
        profile = {
            "name": f"{first} {last}",
            "email": f"{user or 'customer'}{i}@{rng.choice(RESERVED_DOMAINS)}",
            "phone": _phone(rng),
            "address": fake.address().replace("\n", ", "),
            "date_of_birth": date(
                rng.randint(1940, 2004), rng.randint(1, 12), rng.randint(1, 28)
            ).isoformat(),
        }
        customer = Customer(
            tenant=tenant,
            kind="customer",
            external_ref=f"NW-{i + 1:06d}",
            jurisdiction=jurisdiction,
        )
        session.add(customer)
        session.flush()
        customer.profile_ciphertext = vault.encrypt(
            customer.id, "profile", json.dumps(profile).encode()
        )
        for kind in ("current", "savings")[: rng.randint(1, 2)]:
            iban = Faker("de_DE" if currency == "EUR" else "en_GB").iban()
            account = Account(
                customer_id=customer.id,
                kind=kind,
                currency=currency,
                balance_cents=rng.randint(0, 2_500_000),
                iban_ciphertext=vault.encrypt(customer.id, "iban", iban.encode()),
                iban_last4=iban[-4:],
                data_category=str(DataCategory.FINANCIAL),
            )
            session.add(account)
            session.flush()
            n_accounts += 1
            if kind == "current":
                brand, last4 = rng.choice(TEST_CARDS)
                session.add(
                    Card(
                        customer_id=customer.id,
                        account_id=account.id,
                        brand=brand,
                        last4=last4,
                        status=rng.choice(("active",) * 8 + ("frozen", "lost")),
                        expiry_month=rng.randint(1, 12),
                        expiry_year=rng.randint(2027, 2031),
                        data_category=str(DataCategory.PAYMENT),
                    )
                )
                n_cards += 1
    SqlLedger(session).append(
        LedgerEvent(
            type=EventType.DEMO_SEEDED,
            actor="admin:cli",
            payload={"customers": count, "accounts": n_accounts, "cards": n_cards, "seed": SEED},
        )
    )
    return SeedReport(count, n_accounts, n_cards, skipped=False)


#: Demo staff logins, printed by `trustdesk demo` (demo mode only; change them anywhere
#: real: `trustdesk access create-user`).
DEMO_STAFF: tuple[tuple[str, str, str, str], ...] = (
    ("alex", "Alex Rivera (agent)", "agent", "Northwind desk demo 1"),
    ("sam", "Sam Okafor (supervisor)", "supervisor", "Northwind floor demo 2"),
    ("casey", "Casey Lindqvist (compliance)", "compliance_officer", "Northwind audit demo 3"),
    ("jordan", "Jordan Meyer (administrator)", "admin", "Northwind keys demo 4"),
)


def seed_staff(access: AccessService) -> list[tuple[str, str, str, bool]]:
    """Create the demo staff users that do not exist yet: (username, role, password, new)."""
    from trustdesk.access.errors import UsernameTaken

    out: list[tuple[str, str, str, bool]] = []
    for username, display, role, password in DEMO_STAFF:
        try:
            access.create_user(
                username=username, display_name=display, role=role, password=password
            )
            out.append((username, role, password, True))
        except UsernameTaken:
            out.append((username, role, password, False))
    return out
