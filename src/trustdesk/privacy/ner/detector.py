"""The NER detector: names, places, addresses, organisations, NRP and titles.

Wraps the shipped token tagger (:class:`~trustdesk.privacy.ner.model.NerModel`) as a
:class:`~trustdesk.privacy.detectors.base.Detector`. The model is loaded lazily on the
first :meth:`NerDetector.analyze` call and shared by every instance in the process.
"""

from __future__ import annotations

import re
import threading

from trustdesk.privacy.detectors.base import Detector
from trustdesk.privacy.ner.features import doc_case
from trustdesk.privacy.ner.model import NerModel, load_default_model
from trustdesk.types import Finding

__all__ = ["NER_ENTITY_TYPES", "NerDetector"]

#: The entity types the shipped model labels.
NER_ENTITY_TYPES: tuple[str, ...] = (
    "PERSON",
    "LOCATION",
    "STREET_ADDRESS",
    "ORGANIZATION",
    "NRP",
    "TITLE",
)


#: Types written with capitals in proper-cased text (names of people, places, groups).
#: (Not NRP: chat writes "i'm cambodian" in otherwise proper-cased text.)
_PROPER_TYPES = frozenset({"PERSON", "LOCATION", "STREET_ADDRESS", "ORGANIZATION"})
#: A token of six or more characters mixing letters and digits: a code or a hash.
_CODE_RE = re.compile(r"\b(?=[a-z]*\d)(?=\d*[a-z])[a-z\d]{6,}\b", re.IGNORECASE)

_DIGIT_RE = re.compile(r"\d")

#: An operator's tag right after a span (optionally after ":" or "#"): the span labels it.
_LABEL_RE = re.compile(r"\s*[:#]?\s*<[A-Z_]+")


class NerDetector(Detector):
    """Finds PERSON, LOCATION, STREET_ADDRESS, ORGANIZATION, NRP and TITLE spans.

    The score is the mean probability of the span's token labels, mapped into
    ``[min_score, max_score]`` so that the engine's threshold (0.5 by default) keeps a
    span the tagger chose. Pass ``model`` to use another artifact
    (:meth:`NerModel.load`); otherwise the shipped model is used.
    """

    name = "ner"
    entity_types = NER_ENTITY_TYPES
    rescan = False
    sees_masked = True
    #: Scores of kept spans lie in [min_score, max_score].
    min_score = 0.5
    max_score = 0.95

    def __init__(self, *, model: NerModel | None = None, name: str | None = None) -> None:
        super().__init__(name=name)
        self._model = model
        self._lock = threading.Lock()

    @property
    def model(self) -> NerModel:
        """The tagger, loaded on first use (thread-safe)."""
        model = self._model
        if model is None:
            with self._lock:
                if self._model is None:
                    self._model = load_default_model()
                model = self._model
        return model

    def analyze(self, text: str) -> list[Finding]:
        if not text or text.isspace():
            return []
        model = self.model
        span = self.max_score - self.min_score
        out: list[Finding] = []
        mixed = None
        for s in model.predict(text):
            if s.label not in self.entity_types:
                continue
            value = text[s.start : s.end]
            if s.label in _PROPER_TYPES and value.islower() and not _DIGIT_RE.search(value):
                if mixed is None:
                    mixed = doc_case(text) == "m"  # (tags left out)
                if mixed:
                    continue  # proper-cased text writes names capitalised: "made", "validity"
            if s.label == "LOCATION" and len(value) <= 2 and not value.isupper():
                continue  # "oh", "in", "me": a state abbreviation only in capitals ("OH")
            if s.label == "TITLE" and value.islower() and _LABEL_RE.match(text, s.end):
                continue  # "server <IP_ADDRESS>": a word labelling a value, not a job title
            if s.label == "STREET_ADDRESS" and _CODE_RE.search(value) and len(value.split()) < 3:
                continue  # "ref 37ba749d": a reference code, not an address
            score = self.min_score + span * max(0.0, min(1.0, s.score))
            out.append(
                self.make_finding(
                    text, s.label, s.start, s.end, score, f"ner tagger {model.version}"
                )
            )
        return out
