"""Northwind Bank's synthetic customers, generated the same way TrustDesk's demo does.

:func:`generate_customers` reproduces :func:`trustdesk.demo.seed.seed_demo` draw for
draw: the same ``random.Random(seed)`` stream, the same Faker locales seeded
``seed + i`` in the same order, the same calls in the same order. So with the same
seed and count, customer ``NW-000042`` has the same jurisdiction, name, e-mail, phone,
postal address, date of birth, account kinds, balances, card brand, last four digits,
status and expiry in both the contact center and the bank. ``tests/bank`` checks this
against ``seed_demo`` itself; a change to either side that breaks it fails there.

One difference: ``seed_demo`` draws IBANs from Faker's *unseeded* shared random, so
its IBANs differ on every run. Here IBANs come from a second stream seeded from
``seed`` (valid check digits, fictional bank codes), so they are stable; TrustDesk can
adopt :func:`iban_for` to make its ``iban_last4`` agree with the bank.

Pure: no database, no network. Only reserved e-mail domains, 555-01xx phone numbers
(reserved for fiction) and the last four digits of published test card numbers.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from faker import Faker
from stdnum import iban as stdnum_iban

__all__ = [
    "JURISDICTIONS",
    "RESERVED_DOMAINS",
    "SEED",
    "TEST_CARDS",
    "SyntheticAccount",
    "SyntheticCard",
    "SyntheticCustomer",
    "customer_ref",
    "generate_customers",
    "iban_for",
]

# The constants below equal those of trustdesk.demo.seed (tests/bank asserts it).
SEED = 77
RESERVED_DOMAINS = ("example.com", "example.net", "example.org", "northwind.example")
#: Last four digits of well-known test card numbers (Visa 4111…1111, MC 5555…4444, ...).
TEST_CARDS = (("visa", "1111"), ("mastercard", "4444"), ("visa", "1881"), ("amex", "0005"))
JURISDICTIONS = (
    ("gdpr", ("de_DE", "fr_FR", "es_ES", "nl_NL"), "EUR"),
    ("ccpa", ("en_US",), "USD"),
    ("hipaa", ("en_US",), "USD"),
)
CARD_STATUSES = ("active",) * 8 + ("frozen", "lost")


@dataclass(frozen=True, slots=True)
class SyntheticCard:
    brand: str
    last4: str
    status: str
    expiry_month: int
    expiry_year: int


@dataclass(frozen=True, slots=True)
class SyntheticAccount:
    kind: str
    currency: str
    balance_cents: int
    iban: str
    card: SyntheticCard | None


@dataclass(frozen=True, slots=True)
class SyntheticCustomer:
    index: int
    ref: str
    jurisdiction: str
    name: str
    email: str
    phone: str
    address: str
    date_of_birth: date
    accounts: tuple[SyntheticAccount, ...]


def customer_ref(index: int) -> str:
    """The external reference of the ``index``-th (0-based) demo customer: NW-000001..."""
    return f"NW-{index + 1:06d}"


def _phone(rng: random.Random) -> str:
    # 555-0100..0199 is reserved for fiction in the North American plan.
    return f"+1 ({rng.randint(201, 989)}) 555-01{rng.randint(0, 99):02d}"


def iban_for(rng: random.Random, currency: str) -> str:
    """A valid-checksum IBAN with a fictional bank code: DE for EUR, GB otherwise."""
    if currency == "EUR":
        country, bban = "DE", f"{rng.randrange(10**8):08d}{rng.randrange(10**10):010d}"
    else:
        country, bban = "GB", f"NWND{rng.randrange(10**6):06d}{rng.randrange(10**8):08d}"
    check = stdnum_iban.calc_check_digits(f"{country}00{bban}")
    number = f"{country}{check}{bban}"
    stdnum_iban.validate(number)
    return str(number)


def generate_customers(count: int = 200, seed: int = SEED) -> Iterator[SyntheticCustomer]:
    """The first ``count`` demo customers for ``seed``, in order (see the module doc)."""
    rng = random.Random(seed)
    iban_rng = random.Random(f"northwind-iban-{seed}")
    fakers = {loc: Faker(loc) for _, locs, _ in JURISDICTIONS for loc in locs}
    for i, f in enumerate(fakers.values()):
        f.seed_instance(seed + i)
    for i in range(count):
        jurisdiction, locales, currency = JURISDICTIONS[i % len(JURISDICTIONS)]
        fake = fakers[rng.choice(locales)]
        first, last = fake.first_name(), fake.last_name()
        user = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        user = "".join(ch for ch in user if ch.isascii() and (ch.isalnum() or ch == "."))
        email = f"{user or 'customer'}{i}@{rng.choice(RESERVED_DOMAINS)}"
        phone = _phone(rng)
        address = fake.address().replace("\n", ", ")
        dob = date(rng.randint(1940, 2004), rng.randint(1, 12), rng.randint(1, 28))
        accounts: list[SyntheticAccount] = []
        for kind in ("current", "savings")[: rng.randint(1, 2)]:
            iban = iban_for(iban_rng, currency)  # seed_demo: Faker().iban(), no rng draw
            balance = rng.randint(0, 2_500_000)
            card = None
            if kind == "current":
                brand, last4 = rng.choice(TEST_CARDS)
                card = SyntheticCard(
                    brand=brand,
                    last4=last4,
                    status=rng.choice(CARD_STATUSES),
                    expiry_month=rng.randint(1, 12),
                    expiry_year=rng.randint(2027, 2031),
                )
            accounts.append(SyntheticAccount(kind, currency, balance, iban, card))
        yield SyntheticCustomer(
            index=i,
            ref=customer_ref(i),
            jurisdiction=jurisdiction,
            name=f"{first} {last}",
            email=email,
            phone=phone,
            address=address,
            date_of_birth=dob,
            accounts=tuple(accounts),
        )
