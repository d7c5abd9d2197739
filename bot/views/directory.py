"""The coach and mentor directory, and the private messages around a request."""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot import ids
from bot.views.message import Message, context_line, text_section
from bot.views.profile import profile_lines
from bot.views.text import clip_mrkdwn, counted, fit_mrkdwn, mrkdwn, pack_lines, quote_typed
from circles.services.partnerships.requests import RequestView
from circles.services.people.directory import Basis, Directory, Entry

MAX_SHOWN = 15  # a message holds 50 blocks; fifteen people is already a long list to read
SNIPPET = 200  # characters of what someone offers, before "…"
PRIVATE = "Only you and they see a request and its answer; nobody else is told."


def directory_message(directory: Directory, topic: str = "") -> Message:
    """Best fit first, with the words that matched and the room each person has left."""
    blocks: list[Block] = [
        SectionBlock(
            block_id=ids.DIRECTORY_INTRO_BLOCK, text=MarkdownTextObject(text=_intro(directory, topic))
        )
    ]
    blocks += [_entry(entry) for entry in directory.entries[:MAX_SHOWN]]
    if len(directory.entries) > MAX_SHOWN:
        more = (
            f"Showing the {MAX_SHOWN} best fits of {len(directory.entries)}. Add a topic to narrow it down."
        )
        blocks.append(context_line(more))
    if any(e.can_request and not e.full for e in directory.entries):
        blocks.append(context_line(PRIVATE))
    return Message(text="Coaches and mentors in your cohorts", blocks=blocks)


def directory_modal(directory: Directory) -> View:
    """The same directory, opened from the Home tab."""
    blocks = directory_message(directory).blocks
    return View(type="modal", title="Coaches & mentors", close="Close", blocks=blocks)


def notice_modal(message: Message) -> View:
    """A short answer shown over a modal, for actions that have nowhere else to answer."""
    return View(type="modal", title="Circles", close="OK", blocks=message.blocks)


def say(text: str) -> Message:
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
declined_for_learner = _told(
    "<@{coach}> can't take on a new partner in *{cohort}* right now. "
    "That is about their time, not about you. `/circles coaches` shows others who may be a good fit, "
    "and your facilitator is glad to help you find someone."
)


def _intro(directory: Directory, topic: str) -> str:
    if not directory.entries:
        return "There are no coaches or mentors in your cohorts yet. Your facilitator can tell you more."
    if directory.basis is Basis.TOPIC:
        return f"*Coaches and mentors for “{quote_typed(topic)}”*, best fit first."
    if directory.basis is Basis.PROFILE:
        return "*Coaches and mentors*, best fit for your aspirations and interests first."
    return mrkdwn(
        "*Coaches and mentors* in your cohorts. Add your aspirations with `/circles profile`, "
        "or try `/circles coaches <topic>`, to see the best fit first."
    )


def _entry(entry: Entry) -> SectionBlock:
    room = "no room right now" if entry.full else f"{counted(entry.remaining, 'place')} left"
    lines = [f"*<@{entry.user_id}>* · {entry.role.value} in {fit_mrkdwn(entry.cohort_name, 500)} · {room}"]
    offers = entry.offers or entry.skills
    if offers:
        lines.append(fit_mrkdwn(offers, SNIPPET))
    if entry.matches:
        lines.append(f"_matches: {fit_mrkdwn(', '.join(entry.matches), SNIPPET)}_")
    button = None
    if entry.can_request and not entry.full:
        button = ButtonElement(
            text=f"Request as my {entry.role.value}",
            action_id=ids.DIRECTORY_REQUEST,
            value=f"{entry.cohort_slug}:{entry.user_id}",
        )
    return SectionBlock(text=MarkdownTextObject(text=clip_mrkdwn("\n".join(lines), 3000)), accessory=button)
