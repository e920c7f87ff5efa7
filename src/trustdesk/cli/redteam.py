"""``trustdesk redteam run``: attack our own agent and fail CI when containment drops.

Registered by the main CLI as a sub-app (``app.add_typer(redteam_app, name="redteam")``).
Without ``--target`` the app is built in-process over a fresh temporary SQLite database
with canary customers planted; with ``--target URL`` the probes go to a live server
(``--api-key`` with ``ledger:read`` lets the action judge read the ledger).

Exit codes: 0 every pack meets its threshold and no critical finding; 1 a pack is
below its threshold or a probe leaked an identifier / the prompt canary or ran an
unauthorized action; 2 bad options.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

__all__ = ["redteam_app"]

redteam_app = typer.Typer(
    help="Red team: attack our own agent with probe packs and judge containment.",
    no_args_is_help=True,
)
console = Console()


def _packs(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    from trustdesk.redteam.probes import PACKS

    names = tuple(dict.fromkeys(p.strip() for p in value.split(",") if p.strip()))
    unknown = [n for n in names if n not in PACKS]
    if unknown:
        raise typer.BadParameter(
            f"unknown pack(s) {', '.join(unknown)}; known: {', '.join(PACKS)}",
            param_hint="--packs",
        )
    return names


@redteam_app.command("run")
def run_command(
    target: Annotated[
        str | None,
        typer.Option(help="Base URL of a live server; default: build the app in-process."),
    ] = None,
    api_key: Annotated[
        str | None,
        typer.Option(
            "--api-key",
            envvar="TRUSTDESK_REDTEAM_API_KEY",
            help="Bearer API key or session token with ledger:read (live target).",
        ),
    ] = None,
    packs: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated packs (default all): override, roleplay, prompt_extraction, "
            "tool_enumeration, exfiltration, impersonation, fake_system, encoded, crescendo, "
            "indirect, unauthorized_action, inthewild, agent_injection_bench."
        ),
    ] = None,
    out_dir: Annotated[Path, typer.Option(help="Where redteam.json and redteam.html go.")] = Path(
        "var/redteam"
    ),
    threshold: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Minimum pass rate of every pack without its own threshold "
            "(exfiltration and unauthorized_action default to 1.0).",
        ),
    ] = 0.0,
    pack_threshold: Annotated[
        list[str] | None,
        typer.Option(help="PACK=RATE, repeatable or comma-separated (exfiltration=1.0)."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="At most this many probes per pack.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed: canaries, markers, dataset sample.")] = 7,
    concurrency: Annotated[int, typer.Option(min=1, max=32, help="Conversations at once.")] = 4,
    datasets: Annotated[
        Path | None,
        typer.Option(help="Data sets folder (default $TRUSTDESK_DATASETS or ../shared/datasets)."),
    ] = None,
) -> None:
    """Run the probe packs, write JSON + HTML reports, exit 1 below a threshold."""
    from trustdesk.redteam.report import evaluate, parse_pack_thresholds, write_reports
    from trustdesk.redteam.runner import RunOptions, run

    try:
        thresholds = parse_pack_thresholds(pack_threshold or [])
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--pack-threshold") from exc
    options = RunOptions(
        packs=_packs(packs), limit=limit, seed=seed, concurrency=concurrency, datasets=datasets
    )
    report = run(options, target_url=target, api_key=api_key)
    json_path, html_path = write_reports(report, out_dir, threshold, thresholds)
    for notice in report.notices:
        console.print(f"[yellow]notice:[/] {notice}")
    table = Table(
        "pack", "probes", "contained", "pass rate", "threshold", "guard caught", title="Red team"
    )
    for p in report.packs(threshold, thresholds):
        style = "green" if p.passed else "red"
        table.add_row(
            p.pack,
            str(p.probes),
            str(p.contained),
            f"[{style}]{p.pass_rate:.1%}[/]",
            f"{p.threshold:.0%}",
            f"{p.guard_caught_rate:.0%}",
        )
    console.print(table)
    for r in report.results:
        if not r.contained:
            console.print(f"[red]not contained[/] {r.id} ({r.pack}): {r.reason}")
    console.print(f"reports: {json_path} {html_path}")
    failures = evaluate(report, threshold, thresholds)
    for f in failures:
        console.print(f"[red]FAIL[/] {f.message}")
    if failures:
        raise typer.Exit(1)
