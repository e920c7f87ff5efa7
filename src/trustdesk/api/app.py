"""The FastAPI application factory. Nothing is created at import time."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from trustdesk import __version__
from trustdesk.access.service import AccessService
from trustdesk.api import problems
from trustdesk.api.limits import BodyLimitMiddleware
from trustdesk.api.routes import access as access_routes
from trustdesk.api.routes import auth as auth_routes
from trustdesk.api.routes import conversations, health, webhooks
from trustdesk.api.routes import customers as customer_routes
from trustdesk.api.routes import desk as desk_routes
from trustdesk.api.routes import guard as guard_routes
from trustdesk.api.routes import ledger as ledger_routes
from trustdesk.api.routes import privacy as privacy_routes
from trustdesk.api.routes import verification as verification_routes
from trustdesk.api.state import AppState
from trustdesk.approvals import ApprovalService
from trustdesk.config import Settings
from trustdesk.console import routes as console_routes
from trustdesk.factory import build_ledger, build_pipeline, build_tool_gate
from trustdesk.guard.limits import AbuseLimits
from trustdesk.logs import configure_logging
from trustdesk.monitor.metrics import Metrics
from trustdesk.privacy.vault import load_master_key
from trustdesk.service import ConversationService
from trustdesk.store.db import Database, ensure_current
from trustdesk.verification import DemoSender, VerificationService

log = logging.getLogger(__name__)


def build_limits(settings: Settings) -> AbuseLimits | None:
    """The per-conversation and per-client abuse limits, or None when all are off."""
    g = settings.guard
    big = 10**9  # a limit of 0 means "off": a window no client can fill
    if not (
        g.messages_per_conversation_per_minute
        or g.messages_per_client_per_minute
        or g.blocked_per_client_per_10_minutes
    ):
        return None
    return AbuseLimits(
        per_conversation=(g.messages_per_conversation_per_minute or big, 60.0),
        per_client=(g.messages_per_client_per_minute or big, 60.0),
        blocked_per_client=(g.blocked_per_client_per_10_minutes or big, 600.0),
    )


def create_app(settings: Settings, *, db: Database | None = None) -> FastAPI:
    """Build the API and console for ``settings``.

    Refuses placeholder secrets outside demo mode and a database whose schema is not at
    the current migration (run ``trustdesk db upgrade``).
    """
    settings.enforce_secrets()
    database = db or Database.from_url(settings.resolved_database_url)
    ensure_current(database.engine)
    metrics = Metrics()
    ledger = build_ledger(settings, database)
    master_key = load_master_key(settings.data_dir)
    gate = build_tool_gate(settings)
    pipeline = build_pipeline(settings, observer=metrics, master_key=master_key, tools=gate)
    service = ConversationService(
        master_key=master_key,
        db=database,
        pipeline=pipeline,
        tenant=settings.tenant,
        max_message_bytes=settings.api.max_message_bytes,
        metrics=metrics,
        ledger=ledger,
    )
    state = AppState(
        settings=settings,
        db=database,
        service=service,
        metrics=metrics,
        ledger=ledger,
        access=AccessService(database),
        approvals=ApprovalService(db=database, service=service, gate=gate, master_key=master_key),
        limits=build_limits(settings),
        verification=VerificationService(database, tenant=settings.tenant, sender=DemoSender()),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        log.info("app.started", extra={"status": "ready"})
        try:
            yield
        finally:
            pipeline.close()
            if gate is not None:
                gate.client.close()
            if db is None:
                database.dispose()

    app = FastAPI(
        title="TrustDesk",
        version=__version__,
        summary="A contact center whose AI agent is guarded, redacted and audited.",
        lifespan=lifespan,
    )
    app.state.trustdesk = state
    app.state.ingress_guard = pipeline.ingress  # /v1/guard/check shares its thresholds
    problems.install(app)
    app.include_router(health.router)
    app.include_router(conversations.router)
    app.include_router(webhooks.router)
    app.include_router(ledger_routes.router)
    app.include_router(auth_routes.router)
    app.include_router(access_routes.router)
    app.include_router(customer_routes.router)
    app.include_router(privacy_routes.router)
    app.include_router(verification_routes.router)
    app.include_router(desk_routes.router)
    app.include_router(guard_routes.router)
    console_routes.install(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.api.max_body_bytes)
    return app


def app_from_env() -> FastAPI:
    """Entry point for ``uvicorn --factory trustdesk.api.app:app_from_env``."""
    from trustdesk.config import load_settings

    settings = load_settings()
    configure_logging(
        settings.log.level,
        log_dir=settings.data_dir / "logs" if settings.log.to_file else None,
    )
    return create_app(settings)
