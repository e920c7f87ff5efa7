"""Span-overlap scoring for the privacy benchmark (bench/privacy.py).

Two spans match when they share at least one character (``a.start < b.end`` and
``b.start < a.end``; offsets are end-exclusive). Recall counts gold spans, precision
counts predicted spans:

* **typed**: a gold span is found if some predicted span *of the same label* overlaps
  it; a predicted span is correct if it overlaps some gold span of its label, and a
  false positive if it overlaps no gold span of its label. Gold spans labelled
  ``None`` ("no type to score against", e.g. a data-set class with no canonical type)
  are *don't care* regions: they are not counted in recall, and a predicted span that
  overlaps one but no gold span of its own label is not counted at all (neither
  correct nor false positive).
* **type-agnostic** (``typed=False``): the same, ignoring labels; every gold span counts.

Counts are kept per label (gold spans under their label, predicted spans under theirs)
and summed into a micro average. Precision and recall are ``None`` where undefined
(nothing predicted, nothing to find).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

#: Per-type key for gold spans without a label in type-agnostic scoring.
UNLABELLED = "(unlabelled)"


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    label: str | None = None


@dataclass(slots=True)
class Counts:
    """Gold spans and how many were found; predicted spans and how many were correct."""

    gold: int = 0
    found: int = 0
    pred: int = 0
    correct: int = 0

    @property
    def missed(self) -> int:
        return self.gold - self.found

    @property
    def false_positives(self) -> int:
        return self.pred - self.correct

    @property
    def precision(self) -> float | None:
        return self.correct / self.pred if self.pred else None

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.gold += other.gold
        self.found += other.found
        self.pred += other.pred
        self.correct += other.correct

    def as_dict(self, digits: int = 4) -> dict[str, float | int | None]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, digits)

        return {
            "gold": self.gold,
            "found": self.found,
            "missed": self.missed,
            "pred": self.pred,
            "correct": self.correct,
            "false_positives": self.false_positives,
            "precision": r(self.precision),
            "recall": r(self.recall),
            "f1": r(self.f1),
        }


@dataclass(slots=True)
class Report:
    micro: Counts = field(default_factory=Counts)
    per_type: dict[str, Counts] = field(default_factory=dict)

    def _at(self, label: str) -> Counts:
        if label not in self.per_type:
            self.per_type[label] = Counts()
        return self.per_type[label]

    def as_dict(self, digits: int = 4) -> dict[str, object]:
        return {
            "micro": self.micro.as_dict(digits),
            "per_type": {k: self.per_type[k].as_dict(digits) for k in sorted(self.per_type)},
        }


def overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def score_document(
    gold: Sequence[Span], pred: Sequence[Span], *, typed: bool, report: Report | None = None
) -> Report:
    """Add one document's counts to ``report`` (a new one if None) and return it."""
    report = report if report is not None else Report()
    if typed and any(p.label is None for p in pred):
        raise ValueError("typed scoring needs a label on every predicted span")
    for g in gold:
        if typed and g.label is None:
            continue  # don't care
        counts = report._at(g.label if g.label is not None else UNLABELLED)
        counts.gold += 1
        report.micro.gold += 1
        if any(overlaps(g, p) and (not typed or p.label == g.label) for p in pred):
            counts.found += 1
            report.micro.found += 1
    for p in pred:
        hit = any(overlaps(p, g) and (not typed or g.label == p.label) for g in gold)
        if not hit and typed and any(g.label is None and overlaps(p, g) for g in gold):
            continue  # only touches a don't-care region
        counts = report._at(p.label if p.label is not None else UNLABELLED)
        counts.pred += 1
        report.micro.pred += 1
        if hit:
            counts.correct += 1
            report.micro.correct += 1
    return report


def score(docs: Iterable[tuple[Sequence[Span], Sequence[Span]]], *, typed: bool) -> Report:
    """Score ``(gold, pred)`` pairs, one per document."""
    report = Report()
    for gold, pred in docs:
        score_document(gold, pred, typed=typed, report=report)
    return report


# --- conversations with values split across turns -----------------------------------


@dataclass(slots=True)
class SplitCounts:
    """Counts over conversations whose one value is split into pieces across turns.

    Gold spans are the pieces, one list per turn. A piece is found if a predicted span in
    the same turn overlaps it (typed: of the piece's label). A conversation with pieces is
    found when all its pieces are. Predicted spans are counted separately on three kinds
    of turns: turns holding a piece (``piece_turn_*``), the other turns of conversations
    with pieces (``chatter_*``), and every turn of conversations without pieces
    (``negative_*``). On the last two every predicted span is a false positive.
    """

    pieces: int = 0
    pieces_found: int = 0
    conversations: int = 0
    conversations_found: int = 0
    piece_turns: int = 0
    piece_turn_pred: int = 0
    piece_turn_correct: int = 0
    chatter_turns: int = 0
    chatter_pred: int = 0
    negative_conversations: int = 0
    negative_turns: int = 0
    negative_pred: int = 0
    false_positive_labels: dict[str, int] = field(default_factory=dict)

    def as_dict(self, digits: int = 4) -> dict[str, object]:
        def rate(a: int, b: int, scale: float = 1.0) -> float | None:
            return round(scale * a / b, digits) if b else None

        pred = self.piece_turn_pred + self.chatter_pred + self.negative_pred
        return {
            "pieces": {
                "gold": self.pieces,
                "found": self.pieces_found,
                "recall": rate(self.pieces_found, self.pieces),
            },
            "conversations": {
                "gold": self.conversations,
                "all_pieces_found": self.conversations_found,
                "recall": rate(self.conversations_found, self.conversations),
            },
            "piece_turns": {
                "turns": self.piece_turns,
                "pred": self.piece_turn_pred,
                "correct": self.piece_turn_correct,
                "precision": rate(self.piece_turn_correct, self.piece_turn_pred),
            },
            "chatter_turns": {
                "turns": self.chatter_turns,
                "false_positives": self.chatter_pred,
                "fp_per_100_turns": rate(self.chatter_pred, self.chatter_turns, 100),
            },
            "negative_conversations": {
                "conversations": self.negative_conversations,
                "turns": self.negative_turns,
                "false_positives": self.negative_pred,
                "fp_per_100_turns": rate(self.negative_pred, self.negative_turns, 100),
            },
            "no_piece_turns_fp_per_100": rate(
                self.chatter_pred + self.negative_pred,
                self.chatter_turns + self.negative_turns,
                100,
            ),
            "span_precision_all_turns": rate(self.piece_turn_correct, pred),
            "false_positive_labels": dict(sorted(self.false_positive_labels.items())),
        }


def score_split(
    conversations: Iterable[Sequence[tuple[Sequence[Span], Sequence[Span]]]], *, typed: bool
) -> SplitCounts:
    """Score conversations, each a sequence of ``(gold pieces, predicted spans)`` per turn.

    Typed: a piece is found only by an overlapping prediction of its label, and a
    prediction in a piece turn is correct only if it overlaps a piece of its label.
    False positives are tallied by label (``UNLABELLED`` for ``None``).
    """
    c = SplitCounts()

    def matches(a: Span, b: Span) -> bool:
        return overlaps(a, b) and (not typed or a.label == b.label)

    def false_positive(p: Span) -> None:
        key = p.label if p.label is not None else UNLABELLED
        c.false_positive_labels[key] = c.false_positive_labels.get(key, 0) + 1

    for turns in conversations:
        positive = any(gold for gold, _ in turns)
        if positive:
            c.conversations += 1
        else:
            c.negative_conversations += 1
        all_found = True
        for gold, pred in turns:
            if not positive:
                c.negative_turns += 1
                c.negative_pred += len(pred)
                for p in pred:
                    false_positive(p)
                continue
            if not gold:
                c.chatter_turns += 1
                c.chatter_pred += len(pred)
                for p in pred:
                    false_positive(p)
                continue
            c.piece_turns += 1
            for g in gold:
                c.pieces += 1
                if any(matches(g, p) for p in pred):
                    c.pieces_found += 1
                else:
                    all_found = False
            for p in pred:
                c.piece_turn_pred += 1
                if any(matches(p, g) for g in gold):
                    c.piece_turn_correct += 1
                else:
                    false_positive(p)
        if positive and all_found:
            c.conversations_found += 1
    return c
