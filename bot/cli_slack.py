"""How a `circles` command reaches Slack: the tenant's bot token, and whose it is.

A token is SLACK_BOT_TOKEN, or in OAuth mode the installation's bot token of the tenant `--team` names
(an organisation's for an org-wide install). An org-wide token's users.lookupByEmail and users.info
answer for anyone of the organisation, so no call names a workspace.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.cli_common import Refused, opened, tenant_name
from bot.gateway.clients import Clients, NoToken, TenantHeld
from bot.gateway.outcomes import TOKEN_REFUSED
from bot.slack_client import web_client
from circles.domain.tenants import resolve_tenant
from circles.settings import Mode, Settings

NOT_FOUND = frozenset({"users_not_found", "user_not_found", "user_not_visible"})
NAME_THE_TENANT = (
    "SLACK_BOT_TOKEN is not set: set it, or name the workspace or organisation with --team T… or E…"
)


def bot_token(settings: Settings, team: str | None) -> str | None:
    """SLACK_BOT_TOKEN, else in OAuth mode the stored installation's token of `team`; None with neither
    (without OAuth, a file of user IDs is then taken as given, as before the tenant installed the app;
    with it, `refuse_uninstalled` says why not)."""
    if settings.slack_bot_token is not None:
        return settings.slack_bot_token.get_secret_value()
    if settings.mode is not Mode.OAUTH or team is None:
        return None
    from bot.edge.rotation import installation_store

    with opened(settings, existing=True) as db:  # no database holds no installation: none is made
        try:
            return Clients(settings, installation_store(settings, db)).for_team(team).token
        except TenantHeld:
            raise Refused(
                f"Slack refused to refresh the token of {tenant_name(team)}: install Circles there again"
            ) from None
        except NoToken:
            return None


def refuse_uninstalled(settings: Settings, team: str) -> None:
    """In OAuth mode, Refused for a tenant with no installation (`bot_token` found none): an operator's
    typo among hundreds of workspaces would otherwise become a tenant that nothing can ever reach."""
    if settings.mode is Mode.OAUTH:
        raise Refused(f"no installation of {tenant_name(team)} in this database: install Circles there first")


def connect(settings: Settings, team: str | None) -> tuple[WebClient, str] | None:
    """A client for the tenant's token and the tenant it belongs to (checked against `team`); None when
    there is no token."""
    with refused_when_failing(settings):  # a rotating token due is refreshed first, which Slack may fail
        token = bot_token(settings, team)
    if token is None:
        return None
    client = web_client(settings, token)
    with refused_when_failing(settings):
        answer = client.auth_test()
    found = resolve_tenant(
        answer.get("team_id"), answer.get("enterprise_id"), answer.get("is_enterprise_install") is True
    ).key
    if team is not None and team != found:
        raise Refused(f"--team {team} does not match SLACK_BOT_TOKEN, which belongs to {tenant_name(found)}")
    return client, found


@contextmanager
def refused_when_failing(settings: Settings) -> Iterator[None]:
    """Slack refusing, or not answering, what a command asks it: Refused, in one line."""
    try:
        yield
    except SlackApiError as error:
        raise Refused(slack_refused(str(error.response.get("error")))) from None
    except (SlackRequestError, OSError) as error:
        raise Refused(unreachable(settings, error)) from None


def unreachable(settings: Settings, error: Exception) -> str:
    """One line for a Slack that did not answer."""
    return f"could not reach Slack at {settings.slack_api_url} (SLACK_API_URL): {error}"


def slack_refused(code: str) -> str:
    """Why Slack refused, in one line that never shows the token."""
    if code in TOKEN_REFUSED:
        return f"SLACK_BOT_TOKEN was refused by Slack ({code}): copy it again from OAuth & Permissions"
    if code == "missing_scope":
        return "Slack refused for lack of a scope: reinstall the app with users:read and users:read.email"
    return f"Slack answered {code}: nothing was imported"
