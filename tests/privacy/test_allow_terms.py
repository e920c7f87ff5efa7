"""``privacy.allow_terms``: the operator's own names are never redacted; people still are."""

from __future__ import annotations

from pathlib import Path

import pytest

from trustdesk.config import Settings
from trustdesk.factory import build_privacy
from trustdesk.privacy import PrivacyEngine

TEXT = "Hello, this is Alex from Northwind. How can I help?"


def test_a_finding_that_is_exactly_an_allowed_term_is_kept() -> None:
    plain = PrivacyEngine()
    assert any(TEXT[f.start : f.end] == "Northwind" for f in plain.analyze(TEXT)), (
        "the tagger no longer reads 'Northwind' as a finding: pick another example"
    )
    engine = PrivacyEngine(allow_terms=["  NORTHWIND ", "Acme   Bank"])
    found = {TEXT[f.start : f.end] for f in engine.analyze(TEXT)}
    assert "Northwind" not in found
    assert "Alex" in found  # a person is still a person
    redacted = engine.redact(TEXT).redacted_text
    assert "Northwind" in redacted and "Alex" not in redacted
    # Idempotent: the kept term is kept again, nothing new appears.
    assert engine.redact(redacted).redacted_text == redacted


def test_only_whole_findings_are_allowed() -> None:
    text = "Hello, this is Alex Rivera, how can I help?"
    engine = PrivacyEngine(allow_terms=["Alex"])
    found = {text[f.start : f.end] for f in engine.analyze(text)}
    assert "Alex Rivera" in found  # "Alex" alone is allowed, the full name is not


def test_demo_mode_allows_the_demo_brand(tmp_path: Path) -> None:
    demo = build_privacy(Settings(demo=True, data_dir=tmp_path))
    assert "northwind" in demo.allow_terms
    prod = build_privacy(Settings(demo=False, data_dir=tmp_path, privacy={"allow_terms": ["Acme"]}))
    assert prod.allow_terms == frozenset({"acme"})


def test_allow_terms_are_validated(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="allow_terms"):
        Settings(data_dir=tmp_path, privacy={"allow_terms": [""]})
    with pytest.raises(ValueError, match="allow_terms"):
        Settings(data_dir=tmp_path, privacy={"allow_terms": ["x" * 101]})
