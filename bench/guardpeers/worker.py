"""Score texts with offline peer guards; runs in bench/.venv-guardpeers (see requirements.txt).

    bench/.venv-guardpeers/bin/python bench/guardpeers/worker.py PEER < in.jsonl > out.jsonl

PEER is ``nemo-yara`` (NeMo Guardrails' injection-detection YARA rules, all modules
shipped with the package: code, sqli, template, xss; a text is flagged when any rule
matches) or ``rebuff-heuristic`` (Rebuff's keyword-similarity heuristic, flagged above
its SDK default ``max_heuristic_score`` of 0.75). Both are imported from the installed
packages; nothing is copied. Input lines: ``{"text": str}``; output lines:
``{"flagged": bool, "score": float, "ms": float}`` (latency of the peer call alone, best of
``--repeat`` runs, on this one process). ``--budget-s`` stops early: the texts scored
are then the first ones of the input (the caller shuffles it).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
import warnings
from collections.abc import Callable


def nemo_yara() -> Callable[[str], tuple[bool, float]]:
    from nemoguardrails.library.injection_detection import actions
    from nemoguardrails.library.injection_detection.yara_config import Rules

    names = tuple(r.value for r in Rules)
    rules = actions._load_rules(actions.YARA_DIR, names)
    if rules is None:
        raise SystemExit("NeMo YARA rules did not compile")

    def check(text: str) -> tuple[bool, float]:
        matches = rules.match(data=text)
        return bool(matches), float(len(matches))

    return check


def rebuff_heuristic() -> Callable[[str], tuple[bool, float]]:
    from rebuff.detect_pi_heuristics import detect_prompt_injection_using_heuristic_on_input

    def check(text: str) -> tuple[bool, float]:
        score = float(detect_prompt_injection_using_heuristic_on_input(text))
        return score > 0.75, score

    return check


PEERS = {"nemo-yara": nemo_yara, "rebuff-heuristic": rebuff_heuristic}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("peer", choices=sorted(PEERS))
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument(
        "--budget-s", type=float, default=0.0, help="stop after this many seconds (0: none)"
    )
    args = ap.parse_args()
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    check = PEERS[args.peer]()
    deadline = time.monotonic() + args.budget_s if args.budget_s > 0 else float("inf")
    for line in sys.stdin:
        if time.monotonic() > deadline:
            break
        text = json.loads(line)["text"]
        best = float("inf")
        flagged, score = False, 0.0
        for _ in range(max(1, args.repeat)):
            start = time.perf_counter()
            flagged, score = check(text)
            best = min(best, (time.perf_counter() - start) * 1000)
        sys.stdout.write(json.dumps({"flagged": flagged, "score": score, "ms": best}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
