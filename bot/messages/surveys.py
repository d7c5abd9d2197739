"""A member's survey and its one reminder, rendered into their DM at send time."""

from __future__ import annotations

from bot.messages import renders
from bot.views.message import Message
from bot.views.surveys import invite_message
from circles.messages import SurveyInvite, SurveyReminder
from instruments.catalog import instrument


@renders(SurveyInvite)
def survey_invite(invite: SurveyInvite) -> Message:
    return invite_message(invite, instrument(invite.instrument))


@renders(SurveyReminder)
def survey_reminder(reminder: SurveyReminder) -> Message:
    return invite_message(reminder, instrument(reminder.instrument), reminder=True)
