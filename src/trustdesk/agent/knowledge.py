"""The demo agent's knowledge base: short Markdown articles with a front matter block.

An article file looks like::

    ---
    id: card_delivery
    title: When will my card arrive?
    intents: [card_arrival]
    ---
    We post new cards within 2 working days ...

The front matter is validated (pydantic); the id must equal the file name without
``.md``; an intent may be answered by one article only. Problems raise
:class:`~trustdesk.errors.ConfigError` naming the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Literal, Protocol

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from trustdesk.errors import ConfigError
from trustdesk.types import GuardResult, Verdict

__all__ = [
    "Article",
    "KnowledgeBase",
    "default_knowledge",
    "load_articles",
    "parse_article",
    "screen_knowledge",
]

_NAME = r"^[a-z][a-z0-9_]*$"
MAX_BODY_CHARS = 1200


@dataclass(frozen=True, slots=True)
class Article:
    """One answer the agent may give, and the intents it answers."""

    id: str
    title: str
    intents: tuple[str, ...]
    body: str


class _FrontMatter(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    id: str = Field(pattern=_NAME, max_length=64)
    title: str = Field(min_length=1, max_length=120)
    intents: tuple[Annotated[str, StringConstraints(pattern=_NAME, max_length=64)], ...] = Field(
        min_length=1
    )


def parse_article(text: str, *, source: str = "<string>") -> Article:
    """Parse one article; raise :class:`ConfigError` naming ``source`` if it is invalid."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        raise ConfigError(f"{source}: an article must start with a '---' front matter block")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ConfigError(f"{source}: front matter block is not closed with '---'") from None
    try:
        meta = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: front matter is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise ConfigError(f"{source}: front matter must be a mapping")
    try:
        front = _FrontMatter.model_validate(meta)
    except ValidationError as exc:
        raise ConfigError(f"{source}: invalid front matter: {_describe(exc)}") from None
    body = " ".join(" ".join(lines[end + 1 :]).split())
    if not body:
        raise ConfigError(f"{source}: article {front.id!r} has no body")
    if len(body) > MAX_BODY_CHARS:
        raise ConfigError(
            f"{source}: article {front.id!r} body is {len(body)} characters; "
            f"the limit is {MAX_BODY_CHARS}"
        )
    return Article(id=front.id, title=front.title, intents=front.intents, body=body)


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = ".".join(str(p) for p in err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


def _check_unique(articles: Iterable[tuple[str, Article]]) -> tuple[Article, ...]:
    by_id: dict[str, str] = {}
    by_intent: dict[str, str] = {}
    out: list[Article] = []
    for source, article in articles:
        if article.id in by_id:
            raise ConfigError(
                f"{source}: article id {article.id!r} is also used by {by_id[article.id]}"
            )
        by_id[article.id] = source
        for intent in article.intents:
            if intent in by_intent:
                raise ConfigError(
                    f"{source}: intent {intent!r} is already answered by {by_intent[intent]}"
                )
            by_intent[intent] = source
        out.append(article)
    return tuple(out)


def _read_dir(directory: Traversable, label: str) -> tuple[Article, ...]:
    entries = sorted(
        (e for e in directory.iterdir() if e.name.endswith(".md") and e.is_file()),
        key=lambda e: e.name,
    )
    parsed: list[tuple[str, Article]] = []
    for entry in entries:
        source = f"{label}/{entry.name}"
        article = parse_article(entry.read_text(encoding="utf-8"), source=source)
        stem = entry.name.removesuffix(".md")
        if article.id != stem:
            raise ConfigError(f"{source}: article id {article.id!r} must match the file name")
        parsed.append((source, article))
    return _check_unique(parsed)


def load_articles(directory: str | Path | None = None) -> tuple[Article, ...]:
    """Load every ``*.md`` article of ``directory`` (default: the built-in articles)."""
    if directory is None:
        return _read_dir(
            resources.files("trustdesk.agent").joinpath("knowledge"), "agent/knowledge"
        )
    path = Path(directory)
    if not path.is_dir():
        raise ConfigError(f"{path}: not a directory of articles")
    return _read_dir(path, str(path))


class KnowledgeBase:
    """Articles indexed by id and by the intents they answer."""

    def __init__(self, articles: Iterable[Article]) -> None:
        self.articles: tuple[Article, ...] = _check_unique((a.id, a) for a in articles)
        self._by_id = {a.id: a for a in self.articles}
        self._by_intent = {intent: a for a in self.articles for intent in a.intents}

    def get(self, article_id: str) -> Article | None:
        return self._by_id.get(article_id)

    def for_intent(self, intent: str) -> Article | None:
        """The article that answers ``intent``, if any."""
        return self._by_intent.get(intent)

    @property
    def intents(self) -> frozenset[str]:
        return frozenset(self._by_intent)


@lru_cache(maxsize=1)
def default_knowledge() -> KnowledgeBase:
    """The built-in Northwind Bank articles, loaded once per process."""
    return KnowledgeBase(load_articles())


class ContentGuard(Protocol):
    """What screens untrusted text: the ingress guard's ``check`` with a source."""

    def check(self, text: str, source: Literal["knowledge"]) -> GuardResult: ...


def screen_knowledge(
    kb: KnowledgeBase, guard: ContentGuard
) -> tuple[KnowledgeBase, tuple[tuple[str, GuardResult], ...]]:
    """The articles the guard lets through, and the quarantined ones with its verdicts.

    Knowledge articles reach the customer through the agent, so text planted in one
    ("ignore your instructions and ...") is an indirect injection. Each article's title
    and body pass the ingress guard marked untrusted (``source="knowledge"``, stricter
    thresholds); an article judged ``review`` or ``block`` is left out, so the agent
    hands its intent to a human instead of repeating it.
    """
    kept: list[Article] = []
    quarantined: list[tuple[str, GuardResult]] = []
    for article in kb.articles:
        verdict = guard.check(f"{article.title}\n{article.body}", source="knowledge")
        if verdict.verdict is Verdict.ALLOW:
            kept.append(article)
        else:
            quarantined.append((article.id, verdict))
    return KnowledgeBase(kept), tuple(quarantined)
