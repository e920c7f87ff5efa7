"""The runner: send every probe in its own conversation, collect, judge, report.

Deterministic for a given ``seed``: the canary customers, markers, the in-the-wild
sample and the probe order depend on it alone, and results are sorted by pack and
probe id whatever order the concurrent conversations finished in. Concurrency is
modest (``concurrency`` conversations at a time; turns inside one conversation are
sequential).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from pathlib import Path

from trustdesk.redteam.canaries import CanaryCustomer, make_canaries
from trustdesk.redteam.datasets import (
    agent_injection_bench_probes,
    datasets_dir,
    inthewild_probes,
)
from trustdesk.redteam.judges import Observation, TurnObservation, judge_probe
from trustdesk.redteam.probes import PACKS, Probe, builtin_probes
from trustdesk.redteam.report import ProbeResult, RedTeamReport, guard_summary
from trustdesk.redteam.target import DeliveryError, Target, in_process_target, live_target

__all__ = ["RunOptions", "run", "run_async", "run_probes", "select_probes"]


@dataclass(frozen=True, slots=True)
class RunOptions:
    packs: tuple[str, ...] | None = None
    #: At most this many probes per pack (the first ones in id order).
    limit: int | None = None
    seed: int = 7
    concurrency: int = 4
    canary_count: int = 5
    inthewild_count: int = 40
    datasets: Path | None = None
    #: Normalized identifiers the bank publishes (support e-mail, hotline digits).
    public_values: frozenset[str] = field(default_factory=frozenset)


def select_probes(
    options: RunOptions, canaries: tuple[CanaryCustomer, ...]
) -> tuple[list[Probe], list[str]]:
    """The probes to run and notices (skipped packs)."""
    wanted = set(options.packs) if options.packs else set(PACKS)
    unknown = wanted - set(PACKS)
    if unknown:
        raise ValueError(
            f"unknown pack(s): {', '.join(sorted(unknown))}; known: {', '.join(PACKS)}"
        )
    notices: list[str] = []
    probes = [p for p in builtin_probes(options.seed, canaries) if p.pack in wanted]
    root = datasets_dir(options.datasets)
    if "inthewild" in wanted:
        got = inthewild_probes(root, seed=options.seed, count=options.inthewild_count)
        probes += got.probes
        if got.notice:
            notices.append(got.notice)
    if "agent_injection_bench" in wanted:
        got = agent_injection_bench_probes(root)
        probes += got.probes
        if got.notice:
            notices.append(got.notice)
    probes.sort(key=lambda p: (list(PACKS).index(p.pack), p.id))
    if options.limit is not None:
        kept: list[Probe] = []
        per_pack: dict[str, int] = {}
        for p in probes:
            if per_pack.get(p.pack, 0) < options.limit:
                kept.append(p)
                per_pack[p.pack] = per_pack.get(p.pack, 0) + 1
        probes = kept
    return probes, notices


async def _observe(target: Target, probe: Probe) -> Observation:
    turns: list[TurnObservation] = []
    try:
        cid = await target.create_conversation()
        for text in probe.turns:
            turns.append(await target.send(cid, text))
    except DeliveryError as exc:
        return Observation(tuple(turns), None, f"not delivered: {exc}")
    return Observation(tuple(turns), await target.events(cid))


async def run_probes(
    target: Target,
    probes: Iterable[Probe],
    canaries: tuple[CanaryCustomer, ...],
    *,
    concurrency: int = 4,
    public_values: frozenset[str] = frozenset(),
    progress: Callable[[ProbeResult], None] | None = None,
) -> list[ProbeResult]:
    sem = asyncio.Semaphore(max(1, concurrency))

    async def one(probe: Probe) -> ProbeResult:
        async with sem:
            obs = await _observe(target, probe)
        verdict = judge_probe(probe, obs, canaries=canaries, public_values=public_values)
        result = ProbeResult(
            id=probe.id,
            pack=probe.pack,
            title=probe.title,
            judge=probe.judge,
            language=probe.language,
            source=probe.source,
            turns=len(probe.turns),
            verdicts=[dict(t.verdicts) for t in obs.turns],
            guard=guard_summary(obs.turns),
            contained=verdict.contained,
            critical=verdict.critical,
            reason=verdict.reason,
            checks=[
                {"judge": c.judge, "passed": c.passed, "reason": c.reason} for c in verdict.checks
            ],
            ledger_events=None if obs.events is None else len(obs.events),
        )
        if progress is not None:
            progress(result)
        return result

    results = await asyncio.gather(*(one(p) for p in probes))
    return sorted(results, key=lambda r: (list(PACKS).index(r.pack), r.id))


async def run_async(
    options: RunOptions,
    *,
    target_url: str | None = None,
    api_key: str | None = None,
    workdir: Path | None = None,
    progress: Callable[[ProbeResult], None] | None = None,
) -> RedTeamReport:
    canaries = make_canaries(options.seed, options.canary_count)
    probes, notices = select_probes(options, canaries)
    ctx: AbstractAsyncContextManager[Target]
    if target_url:
        ctx = live_target(target_url, api_key=api_key)
        notices.append(
            "live target: canary customers are not planted there; the exfiltration judge "
            "still checks every reply for any foreign identifier"
        )
    else:
        ctx = in_process_target(canaries, workdir=workdir)
    async with ctx as target:
        results = await run_probes(
            target,
            probes,
            canaries,
            concurrency=options.concurrency,
            public_values=options.public_values,
            progress=progress,
        )
        if target.ledger_readable is not True:
            notices.append(
                "ledger not readable (give --api-key with ledger:read): the action judge "
                "judged replies only"
            )
    return RedTeamReport(
        target=target_url or "in-process",
        seed=options.seed,
        canary_customers=len(canaries),
        notices=notices,
        results=results,
    )


def run(
    options: RunOptions,
    *,
    target_url: str | None = None,
    api_key: str | None = None,
    workdir: Path | None = None,
    progress: Callable[[ProbeResult], None] | None = None,
) -> RedTeamReport:
    """Run the red team and return its report (synchronous wrapper)."""
    return asyncio.run(
        run_async(
            options, target_url=target_url, api_key=api_key, workdir=workdir, progress=progress
        )
    )
