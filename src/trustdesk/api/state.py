"""What routes share: settings, database, service, metrics; and the dependency aliases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from trustdesk.access.service import AccessService
from trustdesk.approvals import ApprovalService
from trustdesk.config import Settings
from trustdesk.guard.limits import AbuseLimits
from trustdesk.ledger.service import LedgerService
from trustdesk.monitor.metrics import Metrics
from trustdesk.service import ConversationService
from trustdesk.store.db import Database
from trustdesk.verification import VerificationService


@dataclass(frozen=True, slots=True)
class AppState:
    settings: Settings
    db: Database
    service: ConversationService
    metrics: Metrics
    ledger: LedgerService
    access: AccessService
    approvals: ApprovalService | None = None
    verification: VerificationService | None = None
    limits: AbuseLimits | None = None


def get_state(conn: HTTPConnection) -> AppState:
    state: AppState = conn.app.state.trustdesk
    return state


# Dependencies are ``async`` so FastAPI runs them on the event loop instead of
# hopping to a worker thread for each one.


async def _state(request: Request) -> AppState:
    return get_state(request)


async def _service(request: Request) -> ConversationService:
    return get_state(request).service


StateDep = Annotated[AppState, Depends(_state)]
ServiceDep = Annotated[ConversationService, Depends(_service)]
