"""``trustdesk bank seed``: seeds the bank's own database under the data directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from trustdesk.bank import BankSettings, open_bank_db
from trustdesk.bank.models import BankCustomer
from trustdesk.cli.bank import bank_app


def test_seed_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTDESK_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    result = runner.invoke(bank_app, ["seed", "--customers", "5"])
    assert result.exit_code == 0, result.output
    assert "seeded 5 customers" in result.output
    assert (tmp_path / "bank" / "bank.db").exists()

    again = runner.invoke(bank_app, ["seed", "--customers", "5"])
    assert again.exit_code == 0 and "exist already" in again.output

    db = open_bank_db(BankSettings(data_dir=tmp_path))
    try:
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(BankCustomer)) == 5
    finally:
        db.dispose()


def test_database_url_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    monkeypatch.setenv("TRUSTDESK_BANK_DATABASE_URL", url)
    monkeypatch.setenv("TRUSTDESK_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(bank_app, ["seed", "--customers", "3"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "elsewhere.db").exists()
    assert not (tmp_path / "data" / "bank" / "bank.db").exists()
