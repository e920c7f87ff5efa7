"""An ordered, name-keyed set of detectors."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from trustdesk.privacy.detectors import (
    CreditCardDetector,
    Detector,
    EmailDetector,
    IbanDetector,
    IpAddressDetector,
    PhoneDetector,
    UsSsnDetector,
)


class DetectorRegistry:
    """Detectors keyed by their ``name``, iterated in the order they were added."""

    def __init__(self, detectors: Iterable[Detector] = ()) -> None:
        self._detectors: dict[str, Detector] = {}
        for detector in detectors:
            self.add(detector)

    def add(self, detector: Detector, *, replace: bool = False) -> None:
        """Add ``detector``; a name already present raises ``ValueError`` unless ``replace``."""
        if not isinstance(detector, Detector):
            raise TypeError(f"expected a Detector, got {type(detector).__name__}")
        if detector.name in self._detectors and not replace:
            raise ValueError(f"a detector named {detector.name!r} is already registered")
        self._detectors[detector.name] = detector

    def remove(self, name: str) -> Detector:
        """Remove and return the detector called ``name``; ``KeyError`` if absent."""
        try:
            return self._detectors.pop(name)
        except KeyError:
            raise KeyError(f"no detector named {name!r}") from None

    def get(self, name: str) -> Detector | None:
        return self._detectors.get(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._detectors)

    @property
    def entity_types(self) -> frozenset[str]:
        """Every entity type the registered detectors can report."""
        return frozenset(t for d in self._detectors.values() for t in d.entity_types)

    def __iter__(self) -> Iterator[Detector]:
        return iter(tuple(self._detectors.values()))

    def __len__(self) -> int:
        return len(self._detectors)

    def __contains__(self, name: object) -> bool:
        return name in self._detectors

    def __repr__(self) -> str:
        return f"DetectorRegistry({list(self._detectors)!r})"


def default_registry() -> DetectorRegistry:
    """A new registry holding every built-in detector (phones default to region US).

    Pattern detectors first, then the YAML rules, dates and URLs, the key-phrase
    disclosure detector and the NER model; order does not change the result (overlaps
    are resolved by score), only which detector a tie goes to.
    """
    from trustdesk.privacy.detectors.dates import DateDetector
    from trustdesk.privacy.detectors.disclosure import DisclosureDetector
    from trustdesk.privacy.detectors.street_address import StreetAddressDetector
    from trustdesk.privacy.detectors.url import UrlDetector
    from trustdesk.privacy.ner import NerDetector
    from trustdesk.privacy.rules import default_rule_detector

    return DetectorRegistry(
        [
            EmailDetector(),
            CreditCardDetector(),
            IbanDetector(),
            UsSsnDetector(),
            IpAddressDetector(),
            PhoneDetector(),
            default_rule_detector(),
            DateDetector(),
            UrlDetector(),
            StreetAddressDetector(),
            DisclosureDetector(),
            NerDetector(),
        ]
    )
