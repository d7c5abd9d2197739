"""Keep up with changes to people and to the installation itself."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.oauth.installation_store import Installation

from bot.deps import note_decrypt
from bot.edge.tenant import says_org_wide
from bot.listeners.incoming import Incoming
from bot.slack_people import names_of
from circles.domain.tenants import TenantKind, is_organisation_key, workspace_team
from circles.domain.text import clean_typed, slack_id
from circles.services.availability.signals import SlackStatus, record_status
from circles.services.intake.workspaces import mark_uninstalled, team_access_changed
from circles.services.people.left_slack import back_in_slack, left_slack
from circles.services.people.profiles import SlackPerson, refresh_from_slack

logger = logging.getLogger(__name__)


def user_changed(incoming: Incoming) -> None:
    """Keep a member's time zone fresh, so prompts arrive in their local morning, and their out-of-office
    or leave status, so personal messages wait until it ends; someone deactivated leaves their cohorts."""
    user = incoming.body["event"].get("user")
    user = user if isinstance(user, dict) else {}
    user_id = slack_id(user.get("id"))
    if user_id is None:  # not a person Slack would name: nothing to refresh
        return
    team_id = incoming.team_id or str(slack_id(user.get("team_id")) or "")
    now = incoming.deps.clock()
    if user.get("deleted") is True:  # deactivated or deleted: nobody can answer for them any more
        deps = incoming.deps  # the admins hear of an alert they claimed that no other facilitator may
        left = left_slack(
            deps.db, team_id, user_id, now, decrypt=note_decrypt(deps), admins=deps.circles_admins(team_id)
        )
        if left:
            logger.info("a deactivated Slack account left %d cohort(s) of %s", len(left), team_id)
        return
    if user.get("deleted") is False:  # an account Slack brought back: they hear their cohorts again
        back_in_slack(incoming.deps.db.unit_of_work(), team_id, user_id)
    profile = user.get("profile")
    name = (profile.get("display_name") if isinstance(profile, dict) else None) or user.get("real_name")
    zone = user.get("tz")
    refresh_from_slack(
        incoming.deps.db.unit_of_work(),
        team_id=team_id,
        user_id=user_id,
        slack=SlackPerson(
            timezone=clean_typed(zone) if isinstance(zone, str) else None,
            display_name=clean_typed(name) if isinstance(name, str) else None,
            team_id=workspace_team(user.get("team_id")),  # their own workspace, also in an organisation
            names=names_of(user),
        ),
        now=now,
    )
    status = status_of(profile if isinstance(profile, dict) else {})
    record_status(incoming.deps.db.unit_of_work(), team_id, user_id, status, now)


def status_of(profile: dict[str, Any]) -> SlackStatus:
    """The status fields of a Slack profile, as plain values (odd types read as no status)."""
    emoji, text, expiration = (profile.get(k) for k in ("status_emoji", "status_text", "status_expiration"))
    return SlackStatus(
        emoji if isinstance(emoji, str) else "",
        text[:200] if isinstance(text, str) else "",
        expiration if isinstance(expiration, int) and not isinstance(expiration, bool) else 0,
    )


def app_uninstalled(incoming: Incoming) -> None:
    """Stop working for a workspace that removed the app; its OAuth tokens are forgotten. An uninstall
    older than the current installation (Slack retrying it after a reinstall) changes nothing."""
    team_id = incoming.team_id
    if _older_than(incoming, _installation(incoming)):
        logger.info("an uninstall of %s from before its current installation: ignored", team_id)
        return
    _stop_working_for(incoming)
    logger.info("app uninstalled from %s", team_id)


def tokens_revoked(incoming: Incoming) -> None:
    """Forget the installed bot's token once Slack revokes it, so nothing tries to send with it: the
    tenant's messages wait, as after an uninstall, until the app is installed again (or, with
    SLACK_BOT_TOKEN, started with a new token). Another bot's token, or an older revocation, changes
    nothing."""
    team_id = incoming.team_id
    tokens = incoming.body["event"].get("tokens")
    named = tokens.get("bot") if isinstance(tokens, dict) else None
    bots = {bot for bot in named if isinstance(bot, str)} if isinstance(named, list) else set()
    if not bots:
        return  # people's own tokens (tokens.oauth): the app asks for no user scopes, so it holds none
    installation = _installation(incoming)
    ours = installation.bot_user_id if installation is not None else incoming.context.bot_user_id
    # Another bot's token (an earlier install's, the event retried after a reinstall with a new bot user),
    # or a revocation from before the current installation: the installation's own token still works.
    if (ours is not None and ours not in bots) or _older_than(incoming, installation):
        logger.info("a token revocation in %s not of its current installation: ignored", team_id)
        return
    _stop_working_for(incoming)
    logger.warning("Slack revoked the bot token for %s; reinstall the app to resume", team_id)


def _stop_working_for(incoming: Incoming) -> None:
    """Mark the tenant uninstalled, so that its messages wait, and forget its OAuth tokens: the
    installation row holds the bot token too, and Bolt looks there first."""
    deps = incoming.deps
    mark_uninstalled(deps.db.unit_of_work(), team_id=incoming.team_id, now=deps.clock())
    if deps.installation_store is not None:
        _forget_tokens(incoming)


def team_access_revoked(incoming: Incoming) -> None:
    """An org-wide install lost some workspaces: messages to their people wait until access comes back."""
    _team_access(incoming, granted=False)


def team_access_granted(incoming: Incoming) -> None:
    """An org-wide install reaches some workspaces (again): messages waiting for their people go."""
    _team_access(incoming, granted=True)


def _team_access(incoming: Incoming, granted: bool) -> None:
    tenant = incoming.tenant
    organisation = tenant.key
    given = incoming.body["event"].get("team_ids")
    teams = sorted({team for team in given if workspace_team(team)}) if isinstance(given, list) else []
    if tenant.kind is not TenantKind.ORGANISATION or not is_organisation_key(organisation) or not teams:
        return  # only an org-wide install hears of its workspaces: a workspace's own install changes none
    if not _for_the_org_wide_install(incoming):
        logger.info("a change of access in %s not for its org-wide install: ignored", organisation)
        return
    team_access_changed(incoming.deps.db.unit_of_work(), organisation, teams, granted, incoming.deps.clock())
    logger.info(
        "%s %s of %s", "access back to" if granted else "no access to", ", ".join(teams[:20]), organisation
    )


def _for_the_org_wide_install(incoming: Incoming) -> bool:
    """Whether the organisation has an org-wide install (OAuth mode; with one token, the edge keeps to its
    tenant) and the event is not that of a workspace's own install, its authorization naming it as one.
    Slack sends these events only to an org-wide install, and Bolt authorises nothing before
    team_access_revoked: anything else is forged, or from before an uninstall, and changes nothing."""
    tenant, store = incoming.tenant, incoming.deps.installation_store
    if store is None:
        return True
    if _installation(incoming) is None:
        return False
    if says_org_wide(incoming.body) or tenant.team_id is None:
        return True
    own = store.find_installation(enterprise_id=tenant.enterprise_id, team_id=tenant.team_id)
    return own is None or own.is_enterprise_install is True


def _installation(incoming: Incoming) -> Installation | None:
    """The tenant's current installation, as Bolt finds it (OAuth mode); None without one."""
    tenant, store = incoming.tenant, incoming.deps.installation_store
    if store is None:
        return None
    if tenant.kind is TenantKind.ORGANISATION:
        return store.find_installation(enterprise_id=tenant.key, team_id=None, is_enterprise_install=True)
    return store.find_installation(enterprise_id=incoming.context.enterprise_id, team_id=tenant.key)


def _older_than(incoming: Incoming, installation: Installation | None) -> bool:
    """Whether the event happened before the installation was made: a late delivery or retry of an event
    about an earlier one. Slack gives the time in whole seconds, so an event of the installation's own
    second is not older than it."""
    at = incoming.body.get("event_time")
    if installation is None or not isinstance(at, int) or isinstance(at, bool):
        return False
    return at < int(installation.installed_at)


def _forget_tokens(incoming: Incoming) -> None:
    """Delete the tenant's installation: an org-wide one is stored without a team."""
    tenant, store = incoming.tenant, incoming.deps.installation_store
    assert store is not None
    if tenant.kind is TenantKind.ORGANISATION:
        store.delete_all(enterprise_id=tenant.key, team_id=None)
    else:
        store.delete_all(enterprise_id=incoming.context.enterprise_id, team_id=tenant.key)
