"""The built pipeline lets the agent quote its own knowledge articles.

The articles are vetted, published text: whatever the identifier detector makes of
them (it once read "200 EUR" as a street address), quoting them must not be blocked
as a leak. Someone else's identifiers still are.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from trustdesk.agent.actions import VERIFY_HINT
from trustdesk.agent.knowledge import default_knowledge
from trustdesk.config import Settings
from trustdesk.factory import build_pipeline, published_identifiers
from trustdesk.privacy.vault import load_master_key
from trustdesk.types import EgressContext, Finding, Verdict


def test_every_article_as_the_agent_sends_it_passes_the_egress_guard(tmp_path: Path) -> None:
    settings = Settings(demo=True, data_dir=tmp_path)
    pipeline = build_pipeline(settings, master_key=load_master_key(tmp_path))
    try:
        ctx = EgressContext(conversation_id=str(uuid.uuid4()))
        for article in default_knowledge().articles:
            for reply in (article.body, f"{article.body} {VERIFY_HINT}"):
                result = pipeline.egress.check(reply, ctx)
                assert result.verdict is Verdict.ALLOW, (article.id, result.reasons)
        leak = "Sure, the card on that account is 4012 8888 8888 1881."
        assert pipeline.egress.check(leak, ctx).verdict is Verdict.BLOCK
    finally:
        pipeline.close()


def test_published_identifiers_are_what_the_detector_finds_in_the_articles() -> None:
    def find(text: str) -> list[Finding]:
        at = text.find("200 EUR")
        if at < 0:
            return []
        return [Finding("STREET_ADDRESS", at, at + 7, 0.9, "stub-detector", "")]

    values = published_identifiers(default_knowledge(), find)
    assert values == {"200 eur"}
