"""Re-identification: revealing a customer's raw profile under a time-bound grant."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from trustdesk.access import Scope, require
from trustdesk.access.service import Principal
from trustdesk.api.state import AppState, StateDep
from trustdesk.errors import NotFound
from trustdesk.ledger import EventType, LedgerEvent
from trustdesk.ledger.sql import SqlLedger
from trustdesk.privacy.vault import SqlVault, VaultError, load_master_key
from trustdesk.store.models import Customer

router = APIRouter(prefix="/v1/customers", tags=["privacy"])

Revealer = Annotated[Principal, Depends(require(Scope.PII_REVEAL))]


class CustomerNotFound(NotFound):
    def __init__(self, customer_id: uuid.UUID) -> None:
        super().__init__(f"customer {customer_id} does not exist or has no stored profile")


class RevealBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=10, max_length=2000, description="Why, in writing.")


def _reveal(state: AppState, who: Principal, customer_id: uuid.UUID, reason: str) -> dict[str, Any]:
    master = load_master_key(state.settings.data_dir)
    with state.db.write() as session:
        customer = session.get(Customer, customer_id)
        if customer is None or customer.profile_ciphertext is None:
            raise CustomerNotFound(customer_id)
        try:
            profile = json.loads(
                SqlVault(session, master).decrypt(
                    customer_id, "profile", customer.profile_ciphertext
                )
            )
        except VaultError as exc:
            raise CustomerNotFound(customer_id) from exc
        SqlLedger(session).append(
            LedgerEvent(
                type=EventType.VAULT_REVEALED,
                actor=who.actor,
                subject=str(customer_id),
                payload={
                    "fields": sorted(profile),
                    "reason_sha256": hashlib.sha256(reason.encode()).hexdigest(),
                },
            )
        )
    return {
        "customer_id": str(customer_id),
        "external_ref": customer.external_ref,
        "profile": profile,
    }


@router.post("/{customer_id}/reveal", summary="Reveal a customer's raw profile (audited).")
async def reveal(
    customer_id: uuid.UUID, body: RevealBody, who: Revealer, state: StateDep
) -> dict[str, Any]:
    return await run_in_threadpool(_reveal, state, who, customer_id, body.reason)
