"""Postal addresses written the common English way (``STREET_ADDRESS``).

"12 Elm Street, Springfield, IL 62704", "482 Willowbrook Lane, Denver",
"1600 pennsylvania avenue nw apt 4", "PO Box 4471, Denver, CO 80203",
"Flat 3, 22 Baker Street, London NW1 6XE".

A match needs a house number and a street-type word (Street, St., Avenue, Road, Lane,
Drive, Boulevard, Court, Way, Place, Terrace, Circle, Parkway, Highway, Square...), or a
PO box; it then extends over an apartment/suite/unit, a city, a state or county and a
postcode when they follow, separated by commas or spaces. Case-insensitive, so ASR
text in lower case is covered. The NER model finds addresses in other shapes; the two
overlap on purpose and the engine keeps the higher-scoring span.
"""

from __future__ import annotations

import re

from trustdesk.privacy.detectors.base import Detector
from trustdesk.privacy.entities import STREET_ADDRESS
from trustdesk.types import Finding

_STREET_TYPES = (
    "street|st|avenue|ave|av|road|rd|lane|ln|drive|dr|boulevard|blvd|court|ct|way|place|pl"
    "|terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq|crescent|cres|close|grove"
    "|gardens|row|mews|trail|trl|alley|loop|path|pike|plaza|walk"
)
_STOP = (
    r"(?:on|the|a|an|my|your|our|his|her|their|of|to|in|at|for|from|by|and|or|but|so|it|i"
    r"|is|was|are|be|this|that|these|those|with|please|thanks|thank|cards?|dollars?|euros?"
    r"|pounds?|bucks|items?|times?|days?|weeks?|months?|years?|hours?|minutes?|people"
    r"|payments?|transactions?|accounts?|orders?|tickets?|messages?|calls?)"
)
#: A word of a street or city name: letters first (or an ordinal like 42nd), no stop word.
_WORD = rf"(?!{_STOP}\b)(?:[^\W\d_][\w'.-]*|\d{{1,3}}(?:st|nd|rd|th))"
_CORE = (
    r"(?:(?:flat|apt|apartment|suite|ste|unit|#)\.?\s*\w{1,6},?\s+)?"
    r"\d{1,6}[a-z]?(?:-\d{1,4})?,?\s+"
    rf"(?:{_WORD}\s+){{1,4}}(?:{_STREET_TYPES})\b\.?"
    r"(?:\s+(?:n|s|e|w|ne|nw|se|sw|north|south|east|west)\b\.?)?"
)
_PO_BOX = r"p\.?\s?o\.?\s+box\s+\d{1,7}"
_TAIL = (
    r"(?:,?\s+(?:apt|apartment|suite|ste|unit|flat|#)\.?\s*\w{1,6})?"
    rf"(?:,\s*{_WORD}(?:\s+{_WORD}){{0,2}})?"
    r"(?:,?\s+(?:[A-Za-z]{2})\b(?!['\w]))?"
    r"(?:,?\s+(?:\d{5}(?:-\d{4})?|[A-Za-z]{1,2}\d[A-Za-z\d]?\s?\d[A-Za-z]{2}))?"
)
_ADDRESS_RE = re.compile(rf"(?<![\w-])(?:{_CORE}|{_PO_BOX}){_TAIL}", re.IGNORECASE)
_HAS_DIGIT = re.compile(r"\d")


class StreetAddressDetector(Detector):
    """House number + street type (or a PO box), extended over city, state and postcode."""

    name = "street_address"
    entity_types = (STREET_ADDRESS,)
    context_words = ("address", "live", "moved", "move", "street", "mail", "ship", "send")
    context_boost = 0.1

    def may_match(self, text: str) -> bool:
        return _HAS_DIGIT.search(text) is not None

    def analyze(self, text: str) -> list[Finding]:
        if _HAS_DIGIT.search(text) is None:
            return []
        found: list[Finding] = []
        for m in _ADDRESS_RE.finditer(text):
            end = m.end()
            while end > m.start() and text[end - 1] in " ,.":
                end -= 1
            found.append(
                self.make_finding(
                    text, STREET_ADDRESS, m.start(), end, 0.8, "house number and street type"
                )
            )
        return found
