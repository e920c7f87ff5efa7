"""Card numbers and IBANs split across customer messages: every piece is redacted.

Test card numbers and published example IBANs only.
"""

from __future__ import annotations

import threading
import types
import uuid

import pytest

from trustdesk.privacy import scan_conversation
from trustdesk.privacy import split as split_module
from trustdesk.privacy.engine import PrivacyEngine
from trustdesk.privacy.operators import Action, Operator
from trustdesk.privacy.policy import Policy
from trustdesk.privacy.split import (
    CONFIRMED_SCORE,
    DETECTOR,
    MAX_GAP,
    MAX_PIECES,
    PROVISIONAL_SCORE,
    SplitValueTracker,
)
from trustdesk.types import PrivacyContext

VISA = "4111111111111111"
MASTERCARD = "5555555555554444"
AMEX = "378282246310005"
IBAN_DE = "DE89370400440532013000"
IBAN_GB = "GB82WEST12345698765432"

ENGINE = PrivacyEngine()


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def _assert_no_piece_left(turns: list[str], redacted: tuple[str, ...] | list[str]) -> None:
    """No run of 3+ of the value's characters the customer typed survives redaction."""
    assert len(redacted) == len(turns)
    for original, out in zip(turns, redacted, strict=True):
        for word in original.replace("-", " ").split():
            chunk = _digits(word)
            if len(chunk) >= 3 and any(c.isdigit() for c in chunk):
                assert word not in out, (original, out)


# -- offline: scan_conversation --------------------------------------------------------


CARD_SPLITS = [
    # two pieces
    (["my card is 4111 1111", "1111 1111"], VISA),
    (["my card is 4111-1111", "1111-1111"], VISA),
    (["my mastercard 5555 5555", "5555 4444"], MASTERCARD),
    (["amex 3782 822463", "10005"], AMEX),
    # three pieces
    (["the card: 4111", "1111 1111", "1111"], VISA),
    (["visa 5555", "5555 5555", "4444"], MASTERCARD),
    (["amex card 3782", "822463", "10005"], AMEX),
    # four pieces
    (["card: 4111", "1111", "1111", "1111"], VISA),
    (["my debit card 5555", "5555", "5555", "4444"], MASTERCARD),
    (["amex 378", "2822", "4631", "0005"], AMEX),
]


@pytest.mark.parametrize(("turns", "value"), CARD_SPLITS)
def test_card_split_over_turns_is_confirmed_in_every_piece(turns: list[str], value: str) -> None:
    assert _digits("".join(turns)).endswith(value)
    result = scan_conversation(turns)
    by_turn = {f.turn: f.finding for f in result.findings}
    assert sorted(by_turn) == list(range(len(turns))), result.findings
    for turn, finding in by_turn.items():
        assert finding.entity_type == "CREDIT_CARD", (turn, finding)
        assert finding.score == CONFIRMED_SCORE
        assert finding.detector == DETECTOR
        piece = turns[turn][finding.start : finding.end]
        assert _digits(piece) and _digits(piece) in value
    joined = "".join(_digits(turns[t][f.start : f.end]) for t, f in sorted(by_turn.items()))
    assert joined == value
    for out in result.redacted:
        assert "<CREDIT_CARD>" in out
    _assert_no_piece_left(turns, result.redacted)


def test_split_card_with_pseudonymize_policy() -> None:
    engine = PrivacyEngine(policy=Policy(default=Operator(Action.PSEUDONYMIZE)))
    turns = ["my card is 4111 1111", "1111 1111"]
    result = scan_conversation(turns, engine=engine)
    assert all(
        out.startswith(("my card is <CREDIT_CARD_", "<CREDIT_CARD_")) for out in result.redacted
    )
    _assert_no_piece_left(turns, result.redacted)


IBAN_SPLITS = [
    ["my iban: DE89", "3704 0044", "0532 0130", "00"],
    ["iban DE89 3704 0044", "0532 0130 00"],
    ["my iban is DE89370400", "440532013000"],
    ["my iban: GB82", "WEST 1234", "5698 7654", "32"],
]


@pytest.mark.parametrize("turns", IBAN_SPLITS)
def test_iban_split_over_turns_is_redacted_in_every_turn(turns: list[str]) -> None:
    result = scan_conversation(turns)
    turns_with_findings = {f.turn for f in result.findings}
    assert turns_with_findings == set(range(len(turns))), result.findings
    for f in result.findings:
        assert f.finding.entity_type == "IBAN_CODE", f
    for out in result.redacted:
        assert "<IBAN_CODE>" in out
    _assert_no_piece_left(turns, result.redacted)


@pytest.mark.parametrize(
    "turns",
    [
        ["IBAN GB82 WEST", "1234 5698 7654 32"],  # leaves 'WEST'
        ["iban GB82 WEST 1234", "5698 7654 32"],  # leaves 'WEST 1234': digits of the IBAN
    ],
)
def test_iban_chunk_partly_claimed_by_a_detector_is_redacted_whole(turns: list[str]) -> None:
    result = scan_conversation(turns)
    assert result.redacted[0].lower() == "iban <IBAN_CODE>".lower()
    _assert_no_piece_left(turns, result.redacted)


IBAN_FR = "FR1420041010050500013M02606"  # published example; a letter inside the BBAN


@pytest.mark.parametrize(
    "turns",
    [
        # no "IBAN" word: the start is printed like one (country code, check digits, group)
        ["so it's DE89 3704", "0044 0532", "0130 00"],
        ["ok GB82 WEST", "1234 5698", "7654 32"],
        # a BBAN chunk with a letter inside, after an IBAN start
        ["my iban is FR14 2004 1010 0505", "the rest is 00013M02606"],
    ],
)
def test_iban_pieces_without_the_word_or_with_letters_inside(turns: list[str]) -> None:
    result = scan_conversation(turns)
    assert {f.turn for f in result.findings} == set(range(len(turns))), result.findings
    assert all(f.finding.entity_type == "IBAN_CODE" for f in result.findings), result.findings
    _assert_no_piece_left(turns, result.redacted)


@pytest.mark.parametrize(
    "text",
    [
        "my postcode is SE15 4QT",  # UK postcode: a three-character second group
        "the reference is AB12 3456",  # AB issues no IBANs
        "error code XY00 1234 again",  # check digits 00 never occur
        "i'll call back at 10AM tomorrow",
        "it's on the 3rd floor, room 4B12",
    ],
)
def test_iban_like_chatter_is_not_a_piece(text: str) -> None:
    tracker = SplitValueTracker()
    assert tracker.observe("c", text, ()) == ()


def test_letters_inside_a_chunk_need_a_pending_iban() -> None:
    tracker = SplitValueTracker()
    assert tracker.observe("c", "account number 00013M02606", ()) == ()


# -- online: engine.redact with a conversation context ---------------------------------


@pytest.mark.parametrize(("turns", "value"), CARD_SPLITS)
def test_online_every_piece_is_redacted_at_once(turns: list[str], value: str) -> None:
    engine = PrivacyEngine(registry=ENGINE.registry)
    ctx = PrivacyContext(conversation_id=str(uuid.uuid4()))
    outputs = []
    for i, text in enumerate(turns):
        result = engine.redact(text, ctx)
        outputs.append(result.redacted_text)
        assert result.findings, (i, text)
        piece = result.findings[-1]
        assert piece.entity_type == "CREDIT_CARD"
        last = i == len(turns) - 1
        # Earlier pieces are provisional; the last one confirms the joined value.
        assert piece.score == (CONFIRMED_SCORE if last else PROVISIONAL_SCORE), (i, piece)
        assert engine.tracker.pending(ctx.conversation_id or "") == (0 if last else i + 1)
    _assert_no_piece_left(turns, outputs)
    assert not any(value[-4:] in out for out in outputs)


def test_online_keep_last_policy_never_shows_a_piece() -> None:
    engine = PrivacyEngine(policy=Policy(default=Operator(Action.KEEP_LAST, 4)))
    ctx = PrivacyContext(conversation_id="c-keep-last")
    turns = ["card: 4111", "1111", "1111", "1111"]
    outs = [engine.redact(t, ctx).redacted_text for t in turns]
    # A 4-digit piece is short: keep_last:4 would show all of it, so it shows nothing.
    assert outs == ["card: <CREDIT_CARD>", "<CREDIT_CARD>", "<CREDIT_CARD>", "<CREDIT_CARD>"]


def test_online_iban_pieces_are_redacted() -> None:
    engine = PrivacyEngine(registry=ENGINE.registry)
    ctx = PrivacyContext(conversation_id="c-iban")
    turns = ["my iban: DE89", "3704 0044", "0532 0130", "00"]
    outs = [engine.redact(t, ctx).redacted_text for t in turns]
    assert outs == ["my iban: <IBAN_CODE>", "<IBAN_CODE>", "<IBAN_CODE>", "<IBAN_CODE>"]


def test_without_context_a_piece_in_a_chatty_message_is_not_tracked() -> None:
    engine = PrivacyEngine(registry=ENGINE.registry)
    engine.redact("my card is 4111 1111")  # no conversation: the tracker is not used
    assert len(engine.tracker) == 0


# -- near misses -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "my card was charged $40",
        "card payment of 12.50 dollars",
        "card payment of 12,50 euros",
        "the card was used at 10:30",
        "the card was declined at 9:45 pm",
        "card fee is 3 percent",
        "card fee is 3%",
        "card limit €2000",
        "my account was charged £120.99",
        "I used my card on 2024/03/12",
    ],
)
def test_amounts_times_and_dates_are_not_pieces(text: str) -> None:
    tracker = SplitValueTracker()
    found = tracker.observe("c", text, ())
    assert [f for f in found if f.detector == DETECTOR] == []
    assert tracker.pending("c") == 0


def test_amounts_after_a_pending_piece_are_not_pieces() -> None:
    tracker = SplitValueTracker()
    tracker.observe("c", "my card is 4111 1111", ())
    assert tracker.pending("c") == 1
    for text in ("$40", "12.50 dollars"):
        assert tracker.observe("c", text, ()) == ()
    assert tracker.pending("c") == 1  # two unrelated messages: still within MAX_GAP
    assert tracker.observe("c", "at 10:30", ()) == ()
    assert tracker.pending("c") == 0  # a third one: the piece is dropped


@pytest.mark.parametrize(
    "text",
    [
        "hi there, my order 12345678 never came, so sad",
        "hello! order 55512345 arrived broken and the box was wet",
        "we moved in 2019 and love the neighbourhood",
    ],
)
def test_an_order_number_alone_in_chatty_text_is_not_a_piece(text: str) -> None:
    tracker = SplitValueTracker()
    assert tracker.observe("c", text, ()) == ()
    assert tracker.pending("c") == 0
    result = scan_conversation([text])
    assert [f for f in result.findings if f.finding.detector == DETECTOR] == []


def test_a_message_of_digits_alone_is_a_piece() -> None:
    tracker = SplitValueTracker()
    found = tracker.observe("c", "4111 1111", ())
    assert [(f.start, f.end, f.entity_type, f.score) for f in found] == [
        (0, 9, "ID_NUMBER", PROVISIONAL_SCORE)
    ]


def test_short_digit_runs_need_context() -> None:
    tracker = SplitValueTracker()
    assert tracker.observe("c", "ok 12", ()) == ()
    assert tracker.observe("c", "card 12", ()) == ()  # < 3 digits even with a card word
    assert [f.entity_type for f in tracker.observe("c", "card 123", ())] == ["CREDIT_CARD"]


def test_pieces_claimed_by_a_detector_are_not_duplicated() -> None:
    result = scan_conversation(["card 4111 1111 1111 1111"])
    assert [(f.finding.detector, f.finding.entity_type) for f in result.findings] == [
        ("credit_card", "CREDIT_CARD")
    ]


# -- gap, forget, bounds -------------------------------------------------------------------


def test_pieces_survive_max_gap_unrelated_messages() -> None:
    filler = ["hello", "ok"]
    assert len(filler) == MAX_GAP
    result = scan_conversation(["my card is 4111 1111", *filler, "1111 1111"])
    scores = {(f.turn, f.finding.entity_type, f.finding.score) for f in result.findings}
    assert scores == {(0, "CREDIT_CARD", CONFIRMED_SCORE), (3, "CREDIT_CARD", CONFIRMED_SCORE)}


def test_pieces_are_dropped_after_max_gap() -> None:
    filler = ["hello", "ok", "hm"]
    assert len(filler) == MAX_GAP + 1
    tracker = SplitValueTracker()
    tracker.observe("c", "my card is 4111 1111", ())
    for i, text in enumerate(filler):
        tracker.observe("c", text, ())
        assert tracker.pending("c") == (1 if i < MAX_GAP else 0)
    found = tracker.observe("c", "1111 1111", ())
    # Still redacted (a message of digits), but no longer joined into a card.
    assert [(f.entity_type, f.score) for f in found] == [("ID_NUMBER", PROVISIONAL_SCORE)]
    assert tracker.pending("c") == 1


def test_forget_drops_the_conversation() -> None:
    tracker = SplitValueTracker()
    tracker.observe("a", "my card is 4111 1111", ())
    tracker.observe("b", "my card is 4111 1111", ())
    assert tracker.pending("a") == 1 and len(tracker) == 2
    tracker.forget("a")
    tracker.forget("never-seen")
    assert tracker.pending("a") == 0 and len(tracker) == 1
    # The second half alone is no longer joined.
    found = tracker.observe("a", "1111 1111", ())
    assert [f.score for f in found] == [PROVISIONAL_SCORE]
    assert tracker.pending("b") == 1


def test_engine_forget_conversation() -> None:
    engine = PrivacyEngine(registry=ENGINE.registry)
    ctx = PrivacyContext(conversation_id="closing")
    engine.redact("my card is 4111 1111", ctx)
    assert engine.tracker.pending("closing") == 1
    engine.forget_conversation("closing")
    assert engine.tracker.pending("closing") == 0


def test_never_more_than_max_pieces() -> None:
    tracker = SplitValueTracker()
    texts = ["card 1234", "5678", "9012", "3456", "7890", "1234", "2345 6789"]
    for i, text in enumerate(texts):
        tracker.observe("c", text, ())
        assert tracker.pending("c") == min(i + 1, MAX_PIECES)
    assert MAX_PIECES == 4
    # Several pieces in one message count one by one.
    tracker.observe("c", "card 1111 and 2222 and 3333 and 4444 and 5555 and 6666", ())
    assert tracker.pending("c") <= MAX_PIECES


def test_lru_bound_on_conversations() -> None:
    tracker = SplitValueTracker(max_conversations=2)
    tracker.observe("a", "my card is 4111 1111", ())
    tracker.observe("b", "my card is 4111 1111", ())
    tracker.observe("a", "and then", ())  # a is now the most recent
    tracker.observe("c", "my card is 4111 1111", ())
    assert len(tracker) == 2
    assert tracker.pending("b") == 0  # least recently used: dropped
    assert tracker.pending("a") == 1 and tracker.pending("c") == 1


def test_ttl_expires_pending_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(split_module, "time", types.SimpleNamespace(monotonic=lambda: now[0]))
    tracker = SplitValueTracker(ttl_seconds=60)
    tracker.observe("c", "my card is 4111 1111", ())
    now[0] += 59
    tracker.observe("c", "and then", ())
    assert tracker.pending("c") == 1
    now[0] += 61
    found = tracker.observe("c", "1111 1111", ())
    assert [f.score for f in found] == [PROVISIONAL_SCORE]  # not joined: the first half expired


@pytest.mark.parametrize(
    "kwargs", [{"max_conversations": 0}, {"ttl_seconds": 0}, {"ttl_seconds": -1}]
)
def test_tracker_arguments(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        SplitValueTracker(**kwargs)  # type: ignore[arg-type]


def test_thread_safety_smoke() -> None:
    tracker = SplitValueTracker()
    shared = "shared"
    errors: list[BaseException] = []
    numbers: list[int] = []
    lock = threading.Lock()
    texts = ["my card is 4111 1111", "1111 1111", "hello", "iban DE89 3704", "0000", "10:30"]

    def worker(w: int) -> None:
        try:
            for i in range(60):
                obs = tracker.observe_detailed(shared, texts[(w + i) % len(texts)], ())
                with lock:
                    numbers.append(obs.message)
                tracker.observe(f"own-{w}-{i % 12}", texts[i % len(texts)], ())
                assert tracker.pending(shared) <= MAX_PIECES
                if i % 17 == 0:
                    tracker.forget(f"own-{w}-{i % 12}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    # Every observation of the shared conversation got its own message number.
    assert sorted(numbers) == list(range(8 * 60))
    assert len(tracker) <= 1 + 8 * 12
