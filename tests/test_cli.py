"""The command line: help without heavy imports, db upgrade, demo seeding, doctor."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from trustdesk.cli.main import app

runner = CliRunner()


def test_help_does_not_load_the_server_or_stages() -> None:
    code = (
        "import sys\n"
        "from trustdesk.cli.main import app\n"
        "from typer.testing import CliRunner\n"
        "r = CliRunner().invoke(app, ['--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        "heavy = [m for m in ('fastapi', 'uvicorn', 'trustdesk.privacy', 'phonenumbers',"
        " 'sqlalchemy.orm') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_upgrade_demo_doctor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTDESK_DATA_DIR", str(tmp_path))
    r = runner.invoke(app, ["db", "upgrade"])
    assert r.exit_code == 0, r.output
    assert "0005" in r.output
    r = runner.invoke(app, ["demo", "--customers", "30"])
    assert r.exit_code == 0, r.output
    assert "seeded 30 customers" in r.output
    r = runner.invoke(app, ["demo"])
    assert "already present (30 customers)" in r.output

    from trustdesk.privacy.vault import SqlVault, load_master_key
    from trustdesk.store.db import Database
    from trustdesk.store.models import Card, Customer

    db = Database.from_url(f"sqlite:///{tmp_path / 'trustdesk.db'}")
    reserved = ("example.com", "example.net", "example.org", ".example")
    with db.write() as s:
        vault = SqlVault(s, load_master_key(tmp_path))
        customers = s.scalars(select(Customer).where(Customer.kind == "customer")).all()
        assert {c.jurisdiction for c in customers} == {"gdpr", "ccpa", "hipaa"}
        for c in customers:
            assert c.profile_ciphertext is not None
            profile = json.loads(vault.decrypt(c.id, "profile", c.profile_ciphertext))
            assert profile["email"].endswith(reserved), profile["email"]
            assert "555-01" in profile["phone"]
        assert all(len(card.last4) == 4 for card in s.scalars(select(Card)))
    raw = (tmp_path / "trustdesk.db").read_bytes()
    assert b"@example" not in raw  # profiles are encrypted at rest
    db.dispose()

    monkeypatch.setenv("TRUSTDESK_DEMO", "true")
    r = runner.invoke(app, ["doctor"])
    assert r.exit_code == 0, r.output
    assert "revision 0005" in r.output


def test_doctor_fails_on_unmigrated_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRUSTDESK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TRUSTDESK_DEMO", "true")
    r = runner.invoke(app, ["doctor"])
    assert r.exit_code == 1
    assert "trustdesk db upgrade" in r.output


def test_serve_refuses_placeholder_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTDESK_DATA_DIR", str(tmp_path))
    r = runner.invoke(app, ["serve"])
    assert r.exit_code == 2
    assert "placeholder" in r.output


def test_chat_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTDESK_DATA_DIR", str(tmp_path))
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    r = runner.invoke(app, ["chat"], input="my card 4111 1111 1111 1111 has not arrived\n\n")
    assert r.exit_code == 0, r.output
    assert "<CREDIT_CARD ****1111>" in r.output
    assert "4111 1111 1111 1111" not in r.output.split("stored as:")[1]
