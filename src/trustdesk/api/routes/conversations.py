"""Conversations over REST and WebSocket."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import StreamingResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from trustdesk.api.schemas import (
    ConsentChoices,
    ConversationCreated,
    CreateConversation,
    FindingOut,
    MessageAccepted,
    PostMessage,
    ReasonOut,
    ReplyOut,
    VerdictOut,
)
from trustdesk.api.state import AppState, ServiceDep, StateDep, get_state
from trustdesk.errors import ConversationNotFound, InputError, RateLimited, TrustDeskError
from trustdesk.service import TurnResult, conversation_view
from trustdesk.types import ConversationMode, StageName, Verdict

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])

#: How often a server-sent event stream looks for new messages.
SSE_POLL_SECONDS = 0.5


class EmptyConsent(InputError):
    """A consent change that changes nothing."""


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": desc, "content": {"application/problem+json": {}}}
    for status, desc in {
        400: "Malformed JSON or invalid encoding",
        404: "Unknown conversation",
        409: "Conversation closed",
        413: "Message or body too large",
        422: "Validation failed",
    }.items()
}


def client_id(request: Request) -> str:
    """The client address the abuse limits count against."""
    return request.client.host if request.client else "unknown"


def check_limits(state: AppState, conversation_id: uuid.UUID, client: str) -> None:
    """Refuse the message (429) when the client or the conversation exceeds its limit."""
    if state.limits is None:
        return
    decision = state.limits.check(str(conversation_id), client)
    if not decision.allowed:
        which = decision.reasons[0].code if decision.reasons else "limit"
        raise RateLimited(
            f"too many messages ({which}); retry in {decision.retry_after:.0f} s",
            decision.retry_after,
        )


def note_blocked(state: AppState, result: TurnResult, client: str) -> None:
    """Count a message the ingress guard blocked against the client's abuse budget."""
    if state.limits is not None and result.outcome.flagged:
        rec = result.outcome.record(StageName.INGRESS_GUARD)
        if rec is not None and rec.verdict is Verdict.BLOCK:
            state.limits.record_blocked(client)


async def run_turn(
    state: AppState, conversation_id: uuid.UUID, text: str, *, channel: str
) -> TurnResult:
    """Run one turn: on SQLite inline on the event loop, otherwise in a worker thread.

    SQLite is embedded and allows one writer, so turns are serialized anyway; running
    them on the loop's thread avoids the GIL hand-offs between the loop and worker
    threads that otherwise cost more than the turn itself. Network databases
    (PostgreSQL) get the thread pool so the loop never waits on the network.
    """
    service = state.service
    if state.db.backend == "sqlite":
        return service.post_message(conversation_id, text, channel=channel)
    return await run_in_threadpool(service.post_message, conversation_id, text, channel=channel)


def turn_response(result: TurnResult) -> MessageAccepted:
    o = result.outcome
    d = o.decision
    return MessageAccepted(
        conversation_id=str(result.conversation_id),
        message_id=str(result.message_id),
        redacted_text=o.inbound.redacted_text,
        redacted=o.inbound.redacted,
        findings=[
            FindingOut(
                type=s.entity_type, start=s.start, end=s.end, detector=f.detector, score=f.score
            )
            for f, s in zip(o.inbound.findings, o.inbound.spans, strict=False)
        ],
        reply=ReplyOut(
            id=str(result.reply_id),
            role=str(o.reply_role),
            text=o.reply_text,
            intent=d.intent if d else None,
            confidence=round(d.confidence, 4) if d else None,
            citation=d.citation if d and o.reply_role == "ai" else None,
        ),
        escalated=o.escalation is not None and o.escalation.handover,
        escalation_reason=o.escalation.reason_code if o.escalation else None,
        status=result.status,
        mode=result.mode,
        verdicts=[
            VerdictOut(
                stage=str(r.stage),
                verdict=str(r.verdict),
                score=round(r.score, 4),
                latency_ms=round(r.latency_ms, 3),
                reasons=[ReasonOut(**x) for x in r.reasons_json()],
            )
            for r in o.records
        ],
    )


@router.post("", status_code=201, summary="Start a conversation.", responses=PROBLEM_RESPONSES)
def create_conversation(
    service: ServiceDep, body: CreateConversation | None = None
) -> ConversationCreated:
    body = body or CreateConversation()
    choices = body.consent.given() if body.consent is not None else {}
    conv = service.create_conversation(
        channel=body.channel, mode=ConversationMode(body.mode), consent=choices
    )
    return ConversationCreated(
        id=str(conv.id),
        status=conv.status,
        mode=conv.mode,
        channel=conv.channel,
        created_at=conv.created_at.isoformat(),
        consent=service.consent(conv.id),
    )


@router.get(
    "/{conversation_id}/consent",
    summary="The consent choices in force for this conversation's customer.",
    responses=PROBLEM_RESPONSES,
)
def get_consent(conversation_id: uuid.UUID, service: ServiceDep) -> dict[str, bool]:
    return service.consent(conversation_id)


@router.post(
    "/{conversation_id}/consent",
    summary="Give or withdraw consent (append-only; the latest choice is in force).",
    responses=PROBLEM_RESPONSES,
)
def set_consent(
    conversation_id: uuid.UUID, body: ConsentChoices, service: ServiceDep
) -> dict[str, bool]:
    choices = body.given()
    if not choices:
        raise EmptyConsent("give at least one consent choice (recording, improve_ai)")
    return service.record_consent(conversation_id, choices, source="web")


@router.get(
    "/{conversation_id}/events",
    summary="Server-sent events: the conversation's new messages as they are stored.",
    responses=PROBLEM_RESPONSES,
)
async def conversation_events(
    conversation_id: uuid.UUID,
    state: StateDep,
    request: Request,
    after: Annotated[int, Query(ge=0, description="Only messages with a larger seq.")] = 0,
) -> StreamingResponse:
    """Stream ``event: message`` frames (redacted text) for human replies and the rest.

    The conversation id is the customer's capability, as for the other customer routes.
    """
    await run_in_threadpool(state.service.get_conversation, conversation_id)
    return StreamingResponse(
        message_stream(state, conversation_id, after, request),
        media_type="text/event-stream",
        headers={"cache-control": "no-store", "x-accel-buffering": "no"},
    )


async def message_stream(
    state: AppState, conversation_id: uuid.UUID, after: int, request: Request
) -> AsyncIterator[str]:
    last = after
    idle = 0.0
    yield "retry: 2000\n\n"
    while not await request.is_disconnected():
        status, fresh = await run_in_threadpool(state.service.messages_after, conversation_id, last)
        for m in fresh:
            last = m["seq"]
            yield f"id: {last}\nevent: message\ndata: {json.dumps(m)}\n\n"
        if fresh:
            idle = 0.0
        else:
            idle += SSE_POLL_SECONDS
            if idle >= 15.0:  # a comment keeps proxies from closing an idle stream
                idle = 0.0
                yield ": keep-alive\n\n"
        if status == "closed" and not fresh:
            yield "event: closed\ndata: {}\n\n"
            return
        await asyncio.sleep(SSE_POLL_SECONDS)


@router.get(
    "/{conversation_id}",
    summary="A conversation with its redacted messages.",
    responses=PROBLEM_RESPONSES,
)
def get_conversation(conversation_id: uuid.UUID, service: ServiceDep) -> dict[str, Any]:
    return conversation_view(service.get_conversation(conversation_id))


@router.post(
    "/{conversation_id}/messages",
    summary="Send a customer message; answers with the agent's reply.",
    responses=PROBLEM_RESPONSES,
)
async def post_message(
    conversation_id: uuid.UUID, body: PostMessage, state: StateDep, request: Request
) -> MessageAccepted:
    client = client_id(request)
    check_limits(state, conversation_id, client)
    result = await run_turn(state, conversation_id, body.text, channel="api")
    note_blocked(state, result, client)
    return turn_response(result)


@router.post(
    "/{conversation_id}/close", summary="Close a conversation.", responses=PROBLEM_RESPONSES
)
def close_conversation(conversation_id: uuid.UUID, service: ServiceDep) -> dict[str, str]:
    conv = service.close_conversation(conversation_id)
    return {"id": str(conv.id), "status": conv.status}


def _ws_problem(status: int, title: str, detail: str) -> dict[str, Any]:
    return {"type": "problem", "status": status, "title": title, "detail": detail}


@router.websocket("/{conversation_id}/ws")
async def chat_socket(websocket: WebSocket, conversation_id: str) -> None:
    """Chat over a WebSocket: send ``{"text": ...}``, receive the reply as JSON.

    Errors arrive as ``{"type": "problem", ...}`` frames; the socket stays open unless
    the conversation does not exist (closed with code 4404).
    """
    from trustdesk.api.problems import _DOMAIN

    state = get_state(websocket)
    service = state.service
    try:
        cid = uuid.UUID(conversation_id)
        await run_in_threadpool(service.get_conversation, cid)
    except (ValueError, ConversationNotFound):
        await websocket.close(code=4404, reason="conversation not found")
        return
    await websocket.accept()
    limit = state.settings.api.max_body_bytes
    try:
        while True:
            raw = await websocket.receive_text()
            if len(raw.encode("utf-8", "surrogatepass")) > limit:
                await websocket.send_json(
                    _ws_problem(413, "Message too large", f"frame exceeds {limit} bytes")
                )
                continue
            try:
                body = PostMessage.model_validate(json.loads(raw))
            except json.JSONDecodeError:
                await websocket.send_json(
                    _ws_problem(400, "Malformed JSON", "frame is not valid JSON")
                )
                continue
            except ValidationError as exc:
                first = exc.errors()[0]
                loc = ".".join(str(p) for p in first["loc"]) or "body"
                await websocket.send_json(
                    _ws_problem(422, "Request validation failed", f"{loc}: {first['msg']}")
                )
                continue
            try:
                result = await run_in_threadpool(
                    service.post_message, cid, body.text, channel="websocket"
                )
            except TrustDeskError as exc:
                status, title = 500, "Internal error"
                for cls, st, _slug, ttl in _DOMAIN:
                    if isinstance(exc, cls):
                        status, title = st, ttl
                        break
                await websocket.send_json(_ws_problem(status, title, str(exc)))
                continue
            payload = turn_response(result).model_dump(mode="json")
            payload["type"] = "reply"
            await websocket.send_json(payload)
    except WebSocketDisconnect:
        return
