"""A person's cohorts with every circle and partner, each partner with its own buttons, within Slack's limits.

A message holds 50 blocks and Home or a modal 100, and each partner takes two (a line and its buttons),
so a cohort shows its first few partners and then "…and N more" with a button to a list of them all.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    MarkdownTextObject,
    SectionBlock,
)

from bot import ids
from bot.views.membership import when
from bot.views.message import Message, context_line, text_section
from bot.views.relationships_lines import (
    TEXT_LIMIT,
    more_circles,
    next_lines,
    no_partner_line,
    requests_line,
    where_circles,
)
from bot.views.relationships_lines import listed as _listed
from bot.views.relationships_pages import partner_blocks
from bot.views.relationships_pages import partners_modal as partners_modal  # where callers find it
from bot.views.text import clip_mrkdwn, counted, mrkdwn, slack_length
from circles.domain.vocabulary import MemberStatus
from circles.services.partnerships.running import CircleStatus
from circles.services.people.status import CohortStatus

PARTNERS_SHOWN = 5  # per cohort in a message or on Home; the rest are one button away
CIRCLES_SHOWN = 3  # by name in the cohort's section; fewer when the longest names would not fit it
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
NOT_IN_A_COHORT = (
    "You are not in a cohort yet. Ask your facilitator for its name, then `/circles join &lt;cohort&gt;`."
)


RUNS_ONLY = (
    "You are not a member of a cohort, so there are no circles or partners to show. You run {cohorts}: "
    "the Home tab shows how each is doing, and `/circles health &lt;cohort&gt;` shows one in full."
)


FALLBACK_TEXT = 3000  # the notification's words: enough to name the cohorts, far below a message's 40,000


def status_message(statuses: list[CohortStatus], runs: int = 0) -> Message:
    """`/circles status`: every cohort, circle and partner, each partner with its own buttons; someone in
    none who runs `runs` cohorts is pointed to them."""
    if not statuses:
        text = NOT_IN_A_COHORT if not runs else RUNS_ONLY.format(cohorts=counted(runs, "cohort"))
        return Message(text=text, blocks=[_section(text)])
    footer = context_line("Times are shown in your own time zone.")
    blocks = [*cohort_blocks(statuses, MESSAGE_BLOCKS - 1, all_circles=len(statuses) == 1), footer]
    names = clip_mrkdwn(", ".join(mrkdwn(s.name) for s in statuses), FALLBACK_TEXT)
    return Message(text=f"Your cohorts: {names}", blocks=blocks)


def cohort_blocks(statuses: Sequence[CohortStatus], budget: int, *, all_circles: bool = False) -> list[Block]:
    """Each cohort with as many of its partners as the budget of blocks allows (at most PARTNERS_SHOWN);
    with `all_circles` (one cohort asked about), every circle too."""
    cohorts = [(status, _named(status, all_circles)) for status in statuses]
    for shown in range(PARTNERS_SHOWN, -1, -1):
        # Counted before any is made: fifty cohorts would otherwise be drawn six times over.
        if sum(_count(status, shown, all_circles, named) for status, named in cohorts) <= budget:
            return [
                block for status, named in cohorts for block in _cohort(status, shown, all_circles, named)
            ]
    return _cohorts_in_brief(statuses, budget)


def _count(status: CohortStatus, shown: int, all_circles: bool, named: int) -> int:
    """How many blocks `_cohort` makes: the section, other circles, two a partner, and the rest's button."""
    others = all_circles and len(status.circles) > named
    return 1 + others + 2 * min(shown, len(status.partners)) + (len(status.partners) > shown)


def describe(status: CohortStatus, all_circles: bool = False) -> str:
    """One cohort in a few lines: role, circles, what comes next (partners come with their buttons)."""
    return _fitted(status, all_circles, _named(status, all_circles))


def _named(status: CohortStatus, all_circles: bool) -> int:
    """How many circles the cohort's section names: CIRCLES_SHOWN, or fewer when their names and the
    cohort's are so long that the section would not hold them (the rest are counted, and listed elsewhere)."""
    for named in range(min(CIRCLES_SHOWN, len(status.circles)), 0, -1):
        if slack_length(_describe(status, all_circles, named)) <= TEXT_LIMIT:
            return named
    return 0


def _fitted(status: CohortStatus, all_circles: bool, named: int) -> str:
    """The cohort's lines naming `named` circles, within a section (only a name past any limit is cut)."""
    return clip_mrkdwn(_describe(status, all_circles, named), TEXT_LIMIT)


def _describe(status: CohortStatus, all_circles: bool, named: int) -> str:
    lines = [f"*{mrkdwn(status.name)}* (`{status.slug}`) — {status.role.value}"]
    if status.status is MemberStatus.PAUSED:
        until = (
            f" until {when(status.paused_until)}" if status.paused_until else " until you `/circles resume`"
        )
        lines.append(f"Paused{until}.")
    lines.append(_circles(status.circles[:named], len(status.circles), status.slug, all_circles))
    if waiting := no_partner_line(status):
        lines.append(waiting)
    if asked := requests_line(status):
        lines.append(asked)
    lines += next_lines(status)
    return "\n".join(lines)


def _cohort(
    status: CohortStatus, shown: int, all_circles: bool = False, named: int | None = None
) -> list[Block]:
    named = _named(status, all_circles) if named is None else named
    blocks: list[Block] = [_section(_fitted(status, all_circles, named))]
    if all_circles and len(status.circles) > named:
        rest = [_circle(c) for c in status.circles[named:]]
        blocks.append(context_line(_listed(rest, "Your other circles: ")))
    for partner in status.partners[:shown]:
        blocks += partner_blocks(partner)
    hidden = len(status.partners) - shown
    if hidden > 0:
        text = (
            f"…and {hidden} more partner{_s(hidden)} in *{mrkdwn(status.name)}*."
            if shown
            else f"{hidden} running partnership{_s(hidden)} in *{mrkdwn(status.name)}*."
        )
        blocks.append(
            SectionBlock(
                block_id=f"{ids.RELATIONSHIPS_MORE_BLOCK}:{status.slug}",
                text=MarkdownTextObject(text=text),
                accessory=ButtonElement(
                    text="See all partners", action_id=ids.RELATIONSHIPS_MORE, value=status.slug
                ),
            )
        )
    return blocks


def _cohorts_in_brief(statuses: Sequence[CohortStatus], budget: int) -> list[Block]:
    """More cohorts than blocks: as many as fit, then the others by name."""
    blocks: list[Block] = []
    listed = 0
    for status in statuses:
        brief = _cohort(status, 0)  # several cohorts: never all_circles
        if len(blocks) + len(brief) > budget - 1:
            break
        blocks += brief
        listed += 1
    rest = statuses[listed:]
    text = _listed([f"`{s.slug}`" for s in rest], f"…and {counted(len(rest), 'more cohort')}: ", reserve=60)
    text += ". `/circles status &lt;cohort&gt;` shows one in full."
    blocks.append(context_line(text))
    return blocks


def _circles(named: tuple[CircleStatus, ...], count: int, slug: str, all_circles: bool) -> str:
    """The first circles by name, then how many more and where they all are."""
    if not count:
        return "Circle: none yet"
    more = more_circles(count - len(named), slug, all_circles) if count > len(named) else ""
    if not named:  # names so long that not even one fits: how many, and where they are
        return f"Circles: {count}{where_circles(slug, all_circles)}"
    return ("Circle: " if count == 1 else "Circles: ") + ", ".join(_circle(c) for c in named) + more


def _circle(circle: CircleStatus) -> str:
    return mrkdwn(circle.name) + (f" (<#{circle.conversation_id}>)" if circle.conversation_id else "")


def _section(text: str) -> SectionBlock:
    return text_section(text)


def _s(count: int) -> str:
    return "" if count == 1 else "s"
