"""Rebuild the shipped Banking77 intent model and print its metrics.

    PYTHONPATH=src python scripts/train_intents.py   # -> src/trustdesk/models/banking77-intents/

Data come from ``$TRUSTDESK_DATASETS`` (default ``../shared/datasets`` next to the repo):
``banking77/{train,test}.csv`` and ``clinc150/data_full.json`` (see scripts/datasets.md).
Training and tuning use only the Banking77 train split (a stratified 10 % of it, seed 0,
is the validation split for the temperature and the threshold) and CLINC150 ``oos_val``
(out-of-scope threshold). Banking77 test + CLINC150 ``oos_test`` are scored once at the
end. Needs the ``train`` extra (scikit-learn, numpy).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from trustdesk.agent.classifier import (  # noqa: E402
    CLASSIFIERS,
    OUT_OF_SCOPE,
    IntentModel,
    evaluate,
    stratified_split,
    train,
)

Record = dict[str, str]
#: Chosen on validation (Banking77 val + CLINC150 oos_val); see MODEL_CARD.md.
DEFAULT_CLASSIFIER = "lr"


def _say(*parts: object) -> None:
    sys.stdout.write(" ".join(str(p) for p in parts) + "\n")


def datasets_dir() -> Path:
    env = os.environ.get("TRUSTDESK_DATASETS")
    return Path(env) if env else (REPO / ".." / "shared" / "datasets").resolve()


def banking77(split: str) -> list[Record]:
    with (datasets_dir() / "banking77" / f"{split}.csv").open(encoding="utf-8", newline="") as f:
        return [{"text": r["text"], "intent": r["category"]} for r in csv.DictReader(f)]


def clinc_oos(split: str) -> list[Record]:
    data = json.loads((datasets_dir() / "clinc150" / "data_full.json").read_text("utf-8"))
    return [{"text": text, "intent": OUT_OF_SCOPE} for text, _ in data[f"oos_{split}"]]


def latency_ms(model: IntentModel, texts: list[str]) -> float:
    times = []
    for t in texts:
        start = time.perf_counter()
        model.classify(t)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--out", type=Path, default=REPO / "src/trustdesk/models/banking77-intents")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--c", type=float, default=10.0, help="inverse L2 regularisation")
    ap.add_argument("--keep", type=float, default=0.15, help="fraction of weights kept")
    ap.add_argument("--classifier", choices=CLASSIFIERS, default=DEFAULT_CLASSIFIER)
    ap.add_argument(
        "--oos-class", action="store_true", help="train an out_of_scope class on oos_train"
    )
    ap.add_argument("--no-test", action="store_true", help="skip the final test evaluation")
    args = ap.parse_args()

    train_all = banking77("train")
    train_part, val_part = stratified_split(train_all, 0.1, args.seed)
    if args.oos_class:
        train_part += clinc_oos("train")
    val = val_part + clinc_oos("val")
    start = time.perf_counter()
    model = train(
        train_part,
        val_records=val,
        seed=args.seed,
        c=args.c,
        keep=args.keep,
        classifier=args.classifier,
        version=f"banking77-tfidf-{args.classifier.replace('+', '-')}-v1-seed{args.seed}",
    )
    fit_s = time.perf_counter() - start
    _say(f"fit {fit_s:.1f}s; T={model.temperature} threshold={model.threshold}")
    _say("validation:", json.dumps({k: round(v, 4) for k, v in evaluate(model, val).items()}))
    if not args.no_test:
        test = banking77("test") + clinc_oos("test")
        metrics = evaluate(model, test)
        msgs = [r["text"] for r in test if 80 <= len(r["text"]) <= 120][:500]
        metrics["median_latency_ms_100char"] = latency_ms(model, msgs)
        model.metadata["test_metrics"] = {k: round(v, 4) for k, v in metrics.items()}
        _say("test:", json.dumps(model.metadata["test_metrics"]))
    path = model.save(args.out)
    _say(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
