"""Settings: the only reader of the environment."""

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of newsdesk, from NEWSDESK_* variables (Slack keeps its own names) or .env."""

    model_config = SettingsConfigDict(env_prefix="NEWSDESK_", env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    chroma_url: str | None = Field(default=None, description="a Chroma server, e.g. http://chroma:8000")
    collection: str = "newsdesk"
    embed_model: str | None = Field(default=None, description="a model path or name; default: bundled")
    host: str = "127.0.0.1"
    port: int = 8000

    slack_bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET")
    )
    slack_app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")

    @property
    def chroma_location(self) -> str:
        """Where the index lives, for messages: the server url or the folder."""
        return self.chroma_url or str(self.data_dir / "chroma")
