"""Ask Slack who has Do Not Disturb on or is snoozed, for the people personal messages are due to, before
a claim decides whether to hold those messages back: `dnd.teamInfo`, at most 50 people a call, per
workspace, paced like every other call but never waited for: the people whose workspace has no turn left
now are asked about by a later pass, and their messages that can wait are not claimed until then. A
look-up that fails never stops sending: what Slack said before stands (a quiet period known to run on
still holds), and someone never seen in Do Not Disturb reads as not in it.

An org-wide install's token must name the workspace the people asked about belong to (`team_id`), so an
organisation's people are asked about per workspace of theirs; those whose workspace is not known yet are
not asked about, and read as no DND."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.gateway.clients import Clients, NoToken
from bot.pacing import Pacer, SlackLimits
from circles.persistence.db import Database
from circles.persistence.retry import again_if_dropped
from circles.services.availability.signals import Recipient, due_for_dnd, record_dnd, record_dnd_unanswered

logger = logging.getLogger(__name__)

METHOD = "dnd.teamInfo"
PER_CALL = 50  # Slack's most users in one dnd.teamInfo


@dataclass(frozen=True)
class LookUp:
    """One tenant's token asking about people of one workspace (`ask_team`; None: the token's own)."""

    workspace_id: int
    team_id: str  # the tenant's key, whose token asks
    enterprise_id: str | None
    ask_team: str | None


def look_up_dnd(
    db: Database, clients: Clients, pacer: Pacer, limits: SlackLimits, now: datetime
) -> set[tuple[int, str]]:
    """Refresh the Do Not Disturb of everyone a personal message is due to who was not looked at lately,
    as far as each workspace's turns allow now; returns the (workspace id, person) left to ask later.

    It never waits for a turn: the pass's claims, other workspaces' messages among them, would wait with
    it. Whoever is left is asked about by a later pass, and their messages that can wait wait for it."""
    left: set[tuple[int, str]] = set()
    # Each step is safe to do again on a new connection: it reads, or records what Slack said.
    groups, unknown = look_ups(again_if_dropped(lambda: due_for_dnd(db.unit_of_work(), now)))
    if unknown:
        # A count only: who they are stays out of the logs.
        logger.debug("dnd.teamInfo: %d people of org-wide installs skipped, team unknown", len(unknown))
        # Kept as looked at (no DND), so that they do not crowd out the people who can be asked about.
        for workspace_id, users in _by_tenant(unknown).items():
            again_if_dropped(partial(record_dnd, db.unit_of_work(), workspace_id, dict.fromkeys(users), now))
    for look_up, users in groups.items():
        for start in range(0, len(users), PER_CALL):
            if pacer.reserve(limits.slots(look_up.team_id, METHOD)) > 0:  # no turn now: a later pass asks
                left |= {(look_up.workspace_id, user) for user in users[start:]}
                break
            chunk = users[start : start + PER_CALL]
            found = _ask(clients, look_up, chunk, now)
            if found is None:  # no answer: what Slack said before about them stands
                again_if_dropped(
                    partial(record_dnd_unanswered, db.unit_of_work(), look_up.workspace_id, chunk, now)
                )
            else:
                again_if_dropped(partial(record_dnd, db.unit_of_work(), look_up.workspace_id, found, now))
    return left


def look_ups(recipients: list[Recipient]) -> tuple[dict[LookUp, list[str]], list[Recipient]]:
    """The people to ask about, per tenant and, for an org-wide install, per workspace of theirs; with the
    people of org-wide installs left out because their workspace is not known."""
    grouped: dict[LookUp, list[str]] = defaultdict(list)
    unknown: list[Recipient] = []
    for person in recipients:
        if person.organisation and person.person_team_id is None:
            unknown.append(person)
            continue
        ask_team = person.person_team_id if person.organisation else None
        look_up = LookUp(person.workspace_id, person.team_id, person.enterprise_id, ask_team)
        grouped[look_up].append(person.user_id)
    return dict(grouped), unknown


def _by_tenant(recipients: list[Recipient]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for person in recipients:
        grouped[person.workspace_id].append(person.user_id)
    return grouped


def _ask(
    clients: Clients, look_up: LookUp, users: list[str], now: datetime
) -> dict[str, datetime | None] | None:
    """Until when each person is in Do Not Disturb (None: not now), or None when Slack gave no answer."""
    params = {"users": ",".join(users)}
    if look_up.ask_team is not None:
        params["team_id"] = look_up.ask_team
    try:
        client = clients.for_team(look_up.team_id, look_up.enterprise_id)
        answer = client.api_call(METHOD, http_verb="GET", params=params)
    except (NoToken, SlackApiError, SlackClientError, OSError) as error:
        # Only the kind of failure is logged: a look-up is a courtesy, and sending goes on without it.
        logger.warning("dnd.teamInfo failed (%s): what was known before stands", type(error).__name__)
        return None
    found = answer.get("users")
    if not isinstance(found, Mapping):
        return None
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
