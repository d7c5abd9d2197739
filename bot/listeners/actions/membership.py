"""Buttons around membership: choosing a role to join (and `/circles join`'s completion), erasing data
after leaving."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.gateway.outcomes import error_code
from bot.listeners.actions.profiles import open_profile_modal
from bot.listeners.incoming import Incoming
from bot.listeners.surfaces import tell
from bot.slack_people import slack_person
from bot.slack_refusals import send_dm
from bot.views.membership import welcome
from bot.views.message import Message
from bot.views.text import mrkdwn
from circles.domain.vocabulary import Role
from circles.persistence.retry import database_unavailable
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import join
from circles.services.people.profiles import keep_from_slack
from prompts.roles import role_texts

logger = logging.getLogger(__name__)

OUT_OF_DATE = "That button is out of date; `/circles join &lt;cohort&gt;` shows the roles to choose from."


def role_chosen(incoming: Incoming) -> None:
    slug, _, chosen = incoming.action_value.partition(":")
    role = next((role for role in Role if role.value == chosen), None)
    if role is None:
        tell(incoming, OUT_OF_DATE)
        return
    complete_join(incoming, slug, role, replace=True)


def complete_join(person: Incoming, slug: str, role: Role, replace: bool = False) -> None:
    """Join, then welcome privately, ask for a profile when there is none yet, and keep their time zone."""
    deps, user_id = person.deps, person.user_id
    joined = join(deps.db.unit_of_work(), person.team_id, slug, user_id, role, deps.clock())
    if joined.already:
        person.respond(
            text=f"You are already in *{mrkdwn(joined.name)}* as a {joined.role.value} — nothing to do.",
            replace_original=replace,
        )
        return
    if not joined.has_profile and person.trigger_id:
        _open_profile(person, joined.name)
    guide = welcome(joined.name, role_texts()[joined.role])
    welcomed = _welcome(person, guide)
    person.respond(
        text=f"You have joined *{mrkdwn(joined.name)}* as a {joined.role.value}. "
        + (WELCOME_SENT if welcomed else WELCOME_NOT_SENT),
        replace_original=replace,
    )
    keep_time_zone(person, user_id)  # after the answer, which need not wait for Slack


WELCOME_SENT = "I've sent you a welcome message with what to expect."
WELCOME_NOT_SENT = "Slack did not take your welcome message just now; `/circles status` shows where you are."


def _welcome(person: Incoming, guide: Message) -> bool:
    """Send the welcome; the join stands whatever Slack does (failing, too slow), and the person is told."""
    try:
        return send_dm(person.client, person.user_id, guide.text, guide.block_dicts())
    except (SlackApiError, OSError) as error:  # OSError: timed out, refused or dropped connections
        logger.warning("could not send the welcome after joining: %s", _failure(error))
        return False


def keep_time_zone(incoming: Incoming, user_id: str) -> None:
    """Keep what Slack says of someone who joined (their time zone, name and team) on their profile, so their
    check-ins and quiet hours follow their own zone, not the cohort's; Slack not saying (logged by its code)
    leaves the join as it is, and `user_change` or a profile saved brings the zone later."""
    deps = incoming.deps
    slack = slack_person(incoming.client, user_id)
    if slack is None:
        return
    try:
        keep_from_slack(deps.db.unit_of_work(), incoming.team_id, user_id, slack=slack, now=deps.clock())
    except Exception as error:  # the join was answered already: only a database gone for now is expected
        if not database_unavailable(error):
            raise
        logger.warning("could not keep a joiner's time zone: the database was unavailable")


def _open_profile(person: Incoming, name: str) -> None:
    try:
        open_profile_modal(person, note=f"Welcome to {name}! Tell others a little about yourself.")
    except (SlackApiError, OSError) as error:  # e.g. expired_trigger_id: the profile can be filled in later
        logger.warning("could not open the profile form after joining: %s", _failure(error))


def _failure(error: SlackApiError | OSError) -> str:
    return error_code(error) if isinstance(error, SlackApiError) else type(error).__name__


def erase_chosen(incoming: Incoming) -> None:
    deps = incoming.deps
    erased = erase_personal_data(
        deps.db.unit_of_work(),
        incoming.team_id,
        incoming.user_id,
        deps.clock(),
        admins=deps.circles_admins(incoming.team_id),  # what reaches them as an admin still does
    )
    if erased:
        incoming.respond(
            text="Done: your profile and your notes have been erased. Thank you for taking part.",
            replace_original=True,
        )
    else:
        incoming.respond(
            text=(
                "You are still in a cohort here, so your profile stays for now: leave each one "
                "(`/circles leave &lt;cohort&gt;`), then erase."
            ),
            replace_original=False,
        )
