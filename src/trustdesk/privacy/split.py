"""Values split across messages: "my card is 4111 1111" … "1111 1111" … "ok and 1111".

Customers often type or say a long number in pieces. No single message holds a valid
card number or IBAN, so per-message detection misses it, yet every piece must be
redacted: in storage, in the agent's input and in the ledger. Those are written as
each message arrives, so waiting for the last piece is not an option.

The :class:`SplitValueTracker` therefore works ahead of the proof:

* A **piece** is a run of digits (grouped by single spaces or dashes), or an
  IBAN-like run of letters and digits, that no detector already claimed, and that
  comes with a reason to suspect it: payment or account words in the message
  ("card", "iban", "account", "number", "digits" ...), a pending piece from one of
  the last messages, or a message that is mostly digits. Amounts ("$40", "12.50")
  and times ("10:30") are never pieces.
* An IBAN start ("DE89 3704", "GB82 WEST") is a piece after "iban"/"swift"/"bic" or
  an earlier IBAN piece, or on its own when it is printed like one (ISO 13616): a
  country that issues IBANs, check digits 02-98, then a group of four digits or four
  letters ("SE15 4QT", a postcode, is not). After an IBAN start, a BBAN chunk with
  letters inside ("00013M02606") is a piece too; elsewhere it is not.
* Each piece is redacted at once, **provisionally**, typed by its context
  (``CREDIT_CARD`` near card words, ``IBAN_CODE`` for a country-code start,
  ``BANK_ACCOUNT`` near account words, else ``ID_NUMBER``), with score 0.6.
* The tracker keeps the pending pieces' characters, in memory only, for at most
  :data:`MAX_PIECES` pieces, :data:`MAX_GAP` unrelated messages and ``ttl_seconds``.
  When the last 2-4 pieces joined form a Luhn-valid card number (13-19 digits) or a
  mod-97-valid IBAN, the joined value is confirmed: the current piece is reported
  with the joined type and score 0.95, and :attr:`Observation.joined` names the
  earlier pieces (message number and offsets) so that an offline caller
  (:func:`trustdesk.privacy.scan_conversation`) can retype them. The pieces are then
  forgotten.

Nothing else of a message is kept, and a conversation's state is dropped when it is
closed (:meth:`SplitValueTracker.forget`), after ``ttl_seconds`` of silence, or when
more than ``max_conversations`` are tracked (least recently used first).
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

from stdnum import iban as stdnum_iban
from stdnum import luhn, numdb

from trustdesk.privacy.entities import BANK_ACCOUNT, CREDIT_CARD, IBAN_CODE, ID_NUMBER
from trustdesk.types import Finding

DETECTOR = "split_value"
MAX_PIECES = 4
#: Unrelated messages (with no piece) after which pending pieces are dropped.
MAX_GAP = 2
PROVISIONAL_SCORE = 0.6
CONFIRMED_SCORE = 0.95

_PIECE_RE = re.compile(
    r"(?<![\w$€£.,:/])(?:[A-Za-z]{2}[0-9]{2}(?:[ -]?[A-Za-z0-9]{2,4})*|[0-9]+(?:[ -][0-9]+)*"
    # a BBAN chunk with letters inside ("00013M02606"): a piece only after an IBAN start
    r"|[0-9]+[A-Za-z]+[0-9][A-Za-z0-9]*(?:[ -][A-Za-z]*[0-9][A-Za-z0-9]*)*)"
    r"(?![\w%]|[.,:/][0-9])"
)
#: Countries that issue IBANs (ISO 13616 registry, from python-stdnum).
_IBAN_COUNTRIES = frozenset(str(prefix[1]) for prefix in numdb.get("iban").prefixes)
#: An IBAN start as printed (ISO 13616 groups of four): country code, check digits
#: 02-98, then a group of four digits or four letters (a bank code such as "WEST").
_IBAN_START_RE = re.compile(
    r"([A-Za-z]{2})(0[2-9]|[1-8][0-9]|9[0-8])[ -]?(?:[0-9]{4}|[A-Za-z]{4})(?![A-Za-z])"
)
_CARD_WORDS = re.compile(
    r"\b(?:card|visa|master\s?card|amex|american express|discover|debit|credit|pan)\b", re.I
)
_IBAN_WORDS = re.compile(r"\b(?:iban|swift|bic)\b", re.I)
_ACCOUNT_WORDS = re.compile(
    r"\b(?:account|acct|number|no\.?|digits?|routing|sort code|rest|next|then|continues?|"
    r"starts?|ends?|first|last|part)\b",
    re.I,
)
_AMOUNT_AFTER = re.compile(
    r"\s*(?:%|percent|dollars?|euros?|pounds?|usd|eur|gbp|bucks|cents?|am\b|pm\b)", re.I
)
#: Types whose findings are whole, validated values: never pieces of something longer.
_COMPLETE_TYPES = frozenset(
    {
        CREDIT_CARD,
        IBAN_CODE,
        "US_SSN",
        "PHONE_NUMBER",
        "EMAIL_ADDRESS",
        "IP_ADDRESS",
        "DATE_TIME",
        "DATE_OF_BIRTH",
        "ZIP_CODE",
        "ROUTING_NUMBER",
        "CARD_EXPIRY",
        "CARD_CVV",
        "URL",
    }
)
_MIN_DIGITS_WITH_CONTEXT = 3
_MIN_DIGITS_ALONE = 4


@dataclass(slots=True)
class _Piece:
    message: int
    start: int
    end: int
    chars: str = field(repr=False)


@dataclass(slots=True)
class _State:
    messages: int = 0
    gap: int = 0
    hint: str | None = None
    pieces: list[_Piece] = field(default_factory=list)
    seen: float = 0.0


@dataclass(frozen=True, slots=True)
class JoinedPiece:
    """An earlier piece of a value confirmed now: its message number and offsets."""

    message: int
    start: int
    end: int
    entity_type: str


@dataclass(frozen=True, slots=True)
class Observation:
    """Findings for the observed message (theirs plus pieces), and confirmed earlier pieces."""

    message: int
    findings: tuple[Finding, ...]
    joined: tuple[JoinedPiece, ...] = ()


def _digits_ratio(text: str) -> float:
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 0.0
    return sum(c.isdigit() for c in chars) / len(chars)


def _iban_start(piece: str) -> bool:
    """Does ``piece`` start like a printed IBAN ("DE89 3704", "GB82 WEST")?"""
    m = _IBAN_START_RE.match(piece)
    return m is not None and m.group(1).upper() in _IBAN_COUNTRIES


def _joined_type(chars: str) -> str | None:
    if chars.isdigit():
        if 13 <= len(chars) <= 19 and chars[0] != "0" and luhn.is_valid(chars):
            return CREDIT_CARD
        return None
    if 15 <= len(chars) <= 34 and chars[:2].isalpha() and stdnum_iban.is_valid(chars):
        return IBAN_CODE
    return None


class SplitValueTracker:
    """Per-conversation pending pieces of split values. Thread-safe; in memory only."""

    def __init__(self, *, max_conversations: int = 10_000, ttl_seconds: float = 900.0) -> None:
        if max_conversations < 1 or ttl_seconds <= 0:
            raise ValueError("max_conversations must be >= 1 and ttl_seconds > 0")
        self.max_conversations = max_conversations
        self.ttl_seconds = ttl_seconds
        self._states: OrderedDict[str, _State] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._states)

    def pending(self, conversation_id: str) -> int:
        """How many pieces are pending for a conversation (for tests and metrics)."""
        with self._lock:
            state = self._states.get(conversation_id)
            return len(state.pieces) if state else 0

    def forget(self, conversation_id: str) -> None:
        """Drop everything kept for a conversation (call when it closes)."""
        with self._lock:
            self._states.pop(conversation_id, None)

    def observe(
        self, conversation_id: str, text: str, findings: Sequence[Finding]
    ) -> tuple[Finding, ...]:
        """``findings`` plus the split-value pieces in ``text``, sorted by position."""
        return self.observe_detailed(conversation_id, text, findings).findings

    def observe_detailed(
        self, conversation_id: str, text: str, findings: Sequence[Finding]
    ) -> Observation:
        now = time.monotonic()
        with self._lock:
            state = self._state(conversation_id, now)
            message = state.messages
            state.messages += 1
            state.seen = now
            if not any(c.isdigit() for c in text):
                return self._no_piece(state, message, findings)
            pieces, absorbed = self._pieces(state, text, findings)
            if not pieces:
                return self._no_piece(state, message, findings)
            if absorbed:
                findings = [f for f in findings if f not in absorbed]
            state.gap = 0
            extra: list[Finding] = []
            joined: list[JoinedPiece] = []
            for start, end, chars in pieces:
                state.pieces.append(_Piece(message, start, end, chars))
                del state.pieces[:-MAX_PIECES]
                confirmed = self._try_join(state)
                if confirmed is None:
                    extra.append(self._provisional(state, text, start, end))
                    continue
                etype, used = confirmed
                n = len(used)
                for i, piece in enumerate(used[:-1]):
                    if piece.message == message:  # an earlier piece of this same message
                        extra = [
                            f for f in extra if not (f.start == piece.start and f.end == piece.end)
                        ]
                        extra.append(self._confirmed(etype, piece.start, piece.end, i + 1, n))
                    else:
                        joined.append(JoinedPiece(piece.message, piece.start, piece.end, etype))
                extra.append(self._confirmed(etype, start, end, n, n))
                state.pieces.clear()
                state.hint = None
            merged = tuple(sorted((*findings, *extra), key=lambda f: (f.start, f.end)))
            return Observation(message, merged, tuple(joined))

    # -- internals ---------------------------------------------------------------------

    def _state(self, conversation_id: str, now: float) -> _State:
        state = self._states.get(conversation_id)
        if state is not None and now - state.seen > self.ttl_seconds:
            state.pieces.clear()
            state.hint = None
        if state is None:
            state = _State(seen=now)
            self._states[conversation_id] = state
            while len(self._states) > self.max_conversations:
                self._states.popitem(last=False)
        else:
            self._states.move_to_end(conversation_id)
        return state

    def _no_piece(self, state: _State, message: int, findings: Sequence[Finding]) -> Observation:
        if state.pieces:
            state.gap += 1
            if state.gap > MAX_GAP:
                state.pieces.clear()
                state.hint = None
        return Observation(message, tuple(findings))

    def _pieces(
        self, state: _State, text: str, findings: Sequence[Finding]
    ) -> tuple[list[tuple[int, int, str]], list[Finding]]:
        """The pieces in ``text``, and the weaker findings they absorb.

        A run overlapping a *complete* value a detector validated (a Luhn-checked card,
        a phone number, a date...) is not a piece. A run that a looser finding covers
        only in part ("GB82" of "GB82 WEST 1234"), or covers as an unvalidated number,
        becomes a piece spanning both, so no part of it stays in clear.
        """
        card = _CARD_WORDS.search(text) is not None
        iban = _IBAN_WORDS.search(text) is not None
        account = _ACCOUNT_WORDS.search(text) is not None
        if card:
            state.hint = CREDIT_CARD
        elif iban:
            state.hint = IBAN_CODE
        elif account and state.hint is None:
            state.hint = BANK_ACCOUNT
        context = card or iban or account or bool(state.pieces)
        mostly_digits = _digits_ratio(text) >= 0.5
        out: list[tuple[int, int, str]] = []
        absorbed: list[Finding] = []
        for match in _PIECE_RE.finditer(text):
            start, end = match.span()
            overlapping = [f for f in findings if f.start < end and start < f.end]
            if any(f.entity_type in _COMPLETE_TYPES and f.score >= 0.85 for f in overlapping):
                continue
            if _AMOUNT_AFTER.match(text, end):
                continue
            chars = "".join(c for c in match.group() if c.isalnum()).upper()
            digits = sum(c.isdigit() for c in chars)
            iban_pending = iban or state.hint == IBAN_CODE
            if chars[:2].isalpha():
                if digits < 2 or not (iban_pending or _iban_start(match.group())):
                    continue
                state.hint = IBAN_CODE
            elif not chars.isdigit():
                if not iban_pending or digits < 2:
                    continue
            elif context:
                if digits < (2 if state.pieces else _MIN_DIGITS_WITH_CONTEXT):
                    continue
            elif not (mostly_digits and digits >= _MIN_DIGITS_ALONE):
                continue
            if overlapping:
                absorbed.extend(f for f in overlapping if f not in absorbed)
                start = min(start, *(f.start for f in overlapping))
                end = max(end, *(f.end for f in overlapping))
            if out and start < out[-1][1]:  # two runs inside one absorbed finding
                prev_start, prev_end, prev_chars = out.pop()
                start, end, chars = min(prev_start, start), max(prev_end, end), prev_chars + chars
            out.append((start, end, chars))
        return out, absorbed

    def _try_join(self, state: _State) -> tuple[str, list[_Piece]] | None:
        pieces = state.pieces
        for k in range(min(len(pieces), MAX_PIECES), 1, -1):
            used = pieces[-k:]
            etype = _joined_type("".join(p.chars for p in used))
            if etype is not None:
                return etype, used
        return None

    def _provisional(self, state: _State, text: str, start: int, end: int) -> Finding:
        chars = text[start:end]
        etype = (
            IBAN_CODE
            if chars[:2].isalpha()
            else (state.hint if state.hint in (CREDIT_CARD, IBAN_CODE, BANK_ACCOUNT) else ID_NUMBER)
        )
        assert etype is not None
        return Finding(
            etype,
            start,
            end,
            PROVISIONAL_SCORE,
            DETECTOR,
            "possible piece of a value split across messages",
        )

    @staticmethod
    def _confirmed(etype: str, start: int, end: int, i: int, n: int) -> Finding:
        check = "Luhn checksum" if etype == CREDIT_CARD else "IBAN mod-97 checksum"
        return Finding(
            etype,
            start,
            end,
            CONFIRMED_SCORE,
            DETECTOR,
            f"piece {i} of {n} of a value split across messages; {check} of the joined value",
        )
