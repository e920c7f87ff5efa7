"""Pure-Python inference for the token-level NER tagger (BIO, pruned beam search).

The artifact (gzip JSON, written by ``scripts/train_ner.py``) holds a multinomial
logistic regression over the sparse features of :mod:`trustdesk.privacy.ner.features`
plus the gazetteers those features consult. Scoring a token is a sum of a few cached
weight vectors (one per token string and feature group) and a tag-history vector, so
no numpy or scikit-learn is needed at run time.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from trustdesk.privacy.ner.features import (
    BOS,
    EOS,
    case_type,
    doc_case,
    intrinsic_features,
    layout_features,
    neighbour_features,
    phrase_features,
    tag_features,
    tokenize,
)

__all__ = ["ARTIFACT_NAME", "FORMAT", "NerModel", "NerSpan", "load_default_model"]

FORMAT = "trustdesk-ner-v1"
ARTIFACT_NAME = "model.json.gz"
_SHIPPED = ("models", "pii-ner", ARTIFACT_NAME)

#: Per-group caches are cleared when they grow past this many token strings.
_CACHE_LIMIT = 50_000

#: Regions that other detectors own (e-mail addresses, URLs): never tagged here.
_SKIP_RE = re.compile(r"\S+@\S+|(?:https?://|www\.)\S+", re.IGNORECASE)

#: Punctuation that never starts or ends a span.
_EDGE_PUNCT = frozenset(",;:!?()[]{}\"'“”‘’-–—/\\|*#&+=<>_~`^")

#: Function words that never start or end an entity span ("Northwind Bank as a").
_EDGE_WORDS = frozenset(
    "a an the and or as at in on of to for from with by is was are be my your his her our "
    "their its this that i me we you he she it they".split()
)

#: Short words whose trailing "." belongs to the span ("Mr.", "St.", "Apt.").
_ABBREV_MAX = 4


#: A cached score vector (one score per label) and its O margin.
_Vec = tuple[list[float], float]


@dataclass(frozen=True, slots=True)
class NerSpan:
    """One entity span: type, character offsets (end exclusive) and mean token probability."""

    label: str
    start: int
    end: int
    score: float


class NerModel:
    """A loaded NER tagger; thread-safe (caches are plain dicts, updated atomically)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} artifact: format={data.get('format')!r}")
        self.labels: tuple[str, ...] = tuple(data["labels"])
        self.metadata: dict[str, Any] = dict(data.get("metadata", {}))
        self.version: str = str(data.get("version", "unknown"))
        k = len(self.labels)
        self._k = k
        weights: dict[str, list[tuple[int, float]]] = {}
        for feat, flat in data["weights"].items():
            weights[feat] = [(int(flat[j]), float(flat[j + 1])) for j in range(0, len(flat), 2)]
        self._w = weights
        self._bias = [float(b) for b in data["bias"]]
        gaz: dict[str, list[str]] = {}
        phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for name, entries in data["gazetteers"].items():
            for entry in entries:
                words = tuple(entry.split(" "))
                if len(words) == 1:
                    gaz.setdefault(words[0], []).append(name)
                else:
                    phrases.setdefault(words[0], []).append((words, name))
        for cands in phrases.values():
            cands.sort(key=lambda c: -len(c[0]))
        self._gaz: dict[str, tuple[str, ...]] = {w: tuple(sorted(g)) for w, g in gaz.items()}
        self._phrases = phrases
        # Allowed next labels given the previous one (BIO: I-X only after B-X or I-X).
        self._allowed: dict[str, tuple[int, ...]] = {}
        for prev in ("O", *self.labels):
            ok = []
            for i, lab in enumerate(self.labels):
                if lab.startswith("I-") and prev[2:] != lab[2:]:
                    continue
                ok.append(i)
            self._allowed[prev] = tuple(ok)
        #: Index of the "O" label: every cached vector comes with its *O margin*, the
        #: O score minus the best other label's score, and the sum of a token's margins
        #: bounds its real margin from below, so a token whose bound clears the beam gap
        #: is committed as O without summing its vectors (same labels, less work).
        self._o = self.labels.index("O") if "O" in self.labels else -1
        self._intr: dict[str, dict[str, _Vec]] = {"l": {}, "u": {}, "m": {}, "": {}}
        self._nb: dict[int, dict[str, _Vec]] = {-2: {}, -1: {}, 1: {}, 2: {}}
        self._tagc: dict[tuple[str, str, str], _Vec] = {}
        self._extra: dict[str, _Vec] = {}
        self._ct: dict[str, str] = {}
        self._lock = threading.Lock()
        #: Beam width and pruning gap (nats) of the decoder; ``beam=1`` is greedy.
        self.beam: int = int(self.metadata.get("beam", 1))
        self.beam_gap: float = float(self.metadata.get("beam_gap", 2.0))
        #: Whether token features are conjoined with the message's casing regime.
        self.use_doc_case: bool = bool(self.metadata.get("doc_case", False))

    # -- loading -------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path | None = None) -> NerModel:
        """Load an artifact from ``path``, or the one shipped with the package."""
        if path is None:
            raw = resources.files("trustdesk").joinpath(*_SHIPPED).read_bytes()
        else:
            raw = Path(path).read_bytes()
        return cls(json.loads(gzip.decompress(raw).decode("utf-8")))

    # -- scoring -------------------------------------------------------------------------

    def _vector(self, feats: Sequence[str]) -> list[float]:
        vec = [0.0] * self._k
        w = self._w
        for f in feats:
            pairs = w.get(f)
            if pairs:
                for i, x in pairs:
                    vec[i] += x
        return vec

    def _with_margin(self, vec: list[float]) -> _Vec:
        """``vec`` and its O margin (O's score minus the best other score; -inf without O)."""
        o = self._o
        if o < 0 or len(vec) < 2:
            return vec, -math.inf
        return vec, vec[o] - max(x for j, x in enumerate(vec) if j != o)

    def _intrinsic(self, tok: str, mode: str) -> _Vec:
        cache = self._intr[mode]
        entry = cache.get(tok)
        if entry is None:
            vec = self._vector(intrinsic_features(tok, self._gaz, mode))
            entry = self._with_margin([a + b for a, b in zip(vec, self._bias, strict=True)])
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            cache[tok] = entry
        return entry

    def _case(self, tok: str) -> str:
        ct = self._ct.get(tok)
        if ct is None:
            ct = case_type(tok)
            if len(self._ct) > _CACHE_LIMIT:
                self._ct.clear()
            self._ct[tok] = ct
        return ct

    def _neighbour(self, tok: str, offset: int) -> _Vec:
        cache = self._nb[offset]
        entry = cache.get(tok)
        if entry is None:
            entry = self._with_margin(self._vector(neighbour_features(tok, offset, self._gaz)))
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            cache[tok] = entry
        return entry

    def _tags(self, prev2: str, prev1: str, ct: str) -> _Vec:
        key = (prev2, prev1, ct)
        entry = self._tagc.get(key)
        if entry is None:
            entry = self._with_margin(self._vector(tag_features(prev2, prev1, ct)))
            if len(self._tagc) > _CACHE_LIMIT:
                self._tagc.clear()
            self._tagc[key] = entry
        return entry

    def tag(self, text: str) -> tuple[list[tuple[str, int, int]], list[str], list[float]]:
        """Tokens of ``text``, their BIO labels and each label's probability.

        Decoding is a pruned beam search over label histories (a Viterbi search in
        which only histories within :attr:`beam_gap` nats of the best survive, at most
        :attr:`beam` of them). When a single history survives and its best label wins
        by more than the gap, the token is committed without normalising, so the
        common case costs what greedy decoding costs.
        """
        tokens = tokenize(text)
        if not tokens:
            return [], [], []
        words = [t[0] for t in tokens]
        lows = [w.lower() for w in words]
        layout = layout_features(text, tokens, self._gaz)
        phr = phrase_features(lows, self._phrases)
        skip: list[tuple[int, int]] = []
        if "@" in text or "://" in text or "www." in text.lower():
            skip = [(m.start(), m.end()) for m in _SKIP_RE.finditer(text)]
        padded = [BOS, BOS, *words, EOS, EOS]
        labels = self.labels
        gap = self.beam_gap
        mode = doc_case(text) if self.use_doc_case else ""
        intr = self._intr[mode]
        cts = self._ct
        nb2, nb1, na1, na2 = self._nb[-2], self._nb[-1], self._nb[1], self._nb[2]
        width = self.beam
        exp = math.exp
        # a hypothesis: (log-prob, prev2, prev1, back-pointer, label, prob). While a single
        # hypothesis survives, labels are committed to out_* directly; when several do,
        # their steps are kept in ``hist`` (back-pointers index the previous step) until
        # the beam collapses to one hypothesis again or the text ends.
        Hyp = tuple[float, str, str, int, str, float]
        out_labels: list[str] = []
        out_probs: list[float] = []
        hyps: list[Hyp] = [(0.0, "O", "O", 0, "O", 1.0)]
        hist: list[list[Hyp]] = []
        neg_inf = -math.inf
        for i, word in enumerate(words):
            if skip and any(s <= tokens[i][1] < e_ for s, e_ in skip):
                cands = [(h[0], h[2], "O", hi, "O", 1.0) for hi, h in enumerate(hyps)]
                if not hist and len(cands) == 1:
                    out_labels.append("O")
                    out_probs.append(1.0)
                    hyps = cands
                    continue
                hist.append(cands)
                hyps = cands
                continue
            a, ma = intr.get(word) or self._intrinsic(word, mode)
            b, mb = nb2.get(padded[i]) or self._neighbour(padded[i], -2)
            c, mc = nb1.get(padded[i + 1]) or self._neighbour(padded[i + 1], -1)
            d, md = na1.get(padded[i + 3]) or self._neighbour(padded[i + 3], 1)
            e, me = na2.get(padded[i + 4]) or self._neighbour(padded[i + 4], 2)
            ct = cts.get(word) or self._case(word)
            extra = layout[i] + phr[i]
            x_: list[float] | None = None
            if extra:
                # layout / phrase features: one cached vector per feature combination
                ekey = "\x1f".join(extra)
                xe = self._extra.get(ekey)
                if xe is None:
                    xe = self._with_margin(self._vector(extra))
                    if len(self._extra) > _CACHE_LIMIT:
                        self._extra.clear()
                    self._extra[ekey] = xe
                x_, mx = xe
                ma += mx
            if len(hyps) == 1:
                lp, p2, p1 = hyps[0][0], hyps[0][1], hyps[0][2]
                t, mt = self._tagc.get((p2, p1, ct)) or self._tags(p2, p1, ct)
                if not hist and ma + mb + mc + md + me + mt > gap:
                    # O beats every label by more than the gap whatever the sum: commit O
                    out_labels.append("O")
                    out_probs.append(1.0)
                    hyps = [(lp, p1, "O", 0, "O", 1.0)]
                    continue
                if x_ is not None:
                    a = [u + v for u, v in zip(a, x_, strict=True)]
                scores = [
                    a_ + b_ + c_ + d_ + e_ + t_
                    for a_, b_, c_, d_, e_, t_ in zip(a, b, c, d, e, t, strict=True)
                ]
                allowed = self._allowed[p1]
                best = max(allowed, key=scores.__getitem__)
                top = scores[best]
                scores[best] = neg_inf
                second = max(scores)
                scores[best] = top
                if top - second > gap and not hist:
                    # every alternative would be pruned: commit without normalising
                    lab = labels[best]
                    prob = 1.0 if lab == "O" else 1.0 / (1.0 + exp(second - top))
                    out_labels.append(lab)
                    out_probs.append(prob)
                    hyps = [(lp, p1, lab, 0, lab, prob)]
                    continue
                cands = self._expand(lp, p1, 0, scores, allowed, gap)
            else:
                if x_ is not None:
                    a = [u + v for u, v in zip(a, x_, strict=True)]
                base = [
                    a_ + b_ + c_ + d_ + e_ for a_, b_, c_, d_, e_ in zip(a, b, c, d, e, strict=True)
                ]
                cands = []
                for hi, (lp, p2, p1, _bp, _lab, _pr) in enumerate(hyps):
                    t = self._tags(p2, p1, ct)[0]
                    scores = [x + y for x, y in zip(base, t, strict=True)]
                    cands += self._expand(lp, p1, hi, scores, self._allowed[p1], gap)
            if len(cands) > 1:
                cands.sort(key=lambda h: -h[0])
                floor = cands[0][0] - gap
                kept: list[Hyp] = []
                seen: set[tuple[str, str]] = set()
                for h in cands:
                    if h[0] < floor or len(kept) >= width:
                        break
                    key = (h[1], h[2])
                    if key not in seen:
                        seen.add(key)
                        kept.append(h)
                cands = kept
            hyps = cands
            if len(cands) == 1 and not hist:
                out_labels.append(cands[0][4])
                out_probs.append(cands[0][5])
                continue
            hist.append(cands)
            if len(cands) == 1:
                self._flush(hist, cands[0], out_labels, out_probs)
                hist = []
        if hist:
            self._flush(hist, hyps[0], out_labels, out_probs)
        return tokens, out_labels, out_probs

    def _expand(
        self,
        lp: float,
        p1: str,
        hi: int,
        scores: list[float],
        allowed: tuple[int, ...],
        gap: float,
    ) -> list[tuple[float, str, str, int, str, float]]:
        """Successors of hypothesis ``hi``: allowed labels within ``gap`` nats of its best."""
        top = max(scores[j] for j in allowed)
        z = 0.0
        for j in allowed:
            z += math.exp(scores[j] - top)
        lz = math.log(z)
        floor = top - gap
        labels = self.labels
        out = []
        for j in allowed:
            sj = scores[j]
            if sj >= floor:
                lab = labels[j]
                out.append((lp + sj - top - lz, p1, lab, hi, lab, math.exp(sj - top) / z))
        return out

    @staticmethod
    def _flush(
        hist: list[list[tuple[float, str, str, int, str, float]]],
        last: tuple[float, str, str, int, str, float],
        out_labels: list[str],
        out_probs: list[float],
    ) -> None:
        """Append the labels of the steps in ``hist`` along the back-pointers of ``last``."""
        path = []
        h = last
        for j in range(len(hist) - 1, -1, -1):
            path.append(h)
            if j:
                h = hist[j - 1][h[3]]
        for h in reversed(path):
            out_labels.append(h[4])
            out_probs.append(1.0 if h[4] == "O" else h[5])

    def predict(self, text: str) -> list[NerSpan]:
        """Entity spans in ``text`` (character offsets, end exclusive)."""
        tokens, labels, probs = self.tag(text)
        spans: list[NerSpan] = []
        i = 0
        n = len(tokens)
        while i < n:
            lab = labels[i]
            if lab == "O":
                i += 1
                continue
            etype = lab[2:]
            j = i + 1
            while j < n and labels[j] == "I-" + etype:
                j += 1
            span = _trim(tokens, i, j)
            if span is not None and _has_word(tokens, *span):
                s, e = span
                score = sum(probs[s:e]) / (e - s)
                spans.append(NerSpan(etype, tokens[s][1], tokens[e - 1][2], score))
            i = j
        return spans


def _has_word(tokens: Sequence[tuple[str, int, int]], i: int, j: int) -> bool:
    """Whether tokens [i, j) hold a word: two or more letters and no digit.

    Every entity type has one; digit runs, symbols, single letters and letter/digit
    codes alone ("¹", "0A ˥", "4111 1111") are never a name, place, address,
    organisation, group or title, whatever the tagger says.
    """
    for t, _, _ in tokens[i:j]:
        if sum(c.isalpha() for c in t) >= 2 and not any(c.isdigit() for c in t):
            return True
    return False


def _trim(tokens: Sequence[tuple[str, int, int]], i: int, j: int) -> tuple[int, int] | None:
    """Token range [i, j) without edge punctuation; a "." stays after a short abbreviation."""
    while i < j and (
        tokens[i][0] in _EDGE_PUNCT or tokens[i][0] == "." or tokens[i][0].lower() in _EDGE_WORDS
    ):
        i += 1
    while j > i:
        last = tokens[j - 1][0]
        if last in _EDGE_PUNCT or last.lower() in _EDGE_WORDS:
            j -= 1
            continue
        if last == ".":
            prev = tokens[j - 2][0] if j - 2 >= i else ""
            glued = j - 2 >= i and tokens[j - 2][2] == tokens[j - 1][1]
            if glued and prev.isalpha() and len(prev) <= _ABBREV_MAX:
                break
            j -= 1
            continue
        break
    if i >= j:
        return None
    return i, j


_default: NerModel | None = None
_default_lock = threading.Lock()


def load_default_model() -> NerModel:
    """The shipped model, loaded once per process (thread-safe, lazy)."""
    global _default
    model = _default
    if model is None:
        with _default_lock:
            model = _default
            if model is None:
                model = NerModel.load()
                _default = model
    return model
