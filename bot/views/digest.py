"""A coach's daily digest: a few lines to act on, the full list one button away, and the days it comes.

The digest shows at most SHOWN lines, so it reads in a glance however many partners and cohorts a coach
has; the rest open in a modal, which holds a hundred blocks of 3,000 characters each.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot import ids
from bot.views.form_values import element
from bot.views.forms import form_modal
from bot.views.message import Message, context_line, text_section
from bot.views.text import counted, mrkdwn, slack_length
from circles.domain.digests import WEEK, WORKING_WEEK, DigestSection
from circles.domain.nudges import Nudge, NudgeKind

SHOWN = 8  # lines in the digest itself
MUTE_WEEKS = 2
VIEW_BLOCKS = 100
TEXT_LIMIT = 3000
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ONLY_YOU = "Only you see this; it never shows your partners' ratings or notes."


def digest_message(sections: Sequence[DigestSection], member_id: int, days: frozenset[int]) -> Message:
    """The digest: the first SHOWN lines by cohort, then "…and N more" with a button to all of them."""
    total = sum(len(section.nudges) for section in sections)
    intro = f"*Your coaching digest* — {counted(total, 'thing')} to act on"
    blocks: list[Block] = [text_section(intro)]
    room = SHOWN
    for section in sections:
        if room <= 0:
            break
        lines = [nudge_line(n) for n in section.nudges[:room]]
        room -= len(lines)
        text = f"*{mrkdwn(section.cohort_name)}*\n" + "\n".join(lines)
        blocks.append(text_section(text))
    buttons = [
        ButtonElement(
            text=f"Mute for {MUTE_WEEKS} weeks", action_id=ids.NUDGE_MUTE, value=f"{member_id}:{MUTE_WEEKS}"
        ),
        ButtonElement(text="Change my days", action_id=ids.DIGEST_DAYS_OPEN, value="days"),
    ]
    hidden = total - SHOWN
    if hidden > 0:
        blocks.append(
            SectionBlock(
                block_id=ids.DIGEST_MORE_BLOCK,
                text=MarkdownTextObject(text=f"…and {hidden} more."),
                accessory=ButtonElement(text="See them all", action_id=ids.DIGEST_MORE, value="all"),
            )
        )
    blocks.append(ActionsBlock(block_id=ids.NUDGE_BLOCK, elements=buttons))
    footer = f"At most one digest a day, on {days_in_words(days)} in your own time zone. {ONLY_YOU}"
    blocks.append(context_line(footer))
    fallback = f"Your coaching digest: {counted(total, 'thing')} to act on"
    return Message(text=fallback, blocks=blocks)


def digest_modal(sections: Sequence[DigestSection]) -> View:
    """Everything the digest would hold now, by cohort, within a modal's limits."""
    blocks: list[Block] = [] if sections else [_section("Nothing to act on right now.")]
    hidden = 0
    for section in sections:
        for text, count in _chunks(section):
            if len(blocks) < VIEW_BLOCKS - 2:  # room for "…and N more" and the privacy line
                blocks.append(_section(text))
            else:
                hidden += count
    if hidden:
        blocks.append(context_line(f"…and {hidden} more."))
    blocks.append(context_line(ONLY_YOU))
    return View(
        type="modal", callback_id=ids.DIGEST_LIST_VIEW, title="Your digest", close="Done", blocks=blocks
    )


def _chunks(section: DigestSection) -> list[tuple[str, int]]:
    """A cohort's lines under its name, split into texts a section can hold (and how many lines each)."""
    chunks = []
    text, count = f"*{mrkdwn(section.cohort_name)}*", 0
    for nudge in section.nudges:
        line = nudge_line(nudge)
        if count and slack_length(text) + 1 + slack_length(line) > TEXT_LIMIT:  # an emoji counts twice
            chunks.append((text, count))
            text, count = line, 1
        else:
            text, count = f"{text}\n{line}", count + 1
    chunks.append((text, count))
    return chunks


def nudge_line(nudge: Nudge) -> str:
    """One thing to act on, naming the partner it is about and nothing a partner answered."""
    partner, count = nudge.partner_user_id, nudge.count
    plural = "s" if count != 1 else ""
    if nudge.kind is NudgeKind.NO_MEETING:
        return (
            f"• No meeting with <@{partner}> reported for {count} days — a short message can restart things."
        )
    if nudge.kind is NudgeKind.CHECKIN_WAITING:
        verb = "wait" if count != 1 else "waits"
        return f"• Your check-in{plural} about <@{partner}> ({count}) still {verb} for an answer."
    return f"• {count} request{plural} to work with you wait for your answer (see your DMs with Circles)."


def days_modal(days: frozenset[int]) -> View:
    """Choose the weekdays a digest may come on."""
    options = [Option(value=str(day), label=DAY_NAMES[day]) for day in WEEK]
    chosen = [option for option in options if int(str(option.value)) in days]
    return form_modal(
        ids.DIGEST_DAYS_VIEW,
        "Digest days",
        "Save",
        [
            InputBlock(
                block_id=ids.DIGEST_DAYS_BLOCK,
                label="Days your coaching digest may come",
                element=CheckboxesElement(
                    action_id=ids.DIGEST_DAYS_INPUT, options=options, initial_options=chosen or None
                ),
            ),
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text="In your own time zone, at most once a day. Check-ins and prompts keep "
                        "their own rhythm. Only you can change this."
                    )
                ]
            ),
        ],
    )


def chosen_days(values: Any) -> frozenset[int]:
    """The weekdays ticked on the form; anything that is not a weekday's number is ignored."""
    options = element(values, ids.DIGEST_DAYS_BLOCK).get("selected_options")
    picked = options if isinstance(options, list) else []
    raw = {str(option.get("value", "")) for option in picked if isinstance(option, dict)}
    return frozenset(int(v) for v in raw if v in {str(day) for day in WEEK})


def days_in_words(days: frozenset[int]) -> str:
    if days == WORKING_WEEK:
        return "Monday to Friday"
    if days == frozenset(WEEK):
        return "every day"
    names = [DAY_NAMES[day] for day in sorted(days)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _section(text: str) -> SectionBlock:
    return text_section(text)
