"""Prometheus metrics for one app instance (its own registry, so apps never collide)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from trustdesk.types import StageName, Verdict

_STAGE_BUCKETS = (
    0.0001,
    0.00025,
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
)


class Metrics:
    """Stage latency histograms, message and verdict counters. Implements PipelineObserver."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.stage_seconds = Histogram(
            "trustdesk_stage_seconds",
            "Time spent in each pipeline stage.",
            ["stage"],
            buckets=_STAGE_BUCKETS,
            registry=self.registry,
        )
        self.turn_seconds = Histogram(
            "trustdesk_turn_seconds",
            "Time to handle one inbound message end to end, storage included.",
            ["channel"],
            buckets=_STAGE_BUCKETS,
            registry=self.registry,
        )
        self.messages = Counter(
            "trustdesk_messages",
            "Inbound customer messages handled.",
            ["channel"],
            registry=self.registry,
        )
        self.verdicts = Counter(
            "trustdesk_verdicts",
            "Verdicts by stage.",
            ["stage", "verdict"],
            registry=self.registry,
        )
        self.escalations = Counter(
            "trustdesk_escalations",
            "Conversations handed to the human queue, by reason.",
            ["reason"],
            registry=self.registry,
        )
        self.redactions = Counter(
            "trustdesk_redactions",
            "Personal-data findings redacted, by entity type.",
            ["entity_type"],
            registry=self.registry,
        )
        self.http_errors = Counter(
            "trustdesk_http_errors",
            "Problem responses sent, by status code.",
            ["status"],
            registry=self.registry,
        )

    def stage_finished(self, stage: StageName, verdict: Verdict, seconds: float) -> None:
        self.stage_seconds.labels(stage=str(stage)).observe(seconds)
        self.verdicts.labels(stage=str(stage), verdict=str(verdict)).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
