"""``trustdesk bank``: the demo core-banking service (serve, seed).

Registered by the main CLI as a sub-app (``app.add_typer(bank_app, name="bank")``).
Settings come from the environment (``TRUSTDESK_DATA_DIR``,
``TRUSTDESK_BANK_DATABASE_URL``, ``TRUSTDESK_BANK_TOOL_PUBLIC_KEY``); see docs/bank.md.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from trustdesk.errors import TrustDeskError

__all__ = ["bank_app"]

bank_app = typer.Typer(
    help="Northwind Bank's demo core-banking service (the backend of the agent's tools).",
    no_args_is_help=True,
)
console = Console()
err = Console(stderr=True)


@bank_app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8001,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    seed: Annotated[
        bool, typer.Option("--seed/--no-seed", help="Seed the demo customers if there are none.")
    ] = True,
) -> None:
    """Serve the bank's tool API (creates the tool key pair and seeds if missing)."""
    try:
        import uvicorn
    except ImportError as exc:
        err.print("the server needs the 'server' extra: pip install 'trustdesk[server]'")
        raise typer.Exit(2) from exc
    from trustdesk.bank.seed import seed_bank
    from trustdesk.bank.settings import load_bank_settings, open_bank_db
    from trustdesk.tooltokens import export_public_key

    try:
        settings = load_bank_settings()
        if settings.tool_public_key is None and not settings.resolved_public_key.exists():
            # TrustDesk creates the key pair too; whoever starts first makes it.
            export_public_key(settings.data_dir)
        db = open_bank_db(settings)
        try:
            if seed:
                report = seed_bank(db)
                if not report.skipped:
                    console.print(f"seeded {report.customers} bank customers")
        finally:
            db.dispose()
    except (TrustDeskError, OSError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    console.print(f"Northwind Bank (demo) on [bold]http://{host}:{port}[/bold]  (docs: /docs)")
    uvicorn.run(
        "trustdesk.bank.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


@bank_app.command("seed")
def seed_command(
    customers: Annotated[int, typer.Option(min=1, max=100_000, help="How many.")] = 200,
    seed: Annotated[int, typer.Option(help="Random seed; 77 matches `trustdesk demo`.")] = 77,
    reset: Annotated[bool, typer.Option(help="Delete the bank's customers first.")] = False,
) -> None:
    """Create the bank's demo customers, accounts, cards, transactions and fees."""
    from trustdesk.bank.seed import seed_bank
    from trustdesk.bank.settings import load_bank_settings, open_bank_db

    try:
        settings = load_bank_settings()
        db = open_bank_db(settings)
        try:
            report = seed_bank(db, seed=seed, customers=customers, reset=reset)
        finally:
            db.dispose()
    except TrustDeskError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if report.skipped:
        console.print(f"{report.customers} customers exist already; use --reset to reseed")
        return
    console.print(
        f"seeded {report.customers} customers, {report.accounts} accounts, {report.cards} "
        f"cards, {report.transactions} transactions, {report.fees} fees"
    )
