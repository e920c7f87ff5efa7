"""The compliance pages: ledger search, verification, explanation timelines, proofs,
time-bound re-identification and the access log.

* ``/compliance`` (``ledger:read``): search the audit ledger (redacted events only), the
  last verification and the latest signed checkpoint with the public key, the
  re-identification grants, and the access log (who viewed or revealed what, and when).
* ``POST /compliance/verify`` (``ledger:verify``): verify the whole chain and every
  checkpoint (:meth:`~trustdesk.ledger.service.LedgerService.verify`); the outcome is
  written to the ledger as ``ledger.verified``, so the page shows who verified, when,
  and what was found.
* ``/compliance/conversations/{id}`` (``ledger:read``): one conversation's explanation
  timeline, in time order, from its ledger events and its ``decisions`` rows: every
  guard verdict, privacy redaction, the AI's intent with confidence, threshold,
  runners-up, article, tools (with their scopes) and the rule that fired, escalations,
  approvals and human actions. Viewing it writes ``data.viewed`` like the desk does.
* ``/compliance/proof/{ref}`` (``ledger:prove``): an inclusion proof as a JSON download.
* ``POST /compliance/grants`` (``grant:manage``): give someone ``pii:reveal`` for at most
  8 hours with a written reason (:meth:`~trustdesk.access.service.AccessService.grant`;
  nobody can grant to themselves).
* ``/compliance/reveal`` (``pii:reveal``, held only through such a grant): reveal vault
  tokens with a written reason, through the API's own reveal code (``vault.revealed``,
  and ``access.granted`` for the audited scope). Revealed values are only ever in that
  one ``no-store`` response: never in a URL, a redirect or the ledger.

Every route checks its scope on the server; forms are CSRF-checked
(:func:`~trustdesk.console.auth.read_form`).
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    Response,
    StreamingResponse,
)
from pydantic import ValidationError
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from trustdesk.access import Scope
from trustdesk.access.scopes import GRANTABLE_SCOPES, MAX_GRANT_TTL, MIN_GRANT_REASON
from trustdesk.access.service import Principal
from trustdesk.agent.tools import TOOLS
from trustdesk.api.routes.privacy import MAX_TOKENS, RevealBody
from trustdesk.api.routes.privacy import _reveal as reveal_service
from trustdesk.api.state import AppState, get_state
from trustdesk.console.auth import flash, page_scope, read_form, redirect_back
from trustdesk.console.routes import change_stream, render
from trustdesk.errors import NotFound, TrustDeskError
from trustdesk.ledger import EventType, LedgerEvent
from trustdesk.ledger.events import canonical_time
from trustdesk.ledger.service import event_view
from trustdesk.ledger.sql import SqlLedger
from trustdesk.privacy.operators import parse_token
from trustdesk.store.models import (
    Conversation,
    Decision,
    LedgerEventRow,
    Message,
    User,
    VaultToken,
    table_of,
)

router = APIRouter(prefix="/compliance", include_in_schema=False)

_EV = table_of(LedgerEventRow)
_CONV = table_of(Conversation)
_DEC = table_of(Decision)
_MSG = table_of(Message)
_USERS = table_of(User)
_TOKENS = table_of(VaultToken)

#: Events per page of search results and of the access log.
PAGE_SIZE = 50
#: Events shown before any search: the most recent ones.
LATEST = 25
#: The most events a timeline reads (in pages of 1000).
MAX_TIMELINE_EVENTS = 10_000
#: The event types of the access log.
ACCESS_TYPES = (
    EventType.DATA_VIEWED,
    EventType.ACCESS_GRANTED,
    EventType.ACCESS_DENIED,
    EventType.VAULT_REVEALED,
    EventType.GRANT_CREATED,
    EventType.GRANT_REVOKED,
)
#: Grant durations offered (minutes); the service caps a grant at 8 hours.
GRANT_MINUTES = (15, 30, 60, 120, 240, 480)
_TYPE_RE = re.compile(r"^[a-z_]+\.[a-z_]+$")
_UUID_RE = re.compile(r"^[0-9a-fA-F-]{32,36}$")


class _Bad(TrustDeskError):
    """A search or form value the page cannot use."""


def _time(value: str, what: str) -> datetime | None:
    """A ``datetime-local`` (or ISO 8601) form value, read as UTC when it has no zone."""
    value = value.strip()
    if not value:
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise _Bad(f"{what} is not a date and time (YYYY-MM-DD HH:MM, UTC)") from exc
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def _note_appended(state: AppState, count: int = 1) -> None:
    try:
        state.ledger.note_appended(count)
    except Exception:  # pragma: no cover - a missed checkpoint is retried later
        pass


def _append(state: AppState, event: LedgerEvent) -> None:
    with state.db.connect_write() as conn:
        SqlLedger(conn).append(event)
    _note_appended(state)


def _summary(payload: Any, limit: int = 160) -> str:
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- reading ---------------------------------------------------------------------------


def _search(state: AppState, params: dict[str, str]) -> dict[str, Any]:
    """The search section: filters from the query string, results through the ledger."""
    etype = params.get("type", "").strip()
    if etype and not _TYPE_RE.match(etype):
        raise _Bad("choose an event type from the list")
    actor = params.get("actor", "").strip()[:128]
    conversation = params.get("conversation_id", "").strip()[:64]
    q = params.get("q", "").strip()[:256]
    since = _time(params.get("since", ""), "Since")
    until = _time(params.get("until", ""), "Until")
    try:
        after = max(0, int(params.get("after_seq", "0") or 0))
    except ValueError as exc:
        raise _Bad("after_seq must be a number") from exc
    searched = any((etype, actor, conversation, q, since, until)) or "after_seq" in params
    limit = PAGE_SIZE
    if not searched:  # before any search: the most recent events
        with state.db.connect_read() as conn:
            head = conn.execute(select(_EV.c.seq).order_by(_EV.c.seq.desc()).limit(1)).scalar()
        after = max(0, int(head or 0) - LATEST)
        limit = LATEST
    events = state.ledger.search(
        conversation_id=conversation or None,
        actor=actor or None,
        type=etype or None,
        since=since,
        until=until,
        text_query=q or None,
        after_seq=after,
        limit=limit,
    )
    next_query = None
    if searched and len(events) == limit:
        keep = {k: v for k, v in params.items() if k in _SEARCH_FIELDS and v}
        next_query = urlencode({**keep, "after_seq": events[-1]["seq"]})
    return {
        "events": events,
        "searched": searched,
        "next_query": next_query,
        "form": {
            "type": etype,
            "actor": actor,
            "conversation_id": conversation,
            "q": q,
            "since": params.get("since", "")[:32],
            "until": params.get("until", "")[:32],
        },
    }


_SEARCH_FIELDS = ("type", "actor", "conversation_id", "q", "since", "until")


def _access_log(state: AppState, params: dict[str, str]) -> dict[str, Any]:
    """Who viewed, was refused, revealed or was granted what: newest first."""
    etype = params.get("log_type", "").strip()
    types = [str(t) for t in ACCESS_TYPES]
    if etype and etype not in types:
        raise _Bad("choose an access event type from the list")
    actor = params.get("log_actor", "").strip()[:128]
    conversation = params.get("log_conversation_id", "").strip()[:64]
    since = _time(params.get("log_since", ""), "Since")
    until = _time(params.get("log_until", ""), "Until")
    stmt = select(_EV).where(_EV.c.type.in_([etype] if etype else types))
    if actor:
        stmt = stmt.where(_EV.c.actor == actor)
    if conversation:
        stmt = stmt.where(_EV.c.conversation_id == conversation)
    if since:
        stmt = stmt.where(_EV.c.time >= since)
    if until:
        stmt = stmt.where(_EV.c.time < until)
    with state.db.connect_read() as conn:
        rows = conn.execute(stmt.order_by(_EV.c.seq.desc()).limit(PAGE_SIZE)).all()
    return {
        "events": [event_view(r) for r in rows],
        "types": types,
        "form": {
            "log_type": etype,
            "log_actor": actor,
            "log_conversation_id": conversation,
            "log_since": params.get("log_since", "")[:32],
            "log_until": params.get("log_until", "")[:32],
        },
    }


def _last_verification(state: AppState) -> dict[str, Any] | None:
    with state.db.connect_read() as conn:
        row = conn.execute(
            select(_EV)
            .where(_EV.c.type == str(EventType.LEDGER_VERIFIED))
            .order_by(_EV.c.seq.desc())
            .limit(1)
        ).first()
    return event_view(row) if row is not None else None


def _grantees(state: AppState, me: Principal) -> list[dict[str, Any]]:
    """Active users who may receive ``pii:reveal`` (not the caller), with active grants."""
    eligible = [str(r) for r in GRANTABLE_SCOPES[Scope.PII_REVEAL]]
    with state.db.connect_read() as conn:
        rows = conn.execute(
            select(_USERS.c.id, _USERS.c.username, _USERS.c.display_name, _USERS.c.role)
            .where(_USERS.c.active.is_(True), _USERS.c.role.in_(eligible))
            .order_by(_USERS.c.username)
        ).all()
    out = []
    for r in rows:
        grants = [g for g in state.access.active_grants(r.id) if g.scope == Scope.PII_REVEAL]
        out.append(
            {
                "id": str(r.id),
                "username": r.username,
                "display_name": r.display_name,
                "role": r.role,
                "me": r.id == me.user_id,
                "grants": [
                    {
                        "id": str(g.id),
                        "granted_by": g.granted_by,
                        "reason": g.reason,
                        "expires_at": g.expires_at.strftime("%Y-%m-%d %H:%M UTC"),
                    }
                    for g in grants
                ],
            }
        )
    return out


def _page_data(state: AppState, who: Principal, params: dict[str, str]) -> dict[str, Any]:
    errors: list[str] = []
    try:
        search = _search(state, params)
    except _Bad as exc:
        errors.append(f"Search: {exc}")
        search = {"events": [], "searched": True, "next_query": None, "form": {}}
    if search["form"].get("conversation_id") and search["events"]:
        first = search["events"][0]
        _append(
            state,
            LedgerEvent(
                type=EventType.DATA_VIEWED,
                actor=who.actor,
                subject=next((e["subject"] for e in search["events"] if e["subject"]), None),
                conversation_id=first["conversation_id"],
                payload={"view": "compliance.search", "events": len(search["events"])},
            ),
        )
    try:
        log = _access_log(state, params)
    except _Bad as exc:
        errors.append(f"Access log: {exc}")
        log = {"events": [], "types": [str(t) for t in ACCESS_TYPES], "form": {}}
    cp = state.ledger.latest_checkpoint()
    return {
        "search": search,
        "log": log,
        "errors": errors,
        "event_types": sorted(str(t) for t in EventType),
        "verification": _last_verification(state),
        "checkpoint": cp.to_dict() if cp is not None else None,
        "public_key": state.ledger.signer.public_key_hex,
        "key_id": state.ledger.signer.key_id,
        "grantees": _grantees(state, who) if Scope.GRANT_MANAGE in who.scopes else [],
    }


# -- the explanation timeline ------------------------------------------------------------

_CATEGORY = {
    "conversation.created": "system",
    "message.received": "customer",
    "guard.ingress_checked": "guard",
    "guard.egress_checked": "guard",
    "privacy.redacted": "privacy",
    "agent.decided": "ai",
    "reply.sent": "ai",
    "tool.called": "ai",
    "approval.requested": "ai",
    "approval.decided": "human",
    "desk.claimed": "human",
    "desk.resolved": "human",
    "ai.corrected": "human",
    "conversation.escalated": "guard",
    "conversation.flagged": "guard",
    "alert.raised": "guard",
    "stage.failed": "guard",
    "data.viewed": "access",
    "vault.revealed": "access",
}


def _pct(value: Any) -> str:
    return f"{float(value):.2f}" if isinstance(value, int | float) else "—"


def _tool_scope(name: str, seen: dict[str, str]) -> str:
    spec = TOOLS.get(name)
    return seen.get(name) or (spec.scope if spec is not None else "?")


def explain(event: dict[str, Any], tool_scopes: dict[str, str]) -> dict[str, Any]:
    """A timeline entry: a plain title, labelled facts, the reasons, any redacted text."""
    t = event["type"]
    p: dict[str, Any] = event["payload"] if isinstance(event["payload"], dict) else {}
    reasons = [r for r in (event["reasons"] or []) if isinstance(r, dict)]
    facts: list[tuple[str, str]] = []
    text: str | None = None
    link: tuple[str, str] | None = None
    title = t
    if t == "conversation.created":
        title = "Conversation started"
        facts = [("Channel", str(p.get("channel"))), ("Answered by", str(p.get("mode")))]
    elif t == "message.received":
        title = "The customer wrote" + (" (personal data redacted)" if p.get("redacted") else "")
        text = str(p.get("text", ""))
    elif t in ("guard.ingress_checked", "guard.egress_checked"):
        which = "Ingress guard (the customer's message)" if "ingress" in t else "Egress guard"
        if "egress" in t:
            which += " (the reply)"
        title = f"{which}: {p.get('verdict', '?')}"
        facts = [("Verdict", str(p.get("verdict"))), ("Score", _pct(p.get("score")))]
    elif t == "privacy.redacted":
        findings = p.get("findings") or []
        title = f"Privacy: {len(findings)} personal value(s) redacted"
        facts = [
            (str(f.get("type")), f"{f.get('detector')} (score {_pct(f.get('score'))})")
            for f in findings
            if isinstance(f, dict)
        ]
    elif t == "agent.decided":
        title = f"The AI decided: intent {p.get('intent') or '—'}"
        threshold = next((r.get("threshold") for r in reasons if "threshold" in r), None)
        runners = ", ".join(
            f"{r[0]} ({float(r[1]):.4f})"
            for r in p.get("runners_up") or []
            if len(r) == 2 and isinstance(r[1], int | float)
        )
        tools = [
            f"{name} (scope {_tool_scope(name, tool_scopes)})" for name in p.get("tools") or []
        ]
        rules = [f"{r.get('code')} — {r.get('source', '')}" for r in reasons if r.get("code")]
        facts = [
            ("Intent", str(p.get("intent") or "—")),
            ("Confidence", _pct(p.get("confidence"))),
            ("Threshold", _pct(threshold) if threshold is not None else "—"),
            ("Runners-up", runners or "—"),
            ("Article", str(p.get("citation") or "—")),
            ("Tools", ", ".join(tools) or "none"),
            ("Rule that fired", "; ".join(rules) or "—"),
            ("Hands over to a human", "yes" if p.get("escalate") else "no"),
            ("Needs a verified customer", "yes" if p.get("needs_verification") else "no"),
        ]
        if p.get("suggestion"):
            facts.append(("Suggestion", str(p["suggestion"])))
        if p.get("citation"):
            link = (f"/help/{quote(str(p['citation']))}", f"Read article {p['citation']}")
    elif t == "reply.sent":
        who = {"ai": "The AI", "human": "An agent", "system": "The system"}.get(
            str(p.get("role")), str(p.get("role"))
        )
        title = f"{who} replied"
        text = str(p.get("text", ""))
    elif t in ("tool.called", "approval.requested"):
        title = ("Approval requested for " if t == "approval.requested" else "Tool called: ") + str(
            p.get("tool")
        )
        facts = [
            ("Tool", str(p.get("tool"))),
            ("Scope", str(p.get("scope"))),
            ("Fields", ", ".join(str(f) for f in p.get("fields") or []) or "—"),
            ("Status", str(p.get("status"))),
        ]
        if p.get("reason"):
            facts.append(("Reason", str(p["reason"])))
        if p.get("arguments"):
            facts.append(("Arguments (tokens)", _summary(p["arguments"])))
        if p.get("binding_sha256"):
            facts.append(("Binding", str(p["binding_sha256"])[:16] + "…"))
    elif t == "approval.decided":
        title = f"Approval {p.get('status')} by {event['actor']}"
        facts = [("Tool", str(p.get("tool"))), ("Status", str(p.get("status")))]
    elif t == "conversation.escalated":
        title = f"Handed to the human desk: {p.get('reason')}"
        if p.get("suggestion"):
            facts = [("Suggestion", str(p["suggestion"]))]
    elif t == "conversation.flagged":
        title = f"Conversation flagged by the {p.get('by', 'guard')}"
    elif t == "alert.raised":
        title = f"Alert raised: {p.get('kind')} ({p.get('severity')})"
    elif t == "stage.failed":
        title = f"Stage failed: {p.get('stage')} (the pipeline failed closed)"
    elif t == "desk.claimed":
        title = f"{event['actor']} took over the conversation"
        facts = [("Escalation reason", str(p.get("reason_code")))]
    elif t == "desk.resolved":
        title = f"{event['actor']} resolved the escalation"
        facts = [("Back to the AI", "yes" if p.get("returned_to_ai") else "no")]
        if p.get("note"):
            facts.append(("Note (redacted)", str(p["note"])))
    elif t == "ai.corrected":
        title = f"{event['actor']} corrected the AI: {p.get('kind')}"
        facts = [
            ("Predicted intent", str(p.get("predicted_intent") or "—")),
            ("Corrected intent", str(p.get("corrected_intent") or "—")),
        ]
    elif t == "data.viewed":
        title = f"{event['actor']} viewed this conversation ({p.get('view')})"
    elif t == "vault.revealed":
        title = f"{event['actor']} re-identified {len(p.get('tokens') or [])} value(s)"
    elif t.startswith("verification."):
        title = "Customer verification: " + t.split(".", 1)[1].replace("_", " ")
    elif t == "consent.recorded":
        title = "Consent recorded"
        facts = [(str(k), str(v)) for k, v in p.items()]
    return {
        "kind": "event",
        "seq": event["seq"],
        "event_id": event["event_id"],
        "time": event["time"],
        "type": t,
        "actor": event["actor"],
        "category": _CATEGORY.get(t, "system"),
        "title": title,
        "facts": facts,
        "reasons": reasons,
        "text": text,
        "link": link,
        "raw": json.dumps(
            {"payload": p, "reasons": reasons, "model_versions": event["model_versions"]},
            ensure_ascii=False,
            indent=1,
            sort_keys=True,
        ),
    }


def timeline(state: AppState, conversation_id: uuid.UUID, *, actor: str) -> dict[str, Any]:
    """Ledger events and stage decisions of one conversation, in time order (audited)."""
    cid = str(conversation_id)
    events: list[dict[str, Any]] = []
    after = 0
    while len(events) < MAX_TIMELINE_EVENTS:
        page = state.ledger.search(conversation_id=cid, after_seq=after, limit=1000)
        events.extend(page)
        if len(page) < 1000:
            break
        after = page[-1]["seq"]
    with state.db.connect_read() as conn:
        conv = conn.execute(select(_CONV).where(_CONV.c.id == conversation_id)).first()
        decisions = conn.execute(
            select(_DEC, _MSG.c.seq.label("message_seq"), _MSG.c.role.label("message_role"))
            .join(_MSG, _MSG.c.id == _DEC.c.message_id)
            .where(_DEC.c.conversation_id == conversation_id)
            .order_by(_DEC.c.created_at, _MSG.c.seq)
        ).all()
        tokens = conn.execute(
            select(_TOKENS.c.token, _TOKENS.c.entity_type, _TOKENS.c.customer_id)
            .where(_TOKENS.c.conversation_id == conversation_id)
            .order_by(_TOKENS.c.created_at)
        ).all()
    if conv is None and not events:
        raise NotFound(f"conversation {cid} has no record in the database or the ledger")
    tool_scopes = {
        str(e["payload"].get("tool")): str(e["payload"].get("scope"))
        for e in events
        if e["type"] in ("tool.called", "approval.requested") and isinstance(e["payload"], dict)
    }
    order = {s: i for i, s in enumerate(("ingress_guard", "privacy", "agent", "egress_guard"))}
    turns: dict[str, dict[str, Any]] = {}
    for d in decisions:
        key = str(d.message_id)
        turn = turns.setdefault(
            key,
            {
                "kind": "decisions",
                "time": canonical_time(d.created_at),
                "message_seq": d.message_seq,
                "message_id": key,
                "stages": [],
            },
        )
        turn["stages"].append(
            {
                "stage": d.stage,
                "verdict": d.verdict,
                "score": round(float(d.score), 4),
                "latency_ms": round(float(d.latency_ms), 3),
                "model": d.model,
                "reasons": [r for r in d.reasons or [] if isinstance(r, dict)],
            }
        )
    for turn in turns.values():
        turn["stages"].sort(key=lambda s: order.get(s["stage"], 9))
    entries: list[dict[str, Any]] = [explain(e, tool_scopes) for e in events]
    entries.extend(turns.values())
    # Time order; a turn's stored decisions come after the events written during the turn.
    entries.sort(key=lambda e: (e["time"], 0 if e["kind"] == "event" else 1, e.get("seq") or 0))
    subject = str(conv.customer_id) if conv is not None else None
    if subject is None:
        subject = next((e["subject"] for e in events if e["subject"]), None)
    _append(
        state,
        LedgerEvent(
            type=EventType.DATA_VIEWED,
            actor=actor,
            subject=subject,
            conversation_id=cid,
            payload={
                "view": "compliance.timeline",
                "events": len(events),
                "decisions": len(decisions),
            },
        ),
    )
    return {
        "id": cid,
        "subject": subject,
        "conversation": (
            {
                "channel": conv.channel,
                "status": conv.status,
                "mode": conv.mode,
                "flagged": conv.flagged,
                "created_at": canonical_time(conv.created_at),
            }
            if conv is not None
            else None
        ),
        "entries": entries,
        "event_count": len(events),
        "decision_count": len(decisions),
        "tokens": [
            {"token": t.token, "type": t.entity_type, "customer_id": str(t.customer_id)}
            for t in tokens
        ],
    }


# -- pages -----------------------------------------------------------------------------


@router.get("", response_class=HTMLResponse)
async def compliance_page(
    request: Request, principal: Annotated[Principal, Depends(page_scope(Scope.LEDGER_READ))]
) -> HTMLResponse:
    state = get_state(request)
    params = {k: v for k, v in request.query_params.items() if k not in ("done", "error")}
    data = await run_in_threadpool(_page_data, state, principal, params)
    context = {
        **data,
        "can_verify": Scope.LEDGER_VERIFY in principal.scopes,
        "can_prove": Scope.LEDGER_PROVE in principal.scopes,
        "can_grant": Scope.GRANT_MANAGE in principal.scopes,
        "can_reveal": Scope.PII_REVEAL in principal.scopes,
        "grant_minutes": GRANT_MINUTES,
        "min_reason": MIN_GRANT_REASON,
        "max_hours": int(MAX_GRANT_TTL.total_seconds() // 3600),
        **flash(request),
    }
    return render(request, "compliance.html", context, principal=principal)


@router.get("/conversations/{conversation_id}", response_class=HTMLResponse)
async def conversation_timeline(
    request: Request,
    principal: Annotated[Principal, Depends(page_scope(Scope.LEDGER_READ))],
    conversation_id: uuid.UUID,
) -> HTMLResponse:
    state = get_state(request)
    try:
        view = await run_in_threadpool(
            lambda: timeline(state, conversation_id, actor=principal.actor)
        )
    except NotFound as exc:
        return render(
            request,
            "error.html",
            {"title": "No such conversation", "detail": str(exc)},
            principal=principal,
            status_code=404,
        )
    context = {
        "t": view,
        "can_prove": Scope.LEDGER_PROVE in principal.scopes,
        "can_reveal": Scope.PII_REVEAL in principal.scopes,
    }
    return render(request, "compliance_timeline.html", context, principal=principal)


@router.get("/proof/{ref}")
async def proof(
    request: Request,
    principal: Annotated[Principal, Depends(page_scope(Scope.LEDGER_PROVE))],
    ref: str,
) -> Response:
    state = get_state(request)
    if not (ref.isdigit() and len(ref) <= 19) and not _UUID_RE.match(ref):
        return _error(request, principal, "No such event", "give an event number or id", 404)
    try:
        doc = await run_in_threadpool(state.ledger.prove, ref)
    except NotFound as exc:
        return _error(request, principal, "No such event", str(exc), 404)
    except TrustDeskError as exc:
        return _error(request, principal, "No proof yet", str(exc), 409)
    name = f"trustdesk-proof-event-{doc['event']['seq']}.json"
    return JSONResponse(
        doc,
        headers={
            "content-disposition": f'attachment; filename="{name}"',
            "cache-control": "no-store",
        },
    )


def _error(request: Request, who: Principal, title: str, detail: str, status: int) -> Response:
    return render(
        request, "error.html", {"title": title, "detail": detail}, principal=who, status_code=status
    )


@router.get("/stream")
async def compliance_stream(
    request: Request, _who: Annotated[Principal, Depends(page_scope(Scope.LEDGER_READ))]
) -> StreamingResponse:
    """Change events (the ledger grew) for pages that follow it live."""
    return change_stream(request)


# -- actions ---------------------------------------------------------------------------


@router.post("/verify")
async def verify(
    request: Request, principal: Annotated[Principal, Depends(page_scope(Scope.LEDGER_VERIFY))]
) -> Response:
    await read_form(request)
    state = get_state(request)

    def run() -> dict[str, Any]:
        report = state.ledger.verify()
        cp = state.ledger.latest_checkpoint()
        result = report.to_dict()
        result["checkpoint_tree_size"] = cp.tree_size if cp is not None else None
        _append(
            state,
            LedgerEvent(type=EventType.LEDGER_VERIFIED, actor=principal.actor, payload=result),
        )
        return result

    result = await run_in_threadpool(run)
    if result["ok"]:
        return redirect_back(
            "/compliance",
            "verification",
            done=f"Ledger verified: OK. {result['events_checked']} events and "
            f"{result['checkpoints_checked']} signed checkpoints checked.",
        )
    return redirect_back(
        "/compliance",
        "verification",
        error=f"Ledger verification FAILED: {result['failure']}",
    )


@router.post("/grants")
async def create_grant(
    request: Request, principal: Annotated[Principal, Depends(page_scope(Scope.GRANT_MANAGE))]
) -> Response:
    form = await read_form(request)
    state = get_state(request)
    try:
        user_id = uuid.UUID(form.get("user_id", ""))
        minutes = int(form.get("minutes", ""))
    except ValueError:
        return redirect_back(
            "/compliance", "reidentify", error="Not granted: choose a person and a duration."
        )
    if not 0 < minutes <= MAX_GRANT_TTL.total_seconds() // 60:
        return redirect_back("/compliance", "reidentify", error="Not granted: at most 8 hours.")
    reason = form.get("reason", "")
    try:
        await run_in_threadpool(
            lambda: state.access.grant(
                user_id=user_id,
                scope=Scope.PII_REVEAL,
                reason=reason,
                granted_by=principal,
                ttl=timedelta(minutes=minutes),
            )
        )
    except TrustDeskError as exc:
        return redirect_back("/compliance", "reidentify", error=f"Not granted: {exc}")
    return redirect_back(
        "/compliance",
        "reidentify",
        done=f"Granted pii:reveal for {minutes} minutes. The grant and its reason are recorded.",
    )


@router.post("/grants/{grant_id}/revoke")
async def revoke_grant(
    request: Request,
    principal: Annotated[Principal, Depends(page_scope(Scope.GRANT_MANAGE))],
    grant_id: uuid.UUID,
) -> Response:
    await read_form(request)
    state = get_state(request)
    try:
        await run_in_threadpool(lambda: state.access.revoke_grant(grant_id, principal))
    except TrustDeskError as exc:
        return redirect_back("/compliance", "reidentify", error=f"Not revoked: {exc}")
    return redirect_back("/compliance", "reidentify", done="Grant revoked; it ends now.")


def _uuid_or_empty(value: str) -> str:
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        return ""


def _tokens(value: str) -> list[str]:
    return [t for t in re.split(r"[\s,]+", value.strip()) if t][: MAX_TOKENS + 1]


@router.get("/reveal", response_class=HTMLResponse)
async def reveal_form(
    request: Request, principal: Annotated[Principal, Depends(page_scope(Scope.PII_REVEAL))]
) -> HTMLResponse:
    state = get_state(request)
    grants = await run_in_threadpool(
        lambda: [
            g
            for g in (state.access.active_grants(principal.user_id) if principal.user_id else [])
            if g.scope == Scope.PII_REVEAL
        ]
    )
    context = {
        "customer_id": request.query_params.get("customer", "")[:36],
        "tokens": " ".join(_tokens(request.query_params.get("tokens", ""))[:MAX_TOKENS]),
        "conversation": _uuid_or_empty(request.query_params.get("conversation", "")[:36]),
        "grant_expires": grants[0].expires_at.strftime("%H:%M UTC") if grants else None,
        "min_reason": MIN_GRANT_REASON,
        "max_tokens": MAX_TOKENS,
    }
    return render(request, "compliance_reveal.html", context, principal=principal)


@router.post("/reveal", response_class=HTMLResponse)
async def reveal(
    request: Request, principal: Annotated[Principal, Depends(page_scope(Scope.PII_REVEAL))]
) -> HTMLResponse:
    form = await read_form(request)
    state = get_state(request)
    customer = form.get("customer_id", "").strip()
    tokens = _tokens(form.get("tokens", ""))
    reason = form.get("reason", "").strip()
    context: dict[str, Any] = {
        "customer_id": customer[:36],
        "tokens": " ".join(tokens[:MAX_TOKENS]),
        "conversation": _uuid_or_empty(form.get("conversation", "")[:36]),
        "reason": reason[:2000],
        "min_reason": MIN_GRANT_REASON,
        "max_tokens": MAX_TOKENS,
    }
    try:
        body = RevealBody.model_validate(
            {"customer_id": customer, "tokens": tokens, "reason": reason}
        )
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        context["error"] = f"Nothing was revealed: {problems}."
        return render(
            request, "compliance_reveal.html", context, principal=principal, status_code=422
        )
    try:
        out = await run_in_threadpool(reveal_service, state, principal, body)
    except TrustDeskError as exc:
        context["error"] = f"Nothing was revealed: {exc}."
        return render(
            request, "compliance_reveal.html", context, principal=principal, status_code=404
        )
    _note_appended(state)
    context["revealed"] = [
        {"token": t, "type": (parse_token(t) or ("?", ""))[0], "value": v}
        for t, v in out["values"].items()
    ]
    context["reason"] = ""
    response = render(request, "compliance_reveal.html", context, principal=principal)
    response.headers["referrer-policy"] = "no-referrer"
    return response
