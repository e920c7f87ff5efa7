"""vault tokens: values the privacy policy encrypted, sealed per data subject

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 06:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "vault_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=True),
        sa.Column("token", sa.String(length=80), nullable=False),
        sa.Column("entity_type", sa.String(length=48), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("data_category", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_vault_tokens_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_vault_tokens_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vault_tokens")),
        sa.UniqueConstraint("customer_id", "token", name=op.f("uq_vault_tokens_customer_id")),
    )
    with op.batch_alter_table("vault_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_vault_tokens_conversation_id"), ["conversation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_vault_tokens_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_vault_tokens_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_vault_tokens_token"), ["token"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("vault_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vault_tokens_token"))
        batch_op.drop_index(batch_op.f("ix_vault_tokens_customer_id"))
        batch_op.drop_index(batch_op.f("ix_vault_tokens_created_at"))
        batch_op.drop_index(batch_op.f("ix_vault_tokens_conversation_id"))
    op.drop_table("vault_tokens")
