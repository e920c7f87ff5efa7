"""The prompt-injection classifier of the ingress guard, scored in pure Python.

A binary logistic regression over two TF-IDF blocks, trained by
``scripts/train_injection.py`` (scikit-learn, numpy: the ``train`` extra) and shipped as a
gzip JSON artifact in ``trustdesk/models/prompt-injection/``. Inference needs neither
numpy nor scikit-learn:

* the text is folded by :func:`~trustdesk.guard.normalize.normalize_text` (NFKC,
  invisible characters, look-alike letters, letter spacing, leetspeak, casefold);
* words are runs of letters and digits (:func:`word_tokens`); the word block holds word
  unigrams and bigrams, the char block the character 3-5-grams of each space-padded word
  (:func:`word_features`, :func:`char_features`: the analyzers used at training time);
* each block is a TF-IDF vector (sublinear tf ``1 + ln(count)``, the idf learned at
  training, L2-normalised over the block's vocabulary), the logit is ``bias + Σ w·x``;
* the probability is ``sigmoid(logit)``; the artifact carries the review and block
  thresholds on that probability, chosen on validation data.

The char n-grams of a word are looked up once and cached (bounded), so a message costs
about one dictionary lookup per word plus one per word bigram.
"""

from __future__ import annotations

import gzip
import heapq
import json
import math
import re
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from itertools import chain
from operator import mul
from pathlib import Path
from typing import Any, NamedTuple, cast

from trustdesk.guard.normalize import normalize_text

__all__ = [
    "ARTIFACT_NAME",
    "FORMAT",
    "MAX_MODEL_CHARS",
    "InjectionModel",
    "InjectionScore",
    "ScoredText",
    "char_features",
    "word_features",
    "word_tokens",
]

FORMAT = "trustdesk-injection/1"
ARTIFACT_NAME = "model.json.gz"
_SHIPPED = ("models", "prompt-injection", ARTIFACT_NAME)

#: Longer (normalized) texts are scored on their first 2/3 and last 1/3 of this many
#: characters (682 + 342): the cost of a message stays bounded whatever its length
#: (v5: 1,024, was 1,536, for the 2 ms p99 latency target on long jailbreaks).
MAX_MODEL_CHARS = 1024
_CACHE_LIMIT = 50_000

_TOKEN = re.compile(r"[^\W_]+")
#: Sublinear term frequency ``1 + ln(count)`` for small counts (a table lookup).
_TF: tuple[float, ...] = (0.0, *(1.0 + math.log(c) for c in range(1, 256)))
CHAR_NGRAMS = (3, 5)


def word_tokens(normalized: str) -> list[str]:
    """Words (runs of letters and digits) of an already normalized text."""
    return _TOKEN.findall(normalized)


def _word_ngrams(toks: list[str]) -> list[str]:
    out = list(toks)
    out.extend([f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False)])
    return out


def _word_char_ngrams(tok: str) -> list[str]:
    lo, hi = CHAR_NGRAMS
    w = f" {tok} "
    size = len(w)
    return [w[i : i + n] for n in range(lo, min(hi, size) + 1) for i in range(size - n + 1)]


def word_features(text: str) -> list[str]:
    """Word unigrams and bigrams of ``text`` (normalized first): the word block's analyzer."""
    return _word_ngrams(word_tokens(_clip(normalize_text(text))))


def char_features(text: str) -> list[str]:
    """Char 3-5-grams of each space-padded word (normalized first): the char block's analyzer."""
    out: list[str] = []
    for tok in word_tokens(_clip(normalize_text(text))):
        out.extend(_word_char_ngrams(tok))
    return out


def _clip(normalized: str) -> str:
    if len(normalized) <= MAX_MODEL_CHARS:
        return normalized
    head = MAX_MODEL_CHARS * 2 // 3
    return normalized[:head] + " \n " + normalized[-(MAX_MODEL_CHARS - head) :]


class InjectionScore(NamedTuple):
    """One scored text: probability of an attack, the logit, the top contributing n-grams."""

    probability: float
    logit: float
    top_features: tuple[tuple[str, float], ...]


@dataclass(slots=True)
class _Block:
    """One TF-IDF block: feature -> idf and feature -> weight (non-zero weights only)."""

    idf: dict[str, float]
    weight: dict[str, float]
    # feature -> idf * weight, for the features with a positive weight (explanations).
    _positive: dict[str, float] = field(default_factory=dict, repr=False)
    # feature -> idf * weight and feature -> idf ** 2 (scoring).
    _iw: dict[str, float] = field(default_factory=dict, repr=False)
    _idf2: dict[str, float] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        weight = self.weight
        self._iw = {f: i * weight.get(f, 0.0) for f, i in self.idf.items()}
        self._idf2 = {f: i * i for f, i in self.idf.items()}
        self._positive = {f: iw for f, iw in self._iw.items() if iw > 0.0}

    def dot(self, counts: Mapping[str, int]) -> tuple[float, float]:
        """``(Σ x·w, Σ x²)`` of the un-normalised TF-IDF vector of ``counts``."""
        # Built-in map/sum loops (no Python-level loop body per feature): most of the
        # time of a long message is here.
        iws = list(map(self._iw.__getitem__, counts))
        idf2 = list(map(self._idf2.__getitem__, counts))
        top = max(counts.values())
        if top == 1:
            return sum(iws), sum(idf2)
        if top < len(_TF):
            tfs = list(map(_TF.__getitem__, counts.values()))
        else:
            log = math.log
            tfs = [1.0 + log(c) for c in counts.values()]
        return sum(map(mul, iws, tfs)), sum(map(mul, idf2, map(mul, tfs, tfs)))


@dataclass(slots=True)
class InjectionModel:
    """A binary TF-IDF + logistic regression prompt-injection model (pure Python).

    Thread-safe: the only mutable state is the per-word n-gram cache, guarded by a lock
    on writes (reads of a dict are atomic in CPython).
    """

    bias: float
    word: _Block
    char: _Block
    review_threshold: float
    block_threshold: float
    version: str
    metadata: dict[str, Any] = field(default_factory=dict)
    #: Agreement gating: the probability at which the classifier alone (no rule fired)
    #: may block; ``None`` means ``block_threshold`` (v2 artifacts).
    solo_block_threshold: float | None = None
    _cache: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # ------------------------------------------------------------------ loading / saving

    @classmethod
    def load(cls, path: str | Path | None = None) -> InjectionModel:
        """Load an artifact: a directory holding ``model.json.gz``, the file itself, or the
        shipped model when ``path`` is ``None``."""
        if path is None:
            res = resources.files("trustdesk").joinpath(*_SHIPPED)
            return cls.from_dict(_decode(res.read_bytes()))
        p = Path(path)
        if p.is_dir():
            p = p / ARTIFACT_NAME
        return cls.from_dict(_decode(p.read_bytes()))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> InjectionModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} artifact (format={data.get('format')!r})")
        blocks: dict[str, _Block] = {}
        for name in ("word", "char"):
            b = data["features"][name]
            idf: dict[str, float] = {}
            weight: dict[str, float] = {}
            for feat, i, w in zip(b["vocab"], b["idf"], b["weight"], strict=True):
                idf[feat] = float(i)
                if w:
                    weight[feat] = float(w)
            blocks[name] = _Block(idf, weight)
        thresholds = data["thresholds"]
        return cls(
            bias=float(data["bias"]),
            word=blocks["word"],
            char=blocks["char"],
            review_threshold=float(thresholds["review"]),
            block_threshold=float(thresholds["block"]),
            version=str(data["version"]),
            metadata=dict(data.get("metadata", {})),
            solo_block_threshold=(
                float(thresholds["solo_block"]) if "solo_block" in thresholds else None
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        features: dict[str, Any] = {}
        for name, block in (("word", self.word), ("char", self.char)):
            feats = sorted(block.idf)
            features[name] = {
                "vocab": feats,
                "idf": [block.idf[f] for f in feats],
                "weight": [block.weight.get(f, 0.0) for f in feats],
            }
        return {
            "format": FORMAT,
            "version": self.version,
            "bias": self.bias,
            "thresholds": {
                "review": self.review_threshold,
                "block": self.block_threshold,
                **(
                    {"solo_block": self.solo_block_threshold}
                    if self.solo_block_threshold is not None
                    else {}
                ),
            },
            "analyzer": {
                "normalize": "trustdesk.guard.normalize.normalize_text",
                "token": _TOKEN.pattern,
                "word_ngrams": [1, 2],
                "char_ngrams": list(CHAR_NGRAMS),
                "max_chars": MAX_MODEL_CHARS,
                "tf": "1+ln(count)",
                "norm": "l2 per block",
            },
            "features": features,
            "metadata": self.metadata,
        }

    def save(self, directory: str | Path) -> Path:
        """Write ``model.json.gz`` into ``directory`` (created if needed); return its path."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        out = d / ARTIFACT_NAME
        raw = json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))
        out.write_bytes(gzip.compress(raw.encode("utf-8"), compresslevel=9, mtime=0))
        return out

    # ---------------------------------------------------------------------- scoring

    def _char_grams(self, tok: str) -> tuple[str, ...]:
        """The in-vocabulary char n-grams of one word (with repeats), cached."""
        grams = self._cache.get(tok)
        if grams is None:
            idf = self.char.idf
            grams = tuple(g for g in _word_char_ngrams(tok) if g in idf)
            with self._lock:
                if len(self._cache) >= _CACHE_LIMIT:
                    self._cache.clear()
                self._cache[tok] = grams
        return grams

    def _counts(self, normalized: str) -> tuple[Counter[str], Counter[str]]:
        toks = word_tokens(_clip(normalized))
        widf = self.word.idf
        words: Counter[str] = Counter([t for t in toks if t in widf])
        words.update([b for b in map(" ".join, zip(toks, toks[1:], strict=False)) if b in widf])
        # One C-level lookup per word; only words not seen before go through _char_grams.
        found = list(map(self._cache.get, toks))
        if None in found:
            char_grams = self._char_grams
            grams = [
                g if g is not None else char_grams(t) for g, t in zip(found, toks, strict=True)
            ]
        else:
            grams = cast("list[tuple[str, ...]]", found)
        return words, Counter(chain.from_iterable(grams))

    def logit_normalized(self, normalized: str) -> float:
        """The logit of a text already folded by :func:`normalize_text`."""
        logit, _ = self._score(normalized)
        return logit

    def _score(self, normalized: str) -> tuple[float, list[tuple[_Block, Counter[str], float]]]:
        words, chars = self._counts(normalized)
        logit = self.bias
        parts: list[tuple[_Block, Counter[str], float]] = []
        for block, counts in ((self.word, words), (self.char, chars)):
            if counts:
                dot, sq = block.dot(counts)
                if sq > 0.0:
                    inv = 1.0 / math.sqrt(sq)
                    logit += dot * inv
                    parts.append((block, counts, inv))
        return logit, parts

    def probability_normalized(self, normalized: str) -> float:
        return _sigmoid(self.logit_normalized(normalized))

    def probability(self, text: str) -> float:
        """Probability that ``text`` is a prompt-injection or jailbreak attempt."""
        return self.probability_normalized(normalize_text(text))

    def explain_normalized(self, normalized: str, *, top: int = 3) -> InjectionScore:
        """The score with the ``top`` n-grams that pushed it up most (vocabulary entries,
        never a span of the text that is not in the vocabulary)."""
        return self.scored(normalized).explain(top)

    def scored(self, normalized: str) -> ScoredText:
        """The score of a normalized text, kept so that it can be explained without rescoring."""
        logit, parts = self._score(normalized)
        return ScoredText(_sigmoid(logit), logit, parts)


@dataclass(frozen=True, slots=True)
class ScoredText:
    """A scored text: its probability and logit, and what :meth:`explain` needs."""

    probability: float
    logit: float
    _parts: list[tuple[_Block, Counter[str], float]]

    def explain(self, top: int = 3) -> InjectionScore:
        """The ``top`` n-grams that pushed the score up most: word unigrams and bigrams
        (readable in a reason); character n-grams only when fewer than ``top`` words did
        (v5: a long message is explained without ranking its thousand char n-grams)."""
        contrib: list[tuple[float, str]] = []
        log = math.log
        for block, counts, inv in self._parts:
            if len(contrib) >= top:
                break
            positive = block._positive
            # Only the features with a positive weight can push the score up.
            contrib += [
                ((positive[f] * (1.0 + log(c)) if (c := counts[f]) > 1 else positive[f]) * inv, f)
                for f in counts.keys() & positive.keys()
            ]
        best = tuple((f.strip(), round(c, 4)) for c, f in heapq.nlargest(top, contrib))
        return InjectionScore(self.probability, self.logit, best)


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _decode(raw: bytes) -> dict[str, Any]:
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("injection model artifact is not a JSON object")
    return data
