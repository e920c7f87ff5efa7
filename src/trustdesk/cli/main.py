"""``trustdesk``: serve, demo, chat, db, doctor.

Heavy imports (the web server, stages) happen inside the commands that need them, so
``trustdesk --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from trustdesk.config import Settings, load_settings

if TYPE_CHECKING:
    from trustdesk.ledger.service import LedgerService
    from trustdesk.store.db import Database
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
ledger_app = typer.Typer(help="The audit ledger: verify, prove, search.", no_args_is_help=True)
app.add_typer(ledger_app, name="ledger")
checkpoints_app = typer.Typer(help="Signed checkpoints.", no_args_is_help=True)
ledger_app.add_typer(checkpoints_app, name="checkpoints")

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


def _ledger_service() -> tuple[LedgerService, Database]:
    from trustdesk.factory import build_ledger
    from trustdesk.store.db import Database, ensure_current

    settings = _settings()
    db = Database.from_url(settings.resolved_database_url)
    try:
        ensure_current(db.engine)
    except TrustDeskError as exc:
        raise _fail(exc) from exc
    return build_ledger(settings, db), db


def _write_json(data: object, out: Path | None) -> None:
    import json

    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text)
        console.print(f"written to {out}")


@ledger_app.command("verify")
def ledger_verify(
    from_seq: Annotated[
        int, typer.Option("--from", min=1, help="Verify from this event on (incremental).")
    ] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Verify the hash chain, the Merkle checkpoints and their signatures.

    Exits 0 when everything verifies, 1 naming the first bad event or checkpoint.
    """
    ledger, db = _ledger_service()
    try:
        report = ledger.verify(from_seq=from_seq)
    finally:
        db.dispose()
    if as_json:
        _write_json(report.to_dict(), None)
    elif report.ok:
        console.print(
            f"[green]OK[/green] {report.events_checked} events "
            f"({report.first_seq}..{report.last_seq}) and {report.checkpoints_checked} "
            f"checkpoints verified in {report.seconds:.2f} s"
        )
    else:
        err.print(f"[red]FAILED[/red] {report.failure}")
    if not report.ok:
        raise typer.Exit(1)


@ledger_app.command("prove")
def ledger_prove(
    event: Annotated[str, typer.Argument(help="Event id (UUID) or sequence number.")],
    out: Annotated[Path | None, typer.Option(help="Write the proof to this file.")] = None,
) -> None:
    """Print an inclusion proof for one event, checkable offline (docs/ledger-verifier.md)."""
    ledger, db = _ledger_service()
    try:
        proof = ledger.prove(event)
    except TrustDeskError as exc:
        raise _fail(exc) from exc
    finally:
        db.dispose()
    _write_json(proof, out)


@ledger_app.command("checkpoint")
def ledger_checkpoint() -> None:
    """Sign a checkpoint over all events now (if there are new ones)."""
    ledger, db = _ledger_service()
    try:
        cp = ledger.checkpoint(force=True)
    finally:
        db.dispose()
    if cp is None:
        console.print("no new events since the last checkpoint")
    else:
        console.print(f"checkpoint {cp.tree_size} root {cp.root_hash}")


@checkpoints_app.command("export")
def ledger_checkpoints_export(
    out: Annotated[Path | None, typer.Option(help="Write to this file.")] = None,
) -> None:
    """Export every signed checkpoint and the public key for external witnessing."""
    ledger, db = _ledger_service()
    try:
        data = ledger.export_checkpoints()
    finally:
        db.dispose()
    _write_json(data, out)


@ledger_app.command("search")
def ledger_search(
    conversation: Annotated[str | None, typer.Option(help="Conversation id.")] = None,
    actor: Annotated[str | None, typer.Option(help="Actor, e.g. ai-agent.")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="Event type.")] = None,
    since: Annotated[datetime | None, typer.Option(help="From this time (UTC).")] = None,
    until: Annotated[datetime | None, typer.Option(help="Before this time (UTC).")] = None,
    text: Annotated[str | None, typer.Option(help="Full-text query.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search ledger events by conversation, actor, type, time and full text."""
    from datetime import UTC

    ledger, db = _ledger_service()
    try:
        events = ledger.search(
            conversation_id=conversation,
            actor=actor,
            type=type_,
            since=since.replace(tzinfo=since.tzinfo or UTC) if since else None,
            until=until.replace(tzinfo=until.tzinfo or UTC) if until else None,
            text_query=text,
            limit=limit,
        )
    finally:
        db.dispose()
    if as_json:
        _write_json(events, None)
        return
    table = Table("seq", "time", "type", "actor", "conversation", "payload")
    for e in events:
        table.add_row(
            str(e["seq"]),
            e["time"],
            e["type"],
            e["actor"],
            e["conversation_id"] or "",
            str(e["payload"])[:80],
        )
    console.print(table)


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
