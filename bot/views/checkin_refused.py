"""A check-in form whose answer was refused though it asked for support: the answer was not recorded (why),
and where the request for support went, or why it could not go either."""

from __future__ import annotations

from bot.views.errors import friendly_message
from bot.views.message import Message, text_section
from bot.views.support import support_outcome
from bot.views.text import pack_lines
from circles.domain.checkins import CheckInAnswer
from circles.errors import CheckInAlreadyAnswered, CheckInSuperseded, CirclesError
from circles.services.support.request import SupportSent

NOT_RECORDED = "*Your check-in answer was not recorded.*"


def not_recorded_why(refused: CirclesError) -> str:
    """Why the answer was refused, without the refusal's usual pointer to `/circles support`."""
    if isinstance(refused, CheckInAlreadyAnswered):
        return "You had already answered this check-in, and that first answer stands."
    if isinstance(refused, CheckInSuperseded):
        if refused.newer_answered:
            return "You have already answered a newer check-in for this partnership, so this one is closed."
        return "A newer check-in is waiting for you, so this one is closed. `/circles checkin` opens it."
    return "This partnership is paused or has ended, so its check-in is closed."


def support_went_anyway(refused: CirclesError, sent: SupportSent | None, given: CheckInAnswer) -> Message:
    """The answer refused, the request for support sent all the same: to whom, and what became of the note;
    `sent` None: the answer that stands asked for support already, and that request is the one that went."""
    went = (
        f"*Your request for support still went.* {support_outcome(sent)}"
        if sent is not None
        else "You asked for support in that first answer, so it was not asked again."
    )
    lines = [f"{NOT_RECORDED} {not_recorded_why(refused)}", went]
    if sent is None:
        if given.clean_note is not None:
            lines.append("The note on this form was not kept or sent.")
    elif given.shares_note:
        lines.append("Your shared note went with it; it was not kept with the check-in.")
    elif given.clean_note is not None:
        lines.append("Your note was not kept, and it stayed private: it did not go with your request.")
    return Message(
        text="Check-in not recorded. Your request for support was passed on privately."
        if sent is not None
        else "Check-in not recorded: you had already answered it.",
        blocks=[text_section(text) for text in pack_lines(lines, 3000)],
    )


def support_refused_too(refused: CirclesError, unsent: CirclesError) -> Message:
    """The answer refused, and the request for support with it, each with its reason."""
    lines = [
        f"{NOT_RECORDED} {not_recorded_why(refused)}",
        f"*Your request for support could not be sent either.* {friendly_message(unsent)}",
    ]
    return Message(
        text="Check-in not recorded, and your request for support could not be sent.",
        blocks=[text_section(text) for text in pack_lines(lines, 3000)],
    )
