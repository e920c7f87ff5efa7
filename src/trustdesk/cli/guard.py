"""``trustdesk guard check``: judge JSON Lines messages with the layered ingress guard.

Registered by the main CLI as a sub-app (``app.add_typer(guard_app, name="guard")``).

Input: one JSON object per line, ``{"id": ..., "text": str}`` (``id`` any JSON scalar,
optional ``source``: customer | tool | document | knowledge), from FILE or stdin. Output:
one line per message, ``{"id", "verdict", "score", "reasons"}`` with reasons as short
strings (``code: message``). A malformed line stops the run with an error naming its
line number on stderr and exit code 2; every valid line before it has been written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from trustdesk.guard.layered import SOURCES, LayeredIngressGuard, Source

__all__ = ["guard_app"]

guard_app = typer.Typer(
    help="Ingress guard: judge messages (prompt injection, jailbreaks, abuse).",
    no_args_is_help=True,
)


class _BadLine(ValueError):
    pass


def _parse(line: str, n: int, default_source: str) -> tuple[Any, str, Source]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _BadLine(f"line {n}: invalid JSON ({exc.msg})") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise _BadLine(f'line {n}: expected an object {{"id": ..., "text": str}}')
    ident = obj.get("id")
    if isinstance(ident, dict | list):
        raise _BadLine(f"line {n}: 'id' must be a string, a number or null")
    source = obj.get("source", default_source)
    if source not in SOURCES:
        raise _BadLine(f"line {n}: 'source' must be one of {', '.join(SOURCES)}")
    src: Source = source
    return ident, obj["text"], src


def run_check(
    lines: TextIO, out: TextIO, guard: LayeredIngressGuard, source: Source = "customer"
) -> tuple[int, str | None]:
    """Judge every line of ``lines`` into ``out``; return ``(written, error or None)``."""
    written = 0
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            ident, text, src = _parse(line, n, source)
        except _BadLine as exc:
            return written, str(exc)
        result = guard.check(text, source=src)
        row = {
            "id": ident,
            "verdict": str(result.verdict),
            "score": round(result.score, 4),
            "reasons": [f"{r.code}: {r.message}" for r in result.reasons],
        }
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()
        written += 1
    return written, None


@guard_app.command("check")
def check_cmd(
    file: Annotated[
        Path | None,
        typer.Argument(help='JSON Lines {"id","text"} (default: stdin)', dir_okay=False),
    ] = None,
    source: Annotated[
        str,
        typer.Option(help="where the texts come from: customer | tool | document | knowledge"),
    ] = "customer",
    no_model: Annotated[
        bool, typer.Option("--no-model", help="rules and decoding only, no classifier")
    ] = False,
) -> None:
    """Judge each message: writes {"id","verdict","score","reasons"} per line."""
    if source not in SOURCES:
        sys.stderr.write(f"error: --source must be one of {', '.join(SOURCES)}\n")
        raise typer.Exit(2)
    src: Source = source  # type: ignore[assignment]
    guard = LayeredIngressGuard(use_model=not no_model)
    if file is None:
        _, error = run_check(sys.stdin, sys.stdout, guard, src)
    else:
        try:
            with file.open(encoding="utf-8") as f:
                _, error = run_check(f, sys.stdout, guard, src)
        except OSError as exc:
            sys.stderr.write(f"error: cannot read {file}: {exc.strerror}\n")
            raise typer.Exit(2) from None
        except UnicodeDecodeError:
            sys.stderr.write(f"error: {file} is not UTF-8 text\n")
            raise typer.Exit(2) from None
    if error is not None:
        where = str(file) if file is not None else "stdin"
        sys.stderr.write(f"error: {where}: {error}\n")
        raise typer.Exit(2)
