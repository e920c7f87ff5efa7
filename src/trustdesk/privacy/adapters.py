"""Bring your own NER model: wrap it as a :class:`~trustdesk.privacy.detectors.base.Detector`.

:class:`CallableNerDetector` turns any function ``fn(text)`` that returns
``(label, start, end)`` or ``(label, start, end, score)`` tuples into a detector, mapping
the model's labels to TrustDesk entity types with ``label_map`` (labels that are not in
the map are ignored). Factories adapt common libraries, duck-typed on the object you
pass in, so this module imports none of them:

* :func:`spacy_detector` — a loaded spaCy pipeline (``nlp(text).ents``);
* :func:`gliner_detector` — a GLiNER model (``model.predict_entities(text, labels)``);
* :func:`transformers_detector` — a Hugging Face token-classification pipeline.

Example::

    import spacy
    from trustdesk.privacy.adapters import spacy_detector

    detector = spacy_detector(spacy.load("en_core_web_sm"))
    registry.register(detector)

Offsets a model returns are checked: spans outside the text or empty are dropped, never
raised on, so a misbehaving model cannot produce invalid findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from trustdesk.privacy.detectors.base import Detector
from trustdesk.privacy.entities import ENTITY_TYPES
from trustdesk.types import Finding

__all__ = [
    "DEFAULT_GLINER_LABELS",
    "SPACY_LABEL_MAP",
    "TRANSFORMERS_LABEL_MAP",
    "CallableNerDetector",
    "gliner_detector",
    "spacy_detector",
    "transformers_detector",
]

#: spaCy (OntoNotes) labels -> TrustDesk entity types. Numbers, money, products, events,
#: works of art, laws and languages are not personal data by themselves and are dropped.
SPACY_LABEL_MAP: Mapping[str, str] = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "ORG": "ORGANIZATION",
    "NORP": "NRP",
    "DATE": "DATE_TIME",
    "TIME": "DATE_TIME",
}

#: Hugging Face token-classification labels (CoNLL-2003 and OntoNotes styles), without
#: their ``B-``/``I-`` prefixes. ``MISC`` is too vague to map and is dropped.
TRANSFORMERS_LABEL_MAP: Mapping[str, str] = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "LOC": "LOCATION",
    "GPE": "LOCATION",
    "ORG": "ORGANIZATION",
    "NORP": "NRP",
    "DATE": "DATE_TIME",
    "TIME": "DATE_TIME",
}

#: Natural-language labels for GLiNER and the types they map to.
DEFAULT_GLINER_LABELS: Mapping[str, str] = {
    "person": "PERSON",
    "location": "LOCATION",
    "street address": "STREET_ADDRESS",
    "organization": "ORGANIZATION",
    "nationality, religious or political group": "NRP",
    "job title or honorific": "TITLE",
}

#: A model's output: (label, start, end) or (label, start, end, score).
RawEntity = tuple[str, int, int] | tuple[str, int, int, float]


def _check_label_map(label_map: Mapping[str, str]) -> dict[str, str]:
    if not label_map:
        raise ValueError("label_map must map at least one label")
    unknown = sorted({v for v in label_map.values() if v not in ENTITY_TYPES})
    if unknown:
        raise ValueError(f"label_map maps to unknown entity types: {unknown}")
    return dict(label_map)


class CallableNerDetector(Detector):
    """A detector around ``fn(text) -> iterable of (label, start, end[, score])``.

    ``label_map`` maps the model's labels to TrustDesk entity types; a label is looked
    up as given, then upper-cased, then without a ``B-``/``I-``/``S-``/``E-`` prefix.
    Entities without a score get ``default_score``. Scores are clamped to [0, 1].
    """

    name = "custom_ner"
    entity_types: tuple[str, ...] = ()

    def __init__(
        self,
        fn: Callable[[str], Iterable[Sequence[Any]]],
        label_map: Mapping[str, str],
        *,
        name: str | None = None,
        default_score: float = 0.85,
    ) -> None:
        super().__init__(name=name)
        if not callable(fn):
            raise TypeError("fn must be callable")
        if not 0.0 <= default_score <= 1.0:
            raise ValueError("default_score must be within [0, 1]")
        self._fn = fn
        self.label_map = _check_label_map(label_map)
        self._upper = {k.upper(): v for k, v in self.label_map.items()}
        self.entity_types = tuple(sorted(set(self.label_map.values())))
        self.default_score = default_score

    def _map(self, label: str) -> str | None:
        mapped = self.label_map.get(label)
        if mapped is None:
            up = label.upper()
            mapped = self._upper.get(up)
            if mapped is None and len(up) > 2 and up[1] == "-" and up[0] in "BIES":
                mapped = self._upper.get(up[2:])
        return mapped

    def analyze(self, text: str) -> list[Finding]:
        out: list[Finding] = []
        n = len(text)
        for ent in self._fn(text):
            if len(ent) < 3:
                continue
            label, start, end = str(ent[0]), ent[1], ent[2]
            etype = self._map(label)
            if etype is None:
                continue
            try:
                s, e = int(start), int(end)
            except (TypeError, ValueError):
                continue
            if s < 0 or e > n or e <= s:
                continue
            score = self.default_score
            if len(ent) > 3 and ent[3] is not None:
                try:
                    score = float(ent[3])
                except (TypeError, ValueError):
                    score = self.default_score
                if score != score:  # NaN
                    score = self.default_score
            score = max(0.0, min(1.0, score))
            out.append(self.make_finding(text, etype, s, e, score, f"external NER label {label}"))
        return out


def spacy_detector(
    nlp: Any,
    label_map: Mapping[str, str] | None = None,
    *,
    name: str = "spacy",
    score: float = 0.85,
) -> CallableNerDetector:
    """A detector from a loaded spaCy pipeline (anything with ``nlp(text).ents``)."""
    if not callable(nlp):
        raise TypeError("nlp must be a callable spaCy pipeline")

    def run(text: str) -> list[RawEntity]:
        doc = nlp(text)
        return [(str(ent.label_), int(ent.start_char), int(ent.end_char)) for ent in doc.ents]

    return CallableNerDetector(
        run, SPACY_LABEL_MAP if label_map is None else label_map, name=name, default_score=score
    )


def gliner_detector(
    model: Any,
    labels: Sequence[str] | Mapping[str, str] | None = None,
    *,
    threshold: float = 0.5,
    name: str = "gliner",
) -> CallableNerDetector:
    """A detector from a GLiNER model (``model.predict_entities(text, labels, threshold=)``).

    ``labels`` is a mapping from the natural-language labels GLiNER is asked for to
    TrustDesk types (default :data:`DEFAULT_GLINER_LABELS`), or a sequence of labels
    that are themselves TrustDesk types or keys of the default mapping.
    """
    if not hasattr(model, "predict_entities"):
        raise TypeError("model must have a predict_entities(text, labels, threshold=...) method")
    if labels is None:
        label_map = dict(DEFAULT_GLINER_LABELS)
    elif isinstance(labels, Mapping):
        label_map = dict(labels)
    else:
        label_map = {}
        for lab in labels:
            if lab in DEFAULT_GLINER_LABELS:
                label_map[lab] = DEFAULT_GLINER_LABELS[lab]
            else:
                label_map[lab] = lab
    asked = list(label_map)

    def run(text: str) -> list[RawEntity]:
        ents = model.predict_entities(text, asked, threshold=threshold)
        return [
            (str(e["label"]), int(e["start"]), int(e["end"]), float(e.get("score", 1.0)))
            for e in ents
        ]

    return CallableNerDetector(run, label_map, name=name)


def transformers_detector(
    pipeline: Any,
    label_map: Mapping[str, str] | None = None,
    *,
    name: str = "transformers",
) -> CallableNerDetector:
    """A detector from a Hugging Face ``pipeline("token-classification", ...)``.

    Works with and without an ``aggregation_strategy``: per-token results (``entity``
    with ``B-``/``I-`` prefixes) are merged into spans when they are adjacent (at most
    one whitespace apart) and of the same type; the span score is the lowest token score.
    """
    if not callable(pipeline):
        raise TypeError("pipeline must be a callable token-classification pipeline")

    def run(text: str) -> list[RawEntity]:
        merged: list[list[Any]] = []
        for e in pipeline(text):
            grouped = "entity_group" in e
            raw = str(e["entity_group"] if grouped else e["entity"])
            start, end = e.get("start"), e.get("end")
            if start is None or end is None:
                continue
            score = float(e.get("score", 1.0))
            base = raw[2:] if len(raw) > 2 and raw[1] == "-" else raw
            begins = grouped or raw.startswith(("B-", "S-"))
            if merged and not begins:
                last = merged[-1]
                gap = text[last[2] : int(start)]
                if last[0] == base and len(gap) <= 1 and gap.strip() == "":
                    last[2] = int(end)
                    last[3] = min(last[3], score)
                    continue
            merged.append([base, int(start), int(end), score])
        return [(m[0], m[1], m[2], m[3]) for m in merged]

    return CallableNerDetector(
        run, TRANSFORMERS_LABEL_MAP if label_map is None else label_map, name=name
    )
