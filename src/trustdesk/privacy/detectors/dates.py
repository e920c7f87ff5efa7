"""Dates and times (``DATE_TIME``), and dates of birth (``DATE_OF_BIRTH``).

Formats, case-insensitive:

* ISO dates, with an optional time: ``2000-04-16``, ``2000-04-16 11:34:35``,
  ``2000-04-16T11:34``;
* numeric dates with a year: ``04/16/2000``, ``16.04.2000``, ``4-16-00`` (month/day or
  day/month, whichever is a real date; two parts alone, "04/16", are too ambiguous:
  fractions, card expiry dates, scores);
* month names: ``April 16th, 2000``, ``16 April 2000``, ``the 3rd of March``,
  ``Apr 2000``, optionally led by a weekday or a part of the day ("next Tuesday, July
  14th", "the evening of May 9th"), followed by a time ("at 10 AM") or continued into
  a range ("July 10th through July 24th", "August 1st-15th");
* weekdays ("Tuesday", "next Friday") and times of day ("10:30", "9 am", "14:05:33");
* a year (1800-2099) only after a word that makes it a date: "in 1977", "since 2012",
  "born in 1980", "class of 1999".

A date is a ``DATE_OF_BIRTH`` when a birth word ("born", "birthday", "date of birth",
"DOB", "birth date") comes before it within :attr:`DateDetector.birth_window`
characters, with no other date in between, or right after it ("04/16/1985 is my
date of birth"). A weekday or a time of day is never a date of birth, and neither is a
date with a charge, payment, order or delivery word between it and the birth word
("my birthday present was charged on March 3rd"). With birth
context only, two more shapes count as dates of birth: spaced digits ("04 16 1985", as
transcripts read them) and eight digits ("04161985").
"""

from __future__ import annotations

import re

from trustdesk.privacy.detectors.base import Detector
from trustdesk.types import Finding

DATE_TIME = "DATE_TIME"
DATE_OF_BIRTH = "DATE_OF_BIRTH"

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
_ORD = r"(?:st|nd|rd|th)"
_DAY = rf"(?:3[01]|[12]\d|0?[1-9]){_ORD}?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_TIME = (
    r"(?:(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s?(?:[ap]\.m\.|[ap]m\b))?"
    r"|(?:1[0-2]|0?[1-9])\s?(?:[ap]\.m\.|[ap]m\b)|noon|midnight)"
)
_PART_OF_DAY = (
    r"(?:(?:the\s+)?(?:morning|afternoon|evening|night|end|start|beginning|middle)\s+of\s+)"
)
_RELATIVE = r"(?:(?:next|last|this|coming|past)\s+)"
_NAMED = (
    rf"(?:{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?"
    rf"|{_MONTH}\s+(?:the\s+)?{_DAY}(?![\d:])(?:,?\s+{_YEAR})?"
    rf"|{_MONTH},?\s+{_YEAR}"
    rf"|the\s+{_DAY}\s+of\s+{_MONTH}(?:,?\s+{_YEAR})?)"
)
_RANGE_TAIL = (
    rf"(?:\s*(?:-|–|to|through|thru|till|until)\s*{_DAY}(?![\w:/])"
    rf"(?:\s+(?:of\s+)?{_MONTH}(?![\w]))?(?:,?\s+{_YEAR})?)"
)
_TIME_TAIL = rf"(?:,?\s+(?:at\s+|@\s*)?{_TIME})"

_DATE_PATTERN = (
    r"(?<![\w/.:-])(?:"
    rf"(?P<iso>{_YEAR}-(?:0?[1-9]|1[0-2])-(?:3[01]|[12]\d|0?[1-9])(?:[T ]{_TIME})?)"
    r"|(?P<num>(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2}))"
    rf"(?:{_TIME_TAIL})?"
    rf"|(?P<named>(?:{_RELATIVE}?{_WEEKDAY},?\s+(?:the\s+)?)?{_PART_OF_DAY}?{_NAMED}"
    rf"{_RANGE_TAIL}?{_TIME_TAIL}?)"
    rf"|(?P<weekday>{_RELATIVE}?{_WEEKDAY}(?:{_TIME_TAIL})?)"
    rf"|(?P<time>{_TIME})"
    r"|(?:in|since|from|until|till|by|year|circa|before|after|during|between|through|"
    r"early|late|mid|summer|winter|spring|fall|autumn|of|around|about|back\s+in)"
    rf"\s+(?P<year>{_YEAR})"
    r")(?![\w/]|[.:-]\d)"
)
# Matched against the lower-cased text (much faster than IGNORECASE); the
# case-insensitive twin serves texts whose lower-casing changes their length.
_DATE_RE = re.compile(_DATE_PATTERN)
_DATE_RE_ICASE = re.compile(_DATE_PATTERN, re.IGNORECASE)

# Only with birth context: spaced or run-together digits.
_BIRTH_DIGITS_RE = re.compile(
    r"(?<![\w/.:-])(?P<d>(?:0?[1-9]|[12]\d|3[01])\s(?:0?[1-9]|[12]\d|3[01])\s(?:19|20)\d\d"
    r"|(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|[12]\d|3[01])(?:19|20)\d\d)(?![\w/]|[.:-]\d)"
)

_BIRTH_RE = re.compile(r"(?<![\w<])(?:born|birth\w*|dob|d\.o\.b\b\.?|b-?day|bday)", re.IGNORECASE)
# Birth words that may follow the date ("04/16/1985 is my date of birth").
_BIRTH_AFTER_RE = re.compile(
    r"^[\s,]*(?:(?:is|was|as|=|-|:)\s+)?(?:(?:my|his|her|their|the)\s+)?"
    r"(?:date\s+of\s+birth|birth\s*date|birthday|dob|d\.o\.b)",
    re.IGNORECASE,
)
# Words that tie a date to something other than a birth ("birthday gift, charged on ...").
_NOT_BIRTH_RE = re.compile(
    r"\b(?:charge[ds]?|charging|paid|payment|pay|order(?:ed)?|deliver\w*|shipp?\w*|"
    r"transaction|refund\w*|bill(?:ed)?|statement|appointment|booked|booking|flight|"
    r"transfer\w*|purchase[ds]?|bought|posted|sent|received|party|gift)\b",
    re.IGNORECASE,
)
_GAP_RANGE_RE = re.compile(r"\s*(?:-|–|to|through|thru|till|until|(?P<and>and))\s*", re.IGNORECASE)
_BETWEEN_RE = re.compile(r"between\s*$", re.IGNORECASE)
# "may" in lower case is far more often the verb ("you may 2 ...") than the month.
_LOWER_MAY_RE = re.compile(r"\bmay\b")
_YEAR_IN_RE = re.compile(r"\d{4}")
# A "year" that counts something: "a total of 2000 dollars", "about 1900 people".
_NOT_A_YEAR_RE = re.compile(
    r"\s*(?:[%$€£]|percent|dollars?|bucks|euros?|pounds?|quid|usd|gbp|eur|cad|aud|points?|"
    r"units?|items?|pieces?|people|customers|users|miles?|km|kilometers?|calories|words|"
    r"times|transactions?|payments?|orders?|messages?|emails?|shares?|minutes?|hours?|"
    r"days?|weeks?|months?|years|gb|mb|kb)\b",
    re.IGNORECASE,
)


# Every date pattern holds a digit, "day", "noon" or "midnight" (the detector's gate).
_GATE_RE = re.compile(r"\d|day|noon|midnight", re.IGNORECASE)

_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid_md(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]


class DateDetector(Detector):
    """Finds dates and times; a date with birth context is a date of birth."""

    name = "dates"
    entity_types = (DATE_TIME, DATE_OF_BIRTH)
    #: Characters before a date searched for a birth word.
    birth_window = 40
    #: Characters after a date searched for a trailing birth word.
    birth_after = 30
    birth_score = 0.9
    scores: dict[str, float] = {
        "iso": 0.85,
        "num4": 0.75,
        "num2": 0.6,
        "named": 0.8,
        "weekday": 0.6,
        "time": 0.6,
        "year": 0.6,
    }

    def may_match(self, text: str) -> bool:
        return _GATE_RE.search(text) is not None

    def analyze(self, text: str) -> list[Finding]:
        spans = self._date_spans(text)
        if not spans:
            return []
        spans = self._merge_ranges(text, spans)
        findings: list[Finding] = []
        prev_end = 0
        for i, (start, end, kind) in enumerate(spans):
            next_start = spans[i + 1][0] if i + 1 < len(spans) else len(text)
            birth = kind in ("iso", "num4", "num2", "named", "year", "birth") and self._birth(
                text, start, end, prev_end, next_start
            )
            prev_end = end
            if birth:
                findings.append(
                    self._finding(DATE_OF_BIRTH, start, end, self.birth_score, kind, True)
                )
            elif kind != "birth":
                findings.append(
                    self._finding(DATE_TIME, start, end, self.scores[kind], kind, False)
                )
        return findings

    def _finding(
        self, entity_type: str, start: int, end: int, score: float, kind: str, birth: bool
    ) -> Finding:
        explanation = f"date pattern ({kind})"
        if birth:
            explanation += "; birth word nearby"
        return Finding(entity_type, start, end, score, self.name, explanation)

    @staticmethod
    def _date_spans(text: str) -> list[tuple[int, int, str]]:
        spans: list[tuple[int, int, str]] = []
        lower = text.lower()
        if len(lower) == len(text):
            matches = _DATE_RE.finditer(lower)
        else:
            matches = _DATE_RE_ICASE.finditer(text)
        for m in matches:
            kind = m.lastgroup or ""
            if m.group("iso") is not None:
                kind = "iso"
                start, end = m.span()
                parts = m.group("iso")[:10].split("-")
                if not _valid_md(int(parts[1]), int(parts[2][:2])):
                    continue
            elif m.group("num") is not None:
                a, b, y = int(m.group("a")), int(m.group("b")), m.group("y")
                if not (_valid_md(a, b) or _valid_md(b, a)):
                    continue
                if len(y) == 2 and m.group("sep") == ".":
                    continue  # "1.2.34" is far more often a version number
                kind = "num4" if len(y) == 4 else "num2"
                start, end = m.span()
            elif m.group("named") is not None:
                kind = "named"
                start, end = m.span()
                if (
                    _LOWER_MAY_RE.search(text, start, end) is not None
                    and _YEAR_IN_RE.search(text, start, end) is None
                ):
                    continue
            elif m.group("weekday") is not None:
                kind = "weekday"
                start, end = m.span()
            elif m.group("time") is not None:
                kind = "time"
                start, end = m.span()
            else:
                kind = "year"
                start, end = m.span("year")
                if _NOT_A_YEAR_RE.match(text, end) is not None:
                    continue
            spans.append((start, end, kind))
        if _BIRTH_RE.search(text) is not None:
            for m in _BIRTH_DIGITS_RE.finditer(text):
                s, e = m.span("d")
                if all(e <= a or s >= b for a, b, _ in spans):
                    spans.append((s, e, "birth"))
            spans.sort()
        return spans

    @staticmethod
    def _merge_ranges(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """Join "July 10th through July 24th" (or "between ... and ...") into one span."""
        merged = [spans[0]]
        for start, end, kind in spans[1:]:
            p_start, p_end, p_kind = merged[-1]
            gap = _GAP_RANGE_RE.fullmatch(text, p_end, start)
            if (
                gap is not None
                and kind == p_kind
                and kind in ("named", "iso", "num4", "num2")
                and start - p_end <= 12
                # "X and Y" is a range only as "between X and Y".
                and (gap.group("and") is None or _BETWEEN_RE.search(text, 0, p_start))
            ):
                merged[-1] = (p_start, end, kind)
            else:
                merged.append((start, end, kind))
        return merged

    def _birth(self, text: str, start: int, end: int, prev_end: int, next_start: int) -> bool:
        window_start = max(prev_end, start - self.birth_window)
        words = list(_BIRTH_RE.finditer(text, window_start, start))
        if words and _NOT_BIRTH_RE.search(text, words[-1].end(), start) is None:
            return True
        after = text[end : min(next_start, end + self.birth_after)]
        return _BIRTH_AFTER_RE.match(after) is not None
