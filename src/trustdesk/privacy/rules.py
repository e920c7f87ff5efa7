"""Pattern rules as data: YAML files validated by pydantic, run by :class:`RuleDetector`.

The built-in rules live in ``trustdesk/privacy/rules/*.yaml``; an operator may add
files of their own (:func:`load_rule_files`). A rule file looks like::

    version: 1
    defines:                              # optional: fragments patterns use as {{name}}
      value: '(\\d{3,4})(?!\\d)'
    rules:
      - id: payment.cvv.labelled          # unique, lower-case, dotted
        entity_type: CARD_CVV             # one of trustdesk.privacy.entities.ENTITY_TYPES
        description: a 3-4 digit code right after "cvv" or "security code"
        patterns:                         # one or more Python regexes
          - '\\b(?:cvv|cvc)\\W+{{value}}'
        group: 1                          # capture group to report (number or name); 0 = all
        score: 0.9                        # base score in [0, 1]
        ignore_case: true                 # default true
        validator: luhn                   # optional, see VALIDATORS below
        invalid_score: 0.6                # optional: score when the validator says no
                                          # (omitted: such a match is dropped)
        context: [card, "expir*"]         # words that raise the score ...
        context_boost: 0.1                # ... by this much (default 0.2)
        negative_context: [order, invoice]  # words that lower the score ...
        context_penalty: 0.4              # ... by this much (default 0.4)
        context_window: 40                # characters searched before a match (default 40)
        context_after: 0                  # characters searched after it (default 0)
        requires_context: false           # true: no context word, no finding
        digits: true                      # true (default): skip texts without an ASCII digit
        triggers: [mrn]                   # optional: skip texts without one of these words
        substrings: [":"]                 # optional: skip texts (lower-cased) without one of
                                          # these plain substrings
        examples: ["cvv 123"]             # optional: each must give a finding >= 0.5
        counter_examples: ["order 123"]   # optional: none may give a finding >= 0.5

Context words are matched case-insensitively as whole words ("sin" matches "SIN" but
not "since"); a trailing ``*`` makes one a prefix ("expir*" matches "expires",
"expiry"). A word right after "<" never counts, so redaction tags are not context;
likewise a match that starts right after "<" is skipped, so a tag is never a label. A
match must not overlap the context word it relies on. Scores are clamped to [0, 1];
the engine drops findings below its threshold (0.5), so ``score: 0.4`` with
``context_boost: 0.3`` means "only with context" while still letting a lower
threshold see the weak match.

Speed: a rule runs only on a text that could hold a match. ``digits: true`` skips
texts without digits; ``triggers`` (and, for ``requires_context`` rules, the context
words themselves; both whole words, or prefixes with a trailing ``*``, of which only
the first word of a phrase counts) skip texts without such a word. One scan of the text finds
every trigger word for all rules at once, so adding rules costs little on messages
they cannot match. ``substrings`` are plain substring tests (``"-"``, ``"yr"``) for
rules without a telling word, e.g. a MAC address needs ":" or "-". A gate must let
through every text the patterns can match: the examples are checked through it.

Writing patterns: put them in single-quoted YAML strings, where a backslash is
literal and an apostrophe is written twice (``'it''s \\d+'``). A case-insensitive
pattern without upper-case letters (outside escapes such as ``\\D``) runs as a
case-sensitive one over the lower-cased text, which is several times faster; write
``[a-z]``, not ``[A-Za-z]``, in such rules. ``defines`` are plain text substitution
and are local to their file; the built-in files define ``fill`` (up to six words
between a label and its value, within one sentence, not ending in a time word:
"my PIN for the account is 3971" but not "my PIN has not worked since 2019").

A value given right after its label ("NHS number 401 023 2137") is strong evidence
on its own, so the built-in "labelled" rules score 0.9-0.95 and keep a value whose
checksum fails (a misheard digit) at a lower score via ``invalid_score``; unlabelled
rules rely on a validator and context words.

Validators (``validator:``), each applied to the reported value with spaces, dashes,
dots and slashes removed:

=========== ==============================================================
luhn        Luhn mod-10 checksum (``stdnum.luhn``)
aba_routing US ABA routing number checksum (``stdnum.us.rtn``)
iban        IBAN (``stdnum.iban``)
us_ssn      US social security number structure (``stdnum.us.ssn``)
us_ein      US employer identification number (``stdnum.us.ein``)
us_itin     US individual taxpayer identification number (``stdnum.us.itin``)
nhs         UK NHS number check digit (``stdnum.gb.nhs``)
uk_nino     UK National Insurance number structure (prefix and suffix letters)
ca_sin      Canadian social insurance number (``stdnum.ca.sin``)
au_tfn      Australian tax file number (``stdnum.au.tfn``)
au_abn      Australian business number (``stdnum.au.abn``)
vat         EU VAT number (``stdnum.eu.vat``) or UK VAT number (``stdnum.gb.vat``)
bic         SWIFT/BIC code: 8 or 11 characters, known country (``stdnum.bic``)
imei        IMEI with Luhn check digit (``stdnum.imei``)
vin         vehicle identification number: 17 characters without I, O, Q, with a
            valid North American check digit (position 9)
month_year  card expiry: month 01-12 followed by a 2- or 4-digit year
=========== ==============================================================

Built-in files: ``payment.yaml`` (CARD_CVV, CARD_EXPIRY, BANK_ACCOUNT,
ROUTING_NUMBER; a UK sort code is a ROUTING_NUMBER, as it names the bank branch like an
ABA number; a SWIFT/BIC code is a BANK_ACCOUNT, as it is alphanumeric and travels
with an account number), ``identity.yaml`` (ID_NUMBER for national, tax, employee,
policy, claim, licence, company and device numbers, VINs, IMEIs, MAC addresses and
licence plates; US_DRIVER_LICENSE for driver's licences of any country; PASSPORT;
ZIP_CODE for US ZIP codes, UK and Canadian postcodes), ``health.yaml``
(MEDICAL_RECORD_NUMBER, HEALTH_INSURANCE_ID incl. EHIC/GHIC), ``security.yaml``
(PASSWORD_OR_PIN: PINs, passwords, one-time and recovery codes) and ``personal.yaml``
(AGE). Dates and URLs need code: :mod:`trustdesk.privacy.detectors.dates`,
:mod:`trustdesk.privacy.detectors.url`.

Using your own file alongside the built-in rules::

    RuleDetector([*default_rules(), *load_rules("/etc/trustdesk/rules/ours.yaml")])

Every problem in a file is a :class:`~trustdesk.errors.ConfigError` naming the file
and the rule: unknown fields, an unknown entity type or validator, a regex that does
not compile or matches the empty string, a capture group a pattern lacks, a score
outside [0, 1], a duplicate id, an example that finds nothing or a counter-example
that finds something.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator
from stdnum import bic, iban, imei, luhn
from stdnum.au import abn, tfn
from stdnum.ca import sin
from stdnum.eu import vat as eu_vat
from stdnum.gb import nhs
from stdnum.gb import vat as gb_vat
from stdnum.us import ein, itin, rtn, ssn

from trustdesk.errors import ConfigError
from trustdesk.privacy.detectors.base import CONTEXT_NOTE, NEGATIVE_CONTEXT_NOTE, Detector
from trustdesk.privacy.entities import ENTITY_TYPES
from trustdesk.types import Finding

__all__ = [
    "VALIDATORS",
    "PatternRule",
    "RuleDetector",
    "ValidatorName",
    "default_rule_detector",
    "default_rules",
    "load_rule_files",
    "load_rules",
    "parse_rules",
]

ValidatorName = Literal[
    "luhn",
    "aba_routing",
    "iban",
    "us_ssn",
    "us_ein",
    "us_itin",
    "nhs",
    "uk_nino",
    "ca_sin",
    "au_tfn",
    "au_abn",
    "vat",
    "bic",
    "imei",
    "vin",
    "month_year",
]

_STRIP = str.maketrans("", "", " -./")

# UK National Insurance number: two prefix letters (D, F, I, Q, U, V never; O never
# second), six digits, suffix A-D; some prefixes are never issued.
_NINO_RE = re.compile(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]", re.ASCII)
_NINO_BAD_PREFIXES = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})

_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def _uk_nino(value: str) -> bool:
    v = value.upper()
    return _NINO_RE.fullmatch(v) is not None and v[:2] not in _NINO_BAD_PREFIXES


def _vin(value: str) -> bool:
    v = value.upper()
    if len(v) != 17 or any(c not in _VIN_VALUES for c in v):
        return False
    total = sum(_VIN_VALUES[c] * w for c, w in zip(v, _VIN_WEIGHTS, strict=True))
    check = total % 11
    return v[8] == ("X" if check == 10 else str(check))


def _month_year(value: str) -> bool:
    if not value.isdigit() or len(value) not in (4, 6):
        return False
    return 1 <= int(value[:2]) <= 12


def _vat(value: str) -> bool:
    v = value.upper()
    if v.startswith("GB") or v.startswith("XI"):
        return bool(gb_vat.is_valid(v))
    return bool(eu_vat.is_valid(v))


#: The validators a rule may name, each taking the value with separators removed.
VALIDATORS: dict[str, Callable[[str], bool]] = {
    "luhn": lambda v: v.isdigit() and bool(luhn.is_valid(v)),
    "aba_routing": lambda v: bool(rtn.is_valid(v)),
    "iban": lambda v: bool(iban.is_valid(v)),
    "us_ssn": lambda v: bool(ssn.is_valid(v)),
    "us_ein": lambda v: bool(ein.is_valid(v)),
    "us_itin": lambda v: bool(itin.is_valid(v)),
    "nhs": lambda v: bool(nhs.is_valid(v)),
    "uk_nino": _uk_nino,
    "ca_sin": lambda v: bool(sin.is_valid(v)),
    "au_tfn": lambda v: bool(tfn.is_valid(v)),
    "au_abn": lambda v: bool(abn.is_valid(v)),
    "vat": _vat,
    "bic": lambda v: bool(bic.is_valid(v.upper())),
    "imei": lambda v: v.isdigit() and len(v) == 15 and bool(imei.is_valid(v)),
    "vin": _vin,
    "month_year": _month_year,
}
if set(VALIDATORS) != set(get_args(ValidatorName)):  # pragma: no cover - a coding error
    raise RuntimeError("VALIDATORS and ValidatorName disagree")

_ID_RE = r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$"
_WORD_RE = re.compile(r"[^\W_]+")
_DIGIT_RE = re.compile(r"[0-9]")
_LEADING_WORD_RE = _WORD_RE
# Escapes and named-group syntax, whose capitals are not letters to match.
_ESCAPE = re.compile(r"\\.|\(\?P[<=>]", re.DOTALL)


def _context_re(words: Iterable[str]) -> re.Pattern[str] | None:
    """Whole words (or prefixes, for a trailing ``*``), case-insensitive, not after "<"."""
    alts: list[str] = []
    for word in sorted({w.strip().lower() for w in words if w.strip()}, key=len, reverse=True):
        if word.endswith("*"):
            alts.append(re.escape(word[:-1]))
        else:
            tail = r"(?!\w)" if word[-1:].isalnum() else ""
            alts.append(re.escape(word) + tail)
    if not alts:
        return None
    return re.compile(r"(?<![\w<])(?:" + "|".join(alts) + ")", re.IGNORECASE)


def _gate_word(word: str) -> tuple[str, bool] | None:
    """The first run of letters/digits of a context word or trigger, lower-case, and
    whether it is a prefix (it ends the word and the word ends with ``*``)."""
    w = word.strip().lower()
    m = _LEADING_WORD_RE.search(w.rstrip("*"))
    if m is None:
        return None
    return m.group(), w.endswith("*") and m.end() == len(w.rstrip("*"))


class _Runner:
    """A rule compiled to plain attributes: what :class:`RuleDetector` runs per text."""

    __slots__ = (
        "after",
        "boost",
        "context",
        "digits",
        "entity_type",
        "group",
        "invalid_score",
        "label",
        "lowered",
        "negative",
        "penalty",
        "prefixes",
        "regexes",
        "requires_context",
        "score",
        "substrings",
        "validator",
        "validator_name",
        "window",
        "words",
    )

    def __init__(self, rule: PatternRule, regexes: tuple[re.Pattern[str], ...]) -> None:
        self.label = f"rule {rule.id}"
        self.entity_type = rule.entity_type
        self.regexes = regexes
        # A case-insensitive pattern without upper-case letters runs faster as a
        # case-sensitive one over the lower-cased text.
        self.lowered = tuple(
            re.compile(r.pattern)
            if r.flags & re.IGNORECASE and not any(c.isupper() for c in _ESCAPE.sub("", r.pattern))
            else None
            for r in regexes
        )
        self.group = rule.group
        self.score = rule.score
        self.validator_name = rule.validator
        self.validator = VALIDATORS[rule.validator] if rule.validator else None
        self.invalid_score = rule.invalid_score
        self.context = _context_re(rule.context)
        self.negative = _context_re(rule.negative_context)
        self.boost = rule.context_boost
        self.penalty = rule.context_penalty
        self.window = rule.context_window
        self.after = rule.context_after
        self.requires_context = rule.requires_context
        self.digits = rule.digits
        gates = rule.triggers or (rule.context if rule.requires_context else ())
        words: set[str] = set()
        prefixes: set[str] = set()
        for gate in gates:
            parsed = _gate_word(gate)
            if parsed is not None:
                (prefixes if parsed[1] else words).add(parsed[0])
        self.words = frozenset(words)
        self.prefixes = frozenset(prefixes)
        self.substrings = rule.substrings

    def near(self, pattern: re.Pattern[str], text: str, start: int, end: int) -> bool:
        if self.window and pattern.search(text, max(0, start - self.window), start):
            return True
        return bool(self.after) and pattern.search(text, end, end + self.after) is not None

    def find(self, text: str, detector: str, lower: str | None = None) -> list[Finding]:
        """Findings in ``text``; ``lower`` is ``text.lower()`` when the caller has it."""
        if lower is None:
            lower = text.lower()
        # Lower-casing keeps offsets unless a character changes length ("İ"); then the
        # case-insensitive patterns run on the text itself.
        fast = len(lower) == len(text)
        findings: list[Finding] = []
        for regex, lowered in zip(self.regexes, self.lowered, strict=True):
            subject = text
            if lowered is not None and fast:
                regex, subject = lowered, lower
            for m in regex.finditer(subject):
                if m.start() and text[m.start() - 1] == "<":
                    continue  # a redaction tag ("<PASSPORT>") is never a label
                start, end = m.span(self.group)
                if start < 0 or end <= start:
                    continue
                explanation = self.label
                score = self.score
                if self.validator is not None:
                    if self.validator(text[start:end].translate(_STRIP)):
                        explanation += f"; validator {self.validator_name}"
                    elif self.invalid_score is None:
                        continue
                    else:
                        score = self.invalid_score
                        explanation += f"; validator {self.validator_name} failed"
                if self.context is not None:
                    if self.near(self.context, text, start, end):
                        score += self.boost
                        explanation += f"; {CONTEXT_NOTE}"
                    elif self.requires_context:
                        continue
                if self.negative is not None and self.near(self.negative, text, start, end):
                    score -= self.penalty
                    explanation += f"; {NEGATIVE_CONTEXT_NOTE}"
                score = round(min(1.0, max(0.0, score)), 4)
                findings.append(Finding(self.entity_type, start, end, score, detector, explanation))
        return findings


class PatternRule(BaseModel):
    """One validated pattern rule with its compiled regexes."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    id: str = Field(pattern=_ID_RE, max_length=80)
    entity_type: str
    description: str = ""
    patterns: tuple[str, ...] = Field(min_length=1)
    group: int | str = 0
    score: float = Field(ge=0.0, le=1.0)
    ignore_case: bool = True
    validator: ValidatorName | None = None
    invalid_score: float | None = Field(default=None, ge=0.0, le=1.0)
    context: tuple[str, ...] = ()
    context_boost: float = Field(default=0.2, ge=0.0, le=1.0)
    negative_context: tuple[str, ...] = ()
    context_penalty: float = Field(default=0.4, ge=0.0, le=1.0)
    context_window: int = Field(default=40, ge=0, le=200)
    context_after: int = Field(default=0, ge=0, le=200)
    requires_context: bool = False
    digits: bool = True
    triggers: tuple[str, ...] = ()
    substrings: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()

    _runner: _Runner = PrivateAttr()

    @model_validator(mode="after")
    def _compile(self) -> PatternRule:
        if self.entity_type not in ENTITY_TYPES:
            raise ValueError(
                f"unknown entity_type {self.entity_type!r}; "
                f"expected one of {', '.join(sorted(ENTITY_TYPES))}"
            )
        flags = re.IGNORECASE if self.ignore_case else 0
        regexes: list[re.Pattern[str]] = []
        for i, pattern in enumerate(self.patterns):
            try:
                regex = re.compile(pattern, flags)
            except re.error as exc:
                raise ValueError(f"patterns[{i}]: invalid regex: {exc}") from None
            if regex.search("") is not None:
                raise ValueError(f"patterns[{i}]: matches the empty string")
            if isinstance(self.group, int):
                if not 0 <= self.group <= regex.groups:
                    raise ValueError(f"patterns[{i}]: has no capture group {self.group}")
            elif self.group not in regex.groupindex:
                raise ValueError(f"patterns[{i}]: has no capture group named {self.group!r}")
            regexes.append(regex)
        for sub in self.substrings:
            if not sub or sub != sub.lower():
                raise ValueError(f"substring {sub!r} must be non-empty and lower-case")
        if self.requires_context and not self.context:
            raise ValueError("requires_context is true but no context words are given")
        for word in (*self.context, *self.negative_context, *self.triggers):
            if not word or _gate_word(word) is None:
                raise ValueError(f"context word or trigger {word!r} has no letter or digit")
        self._runner = _Runner(self, tuple(regexes))
        return self

    @property
    def regexes(self) -> tuple[re.Pattern[str], ...]:
        """The compiled patterns."""
        return self._runner.regexes

    @property
    def gate_words(self) -> tuple[frozenset[str], frozenset[str]]:
        """(whole words, prefixes): the text must hold one of them (both empty: no gate)."""
        return self._runner.words, self._runner.prefixes

    def find(self, text: str, detector: str = "rules") -> list[Finding]:
        """Every finding of this rule in ``text``, without the trigger/digit gates."""
        return self._runner.find(text, detector)


class _RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    defines: dict[str, str] = {}
    rules: tuple[dict[str, Any], ...] = Field(min_length=1)


def _rule_label(raw: object, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"rule {raw['id']!r}"
    return f"rule #{index + 1}"


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = ".".join(str(p) for p in err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


_DEFINE_NAME_RE = re.compile(r"[a-z][a-z0-9_]*")
_MACRO_RE = re.compile(r"\{\{([a-z][a-z0-9_]*)\}\}")


class _UndefinedName(Exception):
    pass


def _expand(raw: dict[str, Any], defines: dict[str, str]) -> dict[str, Any]:
    """``raw`` with ``{{name}}`` in its patterns replaced by the file's ``defines``."""
    patterns = raw.get("patterns")
    if not defines and not isinstance(patterns, list):
        return raw

    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in defines:
            raise _UndefinedName(m.group(1))
        return defines[m.group(1)]

    if isinstance(patterns, list):
        raw = {
            **raw,
            "patterns": [_MACRO_RE.sub(sub, p) if isinstance(p, str) else p for p in patterns],
        }
    return raw


def _check_examples(rule: PatternRule, source: str) -> None:
    # Through a detector, so that a trigger the examples lack is caught too.
    detector = RuleDetector([rule])
    for i, example in enumerate(rule.examples):
        if not any(f.score >= 0.5 for f in detector.analyze(example)):
            raise ConfigError(
                f"{source}: rule {rule.id!r}: example #{i + 1} ({example!r}) finds nothing"
            )
    for i, example in enumerate(rule.counter_examples):
        if any(f.score >= 0.5 for f in detector.analyze(example)):
            raise ConfigError(
                f"{source}: rule {rule.id!r}: counter-example #{i + 1} ({example!r}) "
                "finds something"
            )


def parse_rules(text: str, *, source: str = "<string>") -> tuple[PatternRule, ...]:
    """Parse and validate one YAML rule document; raise :class:`ConfigError` on any problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping with 'version' and 'rules'")
    try:
        doc = _RuleFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {_describe(exc)}") from None
    for name in doc.defines:
        if _DEFINE_NAME_RE.fullmatch(name) is None:
            raise ConfigError(f"{source}: defines: {name!r} is not a lower-case name")
    rules: list[PatternRule] = []
    seen: set[str] = set()
    for index, raw in enumerate(doc.rules):
        try:
            rule = PatternRule.model_validate(_expand(raw, doc.defines))
        except _UndefinedName as exc:
            raise ConfigError(
                f"{source}: {_rule_label(raw, index)}: undefined name {{{{{exc.args[0]}}}}}"
            ) from None
        except ValidationError as exc:
            raise ConfigError(f"{source}: {_rule_label(raw, index)}: {_describe(exc)}") from None
        if rule.id in seen:
            raise ConfigError(f"{source}: rule {rule.id!r}: duplicate id")
        seen.add(rule.id)
        _check_examples(rule, source)
        rules.append(rule)
    return tuple(rules)


def load_rules(path: str | Path) -> tuple[PatternRule, ...]:
    """Load and validate the rules of one YAML file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read rule file: {exc.strerror}") from None
    return parse_rules(text, source=str(p))


def _merge(batches: Iterable[tuple[str, Sequence[PatternRule]]]) -> tuple[PatternRule, ...]:
    merged: dict[str, PatternRule] = {}
    origin: dict[str, str] = {}
    for source, rules in batches:
        for rule in rules:
            if rule.id in merged:
                raise ConfigError(
                    f"{source}: rule {rule.id!r}: duplicate id (also in {origin[rule.id]})"
                )
            merged[rule.id] = rule
            origin[rule.id] = source
    return tuple(merged.values())


def load_rule_files(paths: Iterable[str | Path]) -> tuple[PatternRule, ...]:
    """Load several rule files (a directory means its ``*.yaml`` files, sorted).

    Ids must be unique across all files.
    """
    batches: list[tuple[str, Sequence[PatternRule]]] = []
    for path in paths:
        p = Path(path)
        files = sorted(p.glob("*.yaml")) if p.is_dir() else [p]
        batches.extend((str(f), load_rules(f)) for f in files)
    return _merge(batches)


@lru_cache(maxsize=1)
def default_rules() -> tuple[PatternRule, ...]:
    """The built-in rules (``privacy/rules/*.yaml``), loaded and validated once."""
    folder = resources.files("trustdesk.privacy").joinpath("rules")
    batches: list[tuple[str, Sequence[PatternRule]]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            source = f"privacy/rules/{entry.name}"
            batches.append((source, parse_rules(entry.read_text(encoding="utf-8"), source=source)))
    return _merge(batches)


class RuleDetector(Detector):
    """Runs pattern rules; reports every entity type its rules name.

    Rules are gated before any regex runs: the words of the text are collected once,
    and a rule whose trigger words (or, when it requires context, context words) are
    all absent is skipped, as is a digit rule on a text without an ASCII digit.
    """

    name = "rules"
    entity_types: tuple[str, ...] = ()

    def __init__(self, rules: Iterable[PatternRule], *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.rules = tuple(rules)
        ids = [r.id for r in self.rules]
        if len(set(ids)) != len(ids):
            raise ConfigError("rule ids must be unique within a RuleDetector")
        self.entity_types = tuple(sorted({r.entity_type for r in self.rules}))
        self._runners = tuple(r._runner for r in self.rules)
        self._open = tuple(r for r in self._runners if not r.words and not r.prefixes)
        self._gated = tuple(r for r in self._runners if r.words or r.prefixes)
        self._open_nodigit = tuple(r for r in self._open if not r.digits)
        self._gated_nodigit = tuple(r for r in self._gated if not r.digits)
        prefixes = sorted({p for r in self._runners for p in r.prefixes}, key=len, reverse=True)
        self._prefix_re = (
            re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, prefixes)) + ")")
            if prefixes
            else None
        )
        # The pattern reports the longest prefix at a word ("expir" in "expires"); each
        # maps to every prefix it begins with ("expir" -> "expir", "exp").
        self._prefix_closure = {
            p: frozenset(q for q in prefixes if p.startswith(q)) for p in prefixes
        }

    def _armed(self, text: str, lower: str) -> list[_Runner]:
        if _DIGIT_RE.search(text) is not None:
            open_, gated = self._open, self._gated
        else:  # only the rules that need no digit can match
            open_, gated = self._open_nodigit, self._gated_nodigit
        armed = [r for r in open_ if not r.substrings or any(sub in lower for sub in r.substrings)]
        if gated:
            words = set(_WORD_RE.findall(lower))
            found: set[str] = set()
            if self._prefix_re is not None:
                for prefix in set(self._prefix_re.findall(lower)):
                    found.update(self._prefix_closure[prefix])
            armed.extend(
                r
                for r in gated
                if (not r.words.isdisjoint(words) or not r.prefixes.isdisjoint(found))
                and (not r.substrings or any(sub in lower for sub in r.substrings))
            )
        return armed

    def may_match(self, text: str) -> bool:
        return bool(self._open_nodigit or self._gated_nodigit) or (
            _DIGIT_RE.search(text) is not None
        )

    def armed_rules(self, text: str) -> list[str]:
        """The ids of the rules whose gates ``text`` passes (see the class docstring)."""
        runners = set(map(id, self._armed(text, text.lower())))
        return [r.id for r in self.rules if id(r._runner) in runners]

    def analyze(self, text: str) -> list[Finding]:
        findings: list[Finding] = []
        lower = text.lower()
        for runner in self._armed(text, lower):
            findings.extend(runner.find(text, self.name, lower))
        return findings


def default_rule_detector() -> RuleDetector:
    """A :class:`RuleDetector` with the built-in rules."""
    return RuleDetector(default_rules())
