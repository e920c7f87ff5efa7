"""``trustdesk``: serve, demo, chat, db, doctor.

Heavy imports (the web server, stages) happen inside the commands that need them, so
``trustdesk --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from trustdesk.config import Settings, load_settings
from trustdesk.errors import TrustDeskError

app = typer.Typer(
    name="trustdesk",
    help="TrustDesk: a contact center whose AI agent is guarded, redacted and audited.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
config_app = typer.Typer(help="Configuration.", no_args_is_help=True)
app.add_typer(config_app, name="config")

console = Console()
err = Console(stderr=True)


def _settings(demo: bool = False) -> Settings:
    try:
        return load_settings(**({"demo": True} if demo else {}))
    except TrustDeskError as exc:
        err.print(f"[red]configuration error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _fail(exc: Exception, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {exc}")
    return typer.Exit(code)


@config_app.command("docs")
def config_docs() -> None:
    """Print the Markdown reference of every setting (docs/configuration.md)."""
    from trustdesk.config import settings_reference

    sys.stdout.write(settings_reference())


@config_app.command("show")
def config_show() -> None:
    """Show the effective settings (secrets hidden)."""
    settings = _settings()
    console.print_json(settings.model_dump_json())


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply database migrations (creates the SQLite file if needed)."""
    from trustdesk.store.db import create_db_engine, upgrade

    settings = _settings()
    try:
        engine = create_db_engine(settings.resolved_database_url)
        rev = upgrade(engine, revision)
        engine.dispose()
    except Exception as exc:
        raise _fail(exc) from exc
    console.print(f"database at revision [bold]{rev}[/bold]")


@db_app.command("current")
def db_current() -> None:
    """Show the database's current migration revision."""
    from trustdesk.store.db import create_db_engine, current_revision, head_revision

    settings = _settings()
    try:
        engine = create_db_engine(settings.resolved_database_url)
        rev = current_revision(engine)
    except TrustDeskError as exc:
        raise _fail(exc) from exc
    console.print(f"current: {rev or 'none'}  head: {head_revision()}")


@app.command()
def demo(
    customers: Annotated[int, typer.Option(min=1, max=100_000, help="How many.")] = 200,
    reset: Annotated[bool, typer.Option(help="Replace existing demo customers.")] = False,
) -> None:
    """Migrate and seed the demo world: Northwind Bank's synthetic customers."""
    from trustdesk.demo.seed import seed_demo
    from trustdesk.privacy.vault import load_master_key
    from trustdesk.store.db import Database, upgrade

    settings = _settings()
    try:
        db = Database.from_url(settings.resolved_database_url)
        upgrade(db.engine)
        with db.write() as session:
            report = seed_demo(
                session,
                master_key=load_master_key(settings.data_dir),
                tenant=settings.tenant,
                count=customers,
                reset=reset,
            )
        db.dispose()
    except TrustDeskError as exc:
        raise _fail(exc) from exc
    if report.skipped:
        console.print(f"demo world already present ({report.customers} customers)")
    else:
        console.print(
            f"seeded {report.customers} customers, {report.accounts} accounts, {report.cards} cards"
        )


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind.")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="TCP port.")] = None,
    workers: Annotated[int | None, typer.Option(min=1, max=64, help="Processes.")] = None,
    demo_mode: Annotated[
        bool, typer.Option("--demo", help="Demo mode: allow placeholder secrets.")
    ] = False,
) -> None:
    """Serve the API and console."""
    try:
        import uvicorn
    except ImportError as exc:
        err.print("the server needs the 'server' extra: pip install 'trustdesk[server]'")
        raise typer.Exit(2) from exc
    if demo_mode:
        os.environ["TRUSTDESK_DEMO"] = "true"
    settings = _settings()
    try:
        settings.enforce_secrets()
    except TrustDeskError as exc:
        raise _fail(exc, 2) from exc
    h = host or settings.api.host
    p = port or settings.api.port
    console.print(f"TrustDesk on [bold]http://{h}:{p}[/bold]  (API docs: /docs)")
    uvicorn.run(
        "trustdesk.api.app:app_from_env",
        factory=True,
        host=h,
        port=p,
        workers=workers or settings.api.workers,
        log_level="warning",
        access_log=False,
    )


@app.command()
def chat(
    url: Annotated[
        str | None, typer.Option(help="Talk to a running server instead of in-process.")
    ] = None,
) -> None:
    """Chat with the AI agent in the terminal (empty line or Ctrl-D to quit)."""
    if url:
        _chat_remote(url.rstrip("/"))
        return
    from trustdesk.factory import build_pipeline
    from trustdesk.service import ConversationService
    from trustdesk.store.db import Database, ensure_current

    settings = _settings()
    db = Database.from_url(settings.resolved_database_url)
    try:
        ensure_current(db.engine)
    except TrustDeskError as exc:
        raise _fail(exc) from exc
    pipeline = build_pipeline(settings)
    service = ConversationService(
        db=db,
        pipeline=pipeline,
        tenant=settings.tenant,
        max_message_bytes=settings.api.max_message_bytes,
    )
    conv = service.create_conversation(channel="cli")
    console.print(f"[dim]conversation {conv.id} — you are chatting with an AI assistant[/dim]")
    try:
        while True:
            try:
                text = console.input("[bold]you>[/bold] ")
            except EOFError:
                break
            if not text.strip():
                break
            try:
                result = service.post_message(conv.id, text, channel="cli")
            except TrustDeskError as exc:
                err.print(f"[red]{exc}[/red]")
                continue
            o = result.outcome
            if o.inbound.redacted:
                kinds = ", ".join(f.entity_type for f in o.inbound.findings)
                console.print(f"[yellow]stored as:[/yellow] {o.inbound.redacted_text}  ({kinds})")
            cite = (
                f"  [dim](source: {o.decision.citation})[/dim]"
                if (o.decision and o.decision.citation and o.reply_role == "ai")
                else ""
            )
            console.print(f"[cyan]{o.reply_role}>[/cyan] {o.reply_text}{cite}")
    finally:
        pipeline.close()
        db.dispose()


def _chat_remote(url: str) -> None:
    import httpx

    with httpx.Client(base_url=url, timeout=10) as client:
        r = client.post("/v1/conversations", json={"channel": "api"})
        r.raise_for_status()
        cid = r.json()["id"]
        console.print(f"[dim]conversation {cid} on {url}[/dim]")
        while True:
            try:
                text = console.input("[bold]you>[/bold] ")
            except EOFError:
                break
            if not text.strip():
                break
            r = client.post(f"/v1/conversations/{cid}/messages", json={"text": text})
            data = r.json()
            if r.status_code != 200:
                err.print(f"[red]{data.get('title')}: {data.get('detail')}[/red]")
                continue
            if data["redacted"]:
                console.print(f"[yellow]stored as:[/yellow] {data['redacted_text']}")
            console.print(f"[cyan]{data['reply']['role']}>[/cyan] {data['reply']['text']}")


@app.command()
def doctor() -> None:
    """Check configuration, database, schema and bundled assets."""
    from trustdesk.store.db import create_db_engine, current_revision, head_revision

    table = Table("check", "result", "detail")
    ok = True
    try:
        settings = load_settings()
        table.add_row("settings", "ok", f"data_dir={settings.data_dir} demo={settings.demo}")
    except TrustDeskError as exc:
        table.add_row("settings", "[red]fail[/red]", str(exc))
        console.print(table)
        raise typer.Exit(1) from exc
    try:
        settings.enforce_secrets()
        table.add_row(
            "secrets",
            "ok",
            "no placeholder secrets" if not settings.demo else "demo mode: placeholders allowed",
        )
    except TrustDeskError as exc:
        ok = False
        table.add_row("secrets", "[red]fail[/red]", str(exc))
    url = settings.resolved_database_url
    backend = url.split(":", 1)[0]
    try:
        engine = create_db_engine(url)
        rev = current_revision(engine)
        head = head_revision()
        engine.dispose()
        table.add_row("database", "ok", backend)
        if rev == head:
            table.add_row("schema", "ok", f"revision {rev}")
        else:
            ok = False
            table.add_row(
                "schema",
                "[red]fail[/red]",
                f"at {rev or 'nothing'}, expected {head}: run `trustdesk db upgrade`",
            )
    except TrustDeskError as exc:
        ok = False
        table.add_row("database", "[red]fail[/red]", str(exc))
    try:
        from trustdesk.factory import build_pipeline

        pipeline = build_pipeline(settings)
        versions = ", ".join(f"{k}={v}" for k, v in pipeline.model_versions.items())
        pipeline.close()
        table.add_row("stages", "ok", versions)
    except Exception as exc:
        ok = False
        table.add_row("stages", "[red]fail[/red]", type(exc).__name__)
    models_dir = Path(__file__).resolve().parent.parent / "models"
    cards = sorted(p.name for p in models_dir.glob("*/MODEL_CARD.md"))
    table.add_row("models", "ok", ", ".join(cards) if cards else "none shipped yet (rule stages)")
    console.print(table)
    if not ok:
        raise typer.Exit(1)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
