"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST

from trustdesk.api.state import StateDep
from trustdesk.errors import TrustDeskError
from trustdesk.store.db import ensure_current

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Liveness: the process answers.")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: database reachable and schema current.")
def readyz(state: StateDep) -> JSONResponse:
    checks: dict[str, str] = {}
    ok = True
    try:
        state.db.ping()
        checks["database"] = "ok"
        ensure_current(state.db.engine)
        checks["schema"] = "ok"
    except TrustDeskError as exc:
        ok = False
        checks.setdefault("database", "ok")
        checks["schema" if checks["database"] == "ok" else "database"] = str(exc)
    return JSONResponse(
        {"status": "ready" if ok else "unavailable", "checks": checks},
        status_code=200 if ok else 503,
    )


@router.get("/metrics", summary="Prometheus metrics.", include_in_schema=False)
def metrics(state: StateDep) -> Response:
    return Response(state.metrics.render(), media_type=CONTENT_TYPE_LATEST)
