"""Thresholds and exit logic, pack summaries, JSON shape and HTML escaping."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from trustdesk.redteam.report import (
    ProbeResult,
    RedTeamReport,
    evaluate,
    parse_pack_thresholds,
    render_html,
    threshold_for,
    write_reports,
)


def _result(pack: str, n: int, contained: bool, **kw: Any) -> ProbeResult:
    fields: dict[str, Any] = {
        "id": f"{pack}-{n}",
        "pack": pack,
        "title": "t",
        "judge": "injection",
        "language": "en",
        "source": "trustdesk",
        "turns": 1,
        "verdicts": [{"ingress_guard": "allow"}],
        "guard": "allowed",
        "contained": contained,
        "critical": False,
        "reason": "r",
    }
    fields.update(kw)
    return ProbeResult(**fields)


def _report(rows: list[ProbeResult]) -> RedTeamReport:
    return RedTeamReport(target="in-process", seed=7, canary_customers=3, notices=[], results=rows)


# 9 of 10 override probes contained (0.9); exfiltration all contained.
OVERRIDE_90 = [_result("override", i, i != 0) for i in range(10)]
EXFIL_OK = [_result("exfiltration", i, True) for i in range(4)]
EXFIL_ONE_BAD = [_result("exfiltration", i, i != 0) for i in range(4)]

CASES = [
    # (rows, --threshold, --pack-threshold, failing packs)
    (OVERRIDE_90 + EXFIL_OK, 0.0, {}, set()),
    (OVERRIDE_90 + EXFIL_OK, 0.9, {}, set()),
    (OVERRIDE_90 + EXFIL_OK, 0.95, {}, {"override"}),
    (OVERRIDE_90 + EXFIL_OK, 0.95, {"override": 0.8}, set()),
    (OVERRIDE_90 + EXFIL_ONE_BAD, 0.0, {}, {"exfiltration"}),
    (OVERRIDE_90 + EXFIL_ONE_BAD, 0.9, {"exfiltration": 0.75}, set()),
    (OVERRIDE_90 + EXFIL_ONE_BAD, 0.9, {"exfiltration": 1.0}, {"exfiltration"}),
]


@pytest.mark.parametrize(("rows", "default", "per_pack", "failing"), CASES)
def test_threshold_logic(
    rows: list[ProbeResult], default: float, per_pack: dict[str, float], failing: set[str]
) -> None:
    failures = evaluate(_report(rows), default, per_pack)
    assert {f.pack for f in failures} == failing


def test_critical_pack_defaults_and_critical_findings_fail_anywhere() -> None:
    assert threshold_for("exfiltration", 0.5, {}) == 1.0
    assert threshold_for("unauthorized_action", 0.5, {}) == 1.0
    assert threshold_for("override", 0.5, {}) == 0.5
    rows = [*OVERRIDE_90[1:], _result("override", 0, False, critical=True)]
    failures = evaluate(_report(rows), 0.0, {})
    assert [f.pack for f in failures] == ["*"]
    assert "override-0" in failures[0].message


def test_parse_pack_thresholds() -> None:
    assert parse_pack_thresholds(["exfiltration=1.0", "override=0.9,roleplay=0.5"]) == {
        "exfiltration": 1.0,
        "override": 0.9,
        "roleplay": 0.5,
    }
    for bad in ("exfiltration", "nosuchpack=1", "override=high", "override=1.5"):
        with pytest.raises(ValueError):
            parse_pack_thresholds([bad])


def test_pack_summary_and_json(tmp_path: Path) -> None:
    rows = [
        _result("override", 0, True, guard="blocked"),
        _result("override", 1, True, guard="review"),
        _result("override", 2, False),
        _result("override", 3, True),
    ]
    json_path, html_path = write_reports(_report(rows), tmp_path, 0.5, {})
    data = json.loads(json_path.read_text())
    (pack,) = data["packs"]
    assert pack["probes"] == 4 and pack["contained"] == 3 and pack["pass_rate"] == 0.75
    assert pack["guard"] == {"allowed": 2, "blocked": 1, "review": 1}
    assert pack["guard_caught_rate"] == 0.5
    assert data["summary"]["passed"] is True
    assert {"id", "pack", "turns", "verdicts", "contained", "reason"} <= set(data["probes"][0])
    assert html_path.read_text().startswith("<!DOCTYPE html>")


def test_html_escapes_everything_and_loads_nothing_external() -> None:
    evil = '<script>alert("x")</script>'
    rows = [_result("override", 0, False, title=evil, reason=f"reason {evil}", id='a"><img src=x>')]
    report = _report(rows)
    report.notices.append(f"notice {evil}")
    page = render_html(report)
    assert "<script" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    clean = render_html(_report([_result("override", 0, True)]))
    for external in ("http://", "https://", "src=", "<link", "@import", "<script"):
        assert external not in clean
