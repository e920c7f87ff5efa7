"""The supervisor page: live volume, escalations, guard verdicts, approvals, stage latency.

``/supervisor`` (``monitor:read``) shows the key figures as server-rendered HTML, each
chart with a table holding the same numbers (the text alternative, and what is shown
without JavaScript). ``/supervisor/data.json`` (same scope) returns the same figures for
the charts, which ``static/supervisor.js`` draws with Plotly (served by the console at
``/console/plotly.min.js``, no CDN) and refreshes on the console's ``change`` events.

Everything is an aggregate computed in SQL on the database (SQLite or PostgreSQL): counts
per time bucket, and nearest-rank percentiles of ``decisions.latency_ms`` with window
functions. Only the per-bucket expression differs between the two dialects. No message
text, customer or conversation id appears on this page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    and_,
    extract,
    func,
    literal_column,
    or_,
    select,
)
from starlette.concurrency import run_in_threadpool

from trustdesk.access import Scope
from trustdesk.access.service import Principal
from trustdesk.api.state import get_state
from trustdesk.console.auth import page_scope
from trustdesk.console.routes import change_stream, render
from trustdesk.store.db import Database
from trustdesk.store.models import Approval, Decision, Escalation, Message, table_of
from trustdesk.types import StageName

router = APIRouter(prefix="/supervisor", include_in_schema=False)

_MSG = table_of(Message)
_ESC = table_of(Escalation)
_DEC = table_of(Decision)
_APR = table_of(Approval)


@dataclass(frozen=True, slots=True)
class Window:
    """A time window shown on the page, cut into equal buckets."""

    key: str
    label: str
    length: timedelta
    bucket_seconds: int

    @property
    def buckets(self) -> int:
        return int(self.length.total_seconds()) // self.bucket_seconds


#: The windows the page offers: the last hour by minute, the last day by quarter hour.
WINDOWS: dict[str, Window] = {
    "1h": Window("1h", "Last hour (per minute)", timedelta(hours=1), 60),
    "24h": Window("24h", "Last 24 hours (per 15 minutes)", timedelta(hours=24), 900),
}
DEFAULT_WINDOW = "1h"

#: The live message rate is averaged over this many minutes.
RATE_MINUTES = 5

GUARD_STAGES = (StageName.INGRESS_GUARD.value, StageName.EGRESS_GUARD.value)
GUARD_VERDICTS = ("block", "review")
STAGES = tuple(s.value for s in StageName)


def window_of(value: str | None) -> Window:
    return WINDOWS.get(value or DEFAULT_WINDOW, WINDOWS[DEFAULT_WINDOW])


def _bucket(conn: Connection, col: Any, start_epoch: int, width: int) -> ColumnElement[int]:
    """The bucket index of a timestamp column: ``floor((t - start) / width)``.

    The two integers are rendered inline (they are computed here, never user input), so
    the same expression can be repeated in GROUP BY and window partitions on PostgreSQL.
    """
    start = literal_column(str(int(start_epoch)), Integer)
    step = literal_column(str(int(width)), Integer)
    if conn.dialect.name == "postgresql":
        seconds = func.floor(extract("epoch", col)).cast(Integer)
    else:  # SQLite stores UTC as text; strftime('%s') reads it as UTC seconds
        seconds = func.strftime("%s", col).cast(Integer)
    return (seconds - start) // step


def _series(rows: Any, n: int) -> list[int]:
    out = [0] * n
    for bucket, count in rows:
        if bucket is not None and 0 <= int(bucket) < n:
            out[int(bucket)] += int(count)
    return out


def _percentiles(
    conn: Connection, since: datetime, bucket: ColumnElement[int] | None
) -> list[tuple[str, int | None, int, float, float]]:
    """(stage, bucket, count, p50, p95) of decisions.latency_ms, nearest rank, in SQL."""
    parts: list[Any] = [_DEC.c.stage]
    if bucket is not None:
        parts.append(bucket)
    rn = func.row_number().over(partition_by=parts, order_by=_DEC.c.latency_ms)
    n = func.count().over(partition_by=parts)
    cols: list[Any] = [_DEC.c.stage, _DEC.c.latency_ms, rn.label("rn"), n.label("n")]
    if bucket is not None:
        cols.append(bucket.label("bucket"))
    sub = select(*cols).where(_DEC.c.created_at >= since).subquery()
    p50_rank = (sub.c.n + 1) // 2
    p95_rank = (sub.c.n * 95 + 99) // 100
    keep = [sub.c.stage, sub.c.n, sub.c.rn, sub.c.latency_ms, p50_rank.label("r50")]
    keep.append(p95_rank.label("r95"))
    if bucket is not None:
        keep.append(sub.c.bucket)
    rows = conn.execute(select(*keep).where(or_(sub.c.rn == p50_rank, sub.c.rn == p95_rank)))
    found: dict[tuple[str, int | None], list[Any]] = {}
    for row in rows:
        key = (str(row.stage), int(row.bucket) if bucket is not None else None)
        entry = found.setdefault(key, [int(row.n), 0.0, 0.0])
        if row.rn == row.r50:
            entry[1] = float(row.latency_ms)
        if row.rn == row.r95:
            entry[2] = float(row.latency_ms)
    return [(k[0], k[1], v[0], v[1], v[2]) for k, v in found.items()]


def _label(t: datetime) -> str:
    return t.strftime("%H:%M")


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _peak(values: list[float], labels: list[str]) -> str:
    if not values or max(values) <= 0:
        return ""
    i = max(range(len(values)), key=lambda j: (values[j], j))
    return f"; highest {values[i]:g} at {labels[i]} UTC"


def supervisor_data(db: Database, window: Window, now: datetime | None = None) -> dict[str, Any]:
    """Every figure of the supervisor page for ``window`` ending now (aggregates only)."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    width = window.bucket_seconds
    n = window.buckets
    current = int(now.timestamp()) // width * width
    start_epoch = current - (n - 1) * width
    since = datetime.fromtimestamp(start_epoch, UTC)
    starts = [since + timedelta(seconds=i * width) for i in range(n)]
    labels = [_label(t) for t in starts]
    rate_since = now - timedelta(minutes=RATE_MINUTES)

    with db.connect_read() as conn:
        mb = _bucket(conn, _MSG.c.created_at, start_epoch, width)
        customer = and_(_MSG.c.role == "customer", _MSG.c.created_at >= since)
        messages = _series(conn.execute(select(mb, func.count()).where(customer).group_by(mb)), n)
        conversations = int(
            conn.execute(
                select(func.count(func.distinct(_MSG.c.conversation_id))).where(customer)
            ).scalar_one()
        )
        recent = int(
            conn.execute(
                select(func.count()).where(
                    _MSG.c.role == "customer", _MSG.c.created_at >= rate_since
                )
            ).scalar_one()
        )

        eb = _bucket(conn, _ESC.c.created_at, start_epoch, width)
        in_window = _ESC.c.created_at >= since
        escalations = _series(
            conn.execute(select(eb, func.count()).where(in_window).group_by(eb)), n
        )
        escalated_conversations = int(
            conn.execute(
                select(func.count(func.distinct(_ESC.c.conversation_id))).where(in_window)
            ).scalar_one()
        )
        open_escalations = int(
            conn.execute(
                select(func.count()).where(_ESC.c.status.in_(("queued", "claimed")))
            ).scalar_one()
        )

        db_ = _bucket(conn, _DEC.c.created_at, start_epoch, width)
        guard_rows = conn.execute(
            select(_DEC.c.stage, _DEC.c.verdict, db_, func.count())
            .where(
                _DEC.c.created_at >= since,
                _DEC.c.stage.in_(GUARD_STAGES),
                _DEC.c.verdict.in_(GUARD_VERDICTS),
            )
            .group_by(_DEC.c.stage, _DEC.c.verdict, db_)
        ).all()
        guard: dict[str, list[int]] = {
            f"{s}:{v}": [0] * n for s in GUARD_STAGES for v in GUARD_VERDICTS
        }
        for stage, verdict, bucket, count in guard_rows:
            if bucket is not None and 0 <= int(bucket) < n:
                guard[f"{stage}:{verdict}"][int(bucket)] += int(count)

        ab = _bucket(conn, _APR.c.created_at, start_epoch, width)
        requested = _series(
            conn.execute(select(ab, func.count()).where(_APR.c.created_at >= since).group_by(ab)),
            n,
        )
        decided_b = _bucket(conn, _APR.c.decided_at, start_epoch, width)
        decided = _series(
            conn.execute(
                select(decided_b, func.count())
                .where(_APR.c.decided_at.is_not(None), _APR.c.decided_at >= since)
                .group_by(decided_b)
            ),
            n,
        )
        pending_count, oldest, overdue = conn.execute(
            select(
                func.count(),
                func.min(_APR.c.created_at),
                func.count().filter(_APR.c.expires_at < now),
            ).where(_APR.c.status == "pending")
        ).one()

        overall = _percentiles(conn, since, None)
        per_bucket = _percentiles(conn, since, _bucket(conn, _DEC.c.created_at, start_epoch, width))

    oldest_age = None
    if oldest is not None:
        if oldest.tzinfo is None:  # pragma: no cover - the column type adds UTC
            oldest = oldest.replace(tzinfo=UTC)
        oldest_age = max(0.0, (now - oldest).total_seconds())

    latency: dict[str, dict[str, Any]] = {
        s: {"stage": s, "count": 0, "p50_ms": None, "p95_ms": None} for s in STAGES
    }
    for stage, _b, count, p50, p95 in overall:
        latency[stage] = {
            "stage": stage,
            "count": count,
            "p50_ms": round(p50, 3),
            "p95_ms": round(p95, 3),
        }
    p95_series: dict[str, list[float | None]] = {s: [None] * n for s in STAGES}
    for stage, bucket, _count, _p50, p95 in per_bucket:
        if bucket is not None and 0 <= bucket < n:
            p95_series.setdefault(stage, [None] * n)[bucket] = round(p95, 3)

    minutes = width / 60
    per_minute = [round(c / minutes, 2) for c in messages]
    total_messages = sum(messages)
    total_escalations = sum(escalations)
    blocks = sum(sum(v) for k, v in guard.items() if k.endswith(":block"))
    reviews = sum(sum(v) for k, v in guard.items() if k.endswith(":review"))
    rate = round(escalated_conversations / conversations, 4) if conversations else None

    def lat_summary() -> str:
        parts = [
            f"{v['stage']} p50 {v['p50_ms']:g} ms, p95 {v['p95_ms']:g} ms"
            for v in latency.values()
            if v["count"]
        ]
        return "; ".join(parts) + "." if parts else "No message was processed in this window."

    charts = [
        {
            "id": "volume",
            "title": "Customer messages per minute",
            "unit": "messages per minute",
            "kind": "line",
            "series": [{"name": "Customer messages per minute", "values": per_minute}],
            "summary": _n(total_messages, "customer message")
            + " in the window"
            + _peak(per_minute, labels)
            + ".",
        },
        {
            "id": "escalations",
            "title": "Escalations to the human desk",
            "unit": "escalations",
            "kind": "bar",
            "series": [{"name": "Escalations", "values": escalations}],
            "summary": _n(total_escalations, "escalation")
            + " in the window"
            + _peak([float(x) for x in escalations], labels)
            + ".",
        },
        {
            "id": "guard",
            "title": "Guard blocks and reviews",
            "unit": "verdicts",
            "kind": "stack",
            "series": [
                {"name": f"{s.replace('_', ' ')} {v}", "values": guard[f"{s}:{v}"]}
                for s in GUARD_STAGES
                for v in GUARD_VERDICTS
            ],
            "summary": f"{_n(blocks, 'block')} and {_n(reviews, 'review')} by the guards "
            "in the window.",
        },
        {
            "id": "approvals",
            "title": "Approvals requested and decided",
            "unit": "approvals",
            "kind": "bar",
            "series": [
                {"name": "Requested", "values": requested},
                {"name": "Decided", "values": decided},
            ],
            "summary": f"{_n(sum(requested), 'approval')} requested and {sum(decided)} decided in "
            f"the window; {int(pending_count)} pending now.",
        },
        {
            "id": "latency",
            "title": "Stage latency, 95th percentile (ms)",
            "unit": "milliseconds",
            "kind": "line",
            "series": [{"name": s, "values": p95_series[s]} for s in STAGES],
            "summary": lat_summary(),
        },
    ]
    return {
        "window": window.key,
        "window_label": window.label,
        "bucket_seconds": width,
        "since": _iso(since),
        "until": _iso(since + window.length),
        "generated_at": _iso(now),
        "buckets": [_iso(t) for t in starts],
        "labels": labels,
        "kpis": {
            "messages_per_minute": round(recent / RATE_MINUTES, 2),
            "rate_minutes": RATE_MINUTES,
            "messages": total_messages,
            "conversations": conversations,
            "escalations": total_escalations,
            "escalated_conversations": escalated_conversations,
            "escalation_rate": rate,
            "open_escalations": open_escalations,
            "guard_blocks": blocks,
            "guard_reviews": reviews,
            "approvals_pending": int(pending_count),
            "approvals_overdue": int(overdue),
            "approvals_oldest_age_seconds": (
                round(oldest_age, 1) if oldest_age is not None else None
            ),
        },
        "latency": list(latency.values()),
        "charts": charts,
    }


def age_text(seconds: float | None) -> str:
    """A short human duration: "45 s", "12 min", "3 h 05 min"."""
    if seconds is None:
        return "—"
    s = int(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


# -- routes ------------------------------------------------------------------------------


@router.get("", response_class=HTMLResponse)
async def supervisor_page(
    request: Request,
    principal: Annotated[Principal, Depends(page_scope(Scope.MONITOR_READ))],
    window: str | None = None,
) -> HTMLResponse:
    chosen = window_of(window)
    data = await run_in_threadpool(supervisor_data, get_state(request).db, chosen)
    context = {
        "d": data,
        "k": data["kpis"],
        "windows": list(WINDOWS.values()),
        "age": age_text(data["kpis"]["approvals_oldest_age_seconds"]),
    }
    template = "supervisor_live.html" if request.query_params.get("fragment") else "supervisor.html"
    return render(request, template, context, principal=principal)


@router.get("/data.json")
async def supervisor_json(
    request: Request,
    _who: Annotated[Principal, Depends(page_scope(Scope.MONITOR_READ))],
    window: str | None = None,
) -> JSONResponse:
    data = await run_in_threadpool(supervisor_data, get_state(request).db, window_of(window))
    return JSONResponse(data, headers={"cache-control": "no-store"})


@router.get("/stream")
async def supervisor_stream(
    request: Request, _who: Annotated[Principal, Depends(page_scope(Scope.MONITOR_READ))]
) -> StreamingResponse:
    """Change events (the ledger grew): the page then re-reads its figures."""
    return change_stream(request)
