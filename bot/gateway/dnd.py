"""Ask Slack who has Do Not Disturb on or is snoozed, for the people personal messages are due to, before
a claim decides whether to hold those messages back: `dnd.teamInfo`, at most 50 people a call, per
workspace, paced like every other call. A look-up that fails never stops sending: it reads as no DND."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.gateway.clients import Clients, NoToken
from bot.pacing import Pacer, SlackLimits
from circles.persistence.db import Database
from circles.services.availability.signals import Recipient, due_for_dnd, record_dnd

logger = logging.getLogger(__name__)

METHOD = "dnd.teamInfo"
PER_CALL = 50  # Slack's most users in one dnd.teamInfo


def look_up_dnd(db: Database, clients: Clients, pacer: Pacer, limits: SlackLimits, now: datetime) -> int:
    """Refresh the Do Not Disturb of everyone a personal message is due to who was not looked at lately;
    returns how many calls were made."""
    calls = 0
    for (workspace_id, team_id, enterprise_id), users in _by_workspace(
        due_for_dnd(db.unit_of_work(), now)
    ).items():
        for start in range(0, len(users), PER_CALL):
            chunk = users[start : start + PER_CALL]
            while (wait := pacer.reserve(limits.slots(team_id, METHOD))) > 0:
                pacer.sleep(wait)
            found = _ask(clients, team_id, enterprise_id, chunk, now)
            calls += 1
            record_dnd(db.unit_of_work(), workspace_id, found, now)
    return calls


def _by_workspace(recipients: list[Recipient]) -> dict[tuple[int, str, str | None], list[str]]:
    grouped: dict[tuple[int, str, str | None], list[str]] = defaultdict(list)
    for person in recipients:
        grouped[(person.workspace_id, person.team_id, person.enterprise_id)].append(person.user_id)
    return grouped


def _ask(
    clients: Clients, team_id: str, enterprise_id: str | None, users: list[str], now: datetime
) -> dict[str, datetime | None]:
    none: dict[str, datetime | None] = dict.fromkeys(users)
    try:
        client = clients.for_team(team_id, enterprise_id)
        answer = client.api_call(METHOD, http_verb="GET", params={"users": ",".join(users)})
    except (NoToken, SlackApiError, SlackClientError, OSError) as error:
        # Only the kind of failure is logged: a look-up is a courtesy, and sending goes on without it.
        logger.warning("dnd.teamInfo failed (%s): treated as no Do Not Disturb", type(error).__name__)
        return none
    found = answer.get("users")
    if not isinstance(found, Mapping):
        return none
    return {user: dnd_until(found.get(user), now) for user in users}


def dnd_until(info: object, now: datetime) -> datetime | None:
    """Until when Slack's answer for one person holds messages: a snooze, or a DND period running now."""
    if not isinstance(info, Mapping):
        return None
    at, ends = now.timestamp(), []
    snooze_end = _seconds(info.get("snooze_endtime"))
    if info.get("snooze_enabled") and snooze_end > at:
        ends.append(snooze_end)
    start, end = _seconds(info.get("next_dnd_start_ts")), _seconds(info.get("next_dnd_end_ts"))
    if info.get("dnd_enabled") and start <= at < end:
        ends.append(end)
    return datetime.fromtimestamp(max(ends), UTC) if ends else None


def _seconds(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0
