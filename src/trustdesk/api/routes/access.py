"""Managing identities: users, API keys, and time-bound grants."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from trustdesk.access import Role, Scope, require
from trustdesk.access.service import Principal
from trustdesk.api.state import StateDep

router = APIRouter(prefix="/v1", tags=["access"])

UserManager = Annotated[Principal, Depends(require(Scope.USER_MANAGE))]
KeyManager = Annotated[Principal, Depends(require(Scope.APIKEY_MANAGE))]
GrantManager = Annotated[Principal, Depends(require(Scope.GRANT_MANAGE))]


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=3, max_length=64, pattern=r"^[a-z0-9][a-z0-9._-]*$")
    display_name: str = Field(min_length=1, max_length=128)
    role: Role
    password: str = Field(min_length=1, max_length=1024, repr=False)


class NewApiKey(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=128)
    role: Role
    ttl_hours: float | None = Field(None, gt=0, le=24 * 366)


class NewGrant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: uuid.UUID
    scope: Scope
    reason: str = Field(min_length=1, max_length=2000)
    ttl_minutes: float = Field(60, gt=0, le=8 * 60)


@router.post("/users", status_code=201, summary="Create a user.")
async def create_user(body: NewUser, who: UserManager, state: StateDep) -> dict[str, str]:
    uid = await run_in_threadpool(
        lambda: state.access.create_user(
            username=body.username,
            display_name=body.display_name,
            role=body.role,
            password=body.password,
            by=who,
        )
    )
    return {"id": str(uid), "username": body.username, "role": str(body.role)}


@router.post("/api-keys", status_code=201, summary="Create an API key (shown once).")
async def create_api_key(body: NewApiKey, who: KeyManager, state: StateDep) -> dict[str, str]:
    ttl = timedelta(hours=body.ttl_hours) if body.ttl_hours else None
    key, kid = await run_in_threadpool(
        lambda: state.access.create_api_key(name=body.name, role=body.role, ttl=ttl, by=who)
    )
    return {"id": str(kid), "key": key, "prefix": "_".join(key.split("_")[:2])}


@router.delete("/api-keys/{prefix}", summary="Revoke an API key.")
async def revoke_api_key(prefix: str, who: KeyManager, state: StateDep) -> dict[str, str]:
    await run_in_threadpool(lambda: state.access.revoke_api_key(prefix, by=who))
    return {"prefix": prefix, "status": "revoked"}


@router.post("/grants", status_code=201, summary="Grant a scope for a limited time.")
async def create_grant(body: NewGrant, who: GrantManager, state: StateDep) -> dict[str, Any]:
    gid = await run_in_threadpool(
        lambda: state.access.grant(
            user_id=body.user_id,
            scope=body.scope,
            reason=body.reason,
            granted_by=who,
            ttl=timedelta(minutes=body.ttl_minutes),
        )
    )
    return {"id": str(gid), "user_id": str(body.user_id), "scope": str(body.scope)}


@router.get("/users/{user_id}/grants", summary="A user's active grants.")
async def list_grants(user_id: uuid.UUID, who: GrantManager, state: StateDep) -> dict[str, Any]:
    del who
    grants = await run_in_threadpool(state.access.active_grants, user_id)
    return {
        "grants": [
            {
                "id": str(g.id),
                "scope": str(g.scope),
                "reason": g.reason,
                "granted_by": g.granted_by,
                "expires_at": g.expires_at.isoformat(),
            }
            for g in grants
        ]
    }


@router.delete("/grants/{grant_id}", summary="Revoke a grant before it expires.")
async def revoke_grant(grant_id: uuid.UUID, who: GrantManager, state: StateDep) -> dict[str, str]:
    await run_in_threadpool(lambda: state.access.revoke_grant(grant_id, who))
    return {"id": str(grant_id), "status": "revoked"}
