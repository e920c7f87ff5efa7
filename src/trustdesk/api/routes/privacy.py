"""The privacy engine over HTTP: scan text, and reveal sealed tokens under audit."""

from __future__ import annotations

import hashlib
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from trustdesk.access import Scope, require
from trustdesk.access.service import Principal
from trustdesk.api.state import AppState, StateDep
from trustdesk.errors import NotFound
from trustdesk.ledger import EventType, LedgerEvent
from trustdesk.ledger.sql import SqlLedger
from trustdesk.privacy.api import TurnFinding, scan_conversation
from trustdesk.privacy.api import scan as scan_text
from trustdesk.privacy.engine import TAG_ALL, PrivacyEngine
from trustdesk.privacy.operators import Action, Operator, parse_token
from trustdesk.privacy.policy import Policy
from trustdesk.privacy.tokens import reveal_tokens
from trustdesk.privacy.vault import SubjectShredded, load_master_key
from trustdesk.service import validate_text
from trustdesk.store.models import Customer, table_of
from trustdesk.types import Finding

router = APIRouter(prefix="/v1/privacy", tags=["privacy"])

Scanner = Annotated[Principal, Depends(require(Scope.PRIVACY_SCAN))]
Revealer = Annotated[Principal, Depends(require(Scope.PII_REVEAL))]

MAX_TURNS = 100
MAX_TOKENS = 100
#: Operators the scan endpoint offers; nothing it returns can be reversed.
SCAN_OPERATORS = frozenset({Action.TAG, Action.MASK, Action.KEEP_LAST, Action.PSEUDONYMIZE})


class ScanBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="One text; give this or `turns`.")
    turns: list[str] | None = Field(
        None,
        max_length=MAX_TURNS,
        description="A customer's messages in order; values split across them are found.",
    )
    operator: str = Field(
        "tag",
        description="tag, mask, keep_last:N or pseudonymize (the deployment's tokens).",
    )

    @model_validator(mode="after")
    def _one_input(self) -> ScanBody:
        if (self.text is None) == (self.turns is None):
            raise ValueError("give exactly one of `text` or `turns`")
        return self

    @field_validator("operator")
    @classmethod
    def _operator(cls, value: str) -> str:
        op = Operator.parse(value)
        if op.action not in SCAN_OPERATORS:
            allowed = ", ".join(sorted(a.value for a in SCAN_OPERATORS))
            raise ValueError(f"operator must be one of {allowed}")
        return value


class FindingOut(BaseModel):
    turn: int
    start: int
    end: int
    type: str
    score: float
    detector: str
    explanation: str


class ScanOut(BaseModel):
    findings: list[FindingOut]
    redacted: str | list[str]


def _engine(state: AppState) -> PrivacyEngine:
    privacy = state.service.pipeline.privacy
    if isinstance(privacy, PrivacyEngine):
        return privacy
    return PrivacyEngine()  # pragma: no cover - a custom privacy stage


def _out(turn: int, f: Finding) -> FindingOut:
    return FindingOut(
        **TurnFinding(turn, f).to_dict(),
        explanation=f.explanation,
    )


def _scan(state: AppState, body: ScanBody) -> ScanOut:
    engine = _engine(state)
    op = Operator.parse(body.operator)
    policy = TAG_ALL if op.action is Action.TAG else Policy(default=op)
    limit = state.settings.api.max_message_bytes
    if body.text is not None:
        one = scan_text(validate_text(body.text, max_bytes=limit), engine=engine, policy=policy)
        return ScanOut(findings=[_out(0, f) for f in one.findings], redacted=one.redacted)
    assert body.turns is not None
    turns = [validate_text(t, max_bytes=limit) for t in body.turns]
    conv = scan_conversation(turns, engine=engine, policy=policy)
    return ScanOut(
        findings=[_out(t.turn, t.finding) for t in conv.findings], redacted=list(conv.redacted)
    )


@router.post("/scan", summary="Find and redact personal data in a text or a conversation.")
async def scan(body: ScanBody, _who: Scanner, state: StateDep) -> ScanOut:
    return await run_in_threadpool(_scan, state, body)


class RevealBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_id: uuid.UUID
    tokens: list[str] = Field(min_length=1, max_length=MAX_TOKENS)
    reason: str = Field(min_length=10, max_length=2000, description="Why, in writing.")

    @field_validator("tokens")
    @classmethod
    def _tokens(cls, tokens: list[str]) -> list[str]:
        for token in tokens:
            if parse_token(token) is None:
                raise ValueError(f"not a vault token: {token[:40]!r}")
        return tokens


class SubjectNotFound(NotFound):
    def __init__(self, customer_id: uuid.UUID) -> None:
        super().__init__(f"customer {customer_id} does not exist or their values were shredded")


def _reveal(state: AppState, who: Principal, body: RevealBody) -> dict[str, Any]:
    master = load_master_key(state.settings.data_dir)
    with state.db.connect_write() as conn:
        customers = table_of(Customer)
        exists = conn.execute(
            select(customers.c.id).where(customers.c.id == body.customer_id)
        ).first()
        if exists is None:
            raise SubjectNotFound(body.customer_id)
        try:
            values = reveal_tokens(conn, master, subject=body.customer_id, tokens=body.tokens)
        except SubjectShredded as exc:
            raise SubjectNotFound(body.customer_id) from exc
        SqlLedger(conn).append(
            LedgerEvent(
                type=EventType.VAULT_REVEALED,
                actor=who.actor,
                subject=str(body.customer_id),
                payload={
                    "tokens": sorted(t for t, v in values.items() if v is not None),
                    "missing": sum(v is None for v in values.values()),
                    "reason_sha256": hashlib.sha256(body.reason.encode()).hexdigest(),
                },
            )
        )
    return {"customer_id": str(body.customer_id), "values": values}


@router.post("/reveal", summary="Reveal the values behind vault tokens (audited).")
async def reveal(body: RevealBody, who: Revealer, state: StateDep) -> dict[str, Any]:
    return await run_in_threadpool(_reveal, state, who, body)
