"""Where the probes go: a live server (``--target URL``) or the app built in-process.

Both speak the public REST API (docs/api.md):

* ``POST /v1/conversations`` -> ``{"id": ...}`` (201);
* ``POST /v1/conversations/{id}/messages`` with ``{"text": ...}`` -> the reply, the
  verdict of every stage with its reasons, the escalation;
* ``GET /v1/ledger/events?conversation_id={id}`` (``ledger:read``; ``Authorization:
  Bearer <API key or session token>``) -> the conversation's ledger events.

:func:`in_process_target` builds the app the way ``trustdesk serve`` does, over a fresh
temporary SQLite database with migrations applied and the canary customers planted,
mints a ``supervisor`` API key (``ledger:read``) for the action judge, and talks to it
through httpx's ASGI transport with the app's lifespan running.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from trustdesk.redteam.canaries import CanaryCustomer, plant_canaries
from trustdesk.redteam.judges import TurnObservation

__all__ = ["DeliveryError", "Target", "in_process_target", "live_target"]

LEDGER_PAGE = 1000


class DeliveryError(Exception):
    """A probe could not be delivered (network error, 5xx, unexpected response)."""


@dataclass
class Target:
    """An API client for one red-team run."""

    client: httpx.AsyncClient
    kind: str
    api_key: str | None = None
    ledger_readable: bool | None = None

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}

    async def create_conversation(self) -> str:
        try:
            r = await self.client.post("/v1/conversations", json={"channel": "api"})
        except httpx.HTTPError as exc:
            raise DeliveryError(f"create conversation: {type(exc).__name__}") from exc
        if r.status_code != 201:
            raise DeliveryError(f"create conversation: HTTP {r.status_code}")
        cid = r.json().get("id")
        if not isinstance(cid, str):
            raise DeliveryError("create conversation: no id in the response")
        return cid

    async def send(self, conversation_id: str, text: str) -> TurnObservation:
        try:
            r = await self.client.post(
                f"/v1/conversations/{conversation_id}/messages", json={"text": text}
            )
        except httpx.HTTPError as exc:
            raise DeliveryError(f"send message: {type(exc).__name__}") from exc
        if r.status_code >= 500:
            raise DeliveryError(f"send message: HTTP {r.status_code}")
        if r.status_code != 200:
            # Refused at the door (413 too large, 422 invalid, 429 rate-limited ...): the
            # agent never saw it.
            why = "rate_limited" if r.status_code == 429 else "rejected"
            return TurnObservation(status=r.status_code, verdicts={"api": why})
        body: dict[str, Any] = r.json()
        reply = body.get("reply") or {}
        verdicts: dict[str, str] = {}
        codes: list[str] = []
        for v in body.get("verdicts") or []:
            verdicts[str(v.get("stage"))] = str(v.get("verdict"))
            codes.extend(str(x.get("code")) for x in v.get("reasons") or [])
        return TurnObservation(
            status=200,
            reply=str(reply.get("text") or ""),
            role=str(reply.get("role") or ""),
            verdicts=verdicts,
            reason_codes=tuple(codes),
            escalated=bool(body.get("escalated")),
        )

    async def events(self, conversation_id: str) -> tuple[dict[str, Any], ...] | None:
        """The conversation's ledger events, or None when the ledger cannot be read."""
        if not self.api_key or self.ledger_readable is False:
            return None
        out: list[dict[str, Any]] = []
        after = 0
        while True:
            try:
                r = await self.client.get(
                    "/v1/ledger/events",
                    params={
                        "conversation_id": conversation_id,
                        "after_seq": after,
                        "limit": LEDGER_PAGE,
                    },
                    headers=self._auth(),
                )
            except httpx.HTTPError:
                return None
            if r.status_code in (401, 403, 404):
                self.ledger_readable = False
                return None
            if r.status_code != 200:
                return None
            self.ledger_readable = True
            body = r.json()
            out.extend(body.get("events") or [])
            nxt = body.get("next_after_seq")
            if not isinstance(nxt, int):
                return tuple(out)
            after = nxt


@asynccontextmanager
async def live_target(
    url: str, *, api_key: str | None = None, timeout: float = 30.0
) -> AsyncIterator[Target]:
    async with httpx.AsyncClient(base_url=url.rstrip("/"), timeout=timeout) as client:
        yield Target(client=client, kind="live", api_key=api_key)


@asynccontextmanager
async def in_process_target(
    canaries: tuple[CanaryCustomer, ...], *, workdir: Path | None = None
) -> AsyncIterator[Target]:
    """The app over a fresh migrated SQLite database with ``canaries`` planted."""
    from trustdesk.access.service import AccessService
    from trustdesk.api import create_app
    from trustdesk.config import Settings
    from trustdesk.privacy.vault import load_master_key
    from trustdesk.store.db import Database, upgrade

    with tempfile.TemporaryDirectory(prefix="trustdesk-redteam-", dir=workdir) as tmp:
        data_dir = Path(tmp)
        # The red team is one client sending many attacks: the abuse limits would refuse
        # it after a few blocks and hide what the guards themselves do, so they are off.
        settings = Settings(
            demo=True,
            data_dir=data_dir,
            database_url=f"sqlite:///{data_dir / 'redteam.db'}",
            guard={
                "messages_per_conversation_per_minute": 0,
                "messages_per_client_per_minute": 0,
                "blocked_per_client_per_10_minutes": 0,
            },
        )
        db = Database.from_url(settings.resolved_database_url)
        try:
            upgrade(db.engine)
            with db.write() as session:
                plant_canaries(
                    session,
                    canaries,
                    master_key=load_master_key(data_dir),
                    tenant=settings.tenant,
                )
            api_key, _ = AccessService(db).create_api_key(name="redteam", role="supervisor")
            app = create_app(settings, db=db)
            async with app.router.lifespan_context(app):
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(
                    transport=transport, base_url="http://redteam.invalid", timeout=60.0
                ) as client:
                    yield Target(client=client, kind="in-process", api_key=api_key)
        finally:
            db.dispose()
