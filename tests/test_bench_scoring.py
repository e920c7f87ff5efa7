"""The privacy benchmark's span-overlap scoring (bench/scoring.py)."""

from __future__ import annotations

import pytest
from bench.scoring import UNLABELLED, Counts, Span, overlaps, score, score_document, score_split

S = Span


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (S(0, 5), S(4, 8), True),  # one shared character
        (S(0, 5), S(5, 8), False),  # touching, end-exclusive
        (S(2, 3), S(0, 10), True),  # contained
        (S(0, 10), S(2, 3), True),
        (S(7, 9), S(0, 5), False),
    ],
)
def test_overlaps(a: Span, b: Span, expected: bool) -> None:
    assert overlaps(a, b) is expected
    assert overlaps(b, a) is expected


# (gold, pred, typed, expected micro (gold, found, pred, correct))
CASES = [
    # exact and partial overlaps of the same type
    ([S(0, 5, "PERSON")], [S(0, 5, "PERSON")], True, (1, 1, 1, 1)),
    ([S(0, 5, "PERSON")], [S(3, 9, "PERSON")], True, (1, 1, 1, 1)),
    # touching is not overlapping
    ([S(0, 5, "PERSON")], [S(5, 9, "PERSON")], True, (1, 0, 1, 0)),
    # wrong type: miss + false positive when typed; a hit when type-agnostic
    ([S(0, 5, "PERSON")], [S(0, 5, "LOCATION")], True, (1, 0, 1, 0)),
    ([S(0, 5, "PERSON")], [S(0, 5, "LOCATION")], False, (1, 1, 1, 1)),
    # nothing predicted; nothing to find
    ([S(0, 5, "PERSON")], [], True, (1, 0, 0, 0)),
    ([], [S(0, 5, "PERSON")], True, (0, 0, 1, 0)),
    ([], [], True, (0, 0, 0, 0)),
    # one long prediction covering two gold spans: both found, one correct prediction
    ([S(0, 5, "LOCATION"), S(7, 12, "LOCATION")], [S(0, 12, "LOCATION")], True, (2, 2, 1, 1)),
    # two predictions inside one gold span: one found, two correct predictions
    ([S(0, 20, "LOCATION")], [S(0, 5, "LOCATION"), S(10, 15, "LOCATION")], True, (1, 1, 2, 2)),
    # a right-typed and a wrong-typed prediction on the same gold span
    (
        [S(0, 16, "CREDIT_CARD")],
        [S(0, 16, "CREDIT_CARD"), S(0, 16, "DATE_TIME")],
        True,
        (1, 1, 2, 1),
    ),
    (
        [S(0, 16, "CREDIT_CARD")],
        [S(0, 16, "CREDIT_CARD"), S(0, 16, "DATE_TIME")],
        False,
        (1, 1, 2, 2),
    ),
    # a prediction of the right type overlapping a different gold span of another type
    (
        [S(0, 5, "PERSON"), S(10, 15, "LOCATION")],
        [S(3, 12, "PERSON")],
        True,
        (2, 1, 1, 1),
    ),
    # don't-care gold (label None): ignored in typed scoring, counted type-agnostic
    ([S(0, 5, None)], [S(0, 5, "PERSON")], True, (0, 0, 0, 0)),
    ([S(0, 5, None)], [S(0, 5, "PERSON")], False, (1, 1, 1, 1)),
    ([S(0, 5, None)], [S(6, 9, "PERSON")], True, (0, 0, 1, 0)),
    ([S(0, 5, None)], [], False, (1, 0, 0, 0)),
    # a prediction over a don't-care span and a real gold span of its type is correct
    ([S(0, 5, None), S(4, 9, "PERSON")], [S(0, 9, "PERSON")], True, (1, 1, 1, 1)),
    # unlabelled predictions are fine type-agnostic
    ([S(0, 5, "PERSON")], [S(1, 2, None)], False, (1, 1, 1, 1)),
]


@pytest.mark.parametrize(("gold", "pred", "typed", "expected"), CASES)
def test_counts(
    gold: list[Span], pred: list[Span], typed: bool, expected: tuple[int, int, int, int]
) -> None:
    m = score_document(gold, pred, typed=typed).micro
    assert (m.gold, m.found, m.pred, m.correct) == expected


def test_typed_needs_labelled_predictions() -> None:
    with pytest.raises(ValueError):
        score_document([S(0, 5, "PERSON")], [S(0, 5, None)], typed=True)


def test_per_type_and_micro_over_documents() -> None:
    docs = [
        ([S(0, 5, "PERSON"), S(10, 20, "CREDIT_CARD")], [S(0, 5, "PERSON"), S(10, 20, "PHONE")]),
        ([S(0, 5, "PERSON")], [S(30, 35, "PERSON")]),
        ([], [S(0, 3, "PHONE")]),
    ]
    report = score(docs, typed=True)
    per = {k: (c.gold, c.found, c.pred, c.correct) for k, c in report.per_type.items()}
    assert per == {"PERSON": (2, 1, 2, 1), "CREDIT_CARD": (1, 0, 0, 0), "PHONE": (0, 0, 2, 0)}
    m = report.micro
    assert (m.gold, m.found, m.pred, m.correct) == (3, 1, 4, 1)
    assert m.recall == pytest.approx(1 / 3)
    assert m.precision == pytest.approx(1 / 4)
    assert m.f1 == pytest.approx(2 * (1 / 3) * (1 / 4) / (1 / 3 + 1 / 4))

    agnostic = score(docs, typed=False).micro
    assert (agnostic.gold, agnostic.found, agnostic.pred, agnostic.correct) == (3, 2, 4, 2)


def test_undefined_rates_are_none() -> None:
    c = Counts(gold=0, found=0, pred=0, correct=0)
    assert c.precision is None and c.recall is None and c.f1 is None
    assert Counts(gold=2, found=0, pred=3, correct=0).f1 == 0.0
    d = Counts(gold=4, found=3, pred=5, correct=4).as_dict()
    assert d["missed"] == 1 and d["false_positives"] == 1
    assert d["recall"] == 0.75 and d["precision"] == 0.8


# --- split values across turns ------------------------------------------------------

CARD, IBAN = "CREDIT_CARD", "IBAN_CODE"


def test_split_pieces_conversations_and_false_positives() -> None:
    conversations = [
        # all three pieces found (one by a wrong-typed span); a chatter turn with a FP
        [
            ([S(18, 27, CARD)], [S(18, 27, CARD)]),
            ([], [S(0, 4, "DATE_TIME")]),
            ([S(11, 15, CARD)], [S(11, 15, "ID_NUMBER")]),
            ([S(18, 22, CARD)], [S(17, 22, CARD), S(0, 3, "PERSON")]),
        ],
        # second piece missed; touching is not overlapping
        [([S(0, 9, IBAN)], [S(0, 9, IBAN)]), ([S(5, 9, IBAN)], [S(9, 12, IBAN)])],
        # negative conversation: every prediction is a false positive
        [([], []), ([], [S(3, 8, CARD)]), ([], [])],
    ]
    a = score_split(conversations, typed=False)
    assert (a.pieces, a.pieces_found) == (5, 4)
    assert (a.conversations, a.conversations_found) == (2, 1)
    assert (a.piece_turns, a.piece_turn_pred, a.piece_turn_correct) == (5, 6, 4)
    assert (a.chatter_turns, a.chatter_pred) == (1, 1)
    assert (a.negative_conversations, a.negative_turns, a.negative_pred) == (1, 3, 1)
    assert a.false_positive_labels == {"DATE_TIME": 1, "PERSON": 1, IBAN: 1, CARD: 1}

    t = score_split(conversations, typed=True)
    assert (t.pieces, t.pieces_found) == (5, 3)  # the ID_NUMBER span no longer finds it
    assert (t.conversations, t.conversations_found) == (2, 0)
    assert t.piece_turn_correct == 3
    assert t.false_positive_labels["ID_NUMBER"] == 1

    d = a.as_dict()
    assert d["pieces"] == {"gold": 5, "found": 4, "recall": 0.8}
    assert d["conversations"]["recall"] == 0.5
    assert d["chatter_turns"]["fp_per_100_turns"] == 100.0
    assert d["negative_conversations"]["fp_per_100_turns"] == 33.3333
    assert d["no_piece_turns_fp_per_100"] == 50.0
    assert d["span_precision_all_turns"] == 0.5  # 4 correct of 8 predicted


def test_split_empty_and_unlabelled() -> None:
    d = score_split([], typed=False).as_dict()
    assert d["pieces"]["recall"] is None and d["conversations"]["recall"] is None
    assert d["no_piece_turns_fp_per_100"] is None and d["span_precision_all_turns"] is None
    only_negative = score_split([[([], [S(0, 4)])]], typed=False)
    assert only_negative.conversations == 0 and only_negative.negative_pred == 1
    assert only_negative.false_positive_labels == {UNLABELLED: 1}
