"""Console pages: login, the customer chat, and the shared page machinery.

The staff pages live beside this module (:mod:`~trustdesk.console.desk`,
:mod:`~trustdesk.console.supervisor`, :mod:`~trustdesk.console.compliance`); each
checks its scope on the server through :func:`~trustdesk.console.auth.page_principal`.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from trustdesk import __version__
from trustdesk.access import clear_session_cookie, set_session_cookie
from trustdesk.access.errors import InvalidCredentials
from trustdesk.api.state import get_state
from trustdesk.console.auth import (
    FormError,
    LoginRequired,
    PageForbidden,
    landing_page,
    login_url,
    nav_context,
    optional_principal,
    read_form,
    safe_next,
)
from trustdesk.errors import AuthenticationError, InputError
from trustdesk.store.models import LedgerEventRow

_HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(_HERE / "templates"))
router = APIRouter(include_in_schema=False)

SESSION_TTL = timedelta(hours=8)

#: How often the staff pages' event stream looks for changes.
STREAM_POLL_SECONDS = 1.0


def static_files() -> StaticFiles:
    return StaticFiles(directory=str(_HERE / "static"))


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    principal: Any = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a console page with the header's context (who, which pages, CSRF token)."""
    ctx = {"version": __version__, **nav_context(request, principal), **context}
    response = templates.TemplateResponse(request, template, ctx, status_code=status_code)
    response.headers["cache-control"] = "no-store"
    return response


def install(app: FastAPI) -> None:
    """Mount the console: pages, static files, and the page-level error answers."""
    from trustdesk.console import compliance, desk, supervisor

    app.include_router(router)
    app.include_router(desk.router)
    app.include_router(supervisor.router)
    app.include_router(compliance.router)
    app.mount("/static", static_files(), name="static")

    @app.exception_handler(LoginRequired)
    async def _login_required(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        return RedirectResponse(login_url(exc.next_path), status_code=303)

    @app.exception_handler(PageForbidden)
    async def _forbidden(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageForbidden)
        return render(
            request,
            "error.html",
            {
                "title": "Access refused",
                "detail": f"This page needs the {exc.scope} permission, which your role "
                f"({exc.principal.role}) does not have. The refusal was recorded.",
            },
            principal=exc.principal,
            status_code=403,
        )

    @app.exception_handler(FormError)
    async def _form_error(request: Request, exc: Exception) -> Response:
        principal = await optional_principal(request)
        return render(
            request,
            "error.html",
            {"title": "The form could not be used", "detail": str(exc)},
            principal=principal,
            status_code=400,
        )


# -- customer chat -----------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
async def chat_page(request: Request) -> HTMLResponse:
    principal = await optional_principal(request)
    return render(request, "chat.html", {}, principal=principal)


# -- login -------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str | None = None) -> HTMLResponse:
    principal = await optional_principal(request)
    return render(request, "login.html", {"next": safe_next(next)}, principal=principal)


@router.post("/login", response_class=HTMLResponse)
async def login_submit(request: Request) -> Response:
    form = await read_form(request, check_csrf=False)  # no session yet: nothing to bind to
    username = form.get("username", "").strip()
    password = form.get("password", "")
    next_path = safe_next(form.get("next"))
    access = get_state(request).access
    try:
        if not username or not password:
            raise InputError("enter a username and a password")
        result = await run_in_threadpool(lambda: access.login(username, password, ttl=SESSION_TTL))
    except (AuthenticationError, InvalidCredentials, InputError) as exc:
        detail = str(exc) if isinstance(exc, InputError) else "wrong username or password"
        return render(
            request,
            "login.html",
            {"next": next_path, "error": f"Sign-in failed: {detail}.", "username": username},
            status_code=401 if not isinstance(exc, InputError) else 422,
        )
    response = RedirectResponse(next_path or landing_page(result.principal), status_code=303)
    set_session_cookie(
        response, result.token, max_age=SESSION_TTL, secure=request.url.scheme == "https"
    )
    return response


@router.post("/logout")
async def logout_submit(request: Request) -> Response:
    principal = await optional_principal(request)
    if principal is not None:
        await read_form(request)
        token = request.cookies.get("trustdesk_session", "")
        access = get_state(request).access
        try:
            await run_in_threadpool(access.revoke_session, token)
        except AuthenticationError:
            pass
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response, secure=request.url.scheme == "https")
    return response


# -- shared assets and the live-update stream --------------------------------------------


def plotly_js_path() -> Path | None:
    """Plotly's bundled JavaScript from the installed Python package (never imported)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = Path(location) / "package_data" / "plotly.min.js"
        if path.is_file():
            return path
    return None


@router.get("/console/plotly.min.js")
async def plotly_js() -> Response:
    path = plotly_js_path()
    if path is None:
        return Response(
            "/* plotly is not installed: pip install 'trustdesk[console]' */",
            media_type="text/javascript",
            status_code=404,
        )
    return FileResponse(
        path, media_type="text/javascript", headers={"cache-control": "max-age=86400"}
    )


def ledger_head(request: Request) -> int:
    """The ledger's last sequence number: every change the console shows writes an event."""
    db = get_state(request).db
    with db.connect_read() as conn:
        value = conn.execute(select(func.max(LedgerEventRow.seq))).scalar()
    return int(value or 0)


def change_stream(request: Request) -> StreamingResponse:
    """Server-sent ``change`` events whenever the ledger grows (its head seq, nothing else).

    A page's own stream route checks the page's scope first, then returns this.
    """

    async def events() -> AsyncIterator[str]:
        last = -1
        idle = 0.0
        yield "retry: 3000\n\n"
        while not await request.is_disconnected():
            head = await run_in_threadpool(ledger_head, request)
            if head != last:
                if last >= 0:
                    yield f"event: change\ndata: {json.dumps({'seq': head})}\n\n"
                last = head
                idle = 0.0
            else:
                idle += STREAM_POLL_SECONDS
                if idle >= 15.0:
                    idle = 0.0
                    yield ": keep-alive\n\n"
            await asyncio.sleep(STREAM_POLL_SECONDS)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"cache-control": "no-store", "x-accel-buffering": "no"},
    )


# -- help articles the AI cites -----------------------------------------------------------


@router.get("/help/{article_id}", response_class=HTMLResponse)
async def help_article(request: Request, article_id: str) -> HTMLResponse:
    """A knowledge article, as the AI cites it (public: the same text customers see)."""
    from trustdesk.agent.knowledge import default_knowledge

    principal = await optional_principal(request)
    article = default_knowledge().get(article_id) if len(article_id) <= 64 else None
    if article is None:
        return render(
            request,
            "error.html",
            {"title": "No such article", "detail": "The help article does not exist."},
            principal=principal,
            status_code=404,
        )
    paragraphs = [p.strip() for p in article.body.split("\n\n") if p.strip()]
    return render(
        request,
        "help.html",
        {"article": article, "paragraphs": paragraphs},
        principal=principal,
    )
