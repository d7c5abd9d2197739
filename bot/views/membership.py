"""Messages for joining, leaving and pausing (a person's cohorts and partners: bot.views.relationships)."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    HeaderBlock,
)

from bot import ids
from bot.views.endings import partner_notice
from bot.views.message import Message, text_section
from bot.views.text import fit_plain, mrkdwn
from circles.domain.vocabulary import PartnershipStatus, Role
from circles.messages import PartnershipChanged
from prompts.roles import RoleText

ROLE_WORDS = {
    Role.LEARNER: "Learner — I'd like a coach or mentor",
    Role.COACH: "Coach — I'll coach colleagues",
    Role.MENTOR: "Mentor — I'll mentor colleagues",
    Role.PEER: "Peer — I'll learn alongside others",
}


def choose_role(slug: str, name: str, roles: tuple[Role, ...]) -> Message:
    text = f"Join *{mrkdwn(name)}* (`{slug}`) as…"
    buttons = [
        ButtonElement(
            text=ROLE_WORDS[role][:75],
            action_id=f"{ids.JOIN_AS_ROLE}:{role.value}",
            value=f"{slug}:{role.value}",
        )
        for role in roles
    ]
    return Message(
        text=text,
        blocks=[
            text_section(text),
            ActionsBlock(block_id=ids.JOIN_ROLE_BLOCK, elements=buttons),
        ],
    )


def welcome(cohort_name: str, guide: RoleText) -> Message:
    """The private welcome that sets out what the role is for and how the programme works."""
    blocks: list[Block] = [
        HeaderBlock(text=fit_plain(guide.title, 150)),
        text_section(f"*{mrkdwn(cohort_name)}*\n{guide.intro}"),
        text_section("*What you bring*\n" + _bullets(guide.responsibilities)),
        text_section("*What a good partnership looks like*\n" + _bullets(guide.good_partnership)),
        DividerBlock(),
        text_section(f"*Check-ins, and who sees them*\n{guide.checkins}"),
        text_section(f"*Asking for support*\n{guide.support}"),
        text_section(f"*If it isn't working*\n{guide.ending}"),
    ]
    return Message(text=f"{guide.title} — {mrkdwn(cohort_name)}", blocks=blocks)


def when(moment: datetime | None) -> str:
    """A date Slack shows in each reader's own time zone."""
    if moment is None:
        return "—"
    fallback = moment.strftime("%a %d %b %Y %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"


def left_message(slug: str, ended_partnerships: int) -> Message:
    ended = ""
    if ended_partnerships:
        ended = " Your partnerships there have ended; partners are told only that they ended, not why."
    text = f"You have left `{slug}`.{ended} You can also have your profile and notes erased."
    erase = ButtonElement(
        text="Erase my personal data", action_id=ids.LEAVE_ERASE, value=slug, style="danger"
    )
    return Message(text=text, blocks=[text_section(text), ActionsBlock(elements=[erase])])


def erasure_offer() -> Message:
    """To someone in no cohort any more who has data left to erase: the way to it, found again."""
    text = "You are not in any cohort right now. You can still have your profile and notes erased."
    erase = ButtonElement(
        text="Erase my personal data", action_id=ids.LEAVE_ERASE, value="erase", style="danger"
    )
    return Message(text=text, blocks=[text_section(text), ActionsBlock(elements=[erase])])


def partnership_ended(cohort_name: str) -> Message:
    """What a partner hears when the other person leaves: the one notice of any ending, not who or why."""
    return partner_notice(PartnershipChanged(cohort_name, PartnershipStatus.ENDED))


def _bullets(items: tuple[str, ...]) -> str:
    return "\n".join(f"• {item}" for item in items)
