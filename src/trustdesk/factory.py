"""Builds the built-in stages and the pipeline from settings."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from trustdesk.agent import DemoBankAgent
from trustdesk.agent.actions import VERIFY_HINT
from trustdesk.agent.knowledge import KnowledgeBase, default_knowledge, screen_knowledge
from trustdesk.agent.tools import ToolGate
from trustdesk.config import Settings
from trustdesk.demo import BRAND_TERMS
from trustdesk.guard import (
    DEFAULT_BLOCKED_TYPES,
    IdentifierEgressGuard,
    LayeredIngressGuard,
    new_canary,
    normalize_identifier,
)
from trustdesk.ledger.service import LedgerService
from trustdesk.ledger.signing import CheckpointSigner
from trustdesk.pipeline import Pipeline, PipelineObserver
from trustdesk.privacy import PrivacyEngine
from trustdesk.privacy.policy import policy_from_settings
from trustdesk.privacy.tokens import pseudonym_key
from trustdesk.stages import AgentStage
from trustdesk.store.db import Database
from trustdesk.types import Finding

log = logging.getLogger("trustdesk.factory")

#: A message that exercises every model once at start-up.
_WARM_UP = "Hi, I'm Dana from Toledo; my card 4111 1111 1111 1111 was declined."


def build_privacy(settings: Settings, *, master_key: bytes | None = None) -> PrivacyEngine:
    """The privacy engine with the configured policy.

    With the vault's ``master_key``, pseudonym tokens are derived from it (stable across
    restarts, per tenant); without it, a random key is used for this process only.
    """
    cfg = settings.privacy
    policy = policy_from_settings(
        profiles=cfg.profiles, default_operator=cfg.default_operator, policy_file=cfg.policy_file
    )
    key = pseudonym_key(master_key, settings.tenant) if master_key is not None else None
    allow = [*cfg.allow_terms, *(BRAND_TERMS if settings.demo else ())]
    return PrivacyEngine(
        min_score=cfg.min_score, policy=policy, pseudonym_key=key, allow_terms=allow
    )


def build_tool_gate(settings: Settings) -> ToolGate | None:
    """The agent's gate to the core-banking service, or None when no bank is configured.

    Creates (once) the Ed25519 key that signs tool credentials under the data
    directory and exports its public half for the bank to verify them.
    """
    url = settings.agent.bank_url
    if not url:
        return None
    import httpx

    from trustdesk.agent.tools import ToolGate as Gate
    from trustdesk.tooltokens import (
        ToolTokenIssuer,
        export_public_key,
        load_or_create_tool_key,
    )

    key = load_or_create_tool_key(settings.data_dir)
    export_public_key(settings.data_dir)
    client = httpx.Client(base_url=url, timeout=settings.agent.tool_timeout_seconds)
    return Gate(ToolTokenIssuer(key), client, ttl_seconds=settings.agent.tool_token_ttl_seconds)


def build_pipeline(
    settings: Settings,
    *,
    observer: PipelineObserver | None = None,
    master_key: bytes | None = None,
    tools: ToolGate | None = None,
) -> Pipeline:
    privacy = build_privacy(settings, master_key=master_key)
    ingress = LayeredIngressGuard(
        review_threshold=settings.guard.review_threshold,
        block_threshold=settings.guard.block_threshold,
    )
    # Load the models now: the first message must not pay for it inside a stage's
    # time budget (past it the pipeline fails closed).
    ingress.check(_WARM_UP)
    privacy.analyze(_WARM_UP)
    knowledge, quarantined = screen_knowledge(default_knowledge(), ingress)
    for article_id, verdict in quarantined:
        log.warning(
            "knowledge article quarantined by the ingress guard",
            extra={"article": article_id, "verdict": str(verdict.verdict)},
        )
    canary = new_canary()  # planted in the LLM's prompt; the egress guard watches for it
    cfg = settings.agent
    agent: AgentStage
    if cfg.llm_base_url and cfg.llm_model:
        from trustdesk.agent.llm import LlmAgent

        agent = LlmAgent(
            cfg.llm_base_url,
            cfg.llm_model,
            api_key=cfg.llm_api_key.get_secret_value() if cfg.llm_api_key else None,
            gate=tools,
            timeout=cfg.llm_timeout_seconds,
            max_tool_rounds=cfg.llm_max_tool_rounds,
            canary=canary,
            azure_api_version=cfg.llm_azure_api_version,
        )
    else:
        agent = DemoBankAgent(
            confidence_threshold=cfg.confidence_threshold,
            max_misunderstandings=cfg.max_misunderstandings,
            knowledge=knowledge,
            tools=tools,
        )
    return Pipeline(
        ingress=ingress,
        privacy=privacy,
        agent=agent,
        egress=IdentifierEgressGuard(
            privacy.analyze,
            canaries=(canary,),
            public_values=published_identifiers(knowledge, privacy.analyze),
        ),
        guard_timeout_ms=settings.guard.timeout_ms,
        privacy_timeout_ms=settings.privacy.timeout_ms,
        observer=observer,
    )


def published_identifiers(
    knowledge: KnowledgeBase, find: Callable[[str], Sequence[Finding]]
) -> frozenset[str]:
    """What the detector takes for identifiers in the vetted articles' own text.

    The articles are published content, screened at start-up: a reply quoting one
    leaks nobody's data, even where the detector reads "200 EUR" as an address. Each
    article is read as the agent sends it (alone, and with the verification hint).
    """
    out: set[str] = set()
    for article in knowledge.articles:
        for text in (article.body, f"{article.body} {VERIFY_HINT}"):
            for f in find(text):
                if f.entity_type in DEFAULT_BLOCKED_TYPES:
                    value = normalize_identifier(f.entity_type, text[f.start : f.end])
                    if value:
                        out.add(value)
    return frozenset(out)


def build_ledger(settings: Settings, db: Database) -> LedgerService:
    """The ledger service with the data directory's signing key."""
    return LedgerService(
        db,
        CheckpointSigner.load_or_create(settings.data_dir),
        every=settings.ledger.checkpoint_every,
        seconds=settings.ledger.checkpoint_seconds,
    )
