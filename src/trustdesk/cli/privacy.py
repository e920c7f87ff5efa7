"""``trustdesk privacy scan | redact``: the privacy engine on files and pipes.

``scan`` reads JSON Lines (stdin or a file), one object per line, either
``{"id": ..., "text": "..."}`` or ``{"id": ..., "turns": ["...", ...]}``, and writes one
line per input::

    {"id": ..., "findings": [{"turn": 0, "start": 11, "end": 30, "type": "CREDIT_CARD",
      "score": 0.95, "detector": "credit_card"}], "redacted": "..."}

Offsets are characters of the original text, end exclusive; ``turn`` is 0 for a single
text; ``redacted`` is a string for ``text`` and a list for ``turns``. A malformed line
stops the run with its line number on stderr and exit code 1; every line before it
has been written.

``redact`` rewrites a text, CSV or JSON Lines file, streaming (constant memory), with
a progress bar on stderr.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

from trustdesk.errors import ConfigError

privacy_app = typer.Typer(help="Find and redact personal data in text.", no_args_is_help=True)
err = Console(stderr=True)

#: Longest accepted input line (bytes) and text (characters) for ``scan``.
MAX_LINE_BYTES = 1_048_576
MAX_TURNS = 1_000


class FileFormat(StrEnum):
    AUTO = "auto"
    TEXT = "text"
    CSV = "csv"
    JSONL = "jsonl"


class InputError(ValueError):
    """A line of input that cannot be processed; the message names what is wrong."""


def _engine(
    *,
    operator: str | None,
    policy_file: Path | None,
    profiles: list[str],
    min_score: float,
    key_file: Path | None,
) -> Any:
    from trustdesk.privacy.engine import PrivacyEngine
    from trustdesk.privacy.policy import build_policy, load_policy

    if policy_file is not None:
        policy = load_policy(policy_file, extra_profiles=profiles)
    elif operator is not None or profiles:
        policy = build_policy(profiles=profiles, default=operator or "tag")
    else:
        from trustdesk.privacy.engine import TAG_ALL

        policy = TAG_ALL
    key: bytes | None = None
    if key_file is not None:
        try:
            key = key_file.read_bytes()
        except OSError as exc:
            raise ConfigError(f"cannot read key file {key_file}: {exc.strerror}") from None
        if len(key) < 16:
            raise ConfigError(f"key file {key_file} must hold at least 16 bytes")
    return PrivacyEngine(min_score=min_score, policy=policy, pseudonym_key=key)


def _engine_or_exit(
    *,
    operator: str | None,
    policy_file: Path | None,
    profiles: list[str],
    min_score: float,
    key_file: Path | None,
) -> Any:
    """The engine the options describe; a configuration error exits with code 2."""
    try:
        return _engine(
            operator=operator,
            policy_file=policy_file,
            profiles=profiles,
            min_score=min_score,
            key_file=key_file,
        )
    except ConfigError as exc:
        err.print(f"[red]configuration error:[/red] {exc}")
        raise typer.Exit(2) from exc


OperatorOpt = Annotated[
    str | None,
    typer.Option(
        "--operator",
        help="Operator for every type: tag (default), mask, keep_last:N, pseudonymize, "
        "encrypt (a token; without a vault the value is not kept), keep.",
    ),
]
PolicyOpt = Annotated[
    Path | None, typer.Option("--policy", help="A YAML privacy policy (see docs/privacy.md).")
]
ProfileOpt = Annotated[
    list[str], typer.Option("--profile", help="Enforce a profile: pci, hipaa (repeatable).")
]
MinScoreOpt = Annotated[
    float, typer.Option("--min-score", min=0.0, max=1.0, help="Drop findings scoring below.")
]
KeyOpt = Annotated[
    Path | None,
    typer.Option("--key-file", help="HMAC key for pseudonyms (≥16 bytes); random per run."),
]


def _parse_line(raw: str, lineno: int) -> tuple[Any, str | list[str]]:
    if len(raw.encode("utf-8", "surrogatepass")) > MAX_LINE_BYTES:
        raise InputError(f"line {lineno}: longer than {MAX_LINE_BYTES} bytes")
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"line {lineno}: invalid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise InputError(f"line {lineno}: expected a JSON object")
    if "id" not in obj:
        raise InputError(f'line {lineno}: missing "id"')
    has_text, has_turns = "text" in obj, "turns" in obj
    if has_text == has_turns:
        raise InputError(f'line {lineno}: give exactly one of "text" or "turns"')
    if has_text:
        text = obj["text"]
        if not isinstance(text, str):
            raise InputError(f'line {lineno}: "text" must be a string')
        return obj["id"], _clean(text, lineno)
    turns = obj["turns"]
    if not isinstance(turns, list) or not all(isinstance(t, str) for t in turns):
        raise InputError(f'line {lineno}: "turns" must be a list of strings')
    if len(turns) > MAX_TURNS:
        raise InputError(f"line {lineno}: more than {MAX_TURNS} turns")
    return obj["id"], [_clean(t, lineno) for t in turns]


def _clean(text: str, lineno: int) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"line {lineno}: text contains lone surrogates") from None
    return text


def scan_lines(lines: Iterator[str], engine: Any, out: IO[str]) -> int:
    """Scan each JSON line and write its result; returns lines written. Raises InputError."""
    from trustdesk.privacy.api import TurnFinding, scan, scan_conversation

    written = 0
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        ident, content = _parse_line(raw, lineno)
        if isinstance(content, str):
            one = scan(content, engine=engine)
            findings = [TurnFinding(0, f).to_dict() for f in one.findings]
            redacted: str | list[str] = one.redacted
        else:
            conv = scan_conversation(content, engine=engine)
            findings = [f.to_dict() for f in conv.findings]
            redacted = list(conv.redacted)
        out.write(
            json.dumps(
                {"id": ident, "findings": findings, "redacted": redacted}, ensure_ascii=False
            )
            + "\n"
        )
        written += 1
    return written


@privacy_app.command("scan")
def scan_command(
    file: Annotated[
        Path | None, typer.Argument(help="JSON Lines input; stdin when absent or '-'.")
    ] = None,
    operator: OperatorOpt = None,
    policy: PolicyOpt = None,
    profile: ProfileOpt = [],  # noqa: B006 - typer needs a literal default
    min_score: MinScoreOpt = 0.5,
    key_file: KeyOpt = None,
) -> None:
    """Find personal data in JSON Lines of {"id","text"} or {"id","turns"}; one result per line."""
    engine = _engine_or_exit(
        operator=operator,
        policy_file=policy,
        profiles=profile,
        min_score=min_score,
        key_file=key_file,
    )
    try:
        if file is None or str(file) == "-":
            stream: IO[str] = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="strict")
            _run_scan(stream, engine)
        else:
            with file.open(encoding="utf-8", errors="strict") as fh:
                _run_scan(fh, engine)
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot read {file}: {exc.strerror}")
        raise typer.Exit(2) from exc


def _run_scan(stream: IO[str], engine: Any) -> None:
    out = sys.stdout
    try:
        scan_lines(_lines(stream), engine, out)
    except InputError as exc:
        out.flush()
        err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
        raise typer.Exit(1) from exc
    except UnicodeDecodeError as exc:
        out.flush()
        err.print(f"[red]error:[/red] input is not UTF-8 (byte offset {exc.start})")
        raise typer.Exit(1) from exc
    out.flush()


def _lines(stream: IO[str]) -> Iterator[str]:
    yield from stream


# -- redact ------------------------------------------------------------------------------


def _detect_format(path: Path, fmt: FileFormat) -> FileFormat:
    if fmt is not FileFormat.AUTO:
        return fmt
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return FileFormat.CSV
    if suffix in (".jsonl", ".ndjson"):
        return FileFormat.JSONL
    return FileFormat.TEXT


def _counting(raw: IO[str], advance: Callable[[int], object]) -> Iterator[str]:
    """The lines of ``raw``, reporting the bytes of each to ``advance``."""
    for line in raw:
        advance(len(line.encode("utf-8", "surrogatepass")))
        yield line


def redact_stream(
    src: Iterable[str],
    dst: IO[str],
    fmt: FileFormat,
    engine: Any,
    *,
    columns: list[str] | None = None,
    fields: list[str] | None = None,
) -> int:
    """Redact ``src`` into ``dst`` record by record; returns records written."""
    from trustdesk.types import PrivacyContext

    records = 0
    if fmt is FileFormat.TEXT:
        # Consecutive lines are one conversation: a number split across lines is found.
        ctx = PrivacyContext(conversation_id="file")
        for line in src:
            body, nl = (line[:-1], "\n") if line.endswith("\n") else (line, "")
            dst.write(engine.redact(body, ctx).redacted_text + nl)
            records += 1
        engine.forget_conversation("file")
        return records
    if fmt is FileFormat.CSV:
        reader = csv.DictReader(src)
        if reader.fieldnames is None:
            return 0
        names = list(reader.fieldnames)
        targets = set(columns) if columns else set(names)
        missing = targets - set(names)
        if missing:
            raise InputError(f"no such column(s): {', '.join(sorted(missing))}")
        writer = csv.DictWriter(dst, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        for row in reader:
            for name in targets:
                value = row.get(name)
                if isinstance(value, str) and value:
                    row[name] = engine.redact(value).redacted_text
            writer.writerow(row)
            records += 1
        return records
    wanted = fields or ["text", "turns"]
    for lineno, raw in enumerate(src, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {lineno}: invalid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise InputError(f"line {lineno}: expected a JSON object")
        for name in wanted:
            value = obj.get(name)
            if isinstance(value, str):
                obj[name] = engine.redact(value).redacted_text
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                from trustdesk.privacy.api import scan_conversation

                obj[name] = list(scan_conversation(value, engine=engine).redacted)
        dst.write(json.dumps(obj, ensure_ascii=False) + "\n")
        records += 1
    return records


@privacy_app.command("redact")
def redact_command(
    file: Annotated[Path, typer.Argument(help="A text, CSV or JSON Lines file.", exists=True)],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Where to write; default FILE.redacted.EXT."),
    ] = None,
    fmt: Annotated[
        FileFormat, typer.Option("--format", help="Input format; by extension when auto.")
    ] = FileFormat.AUTO,
    column: Annotated[
        list[str], typer.Option("--column", help="CSV column to redact (repeatable); all if none.")
    ] = [],  # noqa: B006
    field: Annotated[
        list[str],
        typer.Option("--field", help="JSONL field to redact (repeatable); text and turns if none."),
    ] = [],  # noqa: B006
    operator: OperatorOpt = None,
    policy: PolicyOpt = None,
    profile: ProfileOpt = [],  # noqa: B006
    min_score: MinScoreOpt = 0.5,
    key_file: KeyOpt = None,
) -> None:
    """Write a redacted copy of FILE, streaming, with a progress bar."""
    engine = _engine_or_exit(
        operator=operator,
        policy_file=policy,
        profiles=profile,
        min_score=min_score,
        key_file=key_file,
    )
    kind = _detect_format(file, fmt)
    target = output or file.with_name(f"{file.stem}.redacted{file.suffix}")
    if target.resolve() == file.resolve():
        err.print("[red]error:[/red] the output must not overwrite the input")
        raise typer.Exit(2)
    partial = target.with_name(target.name + ".partial")
    size = file.stat().st_size
    progress = Progress(
        TextColumn("[bold]redacting[/bold] {task.fields[name]}"),
        BarColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )
    try:
        with (
            progress,
            file.open(encoding="utf-8", errors="strict", newline="") as src,
            partial.open("w", encoding="utf-8", newline="") as dst,
        ):
            task = progress.add_task("redact", total=size, name=file.name)
            reader = _counting(src, lambda n: progress.advance(task, n))
            records = redact_stream(
                reader, dst, kind, engine, columns=column or None, fields=field or None
            )
        partial.replace(target)
    except (InputError, UnicodeDecodeError, csv.Error) as exc:
        partial.unlink(missing_ok=True)
        detail = (
            f"input is not UTF-8 (byte {exc.start})" if isinstance(exc, UnicodeDecodeError) else exc
        )
        err.print(f"[red]error:[/red] {detail}", highlight=False)
        raise typer.Exit(1) from exc
    err.print(f"{records} record(s) redacted → {target}")
