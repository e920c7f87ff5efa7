"""The bank's settings and database.

Environment (all optional):

* ``TRUSTDESK_DATA_DIR`` — the data directory it shares with TrustDesk (default ``./var``);
* ``TRUSTDESK_BANK_DATABASE_URL`` — SQLAlchemy URL; default SQLite at
  ``<data_dir>/bank/bank.db``;
* ``TRUSTDESK_BANK_TOOL_PUBLIC_KEY`` — path of the tool-token public key, PEM or JWKS;
  default ``<data_dir>/keys/tool-signing.pub``;
* ``TRUSTDESK_BANK_LEEWAY_SECONDS`` — clock skew tolerated on token times (default 5).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from trustdesk.bank.models import bank_metadata
from trustdesk.errors import ConfigError
from trustdesk.store.db import Database
from trustdesk.tooltokens import DEFAULT_ISSUER, public_key_path

if TYPE_CHECKING:
    from trustdesk.config import Settings

__all__ = ["BANK_AUDIENCE", "BankSettings", "load_bank_settings", "open_bank_db"]

#: The ``aud`` every tool token for this bank must carry.
BANK_AUDIENCE = "northwind-core-banking"


def _default_data_dir() -> Path:
    return Path(os.environ.get("TRUSTDESK_DATA_DIR") or "./var")


class BankSettings(BaseSettings):
    """Where the bank keeps its data and which tool tokens it trusts."""

    model_config = SettingsConfigDict(env_prefix="TRUSTDESK_BANK_", extra="ignore")

    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Data directory shared with TrustDesk (TRUSTDESK_DATA_DIR).",
    )
    database_url: str | None = Field(None, description="Default: <data_dir>/bank/bank.db.")
    tool_public_key: Path | None = Field(
        None, description="PEM or JWKS file; default <data_dir>/keys/tool-signing.pub."
    )
    issuer: str = Field(DEFAULT_ISSUER, min_length=1)
    audience: str = Field(BANK_AUDIENCE, min_length=1)
    leeway_seconds: int = Field(5, ge=0, le=60)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'bank' / 'bank.db').resolve()}"

    @property
    def resolved_public_key(self) -> Path:
        return self.tool_public_key or public_key_path(self.data_dir)

    @classmethod
    def from_settings(cls, settings: Settings) -> BankSettings:
        """Bank settings beside TrustDesk's: same data directory, the rest from the env."""
        return cls(data_dir=settings.data_dir)


def load_bank_settings(**overrides: object) -> BankSettings:
    """Read the bank's settings from the environment, keyword overrides on top."""
    try:
        return BankSettings(**overrides)  # type: ignore[arg-type]
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc


def open_bank_db(settings: BankSettings) -> Database:
    """The bank's database (WAL SQLite or PostgreSQL), its tables created if missing."""
    db = Database.from_url(settings.resolved_database_url)
    bank_metadata.create_all(db.engine)
    return db
