"""Logging in and out, and who am I."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from trustdesk.access import SESSION_COOKIE, clear_session_cookie, set_session_cookie
from trustdesk.access.deps import credential_from
from trustdesk.access.service import Principal
from trustdesk.api.state import StateDep

router = APIRouter(prefix="/v1/auth", tags=["auth"])

SESSION_TTL = timedelta(hours=8)


class LoginBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024, repr=False)


def principal_view(p: Principal) -> dict[str, Any]:
    return {
        "kind": p.kind,
        "name": p.name,
        "role": str(p.role),
        "actor": p.actor,
        "scopes": sorted(str(s) for s in p.scopes),
    }


@router.post("/login", summary="Log in with a password; sets an HttpOnly session cookie.")
async def login(
    body: LoginBody, request: Request, response: Response, state: StateDep
) -> dict[str, Any]:
    result = await run_in_threadpool(
        lambda: state.access.login(body.username, body.password, ttl=SESSION_TTL)
    )
    set_session_cookie(
        response, result.token, max_age=SESSION_TTL, secure=request.url.scheme == "https"
    )
    return {
        "token": result.token,
        "expires_at": result.expires_at.isoformat(),
        "principal": principal_view(result.principal),
    }


@router.post("/logout", summary="End the current session.")
async def logout(request: Request, response: Response, state: StateDep) -> dict[str, str]:
    token = credential_from(request)
    if token and token.startswith("tds_"):
        await run_in_threadpool(state.access.revoke_session, token)
    clear_session_cookie(response)
    return {"status": "logged out"}


@router.get("/me", summary="The authenticated principal and its scopes.")
async def me(request: Request, state: StateDep) -> dict[str, Any]:
    token = credential_from(request)
    principal = await run_in_threadpool(state.access.resolve_token, token)
    return principal_view(principal)


__all__ = ["SESSION_COOKIE", "router"]
