"""Builds the built-in stages and the pipeline from settings."""

from __future__ import annotations

from trustdesk.agent import DemoBankAgent
from trustdesk.config import Settings
from trustdesk.guard import IdentifierEgressGuard, RuleIngressGuard, new_canary
from trustdesk.ledger.service import LedgerService
from trustdesk.ledger.signing import CheckpointSigner
from trustdesk.pipeline import Pipeline, PipelineObserver
from trustdesk.privacy import PrivacyEngine
from trustdesk.store.db import Database


def build_pipeline(settings: Settings, *, observer: PipelineObserver | None = None) -> Pipeline:
    privacy = PrivacyEngine(min_score=settings.privacy.min_score)
    return Pipeline(
        ingress=RuleIngressGuard(
            review_threshold=settings.guard.review_threshold,
            block_threshold=settings.guard.block_threshold,
        ),
        privacy=privacy,
        agent=DemoBankAgent(
            confidence_threshold=settings.agent.confidence_threshold,
            max_misunderstandings=settings.agent.max_misunderstandings,
        ),
        egress=IdentifierEgressGuard(privacy.analyze, canaries=(new_canary(),)),
        guard_timeout_ms=settings.guard.timeout_ms,
        privacy_timeout_ms=settings.privacy.timeout_ms,
        observer=observer,
    )


def build_ledger(settings: Settings, db: Database) -> LedgerService:
    """The ledger service with the data directory's signing key."""
    return LedgerService(
        db,
        CheckpointSigner.load_or_create(settings.data_dir),
        every=settings.ledger.checkpoint_every,
        seconds=settings.ledger.checkpoint_seconds,
    )
