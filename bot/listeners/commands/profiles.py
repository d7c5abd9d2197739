"""`/circles profile` (the form), `/circles profile @someone` (a card) and `/circles coaches [<topic>]`."""

from __future__ import annotations

import logging

from bot.deps import note_decrypt
from bot.listeners.actions.profiles import open_profile_modal
from bot.listeners.commands.request import MENTION, CommandRequest
from bot.slack_people import slack_person
from bot.views.directory.listing import directory_message
from bot.views.directory.requests import say
from bot.views.profile import profile_card as card_message
from bot.views.text import quote_typed
from circles.services.people.directory import directory
from circles.services.people.left_slack import left_slack
from circles.services.people.profiles import profile_card

HOW = "Mention someone to see their profile card, like `/circles profile @name`."
UNKNOWN = (
    "I couldn't tell who `{name}` is. Type @ and the start of their name, then pick them from the list "
    "Slack shows, so it becomes a mention."
)
ONE_AT_A_TIME = "Profile cards come one person at a time: this is the first person you mentioned."
GONE = "<@{user}>'s Slack account is no longer active, so there is no profile card to show."

logger = logging.getLogger(__name__)


def edit_command(request: CommandRequest) -> None:
    """`/circles profile`."""
    open_profile_modal(request)


def show_card(request: CommandRequest) -> None:
    """Someone's card, if they share a cohort with the person asking."""
    words = request.parsed.rest.split()
    found = MENTION.match(words[0]) if words else None
    if found is None:
        # A name Slack did not turn into a mention (typed too fast, or no such person) carries no user ID.
        typed = request.said.split()[0] if request.said.split() else ""
        request.reply(say(UNKNOWN.format(name=quote_typed(typed)) if typed.startswith("@") else HOW))
        return
    subject = found.group(1)
    slack = slack_person(request.client, subject)
    if slack is not None and slack.deleted:
        _left_slack(request, subject)
        request.reply(say(GONE.format(user=subject)))
        return
    card = request.as_person(profile_card, subject, slack=slack, now=request.deps.clock())
    others = {m.group(1) for m in map(MENTION.match, words[1:]) if m} - {subject}
    request.reply(card_message(card, note=ONE_AT_A_TIME if others else None))


def _left_slack(request: CommandRequest, user_id: str) -> None:
    """Someone deactivated whose `user_change` was missed leaves their cohorts now, as that event would
    have had them do; done already (by the event, or an earlier look), it changes nothing."""
    deps = request.deps
    admins = deps.circles_admins(request.team_id)  # an alert they claimed that no other facilitator may hear
    left = left_slack(
        deps.db, request.team_id, user_id, deps.clock(), decrypt=note_decrypt(deps), admins=admins
    )
    if left:
        logger.info("a deactivated Slack account left %d cohort(s) of %s", len(left), request.team_id)


def coaches_command(request: CommandRequest) -> None:
    topic = request.said
    deps = request.deps
    found = directory(deps.db.reading(), request.team_id, request.user_id, topic or None, now=deps.clock())
    request.reply(directory_message(found, topic))
