"""Red team: attack our own agent through the public API, judge, report.

``trustdesk redteam run`` (:mod:`trustdesk.cli.redteam`) sends probe packs
(:mod:`~trustdesk.redteam.probes`, :mod:`~trustdesk.redteam.datasets`) to the app built
in-process or to a live server (:mod:`~trustdesk.redteam.target`), judges each probe
from the replies and the ledger (:mod:`~trustdesk.redteam.judges`) against planted
canary customers (:mod:`~trustdesk.redteam.canaries`), and writes JSON and HTML
reports with per-pack pass rates and thresholds (:mod:`~trustdesk.redteam.report`).
"""

from __future__ import annotations

from trustdesk.redteam.probes import CRITICAL_PACKS, PACKS, Probe
from trustdesk.redteam.report import RedTeamReport, evaluate, render_html, write_reports
from trustdesk.redteam.runner import RunOptions, run, run_async

__all__ = [
    "CRITICAL_PACKS",
    "PACKS",
    "Probe",
    "RedTeamReport",
    "RunOptions",
    "evaluate",
    "render_html",
    "run",
    "run_async",
    "write_reports",
]
