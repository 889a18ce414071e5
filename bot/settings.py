"""Configuration, read only from the environment and validated once at start."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from bot.content.location import bundled_content_dir
from bot.logs import JsonFormatter

ENV_PREFIX = "RUNLOCAL_"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
ENV_ALIASES = {
    "discord_token": "DISCORD_TOKEN",
    "discord_application_id": "DISCORD_APPLICATION_ID",
    "discord_public_key": "DISCORD_PUBLIC_KEY",
}
"""Names Discord's own docs and most bot hosts use; `RUNLOCAL_` names win when both are set."""


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable and what to do."""


class Settings(BaseModel):
    """Every knob the bot has. Field `content_dir` is set by `RUNLOCAL_CONTENT_DIR`, and so on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    content_dir: Path = bundled_content_dir()
    data_dir: Path = Path("data")
    log_level: str = "INFO"
    log_format: str = "text"
    user_hash_salt: str = "runlocal-default-salt"
    retention_days: int = Field(default=180, ge=1)
    """Missed questions and feedback older than this are purged (`python -m bot editor purge`)."""
    editor_token: SecretStr | None = None
    """Required by the editors' web page (`python -m bot web`); at least 16 characters."""
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=1, le=65535)
    discord_token: SecretStr | None = None
    discord_application_id: int | None = Field(default=None, gt=0)
    discord_public_key: str | None = None
    """The application's public key (Developer Portal > General Information), for serve-http."""
    discord_shards: str = "off"
    """`off` (one connection), `auto` (as many as Discord recommends) or a number of shards."""
    cooldown_uses: int = Field(default=5, ge=1, le=1000)
    cooldown_seconds: float = Field(default=30.0, ge=0, le=3600)
    """A user may run `cooldown_uses` commands per `cooldown_seconds`; 0 turns it off."""
    editor_role_id: int | None = Field(default=None, gt=0)
    """Members with this Discord role may use the editors' commands (`/unanswered`, `/resolve`,
    `/reload`), as may anyone with the Manage Server permission."""

    @field_validator("content_dir")
    @classmethod
    def _content_exists(cls, value: Path) -> Path:
        if not value.is_dir():
            raise ValueError(
                f"{value} is not a folder; point it at a folder with answers/ and catalog/"
            )
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError(f"use one of {', '.join(LOG_LEVELS)}")
        return value.upper()

    @field_validator("log_format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        if value not in ("text", "json"):
            raise ValueError("use 'text' or 'json'")
        return value

    @field_validator("discord_shards")
    @classmethod
    def _known_shards(cls, value: str) -> str:
        value = value.strip().lower()
        if value in ("off", "auto") or (value.isdigit() and 1 <= int(value) <= 10_000):
            return value
        raise ValueError("use 'off', 'auto' or a number of shards from 1 up")

    @property
    def sharded(self) -> bool:
        """Whether to connect through discord.py's AutoShardedClient."""
        return self.discord_shards != "off"

    @property
    def shard_count(self) -> int | None:
        """A fixed number of shards, or None to ask Discord (`auto`) or not shard (`off`)."""
        return int(self.discord_shards) if self.discord_shards.isdigit() else None

    def require_public_key(self) -> str:
        """The public key, or SettingsError saying where to find it."""
        if not self.discord_public_key or not self.discord_public_key.strip():
            raise SettingsError(
                "DISCORD_PUBLIC_KEY is not set. Copy the application's public key from the "
                "Discord developer portal (Applications > your app > General Information) and "
                "export DISCORD_PUBLIC_KEY=... (or RUNLOCAL_DISCORD_PUBLIC_KEY)."
            )
        return self.discord_public_key.strip()

    def require_discord_token(self) -> str:
        """The bot token, or SettingsError saying where to get one."""
        if self.discord_token is None or not self.discord_token.get_secret_value().strip():
            raise SettingsError(
                "DISCORD_TOKEN is not set. Create a bot in the Discord developer portal "
                "(Applications > your app > Bot > Reset Token) and export DISCORD_TOKEN=... "
                "(or RUNLOCAL_DISCORD_TOKEN)."
            )
        return self.discord_token.get_secret_value().strip()

    @property
    def database_path(self) -> Path:
        return self.data_dir / "runlocal.sqlite"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read `RUNLOCAL_*` variables; raise SettingsError naming every bad one."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name in cls.model_fields:
            raw = environ.get(ENV_PREFIX + name.upper()) or environ.get(ENV_ALIASES.get(name, ""))
            if raw is not None and raw != "":
                values[name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls(**values)
        except ValidationError as error:
            lines = [
                f"{ENV_PREFIX}{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}"
                for e in error.errors()
            ]
            raise SettingsError("bad configuration:\n" + "\n".join(lines)) from error


def configure_logging(settings: Settings) -> None:
    """Plain lines for people, one JSON object per line for log collectors."""
    handler = logging.StreamHandler()
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=settings.log_level, handlers=[handler], force=True)
