"""`/circles profile` (the form), `/circles profile @someone` (a card) and `/circles coaches [<topic>]`."""

from __future__ import annotations

from bot.listeners.actions.profiles import open_profile_modal
from bot.listeners.commands.request import MENTION, CommandRequest
from bot.slack_people import slack_person
from bot.views.directory import directory_message, say
from bot.views.profile import profile_card as card_message
from circles.services.people.directory import directory
from circles.services.people.profiles import profile_card

HOW = "Mention someone to see their profile card, like `/circles profile @name`."


def edit_command(request: CommandRequest) -> None:
    """`/circles profile`."""
    open_profile_modal(request)


def show_card(request: CommandRequest) -> None:
    """Someone's card, if they share a cohort with the person asking."""
    words = request.parsed.rest.split()
    found = MENTION.match(words[0]) if words else None
    if found is None:
        request.reply(say(HOW))
        return
    subject = found.group(1)
    slack = slack_person(request.client, subject)
    card = request.as_person(profile_card, subject, slack=slack, now=request.deps.clock())
    request.reply(card_message(card))


def coaches_command(request: CommandRequest) -> None:
    topic = request.parsed.rest
    found = directory(request.deps.db.reading(), request.team_id, request.user_id, topic or None)
    request.reply(directory_message(found, topic))
