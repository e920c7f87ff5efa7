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
