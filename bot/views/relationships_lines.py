"""The plain lines of a cohort's status that say where someone stands when a list is short or cut."""

from __future__ import annotations

from datetime import datetime

from bot.views.membership import when
from circles.domain.planning.ahead import Hold
from circles.domain.vocabulary import MemberStatus, PairingMode, Role
from circles.services.people.status import CohortStatus

TEXT_LIMIT = 3000  # a section's or a context element's text
ROUND_WORDS = "your facilitators pair people when they run a round."
DIRECTORY_WORDS = "`/circles coaches` shows who offers what."
ASK_ANOTHER = (
    "To ask someone else instead, choose them in `/circles coaches`: Circles offers to withdraw this request."
)
ENDED = (
    "Your partnership ended; your facilitators can offer you a new partner — `/circles support` reaches them."
)
# Why a next date is later than the cohort's rhythm, or missing. A partner's reason is theirs to give: only
# that they are not there. The member's own pause is said by the line "Paused until …" already.
ONCE = {
    Hold.AWAY: "once you are back",
    Hold.BLACKOUT: "after the cohort's blackout dates",
    Hold.PARTNER: "once your partner is back",
}
NONE_WHILE = {Hold.BLACKOUT: "none while the cohort's blackout dates last"}
# No date at all until something else happens first: said as what starts them.
STARTS = {
    Hold.NO_CIRCLE: "Prompts start once your facilitators place you in a circle.",
    # As the one left was told (`CircleAlone`), never who left.
    Hold.ALONE: (
        "No prompts come now: nobody else is left in your circle. They start again once someone new is "
        "seated beside you, or the next round gives everyone a new circle."
    ),
}
REST_OF_PARTNERS = (
    "For any of these, `/circles support` lets you choose the partnership and reach your facilitators."
)


def no_partner_line(status: CohortStatus) -> str | None:
    """Where someone without a running partner stands: the request they made, waiting for an answer; or,
    in a cohort that pairs people, whether one is to come; None otherwise."""
    if status.partners:
        return None
    if status.asked is not None:
        asked = f"<@{status.asked.guide_user_id}> {when(status.asked.asked_at)}"
        return f"You asked {asked}, who has not answered yet. {ASK_ANOTHER}"
    if status.pairing is PairingMode.NONE:
        return None
    if status.partnership_ended:
        return ENDED
    if status.status is not MemberStatus.ACTIVE:  # a paused member is not paired until they resume
        return None
    if status.role.guides:
        return None if status.requests_to_answer else f"No learners yet: {ROUND_WORDS}"
    if status.role is Role.LEARNER:
        guide = "coach" if status.pairing is PairingMode.COACH_LEARNER else "mentor"
        return f"No {guide} yet: {ROUND_WORDS} {DIRECTORY_WORDS}"
    return f"No partner yet: {ROUND_WORDS}"


def next_lines(status: CohortStatus) -> list[str]:
    """When the next prompt and check-in come, and what holds them back when something does."""
    several = sum(not partner.paused for partner in status.partners) > 1
    found = [
        _next(what, at, held, several)
        for what, at, held in (
            ("prompt", status.next_prompt, status.prompt_held),
            ("check-in", status.next_checkin, status.checkin_held),
        )
    ]
    return [line for line in found if line]


def _next(what: str, at: datetime | None, held: Hold | None, several: bool) -> str | None:
    if at is None and held in STARTS:
        return STARTS[held]
    why = ONCE.get(held) if held else None
    if why and several:
        why = why.replace("your partner", "a partner")
    if at is not None:
        return f"Next {what}: {when(at)}" + (f", {why}" if why else "")
    if held is None or why is None:
        return None
    return f"Next {what}: {NONE_WHILE.get(held, why)}."


def requests_line(status: CohortStatus) -> str | None:
    """A coach's or mentor's requests from learners that wait for their answer; None when none does."""
    count = status.requests_to_answer
    if not count:
        return None
    asked = "A learner asked" if count == 1 else f"{count} learners asked"
    where = "The request is" if count == 1 else "Each request is"
    # Accepting waits for `/circles resume` and for room for one more learner; declining waits for neither.
    first = [
        *(["`/circles resume`"] if status.status is MemberStatus.PAUSED else []),
        *(["raise your capacity with `/circles profile`"] if status.no_room else []),
    ]
    return (
        f"{asked} to work with you and {'waits' if count == 1 else 'wait'} for your answer. "
        f"{where} in your direct messages with Circles, with Accept and Decline"
        + (f": to accept, {' and '.join(first)} first." if first else ".")
    )


def more_circles(more: int, slug: str, listed_below: bool) -> str:
    """After the first few circles: how many more, and where they all are."""
    return f" and {more} more{where_circles(slug, listed_below)}"


def where_circles(slug: str, listed_below: bool) -> str:
    """Where every circle of a cohort is to be seen."""
    return ", listed below" if listed_below else f" (`/circles status {slug}` shows them all)"


def listed(items: list[str], lead: str, reserve: int = 0) -> str:
    """Items after a lead, cut only between items so no mention or code span is broken."""
    text = lead
    for n, item in enumerate(items):
        piece = item if n == 0 else f", {item}"
        if len(text) + len(piece) > TEXT_LIMIT - reserve - 3:
            return text + ", …"
        text += piece
    return text
