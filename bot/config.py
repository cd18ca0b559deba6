"""Settings: the only reader of the environment."""

from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.api.access import Rate
from bot.feeds.every import parse_every


class Settings(BaseSettings):
    """Every knob of newsdesk, from NEWSDESK_* variables (Slack keeps its own names) or .env."""

    # Inputs stay out of validation errors: they may be tokens.
    model_config = SettingsConfigDict(
        env_prefix="NEWSDESK_", env_file=".env", extra="ignore", hide_input_in_errors=True
    )

    data_dir: Path = Path("data")
    chroma_url: str | None = Field(
        default=None, description="a Chroma server, e.g. http://chroma:8000"
    )
    collection: str = "newsdesk"
    embed_model: str | None = Field(
        default=None, description="a model path or name; default: bundled"
    )
    model_cache: Path = Field(
        default_factory=lambda: Path.home() / ".cache" / "newsdesk",
        description="where the embedding model's ONNX export is kept, once per model",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(default=1, ge=1, le=64, description="HTTP server processes")
    api_token: SecretStr | None = Field(
        default=None, description="when set, /ask and /search need 'Authorization: Bearer …'"
    )
    admin_token: SecretStr | None = Field(
        default=None,
        description="when set, adding and deleting articles need it; else they follow api_token",
    )
    rate_limit: str | None = Field(
        default=None, description="per client (token or address), e.g. 60/minute"
    )
    metrics_open: bool = Field(
        default=False, description="serve /metrics without the API token, e.g. to a scraper"
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="how `serve` logs: text, or json for log shippers"
    )
    fetch_timeout: float = Field(
        default=10.0, gt=0, le=300, description="seconds a page, feed or sitemap may take"
    )
    fetch_max_mb: float = Field(default=5.0, gt=0, le=100, description="larger pages are refused")
    fetch_delay: float = Field(
        default=1.0, ge=0, le=60, description="seconds between two requests to the same site"
    )
    follow: bool = Field(default=True, description="`serve` polls the followed feeds")
    feeds_every: str = Field(
        default="15m", description="how often a followed feed is read unless told, e.g. 5m"
    )

    llm: str | None = Field(
        default=None,
        description="a LangChain chat model, e.g. openai:gpt-4o-mini; unset: extractive answers",
    )
    llm_base_url: str | None = Field(
        default=None, description="an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1"
    )
    llm_api_key: SecretStr | None = Field(
        default=None, description="default: the provider's own variable, e.g. OPENAI_API_KEY"
    )
    llm_timeout: float = Field(default=20.0, gt=0, le=600, description="seconds per answer")
    # Read only to know whether one is set: LangChain's OpenAI client reads it itself.
    openai_api_key: SecretStr | None = Field(default=None, validation_alias="OPENAI_API_KEY")

    slack_bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET")
    )
    slack_app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(
        default="https://slack.com/api/", description="Slack's Web API, or a proxy or fake of it"
    )

    @field_validator("feeds_every")
    @classmethod
    def _every(cls, value: str) -> str:
        parse_every(value)
        return value

    @field_validator("rate_limit")
    @classmethod
    def _rate(cls, value: str | None) -> str | None:
        if value:  # empty, as copied from .env.example, means no limit
            Rate.parse(value)
        return value or None

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "api_token",
        "admin_token",
        "llm",
        "llm_base_url",
        "llm_api_key",
        "openai_api_key",
        mode="before",
    )
    @classmethod
    def _unset_when_empty(cls, value: object) -> object:
        return None if value == "" else value  # `SLACK_BOT_TOKEN=` as copied from .env.example

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError(
                "SLACK_BOT_TOKEN must be the Bot User OAuth Token (xoxb-…) "
                "from your Slack app's OAuth & Permissions page"
            )
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError(
                "SLACK_APP_TOKEN must be an app-level token (xapp-…) with connections:write, "
                "from your Slack app's Basic Information page"
            )
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        url = urlparse(value)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(
                f"NEWSDESK_SLACK_API_URL ({value}) must look like https://slack.com/api/"
            )
        return value

    @property
    def slack_events_enabled(self) -> bool:
        """Serve POST /slack/events: Slack can sign requests and the bot can answer."""
        return self.slack_bot_token is not None and self.slack_signing_secret is not None

    @property
    def metrics_dir(self) -> Path:
        """Where each process of `serve` (and an ingest beside it) writes its metrics, for
        /metrics to add up."""
        return self.data_dir / "metrics"

    @property
    def chroma_location(self) -> str:
        """Where the index lives, for messages: the server url or the folder."""
        return self.chroma_url or str(self.data_dir / "chroma")
