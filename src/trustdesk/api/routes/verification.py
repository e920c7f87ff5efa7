"""Customer verification by one-time code (see :mod:`trustdesk.verification`).

Like the other conversation routes, these are keyed by the conversation id, which
only the conversation's own client knows. Neither the customer number nor the code
passes through the chat, so neither reaches the AI, the transcript or the ledger.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from trustdesk.api.routes.conversations import check_limits, client_id
from trustdesk.api.state import AppState, StateDep
from trustdesk.errors import ConfigError
from trustdesk.verification import VerificationService

router = APIRouter(prefix="/v1/conversations", tags=["verification"])


class StartBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_ref: str = Field(
        min_length=3,
        max_length=32,
        pattern=r"^[A-Za-z0-9-]+$",
        description="The customer number printed on statements (NW-000123).",
    )


class ConfirmBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=6, max_length=12, pattern=r"^[0-9 -]+$")


def _service(state: AppState) -> VerificationService:
    if state.verification is None:
        raise ConfigError("customer verification is not configured")
    return state.verification


def _start(state: AppState, cid: uuid.UUID, ref: str) -> dict[str, Any]:
    started = _service(state).start(cid, ref)
    out: dict[str, Any] = {
        "status": "code_sent_if_customer_exists",
        "detail": "If this customer number exists, we texted a 6-digit code to the phone "
        "number on file. It is valid for 5 minutes.",
    }
    if started.demo_code is not None and state.settings.demo:
        out["demo_code"] = started.demo_code
    return out


@router.post("/{conversation_id}/verification", summary="Send a one-time code to verify.")
async def start(
    conversation_id: uuid.UUID, body: StartBody, state: StateDep, request: Request
) -> dict[str, Any]:
    # Each request may send a text message: the abuse limits apply as to chat messages.
    check_limits(state, conversation_id, client_id(request))
    return await run_in_threadpool(_start, state, conversation_id, body.customer_ref)


@router.post("/{conversation_id}/verification/confirm", summary="Confirm the one-time code.")
async def confirm(
    conversation_id: uuid.UUID, body: ConfirmBody, state: StateDep, request: Request
) -> dict[str, Any]:
    check_limits(state, conversation_id, client_id(request))
    ref = await run_in_threadpool(_service(state).confirm, conversation_id, body.code)
    return {"verified": True, "customer_ref_last4": ref[-4:]}
