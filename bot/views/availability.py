"""Availability in words: Home's section, the answers to away and back, and partners' notices."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot import ids
from bot.views.message import Message, text_section
from bot.views.text import mrkdwn
from circles.domain.availability import QuietHours, WorkPattern
from circles.domain.availability.unreached import Unreached
from circles.messages import PartnerAway, PartnerBack
from circles.services.availability.away import Away, Back
from circles.services.availability.pattern import Availability
from circles.services.people.membership import Resumed

AWAY_USAGE = (
    "Use `/circles away &lt;weeks&gt; weeks` (1 to 26, e.g. `/circles away 2 weeks`) or "
    "`/circles away until YYYY-MM-DD` (the day you are back), and `/circles back` when you return."
)
NEVER_WHY = "Your partners are told when you are back, never why you are away."


def day_words(day: date) -> str:
    """A date as people say it: "Monday 21 December 2026"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def away_answer(away: Away) -> str:
    until = "then"
    if away.told_until is not None and away.told_until != away.back_on:
        programme = "when time away your programme added (a rotation or leave) ends"
        until = f"*{day_words(away.told_until)}*, {programme}"
    told = (
        f" {away.partners} partner{'s are' if away.partners != 1 else ' is'} told you are away until {until},"
        " never why."
        if away.partners
        else ""
    )
    return (
        f"You're away until *{day_words(away.back_on)}*. Check-ins, nudges and coach ideas wait until "
        f"then, and nothing you miss counts against your partnerships.{told} "
        "Back sooner? `/circles back`."
    )


# A pause holds check-ins as time away does, until `/circles resume` (or its date): `back` never ends it.
STILL_PAUSED = "You are still paused, too: check-ins and prompts wait until your pause ends."
RESUME = "`/circles resume` ends it now."


def back_answer(back: Back) -> str:
    if not back.was_away:
        if back.paused:
            return f"You were not marked away, so nothing changed. You are paused, though: {RESUME}"
        return (
            "You were not marked away, so nothing changed. Time away your programme added (a rotation "
            "or leave) stays until it ends: ask your facilitator to change it."
        )
    if back.away_until is not None:
        paused = f" {STILL_PAUSED} {RESUME}" if back.paused else ""
        return (
            f"Your own time away has ended, but time away your programme added (a rotation or leave) runs "
            f"until *{day_words(back.away_until)}*: check-ins and nudges wait until then. Ask your "
            f"facilitator to change it.{paused}"
        )
    told = " Your partners are told you're back." if back.partners else ""
    if back.paused:
        return (
            "Your time away has ended, but you are still paused: check-ins and prompts wait until your "
            f"pause ends. {RESUME}{told}"
        )
    return f"Welcome back! Check-ins and prompts carry on from here.{told}"


def resumed_answer(resumed: Resumed) -> str:
    """The answer to `/circles resume`: time away still running holds check-ins until the day back."""
    cohorts = ", ".join(f"`{slug}`" for slug in resumed.slugs)
    if resumed.away_until is None:
        return f"Welcome back! Prompts and check-ins resume in {cohorts}."
    return (
        f"Your pause has ended in {cohorts}. You are still away, so prompts and check-ins resume when "
        f"you're back on *{day_words(resumed.away_until)}*. Back sooner? `/circles back`."
    )


def partner_away_notice(notice: PartnerAway) -> Message:
    text = (
        f"<@{notice.away_user_id}> is away until {day_words(notice.back_on)}; your check-ins with them "
        "pause until then. Your circles carry on as usual."
    )
    return Message(text=text, blocks=[text_section(text)])


def partner_back_notice(notice: PartnerBack) -> Message:
    text = f"<@{notice.back_user_id}> is back; your check-ins with them carry on from here."
    return Message(text=text, blocks=[text_section(text)])


def hours_words(pattern: WorkPattern | None) -> str:
    if pattern is None:
        return "any time"
    words = pattern.shift.describe()
    for entry in pattern.rota:
        change = entry.shift.describe() if entry.shift else "not working"
        words += f"; {entry.starts_on.isoformat()} to {entry.ends_on.isoformat()}: {change}"
    return words


def quiet_words(quiet: QuietHours, own: bool, gives_way: bool = False) -> str:
    if gives_way:
        return f"{quiet.describe()} (your cohort’s, not in your working hours: they would cover all of them)"
    return f"{quiet.describe()} ({'your own' if own else 'your cohort’s'})"


# Why nothing can reach someone for the whole coming week, and what to change (time away is said above).
UNREACHED = {
    Unreached.OWN_QUIET: "Nothing can reach you: your quiet hours cover all of your working hours. "
    "Change one or the other with *Working hours…*.",
    Unreached.QUIET: "Nothing can reach you this week: your cohort’s quiet hours cover all of your "
    "working hours. Choose your own with *Working hours…*.",
    Unreached.NOT_WORKING: "Nothing can reach you this week: you have no working hours in it. "
    "Check-ins wait for your next shift; change it with *Working hours…*.",
    Unreached.SLACK: "Nothing can reach you this week: Slack shows you on Do Not Disturb or out of "
    "office, and messages wait until that ends.",
    Unreached.AWAY: "Nothing can reach you this week: you are away for some of it.",
}


def unreached_line(availability: Availability) -> str | None:
    """One line on why nothing can reach them this week, or None (reachable, or away as said above)."""
    why = availability.unreached
    if why is None or (why is Unreached.AWAY and availability.back_on is not None):
        return None
    return UNREACHED[why]


def availability_blocks(availability: Availability) -> list[Block]:
    """Home's section: away until, working hours and quiet hours in force, with buttons to change them."""
    lines = ["*Availability*"]
    if availability.back_on is not None:
        lines.append(f"You're away until *{day_words(availability.back_on)}*. {NEVER_WHY}")
    if (why := unreached_line(availability)) is not None:
        lines.append(f":warning: {why}")
    lines.append(f"Working hours: {hours_words(availability.pattern)}")
    lines.append(
        f"Quiet hours: {quiet_words(availability.quiet, availability.own_quiet, availability.gives_way)}"
    )
    lines.append(f"_Times are in {mrkdwn(availability.timezone)}._")
    buttons = [ButtonElement(text="I'm away…", action_id=ids.HOME_AWAY_OPEN, value="away")]
    if availability.back_on is not None:
        buttons.append(ButtonElement(text="I'm back", action_id=ids.HOME_BACK, value="back"))
    buttons.append(ButtonElement(text="Working hours…", action_id=ids.HOME_HOURS_OPEN, value="hours"))
    return [
        DividerBlock(),
        SectionBlock(block_id=ids.HOME_AVAILABILITY_BLOCK, text=MarkdownTextObject(text="\n".join(lines))),
        ActionsBlock(block_id=ids.HOME_AVAILABILITY_ACTIONS, elements=buttons),
    ]
