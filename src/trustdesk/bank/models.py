"""The demo core bank's tables: its own ``MetaData``, its own database.

Nothing here is shared with TrustDesk's store: the bank is a separate system that
TrustDesk reaches only through tool calls. Tables are created with
``bank_metadata.create_all`` (:func:`trustdesk.bank.db.open_bank_db`); this demo
backend has no Alembic migrations: delete ``<data_dir>/bank/bank.db`` and reseed after
a schema change. Names carry a ``bank_`` prefix so the bank can share a PostgreSQL
database with TrustDesk without clashing.

Money is integer minor units (cents) with an ISO 4217 currency. Cards hold only their
last four digits (PCI). Rows of the audit table are never updated or deleted.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "AddressChange",
    "AuditEntry",
    "BankAccount",
    "BankBase",
    "BankCard",
    "BankCustomer",
    "BankTransaction",
    "Dispute",
    "FeeRecord",
    "TokenUse",
    "bank_metadata",
    "utcnow",
]

bank_metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class BankBase(DeclarativeBase):
    metadata = bank_metadata
    type_annotation_map = {datetime: DateTime(timezone=True)}


class BankCustomer(BankBase):
    """A customer; ``ref`` (``NW-000123``) is what tool tokens carry as ``sub``."""

    __tablename__ = "bank_customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(16), unique=True)
    jurisdiction: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40))
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(Text)
    date_of_birth: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BankAccount(BankBase):
    __tablename__ = "bank_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("bank_customers.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    iban: Mapped[str] = mapped_column(String(34), unique=True)
    currency: Mapped[str] = mapped_column(String(3))
    balance_cents: Mapped[int] = mapped_column(BigInteger)


class BankCard(BankBase):
    """A payment card. ``status``: active, frozen, lost, cancelled.

    ``delivery_status``: delivered, shipped or delayed; ``expected_delivery`` is set
    for the last two.
    """

    __tablename__ = "bank_cards"

    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("bank_customers.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int] = mapped_column(ForeignKey("bank_accounts.id", ondelete="CASCADE"))
    brand: Mapped[str] = mapped_column(String(16))
    last4: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(16))
    expiry_month: Mapped[int] = mapped_column(Integer)
    expiry_year: Mapped[int] = mapped_column(Integer)
    delivery_status: Mapped[str] = mapped_column(String(16))
    expected_delivery: Mapped[date | None] = mapped_column(Date)
    frozen_at: Mapped[datetime | None] = mapped_column()


class BankTransaction(BankBase):
    """A booked transaction; ``amount_cents`` is negative for money going out."""

    __tablename__ = "bank_transactions"
    __table_args__ = (Index("ix_bank_transactions_customer_date", "customer_id", "booked_on"),)

    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("bank_customers.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("bank_accounts.id", ondelete="CASCADE"))
    card_id: Mapped[str | None] = mapped_column(ForeignKey("bank_cards.id", ondelete="SET NULL"))
    booked_on: Mapped[date] = mapped_column(Date)
    merchant: Mapped[str] = mapped_column(String(120))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))


class FeeRecord(BankBase):
    """A fee charged to an account; refunded at most once."""

    __tablename__ = "bank_fees"

    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("bank_customers.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int] = mapped_column(ForeignKey("bank_accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    charged_on: Mapped[date] = mapped_column(Date)
    refunded: Mapped[bool] = mapped_column(Boolean, default=False)
    refunded_at: Mapped[datetime | None] = mapped_column()
    refund_jti: Mapped[str | None] = mapped_column(String(512))


class Dispute(BankBase):
    """A dispute of one transaction; at most one per transaction."""

    __tablename__ = "bank_disputes"
    __table_args__ = (UniqueConstraint("transaction_id"),)

    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("bank_customers.id", ondelete="CASCADE"), index=True
    )
    transaction_id: Mapped[str] = mapped_column(
        ForeignKey("bank_transactions.id", ondelete="CASCADE")
    )
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    conversation_id: Mapped[str] = mapped_column(String(512))
    token_jti: Mapped[str] = mapped_column(String(512))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AddressChange(BankBase):
    """One change of a customer's postal address: before, after, when, through which call."""

    __tablename__ = "bank_address_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("bank_customers.id", ondelete="CASCADE"), index=True
    )
    old_address: Mapped[str] = mapped_column(Text)
    new_address: Mapped[str] = mapped_column(Text)
    conversation_id: Mapped[str] = mapped_column(String(512))
    token_jti: Mapped[str] = mapped_column(String(512))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(BankBase):
    """Every tool call, allowed or denied. ``subject`` is set only from a verified token.

    ``reason`` is ``ok`` for allowed calls, otherwise a problem reason code
    (``token_expired``, ``scope_denied``, ``not_found``, ...).
    """

    __tablename__ = "bank_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    tool: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(256))
    subject: Mapped[str | None] = mapped_column(String(512), index=True)
    outcome: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(32))
    status_code: Mapped[int] = mapped_column(Integer)
    token_jti: Mapped[str | None] = mapped_column(String(512))
    conversation_id: Mapped[str | None] = mapped_column(String(512))


class TokenUse(BankBase):
    """Each accepted token id once, shared by every worker: a second use is a replay."""

    __tablename__ = "bank_token_uses"

    jti: Mapped[str] = mapped_column(String(512), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
