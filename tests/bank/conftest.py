"""A real Northwind Bank server (uvicorn on a free port) over a fresh, seeded database."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from trustdesk.bank import BANK_AUDIENCE, BankSettings, create_bank_app, open_bank_db, seed_bank
from trustdesk.store.db import Database
from trustdesk.tooltokens import ToolTokenIssuer, export_public_key, load_or_create_tool_key

AS_OF = date(2025, 3, 14)


@dataclass
class BankServer:
    url: str
    db: Database
    data_dir: Path
    key: Ed25519PrivateKey
    issuer: ToolTokenIssuer

    def token(
        self,
        tool: str,
        scope: str,
        fields: list[str],
        *,
        subject: str = "NW-000001",
        audience: str = BANK_AUDIENCE,
        conversation_id: str = "conv-test",
    ) -> str:
        return self.issuer.mint(
            audience=audience,
            subject=subject,
            tool=tool,
            scope=scope,
            fields=fields,
            conversation_id=conversation_id,
        )

    def auth(self, tool: str, scope: str, fields: list[str], **kw: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(tool, scope, fields, **kw)}"}


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BankServer]:
    """Keys made the way TrustDesk makes them; the bank loads the exported public key."""
    import uvicorn

    data_dir = tmp_path_factory.mktemp("bankdata")
    key = load_or_create_tool_key(data_dir)
    export_public_key(data_dir)
    settings = BankSettings(data_dir=data_dir)
    db = open_bank_db(settings)
    seed_bank(db, customers=12, as_of=AS_OF)
    app = create_bank_app(settings, db=db)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", ws="none")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield BankServer(
            url=f"http://127.0.0.1:{port}",
            db=db,
            data_dir=data_dir,
            key=key,
            issuer=ToolTokenIssuer(key),
        )
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        db.dispose()
