"""The layered ingress guard: normalization, payload decoding, rules and a classifier.

Layers, for one message:

1. **Normalization** (:mod:`trustdesk.guard.normalize`): NFKC, invisible and bidi
   characters dropped, look-alike letters folded, letter spacing joined, leetspeak
   folded, casefold. Computed once and shared by the rules and the classifier.
2. **Payload decoding** (:mod:`trustdesk.guard.decode`): base64, hex, URL-encoding and
   HTML entities found in the message are decoded (two layers deep at most, bounded) and
   every decoded text goes through the rules and the classifier like the message itself;
   the rules are also matched against the rot13 of the message.
3. **Rules** (:class:`~trustdesk.guard.ingress.RuleIngressGuard`): the YAML patterns, with
   the same score (top rule + category bonus) and reasons as the rule guard alone.
4. **Classifier** (:class:`~trustdesk.guard.model.InjectionModel`): a TF-IDF + logistic
   regression model whose probability ``p`` is mapped onto the guard's score scale so
   that the model's own review threshold lands on the guard's ``review_threshold`` and
   its block threshold on ``block_threshold`` (linear in between).

The score is the higher of the rule score and the model score. **Agreement gating**
(``gate=True``, the default): when no rule fired, the classifier alone may only ask for
``review``; it blocks only when its probability reaches the model's
``solo_block_threshold`` (chosen on validation, above its ordinary block threshold), so
a block needs a rule or a very confident classifier. Reasons name the rules
that fired (and in which decoded payload), and for the classifier its probability, its
threshold and the n-grams of its vocabulary that pushed the score up most: never a
quote of the message.

**Untrusted sources.** ``check(text, source=...)`` takes where a text comes from:
``"customer"`` (the default, what the pipeline sends) or ``"tool"``, ``"document"``,
``"knowledge"`` for text the agent reads from tools, uploaded documents or the knowledge
base. Such text is judged with the stricter ``untrusted_review_threshold`` and
``untrusted_block_threshold``, and long texts are scored by the classifier window by
window (an injection buried in a long document is not diluted by the text around it).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Literal, get_args

from trustdesk.errors import ConfigError
from trustdesk.guard.decode import decoded_views, rot13
from trustdesk.guard.ingress import RuleIngressGuard, rule_views
from trustdesk.guard.model import MAX_MODEL_CHARS, InjectionModel, ScoredText
from trustdesk.guard.normalize import normalize_text
from trustdesk.guard.rules import Rule
from trustdesk.types import GuardResult, Reason, Verdict

__all__ = [
    "MAX_CUSTOMER_CHARS",
    "SOURCES",
    "UNTRUSTED_SOURCES",
    "LayeredIngressGuard",
    "Source",
    "default_injection_model",
]

Source = Literal["customer", "tool", "document", "knowledge"]
SOURCES: tuple[str, ...] = get_args(Source)
UNTRUSTED_SOURCES: frozenset[str] = frozenset({"tool", "document", "knowledge"})

#: Texts longer than this are cut before rot13 and payload decoding (rules and the
#: classifier still see the whole normalized message).
_MAX_DECODE_INPUT = 16_384
#: Customer messages longer than this are judged on their first 2/3 and last 1/3 of this
#: many characters (682 + 342; normalization, decoding, rules and the classifier, which
#: reads the same span): the work per message is bounded. Untrusted text (tools,
#: documents, knowledge) is always read whole.
MAX_CUSTOMER_CHARS = MAX_MODEL_CHARS
#: Only messages up to this long are also matched in rot13 (encoded attacks are short).
_MAX_ROT13_INPUT = 1024
#: Untrusted long texts: the classifier scores at most this many windows.
_MAX_WINDOWS = 16


@lru_cache(maxsize=1)
def default_injection_model() -> InjectionModel:
    """The shipped prompt-injection model, loaded once per process."""
    return InjectionModel.load()


def _validate(review: float, block: float, what: str) -> None:
    if not 0.0 <= review <= 1.0 or not 0.0 <= block <= 1.0:
        raise ConfigError(f"{what} thresholds must lie in [0, 1]")
    if review > block:
        raise ConfigError(f"{what} review threshold must not exceed its block threshold")


class LayeredIngressGuard:
    """Rules + decoded payloads + classifier; a drop-in for :class:`RuleIngressGuard`.

    ``model=None`` uses the shipped model; ``use_model=False`` runs the rules (and the
    decoding) only. Thread-safe: share one instance.
    """

    name = "ingress_guard"

    def __init__(
        self,
        rules: Sequence[Rule] | None = None,
        *,
        model: InjectionModel | None = None,
        use_model: bool = True,
        review_threshold: float = 0.5,
        block_threshold: float = 0.85,
        untrusted_review_threshold: float = 0.35,
        untrusted_block_threshold: float = 0.7,
        decode: bool = True,
        gate: bool = True,
    ) -> None:
        _validate(review_threshold, block_threshold, "ingress guard")
        _validate(untrusted_review_threshold, untrusted_block_threshold, "untrusted-source")
        self.rules = RuleIngressGuard(
            rules, review_threshold=review_threshold, block_threshold=block_threshold
        )
        self.model: InjectionModel | None = (
            (model if model is not None else default_injection_model()) if use_model else None
        )
        self.review_threshold = review_threshold
        self.block_threshold = block_threshold
        self.untrusted_review_threshold = untrusted_review_threshold
        self.untrusted_block_threshold = untrusted_block_threshold
        self.decode = decode
        self.gate = gate

    # ------------------------------------------------------------------ classifier

    def model_score(self, p: float) -> float:
        """The guard score of a model probability (piecewise linear, see module doc)."""
        m = self.model
        if m is None:
            return 0.0
        r, b = m.review_threshold, m.block_threshold
        gr, gb = self.review_threshold, self.block_threshold
        if p < r:
            s = gr * p / r if r > 0 else gr
        elif p < b:
            s = gr + (gb - gr) * (p - r) / (b - r)
        else:
            s = gb + (1.0 - gb) * ((p - b) / (1.0 - b) if b < 1.0 else 1.0)
        return round(min(1.0, max(0.0, s)), 6)

    def _windows(self, normalized: str, untrusted: bool) -> list[str]:
        if not untrusted or len(normalized) <= MAX_MODEL_CHARS:
            return [normalized]
        step = MAX_MODEL_CHARS // 2
        starts = range(0, len(normalized) - step, step)
        picked = list(starts)
        if len(picked) > _MAX_WINDOWS:  # spread the windows over the whole text
            stride = len(picked) / _MAX_WINDOWS
            picked = [picked[int(i * stride)] for i in range(_MAX_WINDOWS)]
        return [normalized[s : s + MAX_MODEL_CHARS] for s in picked]

    # ---------------------------------------------------------------------- check

    def check(self, text: str, source: Source = "customer") -> GuardResult:
        """Judge ``text`` coming from ``source`` (see the module docstring)."""
        if source not in SOURCES:
            raise ConfigError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
        untrusted = source in UNTRUSTED_SOURCES
        if not untrusted and len(text) > MAX_CUSTOMER_CHARS:
            cut = MAX_CUSTOMER_CHARS * 2 // 3
            text = text[:cut] + "\n" + text[-(MAX_CUSTOMER_CHARS - cut) :]
        normalized = normalize_text(text)
        views: list[tuple[str, str, str]] = [("", text, normalized)]  # (where, raw, normalized)
        head = text[:_MAX_DECODE_INPUT]
        if self.decode:
            views += [
                (f"decoded {v.kind} payload", v.text, normalize_text(v.text))
                for v in decoded_views(head)
            ]
        # Rules: every view; the rot13 of the message on top (rules only).
        fired: dict[str, tuple[Rule, str]] = {}
        rule_inputs = [(where, rule_views(raw, norm)) for where, raw, norm in views]
        if self.decode and len(text) <= _MAX_ROT13_INPUT and text.isascii():
            r13 = rot13(head.casefold())
            rule_inputs.append(("rot13 of the message", rule_views(r13, normalize_text(r13))))
        for where, rviews in rule_inputs:
            for rule in self.rules.fired_in(rviews):
                fired.setdefault(rule.id, (rule, where))
        base = self.rules.result([rule for rule, _ in fired.values()])
        reasons = [self._annotate(r, fired) for r in base.reasons]
        score = base.score

        # Classifier: the message (window by window when untrusted and long) and payloads.
        model = self.model
        if model is not None:
            best: ScoredText | None = None
            best_where = ""
            for where, _, norm in views:
                for window in self._windows(norm, untrusted) if not where else [norm]:
                    scored = model.scored(window)
                    if best is None or scored.probability > best.probability:
                        best, best_where = scored, where
            assert best is not None
            best_p = best.probability
            m_score = self.model_score(best_p)
            review = self.untrusted_review_threshold if untrusted else self.review_threshold
            if m_score >= review:
                explained = best.explain()
                grams = ", ".join(f"'{g}'" for g, _ in explained.top_features) or "none"
                at = f" in a {best_where}" if best_where else ""
                solo_note = (
                    f", alone at {model.solo_block_threshold:.3f}"
                    if self.gate and model.solo_block_threshold is not None
                    else ""
                )
                reasons.append(
                    Reason(
                        code="model.prompt_injection",
                        message=(
                            f"injection classifier p={best_p:.3f}{at}"
                            f" (review at {model.review_threshold:.3f},"
                            f" block at {model.block_threshold:.3f}{solo_note}); top n-grams:"
                            f" {grams}"
                        ),
                        source=model.version,
                        score=best_p,
                        threshold=(
                            model.block_threshold
                            if best_p >= model.block_threshold
                            else model.review_threshold
                        ),
                    )
                )
        review_t, block_t = (
            (self.untrusted_review_threshold, self.untrusted_block_threshold)
            if untrusted
            else (self.review_threshold, self.block_threshold)
        )
        if model is not None:
            solo_block = model.solo_block_threshold
            if (
                self.gate
                and not fired
                and solo_block is not None
                and best_p < solo_block
                and m_score >= block_t
            ):
                m_score = round(block_t - 1e-6, 6)  # the classifier alone: review at most
            score = max(score, m_score)
        if score >= block_t:
            verdict = Verdict.BLOCK
        elif score >= review_t:
            verdict = Verdict.REVIEW
        else:
            verdict = Verdict.ALLOW
        if untrusted and verdict is not Verdict.ALLOW:
            reasons.append(
                Reason(
                    code="ingress.untrusted_source",
                    message=(
                        f"text from a {source} is untrusted: review at {review_t},"
                        f" block at {block_t}"
                    ),
                    source=self.name,
                    score=score,
                    threshold=block_t if verdict is Verdict.BLOCK else review_t,
                )
            )
        return GuardResult(verdict=verdict, score=score, reasons=tuple(reasons))

    @staticmethod
    def _annotate(reason: Reason, fired: dict[str, tuple[Rule, str]]) -> Reason:
        hit = fired.get(reason.source or "")
        if hit is None or not hit[1]:
            return reason
        return Reason(
            code=reason.code,
            message=f"{reason.message} (in the {hit[1]})",
            source=reason.source,
            score=reason.score,
            threshold=reason.threshold,
        )
