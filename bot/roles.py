"""What `circles run --role …` starts: Slack's listeners, the scheduler and dispatcher, or both."""

from __future__ import annotations

from enum import StrEnum

from circles.settings import Settings, SettingsError

# A worker never receives a request from Slack, so it needs none of what verifies or carries requests.
_NOT_FOR_SENDING = ("SLACK_SIGNING_SECRET ", "SLACK_APP_TOKEN ", "SLACK_CLIENT_SECRET ")


class Role(StrEnum):
    """`web` serves Slack; `worker` plans and sends; `all` (one machine) does both."""

    WEB = "web"
    WORKER = "worker"
    ALL = "all"

    @property
    def serves_slack(self) -> bool:
        return self is not Role.WORKER

    @property
    def sends(self) -> bool:
        return self is not Role.WEB


def require_credentials(settings: Settings, role: Role) -> Settings:
    """Raise SettingsError unless the settings hold what this role needs.

    A web process (and `all`) needs the credentials of its mode. A worker only sends: SLACK_BOT_TOKEN, or
    in OAuth mode SLACK_CLIENT_ID (the installation store keeps each workspace's token under it). It also
    needs SLACK_SIGNING_SECRET where the database keeps notes from before CIRCLES_NOTES_KEY, sealed with a
    key made from it: the start's notes key check (circles.notes_check) refuses it then, in one line.
    """
    if role.serves_slack:
        return settings.require_slack()
    problems = [line for line in settings.problems() if not line.startswith(_NOT_FOR_SENDING)]
    if problems:
        raise SettingsError(problems)
    return settings


def several_processes_warning(role: Role, dialect: str) -> str | None:
    """One line for a split role on SQLite, which is made for one process."""
    if role is Role.ALL or dialect != "sqlite":
        return None
    return (
        f"--role {role.value} on SQLite, which is made for one process (--role all): "
        "run web and worker processes on PostgreSQL (DATABASE_URL)"
    )
