"""The check-in in a member's DM: the question with quick answers, and what it becomes once answered."""

from __future__ import annotations

import re

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    MarkdownTextObject,
    SectionBlock,
)

from bot import ids
from bot.views.message import Message, context_line, text_section
from bot.views.support import support_outcome
from bot.views.text import mrkdwn, pack_lines
from circles.domain.checkins import RATINGS
from circles.domain.text import row_id
from circles.services.checkins.answers import Answered
from circles.services.checkins.opening import CheckInChoice
from instruments.checkin import checkin_words

# The check-in's words come from its instrument file (instruments/checkin.yml), so a programme rewords there.
RATING_WORDS = checkin_words().rating_labels
_RATE_VALUE = re.compile(r"([0-9]{1,10}):([1-5])")
CHOICES_SHOWN = 45  # a message holds 50 blocks: a question, 45 check-ins and a footer


def who_sees(partner_user_id: str) -> str:
    """The privacy promise, in the words every check-in shows."""
    return (
        f"Private: <@{partner_user_id}> never sees your answers. Your rating and whether you met go to "
        "your cohort's facilitators only; a note reaches them only if you choose to share it."
    )


def checkin_message(checkin_id: int, cohort_name: str, partner_user_id: str) -> Message:
    """The question in the member's DM: a rating in one tap, or the full form."""
    question = f"How is your partnership with <@{partner_user_id}> going?"
    # The notification names the partner too: a coach with several learners gets one check-in for each.
    text = f"Check-in · {mrkdwn(cohort_name)}: how is your partnership with <@{partner_user_id}> going?"
    rate = [
        ButtonElement(
            text=f"{rating} · {RATING_WORDS[rating]}",
            action_id=f"{ids.CHECKIN_RATE}_{rating}",
            value=rate_value(checkin_id, rating),
        )
        for rating in RATINGS
    ]
    more = [
        ButtonElement(
            text="Answer in full", action_id=ids.CHECKIN_OPEN, value=str(checkin_id), style="primary"
        ),
        ButtonElement(
            text="I'd like support from a facilitator",
            action_id=ids.CHECKIN_OPEN_SUPPORT,
            value=str(checkin_id),
        ),
    ]
    blocks: list[Block] = [
        text_section(f"*Check-in · {mrkdwn(cohort_name)}*\n{question}"),
        ActionsBlock(block_id=ids.CHECKIN_RATE_BLOCK, elements=rate),
        SectionBlock(
            text=MarkdownTextObject(
                text="Tap a number for a quick answer, or *Answer in full* to say whether you met, "
                "add a note and choose whether to share it with your facilitators."
            )
        ),
        ActionsBlock(block_id=ids.CHECKIN_MORE_BLOCK, elements=more),
        context_line(who_sees(partner_user_id)),
    ]
    return Message(text=text, blocks=blocks)


def answered_message(answered: Answered) -> Message:
    """What the check-in becomes once answered: the member's own answer, and no buttons left to press."""
    checkin, given = answered.checkin, answered.answer
    parts = [f"you rated it *{given.rating} of 5* ({RATING_WORDS[given.rating].lower()})"]
    if given.met is not None:
        parts.append("you have met since the last check-in" if given.met else "you have not met yet")
    if given.clean_note is not None and answered.note_saved:
        # A facilitator who is the partner, or was ever paired with either of them, never reads it.
        shared = "your note is shared with your facilitators, never with anyone either of you was paired with"
        parts.append(shared if given.shares_note else "your note stays private")
    lines = [
        f"*Check-in · {mrkdwn(checkin.cohort_name)}* — answered, thank you.",
        f"About your partnership with <@{checkin.partner_user_id}>: " + "; ".join(parts) + ".",
    ]
    if given.clean_note is not None and not answered.note_saved:
        lines.append(_note_not_saved(forwarded=given.shares_note and answered.support is not None))
    if answered.support is not None:
        lines.append(support_outcome(answered.support))
    first, *more = pack_lines(lines, 3000)  # one section, unless a long name and many facilitators
    blocks: list[Block] = [SectionBlock(block_id=ids.CHECKIN_DONE_BLOCK, text=MarkdownTextObject(text=first))]
    blocks += [text_section(text) for text in more]
    blocks.append(context_line(who_sees(checkin.partner_user_id)))
    return Message(text=f"Check-in · {mrkdwn(checkin.cohort_name)}: answered, thank you.", blocks=blocks)


def _note_not_saved(*, forwarded: bool) -> str:
    """Said when notes cannot be kept secret here: everything else was saved, the note was not."""
    said = (
        "it went to your facilitators with your support request, and no copy was kept"
        if forwarded
        else "nothing of it was kept; if it matters, `/circles support` reaches your facilitators"
    )
    return (
        f":warning: *Your note was not saved*: this Circles has no key to keep notes secret yet, so {said}. "
        "Your other answers were saved."
    )


def closed_message(reason: str) -> Message:
    """A check-in that can no longer be answered, with the reason in place of its buttons."""
    text = f"*Check-in closed.* {reason}"
    return Message(
        text="Check-in closed.",
        blocks=[SectionBlock(block_id=ids.CHECKIN_DONE_BLOCK, text=MarkdownTextObject(text=text))],
    )


def choose_message(choices: list[CheckInChoice]) -> Message:
    """Several partnerships: one button each, opening the check-in that waits there, or starting one."""
    blocks: list[Block] = [text_section("You have more than one partnership. Which one first?")]
    for choice in choices[:CHOICES_SHOWN]:
        blocks.append(
            SectionBlock(
                block_id=f"{ids.CHECKIN_CHOOSE_BLOCK}_{choice.partnership_id}",
                text=MarkdownTextObject(
                    text=f"<@{choice.partner_user_id}> in *{mrkdwn(choice.cohort_name)}*"
                ),
                accessory=_choice_button(choice),
            )
        )
    footer = "Your partners never see your answers."
    if len(choices) > CHOICES_SHOWN:
        more = len(choices) - CHOICES_SHOWN
        footer = f"…and {more} more, not listed here: each one's own check-in message opens it. {footer}"
    blocks.append(context_line(footer))
    return Message(text="Which partnership would you like to check in on?", blocks=blocks)


def _choice_button(choice: CheckInChoice) -> ButtonElement:
    """The check-in waiting in the pair, as its own button opens it; else the pair, whose press opens one:
    offering a choice opens nothing."""
    waiting = choice.waiting_checkin_id
    if waiting is not None:
        return ButtonElement(text="Check in", action_id=ids.CHECKIN_OPEN, value=str(waiting))
    return ButtonElement(text="Check in", action_id=ids.CHECKIN_START, value=str(choice.partnership_id))


def rate_value(checkin_id: int, rating: int) -> str:
    return f"{checkin_id}:{rating}"


def parse_rate_value(value: object) -> tuple[int, int] | None:
    """(check-in id, rating) from a rating button's value; None for anything that is not exactly that."""
    found = _RATE_VALUE.fullmatch(value) if isinstance(value, str) else None
    checkin_id = row_id(found.group(1)) if found else None
    return (checkin_id, int(found.group(2))) if found and checkin_id is not None else None


def parse_checkin_id(value: object) -> int | None:
    """A check-in id from a button's value; None unless it is a plain positive number."""
    return row_id(value)


def parse_partnership_id(value: object) -> int | None:
    """A partnership id from a choice's button value; None unless it is a plain positive number."""
    return row_id(value)
