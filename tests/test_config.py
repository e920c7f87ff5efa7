from __future__ import annotations

from pathlib import Path

import pytest

from trustdesk.config import DEFAULT_WEBHOOK_SECRET, load_settings
from trustdesk.errors import ConfigError


def test_defaults_point_at_embedded_sqlite() -> None:
    s = load_settings()
    assert s.data_dir == Path("var")
    assert s.resolved_database_url.startswith("sqlite:///")
    assert s.resolved_database_url.endswith("var/trustdesk.db")
    assert s.api.max_message_bytes == 8192


def test_environment_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTDESK_DATA_DIR", "/tmp/td-example")
    monkeypatch.setenv("TRUSTDESK_DATABASE_URL", "postgresql+psycopg://db.example/td")
    monkeypatch.setenv("TRUSTDESK_GUARD__BLOCK_THRESHOLD", "0.9")
    monkeypatch.setenv("TRUSTDESK_API__MAX_MESSAGE_BYTES", "4096")
    s = load_settings()
    assert s.data_dir == Path("/tmp/td-example")
    assert s.resolved_database_url == "postgresql+psycopg://db.example/td"
    assert s.guard.block_threshold == 0.9
    assert s.api.max_message_bytes == 4096


@pytest.mark.parametrize(
    ("env", "value", "fragment"),
    [
        ("TRUSTDESK_GUARD__REVIEW_THRESHOLD", "0.95", "must not exceed"),
        ("TRUSTDESK_API__MAX_MESSAGE_BYTES", "4", "greater than or equal"),
        ("TRUSTDESK_TENANT", "Bad Tenant!", "pattern"),
        ("TRUSTDESK_API__PORT", "not-a-port", "valid integer"),
    ],
)
def test_invalid_values_are_refused(
    monkeypatch: pytest.MonkeyPatch, env: str, value: str, fragment: str
) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigError, match=fragment):
        load_settings()


def test_placeholder_secret_refused_outside_demo() -> None:
    s = load_settings()
    assert s.webhook.secret.get_secret_value() == DEFAULT_WEBHOOK_SECRET
    with pytest.raises(ConfigError, match="placeholder"):
        s.enforce_secrets()


def test_placeholder_secret_allowed_in_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTDESK_DEMO", "true")
    load_settings().enforce_secrets()


def test_short_secret_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTDESK_WEBHOOK__SECRET", "short")
    with pytest.raises(ConfigError, match="at least 16"):
        load_settings().enforce_secrets()


def test_real_secret_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTDESK_WEBHOOK__SECRET", "a-long-enough-secret-value")
    load_settings().enforce_secrets()


def test_every_field_is_described() -> None:
    from pydantic import BaseModel

    from trustdesk.config import Settings

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, field in model.model_fields.items():
            assert field.description, f"{prefix}{name} has no description"
            ann = field.annotation
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                walk(ann, f"{prefix}{name}.")

    walk(Settings, "")


def test_configuration_docs_are_current() -> None:
    from trustdesk.config import settings_reference

    docs = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"
    assert docs.read_text() == settings_reference(), (
        "run: trustdesk config docs > docs/configuration.md"
    )
