"""Tokenizer and sparse features shared by NER training and inference.

Both halves import this module, so a token is cut and described the same way when
the model is trained (``scripts/train_ner.py``) and when it runs
(:class:`trustdesk.privacy.ner.model.NerModel`).

Features come in groups chosen so that the expensive part can be cached by token
string at inference time:

* **intrinsic** features depend only on the token itself (lower-cased form, case
  pattern, shape, affixes, single-token gazetteer membership);
* **neighbour** features depend on one neighbouring token and its offset (-2..+2);
* **positional** features depend on the layout (a newline before/after the token)
  and on multi-token gazetteer phrases;
* **tag** features depend on the two previously decoded tags and the token's case
  pattern (left-to-right decoding, greedy or a pruned beam).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from trustdesk.privacy.operators import REPLACEMENT_RE

__all__ = [
    "BOS",
    "EOS",
    "TOKEN_RE",
    "Token",
    "case_type",
    "doc_case",
    "intrinsic_features",
    "layout_features",
    "neighbour_features",
    "phrase_features",
    "shape",
    "tag_features",
    "tokenize",
]

#: Words (letters/digits, joined by internal apostrophes, hyphens or dots) or single
#: punctuation characters. ``_`` is punctuation here.
TOKEN_RE = re.compile(r"[^\W_]+(?:['’\-.][^\W_]+)*|[^\w\s]|_")

#: Padding "tokens" used as neighbours outside the text.
BOS = "<s>"
EOS = "</s>"

#: A token: its text, start offset, end offset (exclusive).
Token = tuple[str, int, int]


def tokenize(text: str) -> list[Token]:
    """Cut ``text`` into tokens with character offsets (end exclusive)."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def case_type(tok: str) -> str:
    """A coarse case/character class: digits, Title, UPPER, lower, mixed, or the punctuation."""
    if tok.isdigit():
        return "d"
    if not tok[0].isalnum():
        return tok
    if not tok.isalpha() and any(c.isdigit() for c in tok):
        return "ad"
    if tok.isupper():
        return "U1" if len(tok) == 1 else "U"
    if tok.islower():
        return "l"
    if tok.istitle():
        return "T"
    return "m"


def shape(tok: str) -> str:
    """The word shape with runs longer than two collapsed ("Smith" -> "Xxx", "90210" -> "ddd")."""
    out: list[str] = []
    last = ""
    run = 0
    for ch in tok[:24]:
        if ch.isdigit():
            c = "d"
        elif ch.isalpha():
            c = "X" if ch.isupper() else "x"
        else:
            c = ch
        if c == last:
            run += 1
            if run > 2:
                continue
        else:
            last = c
            run = 1
        out.append(c)
    return "".join(out)


def doc_case(text: str) -> str:
    """The casing regime of a whole message: ``l`` all lower, ``u`` all upper, ``m`` mixed.

    In mixed-case text a lower-case word is rarely a name; in all-lower chat or ASR
    text case carries no signal. The token features are conjoined with this regime.
    Redaction tags (``<CREDIT_CARD>``) are the engine's own writing, not the writer's
    casing: they are left out, so lower-case chat stays lower-case once a value in it
    has been tagged.
    """
    if "<" in text:
        text = REPLACEMENT_RE.sub(" ", text)
    if text.islower():
        return "l"
    if text.isupper():
        return "u"
    return "m"


def intrinsic_features(tok: str, gaz: Mapping[str, Sequence[str]], mode: str = "") -> list[str]:
    """Features of ``tok`` alone; ``gaz`` maps a lower-cased token to its gazetteer names.

    ``mode`` is the message's :func:`doc_case` (conjoined with the case class).
    """
    low = tok.lower()
    ct = case_type(tok)
    feats = [
        "b",
        "w=" + low,
        "c=" + ct,
        "s=" + shape(tok),
        "p3=" + low[:3],
        "x3=" + low[-3:],
        "x2=" + low[-2:],
        "n=" + str(min(len(low), 9)),
    ]
    if not low.isascii():
        feats.append("nonascii")
    for g in gaz.get(low, ()):
        feats.append("g=" + g)
        feats.append("g=" + g + "|" + ct)
    if "-" in low and len(low) > 2:
        feats.append("hyphen|" + ct)
    if mode:
        feats.append("dc=" + mode + "|" + ct)
        if low not in gaz:
            feats.append("dc=" + mode + "|" + ct + "|nogaz")
    return feats


def neighbour_features(tok: str, offset: int, gaz: Mapping[str, Sequence[str]]) -> list[str]:
    """Features of the token at ``offset`` (-2..+2, not 0) from the current one."""
    low = tok if tok in (BOS, EOS) else tok.lower()
    pre = str(offset)
    feats = ["w" + pre + "=" + low]
    if offset in (-1, 1):
        ct = low if tok in (BOS, EOS) else case_type(tok)
        feats.append("c" + pre + "=" + ct)
        for g in gaz.get(low, ()):
            feats.append("g" + pre + "=" + g)
            feats.append("g" + pre + "=" + g + "|" + ct)
    return feats


def phrase_features(
    lows: Sequence[str], phrases: Mapping[str, Sequence[tuple[tuple[str, ...], str]]]
) -> list[list[str]]:
    """Per token, the multi-token gazetteer phrases it starts (``:B``) or continues (``:I``).

    ``phrases`` maps a first token to ``(tokens, gazetteer name)`` pairs, longest first.
    """
    out: list[list[str]] = [[] for _ in lows]
    n = len(lows)
    for i, low in enumerate(lows):
        cands = phrases.get(low)
        if not cands:
            continue
        for words, g in cands:
            k = len(words)
            if i + k <= n and tuple(lows[i : i + k]) == words:
                out[i].append("mg=" + g + ":B")
                for j in range(i + 1, i + k):
                    out[j].append("mg=" + g + ":I")
                break
    return out


def tag_features(prev2: str, prev1: str, ct: str) -> list[str]:
    """Features of the two previous tags and the current token's case type."""
    return ["t1=" + prev1, "t2=" + prev2 + "|" + prev1, "t1=" + prev1 + "|c=" + ct]


#: Tokens after which the next word starts a sentence.
_SENT_END = frozenset(".!?:;\"“”'")


def layout_features(
    text: str, tokens: Sequence[Token], gaz: Mapping[str, Sequence[str]] | None = None
) -> list[list[str]]:
    """Per token: newline before/after, glued to the previous token, sentence start.

    A sentence-initial capitalised word is weak evidence of a name; with ``gaz`` the
    sentence-start flag is also conjoined with the token's gazetteer memberships, so a
    capitalised common word at the start ("Breaking", "Overall") can be told apart
    from a known first name there.
    """
    out: list[list[str]] = []
    n = len(tokens)
    has_nl = "\n" in text
    for i, (tok, start, end) in enumerate(tokens):
        feats: list[str] = []
        prev_end = tokens[i - 1][2] if i else 0
        nl_before = has_nl and "\n" in text[prev_end:start]
        if i == 0 or nl_before or tokens[i - 1][0] in _SENT_END:
            ct = case_type(tok)
            if ct in ("T", "U", "l"):
                feats.append("sst|" + ct)
                if gaz is not None:
                    gs = gaz.get(tok.lower())
                    if gs:
                        feats.extend("sst|g=" + g for g in gs)
                    else:
                        feats.append("sst|nogaz|" + ct)
        if nl_before:
            feats.append("nlb")
        nxt = tokens[i + 1][1] if i + 1 < n else len(text)
        if has_nl and "\n" in text[end:nxt]:
            feats.append("nla")
        if i and prev_end == start:
            feats.append("glued")
        out.append(feats)
    return out
