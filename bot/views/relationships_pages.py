"""Every partner of a person in one cohort, each with its own buttons, page by page within a modal's limits.

A modal holds 100 blocks and each partner takes two (a line and its buttons), so a page shows 49 partners,
a heading and one row to turn the page; the first page also names the partners on the pages after it.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View

from bot import ids
from bot.views.endings import partnership_buttons
from bot.views.message import context_line, text_section
from bot.views.pages import pager_block_id, shown_in, turned_to
from bot.views.relationships_lines import REST_OF_PARTNERS, TEXT_LIMIT, listed, no_partner_line
from bot.views.text import clip_mrkdwn, mrkdwn
from circles.domain.paging import Turn, Way, Window, window
from circles.domain.vocabulary import PartnershipKind
from circles.services.partnerships.running import PartnerStatus
from circles.services.people.status import CohortStatus

VIEW_BLOCKS = 100
PAGE_PARTNERS = (VIEW_BLOCKS - 2) // 2  # 49: two blocks each, with the heading and the row that turns pages
PARTNER_WORDS = {
    PartnershipKind.PEER: "peer partner",
    PartnershipKind.COACH_LEARNER: "coaching partner",
    PartnershipKind.MENTOR_LEARNER: "mentoring partner",
}


def partners_modal(status: CohortStatus, note: str | None = None, page: Turn | int = 0) -> View:
    """One page of the person's partners in one cohort, each with its buttons; `note` says what just changed.

    A page turned to starts right after the last partner the page before showed, wherever the list (read
    again) has them now: none is passed over when one before them ended meanwhile. A page past either end
    shows the nearest page there is.
    """
    keys = [str(partner.partnership_id) for partner in status.partners]
    shown = window(keys, PAGE_PARTNERS, page if isinstance(page, Turn) else Turn(page))
    blocks: list[Block] = [text_section(_heading(status, note, shown.number, shown.pages))]
    if waiting := no_partner_line(status):
        blocks.append(context_line(waiting))
    for partner in status.partners[shown.start : shown.end]:
        blocks += partner_blocks(partner)
    rest = status.partners[shown.end :]
    turns = _turns(status.slug, shown)
    block_id = pager_block_id(ids.RELATIONSHIPS_PAGES_BLOCK, *_ends(keys, shown))
    if shown.number == 0 and rest:  # the later pages by name, and the button to them
        names = listed(
            [f"<@{p.partner_user_id}>" for p in rest], f"…and {len(rest)} more: ", len(REST_OF_PARTNERS) + 2
        )
        text = MarkdownTextObject(text=f"{names}. {REST_OF_PARTNERS}")
        blocks.append(SectionBlock(block_id=block_id, text=text, accessory=turns[0]))
    elif turns:
        blocks.append(ActionsBlock(block_id=block_id, elements=turns))
    return View(
        type="modal",
        callback_id=ids.RELATIONSHIPS_VIEW,
        private_metadata=status.slug,
        title="Your partners",
        close="Done",
        blocks=blocks,
    )


def page_shown(view: dict[str, Any]) -> Turn:
    """Which page a list of partners was showing, read from its buttons to the pages either side of it (the
    first page when there is none), and the partners it showed first and last: a change made on a later
    page is shown on that page again, from the same partner (or where they were)."""
    blocks = view.get("blocks")
    for block in blocks if isinstance(blocks, list) else []:
        inside = [block.get("accessory"), *(block.get("elements") or [])] if isinstance(block, dict) else []
        for button in inside:
            action = str(button.get("action_id", "")) if isinstance(button, dict) else ""
            turned = turned_to(button.get("value", "")) if action.startswith(ids.RELATIONSHIPS_PAGE) else None
            if turned is not None:
                page = max(0, turned[1] + (1 if action.endswith(":previous") else -1))
                first, last = shown_in(block.get("block_id"), ids.RELATIONSHIPS_PAGES_BLOCK)
                return Turn(page, Way.AGAIN, first, last)
    return Turn()


def partner_blocks(partner: PartnerStatus) -> list[Block]:
    """One partner: who, and the buttons that act on this partnership only."""
    paused = " (paused)" if partner.paused else ""
    line = f"Your {PARTNER_WORDS[partner.kind]}: <@{partner.partner_user_id}>{paused}"
    return [text_section(line), partnership_buttons(partner.partnership_id, partner.status)]


def _heading(status: CohortStatus, note: str | None, page: int, pages: int) -> str:
    count = len(status.partners)
    name = mrkdwn(status.name)
    heading = (
        f"*{name}* (`{status.slug}`): {count} running partnership{'' if count == 1 else 's'}."
        if count
        else f"*{name}*: no partner now."
    )
    if pages > 1:
        heading += f" Page {page + 1} of {pages}."
    if note:  # in the heading's section, so a full page keeps its room
        heading = clip_mrkdwn(note, TEXT_LIMIT - len(heading) - 2) + "\n\n" + heading
    return heading


def _ends(keys: list[str], shown: Window) -> tuple[str, str]:
    """The partnerships the page shows first and last; none when it shows none."""
    return (keys[shown.start], keys[shown.end - 1]) if shown.end > shown.start else ("", "")


def _turns(slug: str, shown: Window) -> list[ButtonElement]:
    turns = [(shown.number - 1, "Previous page", "previous"), (shown.number + 1, "Next page", "next")]
    return [
        ButtonElement(text=words, action_id=f"{ids.RELATIONSHIPS_PAGE}:{name}", value=f"{slug}:{to}")
        for to, words, name in turns
        if 0 <= to < shown.pages
    ]
