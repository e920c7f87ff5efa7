"""The human desk over HTTP: queue, take-over, replies, approvals and AI corrections.

Every route needs a desk scope (see :mod:`trustdesk.access.scopes`); the work is done
by :class:`~trustdesk.desk.DeskService` and
:class:`~trustdesk.approvals.ApprovalService`, each change with its ledger event.
Errors are RFC 9457 problems; the desk's own error types are mapped here
(:data:`~trustdesk.desk.DESK_PROBLEMS`), everything else by the app's handlers.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from starlette.concurrency import run_in_threadpool

from trustdesk.access import Scope, require
from trustdesk.access.service import Principal
from trustdesk.api.problems import problem
from trustdesk.api.state import AppState, StateDep
from trustdesk.approvals import ApprovalNotFound, ApprovalNotPending, ApprovalService
from trustdesk.desk import (
    DESK_PROBLEMS,
    MAX_NOTE_CHARS,
    CorrectionKind,
    DeskService,
    EscalationStatus,
    Page,
)
from trustdesk.errors import TrustDeskError
from trustdesk.privacy.vault import load_master_key

_PROBLEMS: list[tuple[type[TrustDeskError], int, str, str]] = [
    *DESK_PROBLEMS,
    (ApprovalNotFound, 404, "approval-not-found", "Approval not found"),
    (ApprovalNotPending, 409, "approval-not-pending", "Approval not pending"),
]
_HANDLED = tuple(cls for cls, *_ in _PROBLEMS)


class _DeskRoute(APIRoute):
    """Answers the desk's own errors as problems; the rest go to the app's handlers."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except _HANDLED as exc:
                for cls, status, slug, title in _PROBLEMS:
                    if isinstance(exc, cls):
                        return problem(status, slug, title, str(exc))
                raise  # pragma: no cover - every handled class is in the table

        return route


router = APIRouter(prefix="/v1/desk", tags=["desk"], route_class=_DeskRoute)

Reader = Annotated[Principal, Depends(require(Scope.DESK_READ))]
Replier = Annotated[Principal, Depends(require(Scope.DESK_REPLY))]
Decider = Annotated[Principal, Depends(require(Scope.APPROVAL_DECIDE))]
Corrector = Annotated[Principal, Depends(require(Scope.AI_CORRECT))]
Monitor = Annotated[Principal, Depends(require(Scope.MONITOR_READ))]

Limit = Annotated[int, Query(ge=1, le=100, description="At most 100 items per page.")]
Offset = Annotated[int, Query(ge=0, le=100_000)]
QueueStatus = Literal["queued", "claimed", "resolved"]
ApprovalStatus = Literal["pending", "approved", "rejected", "expired", "executed", "failed"]
IntentLabel = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_]+$")
]

PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": desc, "content": {"application/problem+json": {}}}
    for status, desc in {
        401: "No or invalid credentials",
        403: "Missing scope",
        404: "Unknown id",
        409: "Conflicting state (claimed by someone else, closed, not pending...)",
        413: "Text too large",
        422: "Validation failed",
    }.items()
}


def _desk(state: AppState) -> DeskService:
    desk = getattr(state, "desk", None)
    if isinstance(desk, DeskService):
        return desk
    return DeskService(db=state.db, service=state.service)


def _approvals(state: AppState) -> ApprovalService:
    approvals = getattr(state, "approvals", None)
    if isinstance(approvals, ApprovalService):
        return approvals
    return ApprovalService(
        db=state.db,
        service=state.service,
        gate=None,
        master_key=load_master_key(state.settings.data_dir),
    )


# -- bodies ------------------------------------------------------------------------------


class ReplyBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: Size, emptiness and encoding are checked by ``validate_text`` (413 / 422 / 400).
    text: str = Field(description="The reply (at most 8 KiB of UTF-8); redacted before storage.")


class ResolveBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(None, min_length=1, max_length=MAX_NOTE_CHARS)


class DecideBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str | None = Field(None, max_length=MAX_NOTE_CHARS)


class RejectBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field(
        min_length=3, max_length=MAX_NOTE_CHARS, description="Why it was rejected."
    )

    @model_validator(mode="after")
    def _not_blank(self) -> RejectBody:
        if len(self.comment.strip()) < 3:
            raise ValueError("comment must hold at least 3 non-blank characters")
        return self


class CorrectionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message_id: uuid.UUID = Field(description="The AI message being corrected.")
    kind: CorrectionKind
    corrected_intent: IntentLabel | None = Field(
        None, description="The right intent; required for wrong_intent."
    )
    note: str | None = Field(None, min_length=1, max_length=MAX_NOTE_CHARS)

    @model_validator(mode="after")
    def _intent_for_wrong_intent(self) -> CorrectionBody:
        if self.kind is CorrectionKind.WRONG_INTENT and self.corrected_intent is None:
            raise ValueError("corrected_intent is required for a wrong_intent correction")
        return self


# -- queue and conversations -------------------------------------------------------------


@router.get("/queue", summary="Escalations waiting for a human.", responses=PROBLEM_RESPONSES)
async def queue(
    _who: Reader,
    state: StateDep,
    status: Annotated[list[QueueStatus] | None, Query()] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    statuses = (
        list(dict.fromkeys(status))
        if status
        else [EscalationStatus.QUEUED.value, EscalationStatus.CLAIMED.value]
    )
    page = Page(limit=limit, offset=offset)
    return await run_in_threadpool(lambda: _desk(state).queue(statuses=statuses, page=page))


@router.get(
    "/conversations/{conversation_id}",
    summary="A conversation's redacted transcript with decisions and actions (audited).",
    responses=PROBLEM_RESPONSES,
)
async def conversation(conversation_id: uuid.UUID, who: Reader, state: StateDep) -> dict[str, Any]:
    return await run_in_threadpool(
        lambda: _desk(state).conversation(conversation_id, actor=who.actor)
    )


@router.post(
    "/escalations/{escalation_id}/claim",
    summary="Take over an escalated conversation.",
    responses=PROBLEM_RESPONSES,
)
async def claim(escalation_id: uuid.UUID, who: Replier, state: StateDep) -> dict[str, Any]:
    return await run_in_threadpool(
        lambda: _desk(state).claim(escalation_id, actor=who.actor, user_id=who.user_id)
    )


@router.post(
    "/conversations/{conversation_id}/reply",
    summary="Answer the customer as a human agent (the text is redacted first).",
    responses=PROBLEM_RESPONSES,
)
async def reply(
    conversation_id: uuid.UUID, body: ReplyBody, who: Replier, state: StateDep
) -> dict[str, Any]:
    return await run_in_threadpool(
        lambda: _desk(state).reply(conversation_id, body.text, actor=who.actor, user_id=who.user_id)
    )


@router.post(
    "/escalations/{escalation_id}/resolve",
    summary="Resolve an escalation; the AI answers again.",
    responses=PROBLEM_RESPONSES,
)
async def resolve(
    escalation_id: uuid.UUID, who: Replier, state: StateDep, body: ResolveBody | None = None
) -> dict[str, Any]:
    note = body.note if body is not None else None
    return await run_in_threadpool(
        lambda: _desk(state).resolve(escalation_id, actor=who.actor, user_id=who.user_id, note=note)
    )


# -- approvals ---------------------------------------------------------------------------


@router.get("/approvals", summary="Account changes awaiting (or after) a human decision.")
async def approvals(
    _who: Reader,
    state: StateDep,
    status: Annotated[list[ApprovalStatus] | None, Query()] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    statuses = list(dict.fromkeys(status)) if status else None
    page = Page(limit=limit, offset=offset)
    return await run_in_threadpool(lambda: _desk(state).approvals(statuses=statuses, page=page))


def _decided(
    state: AppState, who: Principal, approval_id: uuid.UUID, *, approve: bool, comment: str | None
) -> dict[str, Any]:
    comment = (comment or "").strip() or None
    if comment is not None:  # what an agent types is redacted like a reply
        comment = _desk(state).redact_comment(approval_id, comment)
    decided = _approvals(state).decide(
        approval_id, approve=approve, actor=who.actor, user_id=who.user_id, comment=comment
    )
    return {
        "approval_id": str(decided.approval_id),
        "status": decided.status,
        "outcome": decided.outcome.record() if decided.outcome is not None else None,
    }


@router.post(
    "/approvals/{approval_id}/approve",
    summary="Approve an account change; it runs bound to exactly what was approved.",
    responses=PROBLEM_RESPONSES,
)
async def approve(
    approval_id: uuid.UUID, who: Decider, state: StateDep, body: DecideBody | None = None
) -> dict[str, Any]:
    comment = body.comment if body is not None else None
    return await run_in_threadpool(
        lambda: _decided(state, who, approval_id, approve=True, comment=comment)
    )


@router.post(
    "/approvals/{approval_id}/reject",
    summary="Reject an account change (a comment is required).",
    responses=PROBLEM_RESPONSES,
)
async def reject(
    approval_id: uuid.UUID, body: RejectBody, who: Decider, state: StateDep
) -> dict[str, Any]:
    return await run_in_threadpool(
        lambda: _decided(state, who, approval_id, approve=False, comment=body.comment)
    )


# -- corrections -------------------------------------------------------------------------


@router.post(
    "/corrections",
    status_code=201,
    summary="Correct an AI answer (wrong intent or wrong answer).",
    responses=PROBLEM_RESPONSES,
)
async def correct(body: CorrectionBody, who: Corrector, state: StateDep) -> dict[str, Any]:
    return await run_in_threadpool(
        lambda: _desk(state).correct(
            message_id=body.message_id,
            kind=body.kind,
            corrected_intent=body.corrected_intent,
            note=body.note,
            actor=who.actor,
            user_id=who.user_id,
        )
    )


@router.get(
    "/corrections",
    summary="Corrections, newest first, with counts per predicted → corrected intent.",
    responses=PROBLEM_RESPONSES,
)
async def corrections(
    _who: Corrector,
    state: StateDep,
    kind: CorrectionKind | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    page = Page(limit=limit, offset=offset)
    return await run_in_threadpool(lambda: _desk(state).corrections(kind=kind, page=page))


@router.get(
    "/corrections/drift",
    summary="Correction counts per predicted → corrected intent (aggregates only).",
    responses=PROBLEM_RESPONSES,
)
async def drift(_who: Monitor, state: StateDep) -> dict[str, Any]:
    return await run_in_threadpool(lambda: _desk(state).drift())
