"""A trained intent classifier (Banking77) with calibrated confidence and out-of-scope escalation.

Two halves share one tokenizer:

* **Training** (:func:`train`) needs scikit-learn and numpy (the ``train`` extra). It fits
  TF-IDF features (word 1-2-grams + character 3-5-grams inside word boundaries, sublinear tf,
  each block L2-normalised) and a linear classifier (:data:`CLASSIFIERS`: multinomial
  logistic regression, a one-vs-rest linear SVM, or both with their scores standardised and
  summed, which is again one linear model), fits a softmax temperature on a validation
  split, learns an out-of-scope threshold on the calibrated maximum confidence, prunes tiny
  weights and exports everything to a gzip JSON artifact.
* **Inference** (:class:`IntentModel`) is pure Python: it re-implements the same feature
  extraction and the sparse linear scoring, so the core package needs neither numpy nor
  scikit-learn. The shipped artifact lives in ``trustdesk/models/banking77-intents/``.

The analyzers passed to scikit-learn at training time are :func:`word_features` and
:func:`char_features` from this module, so both sides tokenize identically.
"""

from __future__ import annotations

import bisect
import gzip
import json
import math
import random
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "ARTIFACT_NAME",
    "CLASSIFIERS",
    "FORMAT",
    "OUT_OF_SCOPE",
    "IntentModel",
    "IntentPrediction",
    "char_features",
    "evaluate",
    "normalize",
    "train",
    "word_features",
    "word_tokens",
]

FORMAT = "trustdesk-intents/1"
ARTIFACT_NAME = "model.json.gz"
OUT_OF_SCOPE = "out_of_scope"
_SHIPPED = ("models", "banking77-intents", ARTIFACT_NAME)

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (3, 5)
#: Linear classifiers :func:`train` can fit; all export to the same sparse linear artifact.
CLASSIFIERS = ("lr", "svm", "lr+svm")
#: The escalation threshold is at least this quantile of the calibrated confidence of the
#: correct in-scope validation predictions (see :func:`_fit_threshold`).
_FLOOR_QUANTILE = 0.01
#: ... but the floor itself is at most this (an answer more likely right than wrong is
#: not escalated by the floor; it matters with tiny or overfitted validation sets).
_FLOOR_CAP = 0.5


# --------------------------------------------------------------------------- tokenizer


def normalize(text: str) -> str:
    """NFKC, casefold, typographic apostrophes made plain."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)


def word_tokens(text: str) -> list[str]:
    """Alphanumeric words (internal apostrophes kept) of the normalised text."""
    return _TOKEN.findall(normalize(text))


def word_features(text: str) -> list[str]:
    """Word unigrams and bigrams (the scikit-learn ``analyzer`` of the word block)."""
    return _word_ngrams(word_tokens(text))


def char_features(text: str) -> list[str]:
    """Character 3-5-grams of each word padded with one space on each side."""
    return _char_ngrams(word_tokens(text))


def _word_ngrams(toks: list[str]) -> list[str]:
    out = list(toks)
    out.extend(f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False))
    return out


def _char_ngrams(toks: list[str]) -> list[str]:
    lo, hi = CHAR_NGRAMS
    out: list[str] = []
    for tok in toks:
        w = f" {tok} "
        size = len(w)
        for n in range(lo, hi + 1):
            if size < n:
                break
            out.extend(w[i : i + n] for i in range(size - n + 1))
    return out


# --------------------------------------------------------------------------- inference


class IntentPrediction(NamedTuple):
    """One classification.

    ``intent`` is ``None`` when the model is not confident enough (``escalate`` is then
    true), ``"out_of_scope"`` when a dedicated out-of-scope class won; ``top`` lists the
    best labels with their calibrated probabilities (they sum to at most 1).
    """

    intent: str | None
    confidence: float
    escalate: bool
    top: list[tuple[str, float]]


@dataclass(frozen=True, slots=True)
class _Block:
    """One TF-IDF block: feature -> (idf, class indices, weights)."""

    table: dict[str, tuple[float, tuple[int, ...], tuple[float, ...]]]

    def vector(self, feats: list[str]) -> dict[str, float]:
        table = self.table
        counts = Counter(f for f in feats if f in table)
        vec = {
            f: (1.0 + math.log(c)) * table[f][0] if c > 1 else table[f][0]
            for f, c in counts.items()
        }
        norm = math.sqrt(sum(v * v for v in vec.values()))
        if norm > 0.0:
            inv = 1.0 / norm
            return {f: v * inv for f, v in vec.items()}
        return vec


@dataclass(slots=True)
class IntentModel:
    """A sparse linear intent model scored in pure Python."""

    labels: list[str]
    bias: list[float]
    temperature: float
    threshold: float
    version: str
    word: _Block
    char: _Block
    metadata: dict[str, Any] = field(default_factory=dict)

    # ----------------------------------------------------------------- loading / saving

    @classmethod
    def load(cls, path: str | Path | None = None) -> IntentModel:
        """Load an artifact: a directory holding ``model.json.gz``, the file itself, or the
        shipped Banking77 model when *path* is ``None``."""
        if path is None:
            res = resources.files("trustdesk").joinpath(*_SHIPPED)
            return cls.from_dict(_decode(res.read_bytes()))
        p = Path(path)
        if p.is_dir():
            p = p / ARTIFACT_NAME
        return cls.from_dict(_decode(p.read_bytes()))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IntentModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} artifact (format={data.get('format')!r})")
        blocks: dict[str, _Block] = {}
        for name in ("word", "char"):
            b = data["features"][name]
            table: dict[str, tuple[float, tuple[int, ...], tuple[float, ...]]] = {}
            for feat, idf, cls_idx, ws in zip(
                b["vocab"], b["idf"], b["classes"], b["weights"], strict=True
            ):
                table[feat] = (float(idf), tuple(cls_idx), tuple(float(w) for w in ws))
            blocks[name] = _Block(table)
        return cls(
            labels=list(data["labels"]),
            bias=[float(x) for x in data["bias"]],
            temperature=float(data["temperature"]),
            threshold=float(data["threshold"]),
            version=str(data["version"]),
            word=blocks["word"],
            char=blocks["char"],
            metadata=dict(data.get("metadata", {})),
        )

    def to_dict(self) -> dict[str, Any]:
        features: dict[str, Any] = {}
        for name, block in (("word", self.word), ("char", self.char)):
            feats = sorted(block.table)
            features[name] = {
                "vocab": feats,
                "idf": [block.table[f][0] for f in feats],
                "classes": [list(block.table[f][1]) for f in feats],
                "weights": [list(block.table[f][2]) for f in feats],
            }
        return {
            "format": FORMAT,
            "version": self.version,
            "labels": self.labels,
            "bias": self.bias,
            "temperature": self.temperature,
            "threshold": self.threshold,
            "analyzer": {
                "normalize": "NFKC+casefold+plain apostrophes",
                "token": _TOKEN.pattern,
                "word_ngrams": list(WORD_NGRAMS),
                "char_ngrams": list(CHAR_NGRAMS),
                "tf": "1+ln(count)",
                "norm": "l2 per block",
            },
            "features": features,
            "metadata": self.metadata,
        }

    def save(self, directory: str | Path) -> Path:
        """Write ``model.json.gz`` into *directory* (created if needed); return its path."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        out = d / ARTIFACT_NAME
        raw = json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))
        out.write_bytes(gzip.compress(raw.encode("utf-8"), compresslevel=9, mtime=0))
        return out

    # ----------------------------------------------------------------------- scoring

    def scores(self, text: str) -> list[float]:
        """Raw linear scores (logits before temperature), one per label."""
        s = list(self.bias)
        toks = word_tokens(text)
        for block, feats in ((self.word, _word_ngrams(toks)), (self.char, _char_ngrams(toks))):
            table = block.table
            for f, v in block.vector(feats).items():
                for c, w in zip(*table[f][1:], strict=True):
                    s[c] += v * w
        return s

    def probabilities(self, text: str) -> list[float]:
        """Calibrated class probabilities (softmax of scores / temperature)."""
        return _softmax(self.scores(text), self.temperature)

    def classify(self, text: str, *, top_k: int = 3) -> IntentPrediction:
        probs = self.probabilities(text)
        order = sorted(range(len(probs)), key=lambda i: -probs[i])
        best = order[0]
        conf = probs[best]
        label = self.labels[best]
        top = [(self.labels[i], probs[i]) for i in order[: max(1, top_k)]]
        if label == OUT_OF_SCOPE:
            return IntentPrediction(OUT_OF_SCOPE, conf, True, top)
        if conf < self.threshold:
            return IntentPrediction(None, conf, True, top)
        return IntentPrediction(label, conf, False, top)


def _decode(raw: bytes) -> dict[str, Any]:
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("intent model artifact is not a JSON object")
    return data


def _softmax(scores: Sequence[float], temperature: float) -> list[float]:
    z = [x / temperature for x in scores]
    m = max(z)
    e = [math.exp(x - m) for x in z]
    total = sum(e)
    return [x / total for x in e]


# --------------------------------------------------------------------------- evaluation


def evaluate(model: IntentModel, records: Iterable[Mapping[str, str]]) -> dict[str, float]:
    """Metrics on labelled records (``intent == "out_of_scope"`` marks out-of-scope ones).

    * ``accuracy``, ``macro_f1``: argmax prediction on in-scope records (threshold ignored);
    * ``ece``: expected calibration error of the max probability on in-scope records
      (15 equal-width bins);
    * ``in_scope_escalation_rate``: in-scope records escalated;
    * ``oos_recall``: out-of-scope records escalated (below threshold or out_of_scope class);
    * ``oos_precision``: escalated records that are out of scope (only when both kinds exist).
    """
    y_true: list[str] = []
    y_pred: list[str] = []
    confs: list[float] = []
    esc_in = 0
    n_oos = esc_oos = 0
    for r in records:
        pred = model.classify(r["text"], top_k=1)
        if r["intent"] == OUT_OF_SCOPE:
            n_oos += 1
            esc_oos += pred.escalate
            continue
        y_true.append(r["intent"])
        y_pred.append(pred.top[0][0])
        confs.append(pred.confidence)
        esc_in += pred.escalate
    out: dict[str, float] = {"n_in_scope": float(len(y_true)), "n_oos": float(n_oos)}
    if y_true:
        correct = [t == p for t, p in zip(y_true, y_pred, strict=True)]
        out["accuracy"] = sum(correct) / len(correct)
        out["macro_f1"] = _macro_f1(y_true, y_pred)
        out["ece"] = _ece(confs, correct)
        out["in_scope_escalation_rate"] = esc_in / len(y_true)
    if n_oos:
        out["oos_recall"] = esc_oos / n_oos
        if y_true:
            flagged = esc_oos + esc_in
            out["oos_precision"] = esc_oos / flagged if flagged else 0.0
    return out


def _macro_f1(y_true: Sequence[str], y_pred: Sequence[str]) -> float:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for t, p in zip(y_true, y_pred, strict=True):
        if t == p:
            tp[t] += 1
        else:
            fp[p] += 1
            fn[t] += 1
    f1s = []
    for label in set(y_true):
        denom = 2 * tp[label] + fp[label] + fn[label]
        f1s.append(2 * tp[label] / denom if denom else 0.0)
    return sum(f1s) / len(f1s)


def _ece(confs: Sequence[float], correct: Sequence[bool], bins: int = 15) -> float:
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for c, ok in zip(confs, correct, strict=True):
        b = min(int(c * bins), bins - 1)
        sums[b][0] += 1
        sums[b][1] += c
        sums[b][2] += float(ok)
    n = len(confs)
    return sum(abs(s[1] - s[2]) for s in sums.values()) / n if n else 0.0


# --------------------------------------------------------------------------- training


def stratified_split(
    records: Sequence[Mapping[str, str]], fraction: float, seed: int
) -> tuple[list[Mapping[str, str]], list[Mapping[str, str]]]:
    """Split records into (train, validation), *fraction* of each intent held out."""
    by_label: dict[str, list[Mapping[str, str]]] = defaultdict(list)
    for r in records:
        by_label[r["intent"]].append(r)
    rng = random.Random(seed)
    train_part: list[Mapping[str, str]] = []
    val_part: list[Mapping[str, str]] = []
    for label in sorted(by_label):
        items = list(by_label[label])
        rng.shuffle(items)
        k = round(len(items) * fraction) if len(items) > 1 else 0
        val_part.extend(items[:k])
        train_part.extend(items[k:])
    return train_part, val_part


def _require_sklearn() -> None:
    try:
        import sklearn  # type: ignore[import-untyped]  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "training an intent model needs scikit-learn and numpy: "
            "install the 'train' extra (pip install 'trustdesk[train]')"
        ) from exc


def train(
    records: Iterable[Mapping[str, str]],
    *,
    val_records: Iterable[Mapping[str, str]] | None = None,
    seed: int = 0,
    c: float = 10.0,
    keep: float = 0.15,
    min_df: int = 2,
    version: str | None = None,
    classifier: str = "lr",
) -> IntentModel:
    """Fit an :class:`IntentModel` (needs scikit-learn; see the ``train`` extra).

    *records* and *val_records* are mappings with ``text`` and ``intent``; ``intent ==
    "out_of_scope"`` in *records* creates a dedicated out-of-scope class, in *val_records*
    it is used to tune the escalation threshold. Without *val_records* a stratified 10 %
    of *records* is held out (seeded). *c* is the inverse L2 regularisation; *keep* the
    fraction of the largest-magnitude weights kept in the artifact (1.0 = no pruning).
    *classifier* is one of :data:`CLASSIFIERS`: ``"lr"`` (multinomial logistic regression,
    inverse regularisation *c*), ``"svm"`` (one-vs-rest linear SVM, ``C = c / 10``) or
    ``"lr+svm"`` (both, each score standardised by its standard deviation on the training
    rows, summed).
    """
    model, _ = _fit(
        list(records),
        None if val_records is None else list(val_records),
        seed=seed,
        c=c,
        keep=keep,
        min_df=min_df,
        version=version,
        classifier=classifier,
    )
    return model


def _fit(
    records: list[Mapping[str, str]],
    val_records: list[Mapping[str, str]] | None,
    *,
    seed: int,
    c: float,
    keep: float,
    min_df: int,
    version: str | None,
    classifier: str = "lr",
) -> tuple[IntentModel, dict[str, Any]]:
    """Fit and export; also return the scikit-learn objects (for tests and diagnostics)."""
    _require_sklearn()
    import numpy as np
    from scipy.sparse import hstack  # type: ignore[import-untyped]
    from sklearn.feature_extraction.text import (  # type: ignore[import-untyped]
        TfidfVectorizer,
    )

    if classifier not in CLASSIFIERS:
        raise ValueError(f"classifier must be one of {', '.join(CLASSIFIERS)}")
    for r in records:
        if not r.get("text") or not r.get("intent"):
            raise ValueError("every training record needs a non-empty 'text' and 'intent'")
    if val_records is None:
        records, val_records = stratified_split(records, 0.1, seed)
    labels = sorted({r["intent"] for r in records})
    if len(labels) < 2:
        raise ValueError("training needs at least two intents")
    index = {lab: i for i, lab in enumerate(labels)}
    texts = [r["text"] for r in records]
    y = np.array([index[r["intent"]] for r in records])

    n = len(texts)
    df = min_df if n >= 50 else 1
    vw = TfidfVectorizer(analyzer=word_features, sublinear_tf=True, min_df=df, dtype=np.float64)
    vc = TfidfVectorizer(analyzer=char_features, sublinear_tf=True, min_df=df, dtype=np.float64)
    x = hstack([vw.fit_transform(texts), vc.fit_transform(texts)]).tocsr()
    coef, bias, fitted = _fit_linear(x, y, len(labels), classifier=classifier, c=c, seed=seed)
    clf = fitted[0]

    # Prune: keep the largest |w| (a fraction *keep* of all weights), round to 5 digits.
    if keep < 1.0:
        cutoff = float(np.quantile(np.abs(coef), 1.0 - keep))
        coef = np.where(np.abs(coef) >= cutoff, coef, 0.0)
    nw = len(vw.vocabulary_)
    blocks: list[_Block] = []
    for vec, lo, hi in ((vw, 0, nw), (vc, nw, coef.shape[1])):
        table: dict[str, tuple[float, tuple[int, ...], tuple[float, ...]]] = {}
        idf = vec.idf_
        for feat, j in vec.vocabulary_.items():
            col = coef[:, lo + j]
            nz = np.nonzero(col)[0]
            table[feat] = (
                round(float(idf[j]), 6),
                tuple(int(k) for k in nz),
                tuple(float(f"{col[k]:.5g}") for k in nz),
            )
        blocks.append(_Block(table))
        del hi
    model = IntentModel(
        labels=labels,
        bias=[round(float(b), 6) for b in bias],
        temperature=1.0,
        threshold=0.0,
        version=version or f"tfidf-{classifier.replace('+', '-')}-{len(labels)}c-seed{seed}",
        word=blocks[0],
        char=blocks[1],
    )

    # Calibrate on validation: temperature on in-scope (known-label) records, then threshold.
    known = [r for r in val_records if r["intent"] in index]
    val_scores = [model.scores(r["text"]) for r in known]
    val_y = [index[r["intent"]] for r in known]
    model.temperature = _fit_temperature(val_scores, val_y)
    model.threshold = _fit_threshold(model, val_records, index)
    model.metadata = {
        "classifier": _describe(classifier, c),
        "min_df": df,
        "keep": keep,
        "seed": seed,
        "n_train": n,
        "n_val": len(val_records),
        "n_features": {"word": len(model.word.table), "char": len(model.char.table)},
    }
    return model, {"word": vw, "char": vc, "clf": clf, "fitted": fitted}


def _describe(classifier: str, c: float) -> str:
    parts = {
        "lr": f"LogisticRegression(C={c}, lbfgs, multinomial)",
        "svm": f"LinearSVC(C={c / 10:g}, squared hinge, one-vs-rest)",
    }
    if classifier == "lr+svm":
        return f"{parts['lr']} + {parts['svm']}, scores standardised and summed"
    return parts[classifier]


def _fit_linear(
    x: Any, y: Any, n_labels: int, *, classifier: str, c: float, seed: int
) -> tuple[Any, Any, list[Any]]:
    """Fit the linear model(s); return one (coef, bias) pair of shape (labels, features)."""
    import warnings

    import numpy as np
    from sklearn.exceptions import ConvergenceWarning  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.svm import LinearSVC  # type: ignore[import-untyped]

    fitted: list[Any] = []
    if classifier in ("lr", "lr+svm"):
        fitted.append(LogisticRegression(C=c, max_iter=300, random_state=seed).fit(x, y))
    if classifier in ("svm", "lr+svm"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            fitted.append(LinearSVC(C=c / 10, max_iter=5000, random_state=seed).fit(x, y))
    coef = np.zeros((n_labels, x.shape[1]))
    bias = np.zeros(n_labels)
    for clf in fitted:
        w, b = clf.coef_, clf.intercept_
        if n_labels == 2:  # binary models score class 1 only: split it symmetrically
            w = np.vstack([-w[0] / 2, w[0] / 2])
            b = np.array([-b[0] / 2, b[0] / 2])
        scale = 1.0
        if len(fitted) > 1:  # standardise each model's scores before summing them
            scale = 1.0 / max(float(np.std(x @ w.T + b)), 1e-9)
        coef += w * scale
        bias += b * scale
    return coef, bias, fitted


def _fit_temperature(scores: Sequence[Sequence[float]], y: Sequence[int]) -> float:
    """Temperature minimising the validation negative log-likelihood (golden section on ln T)."""
    if not scores:
        return 1.0

    def nll(log_t: float) -> float:
        t = math.exp(log_t)
        total = 0.0
        for s, k in zip(scores, y, strict=True):
            z = [v / t for v in s]
            m = max(z)
            total += m + math.log(sum(math.exp(v - m) for v in z)) - z[k]
        return total

    lo, hi = math.log(0.05), math.log(20.0)
    g = (math.sqrt(5) - 1) / 2
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    fa, fb = nll(a), nll(b)
    for _ in range(40):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - g * (hi - lo)
            fa = nll(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + g * (hi - lo)
            fb = nll(b)
    return round(math.exp((lo + hi) / 2), 6)


def _fit_threshold(
    model: IntentModel, val_records: Sequence[Mapping[str, str]], index: Mapping[str, int]
) -> float:
    """Escalation threshold on the calibrated max probability.

    With out-of-scope validation records: the threshold that maximises Youden's J = OOS
    recall + in-scope acceptance - 1, where a record is escalated when its confidence is
    below the threshold or (with an out-of-scope class) that class wins; ties go to the
    lowest threshold. It is never below the :data:`_FLOOR_QUANTILE` quantile of the
    confidence of correct in-scope validation predictions (capped at :data:`_FLOOR_CAP`):
    when an out-of-scope class already catches every validation OOS record, J alone would
    pick 0 and nothing would escalate for low confidence, leaving no guard against kinds
    of OOS the class never saw.
    Otherwise (no OOS records): the 5th percentile of that confidence.
    """
    oos_idx = index.get(OUT_OF_SCOPE, -1)
    in_conf: list[float] = []
    ok_conf: list[float] = []
    oos_conf: list[float] = []
    for r in val_records:
        probs = model.probabilities(r["text"])
        best = max(range(len(probs)), key=probs.__getitem__)
        # an out-of-scope class win escalates at any threshold: -inf is below every t
        conf = -math.inf if best == oos_idx else probs[best]
        if r["intent"] in index and r["intent"] != OUT_OF_SCOPE:
            in_conf.append(conf)
            if best == index[r["intent"]]:
                ok_conf.append(conf)
        elif r["intent"] == OUT_OF_SCOPE:
            oos_conf.append(conf)
    ok_conf.sort()
    if oos_conf and in_conf:
        in_conf.sort()
        oos_conf.sort()
        best_t, best_j = 0.0, -2.0
        for t in sorted({x for x in in_conf + oos_conf if math.isfinite(x)} | {0.0}):
            rec = bisect.bisect_left(oos_conf, t) / len(oos_conf)  # escalated: conf < t
            acc = 1.0 - bisect.bisect_left(in_conf, t) / len(in_conf)  # kept: conf >= t
            if rec + acc - 1 > best_j:
                best_t, best_j = t, rec + acc - 1
        if ok_conf:
            floor = min(ok_conf[int(_FLOOR_QUANTILE * (len(ok_conf) - 1))], _FLOOR_CAP)
            best_t = max(best_t, floor)
        return round(best_t, 6)
    if ok_conf:
        return round(ok_conf[int(0.05 * (len(ok_conf) - 1))], 6)
    return 0.0
