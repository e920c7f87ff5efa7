"""The agent desk: escalation queue, live takeover, approvals bound to the exact action,
and "correct the AI" on any AI turn.

Pages read through :class:`~trustdesk.desk.DeskService` (redacted text only; opening a
conversation writes ``data.viewed``). Actions are plain HTML forms posted back here
(CSRF-checked), each checking its own scope on the server, then redirecting to the
page they came from with a short notice (post/redirect/get).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from trustdesk.access import Scope
from trustdesk.access.service import Principal
from trustdesk.api.routes.desk import _approvals as approval_service
from trustdesk.api.routes.desk import _decided as decide
from trustdesk.api.routes.desk import _desk as desk_service
from trustdesk.api.state import get_state
from trustdesk.console.auth import flash, page_scope, read_form, redirect_back
from trustdesk.console.routes import change_stream, render
from trustdesk.desk import MAX_NOTE_CHARS, CorrectionKind, Page
from trustdesk.errors import TrustDeskError

router = APIRouter(prefix="/desk", include_in_schema=False)

Reader = Annotated[Principal, Depends(page_scope(Scope.DESK_READ))]
Replier = Annotated[Principal, Depends(page_scope(Scope.DESK_REPLY))]
Decider = Annotated[Principal, Depends(page_scope(Scope.APPROVAL_DECIDE))]
Corrector = Annotated[Principal, Depends(page_scope(Scope.AI_CORRECT))]


def _uuid(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise _Bad(f"{what} is not a valid id") from exc


class _Bad(TrustDeskError):
    pass


async def _act(request: Request, principal: Principal, back: str, action: Any) -> Response:
    """Run a desk action (its scope already checked); redirect back with the outcome."""
    form = await read_form(request)
    try:
        message = await run_in_threadpool(action, principal, form)
    except TrustDeskError as exc:
        return redirect_back(back, error=f"Not done: {exc}")
    except ValueError as exc:  # a form field out of range
        return redirect_back(back, error=f"Not done: {exc}")
    return redirect_back(back, done=message)


# -- pages -------------------------------------------------------------------------------


@router.get("", response_class=HTMLResponse)
async def desk_page(request: Request, principal: Reader) -> HTMLResponse:
    state = get_state(request)
    desk = desk_service(state)

    def load() -> tuple[dict[str, Any], dict[str, Any]]:
        queue = desk.queue(page=Page(limit=100))
        approvals = desk.approvals(statuses=["pending"], page=Page(limit=100))
        return queue, approvals

    queue, approvals = await run_in_threadpool(load)
    context = {
        "queue": queue["items"],
        "queue_total": queue["total"],
        "approvals": approvals["items"],
        "can_reply": Scope.DESK_REPLY in principal.scopes,
        "me": principal.actor,
        **flash(request),
    }
    template = "desk_live.html" if request.query_params.get("fragment") else "desk.html"
    return render(request, template, context, principal=principal)


@router.get("/conversations/{conversation_id}", response_class=HTMLResponse)
async def conversation_page(
    request: Request, conversation_id: uuid.UUID, principal: Reader
) -> HTMLResponse:
    state = get_state(request)
    desk = desk_service(state)
    try:
        view = await run_in_threadpool(
            lambda: desk.conversation(conversation_id, actor=principal.actor)
        )
    except TrustDeskError as exc:
        return render(
            request,
            "error.html",
            {"title": "Conversation not on the desk", "detail": str(exc)},
            principal=principal,
            status_code=404,
        )
    open_esc = next(
        (e for e in reversed(view["escalations"]) if e["status"] in ("queued", "claimed")), None
    )
    mine = (
        open_esc is not None
        and open_esc["status"] == "claimed"
        and open_esc["assigned_to"] == (str(principal.user_id) if principal.user_id else None)
    )
    context = {
        "c": view,
        "esc": open_esc,
        "mine": mine,
        "can_reply": Scope.DESK_REPLY in principal.scopes,
        "can_decide": Scope.APPROVAL_DECIDE in principal.scopes,
        "can_correct": Scope.AI_CORRECT in principal.scopes,
        "intents": sorted(desk.intents),
        "max_note": MAX_NOTE_CHARS,
        **flash(request),
    }
    template = (
        "desk_transcript.html"
        if request.query_params.get("fragment")
        else ("desk_conversation.html")
    )
    return render(request, template, context, principal=principal)


@router.get("/stream")
async def desk_stream(request: Request, _who: Reader) -> StreamingResponse:
    """Change events for the desk's live regions."""
    return change_stream(request)


# -- actions -----------------------------------------------------------------------------


@router.post("/escalations/{escalation_id}/claim")
async def claim(request: Request, escalation_id: uuid.UUID, who: Replier) -> Response:
    state = get_state(request)
    form_back = request.query_params.get("back") or "/desk"
    back = form_back if form_back.startswith("/desk") else "/desk"

    def run(p: Principal, _form: dict[str, str]) -> str:
        desk_service(state).claim(escalation_id, actor=p.actor, user_id=p.user_id)
        return "You took over the conversation. The customer now talks to you."

    return await _act(request, who, back, run)


@router.post("/conversations/{conversation_id}/reply")
async def reply(request: Request, conversation_id: uuid.UUID, who: Replier) -> Response:
    state = get_state(request)
    back = f"/desk/conversations/{conversation_id}"

    def run(p: Principal, form: dict[str, str]) -> str:
        text = form.get("text", "")
        out = desk_service(state).reply(conversation_id, text, actor=p.actor, user_id=p.user_id)
        if out.get("redacted"):
            return "Reply sent. Personal data in it was redacted before it was stored."
        return "Reply sent."

    return await _act(request, who, back, run)


@router.post("/escalations/{escalation_id}/resolve")
async def resolve(request: Request, escalation_id: uuid.UUID, who: Replier) -> Response:
    state = get_state(request)
    cid = request.query_params.get("conversation", "")
    back = f"/desk/conversations/{_uuid(cid, 'conversation')}" if cid else "/desk"

    def run(p: Principal, form: dict[str, str]) -> str:
        note = form.get("note", "").strip()[:MAX_NOTE_CHARS] or None
        desk_service(state).resolve(escalation_id, actor=p.actor, user_id=p.user_id, note=note)
        return "Escalation resolved; the AI answers this conversation again."

    return await _act(request, who, back, run)


def _approval_back(request: Request) -> str:
    cid = request.query_params.get("conversation", "")
    return f"/desk/conversations/{_uuid(cid, 'conversation')}" if cid else "/desk"


@router.post("/approvals/{approval_id}/approve")
async def approve(request: Request, approval_id: uuid.UUID, who: Decider) -> Response:
    state = get_state(request)

    def run(p: Principal, form: dict[str, str]) -> str:
        comment = form.get("comment", "")[:MAX_NOTE_CHARS]
        out = decide(state, p, approval_id, approve=True, comment=comment)
        outcome = out.get("outcome") or {}
        status = outcome.get("status") or out["status"]
        return f"Approved: the action ran bound to what you approved (status {status})."

    return await _act(request, who, _approval_back(request), run)


@router.post("/approvals/{approval_id}/reject")
async def reject(request: Request, approval_id: uuid.UUID, who: Decider) -> Response:
    state = get_state(request)

    def run(p: Principal, form: dict[str, str]) -> str:
        comment = form.get("comment", "").strip()
        if len(comment) < 3:
            raise ValueError("a rejection needs a comment of at least 3 characters")
        decide(state, p, approval_id, approve=False, comment=comment[:MAX_NOTE_CHARS])
        return "Rejected. The action will not run."

    return await _act(request, who, _approval_back(request), run)


@router.post("/corrections")
async def correct(request: Request, who: Corrector) -> Response:
    state = get_state(request)
    back = _approval_back(request)

    def run(p: Principal, form: dict[str, str]) -> str:
        try:
            kind = CorrectionKind(form.get("kind", ""))
        except ValueError as exc:
            raise ValueError("choose what was wrong: the intent or the answer") from exc
        intent = form.get("corrected_intent", "").strip() or None
        if kind is CorrectionKind.WRONG_INTENT and intent is None:
            raise ValueError("choose the right intent")
        note = form.get("note", "").strip()[:MAX_NOTE_CHARS] or None
        desk_service(state).correct(
            message_id=_uuid(form.get("message_id", ""), "message"),
            kind=kind,
            corrected_intent=intent if kind is CorrectionKind.WRONG_INTENT else None,
            note=note,
            actor=p.actor,
            user_id=p.user_id,
        )
        return "Correction saved; it feeds the drift report."

    return await _act(request, who, back, run)


__all__ = ["approval_service", "router"]
