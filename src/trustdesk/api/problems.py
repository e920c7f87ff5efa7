"""RFC 9457 problem details: every error answer is ``application/problem+json``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from trustdesk import errors
from trustdesk.access.errors import PROBLEM_TYPES as ACCESS_PROBLEMS
from trustdesk.ledger.service import LedgerNotCheckpointed

PROBLEM_BASE = "https://trustdesk.example/problems/"
MEDIA_TYPE = "application/problem+json"


def problem(status: int, slug: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


#: Domain error → (status, slug, title). Order matters: first match wins.
_DOMAIN: list[tuple[type[errors.TrustDeskError], int, str, str]] = [
    *ACCESS_PROBLEMS,
    (errors.MessageTooLarge, 413, "message-too-large", "Message too large"),
    (errors.EmptyMessage, 422, "empty-message", "Empty message"),
    (errors.InvalidEncoding, 400, "invalid-encoding", "Invalid encoding"),
    (errors.MalformedJson, 400, "malformed-json", "Malformed JSON"),
    (errors.ConversationNotFound, 404, "conversation-not-found", "Conversation not found"),
    (errors.ConversationClosed, 409, "conversation-closed", "Conversation closed"),
    (errors.ReplayedWebhook, 409, "webhook-replayed", "Webhook delivery replayed"),
    (errors.StaleTimestamp, 401, "webhook-stale", "Webhook timestamp outside replay window"),
    (errors.InvalidSignature, 401, "webhook-signature", "Invalid webhook signature"),
    (errors.StoreError, 503, "store-unavailable", "Store unavailable"),
    (errors.NotFound, 404, "not-found", "Not found"),
    (errors.VerificationFailed, 403, "verification-failed", "Verification failed"),
    (errors.RateLimited, 429, "rate-limited", "Too many messages"),
    (errors.Conflict, 409, "conflict", "Conflict"),
    (LedgerNotCheckpointed, 409, "not-checkpointed", "No signed checkpoint covers this"),
    (errors.InputError, 422, "invalid-input", "Invalid input"),
]


def _domain_handler(_request: Request, exc: Exception) -> JSONResponse:
    for cls, status, slug, title in _DOMAIN:
        if isinstance(exc, cls):
            resp = problem(status, slug, title, str(exc))
            if status == 401:
                resp.headers["WWW-Authenticate"] = "Bearer"
            if isinstance(exc, errors.RateLimited):
                resp.headers["Retry-After"] = str(max(1, round(exc.retry_after)))
            return resp
    return problem(500, "internal", "Internal error", "an unexpected error occurred")


def _validation_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errs = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errs):
        return problem(400, "malformed-json", "Malformed JSON", "request body is not valid JSON")
    if any(e.get("type") == "string_unicode" for e in errs):
        return problem(
            400,
            "invalid-encoding",
            "Invalid encoding",
            "a string contains unpaired surrogates; it is not valid UTF-8",
        )
    items = [
        {
            "location": ".".join(str(p) for p in e.get("loc", ())),
            "message": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in errs
    ]
    first = items[0] if items else {"location": "body", "message": "invalid"}
    return problem(
        422,
        "validation",
        "Request validation failed",
        f"{first['location']}: {first['message']}",
        errors=items,
    )


def _http_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    slug = {404: "not-found", 405: "method-not-allowed", 413: "body-too-large"}.get(
        exc.status_code, "http-error"
    )
    title = {404: "Not found", 405: "Method not allowed", 413: "Request body too large"}.get(
        exc.status_code, "HTTP error"
    )
    resp = problem(exc.status_code, slug, title, str(exc.detail))
    if exc.headers:
        resp.headers.update(exc.headers)
    return resp


def install(app: FastAPI) -> None:
    app.add_exception_handler(errors.TrustDeskError, _domain_handler)
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_handler)
