"""Text normalization for detection only.

The guards match their rules against a *copy* of the message folded into a canonical
form, so that obfuscated attacks (fullwidth letters, "i g n o r e", "1gn0r3", zero-width
characters inside words, Cyrillic look-alike letters) look like the plain text they
hide. The folded copy is never stored, shown or sent anywhere: what is stored is always
the original (redacted) text.

Steps, in order:

1. Unicode NFKC (fullwidth and other compatibility forms become plain letters).
2. Drop invisible characters (format characters such as zero-width spaces and joiners,
   bidi controls, tag characters, variation selectors) and fold a few Cyrillic/Greek
   look-alike letters to Latin.
3. Casefold.
4. Collapse letter-spaced words: three or more single characters separated by spaces
   or punctuation ("i g n o r e", "i.g.n.o.r.e") become one word.
5. Leetspeak folding (0→o, 1→i, 3→e, 4→a, 5→s, 7→t, @→a, $→s) inside tokens that
   contain at least one letter, so plain numbers ("500 EUR") stay numbers.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["INVISIBLE_CHARACTERS", "normalize_text"]


def _invisible_codepoints() -> list[int]:
    """Code points that render as nothing and only serve to split words for a matcher."""
    # Format (Cf) characters of the BMP all live in these two blocks of code points.
    bmp = [*range(0x0000, 0x2100), *range(0xFE00, 0x10000)]
    points = [cp for cp in bmp if unicodedata.category(chr(cp)) == "Cf"]
    points += [0x034F]  # combining grapheme joiner (Mn, invisible)
    points += list(range(0xFE00, 0xFE10))  # variation selectors
    points += [0x115F, 0x1160, 0x3164, 0xFFA0]  # Hangul fillers (render blank)
    # Format characters outside the BMP (enumerating all planes at import is too slow).
    points += [0x110BD, 0x110CD, *range(0x13430, 0x13440)]  # number signs, hieroglyph controls
    points += list(range(0x1D173, 0x1D17B))  # musical symbol format controls
    points += list(range(0x1BCA0, 0x1BCA4))  # shorthand format controls
    points += [0xE0001, *range(0xE0020, 0xE0080)]  # tag characters
    points += list(range(0xE0100, 0xE01F0))  # variation selectors supplement
    return sorted(set(points))


def _char_class(points: list[int]) -> str:
    """A regex character class matching exactly ``points`` (as ranges)."""
    parts: list[str] = []
    start = prev = points[0]
    for cp in [*points[1:], -1]:
        if cp == prev + 1:
            prev = cp
            continue
        parts.append(f"\\U{start:08x}" if start == prev else f"\\U{start:08x}-\\U{prev:08x}")
        start = prev = cp
    return "[" + "".join(parts) + "]"


INVISIBLE_CHARACTERS: frozenset[str] = frozenset(chr(cp) for cp in _invisible_codepoints())
_INVISIBLE = re.compile(_char_class(sorted(ord(c) for c in INVISIBLE_CHARACTERS)))

# Cyrillic and Greek letters that look like Latin ones, by the Latin letter they imitate
# (written as escapes so that the source itself stays unambiguous).
_LOOKALIKES: dict[str, str] = {
    "a": "\u0430\u0410\u03b1\u0391",
    "b": "\u0432\u0412\u03b2\u0392",
    "c": "\u0441\u0421",
    "d": "\u0501",
    "e": "\u0435\u0415\u0451\u03b5\u0395",
    "g": "\u0261",
    "h": "\u043d\u041d\u0397",
    "i": "\u0456\u0406\u0457\u03b9\u0399",
    "j": "\u0458\u0408",
    "k": "\u043a\u041a\u03ba\u039a",
    "m": "\u043c\u041c\u039c",
    "n": "\u03b7\u039d",
    "o": "\u043e\u041e\u03bf\u039f",
    "p": "\u0440\u0420\u03c1\u03a1",
    "s": "\u0455\u0405",
    "t": "\u0442\u0422\u03c4\u03a4",
    "u": "\u03c5",
    "v": "\u03bd",
    "x": "\u0445\u0425\u03c7\u03a7",
    "y": "\u0443\u0423\u03a5",
    "z": "\u0396",
}
_CONFUSABLES = str.maketrans({c: latin for latin, chars in _LOOKALIKES.items() for c in chars})

_HAS_CONFUSABLE = re.compile("[" + "".join(sorted(chr(cp) for cp in _CONFUSABLES)) + "]")

_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_HAS_LEET = re.compile(r"[013457@$]")
# A whitespace-free token that contains a leetspeak character.
_LEET_TOKEN = re.compile(r"(?<!\S)[^\s013457@$]*[013457@$]\S*")
_LETTER = re.compile(r"[^\W\d_]")

# Three or more single alphanumerics separated by spaces or light punctuation. Each
# unit must be a single character: not preceded by, and not followed by, another one.
_SEP = r"[ \t.\-_*·•/|~+,]+"
_SPACED = re.compile(rf"(?<![^\W_])[^\W_](?:{_SEP}[^\W_](?![^\W_])){{2,}}")
_SPACED_SEP = re.compile(_SEP)


def _join_spaced(match: re.Match[str]) -> str:
    return _SPACED_SEP.sub("", match.group(0))


def _fold_leet(match: re.Match[str]) -> str:
    token = match.group(0)
    return token.translate(_LEET) if _LETTER.search(token) is not None else token


def normalize_text(text: str) -> str:
    """Return the detection copy of ``text`` (see the module docstring for the steps)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        if _INVISIBLE.search(text) is not None:
            text = _INVISIBLE.sub("", text)
        if _HAS_CONFUSABLE.search(text) is not None:
            text = text.translate(_CONFUSABLES)
    text = text.casefold()
    text = _SPACED.sub(_join_spaced, text)
    if _HAS_LEET.search(text) is not None:
        text = _LEET_TOKEN.sub(_fold_leet, text)
    return text
