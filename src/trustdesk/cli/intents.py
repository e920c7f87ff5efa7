"""``trustdesk intents``: train an intent model, classify JSON Lines from stdin.

Registered by the main CLI as a sub-app; scikit-learn is imported only by ``train``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

__all__ = ["app"]

app = typer.Typer(
    help="Intent classifier: train (needs the 'train' extra) and classify JSON Lines.",
    no_args_is_help=True,
)


def _read_jsonl(path: Path) -> list[dict[str, str]]:
    records: list[dict[str, str]] = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: invalid JSON ({exc.msg})") from exc
            if (
                not isinstance(obj, dict)
                or not isinstance(obj.get("text"), str)
                or not isinstance(obj.get("intent"), str)
                or not obj["text"].strip()
                or not obj["intent"].strip()
            ):
                raise ValueError(f'{path}:{n}: expected {{"text": str, "intent": str}}')
            records.append({"text": obj["text"], "intent": obj["intent"]})
    if not records:
        raise ValueError(f"{path}: no records")
    return records


@app.command("train")
def train_cmd(
    train_file: Annotated[
        Path,
        typer.Option("--train", help='JSON Lines {"text","intent"}', exists=True, dir_okay=False),
    ],
    out: Annotated[Path, typer.Option("--out", help="output directory for model.json.gz")],
    val_file: Annotated[
        Path | None,
        typer.Option(
            "--val",
            help="validation JSON Lines (default: a stratified 10% of --train)",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    classifier: Annotated[
        str, typer.Option(help="linear model: lr, svm or lr+svm (an ensemble of both)")
    ] = "lr",
) -> None:
    """Train a TF-IDF + linear model (intent 'out_of_scope' allowed)."""
    try:
        import sklearn  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        typer.echo(
            "error: training needs scikit-learn; install the 'train' extra: "
            "pip install 'trustdesk[train]'",
            err=True,
        )
        raise typer.Exit(2) from None
    from trustdesk.agent.classifier import CLASSIFIERS, evaluate, train

    if classifier not in CLASSIFIERS:
        typer.echo(f"error: --classifier must be one of {', '.join(CLASSIFIERS)}", err=True)
        raise typer.Exit(2)
    try:
        records = _read_jsonl(train_file)
        val = _read_jsonl(val_file) if val_file is not None else None
        model = train(records, val_records=val, seed=seed, classifier=classifier)
    except (OSError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    path = model.save(out)
    summary: dict[str, Any] = {
        "model": str(path),
        "labels": len(model.labels),
        "temperature": model.temperature,
        "threshold": model.threshold,
    }
    if val is not None:
        summary["validation"] = {k: round(v, 4) for k, v in evaluate(model, val).items()}
    typer.echo(json.dumps(summary))


@app.command("classify")
def classify_cmd(
    model_dir: Annotated[
        Path | None,
        typer.Option("--model", help="model directory (default: the shipped Banking77 model)"),
    ] = None,
    top: Annotated[int, typer.Option(help="also output the top-k labels (0 = no)")] = 0,
) -> None:
    """Read JSON Lines {"id","text"} from stdin; write {"id","intent","confidence","escalate"}."""
    from trustdesk.agent.classifier import IntentModel

    try:
        model = IntentModel.load(model_dir)
    except (OSError, ValueError, KeyError) as exc:
        typer.echo(f"error: cannot load intent model: {exc}", err=True)
        raise typer.Exit(1) from exc
    out = sys.stdout
    for n, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        result: dict[str, Any]
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            result = {"line": n, "error": f"invalid JSON: {exc.msg}"}
        else:
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                rid = obj.get("id") if isinstance(obj, dict) else None
                result = {"id": rid, "line": n, "error": 'expected an object with a string "text"'}
            else:
                pred = model.classify(obj["text"], top_k=max(1, top))
                result = {
                    "id": obj.get("id"),
                    "intent": pred.intent,
                    "confidence": round(pred.confidence, 4),
                    "escalate": pred.escalate,
                }
                if top > 0:
                    result["top"] = [[lab, round(p, 4)] for lab, p in pred.top]
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    out.flush()
