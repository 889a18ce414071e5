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

    @property
    def database_path(self) -> Path:
        return self.data_dir / "runlocal.sqlite"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read `RUNLOCAL_*` variables; raise SettingsError naming every bad one."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name in cls.model_fields:
            raw = environ.get(ENV_PREFIX + name.upper())
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
