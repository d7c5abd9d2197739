"""`circles run` and `circles tick`: serve until stopped, or one scheduling pass; a start that had to make
the notes key says so loudly, and one that Slack stopped says why in one line."""

from __future__ import annotations

import logging
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from bot.cli_common import fail, schema_problem
from bot.roles import Role, require_credentials, several_processes_warning
from bot.stop_signals import StopSignals
from circles.notes_key import NotesKey, ensure_notes_key, first_run_notice
from circles.persistence.db import Database
from circles.settings import Mode, Settings

if TYPE_CHECKING:
    from slack_bolt import App

logger = logging.getLogger("circles")


def run(settings: Settings, role: Role = Role.ALL) -> int:
    """Check the settings, bring SQLite's schema up to date, then serve until stopped."""
    require_credentials(settings, role)
    from slack_bolt.error import BoltError  # Slack's libraries load only once settings are sound
    from slack_sdk.errors import SlackApiError, SlackRequestError

    from bot.app import create_app
    from bot.deps import build_deps
    from bot.server import PortUnavailable, serve
    from prompts.roles import RoleTextError, role_texts
    from prompts.tracks import PromptTrackError, load_all

    try:
        role_texts()  # data files are checked at start-up, not when the first person joins
        load_all()
    except (RoleTextError, PromptTrackError) as error:
        return fail([str(error)])

    db = Database(settings.database_url)
    if (problem := schema_problem(db)) is not None:
        return fail([problem])
    if (warning := several_processes_warning(role, db.engine.dialect.name)) is not None:
        logger.warning("%s", warning)
    deps = build_deps(_announced(ensure_notes_key(settings)), db)
    try:
        if role.serves_slack:
            app: App | None = create_app(deps)
        else:
            _check_token(settings)
            app = None
    except (BoltError, SlackApiError, SlackRequestError, OSError) as error:
        return fail([_explain_slack_failure(error, settings)])
    try:
        serve(deps, app, role)
    except PortUnavailable as error:
        return fail([f"{error} (choose another with PORT)"])
    except (SlackApiError, SlackRequestError) as error:  # Socket Mode's first connection
        return fail([_explain_slack_failure(error, settings, "SLACK_APP_TOKEN")])
    return 0


def _check_token(settings: Settings) -> None:
    """A worker builds no Bolt app; check its one bot token as Bolt would (OAuth tokens are per workspace)."""
    if settings.slack_bot_token is not None and settings.mode is not Mode.OAUTH:
        from bot.slack_client import web_client

        web_client(settings, settings.slack_bot_token.get_secret_value()).auth_test()


def _token_refused(settings: Settings) -> str | None:
    """Why Slack refuses the one bot token, when it does; None when it takes it, or cannot be asked now (a
    pass then plans, and what it cannot send waits for the next)."""
    from slack_sdk.errors import SlackApiError, SlackRequestError

    from bot.gateway.outcomes import TOKEN_REFUSED

    try:
        _check_token(settings)
    except SlackApiError as error:
        if str(error.response.get("error")) in TOKEN_REFUSED:
            return _explain_slack_failure(error, settings)
    except (SlackRequestError, OSError):
        pass
    return None


def tick(settings: Settings, now: datetime | None, *, full: bool = False) -> int:
    """Run one scheduling pass at `now` against the configured database and Slack, then exit.

    SIGTERM or Ctrl-C: what is being sent finishes and what the pass claimed and has not started goes
    back to the outbox at once, not when its claims expire; asked twice, it stops at once."""
    require_credentials(settings, Role.WORKER)  # it only sends, as a worker does: no signing secret needed
    from bot.deps import build_deps
    from bot.tick import run_tick

    with StopSignals() as signals:
        db = Database(settings.database_url)
        if (problem := schema_problem(db)) is not None:
            return fail([problem])
        if (refused := _token_refused(settings)) is not None:
            return fail([refused])  # every message would fail for good: none is tried
        deps = build_deps(_announced(ensure_notes_key(settings)), db)
        signals.stopping = deps.stopping  # the worker's own: its pass stops and hands back what it holds
        summary = run_tick(deps, now or deps.clock(), full=full)
    if signals.asked is not None:
        sent, back = summary.counts["messages sent"], summary.counts["messages to retry"]
        said = f"circles: tick stopped ({signals.asked.name}): {sent} sent, {back} handed back to the outbox"
        print(said, file=sys.stderr)  # a `circles:` line, as every one saying why it stopped
        return 128 + signals.asked
    for line in summary.lines():
        print(line)
    return 0


def _announced(notes: NotesKey) -> Settings:
    """The settings with their notes key, after saying so loudly if this start had to make one."""
    if notes.created is not None:
        border = "*" * 100  # a box, not a `circles:` line: those say why Circles stopped
        print(
            "\n".join([border, *(f"* {line}" for line in first_run_notice(notes.created)), border]),
            file=sys.stderr,
        )
    return notes.settings


# Where in the app's settings on api.slack.com each token is copied from.
_WHERE = {"SLACK_BOT_TOKEN": "OAuth & Permissions", "SLACK_APP_TOKEN": "Basic Information, App-Level Tokens"}


def _explain_slack_failure(error: Exception, settings: Settings, setting: str = "SLACK_BOT_TOKEN") -> str:
    """One line for a start that Slack stopped: a refused token, an error answer, or no answer at all.

    Bolt wraps auth.test's error answer in a BoltError saying the token is invalid, whatever the answer
    was (a 500, a rate limit): the answer itself is what names the reason."""
    from slack_sdk.errors import SlackApiError

    from bot.gateway.outcomes import TOKEN_REFUSED

    answer = error if isinstance(error, SlackApiError) else error.__context__
    if isinstance(answer, SlackApiError):
        code = str(answer.response.get("error"))
        if code in TOKEN_REFUSED:
            return f"{setting} was refused by Slack ({code}): copy it again from {_WHERE[setting]}"
        if code.startswith("Received a response in a non-JSON format"):  # slack_sdk's words for it
            return (
                f"{settings.slack_api_url} (SLACK_API_URL) does not answer as Slack's Web API does: check it"
            )
        slack = f"Slack at {settings.slack_api_url} (SLACK_API_URL)"
        method = str(answer.response.api_url).rsplit("/", 1)[-1]
        return f"{slack} answered {method} with {code}: try again shortly"
    return " ".join(f"could not reach Slack at {settings.slack_api_url} (SLACK_API_URL): {error}".split())
