"""Read and check the app's settings (environment variables or `.env`)."""

from __future__ import annotations

import base64
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from instruments.catalog import catalogue, use_programme_folder
from instruments.model import InstrumentError

SETTINGS_HELP = "see README.md, section Settings"
DEFAULT_DATABASE_URL = "sqlite:///circles.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"


class Mode(StrEnum):
    """How the app reaches Slack."""

    HTTP = "http"
    SOCKET = "socket"
    OAUTH = "oauth"


class SettingsError(Exception):
    """The settings cannot start the app; each problem is one line for a person to read."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class Settings(BaseSettings):
    """Everything the app can be told from outside, named as the README's Settings table names them."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    port: int = Field(default=3000, ge=1, le=65535)
    circles_admins: Annotated[frozenset[str], NoDecode] = frozenset()
    # How late a planned prompt or check-in may still go out after downtime; older ones are marked missed.
    circles_grace_hours: int = Field(default=6, ge=1, le=168)
    # How often `circles run` plans and sends; 0 turns the scheduler off (run `circles tick` instead).
    circles_tick_seconds: int = Field(default=60, ge=0, le=3600)
    # How long a stopped `circles run` lets sends in flight finish before it leaves them to their claims:
    # less than the platform's grace period before it kills the process (often 30 s).
    circles_stop_seconds: float = Field(default=20, ge=0, le=300)
    # A Fernet key for check-in notes; unset on SQLite: a key file beside the database (circles.notes_key).
    circles_notes_key: SecretStr | None = None
    # A folder of a programme's own instrument files, offered beside the shipped ones.
    circles_instruments_dir: Path | None = None

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "slack_client_id",
        "slack_client_secret",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        # `SLACK_APP_TOKEN=` in a .env file means "not set", not "set to nothing".
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value

    @field_validator("circles_admins", mode="before")
    @classmethod
    def _split_admins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return frozenset(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("circles_admins")
    @classmethod
    def _admins_are_user_ids(cls, value: frozenset[str]) -> frozenset[str]:
        for user_id in value:
            if not (user_id[:1] in ("U", "W") and user_id.isalnum() and user_id.isupper()):
                raise ValueError(f"{user_id!r} is not a Slack user ID (they look like U012AB3CD)")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_is_http(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must start with https:// (e.g. https://slack.com/api/)")
        # slack_sdk joins method names onto the base URL, so it must end with a slash.
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _database_url_parses(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError("is not a database URL (e.g. sqlite:///circles.db)") from None
        if "@" in (url.host or ""):  # an @ of the password: the rest of it would be taken for the host
            raise ValueError("has an @ in its user name or password: write each one there as %40")
        return value

    @field_validator("circles_notes_key", mode="before")
    @classmethod
    def _notes_key_is_fernet(cls, value: Any) -> Any:
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and not is_fernet_key(value.strip()):
            raise ValueError(
                "must be a Fernet key: 32 random bytes, url-safe base64 (make one with "
                '`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`)'
            )
        return value.strip() if isinstance(value, str) else value

    @field_validator("circles_instruments_dir", mode="before")
    @classmethod
    def _instruments_dir_loads(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        if value is None:
            return None
        folder = Path(str(value).strip())
        try:
            catalogue(folder)  # every file read and checked at start, not on a facilitator's first form
        except InstrumentError as broken:
            raise ValueError(str(broken)) from None
        return folder

    @model_validator(mode="after")
    def _instruments_known(self) -> Settings:
        use_programme_folder(self.circles_instruments_dir)  # every lookup by name sees the programme's own
        return self

    @property
    def mode(self) -> Mode:
        """Pick the way to reach Slack from which credentials are present."""
        if self.slack_client_id or self.slack_client_secret:
            return Mode.OAUTH
        if self.slack_app_token:
            return Mode.SOCKET
        return Mode.HTTP

    def problems(self) -> list[str]:
        """List what stops the chosen mode from starting, one line per setting."""
        return _check_credentials(self)

    def require_slack(self) -> Settings:
        """Raise SettingsError unless the credentials for the chosen mode are complete and well formed."""
        problems = self.problems()
        if problems:
            raise SettingsError(problems)
        return self


_WHAT = {
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token (xoxb-…) from your Slack app's OAuth & Permissions page",
    "SLACK_SIGNING_SECRET": "the Signing Secret from your Slack app's Basic Information page",
    "SLACK_APP_TOKEN": "an app-level token (xapp-…) with connections:write, from Basic Information",
    "SLACK_CLIENT_ID": "the Client ID from your Slack app's Basic Information page",
    "SLACK_CLIENT_SECRET": "the Client Secret from your Slack app's Basic Information page",
}

_PREFIX = {"SLACK_BOT_TOKEN": "xoxb-", "SLACK_APP_TOKEN": "xapp-"}


def _check_credentials(settings: Settings) -> list[str]:
    required = {
        Mode.HTTP: ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"],
        Mode.SOCKET: ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"],
        Mode.OAUTH: ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET"],
    }[settings.mode]
    problems = []
    for name in required:
        value = _plain(getattr(settings, name.lower()))
        if value is None:
            problems.append(f"{name} is not set: set it to {_WHAT[name]} ({SETTINGS_HELP})")
        elif name in _PREFIX and not value.startswith(_PREFIX[name]):
            problems.append(
                f"{name} does not look right: it should start with {_PREFIX[name]} — {_WHAT[name]} "
                f"({SETTINGS_HELP})"
            )
    return problems


def is_fernet_key(value: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(value.encode("ascii"))) == 32 and len(value) == 44
    except (ValueError, UnicodeEncodeError):
        return False


def _plain(value: SecretStr | str | None) -> str | None:
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def load_settings(**overrides: Any) -> Settings:
    """Build the settings from the environment and `.env`, turning validation errors into SettingsError."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise SettingsError([_describe(e) for e in error.errors()]) from None
    except UnicodeDecodeError:  # of .env, whose text is never shown: it holds secrets
        raise SettingsError([f".env: is not UTF-8 text: save it as UTF-8 ({SETTINGS_HELP})"]) from None


def _describe(error: Any) -> str:
    name = str(error["loc"][0]).upper() if error["loc"] else "settings"
    message = str(error["msg"]).removeprefix("Value error, ")
    shown = error.get("input")
    got = "" if "SECRET" in name or "TOKEN" in name or shown is None else f" (got {shown!r})"
    got = "" if name in ("CIRCLES_NOTES_KEY", "DATABASE_URL") else got  # a key, a password: never echo them
    return f"{name}: {message[:1].lower() + message[1:]}{got} ({SETTINGS_HELP})"
