"""Text normalization for detection only.

The guards match their rules against a *copy* of the message folded into a canonical
form, so that obfuscated attacks ("ｉｇｎｏｒｅ", "i g n o r e", "1gn0r3", "ig\u200bnore")
look like the plain text they hide. The folded copy is never stored, shown or sent
anywhere: what is stored is always the original (redacted) text.

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
    points += [0xE0001] + list(range(0xE0020, 0xE0080))  # tag characters
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

# Cyrillic and Greek letters that look like Latin ones (lower and upper case).
_CONFUSABLES = str.maketrans(
    {
        "а": "a", "А": "a", "в": "b", "В": "b", "е": "e", "Е": "e", "ё": "e",
        "к": "k", "К": "k", "м": "m", "М": "m", "н": "h", "Н": "h", "о": "o",
        "О": "o", "р": "p", "Р": "p", "с": "c", "С": "c", "т": "t", "Т": "t",
        "у": "y", "У": "y", "х": "x", "Х": "x", "і": "i", "І": "i", "ї": "i",
        "ј": "j", "Ј": "j", "ѕ": "s", "Ѕ": "s", "ԁ": "d", "ɡ": "g",
        "α": "a", "Α": "a", "β": "b", "Β": "b", "ε": "e", "Ε": "e", "η": "n",
        "Η": "h", "ι": "i", "Ι": "i", "κ": "k", "Κ": "k", "ν": "v", "Ν": "n",
        "ο": "o", "Ο": "o", "ρ": "p", "Ρ": "p", "τ": "t", "Τ": "t", "υ": "u",
        "χ": "x", "Χ": "x", "Ζ": "z", "Μ": "m", "Υ": "y",
    }
)  # fmt: skip

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
