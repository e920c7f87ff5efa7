"""One inbound message, end to end: ingress guard → privacy → agent → egress guard → reply.

The pipeline owns the order of the stages and nothing else: it holds no database
session and stores nothing. It returns a :class:`TurnOutcome` (plain values) and writes
one ledger event per stage through the :class:`~trustdesk.ledger.Ledger` it is given;
the caller persists both in one transaction.

Fail closed: when the ingress guard or the privacy stage raises or overruns its time
budget, the agent never sees the message, nothing unredacted is kept (if privacy
failed, the whole text is withheld), the customer gets a safe reply and the
conversation goes to a human. Observers (metrics) fail open: an observer that raises
is logged and ignored.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from trustdesk.errors import StageError, StageTimeout
from trustdesk.ledger import EventType, Ledger, LedgerEvent
from trustdesk.stages import AgentStage, EgressGuard, IngressGuard, PrivacyStage
from trustdesk.types import (
    AgentContext,
    AgentDecision,
    ConversationMode,
    EgressContext,
    GuardResult,
    PrivacyContext,
    PrivacyResult,
    Reason,
    Role,
    StageName,
    StageRecord,
    Turn,
    Verdict,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

SAFE_REPLY_FAILURE = (
    "Sorry, I can't process that message safely right now. A member of our team will "
    "take over this conversation."
)
SAFE_REPLY_BLOCKED = (
    "I'm sorry, I can't help with that request. I can help with your cards, transfers, "
    "top-ups and disputes."
)
SAFE_REPLY_EGRESS = (
    "Sorry, I can't share that. A member of our team will review this conversation and "
    "get back to you."
)
HUMAN_MODE_REPLY = "Thanks, your message is with our team. A human agent will answer here."
WITHHELD_TEXT = "<WITHHELD: redaction unavailable>"

ACTOR_AI = "ai-agent"
ACTOR_SYSTEM = "system"


class PipelineObserver(Protocol):
    """Receives per-stage timings and verdicts (metrics). Must not affect the turn."""

    def stage_finished(self, stage: StageName, verdict: Verdict, seconds: float) -> None: ...


@dataclass(frozen=True, slots=True)
class TurnInput:
    """One inbound message and what the pipeline may know of its conversation."""

    conversation_id: str
    text: str
    customer_id: str | None = None
    mode: ConversationMode = ConversationMode.AI
    history: tuple[Turn, ...] = ()
    own_values: frozenset[str] = frozenset()
    channel: str = "chat"
    #: The bank customer reference the conversation was verified as, if any.
    customer_ref: str | None = None


@dataclass(frozen=True, slots=True)
class EscalationPlan:
    """A hand-over the caller must enqueue."""

    reason_code: str
    reasons: tuple[Reason, ...]
    suggestion: str | None
    handover: bool = True


@dataclass(slots=True)
class TurnOutcome:
    """Everything a turn produced, ready to be stored in one transaction."""

    inbound: PrivacyResult
    reply_text: str
    reply_role: Role
    records: list[StageRecord] = field(default_factory=list)
    decision: AgentDecision | None = None
    escalation: EscalationPlan | None = None
    flagged: bool = False
    failed_closed: bool = False

    def record(self, stage: StageName) -> StageRecord | None:
        for rec in self.records:
            if rec.stage == stage:
                return rec
        return None


#: What is stored when the privacy stage could not run: nothing of the text.
WITHHELD = PrivacyResult(redacted_text=WITHHELD_TEXT, findings=())


class Pipeline:
    """Runs the four stages for one message. Thread-safe; share one per process."""

    def __init__(
        self,
        *,
        ingress: IngressGuard,
        privacy: PrivacyStage,
        agent: AgentStage,
        egress: EgressGuard,
        guard_timeout_ms: float = 250.0,
        privacy_timeout_ms: float = 250.0,
        observer: PipelineObserver | None = None,
        executor: ThreadPoolExecutor | None = None,
    ) -> None:
        self.ingress = ingress
        self.privacy = privacy
        self.agent = agent
        self.egress = egress
        self.guard_timeout_ms = guard_timeout_ms
        self.privacy_timeout_ms = privacy_timeout_ms
        self.observer = observer
        #: The version of each stage, recorded with every decision and ledger event.
        self.model_versions: dict[str, str] = {
            "ingress_guard": self.ingress.name,
            "privacy": self.privacy.name,
            "agent": getattr(self.agent, "model", self.agent.name),
            "egress_guard": self.egress.name,
        }
        self._executor = executor or ThreadPoolExecutor(
            max_workers=8, thread_name_prefix="trustdesk-stage"
        )

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    # -- running one stage -------------------------------------------------------------

    def _bounded(self, stage: StageName, budget_ms: float, fn: Callable[[], T]) -> T:
        """Run ``fn`` with a time budget; a stage that overruns is abandoned."""
        future: Future[T] = self._executor.submit(fn)
        try:
            return future.result(timeout=budget_ms / 1000.0)
        except FutureTimeout as exc:
            future.cancel()
            raise StageTimeout(stage, budget_ms) from exc

    def _observe(self, stage: StageName, verdict: Verdict, seconds: float) -> None:
        if self.observer is None:
            return
        try:
            self.observer.stage_finished(stage, verdict, seconds)
        except Exception:  # monitoring fails open
            log.exception("pipeline observer failed", extra={"stage": str(stage)})

    def _finish(
        self,
        outcome: TurnOutcome,
        stage: StageName,
        verdict: Verdict,
        score: float,
        reasons: tuple[Reason, ...],
        started: float,
    ) -> StageRecord:
        seconds = time.perf_counter() - started
        rec = StageRecord(stage, verdict, score, reasons, seconds * 1000.0)
        outcome.records.append(rec)
        self._observe(stage, verdict, seconds)
        return rec

    # -- the turn ------------------------------------------------------------------------

    def run(self, turn: TurnInput, ledger: Ledger) -> TurnOutcome:
        cid = turn.conversation_id
        subject = turn.customer_id
        versions = self.model_versions

        def emit(
            etype: EventType,
            payload: dict[str, object],
            reasons: tuple[Reason, ...] = (),
            actor: str = ACTOR_SYSTEM,
        ) -> None:
            ledger.append(
                LedgerEvent(
                    type=etype,
                    actor=actor,
                    subject=subject,
                    conversation_id=cid,
                    payload=dict(payload),
                    reasons=tuple(r.to_dict() for r in reasons),
                    model_versions=versions,
                )
            )

        # 1. Ingress guard.
        t0 = time.perf_counter()
        guard: GuardResult | None
        try:
            guard = self._bounded(
                StageName.INGRESS_GUARD,
                self.guard_timeout_ms,
                lambda: self.ingress.check(turn.text),
            )
            ingress_failure: Reason | None = None
        except Exception as exc:
            guard = None
            ingress_failure = _failure_reason(StageName.INGRESS_GUARD, exc)

        # 2. Privacy runs even if the guard failed: what is stored must be redacted.
        t1 = time.perf_counter()
        privacy_failure: Reason | None = None
        try:
            inbound = self._bounded(
                StageName.PRIVACY,
                self.privacy_timeout_ms,
                lambda: self.privacy.redact(turn.text, PrivacyContext(cid, subject, turn.channel)),
            )
        except Exception as exc:
            inbound = WITHHELD
            privacy_failure = _failure_reason(StageName.PRIVACY, exc)

        outcome = TurnOutcome(inbound=inbound, reply_text="", reply_role=Role.AI)

        if guard is not None:
            self._finish(
                outcome, StageName.INGRESS_GUARD, guard.verdict, guard.score, guard.reasons, t0
            )
            emit(
                EventType.GUARD_INGRESS,
                {"verdict": str(guard.verdict), "score": round(guard.score, 4)},
                guard.reasons,
            )
        else:
            assert ingress_failure is not None
            self._finish(
                outcome, StageName.INGRESS_GUARD, Verdict.ERROR, 1.0, (ingress_failure,), t0
            )
            emit(
                EventType.STAGE_FAILED, {"stage": str(StageName.INGRESS_GUARD)}, (ingress_failure,)
            )

        if privacy_failure is None:
            self._finish(
                outcome,
                StageName.PRIVACY,
                Verdict.ALLOW,
                max((f.score for f in inbound.findings), default=0.0),
                tuple(
                    Reason(code="finding", message=f.entity_type, source=f.detector, score=f.score)
                    for f in inbound.findings
                ),
                t1,
            )
            emit(EventType.PRIVACY_REDACTED, {"findings": [f.to_dict() for f in inbound.findings]})
        else:
            self._finish(outcome, StageName.PRIVACY, Verdict.ERROR, 1.0, (privacy_failure,), t1)
            emit(EventType.STAGE_FAILED, {"stage": str(StageName.PRIVACY)}, (privacy_failure,))

        emit(
            EventType.MESSAGE_RECEIVED,
            {"text": inbound.redacted_text, "redacted": inbound.redacted},
            actor="customer",
        )

        # Fail closed: a guard or privacy failure means no agent, a safe reply, a human.
        if guard is None or privacy_failure is not None:
            failure = ingress_failure or privacy_failure
            assert failure is not None
            outcome.failed_closed = True
            outcome.reply_text = SAFE_REPLY_FAILURE
            outcome.reply_role = Role.SYSTEM
            outcome.escalation = EscalationPlan(failure.code, (failure,), None)
            emit(EventType.REPLY_SENT, {"text": outcome.reply_text, "role": "system"})
            return outcome

        if guard.verdict is Verdict.BLOCK:
            outcome.flagged = True
            outcome.reply_text = SAFE_REPLY_BLOCKED
            outcome.reply_role = Role.SYSTEM
            emit(
                EventType.CONVERSATION_FLAGGED, {"by": str(StageName.INGRESS_GUARD)}, guard.reasons
            )
            emit(
                EventType.ALERT_RAISED,
                {"kind": "ingress_blocked", "severity": "medium"},
                guard.reasons,
            )
            emit(EventType.REPLY_SENT, {"text": outcome.reply_text, "role": "system"})
            return outcome

        if turn.mode is ConversationMode.HUMAN:
            outcome.reply_text = HUMAN_MODE_REPLY
            outcome.reply_role = Role.SYSTEM
            emit(EventType.REPLY_SENT, {"text": outcome.reply_text, "role": "system"})
            return outcome

        # 3. The agent sees only redacted text; under review it may not use tools.
        review = guard.verdict is Verdict.REVIEW
        if review:
            outcome.flagged = True
        t2 = time.perf_counter()
        context = AgentContext(
            conversation_id=cid,
            text=inbound.redacted_text,
            history=turn.history,
            customer_id=turn.customer_id,
            tools_allowed=not review,
            customer_ref=turn.customer_ref,
        )
        try:
            decision = self.agent.respond(context)
        except Exception as exc:
            failure = _failure_reason(StageName.AGENT, exc)
            self._finish(outcome, StageName.AGENT, Verdict.ERROR, 1.0, (failure,), t2)
            emit(EventType.STAGE_FAILED, {"stage": str(StageName.AGENT)}, (failure,))
            outcome.reply_text = SAFE_REPLY_FAILURE
            outcome.reply_role = Role.SYSTEM
            outcome.escalation = EscalationPlan(failure.code, (failure,), None)
            emit(EventType.REPLY_SENT, {"text": outcome.reply_text, "role": "system"})
            return outcome
        outcome.decision = decision
        for call in decision.tool_calls:
            emit(
                EventType.APPROVAL_REQUESTED
                if call.status == "approval_required"
                else EventType.TOOL_CALLED,
                call.record(),
                actor=ACTOR_AI,
            )
        agent_verdict = Verdict.REVIEW if decision.escalate else Verdict.ALLOW
        self._finish(
            outcome, StageName.AGENT, agent_verdict, decision.confidence, decision.reasons, t2
        )
        emit(
            EventType.AGENT_DECIDED,
            {
                "intent": decision.intent,
                "confidence": round(decision.confidence, 4),
                "escalate": decision.escalate,
                "citation": decision.citation,
                "suggestion": decision.suggestion,
                "tools": [c.tool for c in decision.tool_calls],
                "runners_up": [[i, round(c, 4)] for i, c in decision.alternatives],
                "needs_verification": decision.needs_verification,
            },
            decision.reasons,
            actor=ACTOR_AI,
        )

        # 4. Egress guard on the reply.
        t3 = time.perf_counter()
        egress_ctx = EgressContext(conversation_id=cid, own_values=turn.own_values)
        try:
            out = self._bounded(
                StageName.EGRESS_GUARD,
                self.guard_timeout_ms,
                lambda: self.egress.check(decision.reply, egress_ctx),
            )
        except Exception as exc:
            failure = _failure_reason(StageName.EGRESS_GUARD, exc)
            self._finish(outcome, StageName.EGRESS_GUARD, Verdict.ERROR, 1.0, (failure,), t3)
            emit(EventType.STAGE_FAILED, {"stage": str(StageName.EGRESS_GUARD)}, (failure,))
            outcome.failed_closed = True
            outcome.reply_text = SAFE_REPLY_FAILURE
            outcome.reply_role = Role.SYSTEM
            outcome.escalation = EscalationPlan(failure.code, (failure,), None)
            emit(EventType.REPLY_SENT, {"text": outcome.reply_text, "role": "system"})
            return outcome
        self._finish(outcome, StageName.EGRESS_GUARD, out.verdict, out.score, out.reasons, t3)
        emit(
            EventType.GUARD_EGRESS,
            {"verdict": str(out.verdict), "score": round(out.score, 4)},
            out.reasons,
        )

        if out.verdict is Verdict.BLOCK:
            log.warning("egress guard blocked a reply", extra={"conversation_id": cid})
            emit(
                EventType.ALERT_RAISED,
                {"kind": "egress_blocked", "severity": "high"},
                out.reasons,
            )
            outcome.flagged = True
            outcome.reply_text = SAFE_REPLY_EGRESS
            outcome.reply_role = Role.SYSTEM
            outcome.escalation = EscalationPlan("egress_blocked", out.reasons, None)
        else:
            outcome.reply_text = decision.reply
            outcome.reply_role = Role.AI
            pending = [c for c in decision.tool_calls if c.status == "approval_required"]
            if decision.escalate:
                code = decision.reasons[0].code if decision.reasons else "agent_escalated"
                outcome.escalation = EscalationPlan(code, decision.reasons, decision.suggestion)
            elif pending:  # a human must approve the exact action; the AI keeps chatting
                outcome.escalation = EscalationPlan(
                    "approval_required",
                    decision.reasons,
                    f"approve {pending[0].tool}",
                    handover=False,
                )
            elif review:
                outcome.escalation = EscalationPlan(
                    "guard_review", guard.reasons, None, handover=False
                )
        emit(
            EventType.REPLY_SENT,
            {"text": outcome.reply_text, "role": str(outcome.reply_role)},
            actor=ACTOR_AI if outcome.reply_role is Role.AI else ACTOR_SYSTEM,
        )
        return outcome


def _failure_reason(stage: StageName, exc: BaseException) -> Reason:
    """Describe a stage failure without its message (which might quote the text)."""
    if isinstance(exc, StageTimeout):
        return Reason(
            code=f"{stage}_timeout",
            message=f"{stage} exceeded {exc.budget_ms:g} ms",
            source=str(stage),
        )
    kind = type(exc).__name__
    if isinstance(exc, StageError):
        kind = f"{kind}({exc.stage})"
    return Reason(code=f"{stage}_failed", message=f"{stage} raised {kind}", source=str(stage))
