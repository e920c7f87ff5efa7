"""Normalize speech-to-text transcripts so the pattern detectors can read them.

Voice channels deliver what a caller said the way an ASR engine wrote it down: "my
card is four one one one ...", "double five", "oh" for zero, "forty one eleven",
"nineteen eighty eight", "j o h n dot smith at example dot com", "march fourth". The
detectors look for digits and ``@``, so :func:`normalize_transcript` rewrites those
spoken forms into written ones and keeps a map from every character it wrote back to
the original characters, so a finding on the normalized text can redact the original.

What is rewritten
-----------------
* **Spoken numbers.** A *run* is a maximal sequence of number words (``zero``/``oh``
  to ``nineteen``, the tens, ``hundred``, ``thousand``, ``double``/``triple`` before
  a digit word) and digit strings, which may be interrupted by fillers ("um", "uh",
  "like", "you know"), commas and spoken or written separators ("dash", "hyphen",
  "slash", ``-``, ``/``). A run becomes digits only when it is clearly a number being
  dictated: at least three number words, or a digit string inside the run, or a run
  producing at least two digits right after a context word ("is", "number", "code",
  "pin", "zip", ...), or a spoken year ("nineteen eighty eight", "twenty twenty"), or
  a day and year after a month name. "one of my two cards", "for two days" and
  "one hundred dollars" stay as they are.

  Each spoken chunk becomes its digits and the chunks are concatenated: "forty one
  eleven" is ``4111``, "double five" ``55``, "two thousand and five" ``2005``, "oh
  nine slash twenty seven" ``09/27``. Commas between number words become a space (a
  spoken group boundary), "dash"/"hyphen" ``-``, "slash" ``/``; "plus" right before a
  run becomes ``+``.
* **Spoken dates.** "march fourth nineteen eighty eight" becomes ``march 4 1988``;
  "the fourth of march" becomes ``the 4th of march``.
* **Spelled e-mail addresses.** "j o h n dot smith at example dot com", "john
  underscore smith at example dot com", and the chat forms "john[at]example[dot]com"
  and "john (at) example (dot) com" become ``john.smith@example.com``. The domain
  needs a spoken or written dot, so "at the end of the day" is left alone.

Offsets
-------
The text is rewritten by replacing whole original tokens, so
:meth:`NormalizedText.to_original` maps a span of the normalized text to the original
characters that produced it: a span touching any part of a rewritten piece covers the
whole original piece (all the words that were spoken for it), and untouched text maps
one to one. Nothing is ever cut inside an original word.

Speed: a text without any trigger word (number words, ordinals, "dot") is returned
after one lower-casing and one set check.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from trustdesk.types import Finding

__all__ = ["NormalizedText", "normalize_transcript"]

_DIGIT_WORDS: dict[str, int] = {
    "zero": 0,
    "oh": 0,
    "o": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_TEENS: dict[str, int] = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000}
_REPEAT: dict[str, int] = {"double": 2, "triple": 3}
_ORDINALS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
}
_MONTHS = frozenset(
    "january february march april may june july august september october november december"
    " jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_FILLERS = frozenset({"um", "uh", "umm", "uhm", "er", "erm", "ah", "hmm", "like"})
_SEPARATOR_WORDS: dict[str, str] = {"dash": "-", "hyphen": "-", "slash": "/"}
_SEPARATOR_CHARS: dict[str, str] = {",": " ", "-": "-", "/": "/"}
#: Words after which a short run (two digits or more) is read as a dictated number.
_CONTEXT_WORDS = frozenset(
    """is was are were be it's its number numbers no code codes pin pins cvv cvc zip
    postcode extension ext digits digit ending ends end in last first id account card
    phone mobile cell passcode password otp verification reference ssn dob born
    birthday year expiry expires expiration routing sort iban plus""".split()
)
_EMAIL_SEPS: dict[str, str] = {
    "dot": ".",
    "period": ".",
    "point": ".",
    "underscore": "_",
    "dash": "-",
    "hyphen": "-",
    "minus": "-",
}
_TLDS = frozenset(
    """com net org edu gov mil io co uk us ca au de fr nl es it ie nz in info biz me ai app
    dev mail email online site tech xyz eu ch se no dk fi be at pl pt jp cn br mx za
    example test invalid local""".split()
)

#: Any of these words (lower case) makes the full normalizer run.
_TRIGGERS = frozenset(
    [*_DIGIT_WORDS, *_TEENS, *_TENS, *_SCALES, *_REPEAT, *_ORDINALS, "dot", "fourty"]
) - {"o", "oh"}

_WORD_RE = re.compile(r"[a-z]+")
_TOKEN_RE = re.compile(
    r"(?P<bat>[\[\(\{<]\s*(?:at|dot)\s*[\]\)\}>])"
    r"|(?P<alnum>[^\W_]*(?:\d[^\W\d_]|[^\W\d_]\d)[^\W_]*)"
    r"|(?P<word>[^\W\d_]+(?:'[^\W\d_]+)?)"
    r"|(?P<num>\d+)"
    r"|(?P<other>\S)"
)

_WORD, _NUM, _OTHER = 0, 1, 2


@dataclass(slots=True)
class _Tok:
    kind: int
    text: str
    low: str
    start: int
    end: int


def _tokenize(text: str) -> list[_Tok]:
    if "[" in text or "(" in text or "{" in text or "<" in text:
        return _tokenize_slow(text)
    toks: list[_Tok] = []
    append = toks.append
    find = text.find
    pos = 0
    for piece in text.split():
        s = find(piece, pos)
        pos = s + len(piece)
        if piece.isalpha() and piece.isascii():
            append(_Tok(_WORD, piece, piece.lower(), s, pos))
        else:
            toks.extend(_tokenize_slow(piece, s))
    return toks


def _tokenize_slow(text: str, offset: int = 0) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text):
        group = m.lastgroup
        s = m.group()
        a, b = m.start() + offset, m.end() + offset
        if group == "bat":
            low = "at" if "at" in s.lower().replace("dot", "") else "dot"
            toks.append(_Tok(_WORD, s, low, a, b))
        elif group == "word" or group == "alnum":
            toks.append(_Tok(_WORD, s, s.lower(), a, b))
        elif group == "num":
            toks.append(_Tok(_NUM, s, s, a, b))
        else:
            toks.append(_Tok(_OTHER, s, s, a, b))
    return toks


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A normalized transcript and the map back to the original text.

    ``text`` is the normalized string, ``original`` the input, ``changed`` whether they
    differ. Rewritten pieces are recorded as ``(norm_start, norm_end, orig_start,
    orig_end)`` in ``replacements``, sorted and non-overlapping; text between them is
    copied unchanged.
    """

    text: str
    original: str
    replacements: tuple[tuple[int, int, int, int], ...] = ()
    _norm_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    @property
    def changed(self) -> bool:
        return bool(self.replacements)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``original`` that produced ``text[start:end]``.

        A span touching part of a rewritten piece covers the whole original piece;
        offsets outside the text are clamped. ``end < start`` is treated as ``start``.
        """
        n = len(self.text)
        start = min(max(start, 0), n)
        end = min(max(end, start), n)
        if not self.replacements:
            return start, end
        return self._map(start, True), self._map(end, False) if end > start else self._map(
            start, True
        )

    def _map(self, pos: int, is_start: bool) -> int:
        """Map one boundary; starts round down and ends round up inside a rewritten piece."""
        reps = self.replacements
        i = bisect_right(self._norm_starts, pos) - 1
        if i >= 0:
            ns, ne, os_, oe = reps[i]
            if ns <= pos < ne or (pos == ne and not is_start and ne > ns):
                if is_start:
                    return os_ if pos < ne else oe
                return oe if pos > ns else os_
            if pos == ns == ne:
                return os_
            # after replacement i: identity shift from its end
            return oe + (pos - ne)
        return pos

    def map_finding(self, finding: Finding) -> Finding:
        """``finding`` (offsets in ``text``) moved to offsets in ``original``."""
        start, end = self.to_original(finding.start, finding.end)
        if end <= start:
            end = min(len(self.original), start + 1)
            start = max(0, end - 1)
        return Finding(
            finding.entity_type,
            start,
            end,
            finding.score,
            finding.detector,
            finding.explanation,
        )


def _unchanged(text: str) -> NormalizedText:
    return NormalizedText(text=text, original=text)


def normalize_transcript(text: str) -> NormalizedText:
    """Rewrite spoken numbers, dates and e-mail addresses in ``text``; see the module doc.

    A rewrite can enable another ("march fourth one one one one": the digits first,
    then the date), so a changed text is normalized once more and the two maps are
    composed; normalizing the result again changes nothing.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}")
    first = _normalize_once(text)
    if not first.changed:
        return first
    second = _normalize_once(first.text)
    if not second.changed:
        return first
    return _compose(first, second)


def _compose(first: NormalizedText, second: NormalizedText) -> NormalizedText:
    """One map from ``first.original`` to ``second.text``."""
    later = [(ns, ne, *first.to_original(ms, me), ms, me) for ns, ne, ms, me in second.replacements]
    reps: list[tuple[int, int, int, int]] = []
    for fs, fe, os_, oe in first.replacements:
        if any(fs < me and ms < fe for _, _, _, _, ms, me in later):
            continue  # rewritten again: the later replacement covers its original span
        delta = sum((ne - ns) - (me - ms) for ns, ne, _, _, ms, me in later if me <= fs)
        reps.append((fs + delta, fe + delta, os_, oe))
    reps.extend((ns, ne, os_, oe) for ns, ne, os_, oe, _, _ in later)
    reps.sort()
    return NormalizedText(
        text=second.text,
        original=first.original,
        replacements=tuple(reps),
        _norm_starts=tuple(r[0] for r in reps),
    )


def _normalize_once(text: str) -> NormalizedText:
    low = text.lower()
    has_bracket = "[" in text or "(" in text or "{" in text
    if not has_bracket and _TRIGGERS.isdisjoint(_WORD_RE.findall(low)):
        return _unchanged(text)
    toks = _tokenize(text)
    edits: list[tuple[int, int, str]] = []  # (first token, last token exclusive, new text)
    used = [False] * len(toks)
    _emails(toks, used, edits)
    _dates(toks, used, edits)
    _numbers(toks, used, edits)
    if not edits:
        return _unchanged(text)
    edits.sort()
    out: list[str] = []
    reps: list[tuple[int, int, int, int]] = []
    pos = 0
    length = 0
    for a, b, new in edits:
        os_, oe = toks[a].start, toks[b - 1].end
        if text[os_:oe] == new:
            continue
        chunk = text[pos:os_]
        out.append(chunk)
        length += len(chunk)
        out.append(new)
        reps.append((length, length + len(new), os_, oe))
        length += len(new)
        pos = oe
    if not reps:
        return _unchanged(text)
    out.append(text[pos:])
    return NormalizedText(
        text="".join(out),
        original=text,
        replacements=tuple(reps),
        _norm_starts=tuple(r[0] for r in reps),
    )


# --------------------------------------------------------------------------- e-mail


def _email_piece(toks: list[_Tok], i: int, step: int, used: list[bool]) -> tuple[int, int] | None:
    """A local-part or domain piece ending (step=-1) or starting (step=1) at token ``i``.

    A piece is one word or digit string, or a run of single letters/digits spelled out
    ("j o h n"). Returns the inclusive token range (lo, hi).
    """
    if i < 0 or i >= len(toks) or used[i]:
        return None
    t = toks[i]
    if t.kind == _OTHER or t.low in _EMAIL_SEPS or t.low == "at":
        return None
    if t.kind == _WORD and len(t.text) == 1 or (t.kind == _NUM and len(t.text) == 1):
        j = i
        while 0 <= j + step < len(toks):
            u = toks[j + step]
            if used[j + step] or len(u.text) != 1 or u.kind == _OTHER:
                break
            j += step
        return (min(i, j), max(i, j))
    return (i, i)


def _piece_text(toks: list[_Tok], lo: int, hi: int) -> str:
    return "".join(toks[k].text for k in range(lo, hi + 1)).lower()


def _is_sep(toks: list[_Tok], k: int) -> str | None:
    if k < 0 or k >= len(toks):
        return None
    t = toks[k]
    if t.kind == _WORD:
        return _EMAIL_SEPS.get(t.low)
    if t.text in "._-" and 0 < k < len(toks) - 1:
        # a written separator only when glued to both neighbours ("john.smith")
        if toks[k - 1].end == t.start and t.end == toks[k + 1].start:
            return t.text
    return None


def _emails(toks: list[_Tok], used: list[bool], edits: list[tuple[int, int, str]]) -> None:
    for i, t in enumerate(toks):
        if not (t.low == "at" or t.text == "@") or used[i]:
            continue
        # domain: piece (sep piece)+, ending in a plausible top-level label
        dom = _email_piece(toks, i + 1, 1, used)
        if dom is None:
            continue
        labels = [_piece_text(toks, *dom)]
        seps: list[str] = []
        end = dom[1]
        spoken = t.low == "at" and t.text != "@"
        while True:
            sep = _is_sep(toks, end + 1)
            if sep is None:
                break
            nxt = _email_piece(toks, end + 2, 1, used)
            if nxt is None:
                break
            if toks[end + 1].kind == _WORD:
                spoken = True
            seps.append(sep)
            labels.append(_piece_text(toks, *nxt))
            end = nxt[1]
        if "." not in seps:
            continue
        # trim trailing labels that are not a plausible top-level domain
        while len(labels) > 1 and not (
            labels[-1] in _TLDS or (len(labels[-1]) == 2 and labels[-1].isalpha())
        ):
            labels.pop()
            seps.pop()
            # walk `end` back over one piece and one separator
            end = _back_piece_end(toks, end, used)
        if len(labels) < 2 or "." not in seps:
            continue
        # local part: piece (sep piece)* going left
        loc = _email_piece(toks, i - 1, -1, used)
        if loc is None:
            continue
        local_parts = [_piece_text(toks, *loc)]
        lstart = loc[0]
        while True:
            sep = _is_sep(toks, lstart - 1)
            if sep is None:
                break
            prev = _email_piece(toks, lstart - 2, -1, used)
            if prev is None:
                break
            if toks[lstart - 1].kind == _WORD:
                spoken = True
            local_parts.insert(0, sep)
            local_parts.insert(0, _piece_text(toks, *prev))
            lstart = prev[0]
        if (
            not spoken
            and toks[i].text == "@"
            and all(toks[k].end == toks[k + 1].start for k in range(lstart, end))
        ):
            continue  # already a written address
        domain = labels[0] + "".join(s + lab for s, lab in zip(seps, labels[1:], strict=True))
        new = "".join(local_parts) + "@" + domain
        for k in range(lstart, end + 1):
            used[k] = True
        edits.append((lstart, end + 1, new))


def _back_piece_end(toks: list[_Tok], end: int, used: list[bool]) -> int:
    piece = _email_piece(toks, end, -1, used)
    lo = piece[0] if piece else end
    return lo - 2  # skip the separator before the piece


# --------------------------------------------------------------------------- numbers


def _is_numword(low: str) -> bool:
    return low in _DIGIT_WORDS or low in _TEENS or low in _TENS or low in _SCALES or low in _REPEAT


def _small(toks: list[_Tok], k: int, end: int) -> tuple[int, int] | None:
    """A number below 100 at token ``k`` (one or two words): (value, next index)."""
    if k >= end:
        return None
    w = toks[k].low
    if w in _TENS:
        if k + 1 < end and toks[k + 1].low in _DIGIT_WORDS and _DIGIT_WORDS[toks[k + 1].low] > 0:
            if toks[k + 1].low not in ("o", "oh"):
                return _TENS[w] + _DIGIT_WORDS[toks[k + 1].low], k + 2
        return _TENS[w], k + 1
    if w in _TEENS:
        return _TEENS[w], k + 1
    if w in _DIGIT_WORDS and w not in ("o", "oh") and _DIGIT_WORDS[w] > 0:
        return _DIGIT_WORDS[w], k + 1
    return None


def _cardinal(toks: list[_Tok], k: int, end: int) -> tuple[int, int] | None:
    """A cardinal with "hundred"/"thousand" at ``k``: (value, next index), else None."""
    total = 0
    cur = 0
    j = k
    saw_scale = False
    while j < end:
        sm = _small(toks, j, end)
        if sm is not None and cur == 0:
            cur, j = sm
            continue
        w = toks[j].low
        if w == "hundred" and 0 < cur < 100 and cur % 100 != 0:
            cur *= 100
            saw_scale = True
            j += 1
            if j < end and toks[j].low == "and":
                if j + 1 < end and _small(toks, j + 1, end):
                    j += 1
            sm = _small(toks, j, end)
            if sm is not None:
                cur += sm[0]
                j = sm[1]
            continue
        if w == "thousand" and 0 < cur < 1000 and total == 0:
            total = cur * 1000
            cur = 0
            saw_scale = True
            j += 1
            if j < end and toks[j].low == "and" and j + 1 < end and _small(toks, j + 1, end):
                j += 1
            continue
        break
    if not saw_scale:
        return None
    return total + cur, j


def _chunk(toks: list[_Tok], k: int, end: int) -> tuple[str, int] | None:
    """The digits spoken from token ``k``: (digits, next index), or None."""
    t = toks[k]
    if t.kind == _NUM:
        return t.text, k + 1
    w = t.low
    if (k + 1 < end and toks[k + 1].low in _SCALES) or (k + 2 < end and toks[k + 2].low in _SCALES):
        card = _cardinal(toks, k, end)
        if card is not None:
            return str(card[0]), card[1]
    if w in _REPEAT and k + 1 < end and toks[k + 1].low in _DIGIT_WORDS:
        return str(_DIGIT_WORDS[toks[k + 1].low]) * _REPEAT[w], k + 2
    if w in _TENS:
        nxt = toks[k + 1].low if k + 1 < end else ""
        if nxt in _DIGIT_WORDS and nxt not in ("o", "oh") and _DIGIT_WORDS[nxt] > 0:
            return str(_TENS[w] + _DIGIT_WORDS[nxt]), k + 2
        return str(_TENS[w]), k + 1
    if w in _TEENS:
        return str(_TEENS[w]), k + 1
    if w in _DIGIT_WORDS:
        return str(_DIGIT_WORDS[w]), k + 1
    return None


def _prev_index(toks: list[_Tok], k: int) -> int:
    """The index of the word before ``k``, skipping fillers; -1 if none."""
    j = k - 1
    while j >= 0 and toks[j].low in _FILLERS:
        j -= 1
    return j


def _numbers(toks: list[_Tok], used: list[bool], edits: list[tuple[int, int, str]]) -> None:
    n = len(toks)
    i = 0
    while i < n:
        if used[i] or not _starts_run(toks, i):
            i += 1
            continue
        # collect the run [i, j): number tokens, fillers and separators between them
        j = i
        last_num = i - 1
        while j < n and not used[j]:
            t = toks[j]
            w = t.low
            if t.kind == _NUM or _is_numword(w) or (w == "and" and _and_ok(toks, j)):
                if w in ("o", "oh") and not _oh_ok(toks, j, i):
                    break
                last_num = j
                j += 1
                continue
            if (
                w in _FILLERS
                or w == "you"
                or w == "know"
                or w in _SEPARATOR_WORDS
                or (t.kind == _OTHER and t.text in _SEPARATOR_CHARS)
            ):
                if w == "you" and not (j + 1 < n and toks[j + 1].low == "know"):
                    break
                j += 1
                continue
            break
        if last_num < i:
            i += 1
            continue
        end = last_num + 1
        if toks[last_num].low == "and":
            end = last_num
        _convert_run(toks, i, end, used, edits)
        i = max(end, i + 1)


def _starts_run(toks: list[_Tok], i: int) -> bool:
    t = toks[i]
    if t.kind == _NUM:
        # a digit string starts a run only if number words follow
        return False
    w = t.low
    if w == "o":
        return False
    if w == "oh":
        return i + 1 < len(toks) and toks[i + 1].kind == _WORD and toks[i + 1].low in _DIGIT_WORDS
    return (
        w in _DIGIT_WORDS
        or w in _TEENS
        or w in _TENS
        or (w in _REPEAT and i + 1 < len(toks) and toks[i + 1].low in _DIGIT_WORDS)
    )


def _oh_ok(toks: list[_Tok], j: int, run_start: int) -> bool:
    """ "oh"/"o" is zero only next to another number word."""
    prev_num = j > run_start and (_is_numword(toks[j - 1].low) or toks[j - 1].kind == _NUM)
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    next_num = nxt is not None and (_is_numword(nxt.low) or nxt.kind == _NUM)
    if toks[j].low == "o":
        return prev_num and next_num
    return prev_num or next_num


def _and_ok(toks: list[_Tok], j: int) -> bool:
    return (
        j > 0 and toks[j - 1].low in _SCALES and j + 1 < len(toks) and _is_numword(toks[j + 1].low)
    )


def _convert_run(
    toks: list[_Tok],
    i: int,
    end: int,
    used: list[bool],
    edits: list[tuple[int, int, str]],
) -> None:
    # extend the run to a digit string glued to it or separated by a space/dash
    a, b = i, end
    if a > 0 and toks[a - 1].kind == _NUM and not used[a - 1]:
        a -= 1
    if b < len(toks) and toks[b].kind == _NUM and not used[b]:
        b += 1
    parts: list[str] = []
    words = 0
    n_digits = 0
    has_digits = False
    year_like = False
    k = a
    while k < b:
        t = toks[k]
        w = t.low
        if t.kind == _NUM:
            has_digits = True
            # keep a written number's own grouping space: "4111 one one ..." -> "4111 11..."
            if parts and parts[-1] not in (" ", "-", "/") and toks[k - 1].end < t.start:
                parts.append(" ")
            parts.append(t.text)
            n_digits += len(t.text)
            if k + 1 < b and t.end < toks[k + 1].start:
                parts.append(" ")
            k += 1
            continue
        if t.kind == _OTHER:
            sep = _SEPARATOR_CHARS.get(t.text, "")
            if sep and parts and parts[-1] not in (" ", "-", "/"):
                parts.append(sep)
            k += 1
            continue
        if w in _SEPARATOR_WORDS:
            if parts and parts[-1] not in (" ", "-", "/"):
                parts.append(_SEPARATOR_WORDS[w])
            k += 1
            continue
        if w in _FILLERS or w in ("you", "know", "and"):
            k += 1
            continue
        ch = _chunk(toks, k, b)
        if ch is None:
            k += 1
            continue
        digits, nk = ch
        if k == a and w in ("nineteen", "eighteen", "twenty") and nk < b:
            nw = toks[nk].low
            year_like = nw in _TENS or nw in _TEENS or nw in ("oh", "hundred")
        words += nk - k
        n_digits += len(digits)
        parts.append(digits)
        k = nk
    while parts and parts[-1] in (" ", "-", "/"):
        parts.pop()
    digits_out = "".join(parts)
    pi = _prev_index(toks, a)
    prev = toks[pi] if pi >= 0 else None
    context = prev is not None and (prev.low in _CONTEXT_WORDS or prev.text in (":", "#"))
    month_before = prev is not None and (
        prev.low in _MONTHS
        or ((prev.kind == _NUM or used[pi]) and pi > 0 and toks[pi - 1].low in _MONTHS)
    )
    if not (
        words >= 3
        or (has_digits and words >= 1)
        or (context and n_digits >= 2)
        or (year_like and n_digits == 4)
        or (month_before and n_digits == 4)
    ):
        return
    # trim trailing separators/fillers from the replaced token range
    while b > a and (toks[b - 1].kind == _OTHER or toks[b - 1].low in _FILLERS):
        b -= 1
    if prev is not None and prev.low == "plus" and not used[pi] and pi == a - 1:
        a = pi
        digits_out = "+" + digits_out
    for q in range(a, b):
        used[q] = True
    edits.append((a, b, digits_out))


def _ordinal_at(toks: list[_Tok], k: int) -> tuple[int, int] | None:
    """An ordinal day at ``k`` ("fourth", "twenty first"): (value, next index)."""
    if k >= len(toks):
        return None
    w = toks[k].low
    if w in _ORDINALS:
        return _ORDINALS[w], k + 1
    if w in ("twenty", "thirty") and k + 1 < len(toks):
        nxt = toks[k + 1].low
        if nxt in _ORDINALS and _ORDINALS[nxt] < 10:
            return _TENS[w] + _ORDINALS[nxt], k + 2
    return None


def _dates(toks: list[_Tok], used: list[bool], edits: list[tuple[int, int, str]]) -> None:
    """Days of spoken dates: "march fourth" -> "march 4", "the fourth of march" -> "4th"."""
    n = len(toks)
    for k, t in enumerate(toks):
        if t.kind != _WORD or t.low not in _MONTHS or used[k]:
            continue
        # "<month> <day>"
        day = _ordinal_at(toks, k + 1)
        if day is None:
            sm = _small(toks, k + 1, n)
            if sm is not None and sm[0] <= 31 and toks[k + 1].low not in _SCALES:
                following = toks[sm[1]].low if sm[1] < n else ""
                # "march four nineteen ..." but not "march twenty twenty" (a year)
                if not (sm[0] in (18, 19, 20) and (following in _TENS or following in _TEENS)):
                    day = sm
        if day is not None and _is_number_at(toks, day[1]) and not _year_at(toks, day[1]):
            day = None  # "march one one": not a day followed by a year; leave it
        if day is not None and not any(used[k + 1 : day[1]]):
            value, nk = day
            prev = toks[k - 1].low if k > 0 else ""
            if 1 <= value <= 31 and (
                t.low != "may"
                or prev in ("on", "of", "born", "since", "until", "by")
                or (nk < n and (toks[nk].kind == _NUM or _is_numword(toks[nk].low)))
            ):
                for q in range(k + 1, nk):
                    used[q] = True
                edits.append((k + 1, nk, str(value)))
        # "<ordinal> of <month>"
        if k >= 2 and toks[k - 1].low == "of":
            for s in (k - 2, k - 3):
                if s < 0:
                    continue
                od = _ordinal_at(toks, s)
                if od is not None and od[1] == k - 1 and not any(used[s : k - 1]):
                    for q in range(s, k - 1):
                        used[q] = True
                    edits.append((s, k - 1, f"{od[0]}{_suffix(od[0])}"))
                    break


def _is_number_at(toks: list[_Tok], k: int) -> bool:
    """Whether token ``k`` is a number word or digit string."""
    return k < len(toks) and (toks[k].kind == _NUM or _is_numword(toks[k].low))


def _year_at(toks: list[_Tok], k: int) -> bool:
    """Whether a spoken year starts at ``k`` ("nineteen eighty eight", "two thousand")."""
    if k >= len(toks):
        return False
    if toks[k].kind == _NUM:
        return len(toks[k].text) == 4
    w = toks[k].low
    nxt = toks[k + 1].low if k + 1 < len(toks) else ""
    if w in ("eighteen", "nineteen", "twenty"):
        return nxt in _TENS or nxt in _TEENS or nxt in ("oh", "hundred")
    return w == "two" and nxt == "thousand"


def _suffix(day: int) -> str:
    if 10 <= day % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
