"""Settings: one section per stage, read from the environment with prefix ``TRUSTDESK_``.

Top-level fields use ``TRUSTDESK_<FIELD>`` (``TRUSTDESK_DATA_DIR``,
``TRUSTDESK_DATABASE_URL``); section fields use a double underscore
(``TRUSTDESK_GUARD__BLOCK_THRESHOLD``). Every field carries a description, from which
``docs/configuration.md`` is generated (``trustdesk config docs``).

Settings are built explicitly and passed down (``create_app(settings)``); nothing here
reads the environment at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from trustdesk.errors import ConfigError

#: Secrets shipped as defaults. Any of them outside demo mode is refused at startup.
DEFAULT_WEBHOOK_SECRET = "demo-webhook-secret-change-me"  # noqa: S105 - a known placeholder


class ApiSettings(BaseModel):
    """HTTP API and channels."""

    host: str = Field("127.0.0.1", description="Interface `trustdesk serve` binds to.")
    port: int = Field(8000, ge=1, le=65535, description="TCP port `trustdesk serve` listens on.")
    max_message_bytes: int = Field(
        8192,
        ge=16,
        le=1_048_576,
        description="Largest customer message accepted, in UTF-8 bytes; larger ones get 413.",
    )
    max_body_bytes: int = Field(
        65536,
        ge=1024,
        le=16_777_216,
        description="Largest HTTP request body accepted on any route, in bytes; larger get 413.",
    )
    workers: int = Field(1, ge=1, le=64, description="Uvicorn worker processes for `serve`.")


class WebhookSettings(BaseModel):
    """Signed webhook channel for external chat platforms."""

    secret: SecretStr = Field(
        SecretStr(DEFAULT_WEBHOOK_SECRET),
        description="Shared HMAC-SHA256 secret for webhook signatures. Must be changed "
        "outside demo mode.",
    )
    tolerance_seconds: int = Field(
        300,
        ge=1,
        le=3600,
        description="Replay window: a delivery whose timestamp is further than this from "
        "server time is refused.",
    )


class GuardSettings(BaseModel):
    """Ingress and egress guards."""

    review_threshold: float = Field(
        0.5, ge=0, le=1, description="Ingress score at or above which a message is reviewed."
    )
    block_threshold: float = Field(
        0.85, ge=0, le=1, description="Ingress score at or above which a message is blocked."
    )
    timeout_ms: float = Field(
        250.0, gt=0, description="Time budget of each guard; past it the pipeline fails closed."
    )
    messages_per_conversation_per_minute: int = Field(
        30, ge=0, description="Abuse limit per conversation (0 turns the limit off)."
    )
    messages_per_client_per_minute: int = Field(
        600, ge=0, description="Abuse limit per client address (0 turns the limit off)."
    )
    blocked_per_client_per_10_minutes: int = Field(
        20,
        ge=0,
        description="Messages the ingress guard may block per client within 10 minutes; "
        "past it every message of that client is refused until the window moves on "
        "(0 turns the limit off).",
    )

    @model_validator(mode="after")
    def _ordered(self) -> GuardSettings:
        if self.review_threshold > self.block_threshold:
            raise ValueError("guard.review_threshold must not exceed guard.block_threshold")
        return self


class PrivacySettings(BaseModel):
    """Detection and redaction of personal data."""

    min_score: float = Field(
        0.5, ge=0, le=1, description="Findings scoring below this are ignored."
    )
    timeout_ms: float = Field(
        250.0,
        gt=0,
        description="Time budget of the privacy stage; past it nothing is stored unredacted "
        "and the conversation goes to a human.",
    )
    profiles: list[str] = Field(
        default_factory=lambda: ["pci"],
        description="Policy profiles enforced on top of every rule: `pci` (card data never "
        "stored beyond the last four digits), `hipaa` (PHI and dates always redacted). "
        'As an environment variable, JSON: `["pci","hipaa"]`.',
    )
    default_operator: str = Field(
        "encrypt",
        description="Operator for types the policy does not name: `tag`, `mask`, "
        "`keep_last:N`, `pseudonymize`, `encrypt` (a pseudonym token plus the value sealed "
        "in the vault for audited reveal) or `keep`.",
    )
    policy_file: Path | None = Field(
        None,
        description="A YAML privacy policy (operators per entity type and channel; see "
        "docs/privacy.md). Overrides `default_operator`; `profiles` are added to its own.",
    )
    allow_terms: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        default_factory=list,
        max_length=1000,
        description="Words never redacted when a finding is exactly one of them (case and "
        "spacing ignored): the operator's own brand and product names, which name no "
        "person. Demo mode adds Northwind Bank's. As an environment variable, JSON: "
        '`["Acme Bank","Acme"]`.',
    )


class AgentSettings(BaseModel):
    """The AI agent and its escalation policy."""

    confidence_threshold: float = Field(
        0.55,
        ge=0,
        le=1,
        description="Intent confidence below which the agent hands over; the shipped "
        "model's own out-of-scope threshold (in its model card) always applies as a floor.",
    )
    max_misunderstandings: int = Field(
        2, ge=1, le=10, description="Consecutive not-understood turns before handing over."
    )
    bank_url: str | None = Field(
        "http://127.0.0.1:8001",
        description="Base URL of the core-banking service the agent's tools call; empty "
        "disables tools (the agent then only answers from its articles).",
    )
    tool_token_ttl_seconds: int = Field(
        120, ge=1, le=300, description="Lifetime of each tool credential (Ed25519 JWT)."
    )
    tool_timeout_seconds: float = Field(
        3.0, gt=0, le=30, description="Time limit of one call to the core-banking service."
    )
    llm_base_url: str | None = Field(
        None,
        description="An OpenAI-compatible chat-completions endpoint (vLLM, Ollama, llama.cpp, "
        "OpenAI, Azure OpenAI); when set, the LLM agent replaces the built-in one and its "
        "tool calls pass the same gates (see docs/llm.md).",
    )
    llm_model: str | None = Field(None, description="Model name sent to the LLM endpoint.")
    llm_api_key: SecretStr | None = Field(None, description="API key of the LLM endpoint.")
    llm_azure_api_version: str | None = Field(
        None, description="Azure OpenAI `api-version`; switches to Azure's `api-key` header."
    )
    llm_timeout_seconds: float = Field(
        20.0, gt=0, le=120, description="Time limit of one call to the LLM endpoint."
    )
    llm_max_tool_rounds: int = Field(
        3, ge=0, le=10, description="Tool-calling rounds per turn before handing over."
    )

    @model_validator(mode="after")
    def _llm_model(self) -> AgentSettings:
        if self.llm_base_url and not self.llm_model:
            raise ValueError("agent.llm_model is required when agent.llm_base_url is set")
        return self


class LedgerSettings(BaseModel):
    """The audit ledger."""

    checkpoint_every: int = Field(
        1000,
        ge=1,
        le=1_000_000,
        description="Sign a Merkle checkpoint at least every this many events.",
    )
    checkpoint_seconds: float = Field(
        60.0,
        gt=0,
        description="Sign a checkpoint when the last one is older than this and there are "
        "new events (checked after appends).",
    )


class LogSettings(BaseModel):
    """Structured logging. Logs never contain message text."""

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="Minimum level written."
    )
    to_file: bool = Field(
        True, description="Also write JSON logs to `<data_dir>/logs/trustdesk.log`."
    )


class Settings(BaseSettings):
    """All of TrustDesk's settings."""

    model_config = SettingsConfigDict(
        env_prefix="TRUSTDESK_",
        env_nested_delimiter="__",
        extra="ignore",
        validate_default=True,
    )

    demo: bool = Field(
        False,
        description="Demo mode: allows built-in placeholder secrets. Never in production.",
    )
    data_dir: Path = Field(
        Path("./var"),
        description="Directory for the embedded SQLite database, vault keys and logs.",
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL, e.g. `postgresql+psycopg://user@host/db`. Default: "
        "SQLite at `<data_dir>/trustdesk.db`.",
    )
    tenant: str = Field(
        "northwind",
        min_length=1,
        max_length=64,
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        description="Tenant identifier stamped on every stored row.",
    )
    api: ApiSettings = Field(default_factory=ApiSettings, description="HTTP API.")
    webhook: WebhookSettings = Field(default_factory=WebhookSettings, description="Webhooks.")
    guard: GuardSettings = Field(default_factory=GuardSettings, description="Guards.")
    privacy: PrivacySettings = Field(default_factory=PrivacySettings, description="Privacy.")
    agent: AgentSettings = Field(default_factory=AgentSettings, description="AI agent.")
    ledger: LedgerSettings = Field(default_factory=LedgerSettings, description="Ledger.")
    log: LogSettings = Field(default_factory=LogSettings, description="Logging.")

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'trustdesk.db').resolve()}"

    def enforce_secrets(self) -> None:
        """Refuse placeholder secrets unless in demo mode."""
        if self.demo:
            return
        if self.webhook.secret.get_secret_value() == DEFAULT_WEBHOOK_SECRET:
            raise ConfigError(
                "TRUSTDESK_WEBHOOK__SECRET is the built-in placeholder; set a secret of your "
                "own or run in demo mode (TRUSTDESK_DEMO=true)"
            )
        if len(self.webhook.secret.get_secret_value()) < 16:
            raise ConfigError("TRUSTDESK_WEBHOOK__SECRET must be at least 16 characters")


def load_settings(**overrides: Any) -> Settings:
    """Read settings from the environment, with keyword overrides on top."""
    try:
        return Settings(**overrides)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc


def settings_reference() -> str:
    """Markdown reference of every setting, generated from the field descriptions."""
    lines = [
        "# Configuration reference",
        "",
        "Generated from `trustdesk.config` by `trustdesk config docs`; do not edit by hand.",
        "Every setting is an environment variable with prefix `TRUSTDESK_`; section fields",
        "use a double underscore (`TRUSTDESK_GUARD__BLOCK_THRESHOLD`).",
        "",
        "| variable | default | description |",
        "|---|---|---|",
    ]

    def default_of(field: Any) -> str:
        if field.default_factory is not None:
            return ""
        value = field.default
        if isinstance(value, SecretStr):
            return "*(placeholder)*"
        return f"`{value}`" if value is not None else "*(unset)*"

    for name, field in Settings.model_fields.items():
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            for sub, sub_field in ann.model_fields.items():
                var = f"TRUSTDESK_{name.upper()}__{sub.upper()}"
                lines.append(f"| `{var}` | {default_of(sub_field)} | {sub_field.description} |")
        else:
            lines.append(
                f"| `TRUSTDESK_{name.upper()}` | {default_of(field)} | {field.description} |"
            )
    return "\n".join(lines) + "\n"
