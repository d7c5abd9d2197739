"""Read and check the app's settings (environment variables or `.env`)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from circles import settings_checks as checks
from instruments.catalog import use_programme_folder

SETTINGS_HELP = "see README.md, section Settings"
DEFAULT_DATABASE_URL = "sqlite:///circles.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
# A Slack credential; each setting is checked as it is read (circles.settings_checks).
Credential = Annotated[SecretStr | None, BeforeValidator(checks.slack_credential)]


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

    slack_bot_token: Credential = None
    slack_signing_secret: Credential = None
    slack_app_token: Credential = None
    slack_client_id: Annotated[str | None, BeforeValidator(checks.slack_credential)] = None
    slack_client_secret: Credential = None
    slack_api_url: Annotated[str, AfterValidator(checks.api_url_is_http)] = DEFAULT_SLACK_API_URL
    # How long the app waits for Slack to answer one Web API call before it gives up on that call. At
    # most 30 s: a dispatcher starts no call in the last minute of its claim, so the calls of a message
    # in flight have ended, answered or not, by the time another process may take the message over.
    slack_timeout_seconds: float = Field(default=10, gt=0, le=30, allow_inf_nan=False)
    database_url: Annotated[str, AfterValidator(checks.database_url_parses)] = DEFAULT_DATABASE_URL
    port: int = Field(default=3000, ge=1, le=65535)
    circles_admins: Annotated[
        frozenset[str],
        NoDecode,
        BeforeValidator(checks.split_admins),
        AfterValidator(checks.admins_are_user_ids),
    ] = frozenset()
    # How late a planned prompt or check-in may still go out after downtime; older ones are marked missed.
    circles_grace_hours: int = Field(default=6, ge=1, le=168)
    # How often `circles run` plans and sends; 0 turns the scheduler off (run `circles tick` instead).
    circles_tick_seconds: int = Field(default=60, ge=0, le=3600)
    # How long a stopped `circles run` lets sends in flight finish before it leaves them to their claims:
    # less than the platform's grace period before it kills the process (often 30 s).
    circles_stop_seconds: float = Field(default=20, ge=0, le=300)
    # A Fernet key for check-in notes; unset on SQLite: a key file beside the database (circles.notes_key).
    circles_notes_key: Annotated[SecretStr | None, BeforeValidator(checks.notes_key_is_fernet)] = None
    # A folder of a programme's own instrument files, offered beside the shipped ones.
    circles_instruments_dir: Annotated[Path | None, BeforeValidator(checks.instruments_dir_loads)] = None

    @field_validator("circles_admins")
    @classmethod
    def _admins_fit_the_mode(cls, value: frozenset[str], info: ValidationInfo) -> frozenset[str]:
        several = bool(info.data.get("slack_client_id") or info.data.get("slack_client_secret"))  # Mode.OAUTH
        return checks.admins_name_their_workspace(value, several)

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
    hidden = "SECRET" in name or "TOKEN" in name or name == "SLACK_CLIENT_ID"  # credentials: never echoed
    got = "" if hidden or shown is None else f" (got {shown!r})"
    got = "" if name in ("CIRCLES_NOTES_KEY", "DATABASE_URL") else got  # a key, a password: never echo them
    return f"{name}: {message[:1].lower() + message[1:]}{got} ({SETTINGS_HELP})"
