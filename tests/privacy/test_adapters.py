"""Bring-your-own NER adapters, exercised with duck-typed stand-ins (no heavy imports)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import pytest

from trustdesk.privacy.adapters import (
    DEFAULT_GLINER_LABELS,
    SPACY_LABEL_MAP,
    CallableNerDetector,
    gliner_detector,
    spacy_detector,
    transformers_detector,
)
from trustdesk.privacy.detectors.base import Detector

TEXT = "Maria Keller from Denver works at Contoso, she is Canadian."
#        0         1         2         3         4         5
#        0123456789012345678901234567890123456789012345678901234567


def spans(det: Detector, text: str = TEXT) -> list[tuple[str, str, float]]:
    return [(f.entity_type, text[f.start : f.end], f.score) for f in det.analyze(text)]


def test_module_imports_nothing_heavy() -> None:
    for mod in ("spacy", "transformers", "torch", "gliner"):
        assert mod not in sys.modules


def test_callable_detector_maps_labels_and_scores() -> None:
    def fn(_text: str) -> list[tuple[Any, ...]]:
        return [("PER", 0, 12, 0.9), ("GPE", 18, 24), ("MONEY", 0, 3), ("B-ORG", 34, 41, 0.7)]

    det = CallableNerDetector(fn, {"PER": "PERSON", "GPE": "LOCATION", "ORG": "ORGANIZATION"})
    assert spans(det) == [
        ("PERSON", "Maria Keller", 0.9),
        ("LOCATION", "Denver", 0.85),
        ("ORGANIZATION", "Contoso", 0.7),
    ]
    assert det.entity_types == ("LOCATION", "ORGANIZATION", "PERSON")
    assert det.name == "custom_ner"
    assert all(f.detector == "custom_ner" for f in det.analyze(TEXT))


@pytest.mark.parametrize(
    "bad",
    [
        ("PER", -1, 5),
        ("PER", 5, 5),
        ("PER", 10, 3),
        ("PER", 0, 10_000),
        ("PER", "x", 3),
        ("PER", 0),
    ],
)
def test_invalid_offsets_are_dropped_not_raised(bad: tuple[Any, ...]) -> None:
    det = CallableNerDetector(lambda text: [bad], {"PER": "PERSON"})
    assert det.analyze(TEXT) == []


def test_scores_are_clamped_and_nan_falls_back() -> None:
    det = CallableNerDetector(
        lambda text: [("PER", 0, 5, 7.0), ("PER", 6, 12, float("nan")), ("PER", 18, 24, -1)],
        {"PER": "PERSON"},
        default_score=0.6,
    )
    assert [s for _, _, s in spans(det)] == [1.0, 0.6, 0.0]


def test_label_map_is_validated() -> None:
    with pytest.raises(ValueError, match="unknown entity types"):
        CallableNerDetector(lambda text: [], {"PER": "HUMAN"})
    with pytest.raises(ValueError):
        CallableNerDetector(lambda text: [], {})
    with pytest.raises(TypeError):
        CallableNerDetector("not callable", {"PER": "PERSON"})  # type: ignore[arg-type]


@dataclass
class FakeEnt:
    label_: str
    start_char: int
    end_char: int


class FakeDoc:
    def __init__(self, ents: list[FakeEnt]) -> None:
        self.ents = ents


class FakeNlp:
    def __call__(self, text: str) -> FakeDoc:
        return FakeDoc(
            [
                FakeEnt("PERSON", 0, 12),
                FakeEnt("GPE", 18, 24),
                FakeEnt("ORG", 34, 41),
                FakeEnt("NORP", 50, 58),
                FakeEnt("CARDINAL", 0, 1),
            ]
        )


def test_spacy_detector_default_label_map() -> None:
    det = spacy_detector(FakeNlp())
    assert det.name == "spacy"
    assert [(t, v) for t, v, _ in spans(det)] == [
        ("PERSON", "Maria Keller"),
        ("LOCATION", "Denver"),
        ("ORGANIZATION", "Contoso"),
        ("NRP", "Canadian"),
    ]
    assert SPACY_LABEL_MAP["GPE"] == "LOCATION"


def test_spacy_detector_custom_map() -> None:
    det = spacy_detector(FakeNlp(), {"PERSON": "PERSON"}, name="sp", score=0.7)
    assert spans(det) == [("PERSON", "Maria Keller", 0.7)]
    assert det.name == "sp"


class FakeGliner:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def predict_entities(
        self, text: str, labels: list[str], threshold: float = 0.5
    ) -> list[dict[str, Any]]:
        self.asked = labels
        out: list[dict[str, Any]] = [
            {"label": "person", "start": 0, "end": 12, "score": 0.93, "text": "Maria Keller"},
            {"label": "location", "start": 18, "end": 24, "score": 0.4, "text": "Denver"},
        ]
        return [e for e in out if e["score"] >= threshold and e["label"] in labels]


def test_gliner_detector_defaults() -> None:
    model = FakeGliner()
    det = gliner_detector(model, threshold=0.3)
    assert spans(det) == [("PERSON", "Maria Keller", 0.93), ("LOCATION", "Denver", 0.4)]
    assert model.asked == list(DEFAULT_GLINER_LABELS)


def test_gliner_detector_with_label_sequence_and_threshold() -> None:
    model = FakeGliner()
    det = gliner_detector(model, ["person"], threshold=0.5)
    assert spans(det) == [("PERSON", "Maria Keller", 0.93)]
    with pytest.raises(TypeError):
        gliner_detector(object())


def test_transformers_detector_grouped_output() -> None:
    def pipe(_text: str) -> list[dict[str, Any]]:
        return [
            {"entity_group": "PER", "start": 0, "end": 12, "score": 0.99, "word": "Maria Keller"},
            {"entity_group": "LOC", "start": 18, "end": 24, "score": 0.98, "word": "Denver"},
            {"entity_group": "MISC", "start": 50, "end": 58, "score": 0.9, "word": "Canadian"},
        ]

    det = transformers_detector(pipe)
    assert spans(det) == [("PERSON", "Maria Keller", 0.99), ("LOCATION", "Denver", 0.98)]


def test_transformers_detector_merges_token_level_bio() -> None:
    def pipe(_text: str) -> list[dict[str, Any]]:
        return [
            {"entity": "B-PER", "start": 0, "end": 5, "score": 0.99},
            {"entity": "I-PER", "start": 6, "end": 12, "score": 0.95},
            {"entity": "B-LOC", "start": 18, "end": 24, "score": 0.97},
            {"entity": "B-ORG", "start": 34, "end": 38, "score": 0.9},
            {"entity": "I-ORG", "start": 38, "end": 41, "score": 0.8},
        ]

    det = transformers_detector(pipe, name="hf")
    assert spans(det) == [
        ("PERSON", "Maria Keller", 0.95),
        ("LOCATION", "Denver", 0.97),
        ("ORGANIZATION", "Contoso", 0.8),
    ]
    assert det.name == "hf"
