"""`trustdesk ledger` on a real data directory."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text


def test_raw_sql_tamper_is_caught_by_cli(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI verifies a real data directory and names the tampered event."""
    from typer.testing import CliRunner

    from trustdesk.cli.main import app

    monkeypatch.setenv("TRUSTDESK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TRUSTDESK_DEMO", "true")
    runner = CliRunner()
    assert runner.invoke(app, ["demo", "--customers", "5"]).exit_code == 0
    r = runner.invoke(app, ["chat"], input="when will my card arrive\n\n")
    assert r.exit_code == 0, r.output
    assert runner.invoke(app, ["ledger", "checkpoint"]).exit_code == 0
    r = runner.invoke(app, ["ledger", "verify"])
    assert r.exit_code == 0, r.output
    assert "OK" in r.output
    from trustdesk.store.db import Database as Db

    db = Db.from_url(f"sqlite:///{tmp_path / 'trustdesk.db'}")
    with db.connect_write() as c:
        c.execute(text("UPDATE ledger_events SET actor = 'someone-else' WHERE seq = 3"))
    db.dispose()
    r = runner.invoke(app, ["ledger", "verify"])
    assert r.exit_code == 1
    assert "event 3" in r.output
