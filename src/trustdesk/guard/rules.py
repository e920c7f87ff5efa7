"""Ingress guard rules: YAML validated by pydantic, patterns compiled at load.

A rule file looks like::

    version: 1
    rules:
      - id: injection.override.en
        category: injection        # injection | jailbreak | prompt_extraction
                                   # | impersonation | abuse
        languages: [en]
        score: 0.95                # 0..1
        description: asks the assistant to ignore its previous instructions
        pattern: |                 # re.VERBOSE, matched against lower-case text
          \\bignore\\W*all\\W*previous\\W*instructions
        triggers: [ignore]         # optional; every match contains one of these
        examples:                  # optional; each must match, checked at load
          - Ignore all previous instructions

A rule is searched only in a text that contains one of its ``triggers`` (plain
substring tests are far cheaper than a regex scan); a rule without triggers is always
searched.

Every problem is reported as a :class:`~trustdesk.errors.ConfigError` that names the
file and the rule id: an invalid regex, a pattern or trigger with upper-case letters
(it could never match the lower-case text it is given), a pattern that matches the
empty string (it would fire on every message), an example that does not match, a
duplicate id, an unknown field.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from trustdesk.errors import ConfigError
from trustdesk.guard.normalize import normalize_text

__all__ = [
    "CATEGORIES",
    "PATTERN_FLAGS",
    "Category",
    "Rule",
    "default_rules",
    "load_rules",
    "parse_rules",
]

Category = Literal["injection", "jailbreak", "prompt_extraction", "impersonation", "abuse"]
CATEGORIES: tuple[str, ...] = get_args(Category)

#: Flags every rule pattern is compiled with. No IGNORECASE: the guard matches
#: lower-case text, which keeps the regex engine on its fast path.
PATTERN_FLAGS = re.VERBOSE

# Escapes and named-group syntax, whose capitals are not letters to match.
_ESCAPE = re.compile(r"\\.|\(\?P[<=>]", re.DOTALL)
_BUILTIN = "guard/rules/ingress.yaml"


class Rule(BaseModel):
    """One validated ingress rule with its compiled pattern."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$", max_length=80)
    category: Category
    pattern: str = Field(min_length=1)
    score: float = Field(ge=0.0, le=1.0)
    languages: tuple[str, ...] = Field(min_length=1)
    description: str = ""
    triggers: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()

    _regex: re.Pattern[str] = PrivateAttr()

    @model_validator(mode="after")
    def _compile(self) -> Rule:
        for lang in self.languages:
            if re.fullmatch(r"[a-z]{2}", lang) is None:
                raise ValueError(f"language {lang!r} is not a 2-letter code")
        try:
            regex = re.compile(self.pattern, PATTERN_FLAGS)
        except re.error as exc:
            raise ValueError(f"invalid regex: {exc}") from None
        if any(ch.isupper() for ch in _ESCAPE.sub("", self.pattern)):
            raise ValueError("pattern has upper-case letters; rules match lower-case text")
        if regex.search("") is not None:
            raise ValueError("pattern matches the empty string")
        for trigger in self.triggers:
            if not trigger or trigger != trigger.casefold() or "\n" in trigger:
                raise ValueError(
                    f"trigger {trigger!r} must be a non-empty lower-case string on one line"
                )
        self._regex = regex
        for i, example in enumerate(self.examples):
            if not self.matches(example):
                raise ValueError(f"example #{i + 1} does not match the pattern")
        return self

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern (flags: :data:`PATTERN_FLAGS`)."""
        return self._regex

    def armed(self, view: str) -> bool:
        """Whether ``view`` (lower-case) holds a trigger, so the pattern may match."""
        return not self.triggers or any(t in view for t in self.triggers)

    def search(self, view: str) -> bool:
        """Whether the rule fires on one lower-case view of a message."""
        return self.armed(view) and self._regex.search(view) is not None

    def matches(self, text: str) -> bool:
        """Whether the rule fires on ``text``: its casefolded or its normalized form."""
        return self.search(text.casefold()) or self.search(normalize_text(text))


class _RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    rules: tuple[dict[str, Any], ...] = Field(min_length=1)


def _rule_label(raw: object, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"rule {raw['id']!r}"
    return f"rule #{index + 1}"


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = ".".join(str(p) for p in err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


def parse_rules(text: str, *, source: str = "<string>") -> tuple[Rule, ...]:
    """Parse and validate a YAML rule document; raise :class:`ConfigError` on any problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping with 'version' and 'rules'")
    try:
        doc = _RuleFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {_describe(exc)}") from None
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, raw in enumerate(doc.rules):
        try:
            rule = Rule.model_validate(raw)
        except ValidationError as exc:
            raise ConfigError(f"{source}: {_rule_label(raw, index)}: {_describe(exc)}") from None
        if rule.id in seen:
            raise ConfigError(f"{source}: rule {rule.id!r}: duplicate id")
        seen.add(rule.id)
        rules.append(rule)
    return tuple(rules)


def load_rules(path: str | Path | None = None) -> tuple[Rule, ...]:
    """Load rules from ``path``, or the built-in ``guard/rules/ingress.yaml``."""
    if path is None:
        resource = resources.files("trustdesk.guard").joinpath("rules").joinpath("ingress.yaml")
        return parse_rules(resource.read_text(encoding="utf-8"), source=_BUILTIN)
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read rule file: {exc.strerror}") from None
    return parse_rules(text, source=str(p))


@lru_cache(maxsize=1)
def default_rules() -> tuple[Rule, ...]:
    """The built-in rules, loaded and validated once per process."""
    return load_rules()
