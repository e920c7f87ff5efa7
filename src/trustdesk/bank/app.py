"""The demo core bank's HTTP API: every call needs a tool token, and is audited.

Each endpoint is one tool with one required scope (:data:`ENDPOINTS`). A call must carry
``Authorization: Bearer <tool token>`` minted for this bank's audience, for that tool,
with that scope. The customer is always the token's ``sub``: no path or body parameter
names a customer, so a token for one customer can never reach another's data. A card,
transaction or fee of someone else answers 404, exactly like one that does not exist.

Answers hold only the fields the token's ``fields`` claim lists, intersected with what
the endpoint can return. Every call that reaches an endpoint writes one row to
``bank_audit``: allowed calls in the same transaction as their effect, denied ones
(bad token, wrong scope, someone else's card, invalid body, ...) with their reason.

Errors are RFC 9457 ``application/problem+json`` with a machine-readable ``reason``
(``token_expired``, ``wrong_audience``, ``bad_signature``, ``scope_denied``,
``replayed``, ``not_found``, ...).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from trustdesk.bank.models import (
    AddressChange,
    AuditEntry,
    BankAccount,
    BankCard,
    BankCustomer,
    BankTransaction,
    Dispute,
    FeeRecord,
    TokenUse,
    utcnow,
)
from trustdesk.bank.settings import BankSettings, open_bank_db
from trustdesk.errors import TrustDeskError
from trustdesk.store.db import Database
from trustdesk.tooltokens import ToolClaims, ToolTokenError, ToolTokenVerifier, load_public_keys

__all__ = [
    "ENDPOINTS",
    "BankProblem",
    "Call",
    "Endpoint",
    "app_from_env",
    "authorize",
    "create_bank_app",
]

log = logging.getLogger(__name__)

PROBLEM_BASE = "https://northwind.example/problems/"
MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One tool: its name, the scope it requires and the fields it can return."""

    tool: str
    scope: str
    fields: tuple[str, ...]


CARD_FIELDS = (
    "id",
    "last4",
    "brand",
    "status",
    "expiry",
    "delivery_status",
    "expected_delivery",
)
TRANSACTION_FIELDS = ("id", "date", "merchant", "amount", "currency", "card_id")
DISPUTE_FIELDS = ("id", "transaction_id", "reason", "status", "created_at")
ADDRESS_FIELDS = ("address", "changed_at")
FEE_FIELDS = ("id", "kind", "amount", "currency", "charged_on", "refunded", "refunded_at")

#: Every endpoint's tool, scope and returnable fields, by tool name.
ENDPOINTS: dict[str, Endpoint] = {
    e.tool: e
    for e in (
        Endpoint("get_card_status", "cards:read", CARD_FIELDS),
        Endpoint("freeze_card", "cards:freeze", CARD_FIELDS),
        Endpoint("list_transactions", "transactions:read", TRANSACTION_FIELDS),
        Endpoint("start_dispute", "disputes:create", DISPUTE_FIELDS),
        Endpoint("update_address", "profile:address:write", ADDRESS_FIELDS),
        Endpoint("refund_fee", "fees:refund", FEE_FIELDS),
    )
}

_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "Request validation failed",
    500: "Internal error",
    503: "Service unavailable",
}
#: Token failures answered 403 (authentic token, not good for this call) or 503.
_TOKEN_STATUS = {"scope_denied": 403, "tool_mismatch": 403, "replay_cache_full": 503}


class BankProblem(Exception):
    """An error answer: HTTP status, reason code, human detail."""

    def __init__(
        self, status: int, reason: str, detail: str, *, claims: ToolClaims | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.reason = reason
        self.detail = detail
        self.claims = claims


def _problem(status: int, reason: str, detail: str, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + reason.replace("_", "-"),
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "reason": reason,
    }
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


def _money(cents: int) -> str:
    return str(Decimal(cents).scaleb(-2))


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # SQLite returns naive UTC
    return value.isoformat()


@dataclass(frozen=True, slots=True)
class Call:
    """An authorized call: the verified claims and the endpoint they were checked for."""

    claims: ToolClaims
    endpoint: Endpoint

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields this call may return: the endpoint's, in its order, if granted."""
        granted = set(self.claims.fields)
        return tuple(f for f in self.endpoint.fields if f in granted)

    def project(self, record: Mapping[str, Any]) -> dict[str, Any]:
        return {name: record[name] for name in self.fields}

    def customer(self, session: Session) -> BankCustomer:
        found = session.scalar(select(BankCustomer).where(BankCustomer.ref == self.claims.subject))
        if found is None:
            raise BankProblem(
                404, "customer_not_found", "no customer has this reference", claims=self.claims
            )
        return found

    def not_found(self, what: str) -> BankProblem:
        return BankProblem(404, "not_found", f"no such {what}", claims=self.claims)

    def allow(self, session: Session, request: Request, status: int = 200) -> None:
        """Record this call as allowed, inside the transaction of its effect."""
        session.add(_audit_row(request, self.endpoint, self.claims, "allowed", "ok", status))


def _audit_row(
    request: Request,
    endpoint: Endpoint,
    claims: ToolClaims | None,
    outcome: str,
    reason: str,
    status: int,
) -> AuditEntry:
    return AuditEntry(
        at=utcnow(),
        tool=endpoint.tool,
        scope=endpoint.scope,
        method=request.method[:8],
        path=request.url.path[:256],
        subject=claims.subject if claims else None,
        outcome=outcome,
        reason=reason[:32],
        status_code=status,
        token_jti=claims.jti if claims else None,
        conversation_id=claims.conversation_id if claims else None,
    )


def _card_record(card: BankCard) -> dict[str, Any]:
    return {
        "id": card.id,
        "last4": card.last4,
        "brand": card.brand,
        "status": card.status,
        "expiry": f"{card.expiry_month:02d}/{card.expiry_year % 100:02d}",
        "delivery_status": card.delivery_status,
        "expected_delivery": _iso(card.expected_delivery),
    }


def _fee_record(fee: FeeRecord) -> dict[str, Any]:
    return {
        "id": fee.id,
        "kind": fee.kind,
        "amount": _money(fee.amount_cents),
        "currency": fee.currency,
        "charged_on": _iso(fee.charged_on),
        "refunded": fee.refunded,
        "refunded_at": _iso(fee.refunded_at),
    }


class DisputeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    transaction_id: str = Field(min_length=1, max_length=24)
    reason: str = Field(min_length=3, max_length=500)


class AddressIn(BaseModel):
    """A new postal address. There is no customer field: the customer is the token's."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    line1: str = Field(min_length=1, max_length=120)
    line2: str | None = Field(None, max_length=120)
    postal_code: str = Field(min_length=1, max_length=16)
    city: str = Field(min_length=1, max_length=80)
    region: str | None = Field(None, max_length=80)
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")

    def formatted(self) -> str:
        parts = [self.line1, self.line2, f"{self.postal_code} {self.city}", self.region]
        return ", ".join([p for p in parts if p] + [self.country])


@dataclass(frozen=True, slots=True)
class _BankState:
    db: Database
    verifier: ToolTokenVerifier


def _state(request: Request) -> _BankState:
    state = request.app.state.bank
    assert isinstance(state, _BankState)
    return state


# -- authorization --------------------------------------------------------------------


def _record_use(state: _BankState, claims: ToolClaims) -> None:
    """The shared replay record: a jti is accepted once across all workers."""
    now = utcnow()
    leeway = timedelta(seconds=state.verifier.leeway)
    expires = datetime.fromtimestamp(claims.expires_at, UTC) + leeway
    try:
        with state.db.write() as session:
            session.execute(delete(TokenUse).where(TokenUse.expires_at < now))
            session.add(TokenUse(jti=claims.jti, expires_at=expires))
    except IntegrityError:
        raise BankProblem(401, "replayed", "this token was used before", claims=claims) from None


def authorize(endpoint: Endpoint) -> Callable[[Request], Call]:
    """A dependency admitting a call only with a valid token for ``endpoint``."""

    def dependency(request: Request) -> Call:
        request.state.bank_endpoint = endpoint
        state = _state(request)
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if not header:
            raise BankProblem(401, "missing_token", "send Authorization: Bearer <token>")
        if scheme.lower() != "bearer" or not token.strip():
            raise BankProblem(401, "malformed", "expected Authorization: Bearer <token>")
        try:
            claims = state.verifier.verify(
                token.strip(), required_scope=endpoint.scope, tool=endpoint.tool
            )
        except ToolTokenError as exc:
            status = _TOKEN_STATUS.get(exc.reason, 401)
            raise BankProblem(status, exc.reason, str(exc), claims=exc.claims) from None
        request.state.bank_claims = claims
        _record_use(state, claims)
        return Call(claims, endpoint)

    return dependency


def _endpoint_of(request: Request) -> Endpoint | None:
    found = getattr(request.state, "bank_endpoint", None)
    if isinstance(found, Endpoint):
        return found
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match == Match.FULL:
            return ENDPOINTS.get(getattr(route, "name", ""))
    return None


def _audit_denied(request: Request, claims: ToolClaims | None, reason: str, status: int) -> None:
    """One audit row for a refused call (own transaction: the call's was rolled back)."""
    endpoint = _endpoint_of(request)
    if endpoint is None:  # not a tool endpoint (health, docs, unknown path)
        return
    if claims is None:
        known = getattr(request.state, "bank_claims", None)
        claims = known if isinstance(known, ToolClaims) else None
    try:
        with _state(request).db.write() as session:
            session.add(_audit_row(request, endpoint, claims, "denied", reason, status))
    except SQLAlchemyError:
        log.exception("bank audit write failed")


# -- errors ---------------------------------------------------------------------------


def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BankProblem)
    _audit_denied(request, exc.claims, exc.reason, exc.status)
    response = _problem(exc.status, exc.reason, exc.detail)
    if exc.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    elif exc.status == 403:
        endpoint = _endpoint_of(request)
        scope = f', scope="{endpoint.scope}"' if endpoint else ""
        response.headers["WWW-Authenticate"] = f'Bearer error="insufficient_scope"{scope}'
    return response


def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        _audit_denied(request, None, "malformed_json", 400)
        return _problem(400, "malformed_json", "request body is not valid JSON")
    items = [
        {
            "location": ".".join(str(p) for p in e.get("loc", ())),
            "message": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in errors
    ]
    first = items[0] if items else {"location": "request", "message": "invalid"}
    _audit_denied(request, None, "invalid_request", 422)
    detail = f"{first['location']}: {first['message']}"
    return _problem(422, "invalid_request", detail, errors=items)


def _on_http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    reason = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    response = _problem(exc.status_code, reason, str(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def _on_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("bank call failed: %s", type(exc).__name__)
    _audit_denied(request, None, "internal_error", 500)
    return _problem(500, "internal_error", "an unexpected error occurred")


# -- endpoints ------------------------------------------------------------------------

router = APIRouter()
_PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {"description": _TITLES[status], "content": {MEDIA_TYPE: {}}}
    for status in (401, 403, 404, 409, 422)
}

CardsRead = Annotated[Call, Depends(authorize(ENDPOINTS["get_card_status"]))]
CardsFreeze = Annotated[Call, Depends(authorize(ENDPOINTS["freeze_card"]))]
TransactionsRead = Annotated[Call, Depends(authorize(ENDPOINTS["list_transactions"]))]
DisputesCreate = Annotated[Call, Depends(authorize(ENDPOINTS["start_dispute"]))]
AddressWrite = Annotated[Call, Depends(authorize(ENDPOINTS["update_address"]))]
FeesRefund = Annotated[Call, Depends(authorize(ENDPOINTS["refund_fee"]))]


@router.get("/healthz", tags=["health"])
def healthz(request: Request) -> dict[str, str]:
    try:
        _state(request).db.ping()
    except TrustDeskError:
        raise BankProblem(503, "database_unavailable", "database unreachable") from None
    return {"status": "ok"}


@router.get("/v1/cards", name="get_card_status", responses=_PROBLEMS, tags=["cards"])
def get_cards(request: Request, call: CardsRead) -> dict[str, Any]:
    """The customer's cards (tool ``get_card_status``, scope ``cards:read``)."""
    with _state(request).db.write() as session:
        customer = call.customer(session)
        cards = session.scalars(
            select(BankCard).where(BankCard.customer_id == customer.id).order_by(BankCard.id)
        ).all()
        call.allow(session, request)
        return {"cards": [call.project(_card_record(c)) for c in cards]}


@router.post("/v1/cards/{card_id}/freeze", name="freeze_card", responses=_PROBLEMS, tags=["cards"])
def freeze_card(card_id: str, request: Request, call: CardsFreeze) -> dict[str, Any]:
    """Freeze one of the customer's cards (tool ``freeze_card``, scope ``cards:freeze``).

    Idempotent: freezing a frozen card answers 200 with ``changed: false``; a lost or
    cancelled card answers 409 ``card_not_active``.
    """
    with _state(request).db.write() as session:
        customer = call.customer(session)
        card = session.get(BankCard, card_id)
        if card is None or card.customer_id != customer.id:
            raise call.not_found("card")
        changed = False
        if card.status == "active":
            card.status, card.frozen_at, changed = "frozen", utcnow(), True
        elif card.status != "frozen":
            raise BankProblem(
                409, "card_not_active", f"a {card.status} card cannot be frozen", claims=call.claims
            )
        call.allow(session, request)
        return {"card": call.project(_card_record(card)), "changed": changed}


@router.get(
    "/v1/transactions", name="list_transactions", responses=_PROBLEMS, tags=["transactions"]
)
def list_transactions(
    request: Request,
    call: TransactionsRead,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict[str, Any]:
    """The latest transactions, newest first (tool ``list_transactions``)."""
    with _state(request).db.write() as session:
        customer = call.customer(session)
        rows = session.scalars(
            select(BankTransaction)
            .where(BankTransaction.customer_id == customer.id)
            .order_by(BankTransaction.booked_on.desc(), BankTransaction.id)
            .limit(limit)
        ).all()
        call.allow(session, request)
        return {
            "transactions": [
                call.project(
                    {
                        "id": t.id,
                        "date": _iso(t.booked_on),
                        "merchant": t.merchant,
                        "amount": _money(t.amount_cents),
                        "currency": t.currency,
                        "card_id": t.card_id,
                    }
                )
                for t in rows
            ]
        }


@router.post(
    "/v1/disputes",
    name="start_dispute",
    status_code=201,
    responses=_PROBLEMS,
    tags=["disputes"],
)
def start_dispute(body: DisputeIn, request: Request, call: DisputesCreate) -> dict[str, Any]:
    """Dispute one of the customer's transactions (tool ``start_dispute``)."""
    with _state(request).db.write() as session:
        customer = call.customer(session)
        txn = session.get(BankTransaction, body.transaction_id)
        if txn is None or txn.customer_id != customer.id:
            raise call.not_found("transaction")
        if session.scalar(select(Dispute.id).where(Dispute.transaction_id == txn.id)):
            raise BankProblem(
                409, "already_disputed", "this transaction is disputed", claims=call.claims
            )
        dispute = Dispute(
            id=f"dsp_{secrets.token_hex(6)}",
            customer_id=customer.id,
            transaction_id=txn.id,
            reason=body.reason,
            status="open",
            conversation_id=call.claims.conversation_id,
            token_jti=call.claims.jti,
            created_at=utcnow(),
        )
        session.add(dispute)
        call.allow(session, request, 201)
        record = {
            "id": dispute.id,
            "transaction_id": txn.id,
            "reason": dispute.reason,
            "status": dispute.status,
            "created_at": _iso(dispute.created_at),
        }
        return {"dispute": call.project(record)}


@router.put("/v1/address", name="update_address", responses=_PROBLEMS, tags=["profile"])
def update_address(body: AddressIn, request: Request, call: AddressWrite) -> dict[str, Any]:
    """Replace the postal address (tool ``update_address``); the change is recorded."""
    with _state(request).db.write() as session:
        customer = call.customer(session)
        new = body.formatted()
        change = AddressChange(
            customer_id=customer.id,
            old_address=customer.address,
            new_address=new,
            conversation_id=call.claims.conversation_id,
            token_jti=call.claims.jti,
            changed_at=utcnow(),
        )
        customer.address = new
        session.add(change)
        call.allow(session, request)
        return {"address": call.project({"address": new, "changed_at": _iso(change.changed_at)})}


@router.post("/v1/fees/{fee_id}/refund", name="refund_fee", responses=_PROBLEMS, tags=["fees"])
def refund_fee(fee_id: str, request: Request, call: FeesRefund) -> dict[str, Any]:
    """Refund one of the customer's fees to its account (tool ``refund_fee``)."""
    with _state(request).db.write() as session:
        customer = call.customer(session)
        fee = session.get(FeeRecord, fee_id)
        if fee is None or fee.customer_id != customer.id:
            raise call.not_found("fee")
        if fee.refunded:
            raise BankProblem(409, "already_refunded", "this fee was refunded", claims=call.claims)
        account = session.get(BankAccount, fee.account_id)
        if account is not None:
            account.balance_cents += fee.amount_cents
        fee.refunded, fee.refunded_at, fee.refund_jti = True, utcnow(), call.claims.jti
        call.allow(session, request)
        return {"fee": call.project(_fee_record(fee))}


# -- the app --------------------------------------------------------------------------


def create_bank_app(
    settings: BankSettings | None = None,
    *,
    db: Database | None = None,
    verifier: ToolTokenVerifier | None = None,
) -> FastAPI:
    """The bank's FastAPI app over ``db`` (default: opened from ``settings``).

    The verifier defaults to one trusting the public key (PEM or JWKS) at
    ``settings.resolved_public_key`` for audience ``settings.audience``. A database
    opened here is disposed of when the app shuts down; one passed in is not.
    """
    settings = settings or BankSettings()
    if verifier is None:
        verifier = ToolTokenVerifier(
            load_public_keys(settings.resolved_public_key),
            audience=settings.audience,
            issuer=settings.issuer,
            leeway_seconds=settings.leeway_seconds,
        )
    owns_db = db is None
    database = db if db is not None else open_bank_db(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owns_db:
            database.dispose()

    app = FastAPI(
        title="Northwind Bank core banking (demo)",
        version="1",
        description="Tool endpoints for TrustDesk's AI agent. Every call needs a tool token "
        "(audience `northwind-core-banking`); answers hold only the fields it grants.",
        lifespan=lifespan,
    )
    app.state.bank = _BankState(db=database, verifier=verifier)
    app.add_exception_handler(BankProblem, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Exception, _on_error)
    app.include_router(router)
    return app


def app_from_env() -> FastAPI:
    """Uvicorn factory (``trustdesk.bank.app:app_from_env``): settings from the env."""
    from trustdesk.bank.settings import load_bank_settings

    return create_bank_app(load_bank_settings())
