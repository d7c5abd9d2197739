"""The private messages around a request for a coach or mentor, and short answers of plain words."""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement
from slack_sdk.models.views import View

from bot import ids
from bot.views.message import Message, context_line, text_section
from bot.views.profile import profile_lines
from bot.views.text import clip_mrkdwn, mrkdwn, pack_lines, quote_typed
from circles.messages import UNNAMED, RequestClosedBecause, RequestClosedNotice, RequestCopyClosed
from circles.services.partnerships.request_view import RequestView

PRIVATE = "Only you and they see a request and its answer; nobody else is told."


def notice_modal(message: Message) -> View:
    """A short answer shown over a modal, for actions that have nowhere else to answer."""
    return View(type="modal", title="Circles", close="OK", blocks=message.blocks)


def say(text: str) -> Message:
    """A message of these words alone."""
    return Message(text=text, blocks=[text_section(clip_mrkdwn(text, 3000))])


def request_for_guide(request: RequestView) -> Message:
    """What the coach or mentor receives, privately, with the learner's own words."""
    about = profile_lines(request.learner, ("aspirations", "interests", "department", "seniority"))
    asking = (
        f"<@{request.learner_id}> in *{mrkdwn(request.cohort_name)}* would like you as their "
        f"{request.role.value}."
    )
    buttons = ActionsBlock(
        block_id=ids.REQUEST_ANSWER_BLOCK,
        elements=[
            ButtonElement(
                text="Accept", action_id=ids.REQUEST_ACCEPT, value=str(request.request_id), style="primary"
            ),
            ButtonElement(text="Decline", action_id=ids.REQUEST_DECLINE, value=str(request.request_id)),
        ],
    )
    note = "If you decline, they are told kindly and without a reason. " + PRIVATE
    # Their own words, whole: a section each when they do not fit one together.
    blocks: list[Block] = [text_section(t) for t in pack_lines([asking, *about], 3000)]
    blocks += [buttons, context_line(note)]
    return Message(text=asking, blocks=blocks)


def _told(words: str) -> Callable[[RequestView], Message]:
    """A message about a request in these words; {coach}, {learner}, {role} and {cohort} are the request's."""

    def message(request: RequestView) -> Message:
        return say(
            words.format(
                coach=request.coach_id,
                learner=request.learner_id,
                role=request.role.value,
                cohort=mrkdwn(request.cohort_name),
            )
        )

    return message


request_sent = _told(
    "I've asked <@{coach}> privately whether they can be your {role} "
    "in *{cohort}*. I'll send you a direct message when they answer."
)
accepted_for_guide = _told(
    "You accepted <@{learner}> in *{cohort}*. I've let them know. "
    "A short hello from you is a lovely way to start."
)
accepted_for_learner = _told(
    "Good news: <@{coach}> will be your {role} in "
    "*{cohort}*. Send them a message to arrange your first conversation."
)
declined_for_guide = _told(
    "You declined <@{learner}>'s request in *{cohort}*. "
    "I've let them know kindly, without a reason; nobody else is told."
)
# When Slack did not take the note to the learner: the answer stands, and the coach hears what was done.
accepted_untold = _told(
    "You accepted <@{learner}> in *{cohort}*, so you are now partners. Slack did not take my note to "
    "<@{learner}> just now: they will see you in `/circles status`, "
    "and a short hello from you tells them sooner."
)
declined_untold = _told(
    "You declined <@{learner}>'s request in *{cohort}*; nobody else is told. Slack did not take my note to "
    "<@{learner}> just now, so they may not have heard yet."
)
declined_for_learner = _told(
    "<@{coach}> can't take on a new partner in *{cohort}* right now. "
    "That is about their time, not about you. `/circles coaches` shows others who may be a good fit, "
    "and your facilitator is glad to help you find someone."
)


def request_closed(notice: RequestClosedNotice) -> Message:
    """The learner's notice that their request closed unanswered: why, and how to find someone. A coach or
    mentor erased meanwhile is not named: there is one request a cohort, the learner knows whom they asked."""
    whom = (
        "for a coach or mentor"
        if notice.guide_user_id == UNNAMED
        else f"to work with <@{notice.guide_user_id}>"
    )
    asked = f"Your request {whom} in *{mrkdwn(notice.cohort_name)}* has closed"
    if notice.because is RequestClosedBecause.LEARNER_PAUSED:
        return say(
            f"{asked} while you are on a pause. When you're ready, `/circles resume`, then "
            "`/circles coaches` lets you ask again."
        )
    return say(
        f"{asked}: they no longer take on partners there. `/circles coaches` shows others who may be a "
        "good fit, and your facilitator is glad to help you find someone."
    )


def request_copy_closed(closed: RequestCopyClosed) -> Message:
    """The coach's copy of a request that closed without their answer, in place of its buttons; naming
    nobody once the learner was erased."""
    whom = "" if closed.learner_user_id == UNNAMED else f" from <@{closed.learner_user_id}>"
    return say(
        f"The request{whom} to work with you in *{mrkdwn(closed.cohort_name)}* has closed: "
        "there is nothing to answer."
    )


def already_asked(refusal: str, slug: str) -> Message:
    """The refusal of a second request in a cohort, with the way out: withdraw the one waiting."""
    button = ButtonElement(text="Withdraw my request", action_id=ids.REQUEST_WITHDRAW, value=slug[:2000])
    words = f"{refusal} To ask someone else now, withdraw the request that waits."
    actions = ActionsBlock(block_id=ids.REQUEST_WITHDRAW_BLOCK, elements=[button])
    return Message(text=words, blocks=[text_section(clip_mrkdwn(words, 3000)), actions])


def withdrawn_for_learner(coach_id: str | None, slug: str) -> Message:
    """The learner's answer once they withdrew their request, or found none to withdraw."""
    cohort = f"`{quote_typed(slug, 60)}`"
    if coach_id is None:
        return say(f"No request of yours waits in {cohort} now: it was answered or withdrawn already.")
    return say(
        f"Your request to <@{coach_id}> in {cohort} is withdrawn; nobody is told why. "
        "`/circles coaches` lets you ask someone else."
    )
