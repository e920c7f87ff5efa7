"""``POST /v1/guard/check``: judge one text with the layered ingress guard.

For integrations that need the verdict before (or outside) a conversation: a channel
checking an inbound message, the agent runtime checking what a tool or a document
returned (``source`` marks such text untrusted: stricter thresholds). Needs the
``tool:call`` scope (the AI agent's machine identity): customers do not get the guard as
an oracle to tune their attacks against.

The guard is taken from ``app.state.ingress_guard`` when the app sets one (so it shares
the pipeline's thresholds), else the default :class:`LayeredIngressGuard` is built once.
The text is never logged or stored here.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from trustdesk.access import Scope, require
from trustdesk.access.service import Principal
from trustdesk.guard.layered import LayeredIngressGuard, Source

__all__ = ["CheckBody", "router"]

MAX_TEXT_BYTES = 8 * 1024

router = APIRouter(prefix="/v1/guard", tags=["guard"])

Checker = Annotated[Principal, Depends(require(Scope.GUARD_CHECK))]


@lru_cache(maxsize=1)
def _default_guard() -> LayeredIngressGuard:
    return LayeredIngressGuard()


async def _guard(conn: HTTPConnection) -> LayeredIngressGuard:
    guard = getattr(conn.app.state, "ingress_guard", None)
    if isinstance(guard, LayeredIngressGuard):
        return guard
    return _default_guard()


GuardDep = Annotated[LayeredIngressGuard, Depends(_guard)]


class CheckBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        max_length=MAX_TEXT_BYTES, description="The text to judge (at most 8 KiB of UTF-8)."
    )
    source: Source = Field(
        "customer", description="Where the text comes from; tool/document/knowledge = untrusted."
    )

    @field_validator("text")
    @classmethod
    def _at_most_8_kib(cls, text: str) -> str:
        if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
            raise ValueError(f"text exceeds {MAX_TEXT_BYTES} bytes of UTF-8")
        return text


class CheckResponse(BaseModel):
    verdict: str
    score: float
    reasons: list[dict[str, Any]]


@router.post("/check", summary="Judge a text with the ingress guard.")
async def check(body: CheckBody, who: Checker, guard: GuardDep) -> CheckResponse:
    del who
    result = await run_in_threadpool(guard.check, body.text, body.source)
    return CheckResponse(
        verdict=str(result.verdict),
        score=round(result.score, 4),
        reasons=[r.to_dict() for r in result.reasons],
    )
