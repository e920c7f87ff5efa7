"""The audit ledger: search, verification, inclusion proofs, checkpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool

from trustdesk.access import Scope, require
from trustdesk.access.service import Principal
from trustdesk.api.state import StateDep

router = APIRouter(prefix="/v1/ledger", tags=["ledger"])

Reader = Annotated[Principal, Depends(require(Scope.LEDGER_READ))]
Verifier = Annotated[Principal, Depends(require(Scope.LEDGER_VERIFY))]
Prover = Annotated[Principal, Depends(require(Scope.LEDGER_PROVE))]
Exporter = Annotated[Principal, Depends(require(Scope.LEDGER_EXPORT))]


@router.get("/events", summary="Search ledger events (redacted content only).")
async def search_events(
    state: StateDep,
    who: Reader,
    conversation_id: Annotated[str | None, Query(max_length=64)] = None,
    actor: Annotated[str | None, Query(max_length=128)] = None,
    type: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z_]+\.[a-z_]+$")] = None,
    subject: Annotated[str | None, Query(max_length=64)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    q: Annotated[str | None, Query(max_length=256, description="Full-text query.")] = None,
    after_seq: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    del who
    events = await run_in_threadpool(
        lambda: state.ledger.search(
            conversation_id=conversation_id,
            actor=actor,
            type=type,
            subject=subject,
            since=since,
            until=until,
            text_query=q,
            after_seq=after_seq,
            limit=limit,
        )
    )
    return {
        "events": events,
        "next_after_seq": events[-1]["seq"] if len(events) == limit else None,
    }


@router.get("/verify", summary="Verify the whole chain and every signed checkpoint.")
async def verify(
    state: StateDep, who: Verifier, from_seq: Annotated[int, Query(ge=1, alias="from")] = 1
) -> dict[str, Any]:
    del who
    report = await run_in_threadpool(lambda: state.ledger.verify(from_seq=from_seq))
    data = report.to_dict()
    data["latest_checkpoint"] = (
        cp.to_dict() if (cp := state.ledger.latest_checkpoint()) is not None else None
    )
    data["public_key"] = state.ledger.signer.public_key_hex
    return data


@router.get("/events/{ref}/proof", summary="Inclusion proof of one event (id or seq).")
async def prove(state: StateDep, who: Prover, ref: str) -> dict[str, Any]:
    del who
    return await run_in_threadpool(state.ledger.prove, ref)


@router.get("/consistency", summary="Consistency proof between two signed checkpoints.")
async def consistency(
    state: StateDep,
    who: Prover,
    old: Annotated[int, Query(ge=1)],
    new: Annotated[int | None, Query(ge=1)] = None,
) -> dict[str, Any]:
    del who
    return await run_in_threadpool(state.ledger.consistency, old, new)


@router.get("/checkpoints", summary="Every signed checkpoint, for external witnessing.")
async def checkpoints(state: StateDep, who: Exporter) -> dict[str, Any]:
    del who
    return await run_in_threadpool(state.ledger.export_checkpoints)
