"""The ingress guard: judges an inbound customer message with regex rules.

Every rule is matched against two lower-case views of the message: the casefolded
raw text, and its normalized detection copy (see :mod:`trustdesk.guard.normalize`),
which undoes zero-width characters, letter spacing, leetspeak and fullwidth letters.
When both views are equal only one is searched, and in each view only the rules
whose triggers occur in it are searched (substring tests instead of regex scans).

In a long view (over :data:`LOCAL_SEARCH_MIN` characters) a rule is not searched over
the whole text but only around the occurrences of its triggers: every match contains a
trigger, so a match of at most :data:`MATCH_SPAN` characters lies within ``MATCH_SPAN``
characters of one (the regex still sees the characters before a window for ``\b`` and
look-behinds). This keeps the cost of a long message proportional to the number of
trigger occurrences, not to the number of rules times the length. A match longer than
``MATCH_SPAN`` (only possible through hundreds of separator characters between two
words of a rule) is not found in a long view.

The score is the highest score of the rules that fired, plus a small bonus for each
further *category* that fired (an attack that both overrides instructions and claims
to be staff is more likely an attack than either alone), capped at 1.0. The verdict
follows the thresholds: ``score >= block_threshold`` blocks, ``score >=
review_threshold`` reviews, anything lower is allowed.

Reasons: one per fired rule, highest score first (``code="rule.<id>"``, ``source`` the
rule id, ``score`` the rule's score, ``threshold`` the block threshold when the rule
alone reaches it, otherwise the review threshold), plus ``ingress.multiple_categories``
when the category bonus applied. No reason ever quotes the message.
"""

from __future__ import annotations

from collections.abc import Sequence

from trustdesk.errors import ConfigError
from trustdesk.guard.normalize import normalize_text
from trustdesk.guard.rules import Rule, default_rules
from trustdesk.types import GuardResult, Reason, Verdict

__all__ = ["CATEGORY_BONUS", "LOCAL_SEARCH_MIN", "MATCH_SPAN", "RuleIngressGuard", "rule_views"]

#: Added to the top score for each additional category that fired.
CATEGORY_BONUS = 0.05
#: Views longer than this are searched around trigger occurrences only (see module doc).
LOCAL_SEARCH_MIN = 1024
#: The longest rule match found in a long view, and the window either side of a trigger.
MATCH_SPAN = 320
#: A trigger with more occurrences than this in a view makes its rules search the whole view.
_MAX_OCCURRENCES = 24


def rule_views(text: str, normalized: str) -> tuple[str, ...]:
    """The lower-case views rules are matched against: ``normalized`` and the casefolded
    ``text`` (only one when they are equal)."""
    folded = text.casefold()
    return (normalized,) if normalized == folded else (normalized, folded)


class RuleIngressGuard:
    """Scores a message against :class:`~trustdesk.guard.rules.Rule` patterns.

    ``rules`` defaults to the built-in rule file. Thread-safe and stateless after
    construction: share one instance.
    """

    name = "ingress_guard"

    def __init__(
        self,
        rules: Sequence[Rule] | None = None,
        *,
        review_threshold: float = 0.5,
        block_threshold: float = 0.85,
    ) -> None:
        if not 0.0 <= review_threshold <= 1.0 or not 0.0 <= block_threshold <= 1.0:
            raise ConfigError("ingress guard thresholds must lie in [0, 1]")
        if review_threshold > block_threshold:
            raise ConfigError("ingress guard review_threshold must not exceed block_threshold")
        self.rules: tuple[Rule, ...] = tuple(default_rules() if rules is None else rules)
        self.review_threshold = review_threshold
        self.block_threshold = block_threshold
        # trigger -> indices of the rules it arms; rules without triggers always run.
        index: dict[str, list[int]] = {}
        for i, rule in enumerate(self.rules):
            for trigger in rule.triggers:
                index.setdefault(trigger, []).append(i)
        self._triggers = tuple((t, tuple(ix)) for t, ix in index.items())
        self._always = frozenset(i for i, r in enumerate(self.rules) if not r.triggers)

    def _views(self, text: str) -> tuple[str, ...]:
        return rule_views(text, normalize_text(text))

    def fired(self, text: str) -> list[Rule]:
        """The rules that match ``text``, in rule-file order."""
        return self.fired_in(self._views(text))

    def fired_in(self, views: tuple[str, ...]) -> list[Rule]:
        """The rules that match any of ``views`` (lower-case texts), in rule-file order."""
        # One pass of substring tests over both views (triggers never hold a newline).
        haystack = views[0] if len(views) == 1 else "\n".join(views)
        armed = set(self._always)
        present: list[str] = []
        for t, ix in self._triggers:
            if t in haystack:
                armed.update(ix)
                present.append(t)
        rules = self.rules
        if len(haystack) <= LOCAL_SEARCH_MIN:
            return [
                rules[i]
                for i in sorted(armed)
                if any(rules[i].regex.search(view) is not None for view in views)
            ]
        spans = [
            _trigger_spans(view, present) if len(view) > LOCAL_SEARCH_MIN else None
            for view in views
        ]
        return [rules[i] for i in sorted(armed) if _search(rules[i], views, spans)]

    def _threshold_for(self, score: float) -> float:
        return self.block_threshold if score >= self.block_threshold else self.review_threshold

    def check(self, text: str) -> GuardResult:
        return self.result(self.fired(text))

    def result(self, fired_rules: Sequence[Rule]) -> GuardResult:
        """The verdict, score and reasons for a set of fired rules."""
        fired = sorted(fired_rules, key=lambda r: (-r.score, r.id))
        top = fired[0].score if fired else 0.0
        categories = {r.category for r in fired}
        bonus = CATEGORY_BONUS * max(0, len(categories) - 1)
        score = round(min(1.0, top + bonus), 6)  # no 0.8499999 at a 0.85 threshold
        reasons = [
            Reason(
                code=f"rule.{r.id}",
                message=f"{r.category.replace('_', ' ')} rule matched: {r.description}"
                if r.description
                else f"{r.category.replace('_', ' ')} rule matched",
                source=r.id,
                score=r.score,
                threshold=self._threshold_for(r.score),
            )
            for r in fired
        ]
        if bonus > 0:
            reasons.append(
                Reason(
                    code="ingress.multiple_categories",
                    message=f"{len(categories)} categories fired: " + ", ".join(sorted(categories)),
                    source=self.name,
                    score=score,
                    threshold=self._threshold_for(score),
                )
            )
        if score >= self.block_threshold:
            verdict = Verdict.BLOCK
        elif score >= self.review_threshold:
            verdict = Verdict.REVIEW
        else:
            verdict = Verdict.ALLOW
        return GuardResult(verdict=verdict, score=score, reasons=tuple(reasons))


def _trigger_spans(view: str, triggers: list[str]) -> dict[str, list[tuple[int, int]] | None]:
    """For each trigger present in ``view``: the merged windows ``(lo, hi)`` around its
    occurrences, or ``None`` when it occurs too often (search the whole view)."""
    out: dict[str, list[tuple[int, int]] | None] = {}
    n = len(view)
    for t in triggers:
        pos = view.find(t)
        if pos < 0:
            continue
        starts: list[int] = []
        while pos >= 0 and len(starts) <= _MAX_OCCURRENCES:
            starts.append(pos)
            pos = view.find(t, pos + 1)
        if len(starts) > _MAX_OCCURRENCES:
            out[t] = None
            continue
        out[t] = [(max(0, p - MATCH_SPAN), min(n, p + len(t) + MATCH_SPAN)) for p in starts]
    return out


def _search(
    rule: Rule,
    views: tuple[str, ...],
    spans: list[dict[str, list[tuple[int, int]] | None] | None],
) -> bool:
    regex = rule.regex
    for view, by_trigger in zip(views, spans, strict=True):
        if by_trigger is None or not rule.triggers:
            if regex.search(view) is not None:
                return True
            continue
        windows: list[tuple[int, int]] = []
        whole = False
        for t in rule.triggers:
            if t not in by_trigger:
                continue
            w = by_trigger[t]
            if w is None:
                whole = True
                break
            windows.extend(w)
        if whole:
            if regex.search(view) is not None:
                return True
            continue
        windows.sort()
        lo_m, hi_m = -1, -1
        for lo, hi in windows:
            if lo <= hi_m:
                hi_m = max(hi_m, hi)
                continue
            if hi_m > 0 and regex.search(view, lo_m, hi_m) is not None:
                return True
            lo_m, hi_m = lo, hi
        if hi_m > 0 and regex.search(view, lo_m, hi_m) is not None:
            return True
    return False
